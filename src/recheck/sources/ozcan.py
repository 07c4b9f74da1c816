"""Findings for the Ozcan chapter and its news write-up, computed from ``data/ozcan*/``."""

from __future__ import annotations

from ..findings import Finding
from .common import standard_findings

SOURCE = "ozcan"


def findings() -> list[Finding]:
    """Every finding for the paper (``ozcan``) and the news write-up (``ozcan-news``)."""
    return standard_findings(SOURCE)
