"""Every chapter's outputs, as the build executed them, are compared with its committed reference.

pytest-notebook reads .ipynb only, so the references in tests/notebooks/ are executed
copies of the MyST chapters (``make references``).  A reference must also have the
same cell sources as the chapter now, so that a stale reference cannot pass.

The executed chapters are the ones ``make book`` put in its execution cache (``make test``
builds first), so each chapter is executed once per test run, not twice; the test fails if
the cache is missing or older than the chapter's inputs (``tools/cache_keys.py`` keys it on
``src/``, ``data/`` and the pins).  The comparison is pytest-notebook's own diff, with its
ignore and replace rules, after a quick cell-by-cell check that passes identical chapters at once
and reports a changed large cell (a 1,000-row table) with difflib.
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


def _shown(cell) -> str:
    """A code cell's source and outputs, less what DIFF_IGNORE ignores (a subset of it), as lines
    of text: each output's texts line by line, so that difflib can point at the line that changed."""
    import json
    lines = ["[source]", *cell.source.splitlines()]
    for o in cell.get("outputs", []):
        rest = {k: v for k, v in o.items() if k not in ("execution_count", "data", "text")}
        lines.append(f"[output] {json.dumps(rest, sort_keys=True)}")
        texts = {"text": o["text"]} if "text" in o else {}
        texts.update((k, v) for k, v in o.get("data", {}).items() if k not in ("image/png", "image/svg+xml"))
        for kind, text in sorted(texts.items()):
            text = "".join(text) if isinstance(text, list) else text
            if kind == "text/html":     # one table row per line: pandas writes a table on few lines
                text = text.replace("</tr>", "</tr>\n")
            lines += [f"[{kind}]", *(text.splitlines() if isinstance(text, str) else [json.dumps(text, sort_keys=True)])]
    return "\n".join(lines)


BIG_CELL = 50_000
"""Characters beyond which a changed cell is reported by difflib: nbdime takes minutes over a
changed 1,000-row table (the findings page), long enough to look like a hang."""


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_outputs_regress(chapter):
    import difflib
    from pytest_notebook.diffing import diff_notebooks, diff_to_string, filter_diff
    from pytest_notebook.notebook import regex_replace_nb

    reference = nbformat.read(REFS / f"{chapter.stem}.ipynb", as_version=4)
    now = built(chapter)
    # the cache keeps the code cells only (the Markdown is checked by the test above)
    for nb in (reference, now):
        nb.cells = [c for c in nb.cells if c.cell_type == "code"]
    reference, now = regex_replace_nb(reference, DIFF_REPLACE), regex_replace_nb(now, DIFF_REPLACE)
    if len(reference.cells) == len(now.cells):
        changed = [(a, b) for a, b in zip(reference.cells, now.cells) if _shown(a) != _shown(b)]
        if not changed:
            return      # nothing nbdime could report: what it ignores, this ignores too, or less
        big = next(((a, b) for a, b in changed if max(len(_shown(a)), len(_shown(b))) > BIG_CELL), None)
        if big is not None:
            lines = difflib.unified_diff(_shown(big[0]).splitlines(), _shown(big[1]).splitlines(),
                                         "reference", "built", n=1, lineterm="")
            pytest.fail(f"{chapter.name} shows something else than its reference in {len(changed)} cell(s) "
                        "(review, then `make references`); the first large one:\n"
                        + "\n".join(line[:200] for line in list(lines)[:80]))
    diff = filter_diff(diff_notebooks(reference, now), set(DIFF_IGNORE))
    assert not diff, (f"{chapter.name} shows something else than its reference (review, then `make references`):\n"
                      + diff_to_string(reference, diff, use_color=False)[:20000])
