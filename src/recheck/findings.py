"""Findings of every paper: one row per checked statement, in one schema (:mod:`recheck.schema`).

:func:`paper_findings` runs every check family on one paper (:func:`recheck.checks.check`);
:func:`all_findings` gathers the registered papers (:func:`recheck.paper.registry`) for the
command line (``python -m recheck findings``), the export and the book.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paper import Paper, get_paper, registry
from .schema import COLUMNS, Finding, findings_frame

__all__ = ["Finding", "COLUMNS", "SOURCES", "findings_frame", "paper_findings", "all_findings",
           "clear_caches"]

SOURCES = tuple(p.id for p in registry())
"""Every paper the book checks, in chapter order (from ``data/*/paper.toml``)."""


@lru_cache(maxsize=64)
def _paper_findings(paper: Paper) -> pd.DataFrame:
    from .checks import check
    return findings_frame(check(paper))


def paper_findings(paper: Paper | str) -> pd.DataFrame:
    """Every finding of one paper (a :class:`~recheck.paper.Paper` or a registered id)."""
    p = get_paper(paper) if isinstance(paper, str) else paper
    return _paper_findings(p).copy()


def all_findings(sources: tuple[str, ...] | None = None, root: Path | str | None = None) -> pd.DataFrame:
    """Every finding of the given papers (default: all), in chapter order."""
    papers = [p for p in registry(root) if sources is None or p.id in sources]
    frames = [_paper_findings(p) for p in papers]
    return findings_frame([]) if not frames else pd.concat(frames, ignore_index=True)


def clear_caches() -> None:
    """Forget every cached file, paper and finding (after data change within one process)."""
    from . import paper as _paper
    from .checks import survival as _survival
    from .extract import _mentions_cached
    _paper._REGISTRY.clear()
    _paper_findings.cache_clear()
    _mentions_cached.cache_clear()
    _survival.logrank_simulations.cache_clear()
