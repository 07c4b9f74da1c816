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
import re
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
REGIMEN = "HER2-targeted therapy + CT vs CT only"              # xian/pcr.csv, line 2


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
    cell("ozcan/continuous.csv", "HER2-zero,100,,,59,", "HER2-zero,0,,,59,", 2, "n",
         "n = 0, but the row prints a median", "a statistic of no patients"),
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
    cell("pallas/prevalence.csv", 'continent,Europe,,53.4%,"Abstract', 'continent,Europe,,153.4%,"Abstract',
         3, "percent", "a percentage of 153.4% is not in 0–100", "percentage above 100"),
    cell("xian/pcr.csv", f",HR+/HER2+,{REGIMEN},,,,", f",HR+/HER2+,{REGIMEN},,,101,",
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


# --- whole files: text, shape, size, paper.toml ----------------------------------------------
def _replace(old: str, new: str):
    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        assert text.count(old) == 1, f"{old!r} is printed {text.count(old)}×"
        return text.replace(old, new).encode("utf-8")
    return change


def _append_line(number: int):
    """Append a copy of line *number* (a repeated row)."""
    def change(data: bytes) -> bytes:
        lines = data.decode("utf-8").splitlines(keepends=True)
        return "".join(lines + [lines[number - 1]]).encode("utf-8")
    return change


def _first_line(data: bytes) -> bytes:
    return data.decode("utf-8").splitlines(keepends=True)[0].encode("utf-8")


def _latin1_on_line_3(data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    lines[2] = lines[2].replace(b",", b",\xe9", 1)   # "é" saved as Latin-1
    return b"".join(lines)


def whole(file, change, line, column, message, rule):
    return pytest.param(file, change, line, column, message, id=f"{file}:{rule}")


FILES = [
    whole("ozcan/groups.csv", lambda d: b"\xef\xbb\xbf" + d, 1, None, "byte-order mark", "BOM"),
    whole("pallas/reported.csv", _latin1_on_line_3, 3, None, "byte 0xe9 is not UTF-8", "not UTF-8"),
    whole("pallas/not_checkable.csv", _first_line, 1, None, "only a header", "header only"),
    whole("crossstudy/settings.csv", lambda d: b"", 1, None, "empty file: no header row", "empty file"),
    whole("facts/published-trials.csv", lambda d: d + b"x" * v.MAX_BYTES, None, None,
          "more than the 5,000,000 a data file may have", "size limit"),
    whole("facts/published-trials.csv", lambda d: d + b"PATINA,n,a,b,c,d,e,f\n", 33, None,
          "8 fields where the header has 7", "wrong column count"),
    whole("ozcan/facts_claims.csv", _append_line(2), 32, None, "repeats line 2", "repeated row"),
    whole("xian/treatment.csv", _append_line(2), 21, None, "repeats line 2", "repeated row"),
    whole("patina/ratios.csv", _replace("estimate,", "estimat,"), 1, "estimate",
          "required column is missing from the header", "missing column"),
    whole("ozcan-news/quotes.csv", _first_line, 1, None, "only a header", "header only"),
    # paper.toml: syntax, unknown keys, types and the values the reader checks
    whole("ozcan/paper.toml", _replace('id = "ozcan"', 'id = "ozcan'), 3, None, "invalid TOML", "bad syntax"),
    whole("ozcan/paper.toml", lambda d: d + b"\n[extras]\nx = 1\n", None, "extras", "unknown key",
          "unknown table"),
    whole("pallas/paper.toml", _replace("\norder = ", "\nordre = "), None, "paper.ordre", "unknown key",
          "unknown [paper] key"),
    whole("patina/paper.toml", _replace("\norder = 5", '\norder = "5"'), None, "paper.order",
          "expected int, got '5'", "wrong type"),
    whole("xian/paper.toml", _replace('id = "xian"', 'id = "Xian"'), None, "paper.id",
          "must be the folder's name ('xian')", "id not the folder"),
    whole("ozcan-news/paper.toml", _replace('kind = "secondary"', 'kind = "news"'), None, "paper.kind",
          "'news' is not one of", "unknown kind"),
    whole("patina/paper.toml", lambda d: re.sub(rb"(?m)^citation = .*\n", b"", d), None, "paper.citation",
          "required key is missing", "missing key"),
    whole("xian/paper.toml", _replace('[[tables]]\nname = "Table 1"', '[[tables]]\nnme = "Table 1"'), None,
          "tables[0].nme", "unknown key", "unknown [[tables]] key"),
    whole("pallas/paper.toml", lambda d: d.replace(b"[paper]", b"[paper]\n# \xff", 1), None, None,
          "not UTF-8", "not UTF-8"),
]


@pytest.mark.parametrize("file, change, line, column, message", FILES)
def test_a_malformed_file_is_one_located_problem(scratch, file, change, line, column, message):
    path = scratch / file
    path.write_bytes(change(path.read_bytes()))
    assert_located(one_problem(scratch), path, line, column, message)


def test_a_missing_paper_folder_or_paper_toml(scratch):
    assert_located(v.validate_paper(scratch / "no-such-paper")[0], scratch / "no-such-paper" / "paper.toml",
                   None, None, "no such paper folder (paper.toml not found)")
    (scratch / "patina" / "paper.toml").unlink()
    assert_located(v.validate_paper(scratch / "patina")[0], scratch / "patina" / "paper.toml",
                   None, None, "no such paper folder")
    assert_located(v.validate(scratch / "no-data")[0], scratch / "no-data", None, None, "no such data folder")


# --- what only a check family sees: validate passes, the findings raise a located DataError ----
@pytest.fixture
def papers(tmp_path) -> Path:
    """A scratch copy of the test paper and its news write-up, side by side."""
    for name in ("trialx", "trialx-news"):
        shutil.copytree(PAPERS / name, tmp_path / name)
    return tmp_path


def reader(paper, file, old, new, line, column, message, rule):
    return pytest.param(paper, file, old, new, line, column, message, id=f"{paper}/{file}:{rule}")


READERS = [
    reader("trialx", "readings.csv", "claim,tolerability,not-checkable,", "claim,tolerability,maybe,",
           2, "verdict", "'maybe' is not a verdict", "unknown verdict"),
    reader("trialx", "readings.csv", "claim,tolerability,not-checkable,",
           "claims,tolerability,not-checkable,", 2, "check", "'claims' is not a check kind", "unknown check"),
    reader("trialx", "readings.csv", "cross-location,design:period,", "cross-location,design:perio,",
           3, "id", "no cross-location check asks for a reading of 'design:perio'",
           "a reading nobody asks for"),
    reader("trialx", "claims.csv", 'Arm A",significant,ratio:hr:pfs', 'Arm A",significant,ratio:hr:pfs-nope',
           2, "rests_on", "'ratio:hr:pfs-nope': nothing to rest on", "evidence that does not exist"),
    reader("trialx", "claims.csv", 'Arm A",significant,ratio:hr:pfs', 'Arm A",significantly,ratio:hr:pfs',
           2, "says", "'significantly' is not one of significant", "unknown says"),
    reader("trialx", "facts_claims.csv", "44.3 vs 29.1,2,consistent", "44.3 vs 29.1,999,consistent",
           2, "facts_rows", "'999' is not a row of the facts file", "a facts row that does not exist"),
    reader("trialx", "facts_claims.csv", "44.3 vs 29.1,2,consistent", "44.3 vs 29.1,\u0662,consistent",
           2, "facts_rows", "'\u0662' is not a row of the facts file", "a facts row in Arabic-Indic digits"),
    reader("trialx", "facts_claims.csv", "44.3 vs 29.1,2,consistent", "44.3 vs 29.1,\u00b2,consistent",
           2, "facts_rows", "'\u00b2' is not a row of the facts file", "a superscript facts row"),
    reader("trialx", "facts_claims.csv", "44.3 vs 29.1,2,consistent", "44.3 vs 29.1,2,right",
           2, "verdict", "'right' is not one of", "unknown verdict"),
    reader("trialx", "ratios.csv", "hr:pfs,\n", "pvalue=hr:pfs,\n",
           2, "key", "'pvalue' in pvalue=hr:pfs is not a column", "a key naming no column"),
    reader("trialx", "survival.csv", "43.5%,12 months", "0%,12 months",
           2, "rate", "'0%' of survival.ph 'hr:pfs': survival rates must lie strictly between 0 and 1",
           "a rate no PH hazard ratio follows from"),
    reader("trialx", "survival.csv", "PFS,Arm B vs Arm A,Arm A,120,", "PFS,Arm B vs Arm A,Arm A,,",
           2, "n", "empty, but survival.ci_events 'hr:pfs' needs the size of", "a group size the CI needs"),
    reader("trialx", "ratios.csv", "Arm B vs Arm A,0.90,0.70,1.16,", "Arm B vs Arm A,0.90,,1.16,",
           4, "ci_low", "empty, but the survival checks of paper.toml compare 'hr:dor' with its CI",
           "a CI the survival checks need"),
    reader("trialx", "paper.toml", 'minus = ["n:excluded"]', 'minus = ["n:exclude"]',
           None, "flow", "nothing printed for 'n:exclude'", "a flow term printed nowhere"),
    reader("trialx", "paper.toml", 'row = "res-female-all"', 'row = "res-female"',
           None, "links[0].row", "no reported.csv row 'res-female'", "a link to no row"),
    reader("trialx", "paper.toml", 'ratio = "hr:os"\nrates', 'ratio = "hr:overall"\nrates',
           None, "survival", "no ratios.csv row with key 'hr:overall'", "a ratio key that does not exist"),
    reader("trialx", "paper.toml", 'count = "n:responders"', 'count = "n:responder"',
           None, "percentages[0].count", "'n:responder' is no key or row id that prints a count",
           "a count key that does not exist"),
    reader("trialx-news", "statements.csv", "Abstract,consistent,", "Abstract,fine,",
           2, "verdict", "'fine' is not a verdict", "unknown verdict"),
    reader("trialx-news", "quotes.csv", "Discussion para 3,kept,", "Discussion para 3,kepts,",
           2, "context", "'kepts' is not 'kept' or 'changed'", "unknown context"),
]


@pytest.mark.parametrize("paper, file, old, new, line, column, message", READERS)
def test_a_mistake_only_the_checks_see_is_a_located_data_error(papers, paper, file, old, new, line, column,
                                                                message):
    path = papers / paper / file
    edit(path, old, new)
    assert v.validate(papers) == []
    fresh()
    with pytest.raises(DataError) as err:
        check(load_paper(papers / paper))
    assert_located(err.value, path, line, column, message)


def test_a_secondary_report_of_no_paper(papers):
    # named by the folder it looked for, not by the paper.toml line that names it (left as it is)
    edit(papers / "trialx-news" / "paper.toml", 'reports_on = "trialx"', 'reports_on = "trialy"')
    fresh()
    with pytest.raises(DataError, match="no paper 'trialy'") as err:
        check(load_paper(papers / "trialx-news"))
    assert err.value.path == papers / "trialy"


# --- fuzzing: one cell of each file kind of the test paper -----------------------------------
FUZZED = [(folder, p.name) for folder in ("trialx", "trialx-news")
          for p in sorted((PAPERS / folder).glob("*.csv")) if p.name != "expected.csv"]
"""Every CSV kind of the test paper and its news write-up (``expected.csv`` is the test's own)."""

PAD = st.sampled_from([" ", "  ", "\t", "\u00a0"])

NASTY = st.sampled_from([
    "", " ", "nan", "NaN", "inf", "-inf", "1e308", "1e999", "-0", "-1", "0", "100", "100.0", "101",
    "12345678901234567890", "1,000", "0,5", "50%", "-5%", "1.2–3.4", "1.2-3.4", "3.4–1.2", "< 0.001",
    "> 1", "≥ 0.05", "NR", "not reached", "p = 0.04", "0.5 months", "½", "١٢", "∞", "—", "N/A",
    "\u200b", "é", "HR 0.7 (0.5–0.9)", "Table 1", "Arm A", "Arm B",
])


def _numbers():
    floats = st.floats(allow_nan=True, allow_infinity=True).map(repr)
    ints = st.integers(-10**12, 10**15).map(str)
    decimals = st.decimals(-1000, 1000, places=2, allow_nan=False, allow_infinity=False).map(str)
    return st.one_of(floats, ints, decimals)


def _values(original: str):
    """What a contributor's slip or a hostile file puts in a cell."""
    numbers = _numbers()
    return st.one_of(
        NASTY,
        numbers,
        numbers.map(lambda x: x + "%"),
        st.tuples(numbers, numbers).map(lambda ab: f"{ab[0]}–{ab[1]}"),
        st.text(max_size=12),                                  # any unicode, control characters too
        st.just(original + "%"),
        st.just("-" + original),
    )


@st.composite
def cell_edits(draw, table: list[list[str]]):
    """``(row, column, value, padded)``: a data row, one of its cells, and what replaces it."""
    row = draw(st.integers(1, len(table) - 1))
    col = draw(st.integers(0, len(table[0]) - 1))
    original = table[row][col]
    if draw(st.booleans()):
        return row, col, draw(PAD) + original if draw(st.booleans()) else original + draw(PAD), True
    return row, col, draw(_values(original)), False


def _verdicts(root: Path, folder: str) -> dict[str, str]:
    fresh()
    return {f.id: f.verdict for f in check(load_paper(root / folder))}


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    for name in ("trialx", "trialx-news"):
        shutil.copytree(PAPERS / name, root / name)
    return root


@pytest.fixture(scope="module")
def unmodified(fuzz_root) -> dict[str, dict[str, str]]:
    """The verdicts of the unedited test papers (each edit of the fuzz test is undone)."""
    return {folder: _verdicts(fuzz_root, folder) for folder in ("trialx", "trialx-news")}


def _fuzz(root: Path, unmodified: dict, folder: str, name: str, data) -> None:
    path = root / folder / name
    original = path.read_bytes()
    table = list(csv.reader(io.StringIO(original.decode("utf-8"), newline="")))
    row, col, value, padded = data.draw(cell_edits(table))
    edited = [list(r) for r in table]
    edited[row][col] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(edited)
    line, column = row + 1, table[0][col]         # every row of the test paper is one line
    try:
        path.write_text(out.getvalue(), encoding="utf-8")
        problems = v.validate(root)
        if problems:
            if padded:
                assert any((p.path, p.line, p.column) == (path, line, column) for p in problems), \
                    [p.located() for p in problems]
            return
        readers = [folder] + (["trialx-news"] if folder == "trialx" else [])   # the news reads its source
        for paper in readers:
            try:
                got = _verdicts(root, paper)
            except DataError as err:
                if padded:
                    assert (err.path, err.line, err.column) == (path, line, column), err
                continue
            if padded:   # stray whitespace must not change a finding silently
                assert got == unmodified[paper], f"{name}:{line}:{column} padded to {value!r}"
    finally:
        path.write_bytes(original)


# Deterministic (a failure reproduces on the next run) and about 30 s in all on a loaded
# two-core machine: an example costs a validate and, when that passes, the findings of the edited
# paper — 0.4–0.8 s for the test paper, a fifth of that for its news write-up, which therefore
# gets more examples per file.
def fuzz_settings(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


PAPER_FILES = [n for f, n in FUZZED if f == "trialx"]
NEWS_FILES = [n for f, n in FUZZED if f == "trialx-news"]


@pytest.mark.parametrize("name", PAPER_FILES)
@fuzz_settings(3)
@given(data=st.data())
def test_a_fuzzed_cell_of_the_paper_gives_its_findings_or_a_data_error(fuzz_root, unmodified, name, data):
    _fuzz(fuzz_root, unmodified, "trialx", name, data)


@pytest.mark.parametrize("name", NEWS_FILES)
@fuzz_settings(12)
@given(data=st.data())
def test_a_fuzzed_cell_of_the_news_gives_its_findings_or_a_data_error(fuzz_root, unmodified, name, data):
    _fuzz(fuzz_root, unmodified, "trialx-news", name, data)
