"""Execute every chapter into tests/notebooks/<name>.ipynb, and write tests/golden/findings.csv.

Run it (``make references``) after a deliberate change to a chapter, to src/ or to
data/, then review the diff of the references and of the golden file like any other
change: they are the record of what the book shows and of every verdict.  With chapter
names as arguments, only those chapters are executed (the golden file is always written).
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BOOK, REFS = ROOT / "book", ROOT / "tests" / "notebooks"

sys.path.insert(0, str(ROOT / "tools"))
from cache_keys import notebooks  # noqa: E402


def execute(chapter: Path) -> nbformat.NotebookNode:
    """The chapter as an executed notebook (run in book/, as the build runs it), with nothing in
    it that changes from run to run: cell ids are their positions and execution timestamps are
    dropped, so a reference's diff shows only what the chapter shows differently."""
    nb = jupytext.read(chapter)
    nb.metadata.pop("jupytext", None)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(BOOK)}}).execute()
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"
        cell.metadata.pop("execution", None)
    return nb


GOLDEN = ROOT / "tests" / "golden" / "findings.csv"


def write_golden() -> None:
    """The findings export, exactly as ``python -m recheck findings`` prints it."""
    from recheck.findings import all_findings
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    all_findings().to_csv(GOLDEN, index=False, lineterminator="\n")
    print(GOLDEN.relative_to(ROOT))


def _write_reference(rel: str) -> str:
    out = REFS / f"{Path(rel).stem}.ipynb"
    nbformat.write(execute(ROOT / rel), out)
    return str(out.relative_to(ROOT))


def main(names: list[str]) -> None:
    write_golden()
    REFS.mkdir(parents=True, exist_ok=True)
    chosen = [rel for rel in notebooks() if not names or Path(rel).stem in names]
    # The chapters are independent: one per core (the findings cache is warm after the golden file).
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for out in pool.map(_write_reference, chosen):
            print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
