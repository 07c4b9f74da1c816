"""GRIM-style percentage checks (:mod:`recheck.checks.percent`): exact arithmetic, whole tables."""

import pandas as pd
from hypothesis import given, strategies as st

from recheck.checks.percent import counts_for_percent, format_percent, grim, grim_map
from recheck.checks import percent


def test_orr_of_112_patients():
    # The Ozcan paper prints the HER2-low ORR as 71.4% and as 71.6% (n = 112).
    assert counts_for_percent("71.4%", 112) == [80]
    assert counts_for_percent("71.6%", 112) == []


def test_textbook_grim_example():
    # Brown & Heathers (2017): a mean of 5.19 from 28 integer responses is impossible;
    # as a percentage: 18.54% is not 100·k/28 for any k, 17.86% is 5/28.
    assert counts_for_percent("18.54", 28) == []
    assert counts_for_percent("17.86", 28) == [5]


def test_grim_reports_possible_counts():
    res = grim("33", "25.9", 112)   # Ozcan Table 1, menopause row
    assert not res["consistent"]
    assert res["possible"] == [29]
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
    assert grim(k, printed, n)["consistent"]


@given(st.integers(1, 500), st.integers(0, 2))
def test_every_count_maps_back(n, decimals):
    # the counts compatible with k's own percentage always include k
    for k in range(0, n + 1, max(1, n // 17)):
        assert k in counts_for_percent(format_percent(k, n, decimals), n)


def test_whole_table_margins(blank):
    blank.write("groups.csv", "table,group,n,location\nTable 1,A,100,Table 1\nTable 1,B,112,Table 1\n")
    blank.write("categorical.csv", "table,variable,category,group,count,percent,p,test,location,key,note\n"
                "Table 1,ECOG,0,A,66,66,,,Table 1,,\nTable 1,ECOG,≥1,A,34,34,,,Table 1,,\n"
                "Table 1,ECOG,0,B,83,74.1,,,Table 1,,\nTable 1,ECOG,≥1,B,28,25.9,,,Table 1,,\n")  # B: 111
    found = blank.findings(percent)
    assert found["tiny:table-1.ecog.a.count-sum"].verdict == "consistent"
    assert found["tiny:table-1.ecog.b.count-sum"].verdict == "inconsistent"
    # 28/112 = 25.0%, not 25.9%; 83/112 = 74.1%
    b = found["tiny:table-1.ecog.b.percent-of-n"]
    assert b.verdict == "inconsistent" and "28 (25.9%)" in b.explanation and "83 (74.1%)" not in b.explanation
    cells = percent.table_cells(blank.paper())
    checked = grim_map(cells)
    assert checked["consistent"].tolist() == [True, True, True, False]
    assert percent.group_sizes(blank.paper()) == {("Table 1", "A"): 100, ("Table 1", "B"): 112}
    sums = percent.sums_map(cells, blank.paper()).set_index(["group", "check"])
    assert sums.loc[("B", "count-sum"), "total"] == 111
    assert bool(sums.loc[("B", "percent-sum"), "consistent"])          # 74.1 + 25.9 = 100


def test_a_paper_without_tables_has_no_table_findings(blank):
    assert blank.findings(percent) == {}
    assert percent.group_sizes(blank.paper()) == {}
    assert isinstance(percent.grim_map(pd.DataFrame({"percent": ["50"], "n": ["2"]})), pd.DataFrame)
