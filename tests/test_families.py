"""Every check family, two ways.

* **Mutation-style**: on a copy of the synthetic test paper (``tests/papers/trialx``), run one
  family, change ONE printed cell, see the verdict flip, restore the cell, see it return.  A
  check that cannot flip cannot catch anything.
* **Scalar functions against independent references**: hand computation, brute force, SciPy
  (``ttest_ind`` on data that have the printed summaries), Altman & Bland's worked example.

The fixtures (``trialx``, ``news``, ``blank``) are in ``conftest.py``.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from scipy import stats

from recheck.checks import (claims, facts, flow, mentions, model, notprinted, percent, ratios,
                            readings, secondary, survival, tables, twogroups)
from recheck.data import DataError

X = "trialx:"
T1 = "Table 1"

# ids of the findings the mutations flip
ECOG_A = X + "table-1.ecog-ps.arm-a.percent-of-n"
HIST_B_SUM = X + "table-1.histology.arm-b.count-sum"
HIST_B_PCT = X + "table-1.histology.arm-b.percent-sum"
R_UNI = X + "table-4-univariable.{}.univariable.arm-b-vs-arm-a.{}"
R_MULTI = X + "table-4-multivariable.pfs.multivariable.{}.{}"
R_PP = X + "table-4-per-protocol.pfs.{}.arm-b-vs-arm-a.{}"


# =========================================================================================
# percent: GRIM and the sums of tables
# =========================================================================================

def brute_counts(printed: str, n: int) -> list[int]:
    """Counts whose 100·k/n lies within half a unit of the printed last digit (an independent
    implementation of the rounding rule, with exact fractions)."""
    text = printed.rstrip("%")
    decimals = len(text.split(".")[1]) if "." in text else 0
    value = Fraction(text)
    half = Fraction(1, 2 * 10 ** decimals)
    return [k for k in range(n + 1) if abs(Fraction(100 * k, n) - value) <= half]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 400), st.integers(0, 2), st.data())
def test_counts_for_percent_against_brute_force(n, decimals, data):
    units = data.draw(st.integers(0, 100 * 10 ** decimals))
    printed = f"{units / 10 ** decimals:.{decimals}f}%"
    assert percent.counts_for_percent(printed, n) == brute_counts(printed, n)


def test_counts_for_percent_known_values():
    assert percent.counts_for_percent("71.4%", 112) == [80]      # Ozcan's ORR
    assert percent.counts_for_percent("71.6%", 112) == []
    assert percent.counts_for_percent("17.86", 28) == [5]        # Brown & Heathers' GRIM (5/28)
    assert percent.counts_for_percent("18.54", 28) == []
    assert percent.counts_for_percent("50%", 3) == []            # 1/3 = 33.3, 2/3 = 66.7
    assert percent.counts_for_percent("0%", 7) == [0] and percent.counts_for_percent("100%", 7) == [7]
    assert percent.counts_for_percent("1%", 200) == [1, 2, 3]    # 0.5, 1.0 and 1.5 all print as 1
    with pytest.raises(ValueError):
        percent.counts_for_percent("10%", 0)


def test_format_percent_rounds_half_away_from_zero():
    assert percent.format_percent(1, 8, 1) == "12.5"
    assert percent.format_percent(1, 16, 1) == "6.3"      # 6.25
    assert percent.format_percent(1, 200, 0) == "1"       # 0.5
    assert percent.format_percent(2, 3, 1) == "66.7"
    assert percent.format_percent(0, 5, 0) == "0"
    assert percent.format_percent(1, 3, 2) == "33.33"
    assert percent.format_percent(1, 400, 2) == "0.25"


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 3000), st.data(), st.integers(0, 2))
def test_a_percentage_printed_from_its_count_is_consistent(n, data, decimals):
    k = data.draw(st.integers(0, n))
    printed = percent.format_percent(k, n, decimals)
    assert percent.grim(k, printed, n)["consistent"]


def test_grim():
    r = percent.grim("80", "71.4%", "112")
    assert r["consistent"] and r["possible"] == [80] and r["recomputed"] == "71.4"
    assert r["sharpness"] == pytest.approx(1 / 113)
    r = percent.grim(81, "71.4", 112)
    assert not r["consistent"] and r["recomputed"] == "72.3"
    assert percent.grim(None, "71.4", 112)["consistent"]          # no count: some count gives it
    assert not percent.grim(None, "71.6", 112)["consistent"]
    # without a count GRIM accepts the 113 printings of k/112 among the 1,001 one-decimal values
    assert percent.grim(None, "71.4", 112)["sharpness"] == pytest.approx(113 / 1001)
    assert percent.grim(None, "62", 100)["sharpness"] == 1.0       # every whole percent of 100
    assert percent.grim(None, "71.4", 5304)["sharpness"] == 1.0
    with pytest.raises(ValueError):
        percent.grim(113, "100", 112)


def test_grim_map():
    out = percent.grim_map(pd.DataFrame({"count": ["80", "81", "0"], "percent": ["71.4", "71.6", "0.0"],
                                         "n": ["112", "112", "5"]}))
    assert out["consistent"].tolist() == [True, False, True]
    assert out["possible"].tolist() == [[80], [], [0]]
    assert out["recomputed_low"].tolist() == pytest.approx([100 * 80 / 112, 100 * 81 / 112, 0.0])
    assert out["reported_low"].tolist() == pytest.approx([71.35, 71.55, 0.0])
    assert out["reported_high"].tolist() == pytest.approx([71.45, 71.65, 0.05])
    no_count = percent.grim_map(pd.DataFrame({"percent": ["71.4", "71.6"], "n": [112, 112]}))
    assert no_count["consistent"].tolist() == [True, False]
    assert no_count["count_int"].tolist() == [None, None]


def test_grim_cell_flips(trialx):
    trialx.flips(ECOG_A, "inconsistent", "consistent", family=percent, file="categorical.csv",
                 column="percent", value="58.3", variable="ECOG PS", category="0", group="Arm A")
    trialx.flips(X + "table-1.sex.arm-a.percent-of-n", "consistent", "inconsistent", family=percent,
                 file="categorical.csv", column="percent", value="55.2", variable="Sex",
                 category="Female", group="Arm A")


def test_grim_finding_numbers(trialx):
    f = trialx.findings(percent)[ECOG_A]
    assert (f.reported_low, f.reported_high) == pytest.approx((58.35, 58.45))
    assert f.recomputed_low == pytest.approx(100 * 70 / 120)
    assert "58.4% of 120 needs no whole number of patients" in f.explanation


def test_count_sum_flips(trialx):
    trialx.flips(HIST_B_SUM, "inconsistent", "consistent", family=percent, file="categorical.csv",
                 column="count", value="33", variable="Histology", category="Lobular", group="Arm B")
    f = trialx.findings(percent)[HIST_B_SUM]
    assert (f.reported_low, f.recomputed_low) == (118, 117)
    assert "not 118" in f.explanation


def test_percent_sum_flips(trialx):
    trialx.flips(HIST_B_PCT, "inconsistent", "consistent", family=percent, file="categorical.csv",
                 column="percent", value="72.9", variable="Histology", category="Ductal", group="Arm B")
    # 72.0 + 27.1: each ± 0.05, so the sum can be 99.0–99.2
    f = trialx.findings(percent)[HIST_B_PCT]
    assert (f.recomputed_low, f.recomputed_high) == pytest.approx((99.0, 99.2))
    # a sum whose rounding reaches 100 exactly is accepted: 58.4 + 37.5 + 4.2 = 100.1 ± 0.15
    assert trialx.verdict(X + "table-1.ecog-ps.arm-a.percent-sum", percent) == "consistent"


def test_prose_percent_with_count_and_denominator_flips(trialx):
    trialx.flips(X + "pct.res-ae-a", "inconsistent", "consistent", family=percent, file="reported.csv",
                 column="reported", value="26.7% (32/120)", id="res-ae-a")
    trialx.flips(X + "pct.abs-orr-a", "consistent", "inconsistent", family=percent, file="reported.csv",
                 column="reported", value="45.0% (55/120)", id="abs-orr-a")


def test_prose_percent_with_a_denominator_only(trialx):
    trialx.append("reported.csv", id="res-pd", location="Results para 3", quantity="progression",
                  population="Arm A", reported="40.0%", n="120", quote="40.0% progressed", key="pd:arm-a")
    trialx.flips(X + "pct.res-pd", "consistent", "inconsistent", family=percent, file="reported.csv",
                 column="reported", value="40.1%", id="res-pd")
    f = trialx.findings(percent)[X + "pct.res-pd"]
    assert "count itself is not printed" in f.explanation and "48 patients" in f.explanation


def test_prose_percent_of_a_table_cell_is_left_to_the_table(trialx):
    # "55.0%" keyed to a Table 1 cell, with no count of its own: the table checks it
    assert X + "pct.res-female-a" not in trialx.findings(percent)
    with trialx.cell("reported.csv", "key", "", id="res-female-a"):
        assert X + "pct.res-female-a" not in trialx.findings(percent)   # no n either
    with trialx.cell("reported.csv", "n", "120", id="res-female-a"):
        assert X + "pct.res-female-a" not in trialx.findings(percent)   # still a table cell
    with trialx.cell("reported.csv", "key", "other:key", id="res-female-a"), \
            trialx.cell("reported.csv", "n", "120", id="res-female-a"):
        assert trialx.verdict(X + "pct.res-female-a", percent) == "consistent"
    with trialx.cell("reported.csv", "reported", "55.0–56.0%", id="res-ae-a"):
        assert X + "pct.res-ae-a" not in trialx.findings(percent)       # a range is not one percentage


def test_linked_whole_cohort_percentage_flips(trialx):
    fid = X + "pct.res-female-all"
    trialx.flips(fid, "consistent", "inconsistent", family=percent, file="reported.csv",
                 column="reported", value="52.5%", id="res-female-all")
    # the count is the sum of the compared groups' cells: 66 + 58 = 124 of 120 + 118
    trialx.flips(fid, "consistent", "inconsistent", family=percent, file="categorical.csv",
                 column="count", value="59", variable="Sex", category="Female", group="Arm B")
    assert "124 of 238" in trialx.findings(percent)[fid].explanation
    with trialx.cell("reported.csv", "n", "200", id="res-female-all"):   # a printed n wins
        assert "124 of 200" in trialx.findings(percent)[fid].explanation


def test_links_skip_the_total_column(trialx):
    trialx.append("groups.csv", table=T1, group="All", n="238", location=T1)
    # a total column that is not the sum of the groups (130 ≠ 66 + 58): the link must sum the groups
    trialx.append("categorical.csv", table=T1, variable="Sex", category="Female", group="All",
                  count="130", percent="54.6", p="0.37", location=T1)
    trialx.append("categorical.csv", table=T1, variable="Sex", category="Male", group="All",
                  count="108", percent="45.4", p="0.37", location=T1)
    with trialx.text("paper.toml", 'groups = ["Arm A", "Arm B"]\n', 'total = "All"\n'):
        found = trialx.findings(percent)
        assert found[X + "pct.res-female-all"].verdict == "consistent"        # 124 of 238, not 130
        assert found[X + "table-1.sex.all.percent-of-n"].verdict == "consistent"
        assert found[X + "table-1.sex.all.count-sum"].verdict == "consistent"
        assert trialx.verdict(X + "table-1.sex.p", tables) == "consistent"    # tested on A vs B only
    with trialx.text("paper.toml", 'groups = ["Arm A", "Arm B"]\n', ''):
        # without the declaration, "All" is a third compared group
        assert trialx.verdict(X + "table-1.sex.p", tables) == "inconsistent"


def test_declared_percentage_with_its_count_elsewhere_flips(trialx):
    fid = X + "pct.res-resp-pct"
    trialx.flips(fid, "consistent", "inconsistent", family=percent, file="reported.csv",
                 column="reported", value="38.9%", id="res-resp-pct")
    trialx.flips(fid, "consistent", "inconsistent", family=percent, file="reported.csv",
                 column="reported", value="93 patients", id="res-responders")
    f = trialx.findings(percent)[fid]
    assert f.depends_on == "itt-denominator"
    assert "all randomised patients are assumed" in f.explanation


def test_declared_percentage_errors(trialx):
    with trialx.text("paper.toml", 'percent = "res-resp-pct"', 'percent = "no-such-row"'):
        with pytest.raises(DataError, match="no key or row id"):
            trialx.findings(percent)
    with trialx.text("paper.toml", 'count = "n:responders"', 'count = "n:nowhere"'):
        with pytest.raises(DataError, match="prints a count"):
            trialx.findings(percent)
    with trialx.cell("reported.csv", "n", "", id="res-resp-pct"):
        with pytest.raises(DataError, match="no denominator"):
            trialx.findings(percent)
    with trialx.text("paper.toml", 'row = "res-female-all"', 'row = "nope"'):
        with pytest.raises(DataError, match="no reported.csv row"):
            trialx.findings(percent)
    with trialx.text("paper.toml", 'category = "Female"', 'category = "Other"'):
        with pytest.raises(DataError, match="no Table 1 cell"):
            trialx.findings(percent)


def test_percentage_in_any_other_file_flips(trialx):
    trialx.flips(X + "pct.proportions.orr-arm-a.table-2", "consistent", "inconsistent", family=percent,
                 file="proportions.csv", column="percent", value="45.5", comparison="ORR", group="Arm A")
    # a row whose count is not printed: is there a count that gives it?
    with trialx.cell("proportions.csv", "count", "", comparison="ORR", group="Arm A"):
        assert trialx.findings(percent)[X + "pct.proportions.orr-arm-a.table-2"].verdict == "consistent"
        with trialx.cell("proportions.csv", "percent", "45.5", comparison="ORR", group="Arm A"):
            assert trialx.verdict(X + "pct.proportions.orr-arm-a.table-2", percent) == "inconsistent"


def test_a_cell_with_no_group_size_is_an_error(trialx):
    with trialx.cell("categorical.csv", "group", "Arm C", variable="Sex", category="Female", group="Arm A"):
        with pytest.raises(DataError, match="no n for"):
            trialx.findings(percent)


SITES = """table,variable,category,group,count,percent,p,test,location,key,note
Table 3,Metastatic sites,Liver,A,20,40.0,0.55,,Table 3,,
Table 3,Metastatic sites,Liver,B,17,34.0,0.55,,Table 3,,
Table 3,Metastatic sites,Bone,A,30,60.0,0.016,,Table 3,,
Table 3,Metastatic sites,Bone,B,18,36.0,0.016,,Table 3,,
Table 3,Regimen,Chemotherapy,A,30,60.0,,,Table 3,,
Table 3,Regimen,Chemotherapy,B,28,56.0,,,Table 3,,
Table 3,Regimen,Endocrine,A,20,40.0,,,Table 3,,
Table 3,Regimen,Endocrine,B,22,44.0,,,Table 3,,
Table 3,Chemotherapy,Taxane,A,18,,,,Table 3,,
Table 3,Chemotherapy,Taxane,B,16,,,,Table 3,,
Table 3,Chemotherapy,Anthracycline,A,12,,,,Table 3,,
Table 3,Chemotherapy,Anthracycline,B,12,,,,Table 3,,
"""


@pytest.fixture
def sites(blank):
    """A table with one non-exclusive variable (a patient may have several sites) and sub-rows."""
    blank.write("groups.csv", "table,group,n,location\nTable 3,A,50,Table 3\nTable 3,B,50,Table 3\n")
    blank.write("categorical.csv", SITES)
    with open(blank.path / "paper.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[[tables]]\nname = "Table 3"\nnon_exclusive = ["Metastatic sites"]\n'
                 'subrows = { "Chemotherapy" = "Regimen" }\n')
    return blank


def test_non_exclusive_rows_are_not_summed_and_each_is_tested_alone(sites):
    found = sites.findings(percent)
    assert "tiny:table-3.metastatic-sites.a.count-sum" not in found          # 30 + 20 ≠ 50, by design
    assert found["tiny:table-3.metastatic-sites.a.percent-of-n"].verdict == "consistent"
    p = sites.findings(tables)
    bone = p["tiny:table-3.metastatic-sites.bone.p"]
    # Bone: 30/50 with vs 18/50; Pearson 0.0163 (printed 0.016)
    assert stats.chi2_contingency([[30, 18], [20, 32]], correction=False).pvalue == pytest.approx(0.0163, abs=1e-4)
    assert bone.verdict == "consistent"
    assert "30/50 vs 18/50" in bone.explanation
    assert "tiny:table-3.metastatic-sites.p" not in p
    assert [i for i in p if "metastatic-sites" in i] == ["tiny:table-3.metastatic-sites.liver.p",
                                                          "tiny:table-3.metastatic-sites.bone.p"]


def test_non_exclusive_row_p_flips(sites):
    ref = stats.chi2_contingency([[20, 17], [30, 33]], correction=False).pvalue
    assert ref == pytest.approx(0.5344, abs=1e-4)                 # printed 0.55; Yates/Fisher 0.68
    sites.flips("tiny:table-3.metastatic-sites.liver.p", "inconsistent", "consistent", family=tables,
                file="categorical.csv", column="p", value="0.53", variable="Metastatic sites",
                category="Liver", group="A")


def test_sub_rows_add_to_their_parent_row(sites):
    fid = "tiny:table-3.chemotherapy.a.count-sum"
    sites.flips(fid, "consistent", "inconsistent", family=percent, file="categorical.csv",
                column="count", value="13", variable="Chemotherapy", category="Anthracycline", group="A")
    f = sites.findings(percent)[fid]
    assert f.reported == "parent row 30" and "parent row" in f.explanation
    with sites.text("paper.toml", '"Chemotherapy" = "Regimen"', '"Chemotherapy" = "Nowhere"'):
        with pytest.raises(DataError, match="no single parent row"):
            sites.findings(percent)


# =========================================================================================
# tables: a table's p under every variant of its test
# =========================================================================================

def test_table_pvalues_against_scipy_and_hand():
    t = np.array([[12, 5], [3, 10]])
    out = tables.table_pvalues(t).set_index("test")["p"]
    # by hand: expected 8.5, 8.5, 6.5, 6.5; X² = 3.5² · (2/8.5 + 2/6.5) = 6.6516
    assert out["pearson"] == pytest.approx(stats.chi2.sf(12.25 * (2 / 8.5 + 2 / 6.5), 1))
    assert out["yates"] == pytest.approx(stats.chi2.sf(9.0 * (2 / 8.5 + 2 / 6.5), 1))   # (|3.5| − ½)²
    from math import comb
    pr = {a: comb(15, a) * comb(15, 17 - a) / comb(30, 17) for a in range(2, 16)}
    assert out["fisher"] == pytest.approx(sum(v for v in pr.values() if v <= pr[12] * (1 + 1e-9)))
    g = 2 * sum(o * math.log(o / e) for o, e in zip([12, 5, 3, 10], [8.5, 8.5, 6.5, 6.5]))
    assert out["likelihood-ratio"] == pytest.approx(stats.chi2.sf(g, 1))


def test_table_pvalues_missing_rows_zero_rows_and_larger_tables():
    t = pd.DataFrame({"A": [30, 60, 10, 0], "B": [45, 50, 5, 0]}, index=["yes", "no", "Missing", "empty"])
    out = tables.table_pvalues(t)
    excluded = out[(out["missing"] == "excluded") & (out["test"] == "pearson")]["p"].item()
    kept = out[(out["missing"] == "as a category") & (out["test"] == "pearson")]["p"].item()
    assert excluded == pytest.approx(stats.chi2_contingency([[30, 45], [60, 50]], correction=False).pvalue)
    assert kept == pytest.approx(stats.chi2_contingency([[30, 45], [60, 50], [10, 5]], correction=False).pvalue)
    assert set(out[out["missing"] == "as a category"]["test"]) == {"pearson", "likelihood-ratio", "fisher"}
    assert "Fisher's exact test, missing excluded" in set(out["variant"])
    assert "Pearson χ²" in set(tables.table_pvalues([[1, 2], [3, 4]])["variant"])
    # a label the paper declares as missing
    assert set(tables.table_pvalues(t.rename(index={"Missing": "n.r."}), missing=["N.R."])["missing"]) \
        == {"excluded", "as a category"}
    assert set(tables.table_pvalues(t.rename(index={"Missing": "n.r."}))["missing"]) == {"as a category"}
    # a single non-empty column tests nothing
    assert tables.table_pvalues([[3, 0], [4, 0]]).empty


def test_fisher_beyond_2x2_is_exact_with_or_without_missing_rows():
    """R 4.2.2, fisher.test(matrix(c(30, 60, 10, 45, 50, 5), 3)) = 0.0692526206939."""
    t = pd.DataFrame({"A": [30, 60, 10], "B": [45, 50, 5]}, index=["y", "n", "Missing"])
    out = tables.table_pvalues(t).set_index(["test", "missing"])["p"]
    assert out[("fisher", "as a category")] == pytest.approx(0.0692526206939, rel=1e-9)
    assert out[("fisher", "excluded")] == pytest.approx(stats.fisher_exact([[30, 45], [60, 50]]).pvalue)


@pytest.mark.parametrize("printed, rec, stated, verdict", [
    ("0.03", {"Pearson": 0.031, "Fisher": 0.06}, ["Pearson"], "consistent"),
    ("0.06", {"Pearson": 0.031, "Fisher": 0.06}, ["Pearson"], "variant"),
    ("0.02", {"Pearson": 0.031, "Fisher": 0.04}, ["Pearson"], "inconsistent"),
    # statcheck's rule: printed and every stated variant on opposite sides of α
    ("0.03", {"Pearson": 0.30, "Fisher": 0.04}, ["Pearson"], "gross"),
    ("0.30", {"Pearson": 0.03}, ["Pearson"], "gross"),
    ("p < 0.05", {"Pearson": 0.06}, [], "gross"),
    ("p < 0.001", {"Pearson": 0.0012}, [], "inconsistent"),
    # no stated test: every variant must flip
    ("0.03", {"Pearson": 0.30, "Fisher": 0.04}, [], "inconsistent"),
    ("0.03", {"Pearson": 0.30, "Fisher": 0.40}, [], "gross"),
    # a printed 0.05 is on no side of 0.05: never gross
    ("0.05", {"Pearson": 0.30}, ["Pearson"], "inconsistent"),
])
def test_judge_variants(printed, rec, stated, verdict):
    assert tables.judge_variants(printed, rec, stated)["verdict"] == verdict


def test_judge_variants_straddling_range_decides_nothing():
    from recheck.reported import Interval
    j = tables.judge_variants("0.01", {"t": Interval.hull([0.03, 0.07])})
    assert j["verdict"] == "inconsistent" and not j["same_side"]
    j = tables.judge_variants("0.20", {"t": Interval.hull([0.03, 0.07])})
    assert j["verdict"] == "inconsistent"
    j = tables.judge_variants("0.20", {"t": Interval.hull([0.01, 0.04])})
    assert j["verdict"] == "gross" and not j["same_side"]


def test_judge_variants_details():
    from recheck.reported import Interval
    j = tables.judge_variants("0.06", {"Pearson": 0.031, "Fisher": 0.06, "Yates": 0.07}, ["Pearson"])
    assert j["matching"] == ["Fisher"] and j["which"] == "Fisher"
    assert j["printed_side"] == "not significant" and not j["same_side"]
    assert (j["low"], j["high"]) == pytest.approx((0.031, 0.031))
    j = tables.judge_variants("0.20", {"Pearson": 0.31, "Fisher": 0.22}, [])
    assert j["verdict"] == "inconsistent" and j["closest"] == "Fisher" and j["same_side"]
    assert (j["low"], j["high"]) == pytest.approx((0.22, 0.31))
    j = tables.judge_variants("0.04", {"t": Interval.hull([0.041, 0.045])})
    assert j["verdict"] == "consistent"                         # the rounding intervals touch
    j = tables.judge_variants("0.03", {"a": 0.10}, ["a"], alpha=0.01)
    assert j["verdict"] == "inconsistent" and j["printed_side"] == "not significant"
    with pytest.raises(KeyError):
        tables.judge_variants("0.03", {"Pearson": 0.03}, ["Welch"])


def test_stated_variants():
    v = tables.table_pvalues(pd.DataFrame({"A": [30, 60, 10], "B": [45, 50, 5]}, index=["y", "n", "Missing"]))
    both = tables.stated_variants("chi-square test or Fisher's exact test", v)
    assert set(both) == {"Pearson χ², missing excluded", "Pearson χ², missing as a category",
                         "Fisher's exact test, missing excluded",
                         "Fisher's exact test, missing as a category"}
    assert tables.stated_variants("Chi-square test, excluding the missing category", v) == \
        ["Pearson χ², missing excluded"]
    assert tables.stated_variants("χ² with Yates' correction", v) == \
        ["Pearson χ², missing excluded", "Pearson χ² with Yates' correction, missing excluded",
         "Pearson χ², missing as a category"]
    assert tables.stated_variants("Pearson", v)[0] == "Pearson χ², missing excluded"
    assert tables.stated_variants("", v) == [] and tables.stated_variants("Mann-Whitney", v) == []


def test_table_p_flips(trialx):
    # 76 women in Arm A: Pearson 0.14, not the printed 0.37
    trialx.flips(X + "table-1.sex.p", "consistent", "inconsistent", family=tables, file="categorical.csv",
                 column="count", value="76", variable="Sex", category="Female", group="Arm A")
    # 8/120 vs 3/118: Pearson 0.130, Fisher 0.216: nothing gives 0.136 any more
    trialx.flips(X + "table-1.prior-surgery.p", "variant", "inconsistent", family=tables,
                 file="categorical.csv", column="count", value="8", variable="Prior surgery",
                 category="Yes", group="Arm A")
    # G3 in Arm B 35 instead of 38: Pearson 0.622, as printed
    trialx.flips(X + "table-1.grade.p", "inconsistent", "consistent", family=tables, file="categorical.csv",
                 column="count", value="35", variable="Grade", category="G3", group="Arm B")


def test_table_p_gross_and_variant(trialx):
    found = trialx.findings(tables)
    g = found[X + "table-1.visceral-metastases.p"]
    assert g.verdict == "gross" and g.severity == "decisive"
    assert "significant at 0.05" in g.explanation
    v = found[X + "table-1.prior-surgery.p"]
    assert v.verdict == "variant" and "Fisher's exact test" in v.explanation
    # the gross one becomes inconsistent when the recomputed p is on the printed side
    trialx.flips(X + "table-1.visceral-metastases.p", "gross", "inconsistent", family=tables,
                 file="categorical.csv", column="count", value="25", variable="Visceral metastases",
                 category="Yes", group="Arm B")


def test_table_p_stated_test_decides_variant(trialx):
    trialx.flips_text(X + "table-1.prior-surgery.p", "variant", "consistent", family=tables,
                      file="paper.toml", old="categorical = \"Pearson's chi-squared test\"",
                      new="categorical = \"Fisher's exact test\"")
    trialx.flips(X + "table-1.prior-surgery.p", "variant", "consistent", family=tables,
                 file="categorical.csv", column="test", value="Pearson or Fisher", variable="Prior surgery",
                 category="Yes", group="Arm A")
    with trialx.text("paper.toml", '[[tables]]\nname = "Table 1"\n',
                     '[[tables]]\nname = "Table 1"\ntest = "Fisher\'s exact test"\n'):
        assert trialx.verdict(X + "table-1.prior-surgery.p", tables) == "consistent"


def test_table_p_missing_handling(trialx):
    fid = X + "table-1.ecog-ps.p"
    excluding = "categorical = \"Pearson's chi-squared test, excluding the missing category\""
    plain = "categorical = \"Pearson's chi-squared test\""
    # printed: Pearson with the Missing row excluded (0.647)
    trialx.flips_text(fid, "consistent", "consistent", family=tables, file="paper.toml", old=plain,
                      new=excluding)
    # printed: Pearson with the Missing row as a category (0.857); a test that does not say how it
    # handled the row names both handlings, one that says "excluding" names one
    with trialx.replace_all("categorical.csv", ",0.65,,", ",0.86,,", count=6):
        trialx.flips_text(fid, "consistent", "variant", family=tables, file="paper.toml", old=plain,
                          new=excluding)


def test_table_p_needs_one_printed_p(trialx):
    fid = X + "table-1.sex.p"
    with trialx.cell("categorical.csv", "p", "0.36", variable="Sex", category="Male", group="Arm B"):
        assert fid not in trialx.findings(tables)           # two different p's for one variable
    with trialx.text("categorical.csv", "Table 1,Sex,Female,Arm A,66,55.0,0.37,",
                     "Table 1,Sex,Female,Arm A,66,55.0,,"):
        assert fid not in trialx.findings(tables)
    assert trialx.verdict(fid, tables) == "consistent"


def test_proportions_p_flips(trialx):
    fid = X + "orr.p"
    trialx.flips(fid, "consistent", "inconsistent", family=tables, file="proportions.csv",
                 column="count", value="30", comparison="ORR", group="Arm B")
    f = trialx.findings(tables)[fid]
    assert "Arm A: 54/120; Arm B: 38/118" in f.quantity


def test_proportions_p_from_implied_counts(trialx):
    fid = X + "orr.p"
    with trialx.cell("proportions.csv", "count", "", comparison="ORR", group="Arm A"):
        f = trialx.findings(tables)[fid]
        assert f.verdict == "consistent" and "counts are those the printed percentages allow" in f.explanation
        # a printing no count gives is set aside: the Abstract's 45.0% (54/120) fixes the count
        with trialx.cell("proportions.csv", "percent", "45.5", comparison="ORR", group="Arm A"):
            assert trialx.verdict(fid, tables) == "consistent"
            with trialx.cell("proportions.csv", "key", "", comparison="ORR", group="Arm A"):
                with pytest.raises(DataError, match="allows counts"):
                    trialx.findings(tables)
        # 2% of 120 allows 2 or 3 patients: the table is not fixed
        with trialx.cell("proportions.csv", "percent", "2", comparison="ORR", group="Arm A"), \
                trialx.cell("proportions.csv", "key", "", comparison="ORR", group="Arm A"):
            with pytest.raises(DataError, match=r"allows counts \[2, 3\]"):
                trialx.findings(tables)


def test_proportions_p_printed_in_several_places(trialx):
    with trialx.cell("proportions.csv", "key", "orr:arm-a; p=orr:p", comparison="ORR", group="Arm A"), \
            trialx.cell("proportions.csv", "key", "orr:arm-b; p=orr:p", comparison="ORR", group="Arm B"):
        trialx.append("reported.csv", id="disc-orr-p", location="Discussion para 5", quantity="p, ORR",
                      population="Arm A vs Arm B", reported="p = 0.07", key="orr:p")
        found = trialx.findings(tables)
        assert found[X + "orr.p.table-2"].verdict == "consistent"
        # 0.07 against the stated Pearson 0.043 (Yates 0.058 is not it either): the conclusion flips
        assert found[X + "orr.p.discussion-para-5"].verdict == "gross"
        assert found[X + "orr.p.discussion-para-5"].reported == "0.07"
        assert found[X + "orr.p.table-2"].issue == found[X + "orr.p.discussion-para-5"].issue == X + "ORR:p"


# =========================================================================================
# twogroups: t-tests from means, SDs and Ns
# =========================================================================================

def with_summaries(mean: float, sd: float, n: int, seed: int) -> np.ndarray:
    """n values whose mean and SD (n − 1) are exactly *mean* and *sd*."""
    z = np.random.default_rng(seed).normal(size=n)
    return mean + sd * (z - z.mean()) / z.std(ddof=1)


@pytest.mark.parametrize("m1, s1, n1, m2, s2, n2", [
    ("61.2", "9.8", 120, "59.9", "10.4", 118),
    ("10.0", "2.0", 30, "11.0", "2.0", 30),
    ("5.0", "1.0", 10, "6.0", "3.0", 40),
])
def test_summary_t_tests_against_scipy_on_data_with_those_summaries(m1, s1, n1, m2, s2, n2):
    out = twogroups.summary_t_tests(m1, s1, n1, m2, s2, n2)
    x, y = with_summaries(float(m1), float(s1), n1, 1), with_summaries(float(m2), float(s2), n2, 2)
    for name, equal_var in (("student", True), ("welch", False)):
        ref = stats.ttest_ind(x, y, equal_var=equal_var).pvalue
        assert out.loc[name, "p_at_printed"] == pytest.approx(ref, rel=1e-9)
        assert out.loc[name, "p_low"] <= ref <= out.loc[name, "p_high"]
        assert out.loc[name, "p"].contains(ref)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_true_p_lies_in_the_rounding_box_range(seed):
    """Raw data → printed (rounded) summaries → the range must contain the raw data's p."""
    rng = np.random.default_rng(seed)
    n1, n2 = int(rng.integers(5, 60)), int(rng.integers(5, 60))
    x, y = rng.normal(50, 8, n1), rng.normal(50 + rng.normal(0, 4), rng.uniform(4, 12), n2)
    out = twogroups.summary_t_tests(f"{x.mean():.1f}", f"{x.std(ddof=1):.1f}", n1,
                                    f"{y.mean():.1f}", f"{y.std(ddof=1):.1f}", n2)
    for name, equal_var in (("student", True), ("welch", False)):
        ref = stats.ttest_ind(x, y, equal_var=equal_var).pvalue
        assert out.loc[name, "p_low"] - 1e-12 <= ref <= out.loc[name, "p_high"] + 1e-12


def test_summary_t_tests_edges():
    out = twogroups.summary_t_tests("5", "1", 20, "5", "1", 20)      # the means may be equal
    assert out.loc["student", "p_high"] == 1.0 and out.loc["welch", "p_high"] == 1.0
    out = twogroups.summary_t_tests("5.0", "0.0", "20", "6.0", "0.0", "20")   # an SD printed as 0.0
    assert out.loc["student", "p_low"] < 1e-6
    out = twogroups.summary_t_tests("5.0", "1.0", 10, "6.0", "3.0", 40)
    assert out.loc["welch", "p_at_printed"] != pytest.approx(out.loc["student", "p_at_printed"], rel=1e-3)


def test_summary_t_map():
    frame = pd.DataFrame({
        "table": ["T"] * 7, "variable": ["a", "a", "b", "b", "c", "c", "c"],
        "group": ["x", "y", "x", "y", "x", "y", "z"], "n": ["30", "30", "30", "", "10", "10", "10"],
        "mean": ["10.0", "11.0", "1", "2", "1", "2", "3"], "sd": ["2.0", "2.0", "1", "1", "1", "1", "1"],
        "median": ["", "", "", "", "", "", ""], "p": ["0.06", "0.06", "0.5", "0.5", "0.1", "0.1", "0.1"],
        "test": ["t-test"] * 7})
    out = twogroups.summary_t_map(frame).set_index("variable")
    assert out.loc["a", "verdict"] == "consistent"
    assert out.loc["b", "verdict"] == "not-checkable"
    assert "c" not in out.index                               # three groups: no two-group test


def test_summary_t_flips(trialx):
    trialx.flips(X + "table-1.bmi-kg-m.p", "inconsistent", "consistent", family=twogroups,
                 file="continuous.csv", column="p", value="0.60", variable="BMI (kg/m²)", group="Arm A")
    trialx.flips(X + "table-1.age-years.p", "consistent", "inconsistent", family=twogroups,
                 file="continuous.csv", column="mean", value="62.2", variable="Age (years)", group="Arm A")
    trialx.flips(X + "table-1.age-years.p", "consistent", "gross", family=twogroups,
                 file="continuous.csv", column="mean", value="64.2", variable="Age (years)", group="Arm A")
    trialx.flips(X + "table-1.age-years.p", "consistent", "not-checkable", family=twogroups,
                 file="continuous.csv", column="sd", value="", variable="Age (years)", group="Arm B")
    trialx.flips(X + "table-1.age-years.p", "consistent", None, family=twogroups,
                 file="continuous.csv", column="p", value="", variable="Age (years)", group="Arm A")


def test_summary_t_gross_needs_a_stated_t_test(trialx):
    fid = X + "table-1.albumin-g-l.p"
    trialx.flips(fid, "gross", "inconsistent", family=twogroups, file="continuous.csv", column="test",
                 value="Mann–Whitney U", variable="Albumin (g/L)", group="Arm A")
    with trialx.cell("continuous.csv", "test", "", variable="Albumin (g/L)", group="Arm A"):
        assert "does not name its test" in trialx.findings(twogroups)[fid].explanation
    with trialx.cell("continuous.csv", "test", "chi-square", variable="Albumin (g/L)", group="Arm A"):
        assert "does not apply to a mean" in trialx.findings(twogroups)[fid].explanation
    f = trialx.findings(twogroups)[X + "table-1.bmi-kg-m.p"]
    assert (f.recomputed_low, f.recomputed_high) == pytest.approx((0.4739, 0.7264), abs=1e-4)
    with trialx.cell("continuous.csv", "p", "0.02", variable="BMI (kg/m²)", group="Arm A"), \
            trialx.cell("continuous.csv", "test", "Wilcoxon", variable="BMI (kg/m²)", group="Arm A"):
        f = trialx.findings(twogroups)[X + "table-1.bmi-kg-m.p"]
        assert f.verdict == "inconsistent" and "would not be significant" in f.explanation


def test_summary_t_not_checkable_templates(trialx):
    fid = X + "table-1.age-years.p"
    with trialx.cell("continuous.csv", "mean", "", variable="Age (years)", group="Arm A"):
        assert "no N, mean or SD" in trialx.findings(twogroups)[fid].explanation
        with trialx.cell("continuous.csv", "median", "60", variable="Age (years)", group="Arm A"):
            assert "medians and ranges" in trialx.findings(twogroups)[fid].explanation


# =========================================================================================
# ratios: a ratio's CI centre and the p its CI implies
# =========================================================================================

def phi_tail(z: float) -> float:
    """Two-sided normal p by the error function (independent of SciPy)."""
    return math.erfc(abs(z) / math.sqrt(2))


def test_altman_bland_worked_example():
    # Altman & Bland, BMJ 2011;343:d2304: RR 0.81, 95% CI 0.70 to 0.94.
    # SE = (ln 0.94 − ln 0.70)/(2 × 1.96) = 0.0752; z = 0.211/0.0752 = 2.80; P = 0.005.
    se = (math.log(0.94) - math.log(0.70)) / (2 * 1.96)
    z = abs(math.log(0.81)) / se
    assert se == pytest.approx(0.0752, abs=5e-5) and z == pytest.approx(2.80, abs=0.01)
    p_paper = math.exp(-0.717 * z - 0.416 * z ** 2)          # their approximation of the tail
    assert p_paper == pytest.approx(0.005, abs=5e-4)
    c = ratios.check_ratio("0.81", "0.70", "0.94", "0.005")
    assert c.implied_p.contains(phi_tail(z)) and c.implied_p.contains(0.005)
    assert c.centre_consistent and c.p_consistent and c.ci_p_agree and c.ci_excludes_one
    assert not ratios.check_ratio("0.81", "0.70", "0.94", "0.02").p_consistent


def test_check_ratio_centre_is_the_geometric_mean():
    c = ratios.check_ratio("0.89", "0.62", "1.21")       # Ozcan Table 3: √(0.62·1.21) = 0.866
    assert float(c.centre.low) == pytest.approx(math.sqrt(0.615 * 1.205))
    assert float(c.centre.high) == pytest.approx(math.sqrt(0.625 * 1.215))
    assert not c.centre_consistent and c.p is None and c.p_consistent is None
    assert ratios.check_ratio("0.87", "0.62", "1.21").centre_consistent


def test_check_ratio_implied_p_over_the_rounding_box():
    c = ratios.check_ratio("1.30", "1.02", "1.66")
    z = lambda e, lo, hi: abs(math.log(e)) / ((math.log(hi) - math.log(lo)) / (2 * 1.959963985))
    assert float(c.implied_p.low) == pytest.approx(phi_tail(z(1.305, 1.025, 1.655)), rel=1e-6)
    assert float(c.implied_p.high) == pytest.approx(phi_tail(z(1.295, 1.015, 1.665)), rel=1e-6)
    assert c.implied_p.contains(phi_tail(z(1.30, 1.02, 1.66)))
    assert ratios.check_ratio("1.00", "0.80", "1.25").implied_p.high == 1   # an HR that rounds to 1
    assert ratios.check_ratio("0.5", "0.25", "1.00", level=0.90).implied_p.low > \
        ratios.check_ratio("0.5", "0.25", "1.00").implied_p.low            # a 90% CI is narrower


def test_check_ratio_ci_and_p_disagree():
    c = ratios.check_ratio("1.60", "1.10", "2.33", "0.20")
    assert c.ci_excludes_one and c.ci_p_agree is False
    c = ratios.check_ratio("0.49", "0.19", "1.25", "0.042")
    assert c.ci_excludes_one is False and c.ci_p_agree is False
    c = ratios.check_ratio("0.67", "0.45", "1.00", "0.051")      # a limit that rounds to 1.00
    assert c.ci_excludes_one is None and c.ci_p_agree is None
    assert ratios.check_ratio("0.67", "0.45", "0.99", "0.05").ci_p_agree is None   # p = 0.05: undecided
    assert ratios.check_ratio("0.60", "0.40", "0.90", "0.01").ci_p_agree is True
    assert ratios.check_ratio("0.90", "0.70", "1.16", "0.40").ci_p_agree is True


def test_non_wald_p_has_a_derived_tolerance():
    # z from the CI ≈ 2.04–2.10 (p 0.036–0.043). At HR 1.5 the partial likelihood lets a log-rank
    # z differ from the Wald z by a factor of 0.986–1.007 only, so p = 0.045 fits a log-rank p but
    # not a Wald p, and p = 0.03 (z 14% above the Wald z) fits neither — a fixed 10% allowed it.
    wald = ratios.check_ratio("1.50", "1.02", "2.21", "0.045")
    lr = ratios.check_ratio("1.50", "1.02", "2.21", "0.045", p_test="log-rank")
    score = ratios.check_ratio("1.50", "1.02", "2.21", "0.045", p_test="score")
    assert not wald.p_consistent and lr.p_consistent and score.p_consistent
    assert wald.score_factor == (1.0, 1.0) and 0.98 < lr.score_factor[0] < 1 < lr.score_factor[1] < 1.01
    for p in ("0.09", "0.03", "0.015"):
        assert not ratios.check_ratio("1.50", "1.02", "2.21", p, p_test="log-rank").p_consistent, p
    assert lr.accept.low < wald.accept.low and lr.accept.high > wald.accept.high
    # near HR = 1 the tests all but coincide
    lo, hi = ratios.score_to_wald_z(0.0, 0.05)
    assert 0.999 < lo <= 1 <= hi < 1.001


def test_a_p_that_fits_the_ci_centre_points_at_the_estimate():
    """HR 0.89 (0.62–1.21) with log-rank p = 0.40: the CI's centre is 0.866, which gives p = 0.40,
    while the printed 0.89 gives p ≈ 0.49. The finding says the estimate is the likelier misprint."""
    c = ratios.check_ratio("0.89", "0.62", "1.21", "0.40", p_test="log-rank")
    assert not c.centre_consistent and not c.p_consistent and c.centre_p_consistent
    assert not ratios.check_ratio("0.89", "0.62", "1.21", "0.20", p_test="log-rank").centre_p_consistent


def test_one_sided_p_is_doubled():
    c = ratios.check_ratio("0.70", "0.52", "0.95", "0.010", p_test="one-sided")
    assert c.p_consistent and c.ci_p_agree is None
    assert not ratios.check_ratio("0.70", "0.52", "0.95", "0.020", p_test="one-sided").p_consistent
    assert not ratios.check_ratio("0.70", "0.52", "0.95", "0.005", p_test="one-sided").p_consistent
    assert ratios.check_ratio("0.70", "0.52", "0.95", "< 0.05", p_test="one-sided").p_consistent
    assert ratios.check_ratio("1.0", "0.5", "2.0", "0.5", p_test="one-sided").p_consistent   # 2p capped at 1


def test_z_of_p():
    assert ratios.z_of_p(0.05) == pytest.approx(1.959964, abs=1e-6)
    assert ratios.z_of_p(0.3173) == pytest.approx(1.0, abs=1e-3)
    assert math.isinf(ratios.z_of_p(0.0))


def test_ratio_map_skips_rows_without_a_ci():
    frame = pd.DataFrame({"estimate": ["1.2", "1.2", ""], "ci_low": ["0.9", "", "0.9"],
                          "ci_high": ["1.6", "1.6", "1.6"], "p": ["0.2", "", ""], "p_test": ["", "", ""]})
    out = ratios.ratio_map(frame)
    assert len(out) == 1 and out[0][1].p_consistent


def test_ratio_findings_flip(trialx):
    trialx.flips(R_MULTI.format("visceral-vs-non-visceral", "centre"), "inconsistent", "consistent",
                 family=ratios, file="ratios.csv", column="estimate", value="1.02", key="hr:visceral:adj")
    trialx.flips(R_MULTI.format("ecog-ps-1-vs-0", "p"), "inconsistent", "consistent", family=ratios,
                 file="ratios.csv", column="p", value="0.035", key="hr:ecog:adj")
    trialx.flips(R_MULTI.format("age-ge-65-vs-lt-65", "p"), "gross", "consistent", family=ratios,
                 file="ratios.csv", column="p", value="0.008", key="hr:age:adj")
    trialx.flips(R_UNI.format("os", "p"), "consistent", "gross", family=ratios, file="ratios.csv",
                 column="p", value="0.04", key="hr:os")
    trialx.flips(R_UNI.format("pfs", "centre"), "consistent", "inconsistent", family=ratios,
                 file="ratios.csv", column="ci_low", value="0.42", key="hr:pfs")


def test_ratio_one_sided_flips(trialx):
    fid = R_PP.format("per-protocol-stratified", "one-sided-p")
    trialx.flips(fid, "inconsistent", "consistent", family=ratios, file="ratios.csv", column="p",
                 value="0.008", key="hr:pfs:pp-strat")
    trialx.flips(fid, "inconsistent", None, family=ratios, file="ratios.csv", column="p_test",
                 value="", key="hr:pfs:pp-strat")


def test_ratio_log_rank_p_flips(trialx):
    # HR 1.30 (1.02–1.66): Wald p 0.029–0.041; a log-rank z may differ by a factor of 0.994–1.003
    # at this HR, so a log-rank p as large as 0.0418 fits, and 0.042 (0.0415–0.0425) just does
    fid = R_MULTI.format("ecog-ps-1-vs-0", "p")
    with trialx.cell("ratios.csv", "p", "0.042", key="hr:ecog:adj"):
        trialx.flips(fid, "inconsistent", "consistent", family=ratios, file="ratios.csv", column="p_test",
                     value="log-rank", key="hr:ecog:adj")
        with trialx.cell("ratios.csv", "p_test", "log-rank", key="hr:ecog:adj"):
            assert "log-rank p" in trialx.findings(ratios)[fid].explanation


def test_ratio_finding_numbers(trialx):
    f = trialx.findings(ratios)[R_MULTI.format("age-ge-65-vs-lt-65", "p")]
    assert f.severity == "decisive" and "excludes 1" in f.explanation
    assert (f.reported_low, f.reported_high) == pytest.approx((0.205, 0.215))
    assert f.recomputed_low == pytest.approx(0.0070, abs=1e-4)
    c = trialx.findings(ratios)[R_UNI.format("pfs", "centre")]
    assert (c.recomputed_low, c.recomputed_high) == pytest.approx((math.sqrt(0.515 * 0.945),
                                                                    math.sqrt(0.525 * 0.955)))


# =========================================================================================
# model: a stated rule for entering a multivariable model
# =========================================================================================

SMOKING, LIVER, AGE = (X + f"model-entry.t5-{v}" for v in ("smoking", "liver", "age"))


def test_model_entry_rule_flips(trialx):
    found = trialx.findings(model)
    assert set(found) == {SMOKING, LIVER}
    assert "entered the multivariable model although its univariate p = 0.56" in found[SMOKING].explanation
    assert "should be in the multivariable model" in found[LIVER].explanation
    assert found[SMOKING].issue == X + "model-entry"
    trialx.flips(SMOKING, "inconsistent", None, family=model, file="ratios.csv", column="p", value="0.03",
                 key="hr:t5-smoking:univariate")
    trialx.flips(LIVER, "inconsistent", None, family=model, file="ratios.csv", column="key",
                 value="hr:t5-liver:multivariate", key="hr:t5-smoking:multivariate")
    trialx.flips(AGE, None, "inconsistent", family=model, file="ratios.csv", column="model",
                 value="adjusted", key="hr:t5-age:multivariate")
    # a p exactly at the threshold does not meet "p < 0.05"
    trialx.flips(AGE, None, "inconsistent", family=model, file="ratios.csv", column="p", value="0.050",
                 key="hr:t5-age:univariate")
    trialx.flips(AGE, None, None, family=model, file="ratios.csv", column="p", value="0.0499",
                 key="hr:t5-age:univariate")


def test_model_entry_threshold(trialx):
    with trialx.text("paper.toml", "model_entry = 0.05", "model_entry = 0.01"):
        assert set(trialx.findings(model)) == {SMOKING, AGE}          # 0.011 and 0.037 miss 0.01
    with trialx.text("paper.toml", "model_entry = 0.05", "model_entry = 0.6"):
        assert set(trialx.findings(model)) == {LIVER}
    with trialx.text("paper.toml", "model_entry = 0.05\n", ""):
        assert trialx.findings(model) == {}
    with trialx.cell("ratios.csv", "p", "", key="hr:t5-liver:univariate"):
        assert set(trialx.findings(model)) == {SMOKING}               # no p: nothing to apply it to


# =========================================================================================
# mentions: a number printed in several places
# =========================================================================================

def test_compare_mentions():
    cm = mentions.compare_mentions
    assert cm([("Abstract", "71.4"), ("Table 2", "71.6")], "percent")["verdict"] == "inconsistent"
    assert cm([("Abstract", "62%"), ("Results", "62.0%")], "percent")["verdict"] == "consistent"
    assert cm([("Results", "0.04"), ("Discussion", "0.26")], "p")["verdict"] == "gross"
    assert cm([("Results", "0.82"), ("Discussion", "0.80")], "p")["verdict"] == "inconsistent"
    assert cm([("Results", "0.03"), ("Discussion", "0.04")], "p")["verdict"] == "consistent"   # 0.035
    assert cm([("Results", "0.03"), ("Discussion", "0.045")], "p")["verdict"] == "inconsistent"
    assert cm([("Results", "p < 0.05"), ("Discussion", "0.04")], "p")["verdict"] == "consistent"
    assert cm([("a", "1.2"), ("b", "1.25"), ("c", "1.3")], "estimate")["verdict"] == "consistent"   # 1.25
    assert cm([("a", "1.2"), ("b", "1.3"), ("c", "1.26")], "estimate")["verdict"] == "inconsistent"
    assert cm([("a", "Phase III"), ("b", "phase 3")], "text")["verdict"] == "consistent"
    assert cm([("a", "phase 2"), ("b", "phase 3")], "text")["verdict"] == "inconsistent"
    r = cm([("a", "71.4"), ("b", "71.6")], "percent")
    assert (r["low"], r["high"]) == pytest.approx((71.35, 71.65)) and not r["common"]


def test_mentions_flip(trialx):
    trialx.flips(X + "cross.orr-arm-b", "inconsistent", "consistent", family=mentions, file="reported.csv",
                 column="reported", value="32.2%", id="abs-orr-b")
    trialx.flips(X + "cross.p-interaction", "gross", "consistent", family=mentions, file="reported.csv",
                 column="reported", value="p = 0.03", id="disc-int-p")
    trialx.flips(X + "cross.p-interaction", "gross", "inconsistent", family=mentions, file="reported.csv",
                 column="reported", value="p = 0.045", id="disc-int-p")
    trialx.flips(X + "cross.pfs-arm-a", "consistent", "inconsistent", family=mentions, file="survival.csv",
                 column="median", value="10.5", group="Arm A", endpoint="PFS")
    trialx.flips(X + "cross.t1-female-arm-a", "consistent", "inconsistent", family=mentions,
                 file="reported.csv", column="reported", value="55.5%", id="res-female-a")
    trialx.flips(X + "cross.hr-pfs", "consistent", "inconsistent", family=mentions, file="reported.csv",
                 column="reported", value="HR 0.70; 95% CI 0.52–0.97", id="abs-hr-pfs")


def test_mentions_gross_and_numbers(trialx):
    f = trialx.findings(mentions)[X + "cross.p-interaction"]
    assert f.severity == "decisive" and "contradicts its own conclusion" in f.explanation
    assert (f.reported_low, f.reported_high) == pytest.approx((0.025, 0.085))
    assert f.issue == X + "p:interaction"
    ok = trialx.findings(mentions)[X + "cross.orr-arm-a"]
    assert ok.issue == ok.id                                   # a consistent finding is its own issue
    assert ok.quantity.endswith("printed in 2 places")


def test_approximate_mentions_are_listed_not_judged(trialx):
    fid = X + "cross.n-randomised"
    trialx.flips(fid, "consistent", "consistent", family=mentions, file="reported.csv", column="reported",
                 value="about 250 patients", id="disc-n")
    trialx.flips(fid, "consistent", "inconsistent", family=mentions, file="reported.csv", column="reported",
                 value="250 patients", id="disc-n")
    assert "about 240 patients" in trialx.findings(mentions)[fid].explanation


def test_wordings_and_their_readings(trialx):
    trialx.flips(X + "cross.trial-phase", "consistent", "inconsistent", family=mentions,
                 file="reported.csv", column="reported", value="phase 2", id="met-phase")
    fid = X + "cross.design-period"
    trialx.flips(fid, "consistent", "inconsistent", family=mentions, file="readings.csv",
                 column="verdict", value="inconsistent", id="design:period")
    assert "rounded form" in trialx.findings(mentions)[fid].explanation     # the reading's reason


def test_one_place_is_not_a_comparison(trialx):
    trialx.flips(X + "cross.orr-arm-b", "inconsistent", None, family=mentions, file="reported.csv",
                 column="key", value="", id="abs-orr-b")


# =========================================================================================
# secondary: a report against its source
# =========================================================================================

def test_secondary_flips(news):
    nx = "trialx-news:"
    news.flips(nx + "vs-paper.pfs-arm-a", "inconsistent", "consistent", family=secondary,
               file="reported.csv", column="reported", value="10.0 months", id="news-pfs-a")
    news.flips(nx + "vs-paper.orr-arm-a", "consistent", "inconsistent", family=secondary,
               file="reported.csv", column="reported", value="46%", id="news-orr-a")
    news.flips(nx + "vs-paper.trial-sites", "not-checkable", "inconsistent", family=secondary,
               file="trialx/reported.csv", column="key", value="trial:sites", id="res-excluded")
    news.flips(nx + "quote.q1", "consistent", "inconsistent", family=secondary, file="quotes.csv",
               column="context", value="changed", id="q1")
    news.flips(nx + "statement.s1", "consistent", "gross", family=secondary, file="statements.csv",
               column="verdict", value="gross", id="s1")


def test_secondary_inherits_the_source_contradiction(news):
    f = news.findings(secondary)["trialx-news:vs-paper.orr-arm-b"]
    assert f.verdict == "inconsistent" and "inherits" in f.explanation and f.issue == "trialx:orr:arm-b"
    g = news.findings(secondary)["trialx-news:vs-paper.pfs-arm-a"]
    assert "prints nowhere" in g.explanation


def test_secondary_that_takes_the_only_possible_value_inherits_nothing(news):
    """The source prints ORR arm B as 32.2% (38/118) and 32.9% (no count of 118 gives it): a report
    printing 32.9% inherits the contradiction; one printing 32.2% took the right value."""
    fid = "trialx-news:vs-paper.orr-arm-b"
    news.flips(fid, "inconsistent", "consistent", family=secondary, file="reported.csv",
               column="reported", value="32.2%", id="news-orr-b")
    with news.cell("reported.csv", "reported", "32.2%", id="news-orr-b"):
        f = news.findings(secondary)[fid]
        assert "no whole count of its n = 118 gives that" in f.explanation
        assert f.issue == fid                       # its own, not the source's contradiction
        # when the source's other printing is possible too, the contradiction cannot be resolved
        with news.cell("trialx/reported.csv", "reported", "33.1%", id="abs-orr-b"):
            assert news.verdict(fid, secondary) == "inconsistent"


def test_secondary_ignores_the_source_approximate_mentions(news):
    # the source prints 238 twice and "about 240" once: the report's 238 agrees (bug fixed:
    # the approximate mention used to turn the comparison into one of words)
    fid = "trialx-news:vs-paper.n-randomised"
    news.flips(fid, "consistent", "inconsistent", family=secondary, file="reported.csv",
               column="reported", value="240", id="news-n")


def test_secondary_reads_the_source_wordings(news, trialx):
    news.append("reported.csv", id="news-period", location="News para 1", quantity="period",
                population="all", reported="2019 to 2023", key="design:period")
    fid = "trialx-news:vs-paper.design-period"
    # the source's two wordings are read as one (readings.csv): the report agrees with either
    news.flips(fid, "consistent", "inconsistent", family=secondary, file="trialx/readings.csv",
               column="verdict", value="inconsistent", id="design:period")


def test_secondary_errors(news):
    with news.cell("quotes.csv", "context", "partly", id="q1"):
        with pytest.raises(DataError, match="'kept' or 'changed'"):
            news.findings(secondary)
    with news.cell("statements.csv", "verdict", "wrong", id="s1"):
        with pytest.raises(DataError, match="not a verdict"):
            news.findings(secondary)
    with news.text("paper.toml", 'reports_on = "trialx"\n', ""):
        with pytest.raises(DataError, match="must name the paper"):
            news.findings(secondary)
    with news.text("paper.toml", 'kind = "secondary"\n', ""):
        assert news.findings(secondary) == {}


# =========================================================================================
# flow: printed counts that must add up
# =========================================================================================

def test_flow_check():
    assert flow.flow_check(5304, [5753], [14, 435]) == {"consistent": True, "sum": 5304}
    assert flow.flow_check(238, [300], [60]) == {"consistent": False, "sum": 240}
    assert flow.flow_check(10, [4, 6], [])["consistent"]


def test_flow_flips(trialx):
    trialx.flips(X + "flow.screening", "inconsistent", "consistent", family=flow, file="reported.csv",
                 column="reported", value="62 patients", id="res-excluded")
    trialx.flips(X + "flow.randomised", "consistent", "inconsistent", family=flow, file="groups.csv",
                 column="n", value="119", group="Arm B")
    trialx.flips(X + "flow.pfs-events", "consistent", "inconsistent", family=flow, file="survival.csv",
                 column="events", value="76", endpoint="PFS", group="Arm B")
    f = trialx.findings(flow)[X + "flow.screening"]
    assert f.recomputed == "300 − 60 = 240" and (f.recomputed_low, f.reported_low) == (240, 238)
    assert f.location == "Results para 1" and f.issue == X + "n:randomised"


def test_flow_reads_the_declared_location(trialx):
    # n:randomised is printed in the Abstract and in Results para 1: "screening" reads the
    # latter (its declared location), "randomised" the first printing
    with trialx.cell("reported.csv", "reported", "240 patients", id="res-n"):
        found = trialx.findings(flow)
        assert found[X + "flow.screening"].verdict == "consistent"
        assert found[X + "flow.randomised"].verdict == "consistent"
    with trialx.cell("reported.csv", "reported", "240 patients", id="abs-n"):
        found = trialx.findings(flow)
        assert found[X + "flow.screening"].verdict == "inconsistent"
        assert found[X + "flow.randomised"].verdict == "inconsistent"
        assert found[X + "flow.randomised"].location == "Abstract"


def test_flow_errors(trialx):
    with trialx.text("paper.toml", 'plus = ["n:screened"]', 'plus = ["n:nowhere"]'):
        with pytest.raises(DataError, match="nothing printed"):
            trialx.findings(flow)
    with trialx.text("paper.toml", 'plus = ["group:Table 1|Arm A", ', 'plus = ["group:Table 1|Arm C", '):
        with pytest.raises(DataError, match="no groups.csv n"):
            trialx.findings(flow)
    with trialx.text("paper.toml", 'what = "patients randomised = Arm A + Arm B"\n', ""):
        with pytest.raises(DataError, match="required key"):
            trialx.findings(flow)


# =========================================================================================
# survival: what survival summaries imply
# =========================================================================================

def test_ph_implied_hr_by_hand():
    iv = survival.ph_implied_hr("43.5%", "55.8%")
    assert float(iv.low) == pytest.approx(math.log(0.5585) / math.log(0.4345))
    assert float(iv.high) == pytest.approx(math.log(0.5575) / math.log(0.4355))
    assert iv.contains(math.log(0.558) / math.log(0.435))
    iv = survival.ph_implied_hr("0.821", "0.835")                  # as proportions
    assert iv.contains(math.log(0.835) / math.log(0.821))
    with pytest.raises(ValueError):
        survival.ph_implied_hr("100%", "50%")
    with pytest.raises(ValueError):
        survival.ph_implied_hr("50%", "0%")


def test_median_implied_hr_by_hand():
    iv = survival.median_implied_hr("10.0", "14.3")
    assert (float(iv.low), float(iv.high)) == pytest.approx((9.95 / 14.35, 10.05 / 14.25))


def test_events_implied_by_hand():
    # Var(ln HR) ≈ 4/D for 1:1 allocation: a CI of 0.52–0.95 needs D ≈ (2·1.96·2 / ln(0.95/0.52))²
    lo, hi = survival.events_implied("0.52", "0.95")
    at_printed = (2 * 1.959964 * 2 / math.log(0.95 / 0.52)) ** 2
    assert lo < at_printed < hi
    assert lo == pytest.approx((2 * 1.959964 * 2 / math.log(0.955 / 0.515)) ** 2, rel=1e-5)
    assert hi == pytest.approx((2 * 1.959964 * 2 / math.log(0.945 / 0.525)) ** 2, rel=1e-5)
    assert survival.Z975 == pytest.approx(1.959964, abs=1e-6)


def test_follow_up_window_gives_the_printed_events(trialx):
    """Exponential times with the printed medians, censored uniformly on (0, b): the share with
    an event must be the printed events / n (checked by simulation, not by the formula)."""
    for g in ("Arm A", "Arm B"):
        text = trialx.path.joinpath("survival.csv").read_text(encoding="utf-8")
        trialx.path.joinpath("survival.csv").write_text(text.replace(
            f"PFS,Arm B vs Arm A,{g},{'120,90' if g == 'Arm A' else '118,75'},",
            f"PFS,Arm B vs Arm A,{g},{'120' if g == 'Arm A' else '118'},,"), encoding="utf-8")
    trialx.append("survival.csv", endpoint="PFS", comparison="all patients", group="all", n="238",
                  events="165", location="Results para 3", key="n=pfs:total; events=pfs:total")
    with trialx.text("paper.toml", 'reps = 1000\n', 'reps = 1000\nevents = "pfs:total"\nwindow = "pfs-p"\n'):
        paper = trialx.paper()
        b = survival.follow_up_window(paper)
        rng = np.random.default_rng(0)
        share = []
        for n, med in ((120, 10.0), (118, 14.3)):
            t = rng.exponential(med / math.log(2), 200_000)
            c = rng.uniform(0, b, 200_000)
            share.append(n * (t <= c).mean())
        assert sum(share) / 238 == pytest.approx(165 / 238, abs=0.005)
        found = trialx.findings(survival)
        assert found[X + "logrank-sim.pfs-p.table-3"].verdict == "plausible"   # its 99% range is wide
        assert "and deaths" not in found[X + "logrank-sim.pfs-p.table-3"].explanation
        assert "and deaths" in found[X + "logrank-sim.os-p.table-3"].explanation
    with pytest.raises(DataError, match="no censoring window"):
        trialx.findings(survival)


def test_logrank_flips(trialx):
    fid = X + "logrank-sim.os-p.table-3"
    trialx.flips(fid, "implausible", "plausible", family=survival, file="survival.csv", column="p",
                 value="0.60", endpoint="OS", group="Arm A")
    trialx.flips(X + "logrank-sim.pfs-p.table-3", "plausible", "implausible", family=survival,
                 file="survival.csv", column="median", value="40.0", endpoint="PFS", group="Arm B")
    trialx.flips(fid, "implausible", None, family=survival, file="survival.csv", column="p", value="",
                 endpoint="OS", group="Arm A")


def test_logrank_plausible_range_is_the_central_99_percent(trialx):
    """A printed p between the 0.5% and 1% quantiles of the reconstructions is plausible; one
    below the 0.5% quantile is not."""
    paper = trialx.paper()
    sims = survival.logrank_simulations(paper)
    p = np.sort(sims[sims["key"] == "pfs-p"]["p"].to_numpy())
    assert len(p) > 900
    q005, q01 = np.quantile(p, [0.005, 0.01])
    assert survival.PLAUSIBLE_QUANTILES == (0.005, 0.995)
    inside, below = math.sqrt(q005 * q01), q005 / 3
    fid = X + "logrank-sim.pfs-p.table-3"
    for value, verdict in ((inside, "plausible"), (below, "implausible")):
        with trialx.cell("survival.csv", "p", f"{value:.12f}", endpoint="PFS", group="Arm A"):
            f = trialx.findings(survival)[fid]
            assert f.verdict == verdict
            assert (f.accept_low, f.accept_high) == pytest.approx(tuple(np.quantile(p, [0.005, 0.995])))
    f = trialx.findings(survival)[fid]
    assert f.sharpness == pytest.approx(f.accept_high - f.accept_low)


def test_logrank_not_checkable_without_medians(trialx):
    with trialx.cell("survival.csv", "median", "NR", endpoint="OS", group="Arm B"):
        f = trialx.findings(survival)[X + "logrank-sim.arm-b-vs-arm-a.table-3"]
        assert f.verdict == "not-checkable" and "medians" in f.explanation
    with trialx.cell("survival.csv", "n", "", endpoint="OS", group="Arm B"):
        f = trialx.findings(survival)[X + "logrank-sim.arm-b-vs-arm-a.table-3"]
        assert "group sizes" in f.explanation


def test_logrank_selection(trialx):
    with trialx.text("paper.toml", 'logrank = "all"', 'logrank = ["OS: Arm B vs Arm A"]'):
        found = trialx.findings(survival)
        assert X + "logrank-sim.os-p.table-3" in found and X + "logrank-sim.pfs-p.table-3" not in found
    with trialx.text("paper.toml", 'reps = 1000\n', 'reps = 1000\nskip = ["os-p"]\n'):
        found = trialx.findings(survival)
        assert X + "logrank-sim.os-p.table-3" not in found and X + "logrank-sim.pfs-p.table-3" in found
    with trialx.text("paper.toml", 'logrank = "all"\n', ''):
        assert X + "logrank-sim.pfs-p.table-3" not in trialx.findings(survival)


def test_ph_and_median_and_events_flip(trialx):
    # an implied HR inside the CI is plausible, never consistent: the check accepts the whole CI
    trialx.flips(X + "ph-hr.hr-os", "inconsistent", "plausible", family=survival, file="survival.csv",
                 column="rate", value="44.5%", endpoint="OS", group="Arm B")
    trialx.flips(X + "ph-hr.hr-pfs", "plausible", "inconsistent", family=survival, file="ratios.csv",
                 column="ci_high", value="0.68", key="hr:pfs")
    trialx.flips(X + "median-hr.hr-dor", "inconsistent", "plausible", family=survival,
                 file="survival.csv", column="median", value="6.7", endpoint="DoR", group="Arm B")
    trialx.flips(X + "median-hr.hr-pfs", "plausible", "inconsistent", family=survival,
                 file="survival.csv", column="median", value="7.0", endpoint="PFS", group="Arm B")
    trialx.flips(X + "events.hr-dor", "inconsistent", "plausible", family=survival, file="survival.csv",
                 column="n", value="254", endpoint="DoR", group="Arm A")
    trialx.flips(X + "events.hr-pfs", "plausible", "inconsistent", family=survival, file="ratios.csv",
                 column="ci_low", value="0.62", key="hr:pfs")


def test_implied_hr_findings_say_what_they_compare(trialx):
    found = trialx.findings(survival)
    ph = found[X + "ph-hr.hr-pfs"]
    assert "it matches the printed 0.70" in ph.explanation
    assert ph.sharpness == 1 and "cannot confirm the HR" in ph.explanation
    assert (ph.accept_low, ph.accept_high) == pytest.approx((0.515, 0.955))
    with trialx.cell("ratios.csv", "estimate", "0.75", key="hr:pfs"):
        assert "rounding and non-proportional" in trialx.findings(survival)[X + "ph-hr.hr-pfs"].explanation
    ev = found[X + "events.hr-pfs"]
    assert "165 events" in ev.explanation and ev.accept_high == 238
    with trialx.cell("survival.csv", "events", "", endpoint="PFS", group="Arm A"), \
            trialx.text("paper.toml", 'logrank = "all"\n', ""):
        assert "prints" not in trialx.findings(survival)[X + "events.hr-pfs"].explanation
    with trialx.text("paper.toml", 'ratio = "hr:dor"\nmedians', 'ratio = "hr:nothing"\nmedians'):
        with pytest.raises(DataError, match="no ratios.csv row"):
            trialx.findings(survival)


# =========================================================================================
# facts, notprinted, readings
# =========================================================================================

def test_facts_flip_and_errors(trialx):
    fid = X + "facts.patina-pfs"
    trialx.flips(fid, "consistent", "inconsistent", family=facts, file="facts_claims.csv",
                 column="verdict", value="inconsistent", id="patina-pfs")
    f = trialx.findings(facts)[fid]
    assert "row 2: PATINA, median PFS (months)" in f.recomputed and "44.3 vs 29.1" in f.recomputed
    assert f.reported == "44.3 vs 29.1"
    with trialx.cell("facts_claims.csv", "reported", "", id="patina-pfs"):
        assert trialx.findings(facts)[fid].reported.startswith("“In PATINA")
    with trialx.cell("facts_claims.csv", "facts_rows", "", id="patina-pfs"):
        assert trialx.findings(facts)[fid].recomputed == "no facts row bears on this"
    for column, value, words in (("facts_rows", "99999", "not a row"), ("facts_rows", "x", "not a row"),
                                 ("verdict", "gross", "not one of"), ("explanation", "short", "clinician")):
        with trialx.cell("facts_claims.csv", column, value, id="patina-pfs"):
            with pytest.raises(DataError, match=words):
                trialx.findings(facts)
    trialx.append("facts_claims.csv", id="patina-pfs", location="x", claim="x", facts_rows="2",
                  verdict="consistent", explanation="A second row with the same id is an error.")
    with pytest.raises(DataError, match="already on line"):
        trialx.findings(facts)


def test_facts_rows_text():
    text = facts.facts_rows_text("1;2")
    assert text.count("row ") == 2 and " | " in text and "confidence high" in text


def test_not_printed(trialx):
    found = trialx.findings(notprinted)
    assert list(found) == [X + "supplement.figure-3.1"]
    assert found[X + "supplement.figure-3.1"].verdict == "not-checkable"
    with trialx.cell("not_checkable.csv", "refers_to", "Supplementary Table 2", location="Results para 6"):
        f = trialx.findings(notprinted)
        assert list(f) == [X + "supplement.supplementary-table-2.1"]
        assert "Only in Supplementary Table 2" in f[X + "supplement.supplementary-table-2.1"].explanation
    assert list(trialx.findings(notprinted)) == [X + "supplement.figure-3.1"]
    (trialx.path / "not_checkable.csv").unlink()
    assert trialx.findings(notprinted) == {}


def test_readings(trialx):
    fid = X + "claim.tolerability"
    trialx.flips(fid, "not-checkable", "inconsistent", family=claims, file="readings.csv",
                 column="verdict", value="inconsistent", id="tolerability")
    paper = trialx.paper()
    r = readings.readings(paper)
    assert r[("claim", "tolerability")][0] == "not-checkable"
    assert readings.reading(paper, "claim", "nobody") is None


def test_readings_errors(trialx):
    for column, value, words in (("check", "no-such-check", "not a check kind"),
                                 ("verdict", "fine", "not a verdict"), ("reason", " ", "needs its reason")):
        with trialx.cell("readings.csv", column, value, id="tolerability"):
            with pytest.raises(DataError, match=words):
                readings.readings(trialx.paper())
    # a claim no number decides needs its reading
    with trialx.cell("readings.csv", "id", "tolerability-typo", id="tolerability"):
        with pytest.raises(DataError, match="or a reading"):
            trialx.findings()
    # a reading no check asks for is an error (a stale reading cannot outlive its data)
    with trialx.cell("reported.csv", "reported", "2019 to 2023", id="met-period"):
        with pytest.raises(DataError, match="no cross-location check asks"):
            trialx.findings()
    trialx.append("readings.csv", check="claim", id="tolerability", verdict="consistent", reason="twice")
    with pytest.raises(DataError, match="already has a claim reading"):
        readings.readings(trialx.paper())


# =========================================================================================
# claims: a sentence against what it rests on
# =========================================================================================

def claim_verdict(paper_dir, cid: str) -> str:
    return paper_dir.verdict(X + "claim." + cid, claims)


def add_claim(trialx, cid, says, rests_on, **extra):
    trialx.append("claims.csv", id=cid, location="Discussion para 9", claim=f"test claim {cid}",
                  says=says, rests_on=rests_on, **extra)


def test_claims_flip(trialx):
    trialx.flips(X + "claim.os-benefit", "gross", "consistent", family=claims, file="claims.csv", column="says",
                 value="not significant", id="os-benefit")
    trialx.flips(X + "claim.pfs-benefit", "consistent", "gross", family=claims, file="claims.csv", column="says",
                 value="not significant", id="pfs-benefit")
    trialx.flips(X + "claim.sex-balance", "consistent", "gross", family=claims, file="claims.csv", column="says",
                 value="significant", id="sex-balance")
    trialx.flips(X + "claim.orr-higher", "consistent", "inconsistent", family=claims, file="claims.csv", column="says",
                 value="lower", id="orr-higher")
    # the printed p agrees with the claim, but the counts do not: gross; counts that agree: consistent
    trialx.flips(X + "claim.visceral-imbalance", "gross", "consistent", family=claims, file="categorical.csv",
                 column="count", value="25", variable="Visceral metastases", category="Yes", group="Arm B")


def test_claim_on_a_ratio(trialx):
    add_claim(trialx, "os-ci", "significant", "ratio:hr:os")
    with trialx.cell("ratios.csv", "p", "", key="hr:os"):
        f = trialx.findings(claims)[X + "claim.os-ci"]
        assert f.verdict == "gross" and "includes 1" in f.explanation
    add_claim(trialx, "pfs-ns", "not significant", "ratio:hr:pfs")
    with trialx.cell("ratios.csv", "p", "", key="hr:pfs"):
        f = trialx.findings(claims)[X + "claim.pfs-ns"]
        assert f.verdict == "gross" and "excludes 1" in f.explanation
    add_claim(trialx, "pfs-worse", "worse", "ratio:hr:pfs")
    add_claim(trialx, "pfs-better", "better", "ratio:hr:pfs")
    found = trialx.findings(claims)
    assert found[X + "claim.pfs-worse"].verdict == "inconsistent"
    assert found[X + "claim.pfs-better"].verdict == "consistent"
    assert found[X + "claim.pfs-benefit"].recomputed_low == pytest.approx(0.0153, abs=2e-4)


def test_claim_of_a_trend(trialx):
    trialx.append("ratios.csv", measure="HR", endpoint="OS", model="multivariable", variable="Grade 3 vs 1-2",
                  estimate="1.25", ci_low="0.98", ci_high="1.60", p="0.07", location="Table 4, multivariable",
                  key="hr:grade:adj")
    add_claim(trialx, "grade-trend", "trend", "ratio:hr:grade:adj")
    add_claim(trialx, "os-trend", "trend", "ratio:hr:os")
    add_claim(trialx, "int-trend", "trend", "reported:disc-int-p")
    add_claim(trialx, "int-trend-results", "trend", "reported:res-int-p")
    found = trialx.findings(claims)
    assert found[X + "claim.grade-trend"].verdict == "consistent"
    assert found[X + "claim.os-trend"].verdict == "inconsistent"       # p = 0.49
    assert found[X + "claim.int-trend"].verdict == "consistent"        # p = 0.08
    assert found[X + "claim.int-trend-results"].verdict == "inconsistent"   # p = 0.03
    trialx.flips(X + "claim.grade-trend", "consistent", "inconsistent", family=claims, file="ratios.csv", column="p",
                 value="0.02", key="hr:grade:adj")
    # a trend whose p is not printed: the CI must imply one
    with trialx.cell("ratios.csv", "p", "", key="hr:grade:adj"):
        assert claim_verdict(trialx, "grade-trend") == "consistent"
        with trialx.cell("ratios.csv", "ci_high", "2.60", key="hr:grade:adj"):
            assert claim_verdict(trialx, "grade-trend") == "inconsistent"


def test_claim_on_printed_p_values(trialx):
    add_claim(trialx, "int-sig", "significant", "p:p:interaction")
    add_claim(trialx, "int-disc", "significant", "reported:disc-int-p")
    found = trialx.findings(claims)
    assert found[X + "claim.int-sig"].verdict == "consistent"          # first printing: p = 0.03
    assert found[X + "claim.int-disc"].verdict == "gross"              # p = 0.08
    trialx.flips(X + "claim.int-sig", "consistent", "gross", family=claims, file="claims.csv", column="says",
                 value="not significant", id="int-sig")
    add_claim(trialx, "no-p", "significant", "reported:abs-n")
    with pytest.raises(DataError, match="prints no p"):
        trialx.findings(claims)


def test_claim_repeating_a_finding(trialx):
    add_claim(trialx, "grade", "not significant", "finding:table-1.grade.p")
    f = trialx.findings(claims)[X + "claim.grade"]
    assert f.verdict == "inconsistent" and "rests on" in f.explanation
    trialx.flips(X + "claim.grade", "inconsistent", "consistent", family=claims, file="categorical.csv", column="count",
                 value="35", variable="Grade", category="G3", group="Arm B")


def test_claim_on_proportions_and_medians(trialx):
    add_claim(trialx, "dcr-similar", "similar", "proportions:dcr:arm-a,dcr:arm-b")
    add_claim(trialx, "orr-similar", "similar", "proportions:orr:arm-a,orr:arm-b")
    add_claim(trialx, "pfs-worse-a", "worse", "median:pfs:arm-a,pfs:arm-b")
    add_claim(trialx, "pfs-better-a", "better", "median:pfs:arm-a,pfs:arm-b")
    add_claim(trialx, "pfs-diff", "difference", "values:pfs:arm-b,pfs:arm-a", value="4.3")
    add_claim(trialx, "pfs-diff-wrong", "difference", "values:pfs:arm-b,pfs:arm-a", value="5.3")
    add_claim(trialx, "pfs-diff-approx", "difference", "values:pfs:arm-b,pfs:arm-a", value="about 5")
    found = trialx.findings(claims)
    assert found[X + "claim.dcr-similar"].verdict == "consistent"
    assert found[X + "claim.orr-similar"].verdict == "inconsistent"    # Pearson p = 0.043
    assert found[X + "claim.pfs-worse-a"].verdict == "consistent"      # 10.0 < 14.3 months
    assert found[X + "claim.pfs-better-a"].verdict == "inconsistent"
    assert found[X + "claim.pfs-diff"].verdict == "consistent"
    assert found[X + "claim.pfs-diff-wrong"].verdict == "inconsistent"
    # an approximate difference ("about 5") is not compared, so nothing tests that word
    assert found[X + "claim.pfs-diff-approx"].verdict == "plausible"
    assert found[X + "claim.pfs-diff"].sharpness == 0 and found[X + "claim.pfs-diff-approx"].sharpness == 1
    trialx.flips(X + "claim.pfs-worse-a", "consistent", "inconsistent", family=claims, file="survival.csv",
                 column="median", value="14.3", endpoint="PFS", group="Arm A")
    # a printed percentage its count does not give undermines the comparison
    trialx.flips(X + "claim.orr-higher", "consistent", "inconsistent", family=claims, file="proportions.csv",
                 column="percent", value="46.0", comparison="ORR", group="Arm A")


def test_claim_depends_on_an_inference_and_caveats(trialx):
    add_claim(trialx, "itt", "significant", "ratio:hr:pfs", depends_on="itt-denominator",
              caveat="The HR is unadjusted.")
    f = trialx.findings(claims)[X + "claim.itt"]
    assert f.depends_on == "itt-denominator" and "all randomised patients are assumed" in f.explanation
    assert "The HR is unadjusted." in f.explanation
    with trialx.cell("claims.csv", "depends_on", "no-such-inference", id="itt"):
        with pytest.raises(DataError, match="no inference"):
            trialx.findings(claims)


def test_claim_errors(trialx):
    for column, value, words in (("says", "huge", "not one of"), ("rests_on", "ratio:hr:nothing", "nothing to rest on"),
                                 ("rests_on", "guess:hr:pfs", "unknown evidence kind"),
                                 ("rests_on", "table-p:Table 1|Nothing", "nothing to rest on"),
                                 ("rests_on", "finding:no-such-finding", "nothing to rest on"),
                                 ("rests_on", "proportions:orr:arm-a,orr:none", "nothing to rest on"),
                                 ("rests_on", "", "needs evidence"), ("says", "", "needs what it says")):
        with trialx.cell("claims.csv", column, value, id="pfs-benefit"):
            with pytest.raises(DataError, match=words):
                trialx.findings(claims)


def add_ratio(trialx, key, estimate, low, high, p="", variable=None):
    trialx.append("ratios.csv", measure="HR", endpoint="PFS", model="exploratory", variable=variable or key,
                  estimate=estimate, ci_low=low, ci_high=high, p=p, location="Table 6", key=key)


def test_claims_of_a_trend_at_their_edges(trialx):
    add_ratio(trialx, "hr:t-012", "1.25", "0.94", "1.66", "0.12")     # CI implies 0.11–0.14
    add_ratio(trialx, "hr:t-none", "1.25", "0.92", "1.70")            # no p; CI implies 0.14–0.17
    add_ratio(trialx, "hr:t-007-off", "0.70", "0.52", "0.95", "0.07")   # CI implies 0.015–0.026
    add_ratio(trialx, "hr:t-002", "0.70", "0.52", "0.95", "0.020")      # p and CI agree: not a trend
    trialx.append("reported.csv", id="res-trend-p", location="Results para 7", quantity="p",
                  population="x", reported="p = 0.12")
    claims_ = {"t-012": "ratio:hr:t-012", "t-none": "ratio:hr:t-none", "t-007-off": "ratio:hr:t-007-off",
               "t-002": "ratio:hr:t-002", "t-printed": "reported:res-trend-p"}
    for cid, ref in claims_.items():
        add_claim(trialx, cid, "trend", ref)
    found = trialx.findings(claims)
    for cid in claims_:
        assert found[X + "claim." + cid].verdict == "inconsistent", cid
    assert "not between 0.05 and 0.10" in found[X + "claim.t-012"].explanation
    assert "nowhere near a trend" in found[X + "claim.t-none"].explanation
    assert "implies p ≈" in found[X + "claim.t-007-off"].explanation
    assert "implies p ≈" not in found[X + "claim.t-002"].explanation


def test_claims_of_direction_from_a_ratio(trialx):
    add_ratio(trialx, "hr:one", "1.00", "0.80", "1.25", "0.99")
    for cid, says, ref in (("age-worse", "worse", "ratio:hr:age:adj"), ("age-better", "better", "ratio:hr:age:adj"),
                           ("one-worse", "worse", "ratio:hr:one"), ("one-better", "better", "ratio:hr:one")):
        add_claim(trialx, cid, says, ref)
    found = trialx.findings(claims)
    assert found[X + "claim.age-worse"].verdict == "consistent"       # HR 1.45: the older do worse
    assert found[X + "claim.age-better"].verdict == "inconsistent"
    assert "above 1" in found[X + "claim.age-better"].explanation
    # HR 1.00 is neither worse nor better: it passes either word, so it confirms neither
    assert found[X + "claim.one-worse"].verdict == "plausible"
    assert found[X + "claim.one-better"].verdict == "plausible"
    assert "“better” would have passed too" in found[X + "claim.one-worse"].explanation
    assert found[X + "claim.age-worse"].sharpness == 0


def test_claim_of_significance_against_the_printed_p_alone(trialx):
    # HR 1.45 (1.10–1.91): the CI excludes 1, the printed p = 0.21 does not: a claim of
    # significance is contradicted by its own p (gross), one of no significance by its CI
    add_claim(trialx, "age-sig", "significant", "ratio:hr:age:adj")
    add_claim(trialx, "age-ns", "not significant", "ratio:hr:age:adj")
    found = trialx.findings(claims)
    assert found[X + "claim.age-sig"].verdict == "gross"
    assert "not below 0.05" in found[X + "claim.age-sig"].explanation
    assert "includes 1" not in found[X + "claim.age-sig"].explanation
    assert found[X + "claim.age-ns"].verdict == "gross"
    assert "excludes 1" in found[X + "claim.age-ns"].explanation


def test_claim_summaries(trialx):
    add_claim(trialx, "two-says", "significant; better", "ratio:hr:pfs")
    add_claim(trialx, "mixed", "not significant", "finding:table-1.sex.p; ratio:hr:os")
    add_claim(trialx, "caveat-bad", "significant", "ratio:hr:os", caveat="Exploratory.")
    add_claim(trialx, "caveat-good", "significant", "ratio:hr:pfs", caveat="Exploratory.")
    found = trialx.findings(claims)
    one = found[X + "claim.pfs-benefit"].explanation
    assert one.startswith("Called significant;") and "below 0.05, as the claim says" in one
    two = found[X + "claim.two-says"]
    assert two.verdict == "consistent" and "the numbers agree" in two.explanation
    mixed = found[X + "claim.mixed"]
    assert "rests on" in mixed.explanation and mixed.verdict == "consistent"
    assert "Exploratory." not in found[X + "claim.caveat-bad"].explanation
    assert "Exploratory." in found[X + "claim.caveat-good"].explanation
    pfs = found[X + "claim.pfs-benefit"]
    assert (pfs.recomputed_low, pfs.recomputed_high) == pytest.approx((0.0153, 0.0262), abs=5e-4)
    sex = found[X + "claim.sex-balance"]
    assert (sex.recomputed_low, sex.recomputed_high) == pytest.approx((0.3666, 0.3666), abs=1e-4)
    assert math.isnan(found[X + "claim.tolerability"].recomputed_low)      # no evidence, no numbers


def test_claim_of_higher_on_equal_proportions_and_two_differences(trialx):
    for g, n in (("Arm A", "120"), ("Arm B", "118")):
        trialx.append("proportions.csv", comparison="SD", group=g, n=n, count="30" if g == "Arm A" else "29",
                      percent="25.0" if g == "Arm A" else "24.6", location="Table 2", key=f"sd:{g[-1].lower()}")
    trialx.append("proportions.csv", comparison="PD", group="Arm A", n="120", count="30", percent="25.0",
                  location="Table 2", key="pd:same")
    add_claim(trialx, "same-higher", "higher", "proportions:sd:a,pd:same")
    add_claim(trialx, "same-lower", "lower", "proportions:sd:a,pd:same")
    add_claim(trialx, "two-diffs", "difference", "values:pfs:arm-b,pfs:arm-a; values:os:arm-b,os:arm-a",
              value="1.9")
    found = trialx.findings(claims)
    # 30/120 is neither above nor below 30/120 (bug fixed: "lower" used to pass on equal proportions)
    assert found[X + "claim.same-higher"].verdict == "inconsistent"
    assert found[X + "claim.same-lower"].verdict == "inconsistent"
    assert "not in the stated direction" in found[X + "claim.same-lower"].explanation
    assert found[X + "claim.two-diffs"].verdict == "consistent"       # OS: 22.0 − 20.1 = 1.9


# =========================================================================================
# details the mutation run (tools/mutation.py) showed untested
# =========================================================================================

def test_make_finding_renders_what_is_not_given():
    from recheck.checks._base import interval_bounds, make_finding
    fields = dict(slug="x", location="Abstract", quantity="q", reported="1", check="flow-arithmetic",
                  verdict="consistent", expression="1 + 1", sum=2, total=2, sharpness=0.0)
    f = make_finding("trialx", fields)
    assert f.recomputed == "1 + 1 = 2" and f.explanation.startswith("The counts add up")
    f = make_finding("trialx", dict(fields, recomputed="given"))
    assert f.recomputed == "given" and f.explanation.startswith("The counts add up")
    f = make_finding("trialx", dict(fields, recomputed="r", explanation="e" * 30))
    assert (f.recomputed, f.explanation) == ("r", "e" * 30)
    assert all(math.isnan(x) for x in interval_bounds(None))
    with pytest.raises(ValueError, match="recorded no sharpness"):   # every finding says how sharp it was
        make_finding("trialx", {k: v for k, v in fields.items() if k != "sharpness"})
    assert make_finding("trialx", dict(fields, verdict="not-checkable", sharpness=math.nan,
                                       explanation="e" * 30, recomputed="")).sharpness == 1


def test_percent_findings_keep_the_table_order(trialx):
    ids = [i for i in trialx.findings(percent) if i.endswith(".arm-a.percent-of-n")]
    assert ids[:3] == [X + "table-1.sex.arm-a.percent-of-n", X + "table-1.ecog-ps.arm-a.percent-of-n",
                       X + "table-1.histology.arm-a.percent-of-n"]
    sums = [i for i in trialx.findings(percent) if i.endswith(".count-sum")]
    assert sums[:2] == [X + "table-1.sex.arm-a.count-sum", X + "table-1.sex.arm-b.count-sum"]


def test_counts_for_open_bounds():
    assert percent.counts_for_percent("> 95%", 20) == [20]
    assert percent.counts_for_percent("≥ 95%", 20) == [19, 20]
    assert percent.counts_for_percent("< 5%", 20) == [0]
    assert percent.counts_for_percent("99.9%", 1000) == [999]


def test_percent_texts():
    assert percent._possible_text([]) == "no whole number of patients"
    assert percent._possible_text([1]) == "1 patient"
    assert percent._possible_text([2]) == "2 patients"
    assert percent._possible_text([3, 4]) == "3 or 4 patients"
    assert percent._nearest("45.5", 120) == "54/120 = 45.0%, 55/120 = 45.8%"
    assert percent._nearest("0.3", 120) == "0/120 = 0.0%, 1/120 = 0.8%"
    assert percent._nearest("99.9", 120) == "119/120 = 99.2%, 120/120 = 100.0%"


def test_percent_finding_numbers_and_texts(trialx):
    found = trialx.findings(percent)
    f = found[X + "pct.res-ae-a"]
    assert (f.recomputed_low, f.recomputed_high) == pytest.approx((100 * 32 / 120,) * 2)
    assert (f.reported_low, f.reported_high) == pytest.approx((27.05, 27.15))
    assert f.recomputed == "32/120 = 26.7%"
    assert "27.1% of 120 would need no whole number of patients" in f.explanation
    with trialx.cell("proportions.csv", "count", "", comparison="ORR", group="Arm A"):
        f = trialx.findings(percent)[X + "pct.proportions.orr-arm-a.table-2"]
        assert f.recomputed == "possible counts: 54" and "45.0% of 120 is 54 patients" in f.explanation
        assert math.isnan(f.recomputed_low) and f.sharpness == pytest.approx(121 / 1001)   # k/120, one decimal
        with trialx.cell("proportions.csv", "percent", "45.5", comparison="ORR", group="Arm A"):
            f = trialx.findings(percent)[X + "pct.proportions.orr-arm-a.table-2"]
            assert f.recomputed == "possible counts: none"
            assert "(54/120 = 45.0%, 55/120 = 45.8%)" in f.explanation
    with trialx.cell("proportions.csv", "n", "", comparison="ORR", group="Arm A"):
        assert X + "pct.proportions.orr-arm-a.table-2" not in trialx.findings(percent)


def test_a_handled_prose_percentage_is_checked_once(trialx):
    with trialx.cell("reported.csv", "key", "resp:all", id="res-resp-pct"):
        f = trialx.findings(percent)[X + "pct.res-resp-pct"]
        assert f.verdict == "consistent" and f.issue == X + "resp:all"
    with trialx.cell("reported.csv", "n", "238", id="res-responders"):
        assert X + "pct.res-responders" not in trialx.findings(percent)   # a count, no percentage


def test_declared_count_as_a_row_id_or_of_a_table_row(trialx):
    fid = X + "pct.res-resp-pct"
    trialx.flips_text(fid, "consistent", "consistent", family=percent, file="paper.toml",
                      old='count = "n:responders"', new='count = "res-responders"')
    with trialx.text("paper.toml", 'count = "n:responders"', 'count = "orr:arm-a"'):
        f = trialx.findings(percent)[fid]
        assert f.verdict == "inconsistent" and "54 of 238" in f.explanation   # the count, not the n


def test_tables_need_both_files(trialx):
    (trialx.path / "groups.csv").unlink()
    text = (trialx.path / "paper.toml").read_text(encoding="utf-8")
    start = text.index("[[links]]")
    (trialx.path / "paper.toml").write_text(text[:start] + text[text.index("[[flow]]"):], encoding="utf-8")
    found = trialx.findings(percent)
    assert not [i for i in found if i.startswith(X + "table-1.")]
    assert X + "pct.res-ae-a" in found
    assert not [i for i in trialx.findings(tables) if i.startswith(X + "table-1.")]


def test_single_row_variables_and_partial_percentages(blank):
    blank.write("groups.csv", "table,group,n,location\nT,A,10,T\nT,B,10,T\n")
    blank.write("categorical.csv", "table,variable,category,group,count,percent,p,test,location,key,note\n"
                "T,Smoker,Yes,A,10,100.0,,,T,,\nT,Smoker,Yes,B,10,100,,,T,,\n"
                "T,Site,Bone,A,4,40.0,,,T,,\nT,Site,Liver,A,6,,,,T,,\n"
                "T,Site,Bone,B,4,40.0,,,T,,\nT,Site,Liver,B,6,,,,T,,\n")
    found = blank.findings(percent)
    assert found["tiny:t.smoker.a.percent-of-n"].verdict == "consistent"
    assert found["tiny:t.smoker.a.count-sum"].verdict == "consistent"
    assert found["tiny:t.smoker.a.percent-sum"].verdict == "consistent"
    assert "tiny:t.site.a.percent-sum" not in found                    # not every row has a percentage
    assert found["tiny:t.site.a.count-sum"].verdict == "consistent"


def test_sub_rows_are_not_summed_to_100(sites):
    text = (sites.path / "categorical.csv").read_text(encoding="utf-8")
    text = text.replace("Taxane,A,18,,", "Taxane,A,18,36.0,").replace("Anthracycline,A,12,,", "Anthracycline,A,12,24.0,")
    (sites.path / "categorical.csv").write_text(text, encoding="utf-8")
    found = sites.findings(percent)
    assert "tiny:table-3.chemotherapy.a.percent-sum" not in found       # 60% of the group, by design
    assert found["tiny:table-3.chemotherapy.a.count-sum"].verdict == "consistent"
    assert found["tiny:table-3.chemotherapy.a.percent-of-n"].verdict == "consistent"


def test_mentions_findings_and_their_texts(trialx):
    found = trialx.findings(mentions)
    cross = [i for i in found if ".cross." in i or i.startswith(X + "cross.")]
    assert cross[:4] == [X + "cross.t1-female-arm-a", X + "cross.orr-arm-a", X + "cross.orr-arm-b",
                         X + "cross.hr-pfs"]                          # in the order the files print them
    assert found[X + "cross.hr-pfs"].recomputed.startswith("estimate: consistent; lower CI limit")
    assert found[X + "cross.pfs-p"].explanation.startswith("Both places print")
    assert found[X + "cross.t1-female-arm-a"].explanation.startswith("All 3 mentions print")
    assert found[X + "cross.orr-arm-b"].quantity == "ORR (Arm B): printed in 2 places"   # the prose's words
    bad = found[X + "cross.orr-arm-b"].explanation
    assert bad.startswith("The percentage is printed as 32.2 in Table 2; 32.9 in Abstract")
    assert "count" not in bad
    assert "percentage: inconsistent" in found[X + "cross.orr-arm-b"].recomputed
    with trialx.cell("reported.csv", "reported", "32.9% (38/118)", id="abs-orr-b"):
        f = trialx.findings(mentions)[X + "cross.orr-arm-b"]
        assert "count: consistent" in f.recomputed and "percentage: inconsistent" in f.recomputed
        assert f.explanation.startswith("The percentage is printed as")
    with trialx.cell("reported.csv", "key", "", id="res-female-a"):
        assert X + "cross.t1-female-arm-a" not in trialx.findings(mentions)
    with trialx.cell("reported.csv", "location", "Table 1", id="res-female-a"):
        f = trialx.findings(mentions).get(X + "cross.t1-female-arm-a")
        assert f is None                       # one place, printed once: nothing to compare
    trialx.append("reported.csv", id="disc-pfs-p", location="Discussion para 4", quantity="p, log-rank",
                  population="x", reported="p = 0.020", key="pfs-p")
    f = trialx.findings(mentions)[X + "cross.pfs-p"]
    assert f.explanation.startswith("All 3 places print") and f.quantity.endswith("printed in 3 places")


def test_facts_explanations_and_short_claims(trialx):
    fid = X + "facts.patina-pfs"
    for text, ok in (("x" * 19, False), ("x" * 20, True)):
        with trialx.cell("facts_claims.csv", "explanation", text, id="patina-pfs"):
            if ok:
                assert trialx.verdict(fid, facts) == "consistent"
            else:
                with pytest.raises(DataError, match="clinician"):
                    trialx.findings(facts)
    with trialx.cell("facts_claims.csv", "reported", "", id="patina-pfs"):
        for claim, shown in (("y" * 140, "y" * 140), ("y" * 141, "y" * 139 + "…")):
            with trialx.cell("facts_claims.csv", "claim", claim, id="patina-pfs"):
                assert trialx.findings(facts)[fid].reported == f"“{shown}”"


def test_flow_location_that_prints_nothing_falls_back(trialx):
    with trialx.text("paper.toml", 'location = "Results para 1"\n', 'location = "Discussion para 9"\n'):
        f = trialx.findings(flow)[X + "flow.screening"]
        assert f.verdict == "inconsistent" and f.location == "Discussion para 9"


def test_secondary_compares_every_component_in_order(news):
    nx = "trialx-news:"
    found = news.findings(secondary)
    assert [i for i in found if "vs-paper" in i] == [nx + f"vs-paper.{k}" for k in (
        "n-randomised", "orr-arm-a", "orr-arm-b", "pfs-arm-b", "pfs-arm-a", "trial-sites")]
    assert "(it has 10.0 (Table 3), 10.0 months (Abstract))" in found[nx + "vs-paper.pfs-arm-a"].explanation
    # the percentage agrees with the paper's 45.0%, the count (55) does not: the report is wrong
    news.flips(nx + "vs-paper.orr-arm-a", "consistent", "inconsistent", family=secondary,
               file="reported.csv", column="reported", value="45.0% (55/120)", id="news-orr-a")
    news.flips(nx + "vs-paper.orr-arm-a", "consistent", "consistent", family=secondary,
               file="reported.csv", column="reported", value="45.0% (54/120)", id="news-orr-a")


def test_logrank_range_is_that_of_the_seeded_reconstructions(trialx):
    """The finding's 99% range is the quantiles of ``logrank_p_distribution`` with the paper's
    seed plus the comparison's place in survival.csv (PFS first, then OS)."""
    from recheck.survival import GroupSummary, logrank_p_distribution
    found = trialx.findings(survival)
    for i, (key, groups) in enumerate((("pfs-p", [GroupSummary("Arm A", 120, 10.0, 90), GroupSummary("Arm B", 118, 14.3, 75)]),
                                       ("os-p", [GroupSummary("Arm A", 120, 20.1, 60), GroupSummary("Arm B", 118, 22.0, 55)]))):
        p = logrank_p_distribution(groups, reps=1000, seed=7 + i)["p"]
        f = found[X + f"logrank-sim.{key}.table-3"]
        assert (f.accept_low, f.accept_high) == pytest.approx(tuple(np.quantile(p, [0.005, 0.995])))
        assert "1,000 reconstructions" in f.explanation or f.verdict == "implausible"


def test_logrank_default_replicates(trialx):
    with trialx.text("paper.toml", "reps = 1000\n", ""), trialx.text("paper.toml", 'logrank = "all"', 'logrank = ["PFS: Arm B vs Arm A"]'):
        sims = survival.logrank_simulations(trialx.paper())
        assert len(sims) == 2000 and set(sims["key"]) == {"pfs-p"}


def test_logrank_with_events_printed_for_one_group_only(trialx):
    """Events printed for one group only are not used: the comparison is simulated as if none were."""
    trialx.append("survival.csv", endpoint="PFS", comparison="all patients", group="all", n="238",
                  events="165", location="Results para 3", key="n=pfs:total; events=pfs:total")
    window = 'reps = 1000\nevents = "pfs:total"\nwindow = "pfs-p"\n'
    fid = X + "logrank-sim.pfs-p.table-3"
    with trialx.text("paper.toml", "reps = 1000\n", window):
        with trialx.cell("survival.csv", "events", "", endpoint="PFS", group="Arm A"):
            one = trialx.findings(survival)[fid]
            with trialx.cell("survival.csv", "events", "", endpoint="PFS", group="Arm B"):
                none = trialx.findings(survival)[fid]
        assert (one.accept_low, one.accept_high, one.explanation) == (none.accept_low, none.accept_high,
                                                                     none.explanation)


def test_follow_up_window_errors(trialx):
    trialx.append("survival.csv", endpoint="PFS", comparison="all patients", group="all", n="238",
                  events="165", location="Results para 3", key="events=pfs:total")
    with trialx.text("paper.toml", "reps = 1000\n", 'reps = 1000\nevents = "pfs:total"\nwindow = "pfs-p"\n'):
        with pytest.raises(DataError, match="must print both n and events"):
            survival.follow_up_window(trialx.paper())
    with trialx.text("paper.toml", "reps = 1000\n", 'reps = 1000\nevents = "pfs:arm-a"\nwindow = "nothing"\n'):
        with pytest.raises(DataError, match="names no comparison"):
            survival.follow_up_window(trialx.paper())
    with trialx.text("paper.toml", "reps = 1000\n", 'reps = 1000\nevents = "pfs:arm-a"\nwindow = "pfs-p"\n'), \
            trialx.cell("survival.csv", "median", "NR", endpoint="PFS", group="Arm B"):
        with pytest.raises(DataError, match="names no comparison"):
            survival.follow_up_window(trialx.paper())
    assert survival.follow_up_window(trialx.paper()) is None


def test_ph_rates_must_be_strictly_inside():
    for s0, s1 in (("0%", "50%"), ("50%", "0.0%"), ("0.0", "0.5"), ("0.5", "0.00")):
        with pytest.raises(ValueError, match="strictly between"):
            survival.ph_implied_hr(s0, s1)


def test_counts_printed_in_two_places_are_exact(trialx):
    """54 and 55 patients do not agree "within rounding" (bug fixed: counts were compared as
    rounded values, 53.5–54.5 and 54.5–55.5, which touch)."""
    cm = mentions.compare_mentions
    assert cm([("a", "54"), ("b", "55")], "count")["verdict"] == "inconsistent"
    assert cm([("a", "54"), ("b", "55")], "events")["verdict"] == "inconsistent"
    assert cm([("a", "5,304"), ("b", "5304")], "n")["verdict"] == "consistent"
    assert cm([("a", "54"), ("b", "55")], "median")["verdict"] == "consistent"      # a rounded value
    assert cm([("a", "12.5"), ("b", "12.6")], "count")["verdict"] == "consistent"   # not a whole number
    r = cm([("a", "54"), ("b", "55")], "count")
    assert (r["low"], r["high"]) == (53.5, 55.5) and not r["common"]
    trialx.flips(X + "cross.orr-arm-a", "consistent", "inconsistent", family=mentions, file="reported.csv",
                 column="reported", value="45.0% (55/120)", id="abs-orr-a")


def test_table_p_map_defaults_to_alpha_005():
    counts = pd.DataFrame({"A": [50, 70], "B": [44, 74]}, index=["yes", "no"])      # Pearson 0.49
    out = tables.table_p_map([{"counts": counts, "printed": "0.07", "stated": "Pearson"}])
    assert out.loc[0, "verdict"] == "inconsistent" and out.loc[0, "printed_side"] == "not significant"
    out = tables.table_p_map([{"counts": counts, "printed": "0.07", "stated": "Pearson"}], alpha=0.1)
    assert out.loc[0, "verdict"] == "gross"
    assert out.loc[0, "sharpness"] == pytest.approx(0.01)


def test_tables_edges():
    for t in ([[3, 4], [0, 0]], [[3, 4]], [[3], [4]]):
        assert tables.table_pvalues(t).empty, t
    for t in ([[1, 0], [5, 6]], [[1, 5], [0, 6]]):                  # a margin of 1 is kept
        p = tables.table_pvalues(t).set_index("test")["p"]
        assert p["pearson"] == pytest.approx(stats.chi2_contingency(t, correction=False).pvalue)
    plain = tables.table_pvalues([[12, 5], [3, 10]])
    assert tables.stated_variants("Chi-square test, excluding the missing category", plain) == ["Pearson χ²"]
    j = tables.judge_variants("0.20", {"a": 0.30, "b": 0.04}, [])
    assert j["verdict"] == "inconsistent" and j["same_side"] is False
    assert "cannot be decided" in tables._CONCLUSION[j["same_side"]]


def test_table_p_findings_keep_the_table_order(trialx):
    ids = [i for i in trialx.findings(tables) if i.startswith(X + "table-1.")]
    assert ids[:3] == [X + "table-1.sex.p", X + "table-1.ecog-ps.p", X + "table-1.histology.p"]


def test_one_printed_p_for_two_comparisons(trialx):
    fid = X + "orr.p"
    assert "The paper prints one" not in trialx.findings(tables)[fid].explanation
    with trialx.replace_all("proportions.csv", ",0.32,Table 2,", ",0.043,Table 2,", count=2):
        found = trialx.findings(tables)
        assert "The paper prints one “0.043” for 2 comparisons" in found[fid].explanation
        assert found[X + "dcr.p"].verdict == "gross"                       # DCR: Pearson 0.32


def test_percent_sums_at_their_edges(blank):
    """A sum whose rounding just reaches 100 is accepted; a 0.0% category counts from 0."""
    blank.write("groups.csv", "table,group,n,location\nT,A,1000,T\nT,B,10,T\n")
    blank.write("categorical.csv", "table,variable,category,group,count,percent,p,test,location,key,note\n"
                "T,Up,x,A,501,50.1,,,T,,\nT,Up,y,A,500,50.0,,,T,,\n"          # lows: 50.05 + 49.95 = 100
                "T,Down,x,A,499,49.9,,,T,,\nT,Down,y,A,500,50.0,,,T,,\n"      # highs: 49.95 + 50.05 = 100
                "T,Zero,x,B,0,0.0,,,T,,\nT,Zero,y,B,10,100.0,,,T,,\n")
    found = blank.findings(percent)
    for v in ("up", "down"):
        f = found[f"tiny:t.{v}.a.percent-sum"]
        assert f.verdict == "consistent" and (f.reported_low, f.reported_high) == (100.0, 100.0)
        assert f.reported == "100%"
    assert found["tiny:t.zero.b.percent-sum"].verdict == "consistent"
    assert found["tiny:t.zero.b.count-sum"].reported == "n = 10"
    assert (found["tiny:t.up.a.percent-sum"].recomputed_low, found["tiny:t.down.a.percent-sum"].recomputed_high) \
        == (100.0, 100.0)


def test_percent_of_a_file_row_names_its_group(trialx):
    f = trialx.findings(percent)[X + "pct.proportions.orr-arm-a.table-2"]
    assert f.quantity == "Arm A" and f.reported == "54 (45.0%)"


def test_survival_details(trialx):
    found = trialx.findings(survival)
    ev = found[X + "events.hr-pfs"]
    assert ev.accept_low == 0.0 and "71% of the 238 patients" in ev.explanation
    assert "an HR of 0.56 under proportional" in found[X + "ph-hr.hr-os"].explanation
    assert "an HR of 0.49–0.51, outside" in found[X + "median-hr.hr-dor"].explanation
    sims = survival.logrank_simulations(trialx.paper())
    assert list(sims.index) == list(range(len(sims)))
    # the p key of one row names the comparison
    with trialx.cell("survival.csv", "key", "pfs:arm-b", endpoint="PFS", group="Arm B"):
        assert trialx.verdict(X + "logrank-sim.pfs-p.table-3", survival) == "plausible"
    with pytest.raises(ValueError, match="strictly between"):
        survival.ph_implied_hr("50%", "100%")


def test_logrank_texts_against_the_reconstructions(trialx):
    from recheck.survival import GroupSummary, logrank_p_distribution
    p = logrank_p_distribution([GroupSummary("Arm A", 120, 10.0, 90), GroupSummary("Arm B", 118, 14.3, 75)],
                               reps=1000, seed=7)["p"].to_numpy()
    f = trialx.findings(survival)[X + "logrank-sim.pfs-p.table-3"]
    assert f"p < 0.05 in {100 * np.mean(p < 0.05):.0f}%" in f.recomputed
    lo, hi = np.quantile(p, [0.005, 0.995])
    assert f"; {100 * np.mean(p <= 0.0205):.0f}% of 1,000 reconstructions are at or below the printed p" in f.explanation
    assert f"a range covering {100 * (hi - lo):.0f}% of all p-values cannot confirm it" in f.explanation
    assert f.verdict == "plausible" and f.sharpness == pytest.approx(hi - lo)


def test_logrank_with_a_censoring_window_against_the_reconstructions(trialx):
    from recheck.survival import GroupSummary, logrank_p_distribution
    for g, ne in (("Arm A", "120,90"), ("Arm B", "118,75")):
        text = trialx.path.joinpath("survival.csv").read_text(encoding="utf-8")
        trialx.path.joinpath("survival.csv").write_text(text.replace(
            f"PFS,Arm B vs Arm A,{g},{ne},", f"PFS,Arm B vs Arm A,{g},{ne.split(',')[0]},,"), encoding="utf-8")
    trialx.append("survival.csv", endpoint="PFS", comparison="all patients", group="all", n="238",
                  events="165", location="Results para 3", key="n=pfs:total; events=pfs:total")
    with trialx.text("paper.toml", "reps = 1000\n", 'reps = 1000\nevents = "pfs:total"\nwindow = "pfs-p"\n'):
        b = survival.follow_up_window(trialx.paper())
        p = logrank_p_distribution([GroupSummary("Arm A", 120, 10.0), GroupSummary("Arm B", 118, 14.3)],
                                   reps=1000, seed=7, follow_up=(0.0, b))["p"]
        f = trialx.findings(survival)[X + "logrank-sim.pfs-p.table-3"]
        assert (f.accept_low, f.accept_high) == pytest.approx(tuple(np.quantile(p, [0.005, 0.995])))


def test_ph_predictions_by_hand(trialx):
    pred = survival.ph_predictions(trialx.paper())
    pfs = pred[pred["ratio"] == "hr:pfs"].set_index(["measure", "group"])
    assert pfs.loc[("predicted rate (PH)", "Arm B"), "value"] == pytest.approx(0.435 ** 0.70)
    assert pfs.loc[("predicted rate (PH)", "Arm B"), "low"] == pytest.approx(0.435 ** 0.95)
    assert pfs.loc[("predicted rate (PH)", "Arm B"), "high"] == pytest.approx(0.435 ** 0.52)
    se = math.sqrt(0.558 * 0.442 / 118)
    assert pfs.loc[("binomial SE", "Arm B"), "value"] == pytest.approx(se)
    assert pfs.loc[("z (printed − PH)", "Arm B"), "value"] == pytest.approx((0.558 - 0.435 ** 0.70) / se)
    assert pfs.loc[("exponential rate", "Arm A"), "value"] == pytest.approx(0.5 ** (12 / 10.0))
    assert pfs.loc[("z (printed − exponential)", "Arm A"), "value"] == pytest.approx(
        (0.435 - 0.5 ** 1.2) / math.sqrt(0.435 * 0.565 / 120))
    assert set(pred["landmark"]) == {12.0, 24.0} and pfs["landmark"].eq(12.0).all()
    assert survival._months("5 years") == 60.0 and survival._months("48 months") == 48.0


def test_tables_details(trialx):
    found = trialx.findings(tables)
    assert "counts are those" not in found[X + "orr.p"].explanation
    assert found[X + "orr.p"].quantity.startswith("ORR: p, Arm A vs Arm B")


def test_non_exclusive_row_with_its_p_on_one_row_only(sites):
    with sites.cell("categorical.csv", "p", "", variable="Metastatic sites", category="Bone", group="B"):
        assert sites.verdict("tiny:table-3.metastatic-sites.bone.p", tables) == "consistent"
    with sites.cell("categorical.csv", "p", "", variable="Metastatic sites", category="Bone", group="A"):
        assert "tiny:table-3.metastatic-sites.bone.p" not in sites.findings(tables)


def test_twogroups_details(trialx):
    found = trialx.findings(twogroups)
    assert [i for i in found] == [X + "table-1.age-years.p", X + "table-1.bmi-kg-m.p", X + "table-1.albumin-g-l.p"]
    bmi = found[X + "table-1.bmi-kg-m.p"]
    assert "gives p = 0.47–0.73, not the printed 0.20." in bmi.explanation
    assert "would not be significant" not in bmi.explanation
    with trialx.cell("continuous.csv", "test", "", variable="Age (years)", group="Arm A"), \
            trialx.cell("continuous.csv", "sd", "", variable="Age (years)", group="Arm A"):
        assert "the stated test (not stated)" in trialx.findings(twogroups)[X + "table-1.age-years.p"].explanation
    out = twogroups.summary_t_tests("5.0", "1.0", 20, "4.0", "1.0", 20)   # the difference cannot be 0
    assert out.loc["student", "p_high"] == pytest.approx(0.010026, abs=1e-6)
    frame = pd.DataFrame({"table": ["T", "T"], "variable": ["v", "v"], "group": ["a", "b"], "n": ["120", "118"],
                          "mean": ["26.10", "25.10"], "sd": ["4.20", "4.50"], "median": ["", ""],
                          "p": ["0.20", "0.20"], "test": ["t-test", "t-test"]})   # the t-tests give 0.074–0.081
    assert twogroups.summary_t_map(frame).loc[0, "verdict"] == "inconsistent"       # α = 0.05
    assert twogroups.summary_t_map(frame, alpha=0.1).loc[0, "verdict"] == "gross"


def test_ratio_details(trialx):
    assert ratios.check_ratio("1.25", "0.98", "1.60", "0.07").ci_p_agree is True
    found = trialx.findings(ratios)
    one = found[R_PP.format("per-protocol", "one-sided-p")]
    assert one.recomputed.startswith("2 × one-sided p = 0.019–0.021;")


def test_an_agreement_with_a_loose_printing_is_only_plausible(trialx):
    """The log-rank p is printed as 0.020 in Table 3 and the Abstract (sharp: 0.002 of all p).
    Printed in the Abstract only as "p > 0.01", the two still agree, but "> 0.01" would agree
    with 99% of p-values: plausible. Restored, consistent again."""
    fid = X + "cross.pfs-p"
    assert trialx.findings(mentions)[fid].sharpness == pytest.approx(0.002)
    trialx.flips_text(fid, "consistent", "plausible", family=mentions, file="reported.csv",
                      old="p = 0.020,,(p = 0.020)", new="p > 0.01,,(p > 0.01)")
    with trialx.text("reported.csv", "p = 0.020,,(p = 0.020)", "p > 0.01,,(p > 0.01)"):
        f = trialx.findings(mentions)[fid]
        assert f.sharpness == pytest.approx(0.991)
        assert "printed as > 0.01 (Abstract)" in f.explanation and "confirms little" in f.explanation


def test_every_finding_of_the_test_paper_records_its_sharpness(trialx):
    """Every family says how sharp its check was; not-checkable findings tested nothing (1)."""
    found = list(trialx.findings().values())
    assert found and all(0 <= f.sharpness <= 1 for f in found)
    assert {f.sharpness for f in found if f.verdict == "not-checkable"} <= {1.0}


@pytest.mark.parametrize("component, lows, highs, expected", [
    ("percent", [71.35, 71.35], [71.45, 71.45], 0.002),     # 0.1 + 0.1 points of 100
    ("rate", [82.05, 82.0], [82.15, 83.0], 0.011),
    ("p", [0.015, 0.0195, 0.0195], [0.025, 0.0205, 0.0205], 0.011),   # the two widest only
    ("count", [54, 54], [54, 54], 0.0),
    ("text", [math.nan, math.nan], [math.nan, math.nan], 0.0),
    ("median", [24.65, 24.65], [24.75, 24.75], 0.002),      # the decade 0–100
    ("estimate", [1.5, 1.55], [math.nan, 1.65], 1.0),       # "> 1.5": unbounded, accepts anything
    ("value", [-0.5, -0.5], [0.5, 0.5], 1.0),               # "0" printed twice: the decade 0–1
])
def test_agreement_sharpness_by_hand(component, lows, highs, expected):
    assert mentions.agreement_sharpness(component, lows, highs) == pytest.approx(expected)


def test_claim_sharpness_by_hand():
    e = claims._printed_p_evidence("0.20", "Table 2")
    straddles = claims._printed_p_evidence("0.05", "Table 2")      # 0.045–0.055: either side of α
    # p = 0.20 tells "not significant" from "significant" whichever the claim says
    assert claims.claim_sharpness(["not significant"], [e], alpha=0.05) == 0.0
    assert claims.claim_sharpness(["significant"], [e], alpha=0.05) == 0.0
    assert claims.claim_sharpness(["significant"], [claims._printed_p_evidence("0.01", "T")], alpha=0.05) == 0.0
    assert claims.claim_sharpness(["not significant"], [straddles], alpha=0.05) == 1.0
    assert claims.claim_sharpness(["difference"], [], alpha=0.05) == 1.0
    assert claims.claim_sharpness(["difference"], [], alpha=0.05, difference_tested=True) == 0.0
    assert claims.untested_words(["not significant", "higher"], [e], alpha=0.05) == ["higher"]
    # a claim repeating findings is as sharp as the loosest; one without a sharpness, not sharp
    rep = [claims._Evidence("x", repeats=True, sharpness=0.3), claims._Evidence("y", repeats=True, sharpness=0.01)]
    assert claims.claim_sharpness(["significant"], rep, alpha=0.05) == 0.3
    assert claims.claim_sharpness(["significant"], [claims._Evidence("z", repeats=True)], alpha=0.05) == 1.0


def test_a_p_off_the_estimate_but_on_the_centre_names_the_estimate(trialx):
    """HR 1.45 (1.02–1.66) is off its CI's centre (1.30); p = 0.030 fits the centre (p 0.029–0.041)
    but not 1.45 (p ≈ 0.003): the finding says the estimate is the likelier misprint. A p that fits
    neither (0.010) says the p does not follow from the CI; a p that fits gets no such note."""
    fid = R_MULTI.format("ecog-ps-1-vs-0", "p")
    with trialx.cell("ratios.csv", "estimate", "1.45", key="hr:ecog:adj"):
        with trialx.cell("ratios.csv", "p", "0.030", key="hr:ecog:adj"):
            f = trialx.findings(ratios)[fid]
            assert f.verdict == "inconsistent" and "the likelier misprint" in f.explanation
        with trialx.cell("ratios.csv", "p", "0.010", key="hr:ecog:adj"):
            f = trialx.findings(ratios)[fid]
            assert f.verdict == "inconsistent" and "does not follow from this CI" in f.explanation
        with trialx.cell("ratios.csv", "p", "0.003", key="hr:ecog:adj"):
            f = trialx.findings(ratios)[fid]
            assert f.verdict == "consistent" and "centre" not in f.explanation
    assert "centre" not in trialx.findings(ratios)[fid].explanation   # the planted p: on the centre
