"""Files the site offers for download: the findings, and each chapter's data."""

from __future__ import annotations

import html
import os
import shutil
from pathlib import Path

from .data import data_dir
from .findings import all_findings
from .paper import registry

__all__ = ["export", "data_folders", "data_files_html"]


def data_folders() -> list[str]:
    """The data folders offered for download, in chapter order (plus the facts file)."""
    return [p.id for p in registry()] + [d for d in ("facts", "crossstudy") if (data_dir() / d).is_dir()]


def _files(name: str) -> list[Path]:
    """A data folder's files offered for download: its CSVs and its paper.toml."""
    folder = data_dir() / name
    return sorted(p for p in folder.rglob("*") if p.suffix in (".csv", ".toml") and p.is_file())


def export(folder: Path, jobs: int | None = None) -> list[Path]:
    """Write findings.csv, findings.json and a copy of every data CSV into *folder*.

    The papers are checked in *jobs* processes (default: one per core).
    """
    folder.mkdir(parents=True, exist_ok=True)
    df = all_findings(jobs=jobs or os.cpu_count() or 1)
    written = [folder / "findings.csv", folder / "findings.json"]
    df.to_csv(written[0], index=False, lineterminator="\n")
    written[1].write_text(df.to_json(orient="records", indent=2, force_ascii=False) + "\n",
                          encoding="utf-8")
    target = folder / "data"
    shutil.rmtree(target, ignore_errors=True)
    for name in data_folders():
        for src in _files(name):
            dst = target / name / src.relative_to(data_dir() / name)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            written.append(dst)
    return written


def data_files_html(prefix: str) -> str:
    """A list of download links, one section per data folder, marking synthetic files."""
    parts = []
    for name in data_folders():
        items = []
        for src in _files(name):
            rel = src.relative_to(data_dir() / name).as_posix()
            synthetic = " — <strong>synthetic</strong>" if rel.startswith("reconstructed/") else ""
            items.append(f'<li><a href="{prefix}/{name}/{html.escape(rel)}" download>'
                         f"{html.escape(rel)}</a>{synthetic}</li>")
        parts.append(f"<h3>{html.escape(name)}</h3><ul>{''.join(items)}</ul>")
    return "".join(parts)
