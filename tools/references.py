"""Execute every chapter into tests/notebooks/<name>.ipynb, the regression references.

Run it (``make references``) after a deliberate change to a chapter, to src/ or to
data/, then review the diff of the references like any other change: it is the
record of what the book shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BOOK, REFS = ROOT / "book", ROOT / "tests" / "notebooks"

sys.path.insert(0, str(ROOT / "tools"))
from cache_keys import notebooks  # noqa: E402


def execute(chapter: Path) -> nbformat.NotebookNode:
    """The chapter as an executed notebook (run in book/, as the build runs it)."""
    nb = jupytext.read(chapter)
    nb.metadata.pop("jupytext", None)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(BOOK)}}).execute()
    return nb


def main(names: list[str]) -> None:
    REFS.mkdir(parents=True, exist_ok=True)
    for rel in notebooks():
        chapter = ROOT / rel
        if names and chapter.stem not in names:
            continue
        out = REFS / f"{chapter.stem}.ipynb"
        nbformat.write(execute(chapter), out)
        print(out.relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])
