"""Every chapter is re-executed and its outputs compared with its committed reference.

pytest-notebook reads .ipynb only, so the references in tests/notebooks/ are executed
copies of the MyST chapters (``make references``).  A reference must also have the
same cell sources as the chapter now, so that a stale reference cannot pass.
"""

from pathlib import Path

import jupytext
import pytest
from pytest_notebook.nb_regression import NBRegressionFixture

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


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_outputs_regress(chapter):
    fixture = NBRegressionFixture(
        exec_timeout=600,
        exec_cwd=str(BOOK),
        diff_ignore=(
            "/metadata/language_info",
            "/metadata/widgets",
            "/cells/*/execution_count",
            "/cells/*/metadata",
            "/cells/*/outputs/*/execution_count",
            "/cells/*/outputs/*/data/image/png",      # bytes differ across font builds
            "/cells/*/outputs/*/data/image/svg+xml",
        ),
        diff_replace=(
            ("/cells/*/outputs", r"0x[0-9a-fA-F]{6,}", "0xADDRESS"),
            ("/cells/*/outputs", r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?", "TIMESTAMP"),
        ),
    )
    fixture.check(str(REFS / f"{chapter.stem}.ipynb"))
