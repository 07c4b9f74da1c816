"""Reading the extracted data in ``data/``: every value a string, every error located.

The CSV files keep numbers exactly as printed (see ``data/SCHEMA.md``), so they are
read as text; nothing is coerced, filled or dropped.  A malformed file raises
:class:`DataError` naming the file, the line and the column, e.g.::

    data/ozcan/categorical.csv, line 7, column 'count': '6l' is not a count
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd

from .reported import ParseError, parse_count, parse_estimate, parse_p, parse_value

__all__ = ["DataError", "data_dir", "read_csv", "COLUMN_KINDS", "SCHEMAS", "read_source_table"]


class DataError(ValueError):
    """A data file that does not follow ``data/SCHEMA.md``."""

    def __init__(self, path: Path | str, line: int | None, column: str | None, message: str):
        self.path, self.line, self.column, self.message = Path(path), line, column, message
        where = [_display(self.path)]
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")

    def located(self) -> str:
        """``file:line:column: message``, the form editors and CI logs link to."""
        parts = [_display(self.path)] + ([str(self.line)] if self.line else [])
        if self.column:
            parts.append(self.column if self.line else f"(column {self.column})")
        return ":".join(parts) + f": {self.message}"


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(data_dir().parent))
    except ValueError:
        return str(path)


def data_dir() -> Path:
    """The project's ``data/`` folder (``RECHECK_DATA`` overrides it, for tests)."""
    env = os.environ.get("RECHECK_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"


def _check_count(v: str) -> None:
    parse_count(v)


def _check_value(v: str) -> None:
    parse_value(v, lower_bound=0)


def _check_p(v: str) -> None:
    parse_p(v)


def _check_estimate(v: str) -> None:
    parse_estimate(v)


COLUMN_KINDS: Mapping[str, Callable[[str], None]] = {
    "count": _check_count,
    "value": _check_value,
    "p": _check_p,
    "estimate": _check_estimate,
}
"""Validators for non-empty cells; text columns are not listed."""

SCHEMAS: Mapping[str, Mapping[str, str | None]] = {
    "groups.csv": {"table": None, "group": None, "n": "count", "location": None},
    "categorical.csv": {"table": None, "variable": None, "category": None, "group": None,
                        "count": "count", "percent": "value", "p": "p", "test": None,
                        "location": None, "key": None, "note": None},
    "continuous.csv": {"table": None, "variable": None, "group": None, "n": "count",
                       "mean": "value", "sd": "value", "median": "value", "q1": "value",
                       "q3": "value", "min": "value", "max": "value", "p": "p", "test": None,
                       "location": None, "key": None, "note": None},
    "survival.csv": {"endpoint": None, "comparison": None, "group": None, "n": "count",
                     "events": "count", "median": None, "median_ci": None, "rate": None,
                     "rate_time": None, "p": "p", "location": None, "key": None, "note": None},
    "proportions.csv": {"comparison": None, "group": None, "n": "count", "count": "count",
                        "percent": "value", "p": None, "location": None, "key": None, "note": None},
    "ratios.csv": {"measure": None, "endpoint": None, "model": None, "variable": None,
                   "estimate": "value", "ci_low": "value", "ci_high": "value", "p": "p",
                   "location": None, "key": None, "note": None},
    "reported.csv": {"id": None, "location": None, "quantity": None, "population": None,
                     "reported": None, "n": "count", "quote": None, "key": None, "note": None},
}
"""Required columns of each standard file and the kind of value each holds."""

REQUIRED_TEXT = {"location"}
"""Columns that may never be empty: every number says where it came from."""


def read_csv(path: Path | str, columns: Mapping[str, str | None] | None = None) -> pd.DataFrame:
    """Read a data file as strings, checking its shape and the values in typed columns.

    Parameters
    ----------
    path
        The CSV file.
    columns
        Required column → kind (a key of :data:`COLUMN_KINDS`, or None for text).
        Extra columns are allowed and read as text.

    Raises
    ------
    DataError
        On a missing file or column, a row with the wrong number of fields, an
        empty ``location``, or a cell its column's kind cannot read.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(path, None, None, "file not found")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(path, 1, None, "empty file: no header row") from None
        records = []
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # a blank line is not data
            if len(row) != len(header):
                raise DataError(path, line, None,
                                f"{len(row)} fields where the header has {len(header)}")
            records.append((line, row))
    if len(set(header)) != len(header):
        raise DataError(path, 1, None, "repeated column name in header")
    columns = columns or {}
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(path, 1, missing[0], "required column is missing from the header")
    for line, row in records:
        cells = dict(zip(header, row))
        for col, kind in columns.items():
            value = cells[col]
            if col in REQUIRED_TEXT and not value.strip():
                raise DataError(path, line, col, "empty: every value must say where it was printed")
            if kind and value.strip():
                try:
                    COLUMN_KINDS[kind](value.strip())
                except ParseError as err:
                    raise DataError(path, line, col, f"{value!r} is not a valid {kind}: {err}") from None
    df = pd.DataFrame([row for _, row in records], columns=header, dtype=str)
    df.attrs["path"] = str(path)
    df.attrs["lines"] = [line for line, _ in records]
    return df


def read_source_table(source: str, name: str) -> pd.DataFrame:
    """Read ``data/<source>/<name>`` with the schema of a standard file, if it has one."""
    return read_csv(data_dir() / source / name, SCHEMAS.get(name))
