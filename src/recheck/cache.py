"""A disk cache for results that take seconds: a paper's findings, its simulations.

A rebuild with nothing changed should re-run nothing, and every chapter process should not redo
what the export already computed.  Results are cached as CSV (floats written in full and read back
exactly, attributes in a JSON sidecar; no pickle) under ``_build/cache/``, keyed by a hash of
everything they are computed from: the paper's folder (and its source's, for a secondary report),
the facts file and the engine's code.  Only the project's own data folder is cached; set
``RECHECK_NO_CACHE=1`` to bypass it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Callable

import pandas as pd

from .data import data_dir
from .paper import Paper

__all__ = ["CACHE", "paper_digest", "cached_frame"]

_CODE = Path(__file__).resolve().parent
CACHE = _CODE.parents[1] / "_build" / "cache"


def paper_digest(paper: Paper) -> str:
    """Hash of everything a paper's results are computed from (20 hex digits)."""
    h = hashlib.sha256()
    folders = [paper.folder] + ([paper.folder.parent / paper.reports_on] if paper.reports_on else [])
    files = [f for d in folders for f in sorted(d.glob("*")) if f.is_file()]
    files += [paper.folder.parent / "facts" / "published-trials.csv"] + sorted(_CODE.rglob("*.py"))
    for f in files:
        if f.exists():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:20]


def _cacheable(paper: Paper) -> bool:
    return (paper.folder.resolve().parent == data_dir().resolve()
            and not os.environ.get("RECHECK_NO_CACHE"))


def cached_frame(fn: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Cache ``fn(paper, *args)`` → DataFrame on disk (and in memory), keyed by the paper's digest.

    The frame comes back with the same columns, dtypes of numbers and strings, and ``attrs``.
    """
    name = f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"

    @functools.lru_cache(maxsize=32)
    def wrapper(paper: Paper, *args) -> pd.DataFrame:
        if not _cacheable(paper):
            return fn(paper, *args)
        tag = hashlib.sha256(repr(args).encode()).hexdigest()[:8]
        path = CACHE / f"{paper.id}.{name}.{tag}.{paper_digest(paper)}.csv"
        meta = path.with_suffix(".json")
        if path.exists() and meta.exists():
            info = json.loads(meta.read_text(encoding="utf-8"))
            df = pd.read_csv(path, dtype=info["dtypes"], keep_default_na=False,
                             na_values={c: [""] for c, t in info["dtypes"].items() if t != "str"},
                             float_precision="round_trip")
            df.attrs.update(info["attrs"])
            return df
        df = fn(paper, *args)
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{paper.id}.{name}.{tag}.*"):
            old.unlink()
        # Written under a temporary name and renamed, so a process reading the cache at the same
        # time (chapters execute side by side) never sees half a file.
        dtypes = {c: ("str" if df[c].dtype == object else str(df[c].dtype)) for c in df.columns}
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.with_suffix(".json").write_text(json.dumps({"dtypes": dtypes, "attrs": df.attrs}, default=float),
                                            encoding="utf-8")
        df.to_csv(tmp, index=False, lineterminator="\n")
        os.replace(tmp.with_suffix(".json"), meta)
        os.replace(tmp, path)
        return df

    wrapper.__wrapped__ = fn
    wrapper.__doc__ = fn.__doc__
    return wrapper
