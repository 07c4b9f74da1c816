"""Statements that rest on what the text does not print: *not-checkable*, and said so.

``not_checkable.csv`` lists them: ``location``, ``refers_to`` (the figure or supplementary
table that holds what a check would need), ``what`` (the statement) and ``note``.  Each is a
finding of its own, so that a reader sees what the book could not check, and why.
"""

from __future__ import annotations

from ..paper import Paper
from ..render import register
from ._base import slug, to_findings

__all__ = ["findings"]

register("supplement-only", recomputed="",
         not_checkable="Only in {refers_to}, which the text does not reproduce: {what_short}.")


def findings(paper: Paper) -> list:
    """One *not-checkable* finding per row of ``not_checkable.csv``."""
    if not paper.has("not_checkable.csv"):
        return []
    df = paper.read("not_checkable.csv", {"location": None, "refers_to": None, "what": None})
    rows = []
    for i, r in enumerate(df.to_dict("records")):
        rows.append(dict(slug=f"supplement.{slug(r['refers_to'])}.{i + 1}", location=r["location"],
                         quantity=f"depends on {r['refers_to']}", reported=r["what"][:200],
                         check="supplement-only", verdict="not-checkable", refers_to=r["refers_to"],
                         what_short=r["what"][:160].rstrip(".")))
    return to_findings(paper.id, rows)
