"""Semantic validation of data/: each malformed edit gives one located problem; restored, none.

The edits are those of issue 14's trial of 55 contributor mistakes that crashed, hung or changed
the findings silently.
"""

import subprocess
import sys

import pytest

from conftest import edit
from recheck import validate as v

OZ = "ozcan"
ECOG = "Table 1,ECOG PS,0,HER2-zero,66,66,0.13,"
AGE_HR = "0.95,0.66,1.35,0.766"


def one_problem(root):
    problems = v.validate(root)
    assert len(problems) == 1, [p.located() for p in problems]
    return problems[0]


def test_the_data_are_valid(copy):
    assert v.validate(copy) == []


@pytest.mark.parametrize("name, old, new, line, column, message", [
    ("ratios.csv", AGE_HR, "-0.95,0.66,1.35,0.766", 2, "estimate", "must be > 0, not -0.95"),
    ("ratios.csv", AGE_HR, "0,0.66,1.35,0.766", 2, "estimate", "must be > 0"),
    ("ratios.csv", AGE_HR, "0.95,0,1.35,0.766", 2, "ci_low", "must be > 0"),
    ("ratios.csv", AGE_HR, "0.95,1.66,1.35,0.766", 2, "ci_low", "is not below its upper"),
    ("ratios.csv", AGE_HR, "1.95,0.66,1.35,0.766", 2, "estimate", "outside its own CI"),
    ("ratios.csv", AGE_HR, "0.95,0.66,1.35,1.766", 2, "p", "not a probability"),
    ("groups.csv", "Table 1,HER2-zero,100,", "Table 1,HER2-zero,12345678901234567890,", 2, "n", "larger than any trial"),
    ("categorical.csv", ECOG, "Table 1,ECOG PS,0,HER2-zero ,66,66,0.13,", 6, "group", "trailing whitespace"),
    ("categorical.csv", ECOG, "Table 1,ECOG PS,0,HER2-zeor,66,66,0.13,", 6, "group", "is not a group of 'Table 1'"),
    ("categorical.csv", ECOG, "Table 1,ECOG PS,0,HER2-zero,66,166,0.13,", 6, "percent", "not in 0–100"),
    ("categorical.csv", ECOG, "Table 1,ECOG PS,0,HER2-zero,166,66,0.13,", 6, "count", "more than the group's n = 100"),
    ("categorical.csv", ECOG, "Table 1,ECOG PS,0,HER2-zero,66 ,66,0.13,", 6, "count", "trailing whitespace"),
    ("groups.csv", "Table 2,HER2-low,112,Table 2\n", "Table 2,HER2-low,112,Table 2\nTable 2,HER2-low,113,Table 2\n",
     6, "n", "another n on line 5"),
])
def test_each_mistake_is_one_located_problem(copy, name, old, new, line, column, message):
    path = copy / OZ / name
    edit(path, old, new)
    p = one_problem(copy)
    assert (p.path, p.line, p.column) == (path, line, column) and message in p.message, p.located()
    edit(path, new, old)
    assert v.validate(copy) == []


def test_a_repeated_row_a_header_only_file_and_the_text_encoding(copy):
    path = copy / OZ / "continuous.csv"
    original = path.read_bytes()
    lines = original.decode("utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    assert "repeats line 2" in one_problem(copy).message
    path.write_text(lines[0], encoding="utf-8")
    assert "only a header" in one_problem(copy).message
    path.write_bytes(b"\xef\xbb\xbf" + original)
    assert "byte-order mark" in one_problem(copy).message
    path.write_bytes(original.replace("≥".encode("utf-8"), b"\xb3", 1) if "≥".encode() in original
                     else original + b"x,\xe9\n")
    p = one_problem(copy)
    assert "is not UTF-8" in p.message and p.line is not None
    path.write_bytes(original)
    assert v.validate(copy) == []


def test_a_file_only_a_chapter_reads_is_validated_too(copy):
    path = copy / "crossstudy" / "settings.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "Ozcan 2025,setting,extra,field,too,many,fields,here\n", encoding="utf-8")
    p = one_problem(copy)
    assert p.path == path and "fields where the header has 7" in p.message


def test_reconstructed_files_are_guarded(copy):
    cohort = copy / OZ / "reconstructed" / "cohort.csv"
    text = cohort.read_text(encoding="utf-8")
    cohort.write_text(text.replace("\n", "\n#", 1)[:-200], encoding="utf-8")
    assert "rows were edited" in one_problem(copy).message or "notice" in one_problem(copy).message
    cohort.unlink()
    assert v.validate(copy) == []          # an absent cohort: the chapter that needs it says so
    cohort.write_text(text, encoding="utf-8")
    edit(copy / OZ / "categorical.csv", "Table 1,Age group,< 65 years,HER2-zero,61,61,0.15",
         "Table 1,Age group,< 65 years,HER2-zero,61,61,0.16")
    p = one_problem(copy)
    assert "stale" in p.message and "recheck reconstruct --source ozcan" in p.message


def test_limits_fail_fast(copy, monkeypatch):
    monkeypatch.setattr(v, "MAX_BYTES", 1_000)
    problems = v.validate(copy)
    assert problems and all("more than the 1,000 a data file may have" in p.message for p in problems)
    assert v.validate_paper(copy / "no-such-paper")[0].message.startswith("no such paper folder")


def test_every_problem_is_listed_and_the_command_line_exits_2(copy):
    edit(copy / OZ / "ratios.csv", AGE_HR, "0,0.66,1.35,0.766")
    edit(copy / OZ / "categorical.csv", ECOG, "Table 1,ECOG PS,0,HER2-zero,166,66,0.13,")
    env = {"RECHECK_DATA": str(copy), "PATH": "", "RECHECK_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, "-m", "recheck", "validate"], capture_output=True, text=True, env=env)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = out.stderr.splitlines()
    assert lines[-1] == "2 problems in the data"
    assert any(line.endswith("ozcan/ratios.csv:2:estimate: a ratio or its CI limit must be > 0, not 0") for line in lines)
    assert any(":6:count: 166 is more than the group's n = 100" in line for line in lines)
    check = subprocess.run([sys.executable, "-m", "recheck", "check", str(copy / OZ)], capture_output=True,
                           text=True, env=env)
    assert check.returncode == 2 and check.stderr.splitlines()[-1] == "2 problems in the data"
