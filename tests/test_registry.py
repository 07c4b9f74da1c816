"""The one registry of papers (data/*/paper.toml) against the book and the code that use it."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from recheck.paper import registry

ROOT = Path(__file__).resolve().parents[1]


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def test_every_paper_has_its_chapter_in_the_table_of_contents():
    files = _toc_files()
    for paper in registry():
        assert f"book/{paper.chapter}" in files, paper.id
        assert (ROOT / "book" / f"{paper.chapter}.md").is_file(), paper.id


def test_every_page_of_the_book_is_in_the_table_of_contents():
    pages = {f"book/{p.stem}" for p in (ROOT / "book").glob("*.md")}
    assert pages == set(_toc_files())


def test_chapter_order_follows_the_registry():
    files = _toc_files()
    chapters = list(dict.fromkeys(p.chapter for p in registry()))
    assert [f for f in files if f.removeprefix("book/") in chapters] == [f"book/{c}" for c in chapters]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ("recheck.papers." if node.level == 1 else "recheck." if node.level == 2 else "")
            module = base + (node.module or "")
            names |= {module} | {f"{module}.{a.name}".replace("..", ".") for a in node.names}
    return names


def test_no_paper_module_imports_another():
    modules = {p.stem for p in (ROOT / "src" / "recheck" / "papers").glob("*.py") if p.stem != "__init__"}
    assert modules, "no paper modules found"
    for name in modules:
        imported = _imports(ROOT / "src" / "recheck" / "papers" / f"{name}.py")
        others = {f"recheck.papers.{m}" for m in modules - {name}}
        assert not imported & others, (name, imported & others)


def test_the_engine_imports_no_paper_module_by_name():
    """Only the registry names a paper's analysis module (recheck.checks imports it by its id)."""
    modules = {p.stem for p in (ROOT / "src" / "recheck" / "papers").glob("*.py") if p.stem != "__init__"}
    for path in (ROOT / "src" / "recheck").rglob("*.py"):
        if "papers" in path.parts:
            continue
        imported = _imports(path)
        assert not {n for n in imported for m in modules if n.startswith(f"recheck.papers.{m}")}, path
