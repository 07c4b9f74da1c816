"""Every chapter's outputs, as the build executed them, are compared with its committed reference.

pytest-notebook reads .ipynb only, so the references in tests/notebooks/ are executed
copies of the MyST chapters (``make references``).  A reference must also have the
same cell sources as the chapter now, so that a stale reference cannot pass.

The executed chapters are the ones ``make book`` put in its execution cache (``make test``
builds first), so each chapter is executed once per test run, not twice; the test fails if
the cache is missing or older than the chapter's inputs (``tools/cache_keys.py`` keys it on
``src/``, ``data/`` and the pins).  The comparison is pytest-notebook's own diff, with its
ignore and replace rules.
"""

from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK, REFS = ROOT / "book", ROOT / "tests" / "notebooks"
CHAPTERS = sorted(p for p in BOOK.glob("*.md") if "kernelspec:" in p.read_text()[:400])

pytestmark = pytest.mark.notebooks


def sources(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_reference_matches_chapter_source(chapter):
    ref = REFS / f"{chapter.stem}.ipynb"
    assert ref.exists(), f"no reference for {chapter.name}: run `make references`"
    assert sources(jupytext.read(ref)) == sources(jupytext.read(chapter)), (
        f"{ref.name} is stale: its cells differ from {chapter.name}; run `make references`")


DIFF_IGNORE = (
    "/metadata",
    "/cells/*/id",
    "/cells/*/execution_count",
    "/cells/*/metadata",
    "/cells/*/outputs/*/execution_count",
    "/cells/*/outputs/*/data/image/png",      # bytes differ across font builds
    "/cells/*/outputs/*/data/image/svg+xml",
)
DIFF_REPLACE = (
    ("/cells/*/outputs", r"0x[0-9a-fA-F]{6,}", "0xADDRESS"),
    ("/cells/*/outputs", r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?", "TIMESTAMP"),
)


def built(chapter: Path):
    """The chapter as ``make book`` executed it, from the execution cache."""
    import json
    import sys
    sys.path.insert(0, str(ROOT / "tools"))
    from cache_keys import CACHE, KEYS, digest
    from execute import _read
    from jupyter_cache import get_cache

    rel = str(chapter.relative_to(ROOT))
    keys = json.loads(KEYS.read_text()) if KEYS.exists() else {}
    if keys.get(rel) != digest(rel):
        pytest.fail(f"the build's execution of {rel} is missing or older than its inputs: run `make book`")
    try:
        record = get_cache(CACHE).match_cache_notebook(_read(chapter))
    except KeyError:
        pytest.fail(f"{rel} has no cached execution: run `make book` (make test does)")
    return get_cache(CACHE).get_cache_bundle(record.pk).nb


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_outputs_regress(chapter):
    from pytest_notebook.diffing import diff_notebooks, diff_to_string, filter_diff
    from pytest_notebook.notebook import regex_replace_nb

    reference = nbformat.read(REFS / f"{chapter.stem}.ipynb", as_version=4)
    now = built(chapter)
    # the cache keeps the code cells only (the Markdown is checked by the test above)
    for nb in (reference, now):
        nb.cells = [c for c in nb.cells if c.cell_type == "code"]
    diff = filter_diff(diff_notebooks(regex_replace_nb(reference, DIFF_REPLACE), regex_replace_nb(now, DIFF_REPLACE)),
                       set(DIFF_IGNORE))
    assert not diff, (f"{chapter.name} shows something else than its reference (review, then `make references`):\n"
                      + diff_to_string(reference, diff, use_color=False)[:20000])
