"""Claims about other trials, against the facts file (``data/facts/published-trials.csv``).

``facts_claims.csv`` holds each claim a paper makes about another trial (``claim``, the
printed ``reported`` value), the facts rows that bear on it (``facts_rows``, ``;``-separated
row numbers of the facts file) and the book's reading of it against them (``verdict``,
``explanation``).  The reading is a judgement, so it lives in data; the engine checks that
it is well formed and that every facts row it cites exists, and shows the rows.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from ..data import DataError, data_dir
from ..paper import Paper
from ..render import register
from ._base import slug, to_findings
from .readings import READING_SHARPNESS

__all__ = ["VERDICT_CHOICES", "facts_path", "facts_table", "facts_rows_text", "findings"]

VERDICT_CHOICES = ("consistent", "inconsistent", "not-checkable")
FACTS = Path("facts") / "published-trials.csv"

register("claim-vs-facts", recomputed="{facts_text}", **{"*": "{explanation}"})


def facts_path(paper: Paper | None = None) -> Path:
    """The facts file beside the paper's folder (``data/facts/``), else the project's."""
    if paper is not None and (paper.folder.parent / FACTS).exists():
        return paper.folder.parent / FACTS
    return data_dir() / FACTS


@lru_cache(maxsize=4)
def _facts(path: str) -> dict[int, dict[str, str]]:
    p = Path(path)
    if not p.exists():
        raise DataError(p, None, None, "file not found: the facts file is part of data/")
    with p.open(newline="", encoding="utf-8") as fh:
        return {i: r for i, r in enumerate(csv.DictReader(fh), start=1)}


def facts_table(paper: Paper | None = None) -> dict[int, dict[str, str]]:
    """Facts row number (1-based, header not counted) → row."""
    return _facts(str(facts_path(paper)))


def facts_rows_text(numbers: str, paper: Paper | None = None) -> str:
    """``"21;22"`` → the figures of those facts rows, with their source and confidence."""
    facts = facts_table(paper)
    parts = []
    for n in [int(x) for x in numbers.split(";") if x.strip()]:
        r = facts[n]
        src = r["source"].split(". doi")[0]
        parts.append(f"row {n}: {r['trial']}, {r['quantity']} ({r['comparison']}) = {r['value']} "
                     f"[{src}; confidence {r['confidence']}]")
    return " | ".join(parts) if parts else "no facts row bears on this"


def _short(text: str, n: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def findings(paper: Paper) -> list:
    """One ``claim-vs-facts`` finding per row of ``facts_claims.csv``."""
    if not paper.has("facts_claims.csv"):
        return []
    df = paper.read("facts_claims.csv", {"id": None, "location": None, "claim": None, "facts_rows": None,
                                          "verdict": None, "explanation": None})
    path = paper.path("facts_claims.csv")
    facts = facts_table(paper)
    rows, seen = [], {}
    for line, r in zip(df.attrs["lines"], df.to_dict("records")):
        if r["id"] in seen:
            raise DataError(path, line, "id", f"{r['id']!r} already on line {seen[r['id']]}")
        seen[r["id"]] = line
        if r["verdict"] not in VERDICT_CHOICES:
            raise DataError(path, line, "verdict", f"{r['verdict']!r} is not one of {VERDICT_CHOICES}")
        if len(r["explanation"].strip()) < 20:
            raise DataError(path, line, "explanation", "an explanation a clinician can read is required")
        for n in filter(None, (x.strip() for x in r["facts_rows"].split(";"))):
            # ASCII digits only: "²" is a digit to str.isdigit but not to int(), and int("١٢") is 12
            if not (n.isascii() and n.isdigit()) or int(n) not in facts:
                raise DataError(path, line, "facts_rows", f"{n!r} is not a row of the facts file")
        quantity = f"{r['trial']}: {r['quantity']}" if r.get("trial") else r.get("quantity", "")
        rows.append(dict(slug=f"facts.{slug(r['id'])}", location=r["location"], quantity=quantity,
                         reported=r.get("reported") or f"“{_short(r['claim'])}”", check="claim-vs-facts",
                         verdict=r["verdict"], explanation_text=r["explanation"], sharpness=READING_SHARPNESS,
                         facts_text=facts_rows_text(r["facts_rows"], paper)))
    for f in rows:
        f["explanation"] = f.pop("explanation_text")
        f["recomputed"] = f.pop("facts_text")
    return to_findings(paper.id, rows)
