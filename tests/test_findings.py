"""The findings schema (:mod:`recheck.schema`) and export (:mod:`recheck.findings`), on the
synthetic test papers (``tests/papers``), and the command line."""

import io
import json
import math

import pandas as pd
import pytest

from recheck.findings import COLUMNS, Finding, all_findings, findings_frame
from recheck.judge import VERDICTS
from recheck.schema import CHECKS, NUMERIC_COLUMNS, TEXT_COLUMNS

from conftest import PAPERS, fresh

TEXT = ["id", "source", "location", "quantity", "reported", "recomputed", "check", "verdict",
        "explanation"]


@pytest.fixture(scope="module")
def findings():
    fresh()
    return all_findings(root=PAPERS)


def test_schema(findings):
    assert list(TEXT_COLUMNS) == TEXT
    assert list(COLUMNS[:9]) == TEXT and set(NUMERIC_COLUMNS) <= set(COLUMNS)
    assert list(findings.columns) == list(COLUMNS)
    assert findings["id"].is_unique
    assert set(findings["verdict"]) <= set(VERDICTS)
    assert set(findings["check"]) <= set(CHECKS)
    assert list(dict.fromkeys(findings["source"])) == ["trialx", "trialx-news"]   # chapter order
    assert (findings["explanation"].str.len() > 20).all()
    assert findings[findings["verdict"] == "gross"]["severity"].eq("decisive").all()
    assert findings[findings["verdict"] == "consistent"]["severity"].eq("").all()


def test_only_some_sources(findings):
    fresh()
    news = all_findings(("trialx-news",), root=PAPERS)
    assert set(news["source"]) == {"trialx-news"}
    assert news["id"].tolist() == findings[findings["source"] == "trialx-news"]["id"].tolist()
    assert all_findings(("nothing",), root=PAPERS).empty


def finding(**kw):
    base = dict(id="trialx:x", source="trialx", location="Abstract", quantity="q", reported="1",
                recomputed="1", check="percent-of-n", verdict="consistent", explanation="e")
    return Finding(**{**base, **kw})


def test_finding_rejects_unknown_vocabulary():
    assert finding().issue == "trialx:x"
    with pytest.raises(ValueError, match="unknown verdict"):
        finding(verdict="fine")
    with pytest.raises(ValueError, match="unknown check"):
        finding(check="c")
    with pytest.raises(ValueError, match="must be"):
        finding(source="nature")
    with pytest.raises(ValueError, match="must be"):
        finding(id="trialx:Upper Case")
    with pytest.raises(ValueError, match="unknown severity"):
        finding(verdict="gross", severity="huge")


def test_finding_numbers_and_severity():
    f = finding(verdict="gross", reported_low="0.5", recomputed_high=None)
    assert f.severity == "decisive" and f.reported_low == 0.5 and math.isnan(f.recomputed_high)
    assert finding(verdict="variant").severity == "minor"
    assert finding(verdict="inconsistent", severity="decisive").severity == "decisive"
    assert finding(issue="trialx:shared").issue == "trialx:shared"


def test_findings_frame_refuses_repeated_ids():
    assert list(findings_frame([]).columns) == list(COLUMNS)
    with pytest.raises(ValueError, match="duplicate finding ids"):
        findings_frame([finding(), finding()])


def test_cli_csv_and_json_agree(findings, capsys):
    from recheck.cli import main
    folder = str(PAPERS / "trialx-news")
    fresh()
    assert main(["check", folder, "--format", "csv"]) == 0
    csv_out = capsys.readouterr().out
    assert csv_out.splitlines()[0] == ",".join(COLUMNS)
    assert main(["check", folder, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    ids = findings[findings["source"] == "trialx-news"]["id"].tolist()
    assert [r["id"] for r in records] == ids
    assert pd.read_csv(io.StringIO(csv_out))["id"].tolist() == ids
    # the command line proper (a subprocess) is tested in test_testpaper.py
