"""The facts file (data/facts/published-trials.csv): the shared one, unchanged, and cited by row
numbers that exist."""

import csv
from pathlib import Path

import pytest

from recheck.checks.facts import facts_path, facts_table
from recheck.data import data_dir
from recheck.paper import get_paper, registry

SHARED = Path(__file__).resolve().parents[2] / "shared" / "facts" / "published-trials.csv"


@pytest.mark.skipif(not SHARED.exists(), reason="the shared facts file is not beside this clone")
def test_facts_copy_is_verbatim():
    assert (data_dir() / "facts" / "published-trials.csv").read_bytes() == SHARED.read_bytes()


def test_the_engine_reads_the_project_copy():
    assert facts_path(get_paper("patina")) == data_dir() / "facts" / "published-trials.csv"


def test_row_numbers_are_one_based_data_rows():
    # Facts row n is line n + 1 of the file (data/patina/EXTRACTION.md): row 1 is PATINA's n randomized.
    facts = facts_table()
    with (data_dir() / "facts" / "published-trials.csv").open(newline="", encoding="utf-8") as fh:
        assert len(facts) == len(list(csv.DictReader(fh)))
    assert (facts[1]["trial"], facts[1]["quantity"]) == ("PATINA", "n randomized")
    assert (facts[21]["trial"], facts[21]["quantity"], facts[21]["comparison"]) == (
        "monarcHER", "median PFS (months)", "A vs C")


def test_every_cited_facts_row_exists():
    facts = facts_table()
    cited = {}
    for paper in registry():
        if paper.has("facts_claims.csv"):
            for r in paper.read("facts_claims.csv").to_dict("records"):
                for n in filter(None, (x.strip() for x in r["facts_rows"].split(";"))):
                    cited.setdefault(int(n), []).append(f"{paper.id}:{r['id']}")
        for n in paper.readings.get("p_trials", []):
            cited.setdefault(int(n), []).append(f"{paper.id}: readings.p_trials")
    assert cited, "no paper cites the facts file"
    missing = {n: who for n, who in cited.items() if n not in facts}
    assert not missing, f"facts rows cited but absent: {missing}"
