"""Findings: one row per checked statement, in one schema for every source.

Each source module in :mod:`recheck.sources` exposes ``findings() -> list[Finding]``,
computed from ``data/`` alone.  :func:`all_findings` gathers them for the command
line (``python -m recheck findings``) and for the book.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import asdict, dataclass, fields

import pandas as pd

from .judge import VERDICTS, Judgement

__all__ = ["Finding", "SOURCES", "COLUMNS", "all_findings", "findings_frame", "from_judgement"]

SOURCES = ("ozcan", "ozcan-news", "pallas", "xian", "patina")
"""Every source the book checks, in the order of the chapters."""

# The module that computes each source's findings (ozcan-news lives with ozcan).
_MODULES = {"ozcan": "ozcan", "ozcan-news": "ozcan", "pallas": "pallas", "xian": "xian",
            "patina": "patina"}

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.:_-]*$")


@dataclass(frozen=True)
class Finding:
    """One check of one printed statement."""

    id: str
    """Stable across builds: ``<source>:<what>``, e.g. ``ozcan:orr-her2low-grim``."""
    source: str
    location: str
    """Where in the source: ``Table 2, ORR row``, ``Abstract``, ``Results 3.3``."""
    quantity: str
    reported: str
    """As printed."""
    recomputed: str
    check: str
    """Which check: ``percent-of-n``, ``table-p``, ``ratio-ci``, ``cross-location``…"""
    verdict: str
    explanation: str

    def __post_init__(self):
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}; use one of {SOURCES}")
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; use one of {VERDICTS}")
        if not _ID_RE.match(self.id) or not self.id.startswith(self.source + ":"):
            raise ValueError(f"finding id {self.id!r} must be '{self.source}:' + lower-case slug")


COLUMNS = tuple(f.name for f in fields(Finding))


def from_judgement(id: str, source: str, location: str, quantity: str, reported: str,
                   check: str, judgement: Judgement) -> Finding:
    """A :class:`Finding` carrying a :class:`~recheck.judge.Judgement`."""
    return Finding(id, source, location, quantity, reported, judgement.recomputed, check,
                   judgement.verdict, judgement.explanation)


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a DataFrame with exactly :data:`COLUMNS`; ids must be unique."""
    df = pd.DataFrame([asdict(f) for f in findings], columns=list(COLUMNS))
    dup = df["id"][df["id"].duplicated()]
    if not dup.empty:
        raise ValueError(f"duplicate finding ids: {sorted(set(dup))}")
    return df


def all_findings(sources: tuple[str, ...] = SOURCES) -> pd.DataFrame:
    """Every finding of the given sources, computed from ``data/``."""
    collected: list[Finding] = []
    for module_name in dict.fromkeys(_MODULES[s] for s in sources):
        module = importlib.import_module(f"recheck.sources.{module_name}")
        collected.extend(f for f in module.findings() if f.source in sources)
    return findings_frame(collected)
