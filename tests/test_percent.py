"""GRIM-style percentage checks, exact arithmetic, whole tables at once."""

import pandas as pd
from hypothesis import given, strategies as st

from recheck.percent import check_count_table, check_percent, counts_for_percent, format_percent


def test_orr_of_112_patients():
    # The Ozcan paper prints the HER2-low ORR as 71.4% and as 71.6% (n = 112).
    assert counts_for_percent("71.4%", 112) == [80]
    assert counts_for_percent("71.6%", 112) == []


def test_textbook_grim_example():
    # Brown & Heathers (2017): a mean of 5.19 from 28 integer responses is impossible;
    # as a percentage: 519/28 is not k/28·100 at two decimals.
    assert counts_for_percent("18.54", 28) == []
    assert counts_for_percent("17.86", 28) == [5]


def test_check_percent_reports_possible_counts():
    res = check_percent("33", "25.9", 112)   # Ozcan Table 1, menopause row
    assert not res["consistent"]
    assert res["possible_counts"] == [29]
    assert res["recomputed"] == "29.5"


def test_format_percent_rounds_half_up():
    assert format_percent(1, 8, 1) == "12.5"
    assert format_percent(1, 16, 1) == "6.3"
    assert format_percent(0, 5, 0) == "0"


@given(st.integers(1, 6000), st.data(), st.integers(0, 2))
def test_a_percentage_computed_from_its_count_is_always_consistent(n, data, decimals):
    k = data.draw(st.integers(0, n))
    printed = format_percent(k, n, decimals)
    assert k in counts_for_percent(printed, n)
    assert check_percent(k, printed, n)["consistent"]


@given(st.integers(1, 500), st.integers(0, 2))
def test_every_count_maps_back(n, decimals):
    # the counts compatible with k's own percentage always include k
    for k in range(0, n + 1, max(1, n // 17)):
        assert k in counts_for_percent(format_percent(k, n, decimals), n)


def test_whole_table_margins():
    table = pd.DataFrame({
        "variable": ["ECOG"] * 4,
        "category": ["0", "≥1", "0", "≥1"],
        "group": ["A", "A", "B", "B"],
        "count": ["66", "34", "83", "28"],       # B adds to 111, not 112
        "percent": ["66", "34", "74.1", "25.9"],
    })
    out = check_count_table(table, {"A": 100, "B": 112})
    sums = out[out["check"] == "count-sum"].set_index("group")["consistent"]
    assert sums["A"] and not sums["B"]
    cells = out[(out["check"] == "percent-of-n") & (out["group"] == "B")]
    assert list(cells["consistent"]) == [True, False]   # 28/112 = 25.0%, not 25.9%
