"""The journal-club handouts: every issue, the synthetic-data note, questions from templates, and
PDFs of two to four pages that are the same bytes every time."""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from recheck.findings import all_findings, issue_table
from recheck.handout import QUESTIONS, chapter_issues, chapters, handout_html, question, questions
from recheck.judge import FLAGS
from recheck.schema import CHECKS
from recheck.show import SYNTHETIC_NOTE

ROOT = Path(__file__).resolve().parents[1]
BUILT = ROOT / "book" / "_static" / "downloads" / "handouts"
CHAPTERS = list(chapters())


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("handouts", ROOT / "tools" / "handouts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def findings():
    return all_findings()


def chapter_findings(findings, chapter):
    return findings[findings["source"].isin([p.id for p in chapters()[chapter]])]


def listed(page: str) -> list[str]:
    """The quantities of the handout's issues, in the order it lists them."""
    return [html.unescape(q) for q in re.findall(r'<li class="issue".*?<strong>(.*?)</strong>', page)]


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_handout_lists_every_issue_most_severe_first_and_says_the_data_are_synthetic(findings, chapter):
    mine = chapter_findings(findings, chapter)
    page = handout_html(chapter, findings)
    assert listed(page) == list(issue_table(mine)["quantity"])
    assert html.escape(SYNTHETIC_NOTE) in page
    for paper in chapters()[chapter]:
        assert html.escape(paper.citation) in page
    assert page.count('<li class="issue"') == mine.loc[mine["verdict"].isin(FLAGS), "issue"].nunique()


def test_a_changed_verdict_changes_the_issue_list(findings):
    mine = chapter_findings(findings, "pallas").reset_index(drop=True)
    before = listed(handout_html("pallas", mine))
    # A flag withdrawn: its issue leaves the handout.
    issues = issue_table(mine)
    single = issues[issues["n_flags"] == 1].iloc[0]
    withdrawn = mine.copy()
    withdrawn.loc[withdrawn["id"] == single["lead"], ["verdict", "severity"]] = ["consistent", ""]
    after = listed(handout_html("pallas", withdrawn))
    assert single["quantity"] not in after and len(after) == len(before) - 1
    # A consistent finding turned gross: a new issue, listed first.
    target = mine[mine["verdict"] == "consistent"].iloc[0]
    raised = mine.copy()
    raised.loc[raised["id"] == target["id"], ["verdict", "severity"]] = ["gross", "decisive"]
    after = listed(handout_html("pallas", raised))
    assert after[0] == target["quantity"] and after[1:] == before


def test_every_check_and_flag_has_a_question():
    for check in CHECKS:
        for verdict in FLAGS:
            text = question(dict(check=check, verdict=verdict, quantity="q", reported="1", number=1))
            assert text.startswith("Issue 1, q") and text.endswith("?")
    assert all(k[0] == "*" or k[0] in CHECKS for k in QUESTIONS)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_questions_name_every_issue_of_the_kinds_they_ask_about(findings, chapter):
    mine = chapter_findings(findings, chapter)
    issues = chapter_issues(mine)
    asked = " ".join(questions(issues, mine, limit=3))
    kinds = list(dict.fromkeys(zip(issues["check"], issues["verdict"])))[:3]
    for row in issues.itertuples():
        named = re.search(rf"\b(?:Issue|issues?|and|,) {row.number}\b", asked) is not None
        assert named == ((row.check, row.verdict) in kinds), row.number
    assert "Issue 1," in asked


def test_a_rebuild_with_nothing_changed_launches_no_browser(tool, tmp_path, monkeypatch):
    monkeypatch.setattr(tool, "STAMP", tmp_path / "stamp.json")
    monkeypatch.setattr(tool, "chromium", lambda: shutil.which("sh"))
    printed = []

    def fake(pages, out, exe):
        out.mkdir(parents=True, exist_ok=True)
        printed.append(sorted(pages))
        for name in pages:
            (out / f"{name}.pdf").write_bytes(b"%PDF")
        return [out / f"{name}.pdf" for name in pages]

    monkeypatch.setattr(tool, "print_pdfs", fake)
    out = tmp_path / "handouts"
    tool.main([str(out)])
    tool.main([str(out)])
    assert printed == [sorted(CHAPTERS)]
    (out / "patina.pdf").unlink()   # a missing PDF is printed again, and only it
    tool.main([str(out)])
    assert printed[-1] == ["patina"]


def test_normalised_dates_keep_every_byte_offset(tool):
    pdf = b"%PDF-1.4\n<</CreationDate (D:20261201174500+01'00')/ModDate(D:2026120117Z)>>\nxref"
    out = tool.normalise(pdf)
    assert len(out) == len(pdf) and b"2026" not in out and out.endswith(b">>\nxref")
    assert b"/ModDate(D:2000010100Z)" in out


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_built_handout_has_two_to_four_pages(chapter):
    pdf = BUILT / f"{chapter}.pdf"
    if not pdf.exists():
        pytest.skip(f"no {pdf.relative_to(ROOT)}: the site was not built (make book)")
    assert 2 <= pages(pdf.read_bytes()) <= 4


@pytest.mark.browser
def test_the_same_html_prints_the_same_bytes(tool, tmp_path, findings, browser):
    # the session's Chromium (conftest): a second playwright may not start beside it
    exe = shutil.which("chromium")
    page = handout_html("patina", findings)
    first, second = tool.print_pdfs({"a": page, "b": page}, tmp_path, exe, browser)
    assert first.read_bytes() == second.read_bytes()
    dates = re.findall(rb"/(?:CreationDate|ModDate) ?\(D:([^)]*)\)", first.read_bytes())
    assert len(dates) == 2 and set(dates) == {tool._FIXED + b"+00'00'"}
    # Across processes too: the built PDF, when the stamp says it is of this HTML.
    import json
    stamp = json.loads(tool.STAMP.read_text()) if tool.STAMP.exists() else {}
    if stamp.get(str(BUILT.resolve()), {}).get("patina") == tool._key(page, exe):
        assert (BUILT / "patina.pdf").read_bytes() == first.read_bytes()
