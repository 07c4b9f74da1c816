"""One module per source: ``findings()`` computes every finding from ``data/`` alone.

Modules with a reconstructed cohort also expose ``reconstruct() -> list[Path]``,
which regenerates ``data/<source>/reconstructed/`` deterministically.
"""

from __future__ import annotations

import importlib
from pathlib import Path

__all__ = ["reconstruct_all"]


def reconstruct_all(sources) -> list[Path]:
    """Regenerate the reconstructed cohorts of *sources* (those that have one)."""
    written: list[Path] = []
    for name in dict.fromkeys(s.replace("-news", "") for s in sources):
        module = importlib.import_module(f"{__name__}.{name}")
        if hasattr(module, "reconstruct"):
            written += module.reconstruct()
    return written
