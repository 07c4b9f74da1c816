"""Execute the chapters whose cached execution is missing, several at a time, before the build.

MyST-NB executes notebooks one after another while Sphinx reads the pages.  The chapters are
independent (each reads only ``data/`` and the findings cache that ``recheck export`` has just
filled), so on a machine with more than one core they can run side by side.  This script
reads each chapter exactly as MyST-NB does, executes the ones jupyter-cache has no match for
in a pool of worker processes, and stores each result in the same cache, the same way MyST-NB
would.  The build that follows then finds every chapter cached and executes nothing.

A chapter that fails here is not cached, so ``jupyter-book build`` executes it again and
reports the error in its usual way (and the build fails).  A chapter whose cached execution
wrote to stderr (a warning) fails this step, on every build until it is fixed.  Run after ``tools/cache_keys.py``,
which drops the cached executions whose inputs changed.

    python tools/execute.py            # as many workers as cores
    python tools/execute.py --jobs 1
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from cache_keys import CACHE, notebooks  # noqa: E402

READER = {"name": "myst_nb_md", "type": "plugin"}
"""How MyST-NB registers a MyST Markdown notebook with jupyter-cache."""

TIMEOUT = 600
"""Seconds per cell, as ``execute.timeout`` in ``_config.yml``."""


def _read(path: Path):
    from myst_nb.core.read import myst_nb_reader_plugin
    return myst_nb_reader_plugin(str(path))


def _execute(path: str) -> tuple[str, str | None, float, str]:
    """Execute one chapter in its own folder; return (path, notebook JSON or None, seconds, error)."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    nb = _read(Path(path))
    result = single_nb_execution(nb, cwd=str(Path(path).parent), timeout=TIMEOUT, allow_errors=False,
                                 meta_override=True)
    if result.err is not None:
        return path, None, result.time, f"{type(result.err).__name__}: {result.err}"
    return path, nbformat.writes(nb), result.time, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(CACHE)
    todo = []
    for rel in notebooks():
        path = ROOT / rel
        try:
            cache.match_cache_notebook(_read(path))
        except KeyError:
            todo.append(str(path))
    if not todo:
        return stderr_report(cache)
    # Longest first (file size is a fair proxy), so no worker is left with a long tail at the end.
    todo.sort(key=lambda p: Path(p).stat().st_size, reverse=True)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, len(todo)))) as pool:
        for path, text, seconds, error in pool.map(_execute, todo):
            rel = Path(path).relative_to(ROOT)
            if text is None:
                print(f"{rel}: failed after {seconds:.1f} s ({error}); the build will run it again and report it")
                continue
            record = cache.add_nb_to_project(path, read_data=READER)
            cache.cache_notebook_bundle(CacheBundleIn(nbformat.reads(text, as_version=4), record.uri,
                                                      data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            print(f"{rel}: executed in {seconds:.1f} s")
    print(f"executed {len(todo)} chapter(s) in {time.perf_counter() - start:.1f} s with {args.jobs} worker(s)")
    return stderr_report(cache)


def stderr_report(cache) -> int:
    """Print every cell of a cached chapter that wrote to stderr (a warning, say); 1 if any.

    MyST-NB only looks at the outputs of the cells it shows, and most of a chapter's computing
    happens in removed cells, so a warning there would reach no one.  Reading the cache, not
    this run's executions, makes a cached warning fail every build until it is fixed."""
    found = 0
    for rel in notebooks():
        try:
            record = cache.match_cache_notebook(_read(ROOT / rel))
        except KeyError:
            continue        # not cached: it failed above, and the build reports its error
        nb = cache.get_cache_bundle(record.pk).nb
        for i, cell in enumerate(nb.cells):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    first = next((line for line in out.get("text", "").splitlines() if line.strip()), "")
                    print(f"{rel}: cell {i + 1} writes to stderr: {first}", file=sys.stderr)
                    found += 1
    if found:
        print(f"{found} cell output(s) on stderr: fix them (a warning is a fault here)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
