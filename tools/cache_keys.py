"""Key the notebook execution cache on what the chapters read, not only on their code.

jupyter-cache hashes a notebook's code cells; it cannot see that a chapter's output
also depends on ``src/``, on its ``data/`` folders and on the pinned requirements.
Before each build this script hashes those inputs for every chapter and, for each
chapter whose hash changed since the last build, drops its cached execution and
marks the page as changed for Sphinx (by touching it), so that it is re-executed.
A rebuild with nothing changed re-executes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"
KEYS = ROOT / "_build" / "recheck-cache-keys.json"

COMMON = ["src", "requirements.txt", "constraints.txt", "pyproject.toml"]


def depends() -> dict[str, list[str]]:
    """What each chapter reads besides src/, from the registry of papers (data/*/paper.toml):
    its papers' folders, the papers they report on, and the facts file.  Pages that are no
    paper's chapter (findings, cross-study, data) read every data folder."""
    from recheck.paper import registry
    out: dict[str, list[str]] = {}
    for paper in registry(ROOT / "data"):
        folders = out.setdefault(f"book/{paper.chapter}.md", ["data/facts"])
        for name in (paper.id, paper.reports_on):
            if name and f"data/{name}" not in folders:
                folders.append(f"data/{name}")
    return out


def _files(rel: str) -> list[Path]:
    path = ROOT / rel
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def digest(chapter: str) -> str:
    """Hash of the contents (and names) of every input of *chapter* besides its code."""
    h = hashlib.sha256()
    for rel in COMMON + depends().get(chapter, ["data"]):
        for f in _files(rel):
            h.update(str(f.relative_to(ROOT)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def notebooks() -> list[str]:
    """Every MyST notebook page of the book (those with a kernelspec)."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "book").glob("*.md")
                  if "kernelspec:" in p.read_text(encoding="utf-8")[:400])


def main() -> None:
    old = json.loads(KEYS.read_text()) if KEYS.exists() else {}
    new = {nb: digest(nb) for nb in notebooks()}
    stale = [nb for nb in new if old.get(nb) != new[nb]]
    if stale and CACHE.exists():
        from jupyter_cache import get_cache

        cache = get_cache(CACHE)
        for record in cache.list_cache_records():
            if any(str(record.uri).endswith(nb) for nb in stale):
                cache.remove_cache(record.pk)
    for nb in stale:
        if old:  # on a first build everything executes anyway
            os.utime(ROOT / nb)
            print(f"inputs changed, will re-execute: {nb}")
    KEYS.parent.mkdir(parents=True, exist_ok=True)
    KEYS.write_text(json.dumps(new, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
