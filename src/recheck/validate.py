"""Every file under ``data/`` checked before anything is computed from it: ``recheck validate``.

:func:`validate` reads every CSV under a data folder — the papers' files, ``crossstudy/`` and
``facts/``, which only chapters read — and returns every problem it finds, each a
:class:`~recheck.data.DataError` naming file, line, column and the rule broken, instead of
stopping at the first:

* **text**: UTF-8 only (a byte-order mark is rejected, not stripped, so that the file on disk is
  the file that was checked), at most :data:`MAX_BYTES`, a header and at least one row;
* **shape**: every row as many fields as the header, no repeated column, the columns
  ``recheck.data.SCHEMAS`` requires, no repeated row;
* **cells**: no leading or trailing whitespace in an identifier or number (rejected: "61 " and
  "61" would otherwise be two keys or one count depending on the reader), and the typed columns of
  ``data/SCHEMA.md`` parse (counts at most :data:`MAX_COUNT`);
* **values**: percentages in 0–100, p in [0, 1] (the parser's rule), ratios and their CI limits
  > 0 with lower ≤ estimate ≤ upper and lower < upper, events and counts ≤ their n, landmark
  rates in 0–100 % (or 0–1), a readable p in a ``proportions.csv`` row;
* **references**: one n per group of a table, every ``categorical.csv`` group declared in
  ``groups.csv``, its counts ≤ that n, every category of a variable with a row for each of the
  variable's groups, two or more groups per compared proportion, unique row keys and
  ``reported.csv`` ids;
* **reconstructed cohorts**: present files carry their synthetic notice and are neither edited nor
  stale (:func:`recheck.reconstruct.read_cohort`).

Counts that do not add up to their group are *not* an error: papers print such tables, and the
``count-sum`` check reports them as findings.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from .data import COLUMN_KINDS, SCHEMAS, DataError, data_dir
from .extract import COMPONENT_COLUMNS, NO_MEDIAN, _cell_number
from .reported import ParseError, parse_count, parse_p, parse_value

__all__ = ["MAX_BYTES", "MAX_COUNT", "validate", "validate_file", "validate_paper"]

MAX_BYTES = 5_000_000
"""The largest data file read (the largest today is about 0.5 MB): a bigger one fails fast."""

MAX_COUNT = 10_000_000
"""No trial has ten million patients: a larger count is a typing error (and would make GRIM slow)."""

_IDENTIFIERS = {"id", "key", "table", "variable", "category", "group", "comparison", "endpoint", "measure"}
_PERCENT_COLUMNS = {"percent", "pcr_percent"}
_NUMBER_COLUMNS = set(COMPONENT_COLUMNS) | {"median_ci"}
"""Columns that hold a number even where the schema reads them as text (``"0.043 "`` beside
``"0.043"`` in a comparison's p is two printings, and changed the finding's id)."""
_LIMIT = 200


def _records(path: Path, problems: list[DataError]) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        problems.append(DataError(path, None, None, f"{len(data):,} bytes, more than the {MAX_BYTES:,} a data file may have"))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(DataError(path, 1, None, "starts with a byte-order mark (U+FEFF): save it as UTF-8 without one"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        problems.append(DataError(path, line, None, f"byte 0x{data[err.start]:02x} is not UTF-8: save the file as UTF-8"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        problems.append(DataError(path, 1, None, "empty file: no header row"))
        return None
    if len(set(header)) != len(header):
        problems.append(DataError(path, 1, None, "repeated column name in header"))
    missing = [c for c in SCHEMAS.get(path.name, {}) if c not in header]
    # the readers refuse such a file; after a repeated name (said above) a missing one is its echo
    if missing and len(set(header)) == len(header):
        problems.append(DataError(path, 1, missing[0], "required column is missing from the header"))
    records = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(DataError(path, reader.line_num, None, f"{len(row)} fields where the header has {len(header)}"))
            continue
        records.append((reader.line_num, row))
    if not records and not problems:
        problems.append(DataError(path, 1, None, "only a header: a file with no rows should not exist"))
    return header, records


def _number(text: str) -> float | None:
    try:
        return float(parse_value(text, lower_bound=None).value)
    except ParseError:
        return None


def _cell_problems(path: Path, header: list[str], records) -> Iterator[DataError]:
    kinds = SCHEMAS.get(path.name, {})
    seen: dict[tuple[str, ...], int] = {}
    for line, row in records:
        if tuple(row) in seen:
            yield DataError(path, line, None, f"repeats line {seen[tuple(row)]}")
        seen.setdefault(tuple(row), line)
        cells = dict(zip(header, row))
        bad = list(_cells(path, line, cells, kinds))
        yield from bad
        if not bad:          # rules across a row's cells only once each cell is readable
            yield from _row_rules(path, line, cells)


def _cells(path: Path, line: int, cells: dict, kinds) -> Iterator[DataError]:
    for col, value in cells.items():
        kind = kinds.get(col)
        if (kind or col in _IDENTIFIERS or col in _NUMBER_COLUMNS) and value != value.strip():
            yield DataError(path, line, col, f"{value!r} has leading or trailing whitespace")
            continue
        if kind and value:
            try:
                COLUMN_KINDS[kind](value)
            except ParseError as err:
                yield DataError(path, line, col, f"{value!r} is not a valid {kind}: {err}")
                continue
            if kind == "count" and parse_count(value) > MAX_COUNT:
                yield DataError(path, line, col, f"{value} is larger than any trial ({MAX_COUNT:,})")
        if col in _PERCENT_COLUMNS and value:
            try:
                r = parse_value(value.rstrip("%"), lower_bound=None)
            except ParseError:
                continue
            if r.relation != "=":   # GRIM needs the printed number; tables print none as a bound
                yield DataError(path, line, col, f"{value!r} is a bound: a table's percentage is printed as a number")
            elif not 0 <= r.value <= 100:
                yield DataError(path, line, col, f"a percentage of {value} is not in 0–100")


def _count(cells: dict, col: str) -> int | None:
    try:
        return parse_count(cells[col]) if cells.get(col, "").strip() else None
    except ParseError:
        return None


def _row_rules(path: Path, line: int, cells: dict) -> Iterator[DataError]:
    if path.name == "ratios.csv":
        est, lo, hi = (_number(cells.get(c, "")) if cells.get(c, "") else None for c in ("estimate", "ci_low", "ci_high"))
        nonpositive = [(col, x) for col, x in (("estimate", est), ("ci_low", lo), ("ci_high", hi))
                       if x is not None and x <= 0]
        if nonpositive:
            col = nonpositive[0][0]
            yield DataError(path, line, col, f"a ratio or its CI limit must be > 0, not {cells[col]}")
        elif lo is not None and hi is not None and lo >= hi:
            yield DataError(path, line, "ci_low", f"the CI's lower limit {cells['ci_low']} is not below its upper {cells['ci_high']}")
        elif est is not None and lo is not None and hi is not None and not lo <= est <= hi:
            yield DataError(path, line, "estimate", f"{cells['estimate']} lies outside its own CI {cells['ci_low']}–{cells['ci_high']}")
    if path.name == "survival.csv" and cells.get("rate", ""):
        yield from _rate_rule(path, line, cells["rate"])
    median = cells.get("median", "") if path.name == "survival.csv" else ""
    if median and median.lower() not in NO_MEDIAN and _number(median) is None:
        yield DataError(path, line, "median", f"{median!r} is neither a number nor one of {', '.join(NO_MEDIAN)}")
    if path.name == "proportions.csv" and cells.get("p", ""):
        # the cell is text ("all P value < 0.05"), but the comparison's p is judged from it
        try:
            parse_p(_cell_number(cells["p"], "p"))
        except ParseError as err:
            yield DataError(path, line, "p", f"{cells['p']!r} holds no p the comparison can be judged against: {err}")
    if path.name == "continuous.csv" and (n := _count(cells, "n")) is not None and n < 2:
        # a t-test from summary statistics divides by n − 1 (scipy raised ZeroDivisionError)
        printed = [c for c in ("sd", "mean", "median", "q1", "q3", "min", "max") if cells.get(c, "")]
        if printed and (n == 0 or "sd" in printed):
            yield DataError(path, line, "n", f"n = {n}, but the row prints a {printed[0]}"
                            + (" (an SD needs n ≥ 2)" if n == 1 else ""))
    for part, whole in (("events", "n"), ("count", "n")):
        k, n = _count(cells, part), _count(cells, whole)
        if k is not None and n is not None and k > n and path.name in ("survival.csv", "proportions.csv"):
            yield DataError(path, line, part, f"{k:,} is more than its n = {n:,}")


def _rate_rule(path: Path, line: int, rate: str) -> Iterator[DataError]:
    """A landmark rate is a percentage in 0–100 or a proportion in 0–1."""
    try:
        r = parse_value(rate, lower_bound=0)
    except ParseError as err:
        yield DataError(path, line, "rate", f"{rate!r} is not a rate: {err}")
        return
    top = 100 if r.percent else 1
    if not 0 <= r.value <= top:
        yield DataError(path, line, "rate", f"a rate of {rate} is not in 0–{top}" + ("" if r.percent else " (no % sign)"))


def _paper_rules(folder: Path) -> Iterator[DataError]:
    """Rules across one paper's files: group sizes, the groups a table uses, unique keys."""
    tables: dict[tuple[str, str], tuple[int, int | None]] = {}
    groups_path = folder / "groups.csv"
    if groups_path.exists():
        # a groups.csv row dropped for its shape would make every row of its group "undeclared"
        got = _whole(groups_path)
        if got:
            header, records = got
            for line, row in records:
                c = dict(zip(header, row))
                key, n = (c.get("table", ""), c.get("group", "")), _count(c, "n")
                if key in tables and tables[key][1] != n:
                    yield DataError(groups_path, line, "n", f"{key[1]!r} of {key[0]!r} has n = {c.get('n')} here "
                                    f"but another n on line {tables[key][0]}")
                tables.setdefault(key, (line, n))
    cat = folder / "categorical.csv"
    if cat.exists() and tables:
        got = _records(cat, [])
        if got:
            header, records = got
            keys: dict[tuple[str, ...], int] = {}
            declared = {t for t, _ in tables}
            for line, row in records:
                c = dict(zip(header, row))
                k = tuple(c.get(x, "") for x in ("table", "variable", "category", "group"))
                if k in keys:
                    yield DataError(cat, line, None, f"a second row for {' / '.join(k)} (first on line {keys[k]})")
                keys.setdefault(k, line)
                if c.get("table") in declared and (c["table"], c.get("group", "").strip()) not in tables:
                    yield DataError(cat, line, "group", f"{c.get('group')!r} is not a group of {c['table']!r} in groups.csv")
                    continue
                n = tables.get((c.get("table", ""), c.get("group", "")), (0, None))[1]
                k_ = _count(c, "count")
                if n is not None and k_ is not None and k_ > n:
                    yield DataError(cat, line, "count", f"{k_:,} is more than the group's n = {n:,}")
    # whether rows form whole tables is asked only of a file whose every row was read: a row
    # dropped for its shape has its own message
    if cat.exists() and (got := _whole(cat)):
        yield from _complete_tables(cat, *got, tables)
    prop = folder / "proportions.csv"
    if prop.exists() and (got := _whole(prop)):
        yield from _compared_groups(prop, *got)
    rep = folder / "reported.csv"
    if rep.exists():
        got = _records(rep, [])
        if got:
            header, records = got
            ids: dict[str, int] = {}
            for line, row in records:
                i = dict(zip(header, row)).get("id", "")
                if i in ids:
                    yield DataError(rep, line, "id", f"id {i!r} is already used on line {ids[i]}")
                ids.setdefault(i, line)


def _whole(path: Path):
    """The header and records of *path* if it has no problem of text or shape, else None."""
    problems: list[DataError] = []
    got = _records(path, problems)
    return None if problems else got


def _complete_tables(path: Path, header: list[str], records, groups_csv: dict) -> Iterator[DataError]:
    """Every category of a variable has a row for each group the variable has: the table of counts
    a p is recomputed from has no empty cell to guess.  One problem per variable, on the first row
    whose category lacks a group (a renamed category leaves two incomplete ones: one mistake).
    A variable with a row of an undeclared group (of a table *groups_csv* declares) is left to
    the message that says so."""
    declared = {t for t, _ in groups_csv}
    rows: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
    misnamed = set()
    for line, row in records:
        c = {k: v.strip() for k, v in zip(header, row)}   # stray whitespace is reported per cell
        variable = (c.get("table", ""), c.get("variable", ""))
        if c.get("table") in declared and (c["table"], c.get("group", "")) not in groups_csv:
            misnamed.add(variable)
        rows.setdefault(variable, []).append((line, c.get("category", ""), c.get("group", "")))
    for (table, variable), got in rows.items():
        cells = [(category, group) for _, category, group in got]
        if (table, variable) in misnamed or len(set(cells)) < len(cells):
            continue   # an undeclared group or a second row for a cell: reported as such
        groups = list(dict.fromkeys(g for _, _, g in got))
        has: dict[str, set[str]] = {}
        for _, category, group in got:
            has.setdefault(category, set()).add(group)
        for line, category, _ in got:
            lacking = [g for g in groups if g not in has[category]]
            if lacking:
                yield DataError(path, line, "category", f"{category!r} of {table!r}, {variable!r} has no row for "
                                f"group {lacking[0]!r}, which the variable's other categories have")
                break


def _compared_groups(path: Path, header: list[str], records) -> Iterator[DataError]:
    """A comparison of proportions compares at least two groups (a one-group table has no test)."""
    first: dict[str, int] = {}
    groups: dict[str, set[str]] = {}
    for line, row in records:
        c = dict(zip(header, row))
        for comparison in c.get("comparison", "").split(";"):
            first.setdefault(comparison.strip(), line)
            groups.setdefault(comparison.strip(), set()).add(c.get("group", "").strip())
    lone = [c for c in first if len(groups[c]) < 2]
    if lone:   # a renamed comparison leaves two lone ones: one mistake, one message
        also = f" (so has {', '.join(map(repr, lone[1:]))})" if lone[1:] else ""
        yield DataError(path, first[lone[0]], "comparison",
                        f"{lone[0]!r} has only one group: a comparison needs two or more{also}")


def validate_file(path: Path | str) -> list[DataError]:
    """Every problem of one CSV file, alone (no rule across files)."""
    path, problems = Path(path), []
    got = _records(path, problems)
    # with a repeated column name the cells are not where the header says: that one message
    if got and len(set(got[0])) == len(got[0]):
        problems += list(_cell_problems(path, *got))
    return problems


def validate_paper(folder: Path | str, *, files: bool = True, known: int = 0) -> list[DataError]:
    """Every problem of one paper folder: its files (unless *files* is false; *known* problems
    of them were found already), the rules across them, its ``paper.toml`` and its
    reconstructed cohorts — which are checked for staleness only when the files they were made
    from are valid, since an edit of those makes them stale too (one mistake, one message)."""
    from .paper import load_paper
    from .reconstruct import read_cohort
    folder = Path(folder)
    if not (folder / "paper.toml").is_file():
        return [DataError(folder / "paper.toml", None, None, "no such paper folder (paper.toml not found)")]
    problems = [e for p in sorted(folder.glob("*.csv")) for e in validate_file(p)] if files else []
    problems += list(_paper_rules(folder))
    try:
        paper = load_paper(folder)
    except DataError as err:
        return problems + [err]
    for cohort in sorted((folder / "reconstructed").glob("*.csv")):
        try:
            read_cohort(paper, cohort.name, check_inputs=not (problems or known))
        except DataError as err:
            problems.append(err)
    return problems


def validate(root: Path | str | None = None, *, limit: int = _LIMIT) -> list[DataError]:
    """Every problem of every file under *root* (``data/``), at most *limit* of them, in file order."""
    root = Path(root) if root is not None else data_dir()
    if not root.is_dir():
        return [DataError(root, None, None, "no such data folder")]
    problems: list[DataError] = []
    for path in sorted(root.rglob("*.csv")):
        if "reconstructed" not in path.relative_to(root).parts:
            problems += validate_file(path)
    for folder in sorted(p.parent for p in root.glob("*/paper.toml")):
        known = sum(1 for p in problems if p.path.parent == folder)
        problems += validate_paper(folder, files=False, known=known)
    return problems[:limit]
