"""The synthetic test paper, checked end to end by the engine alone.

``tests/papers/trialx`` (and its news write-up ``trialx-news``) hold a made-up trial in the
formats of ``data/``, with an error of every kind the check families catch planted beside a
clean twin of the same kind (``EXTRACTION.md``).  ``expected.csv`` gives the verdict each
finding must get: every planted error is flagged with exactly its verdict, and nothing else is
flagged.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tomllib

import pandas as pd
import pytest

from recheck.checks import check
from recheck.judge import FLAGS
from recheck.paper import load_paper
from recheck.schema import COLUMNS, findings_frame

from conftest import PAPERS, fresh

FOLDERS = ("trialx", "trialx-news")


def expected(name: str) -> dict[str, str]:
    df = pd.read_csv(PAPERS / name / "expected.csv", dtype=str, keep_default_na=False)
    assert list(df.columns) == ["id", "verdict"]
    assert df["id"].is_unique
    return dict(zip(df["id"], df["verdict"]))


@pytest.fixture(scope="module")
def runs() -> dict[str, dict[str, str]]:
    fresh()
    return {name: {f.id: f.verdict for f in check(load_paper(PAPERS / name))} for name in FOLDERS}


@pytest.mark.parametrize("name", FOLDERS)
def test_every_expected_finding_is_made(runs, name):
    missing = sorted(set(expected(name)) - set(runs[name]))
    assert not missing, f"findings expected but not made: {missing}"


@pytest.mark.parametrize("name", FOLDERS)
def test_each_planted_error_gets_exactly_its_verdict(runs, name):
    planted = {i: v for i, v in expected(name).items() if v in FLAGS}
    assert planted, "the test paper must plant errors"
    wrong = {i: (v, runs[name].get(i)) for i, v in planted.items() if runs[name].get(i) != v}
    assert not wrong, f"planted error → (expected, got): {wrong}"


@pytest.mark.parametrize("name", FOLDERS)
def test_no_clean_number_is_flagged(runs, name):
    exp = expected(name)
    clean = {i for i, v in exp.items() if v not in FLAGS}
    assert clean, "every planted error needs a clean twin"
    flagged_clean = {i: runs[name][i] for i in clean if runs[name].get(i) in FLAGS}
    assert not flagged_clean, f"clean numbers flagged: {flagged_clean}"
    unlisted = {i: v for i, v in runs[name].items() if i not in exp and v in FLAGS}
    assert not unlisted, f"flags no plant explains: {unlisted}"
    # not-checkable and consistent verdicts are exact too
    differ = {i: (exp[i], runs[name].get(i)) for i in clean if runs[name].get(i) != exp[i]}
    assert not differ, differ


def test_every_kind_of_plant_has_a_clean_twin():
    """Each check kind that flags something in the test papers also passes something there."""
    fresh()
    fs = [f for name in FOLDERS for f in check(load_paper(PAPERS / name))]
    flagged = {f.check for f in fs if f.verdict in FLAGS}
    passed = {f.check for f in fs if f.verdict in ("consistent", "plausible")}
    # the model-entry family reports only the variables that break the rule: its clean twin,
    # the age row of Table 5, makes no finding at all
    assert flagged - passed <= {"model-entry-rule"}, flagged - passed
    assert not [f for f in fs if f.check == "model-entry-rule" and "age" in f.id]
    assert {"table-p", "summary-t", "ratio-p-from-ci", "ratio-ci-centre", "ratio-one-sided-p",
            "percent-of-n", "count-sum", "percent-sum", "cross-location", "flow-arithmetic",
            "logrank-simulation", "ph-implied-hr", "median-implied-hr", "events-from-ci", "claim",
            "secondary-vs-source", "statement-vs-source", "model-entry-rule"} <= flagged


def test_the_verdicts_cover_the_vocabulary(runs):
    seen = {v for r in runs.values() for v in r.values()}
    assert {"consistent", "plausible", "variant", "inconsistent", "gross", "implausible", "not-checkable"} <= seen


@pytest.mark.parametrize("name", FOLDERS)
def test_the_paper_needs_no_python_of_its_own(name):
    folder = PAPERS / name
    doc = tomllib.loads((folder / "paper.toml").read_text(encoding="utf-8"))
    assert "analysis" not in doc["paper"]
    assert load_paper(folder).analysis == ""
    assert not list(folder.rglob("*.py"))


@pytest.mark.parametrize("name", FOLDERS)
def test_the_run_imports_no_paper_module(name, monkeypatch):
    import recheck.checks as checks

    def refuse(module, *args, **kw):
        raise AssertionError(f"the test paper needs {module}")
    monkeypatch.setattr(checks.importlib, "import_module", refuse)
    fresh()
    assert check(load_paper(PAPERS / name))


def test_command_line_csv():
    out = subprocess.run([sys.executable, "-m", "recheck", "check", str(PAPERS / "trialx"), "--format", "csv"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    df = pd.read_csv(io.StringIO(out.stdout), dtype=str, keep_default_na=False)
    assert list(df.columns) == list(COLUMNS)
    exp = expected("trialx")
    got = dict(zip(df["id"], df["verdict"]))
    assert {i: got.get(i) for i in exp} == exp


def test_command_line_text_summary_and_errors(tmp_path, capsys):
    from recheck.cli import main
    fresh()
    assert main(["check", str(PAPERS / "trialx")]) == 0
    out = capsys.readouterr().out
    flags = [v for v in expected("trialx").values() if v in FLAGS]
    assert out.splitlines()[0].startswith(f"{len(expected('trialx'))} findings, {len(flags)} flags")
    assert len(out.splitlines()) == 1 + len(flags)
    bad = tmp_path / "nopaper"
    bad.mkdir()
    assert main(["check", str(bad)]) == 2
    assert "paper.toml" in capsys.readouterr().err


def test_a_rerun_gives_the_same_findings():
    """The simulations are seeded and every cache is keyed by the data: two fresh runs agree."""
    fresh()
    a = findings_frame(check(load_paper(PAPERS / "trialx")))
    fresh()
    b = findings_frame(check(load_paper(PAPERS / "trialx")))
    pd.testing.assert_frame_equal(a, b)
