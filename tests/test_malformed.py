"""Malformed input (issue 14, point 6): one case per rule and file kind, and a fuzz test.

Each case plants one mistake in a scratch copy — of ``data/`` (the ``copy`` fixture) or of the
synthetic test paper (``trialx``) — and asserts the one located problem it gives: file, line,
column and a stable part of the message.  Mistakes that ``recheck validate`` catches are listed by
file kind; the few that only a check family can see (a reading nobody asks for, a claim resting
on nothing) are asserted where the findings are computed, with validate passing.

The fuzz test replaces one cell of each file kind of the test paper by a drawn value and asserts
that nothing but a :class:`~recheck.data.DataError` escapes: validate reports the edit, or the
findings are computed, or a check raises a located DataError.  A whitespace-padded original must
leave the findings as they were, or be reported on that very cell.

Nothing here may touch the real ``data/``: every file under it is hashed before and after.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PAPERS, ROOT, edit, fresh
from recheck import validate as v
from recheck.checks import check
from recheck.data import DataError
from recheck.paper import load_paper

REAL_DATA = ROOT / "data"


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module", autouse=True)
def real_data_untouched():
    """Every case edits a copy; the real data must come out byte for byte as it went in."""
    before = _hashes(REAL_DATA)
    yield
    after = _hashes(REAL_DATA)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"the tests changed data/: {changed}"


def one_problem(root: Path) -> DataError:
    problems = v.validate(root)
    assert len(problems) == 1, [p.located() for p in problems]
    return problems[0]


def assert_located(p: DataError, path: Path, line, column, message: str) -> None:
    assert (p.path, p.line, p.column) == (path, line, column) and message in p.message, p.located()


# --- cells and rows of data/, caught by `recheck validate` ------------------------------------
ECOG = "Table 1,ECOG PS,0,HER2-zero,66,66,0.13,"              # ozcan/categorical.csv, line 6
STAGE = "Table 1,Anatomic stage,I/IIA,HER2 0,393,17.4,0.308,"   # pallas/categorical.csv, line 2
AGE = ",53.1,10.8,,,,26.0,90.0,0.785,"                         # pallas/continuous.csv, line 2
IDFS_HR = "HER2-low vs. HER2-0,0.92,0.80,1.05,"               # pallas/ratios.csv, line 2
IDFS5 = "HER2-0,2254,,,,82.1%,5 years"                         # pallas/survival.csv, line 2
ORR = "ORR,HER2-zero,100,,62,0.82,"                            # ozcan/proportions.csv, line 2


def cell(file, old, new, line, column, message, rule):
    return pytest.param(file, old, new, line, column, message, id=f"{file}:{rule}")


CELLS = [
    # groups.csv
    cell("ozcan/groups.csv", "Table 1,HER2-zero,100,", "Table 1,HER2-zero,1OO,", 2, "n",
         "'1OO' is not a valid count", "unparseable count"),
    cell("ozcan/groups.csv", "Table 1,HER2-zero,100,", "Table 1,HER2-zero,-100,", 2, "n",
         "'-100' is not a count", "negative count"),
    cell("ozcan/groups.csv", "Table 1,HER2-zero,100,", "Table 1,HER2-zero,100.0,", 2, "n",
         "'100.0' is not a count", "fractional count"),
    cell("ozcan/groups.csv", "Table 1,HER2-zero,100,", "Table 1,HER2-zero,100 ,", 2, "n",
         "leading or trailing whitespace", "whitespace"),
    cell("ozcan/groups.csv", "Table 1,HER2-zero,100,", "Table 1,HER2-zero,100,,", 2, None,
         "5 fields where the header has 4", "wrong column count"),
    cell("ozcan/groups.csv", "table,group,n,location", "table,group,n,n", 1, None,
         "repeated column name in header", "repeated column"),
    # categorical.csv
    cell("ozcan/categorical.csv", ECOG, ECOG.replace(",0.13,", ",1.3,"), 6, "p",
         "'1.3' is not a probability", "p above 1"),
    cell("ozcan/categorical.csv", ECOG, ECOG.replace(",66,66,", ",6l,66,"), 6, "count",
         "'6l' is not a valid count", "unparseable count"),
    cell("ozcan/categorical.csv", ECOG, ECOG.replace(",66,66,", ",66,-66,"), 6, "percent",
         "a percentage of -66 is not in 0–100", "negative percentage"),
    cell("ozcan/categorical.csv", ECOG, ECOG.replace(",66,66,", ",66,< 66,"), 6, "percent",
         "is a bound: a table's percentage is printed as a number", "percentage as a bound"),
    cell("ozcan/categorical.csv", ECOG, ECOG + ",", 6, None,
         "12 fields where the header has 11", "wrong column count"),
    cell("ozcan/categorical.csv", ECOG, ECOG.replace(",0,", ",zero,"), 6, "category",
         "'zero' of 'Table 1', 'ECOG PS' has no row for group 'HER2-low'", "incomplete table"),
    cell("pallas/categorical.csv", STAGE, STAGE.replace("HER2 0", "HER2 low"), 3, None,
         "a second row for Table 1 / Anatomic stage / I/IIA / HER2 low (first on line 2)", "duplicate key"),
    cell("pallas/categorical.csv", STAGE, STAGE.replace(",393,", ",3930,"), 2, "count",
         "3,930 is more than the group's n = 2,254", "count above the group's n"),
    cell("pallas/categorical.csv", STAGE, STAGE.replace("HER2 0", "HER2-0"), 2, "group",
         "'HER2-0' is not a group of 'Table 1' in groups.csv", "unknown group"),
    # continuous.csv
    cell("pallas/continuous.csv", AGE, AGE.replace(",0.785,", ",-0.785,"), 2, "p",
         "'-0.785' is not a probability", "negative p"),
    cell("pallas/continuous.csv", AGE, AGE.replace(",10.8,", ",10.8 ,"), 2, "sd",
         "leading or trailing whitespace", "whitespace"),
    cell("pallas/continuous.csv", AGE, AGE.replace(",10.8,", ",ten,"), 2, "sd",
         "'ten' is not a valid value", "unparseable number"),
    # ratios.csv
    cell("pallas/ratios.csv", IDFS_HR, IDFS_HR.replace("0.80,1.05", "1.05,0.80"), 2, "ci_low",
         "the CI's lower limit 1.05 is not below its upper 0.80", "CI limits swapped"),
    cell("pallas/ratios.csv", IDFS_HR, IDFS_HR + "1.2", 2, "p",
         "'1.2' is not a probability", "p above 1"),
    cell("pallas/ratios.csv", IDFS_HR, IDFS_HR.replace("0.92", "0·92"), 2, "estimate",
         "'0·92' is not a valid value", "unparseable number"),
    cell("pallas/ratios.csv", IDFS_HR, IDFS_HR.replace("1.05", "-1.05"), 2, "ci_high",
         "a ratio or its CI limit must be > 0, not -1.05", "negative ratio"),
    # survival.csv
    cell("pallas/survival.csv", IDFS5, IDFS5.replace("82.1%", "182.1%"), 2, "rate",
         "a rate of 182.1% is not in 0–100", "rate above 100 %"),
    cell("pallas/survival.csv", IDFS5, IDFS5.replace("82.1%", "0.821 percent"), 2, "rate",
         "'0.821 percent' is not a rate", "unparseable rate"),
    cell("pallas/survival.csv", IDFS5, IDFS5.replace("2254,,", "2254,3000,"), 2, "events",
         "3,000 is more than its n = 2,254", "events above n"),
    cell("pallas/survival.csv", IDFS5, IDFS5.replace("2254,,,", "2254,,never,"), 2, "median",
         "'never' is neither a number nor one of nr, not reached", "unparseable median"),
    cell("pallas/survival.csv", IDFS5, IDFS5.replace("2254", "12345678901"), 2, "n",
         "12345678901 is larger than any trial", "count above the size limit"),
    # proportions.csv
    cell("ozcan/proportions.csv", ORR, ORR.replace(",62,", ",162,"), 2, "percent",
         "a percentage of 162 is not in 0–100", "percentage above 100"),
    cell("ozcan/proportions.csv", ORR, ORR.replace(",,62,", ",101,62,"), 2, "count",
         "101 is more than its n = 100", "count above n"),
    cell("ozcan/proportions.csv", ORR, ORR.replace(",100,", ",a hundred,"), 2, "n",
         "'a hundred' is not a valid count", "unparseable count"),
    cell("ozcan/proportions.csv", ORR, ORR.replace(",0.82,", ",p = 2,"), 2, "p",
         "'p = 2' holds no p the comparison can be judged against", "p above 1"),
    cell("ozcan/proportions.csv", ORR, ORR.replace("ORR,", "ORR (all),"), 2, "comparison",
         "'ORR (all)' has only one group: a comparison needs two or more (so has 'ORR')",
         "a one-group comparison"),
    # reported.csv
    cell("ozcan/reported.csv", "abs-study-period,", "abs-n-total,", 3, "id",
         "id 'abs-n-total' is already used on line 2", "duplicate id"),
    cell("ozcan/reported.csv", "abs-study-period,", "abs-study-period ,", 3, "id",
         "leading or trailing whitespace", "whitespace"),
    # the other files: their identifiers, keys and shape
    cell("pallas/claims.csv", "no-difference.idfs.unadjusted,", " no-difference.idfs.unadjusted,", 2, "id",
         "leading or trailing whitespace", "whitespace"),
    cell("pallas/readings.csv", "claim,pam50-her2e,", "claim,pam50-her2e ,", 2, "id",
         "leading or trailing whitespace", "whitespace"),
    cell("pallas/flow.csv", "Results para 1,n:itt,", "Results para 1,n:itt ,", 3, "key",
         "leading or trailing whitespace", "whitespace"),
    cell("pallas/prevalence.csv", "continent,Europe,,53.4%,\"Abstract", "continent,Europe,,153.4%,\"Abstract", 3, "percent",
         "a percentage of 153.4% is not in 0–100", "percentage above 100"),
    cell("xian/pcr.csv", ",HR+/HER2+,HER2-targeted therapy + CT vs CT only,,,,", ",HR+/HER2+,HER2-targeted therapy + CT vs CT only,,,101,",
         2, "pcr_percent", "a percentage of 101 is not in 0–100", "percentage above 100"),
    cell("ozcan-news/statements.csv", "s1,News para 1,", "s1 ,News para 1,", 2, "id",
         "leading or trailing whitespace", "whitespace"),
]


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory) -> Path:
    """One scratch copy of ``data/`` for the module (copying it per case costs more than the case)."""
    copy = tmp_path_factory.mktemp("malformed") / "data"
    shutil.copytree(REAL_DATA, copy)
    assert v.validate(copy) == []
    return copy


@pytest.fixture
def scratch(data_copy):
    """The module's copy of ``data/``, every file restored after the test, whatever it did."""
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    yield data_copy
    for p in [p for p in data_copy.rglob("*") if p.is_file() and p not in before]:
        p.unlink()
    for p, data in before.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.exists() or p.read_bytes() != data:
            p.write_bytes(data)


@pytest.mark.parametrize("file, old, new, line, column, message", CELLS)
def test_a_malformed_cell_or_row_is_one_located_problem(scratch, file, old, new, line, column, message):
    path = scratch / file
    edit(path, old, new)
    assert_located(one_problem(scratch), path, line, column, message)
