"""The findings export: schema, vocabulary, stability, and the command line."""

import json
import subprocess
import sys

import pytest

from recheck.findings import COLUMNS, SOURCES, Finding, all_findings
from recheck.judge import VERDICTS

EXPECTED = ["id", "source", "location", "quantity", "reported", "recomputed", "check",
            "verdict", "explanation"]


@pytest.fixture(scope="module")
def findings():
    return all_findings()


def test_schema(findings):
    assert list(COLUMNS) == EXPECTED
    assert list(findings.columns) == EXPECTED
    assert findings["id"].is_unique
    assert set(findings["verdict"]) <= set(VERDICTS)
    assert set(findings["source"]) <= set(SOURCES)
    assert (findings["explanation"].str.len() > 20).all()


def test_ids_are_stable(findings):
    assert all_findings()["id"].tolist() == findings["id"].tolist()


def test_finding_rejects_unknown_vocabulary():
    with pytest.raises(ValueError):
        Finding("ozcan:x", "ozcan", "Abstract", "q", "1", "1", "c", "fine", "e")
    with pytest.raises(ValueError):
        Finding("ozcan:x", "nature", "Abstract", "q", "1", "1", "c", "consistent", "e")
    with pytest.raises(ValueError):
        Finding("pallas:x", "ozcan", "Abstract", "q", "1", "1", "c", "consistent", "e")


def run(*args):
    return subprocess.run([sys.executable, "-m", "recheck", *args], capture_output=True,
                          text=True, check=True).stdout


def test_cli_csv_and_json_agree(findings):
    csv_out = run("findings", "--format", "csv")
    assert csv_out.splitlines()[0] == ",".join(EXPECTED)
    records = json.loads(run("findings", "--format", "json"))
    assert [r["id"] for r in records] == findings["id"].tolist()
