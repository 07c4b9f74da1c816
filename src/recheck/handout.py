"""Handouts: one chapter's findings on two to four printed pages, for a journal club.

:func:`handout_html` lays out, as one self-contained HTML document, what a chapter of the book
says about its paper: the source, the bottom line, the counts by verdict, the distinct issues most
severe first (:func:`recheck.findings.issue_table`, as the chapter shows them) with what is printed
and what recomputation gives, and questions for a journal club.  ``tools/handouts.py`` prints it
to PDF with Chromium at build time.

Like :mod:`recheck.show`, nothing here computes a finding or holds a number: every count, value
and verdict comes from the findings frame.  The questions are not the chapters' prose either;
they are generated from the issues, one template per check family and verdict
(:data:`QUESTIONS`), filled from the fields of the issue's most severe finding.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Mapping

import pandas as pd

from .judge import FLAGS, SEVERITY_ORDER
from .paper import Paper, registry
from .render import bottom_line
from .show import SYNTHETIC_NOTE, VERDICT_COLOURS, verdict_counts

__all__ = ["links_html", "QUESTIONS", "COUNT_QUESTIONS", "chapters", "chapter_issues", "question", "questions",
           "handout_html"]

# --- journal-club questions ----------------------------------------------------------------

_A = "{what}{printed}: "
QUESTIONS: dict[tuple[str, str], str] = {
    ("table-p", "variant"): _A + "it reproduces only under a test the paper does not state. Which test "
                                 "did the authors run, and should the Methods name it?",
    ("table-p", "inconsistent"): _A + "no test of the printed counts gives it. Which test produced the "
                                      "printed p, and from which counts?",
    ("table-p", "gross"): _A + "every test of the printed counts puts it on the other side of the stated "
                               "α. Which conclusion do the counts support?",
    ("summary-t", "*"): _A + "no t-test from the printed means, SDs and sizes gives it. Were the groups, "
                             "the summaries or the test other than stated?",
    ("percent-of-n", "*"): _A + "no whole number of patients gives it. Which number is the slip, and does "
                                "anything computed from it change?",
    ("count-sum", "*"): _A + "the counts do not add up. Where are the missing or extra patients, and "
                             "which analyses include them?",
    ("percent-sum", "*"): _A + "the percentages do not add up to 100. Which cell is wrong?",
    ("cross-location", "gross"): _A + "its printings fall on both sides of the stated α. Which should a "
                                      "reader believe, and what would settle it?",
    ("cross-location", "*"): _A + "its printings disagree. Which value should a reader believe, and what "
                                  "would settle it?",
    ("ratio-p-from-ci", "gross"): _A + "the p and the confidence interval disagree, and only one of them "
                                       "is significant. Which would you trust, and why?",
    ("ratio-p-from-ci", "*"): _A + "the p and the confidence interval disagree. Which would you trust, "
                                   "and why might they differ?",
    ("ratio-ci-centre", "*"): _A + "the estimate is not at the centre of its interval on the log scale. "
                                   "Is one of the three numbers a slip, or was the CI computed another way?",
    ("ratio-one-sided-p", "*"): _A + "the p is one-sided. What would you have concluded from it about the "
                                     "confidence interval?",
    ("median-ci-symmetry", "*"): _A + "the interval is not the one the stated software prints. How was it "
                                      "computed, and does it change the comparison?",
    ("median-ci-width", "*"): _A + "reconstructions with the printed group size and median rarely give a "
                                   "CI this wide or narrow. How steeply does the curve fall at its median, "
                                   "and was the CI computed as stated?",
    ("logrank-simulation", "*"): _A + "reconstructions from the printed sizes, medians and events rarely "
                                      "give it. What else would you need to know to recompute it?",
    ("regimen-p", "*"): _A + "no allocation of patients that the printed numbers allow gives it. Can the "
                             "printed conclusion be right?",
    ("claim", "gross"): "{what}: the sentence draws a conclusion at the stated α that the numbers it rests "
                        "on reverse. How should it be worded?",
    ("claim", "*"): "{what}: the sentence rests on numbers that do not support it. How should it be worded?",
    ("claim-vs-facts", "*"): "{what}: the statement departs from the publications of the trial it "
                             "describes. How would you check an account of another trial before "
                             "relying on it?",
    ("statement-vs-source", "*"): "{what}: the report says what its source does not. How should a "
                                  "secondary report handle a source's hedges and contradictions?",
    ("quote-context", "*"): "{what}: the quotation is placed where its source did not put it. What did "
                            "the authors write it about, and does the placement change its meaning?",
    ("secondary-vs-source", "*"): _A + "the source prints another number. Which one reached readers?",
    ("flow-arithmetic", "*"): _A + "the flow of patients does not add up. Who is missing from which "
                                   "analysis?",
    ("model-entry-rule", "*"): _A + "it breaks the paper's own rule for entering the multivariable model. "
                                    "What does selecting covariates by univariate p do to the estimates?",
    ("follow-up", "*"): _A + "it does not fit the study window. What must the time origin be, and could "
                             "it bias the comparison?",
    ("design-bias", "*"): _A + "the design alone produces part of this effect. How would you design the "
                               "comparison (landmark, time-varying exposure, target-trial emulation) so "
                               "that it cannot?",
    ("*", "gross"): _A + "the paper's own numbers put the conclusion on the other side of the stated α. "
                         "Which conclusion stands?",
    ("*", "inconsistent"): _A + "the paper's own numbers do not give it. What would you ask the authors "
                                "to check?",
    ("*", "implausible"): _A + "possible, but far from what the reconstructed data give. What would make "
                               "it plausible?",
    ("*", "biased"): _A + "the design alone produces part of this effect. How would you design the "
                          "comparison so that it cannot?",
    ("*", "variant"): _A + "it reproduces only under a method other than the stated one. Which method did "
                           "the authors use?",
}
"""``(check, verdict)`` → question about one issue; ``(check, "*")`` serves every verdict of a
check and ``("*", verdict)`` every check without a template of its own.

Fields: ``what`` (the issue's number and quantity) and ``printed`` (``", printed …"``
with the printed text, empty when that text is a sentence too long to repeat: the issues table
has it).  What recomputation gives is in the issues table beside it, not repeated here."""

COUNT_QUESTIONS: dict[str, str] = {
    "plausible": "Printed values that pass only checks too blunt to confirm them (plausible): {n:,}. "
                 "Which of them does a conclusion rest on, and what would confirm them?",
    "not-checkable": "Statements that cannot be checked from what the source prints: {n:,}. Which "
                     "would you ask the authors (or the supplement) for first, and why?",
}
"""verdict → question about the chapter's findings with that verdict (asked when there are any)."""

_PRINTED_MAX = 60   # characters: a longer printed text is a sentence, shown in the table only


def _template(check: str, verdict: str) -> tuple[str, str]:
    for key in ((check, verdict), (check, "*"), ("*", verdict)):
        if key in QUESTIONS:
            return key
    raise KeyError(f"no question template for check {check!r}, verdict {verdict!r}")


def question(issue: Mapping[str, object], also: tuple[int, ...] = ()) -> str:
    """The journal-club question about one issue (a row of :func:`chapter_issues`), as plain text.

    *also*: the numbers of other issues of the same kind, which the question names too.

    >>> issue = dict(check="table-p", verdict="variant", quantity="Age: p across groups",
    ...              reported="0.15", number=4)
    >>> print(question(issue, also=(6, 7)))
    Issue 4, Age: p across groups, printed 0.15: it reproduces only under a test the paper does \
not state. Which test did the authors run, and should the Methods name it? The same question \
applies to issues 6 and 7.
    """
    from .render import join_and
    reported = str(issue["reported"])
    text = QUESTIONS[_template(str(issue["check"]), str(issue["verdict"]))].format(
        what=f"Issue {issue['number']}, {issue['quantity']}",
        printed=f", printed {reported}" if reported and len(reported) <= _PRINTED_MAX else "")
    if also:
        text += (f" The same question applies to issue{'s' if len(also) > 1 else ''} "
                 f"{join_and(also)}.")
    return text


def questions(issues: pd.DataFrame, findings: pd.DataFrame | None = None, limit: int = 10) -> list[str]:
    """Questions for a journal club: one per kind of issue (check family × verdict), most severe
    kind first, then one per verdict of :data:`COUNT_QUESTIONS` that *findings* has.

    Each kind is asked about its most severe issue and names the others; at most *limit* kinds,
    so that the questions fit a page.
    """
    kinds: dict[tuple[str, str], list[dict]] = {}
    for row in issues.to_dict("records"):
        kinds.setdefault((row["check"], row["verdict"]), []).append(row)
    out = [question(rows[0], tuple(r["number"] for r in rows[1:])) for rows in list(kinds.values())[:limit]]
    if findings is not None:
        for verdict, template in COUNT_QUESTIONS.items():
            if n := int((findings["verdict"] == verdict).sum()):
                out.append(template.format(n=n))
    return out


# --- the chapter's issues ------------------------------------------------------------------

def chapters(root: Path | str | None = None) -> dict[str, list[Paper]]:
    """Every paper chapter of the book → its papers, in chapter order (from the registry).

    >>> list(chapters())
    ['ozcan', 'pallas', 'xian', 'patina']
    """
    out: dict[str, list[Paper]] = {}
    for paper in registry(root):
        out.setdefault(paper.chapter, []).append(paper)
    return out


def links_html(folder: str) -> str:
    """The downloads page's list of handouts: one link per paper chapter to ``folder/<chapter>.pdf``,
    named by the chapter's paper title (as the handout's own heading).

    >>> links_html("h").startswith('<ul class="recheck-handouts"><li><a href="h/ozcan.pdf">')
    True
    """
    items = "".join(f'<li><a href="{_e(folder)}/{_e(chapter)}.pdf">{_e(papers[0].title)}</a></li>'
                    for chapter, papers in chapters().items())
    return f'<ul class="recheck-handouts">{items}</ul>'


def chapter_issues(findings: pd.DataFrame) -> pd.DataFrame:
    """The distinct issues of *findings* as the chapter lists them (:func:`recheck.findings.issue_table`),
    numbered from 1, with the ``check`` and ``recomputed`` text of each issue's most severe finding."""
    from .findings import issue_table
    issues = issue_table(findings)
    lead = findings.set_index("id")[["check", "recomputed"]]
    issues = issues.join(lead, on="lead")
    issues.insert(0, "number", range(1, len(issues) + 1))
    return issues


# --- the document ---------------------------------------------------------------------------

_CSS = """
@page { size: A4; }   /* margins: tools/handouts.py, which puts the page numbers in them */
html { font: 9pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; }
body { margin: 0; }
h1 { font-size: 15pt; margin: 0 0 0.3em; }
h2 { font-size: 11.5pt; margin: 1.1em 0 0.4em; break-after: avoid; }
p { margin: 0.35em 0; }
.source { margin: 0.15em 0; }
.synthetic { border-left: 3pt solid #555; padding: 0.2em 0.6em; background: #f2f2f2; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0; }
th, td { border-bottom: 0.5pt solid #bbb; padding: 0.2em 0.3em; text-align: left; vertical-align: top; }
th { font-weight: 600; border-bottom: 1pt solid #333; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
ol.issues { list-style: none; padding: 0; margin: 0.3em 0; columns: 2; column-gap: 6mm;
  font-size: 7.5pt; line-height: 1.28; }
li.issue { break-inside: avoid; border-top: 0.5pt solid #bbb; padding: 0.25em 0 0.35em; }
li.issue p { margin: 0.1em 0; }
li.issue .n { font-weight: 700; }
li.issue .label { color: #555; font-style: italic; }
li.issue .values { overflow-wrap: anywhere; }
li.issue .why { color: #333; }
.severity { font-weight: 600; text-transform: uppercase; font-size: 0.85em; }
.verdict { border-left: 0.6em solid; padding-left: 0.3em; white-space: nowrap; }
.questions { break-before: page; }
.questions ol { padding-left: 2.2em; }
.questions li { margin: 0 0 1.1em; break-inside: avoid; }
.notes { border-top: 0.5pt solid #bbb; height: 1.6em; }
.legend { font-size: 8pt; color: #333; }
"""

_SEVERITY_MEANING = {
    "decisive": "the conclusion at the stated α flips",
    "major": "a number that cannot be right, or an effect the design builds in",
    "minor": "a slip within a unit of the last printed digit, or one that changes no conclusion",
}


def _e(value: object) -> str:
    return html.escape(str(value))


def _verdict(verdict: str) -> str:
    return f'<span class="verdict" style="border-color:{VERDICT_COLOURS[verdict]}">{_e(verdict)}</span>'


def _counts(findings: pd.DataFrame, papers: list[Paper]) -> str:
    """Findings by source × verdict (:func:`recheck.show.verdict_counts`; the verdicts the chapter
    has, most severe first), with each source's flags and distinct issues."""
    counts = verdict_counts(findings)
    present = [v for v in SEVERITY_ORDER if counts[v].sum()]
    head = "".join(f'<th class="num">{_verdict(v)}</th>' for v in present)
    rows = []
    for paper in papers:
        mine = counts.loc[paper.id] if paper.id in counts.index else counts.sum() * 0
        flags = findings[(findings["source"] == paper.id) & findings["verdict"].isin(FLAGS)]
        cells = "".join(f'<td class="num">{int(mine[v]):,}</td>' for v in present)
        rows.append(f'<tr><td>{_e(paper.id)}</td><td class="num">{int(mine.sum()):,}</td>'
                    f'<td class="num">{len(flags):,}</td><td class="num">{flags["issue"].nunique():,}</td>'
                    f"{cells}</tr>")
    return ('<table class="counts"><thead><tr><th>source</th><th class="num">findings</th>'
            f'<th class="num">flags</th><th class="num">issues</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _bottom_line(findings: pd.DataFrame, issues: pd.DataFrame) -> str:
    """The chapter's bottom line, the sentence its page opens with (:func:`recheck.render.bottom_line`)."""
    text = bottom_line(findings["verdict"].value_counts().to_dict(), issues["severity"].value_counts().to_dict())
    return f"<p><strong>Bottom line.</strong> {_e(text)}</p>"


_EXPLAINED = ("decisive", "major")
"""Severities whose explanation the handout prints; a minor issue's is in the chapter (so that a
paper with forty issues still fits four pages)."""


def _issues(issues: pd.DataFrame) -> str:
    """The issues as a numbered list in two columns: per issue its severity and verdict, what and
    where, what is printed and what recomputation gives, and (:data:`_EXPLAINED`) why.  Not a
    table: explanations run to several sentences, which a column would turn into a ribbon."""
    items = "".join(
        f'<li class="issue" data-severity="{_e(r.severity)}">'
        f'<p class="head"><span class="n">{r.number}</span> '
        f'<span class="severity">{_e(r.severity)}</span> {_verdict(r.verdict)} '
        f"<strong>{_e(r.quantity)}</strong> — {_e(r.location)}</p>"
        f'<p class="values"><span class="label">printed</span> {_e(r.reported)}<br>'
        f'<span class="label">recomputed</span> {_e(r.recomputed or "—")}</p>'
        + (f'<p class="why">{_e(r.explanation)}</p>' if r.severity in _EXPLAINED else "") + "</li>"
        for r in issues.itertuples())
    return f'<ol class="issues">{items}</ol>'


def handout_html(chapter: str, findings: pd.DataFrame | None = None) -> str:
    """The handout of one paper chapter (``book/<chapter>.md``) as a complete HTML document.

    Parameters
    ----------
    chapter
        A chapter of :func:`chapters` (``"ozcan"``).
    findings
        The findings to lay out; only those of the chapter's papers are used.  Default: every
        finding of those papers (:func:`recheck.findings.all_findings`).

    Returns
    -------
    str
        HTML with its style inline and nothing to fetch, so that a browser prints it offline.

    Raises
    ------
    KeyError
        If *chapter* is no paper's chapter.
    """
    papers = chapters()[chapter]
    ids = [p.id for p in papers]
    if findings is None:
        from .findings import all_findings
        findings = all_findings(tuple(ids))
    findings = findings[findings["source"].isin(ids)].reset_index(drop=True)
    issues = chapter_issues(findings)
    title = papers[0].title
    sources = "".join(f'<p class="source"><strong>{_e(p.title)}.</strong> {_e(p.citation)}</p>'
                      for p in papers)
    asked = "".join(f"<li>{_e(q)}<div class=\"notes\"></div></li>" for q in questions(issues, findings))
    legend = "; ".join(f"<em>{s}</em>: {m}" for s, m in _SEVERITY_MEANING.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(title)} — journal-club handout</title>
<style>{_CSS}</style></head><body>
<h1>{_e(title)}</h1>
{sources}
<p class="synthetic">{_e(SYNTHETIC_NOTE)} Every number below is computed by the recheck engine from
what the source prints; the book's chapter <code>book/{_e(chapter)}</code> has the evidence for each.</p>
{_bottom_line(findings, issues)}
{_counts(findings, papers)}
<h2>The issues, most severe first</h2>
<p class="legend">Each item is one distinct problem; the findings about the same printed number are
counted once. {legend}. A minor issue's explanation is in the chapter.</p>
{_issues(issues)}
<section class="questions"><h2>Questions for a journal club</h2>
<p class="legend">One question per kind of issue, most severe first; the numbers are those of the issues.</p>
<ol>{asked}</ol>
</section>
</body></html>
"""
