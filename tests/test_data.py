"""Malformed data files give a clear error naming file, line and column."""

import pytest

from recheck.data import SCHEMAS, DataError, read_csv, read_source_table
from recheck.findings import SOURCES

HEADER = "table,variable,category,group,count,percent,p,test,location,key,note\n"
GOOD = "Table 1,ECOG,0,A,66,66,0.13,,Table 1,,\n"


def write(tmp_path, text, name="categorical.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("row, line, column, words", [
    ("Table 1,ECOG,0,A,6l,66,0.13,,Table 1,,\n", 3, "count", "'6l' is not a valid count"),
    ("Table 1,ECOG,0,A,66,sixty,0.13,,Table 1,,\n", 3, "percent", "'sixty'"),
    ("Table 1,ECOG,0,A,66,66,1.3,,Table 1,,\n", 3, "p", "not a probability"),
    ("Table 1,ECOG,0,A,66,66,0.13,,,,\n", 3, "location", "every value must say where"),
    ("Table 1,ECOG,0,A,66,66\n", 3, None, "6 fields where the header has 11"),
])
def test_bad_cells_are_located(tmp_path, row, line, column, words):
    path = write(tmp_path, HEADER + GOOD + row)
    with pytest.raises(DataError) as err:
        read_csv(path, SCHEMAS["categorical.csv"])
    e = err.value
    assert e.path == path and e.line == line and e.column == column
    msg = str(e)
    assert "categorical.csv" in msg and f"line {line}" in msg and words in msg
    if column:
        assert f"column {column!r}" in msg


def test_missing_column_and_missing_file(tmp_path):
    path = write(tmp_path, HEADER.replace("count,", "") + "Table 1,ECOG,0,A,66,0.13,,Table 1,,\n")
    with pytest.raises(DataError, match="column 'count': required column is missing"):
        read_csv(path, SCHEMAS["categorical.csv"])
    with pytest.raises(DataError, match="file not found"):
        read_csv(tmp_path / "nope.csv")


def test_values_stay_as_printed(tmp_path):
    path = write(tmp_path, HEADER + "Table 1,ECOG,0,A,66,66.0,0.40,,Table 1,,\n")
    df = read_csv(path, SCHEMAS["categorical.csv"])
    assert df.loc[0, "percent"] == "66.0" and df.loc[0, "p"] == "0.40"


def test_nothing_is_silently_dropped(tmp_path):
    path = write(tmp_path, HEADER + GOOD + "\n" + GOOD)
    assert len(read_csv(path, SCHEMAS["categorical.csv"])) == 2


@pytest.mark.parametrize("source", SOURCES)
def test_every_committed_standard_file_reads(source):
    from recheck.data import data_dir
    folder = data_dir() / source
    read = [name for name in SCHEMAS if (folder / name).exists()]
    for name in read:
        assert len(read_source_table(source, name)) > 0
    assert read, "every paper has a standard file"


@pytest.mark.parametrize("name", ["trialx", "trialx-news"])
def test_the_test_papers_follow_the_schema(name):
    from conftest import PAPERS
    folder = PAPERS / name
    read = [f for f in SCHEMAS if (folder / f).exists()]
    assert read
    for f in read:
        df = read_csv(folder / f, SCHEMAS[f])
        assert len(df) > 0 and df.attrs["lines"][0] == 2


def test_error_location_is_printable(tmp_path):
    path = write(tmp_path, HEADER + "Table 1,ECOG,0,A,6l,66,0.13,,Table 1,,\n")
    with pytest.raises(DataError) as err:
        read_csv(path, SCHEMAS["categorical.csv"])
    assert err.value.located().startswith(str(path)) and "count" in err.value.located()
