"""The project's copy of the facts file is the shared one, unchanged."""

from pathlib import Path

import pytest

from recheck.data import data_dir

SHARED = Path(__file__).resolve().parents[2] / "shared" / "facts" / "published-trials.csv"


@pytest.mark.skipif(not SHARED.exists(), reason="the shared facts file is not beside this clone")
def test_facts_copy_is_verbatim():
    assert (data_dir() / "facts" / "published-trials.csv").read_bytes() == SHARED.read_bytes()
