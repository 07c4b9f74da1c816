"""A paper is a folder: ``data/<id>/paper.toml`` beside the CSVs that hold what it prints.

``paper.toml`` is small and declarative (see ``data/SCHEMA.md``): the citation, the chapter,
the software and tests the paper states, which table columns are the compared groups and
which is their total, the labels that mean *missing*, the rows that are not mutually
exclusive, the links between prose and table cells, the flow equations, and the inferences
findings may rest on.  Nothing in it is a verdict or a recomputed number.

:func:`registry` reads every ``data/*/paper.toml``; findings, the book, the cache keys and
the table-of-contents test all take their list of papers from it.

>>> [p.id for p in registry()][:3]
['ozcan', 'ozcan-news', 'pallas']
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from .data import DataError, data_dir, read_csv, SCHEMAS

__all__ = ["Paper", "TableSpec", "load_paper", "registry", "get_paper", "KINDS"]

KINDS = ("paper", "secondary", "summary")
"""``paper``: a primary publication; ``secondary``: a report of another paper (``reports_on``);
``summary``: a narrative summary checked against the facts file."""

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# Every key paper.toml may hold, with its type; anything else is a typo and an error.
_TOP = {"paper": dict, "tests": dict, "tables": list, "links": list, "flow": list,
        "percentages": list, "inferences": dict, "survival": dict, "reconstruction": dict,
        "readings": dict}
_PAPER = {"id": str, "title": str, "citation": str, "chapter": str, "order": int, "kind": str,
          "reports_on": str, "software": str, "alpha": float, "analysis": str, "seed": int}
_SURVIVAL = {"logrank": (str, list), "reps": int, "events": str, "window": str, "follow_up": str,
             "skip": list, "ph": list, "exponential": list, "ci_events": list}
_TABLE = {"name": str, "groups": list, "total": str, "missing": list, "non_exclusive": list,
          "subrows": dict, "n_from": str, "test": str}


@dataclass(frozen=True)
class TableSpec:
    """How to read one table of counts (``categorical.csv`` rows with this ``table``)."""

    name: str
    groups: tuple[str, ...] = ()
    """The compared columns; empty: every column of the table."""
    total: str = ""
    """A column that is the sum of the compared groups (*All patients*), checked but not tested."""
    missing: tuple[str, ...] = ()
    """Category labels that mean *missing/unknown* beyond the standard ones."""
    non_exclusive: tuple[str, ...] = ()
    """Variables whose categories are yes/no rows of one n (a patient may be in several)."""
    subrows: dict[str, str] = field(default_factory=dict)
    """Variable → the variable whose category of the same name it breaks down (Table 4 sub-rows)."""
    test: str = ""
    """The test the table states for its p-values, when the rows do not say."""


@dataclass(frozen=True)
class Paper:
    """One source the book checks, read from its folder."""

    id: str
    folder: Path
    title: str
    citation: str
    chapter: str
    order: int
    kind: str = "paper"
    reports_on: str = ""
    software: str = ""
    alpha: float = 0.05
    analysis: str = ""
    """The module of :mod:`recheck.papers` holding this paper's own analyses, if any."""
    seed: int = 0
    tests: dict[str, str] = field(default_factory=dict)
    tables: dict[str, TableSpec] = field(default_factory=dict)
    links: tuple[dict[str, Any], ...] = ()
    flow: tuple[dict[str, Any], ...] = ()
    percentages: tuple[dict[str, Any], ...] = ()
    inferences: dict[str, str] = field(default_factory=dict)
    survival: dict[str, Any] = field(default_factory=dict)
    reconstruction: dict[str, Any] = field(default_factory=dict)
    readings: dict[str, Any] = field(default_factory=dict)

    def path(self, name: str) -> Path:
        """The file *name* of this paper's folder."""
        return self.folder / name

    def has(self, name: str) -> bool:
        """Whether the paper's folder has the file *name*."""
        return (self.folder / name).exists()

    def read(self, name: str, columns=None) -> pd.DataFrame:
        """``<folder>/<name>`` as strings, with the schema of a standard file (cached)."""
        key = (name, tuple(columns.items()) if columns else None)
        cache = self._cache
        if key not in cache:
            cache[key] = read_csv(self.path(name), columns or SCHEMAS.get(name))
        return cache[key]

    @cached_property
    def _cache(self) -> dict:
        return {}

    def table(self, name: str) -> TableSpec:
        """The declared layout of table *name* (defaults when ``paper.toml`` says nothing)."""
        return self.tables.get(name, TableSpec(name))

    def inference(self, key: str) -> str:
        """The sentence of a declared inference; a finding that rests on it names it."""
        if key not in self.inferences:
            raise DataError(self.path("paper.toml"), None, "inferences",
                            f"no inference {key!r} is declared")
        return self.inferences[key]

    def __hash__(self) -> int:  # frozen with dict fields: hash by identity of the folder
        return hash((self.id, str(self.folder)))

    def __eq__(self, other) -> bool:
        return isinstance(other, Paper) and (self.id, self.folder) == (other.id, other.folder)


def _check_types(path: Path, where: str, table: dict, schema: dict) -> None:
    for key, value in table.items():
        if key not in schema:
            raise DataError(path, None, f"{where}{key}", f"unknown key; use one of {', '.join(schema)}")
        want = schema[key]
        ok = isinstance(value, want) or (want is float and isinstance(value, int))
        if not ok or (want is int and isinstance(value, bool)):
            name = " or ".join(t.__name__ for t in want) if isinstance(want, tuple) else want.__name__
            raise DataError(path, None, f"{where}{key}", f"expected {name}, got {value!r}")


def load_paper(folder: Path | str) -> Paper:
    """Read ``<folder>/paper.toml`` into a :class:`Paper`.

    Raises
    ------
    DataError
        If the file is missing, is not valid TOML (with its line and column), or holds an
        unknown key or a value of the wrong type.
    """
    folder = Path(folder)
    path = folder / "paper.toml"
    if not folder.is_dir():
        raise DataError(folder, None, None, "no such paper folder")
    if not path.exists():
        raise DataError(path, None, None, "file not found: every paper folder needs its paper.toml")
    raw = path.read_bytes()
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise DataError(path, None, None, f"not UTF-8 ({err.reason} at byte {err.start})") from None
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(err))
        line = int(m.group(1)) if m else None
        raise DataError(path, line, None, f"invalid TOML: {err}") from None
    _check_types(path, "", doc, _TOP)
    meta = doc.get("paper", {})
    _check_types(path, "paper.", meta, _PAPER)
    for required in ("id", "title", "citation", "chapter", "order"):
        if required not in meta:
            raise DataError(path, None, f"paper.{required}", "required key is missing")
    if not _ID_RE.match(meta["id"]) or meta["id"] != folder.name:
        raise DataError(path, None, "paper.id",
                        f"{meta['id']!r} must be the folder's name ({folder.name!r}), lower case")
    _check_types(path, "survival.", doc.get("survival", {}), _SURVIVAL)
    kind = meta.get("kind", "paper")
    if kind not in KINDS:
        raise DataError(path, None, "paper.kind", f"{kind!r} is not one of {KINDS}")
    tables = {}
    for i, t in enumerate(doc.get("tables", [])):
        _check_types(path, f"tables[{i}].", t, _TABLE)
        if "name" not in t:
            raise DataError(path, None, f"tables[{i}].name", "required key is missing")
        tables[t["name"]] = TableSpec(
            t["name"], tuple(t.get("groups", ())), t.get("total", ""), tuple(t.get("missing", ())),
            tuple(t.get("non_exclusive", ())), dict(t.get("subrows", {})), t.get("test", ""))
    return Paper(
        id=meta["id"], folder=folder, title=meta["title"], citation=meta["citation"],
        chapter=meta["chapter"], order=meta["order"], kind=kind,
        reports_on=meta.get("reports_on", ""), software=meta.get("software", ""),
        alpha=float(meta.get("alpha", 0.05)), analysis=meta.get("analysis", ""),
        seed=meta.get("seed", 0), tests=dict(doc.get("tests", {})), tables=tables,
        links=tuple(doc.get("links", ())), flow=tuple(doc.get("flow", ())),
        percentages=tuple(doc.get("percentages", ())), inferences=dict(doc.get("inferences", {})),
        survival=dict(doc.get("survival", {})), reconstruction=dict(doc.get("reconstruction", {})),
        readings=dict(doc.get("readings", {})))


_REGISTRY: dict[str, tuple[Paper, ...]] = {}


def registry(root: Path | str | None = None) -> tuple[Paper, ...]:
    """Every paper under ``data/`` (or *root*), in chapter order.

    A folder without ``paper.toml`` (``facts``, ``crossstudy``) is shared material, not a paper.
    """
    root = Path(root) if root is not None else data_dir()
    key = str(root.resolve())
    if key not in _REGISTRY:
        papers = [load_paper(p.parent) for p in sorted(root.glob("*/paper.toml"))]
        papers.sort(key=lambda p: (p.order, p.id))
        _REGISTRY[key] = tuple(papers)
    return _REGISTRY[key]


def get_paper(paper_id: str, root: Path | str | None = None) -> Paper:
    """The registered paper *paper_id*."""
    for p in registry(root):
        if p.id == paper_id:
            return p
    known = ", ".join(p.id for p in registry(root))
    raise DataError(Path(root or data_dir()) / paper_id, None, None,
                    f"no paper {paper_id!r} (paper.toml missing?); known: {known}")
