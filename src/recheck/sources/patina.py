"""Findings for the patina chapter, computed from ``data/patina/``.

So far only the whole-table checks of :mod:`recheck.sources.common` run here;
the chapter's own reconstruction and checks are still to come (see its issue).
"""

from __future__ import annotations

from ..data import data_dir
from ..findings import Finding
from .common import standard_findings

SOURCE = "patina"


def findings() -> list[Finding]:
    """Every finding for this source that its extracted data allow so far."""
    if not (data_dir() / SOURCE).exists():
        return []
    return standard_findings(SOURCE)
