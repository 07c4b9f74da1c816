"""A secondary report (a news write-up) against the paper it reports on.

For a paper whose ``paper.toml`` says ``kind = "secondary"`` and ``reports_on = "<id>"``:

* every keyed number it prints is compared with every place the source prints the same key
  (component by component, as :mod:`recheck.checks.mentions` compares places);
* ``statements.csv`` (its claims about the study) and ``quotes.csv`` (its quotations, and
  whether their context was kept) are readings: each row carries the book's verdict and
  reason, validated here.
"""

from __future__ import annotations

import math

from ..data import DataError
from ..extract import MAIN_ORDER, mentions, split_keys
from ..judge import VERDICTS
from ..paper import Paper, get_paper
from ..render import register
from ..reported import parse_count
from ._base import slug, to_findings
from .mentions import compare_mentions
from .percent import counts_for_percent
from .readings import READING_SHARPNESS, readings

__all__ = ["secondary_map", "findings"]

register("secondary-vs-source", recomputed="source: {shown}",
         not_checkable="The source does not print this quantity, so the report's figure cannot "
                       "be traced to it.",
         consistent="The report prints {printed}, as the source does everywhere.",
         inconsistent="The report prints {printed}, which the source prints nowhere (it has "
                      "{disagree}).")
register("secondary-vs-source:inherits", recomputed="source: {shown}",
         inconsistent="The report prints {printed}, which follows the source at {agree}; but the "
                      "source also prints {disagree}, so the report inherits the source's "
                      "contradiction without saying so.")
register("secondary-vs-source:resolved", recomputed="source: {shown}",
         consistent="The report prints {printed}, as the source does at {agree}. The source also prints "
                    "{disagree}, but no whole count of its n = {n:,} gives that; {printed} is the value the "
                    "source's own numbers allow, so the report took the right one.")
register("statement-vs-source", recomputed="source: {source_location}", **{"*": "{reason}"})
register("quote-context", recomputed="source: {source_location}", **{"*": "{reason}"})


def _percent_denominators(source: Paper) -> dict[str, int]:
    """key → the n of a percentage the source prints with its denominator (``proportions.csv``)."""
    if not source.has("proportions.csv"):
        return {}
    df = source.read("proportions.csv")
    return {k: parse_count(n) for keys, n in zip(df["key"], df["n"]) if n
            for col, k in split_keys(keys) if col in (None, "percent")}


def _possible(printed: str, n: int | None) -> bool | None:
    """Whether some whole count of *n* prints this percentage (None: n unknown)."""
    return None if n is None else bool(counts_for_percent(printed.rstrip("%") + "%", n))


def secondary_map(report: Paper, source: Paper):
    """One row per key the report prints: the source's printings that agree and disagree, and
    the loosest comparison's ``sharpness`` (:func:`~recheck.checks.mentions.agreement_sharpness`).

    Where the source contradicts itself on a percentage, the report is judged against the
    printing the source's own n allows: following the only possible value is not inheriting
    the contradiction (``resolved``)."""
    denominators = _percent_denominators(source)
    mine, theirs = mentions(report), mentions(source)
    read = readings(source)
    rows = []
    for key, m in mine.groupby("key", sort=False):
        ref = theirs[(theirs["key"] == key) & ~theirs["approximate"]]  # approximate: not judged
        kinds = set(ref["component"])
        main = next((k for k in MAIN_ORDER if k in kinds), None)
        m = m.assign(component=[main if c in ("value", "estimate", "percent") and c not in kinds and main
                                else c for c in m["component"]])
        if "text" in set(m["component"]) | kinds:
            m = m.assign(component="text", printed=m["text"])
            ref = ref.assign(component="text", printed=ref["text"])
            if read.get(("cross-location", key), ("",))[0] == "consistent":
                # the source's wordings are read as one: the report agrees with any of them
                ref = ref.assign(printed=m["printed"].iloc[0])
        agree, disagree, impossible, sharpness = [], [], [], []
        for loc, sub in ref.groupby("location", sort=False):
            comps = [c for c in m["component"] if c in set(sub["component"])]
            if not comps:
                continue
            judged = [compare_mentions([("report", m[m["component"] == c]["printed"].iloc[0]),
                                        (loc, sub[sub["component"] == c]["printed"].iloc[0])], c,
                                       alpha=source.alpha) for c in comps]
            ok = all(j["verdict"] == "consistent" for j in judged)
            sharpness += [j["sharpness"] for j in judged]
            shown = "; ".join(dict.fromkeys(sub[sub["component"].isin(comps)]["text"]))
            (agree if ok else disagree).append(f"{shown} ({loc})")
            if not ok and comps == ["percent"]:
                impossible.append(_possible(sub["printed"].iloc[0], denominators.get(key)) is False)
        n = denominators.get(key)
        resolved = bool(agree and disagree and len(impossible) == len(disagree) and all(impossible)
                        and list(m["component"]) == ["percent"] and _possible(m["printed"].iloc[0], n))
        if not agree and not disagree:
            verdict = "not-checkable"
        elif not disagree or resolved:
            verdict = "consistent"
        else:
            verdict = "inconsistent"
        rows.append(dict(key=key, location="; ".join(dict.fromkeys(m["location"])),
                         what=m["what"].iloc[0], printed=m["text"].iloc[0], agree=agree, disagree=disagree, verdict=verdict,
                         resolved=resolved, n=n or 0, sharpness=max(sharpness, default=math.nan)))
    return rows


def _statement_rows(report: Paper):
    if not report.has("statements.csv"):
        return []
    df = report.read("statements.csv", {"id": None, "location": None, "statement": None,
                                        "paper_location": None, "verdict": None, "reason": None})
    out = []
    for line, (_, r) in zip(df.attrs["lines"], df.iterrows()):
        if r["verdict"] not in VERDICTS:
            raise DataError(report.path("statements.csv"), line, "verdict", f"{r['verdict']!r} is not a verdict")
        out.append(dict(slug=f"statement.{slug(r['id'])}", location=r["location"],
                        quantity="statement about the study", reported=f"“{r['statement']}”",
                        check="statement-vs-source", verdict=r["verdict"], reason=r["reason"],
                        sharpness=READING_SHARPNESS,
                        source_location=r["paper_location"]))
    return out


def _quote_rows(report: Paper):
    if not report.has("quotes.csv"):
        return []
    df = report.read("quotes.csv", {"id": None, "location": None, "quote": None, "paper_location": None,
                                    "context": None, "context_reason": None})
    out = []
    for line, (_, q) in zip(df.attrs["lines"], df.iterrows()):
        if q["context"] not in ("kept", "changed"):
            raise DataError(report.path("quotes.csv"), line, "context",
                            f"{q['context']!r} is not 'kept' or 'changed'")
        out.append(dict(slug=f"quote.{slug(q['id'])}", location=q["location"], quantity="quotation",
                        reported=f"“{q['quote']}”", check="quote-context", sharpness=READING_SHARPNESS,
                        verdict="consistent" if q["context"] == "kept" else "inconsistent",
                        reason=q["context_reason"], source_location=q["paper_location"]))
    return out


def findings(paper: Paper) -> list:
    """The report's numbers against its source, and its statements and quotations (readings)."""
    if paper.kind != "secondary":
        return []
    if not paper.reports_on:
        raise DataError(paper.path("paper.toml"), None, "paper.reports_on",
                        "a secondary report must name the paper it reports on")
    source = get_paper(paper.reports_on, paper.folder.parent)
    rows = []
    for r in secondary_map(paper, source):
        both = r["agree"] + r["disagree"]
        rows.append(dict(slug=f"vs-paper.{slug(r['key'])}", location=r["location"], quantity=r["what"],
                         reported=r["printed"], check="secondary-vs-source", verdict=r["verdict"],
                         printed=r["printed"], shown="; ".join(both), agree=", ".join(r["agree"]),
                         disagree=", ".join(r["disagree"]),
                         template="resolved" if r["resolved"] else "inherits" if r["agree"] and r["disagree"] else "",
                         n=r["n"], sharpness=r["sharpness"],
                         issue=f"{source.id}:{r['key']}" if r["verdict"] == "inconsistent" else ""))
    return to_findings(paper.id, rows + _statement_rows(paper) + _quote_rows(paper))
