"""Findings of every paper: one row per checked statement, in one schema (:mod:`recheck.schema`).

:func:`paper_findings` runs every check family on one paper (:func:`recheck.checks.check`);
:func:`all_findings` gathers the registered papers (:func:`recheck.paper.registry`) for the
command line (``python -m recheck findings``), the export and the book.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd

from .cache import cached_frame
from .judge import FLAGS, SEVERITY_ORDER
from .paper import Paper, get_paper, registry
from .schema import COLUMNS, Finding, findings_frame

__all__ = ["Finding", "COLUMNS", "SOURCES", "findings_frame", "paper_findings", "all_findings",
           "issue_table", "clear_caches"]

SOURCES = tuple(p.id for p in registry())
"""Every paper the book checks, in chapter order (from ``data/*/paper.toml``)."""


@cached_frame
def _paper_findings(paper: Paper) -> pd.DataFrame:
    """One paper's findings (cached on disk while nothing it reads changes: :mod:`recheck.cache`)."""
    from .checks import check
    return findings_frame(check(paper))


def paper_findings(paper: Paper | str) -> pd.DataFrame:
    """Every finding of one paper (a :class:`~recheck.paper.Paper` or a registered id)."""
    p = get_paper(paper) if isinstance(paper, str) else paper
    return _paper_findings(p).copy()


def _folder_findings(folder: Path) -> pd.DataFrame:
    from .paper import load_paper
    return _paper_findings(load_paper(folder))


def all_findings(sources: tuple[str, ...] | None = None, root: Path | str | None = None,
                 jobs: int = 1) -> pd.DataFrame:
    """Every finding of the given papers (default: all), in chapter order.

    With ``jobs > 1`` the papers are checked in that many worker processes (papers are
    independent; the result is the same frame).
    """
    papers = [p for p in registry(root) if sources is None or p.id in sources]
    if jobs > 1 and len(papers) > 1:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=min(jobs, len(papers))) as pool:
            frames = list(pool.map(_folder_findings, [p.folder for p in papers]))
    else:
        frames = [_paper_findings(p) for p in papers]
    return findings_frame([]) if not frames else pd.concat(frames, ignore_index=True)


def clear_caches() -> None:
    """Forget every cached file, paper and finding (after data change within one process)."""
    from . import paper as _paper
    from .checks import facts as _facts
    from .checks import survival as _survival
    from .extract import _mentions_cached
    _paper_findings.cache_clear()
    _mentions_cached.cache_clear()
    _survival.logrank_simulations.cache_clear()
    _facts._facts.cache_clear()
    for paper in registry():
        if not paper.analysis:
            continue
        for obj in vars(importlib.import_module(f"recheck.papers.{paper.analysis}")).values():
            if hasattr(obj, "cache_clear"):
                obj.cache_clear()
    _paper._REGISTRY.clear()


_SEVERITY_RANK = {"decisive": 0, "major": 1, "minor": 2}


def issue_table(findings: pd.DataFrame) -> pd.DataFrame:
    """The distinct problems among the flags of *findings*, most severe first: one row per ``issue``.

    Columns: ``issue``, ``source``, ``severity`` (the most severe of its flags), ``verdict`` (the
    worst), ``n_flags``, ``lead`` (the id of its most severe flag, listed first), ``location``,
    ``quantity``, ``reported`` and ``explanation`` of that flag, and ``ids`` (every flag of the
    issue, ``;``-separated).  Ties keep the findings' order.

    >>> f = findings_frame([Finding(id="x:a", source="x", location="T1", quantity="q", reported="1",
    ...     recomputed="", check="table-p", verdict="variant", explanation="e"),
    ...     Finding(id="x:b", source="x", location="T2", quantity="q", reported="2", recomputed="",
    ...     check="table-p", verdict="gross", explanation="f", issue="x:a")])
    >>> issue_table(f)[["issue", "severity", "verdict", "n_flags", "lead"]].values.tolist()
    [['x:a', 'decisive', 'gross', 2, 'x:b']]
    """
    flags = findings[findings["verdict"].isin(FLAGS)].copy()
    columns = ["issue", "source", "severity", "verdict", "n_flags", "lead", "location", "quantity",
               "reported", "explanation", "ids"]
    if flags.empty:
        return pd.DataFrame(columns=columns)
    verdict_rank = {v: i for i, v in enumerate(SEVERITY_ORDER)}
    flags["_order"] = range(len(flags))
    flags["_rank"] = list(zip(flags["severity"].map(_SEVERITY_RANK), flags["verdict"].map(verdict_rank),
                              flags["_order"]))
    rows = []
    for issue, g in flags.groupby("issue", sort=False):
        g = g.sort_values("_rank")
        lead = g.iloc[0]
        rows.append(dict(issue=issue, source=lead["source"], severity=lead["severity"], verdict=lead["verdict"],
                         n_flags=len(g), lead=lead["id"], location=lead["location"], quantity=lead["quantity"],
                         reported=lead["reported"], explanation=lead["explanation"], ids=";".join(g["id"]),
                         _rank=lead["_rank"]))
    out = pd.DataFrame(rows).sort_values("_rank", kind="stable").drop(columns="_rank")
    return out.reset_index(drop=True)[columns]
