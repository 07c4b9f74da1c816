"""The Xi'an neoadjuvant regimen allocations: every printed number holds, and nothing else is assumed."""

import csv
import shutil

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from recheck.data import DataError, data_dir, read_csv, read_source_table
from recheck.percent import counts_for_percent
from recheck.reported import parse_count
from recheck.sources import xian_regimens as xr
from recheck.sources.xian import HRNEG, HRPOS

COLS = list(xr.ALLOCATION_COLUMNS)


def _pcr() -> pd.DataFrame:
    return read_csv(data_dir() / "xian" / "pcr.csv")


def _pooled() -> pd.DataFrame:
    p = _pcr()
    p = p[p["regimen"] == xr.POOLED].set_index("subgroup")
    p["n_int"] = p["n"].map(parse_count)
    p["k"] = [counts_for_percent(f"{q}%", n) for q, n in zip(p["pcr_percent"], p["n_int"])]
    return p


def _ct_total(group: str) -> int:
    """Table 2: neoadjuvant therapy minus neoadjuvant HER2-targeted therapy, read in the test too."""
    cat = read_source_table("xian", "categorical.csv")
    sel = cat[(cat["table"] == "Table 2") & (cat["category"] == "Yes") & (cat["group"] == group)]
    counts = dict(zip(sel["variable"], sel["count"].map(parse_count)))
    return counts["Neoadjuvant therapy"] - counts["Neoadjuvant HER2 targeted therapy"]


def _printed_regimen_rows() -> pd.DataFrame:
    p = _pcr()
    return p[p["regimen"].isin([xr.T, xr.TP]) & p["subgroup"].isin(list(xr.HR_OF_SUBGROUP))]


@pytest.fixture()
def tmp_data(tmp_path, monkeypatch):
    shutil.copytree(data_dir() / "xian", tmp_path / "xian", ignore=shutil.ignore_patterns("reconstructed"))
    monkeypatch.setenv("RECHECK_DATA", str(tmp_path))
    return tmp_path


def _rewrite(folder, name, edit):
    path = folder / "xian" / name
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    rows = edit(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)


# --------------------------------------------------------------------------------------
# The allocations on the committed data
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("joint", [True, False])
def test_allocations_reproduce_every_printed_percentage(joint):
    al = xr.regimen_allocations(joint=joint)
    assert len(al) > 0
    printed = _printed_regimen_rows()
    for _, r in printed.iterrows():
        short = {xr.T: "t", xr.TP: "tp"}[r["regimen"]]
        rows = al[al["subgroup"] == r["subgroup"]]
        assert len(rows) > 0
        for n, k in zip(rows[f"n_{short}"], rows[f"k_{short}"]):
            assert n >= 1 and k in counts_for_percent(f"{r['pcr_percent']}%", int(n))


def test_allocations_add_up_to_the_pooled_rows():
    al = xr.regimen_allocations(joint=False)
    pooled = _pooled()
    assert set(al["subgroup"]) <= set(xr.HR_OF_SUBGROUP)
    for s, rows in al.groupby("subgroup"):
        assert (rows[["n_ct", "n_t", "n_tp"]].sum(axis=1) == pooled.loc[s, "n_int"]).all()
        (k,) = pooled.loc[s, "k"]
        assert (rows[["k_ct", "k_t", "k_tp"]].sum(axis=1) == k).all()
        for reg in ("ct", "t", "tp"):
            assert ((rows[f"k_{reg}"] >= 0) & (rows[f"k_{reg}"] <= rows[f"n_{reg}"])).all()
        assert (rows["hr_group"] == xr.HR_OF_SUBGROUP[s]).all()
    assert al["allocation"].is_unique


def test_combinations_meet_table_2_and_the_hr_pooled_rows():
    pooled = _pooled()
    local = xr.regimen_allocations(joint=False).set_index("allocation")
    for g in (HRPOS, HRNEG):
        comb = xr.hr_combinations(g)
        assert len(comb) > 0
        subs = [s for s, h in xr.HR_OF_SUBGROUP.items() if h == g]
        assert (comb["n_ct"] == _ct_total(g)).all()
        assert (comb[["n_ct", "n_t", "n_tp"]].sum(axis=1) == pooled.loc[g, "n_int"]).all()
        (k,) = pooled.loc[g, "k"]
        assert (comb[["k_ct", "k_t", "k_tp"]].sum(axis=1) == k).all()
        # the totals are the sums of the subgroup rows the combination names
        for c in COLS:
            parts = sum(local.loc[comb[s], c].to_numpy() for s in subs)
            assert (comb[c].to_numpy() == parts).all()
    assert xr.hr_positive_combinations().equals(xr.hr_combinations(HRPOS))


def test_joint_rows_are_exactly_those_in_some_combination():
    joint = xr.regimen_allocations()
    local = xr.regimen_allocations(joint=False)
    assert set(joint["allocation"]) <= set(local["allocation"])
    used = set()
    for g in (HRPOS, HRNEG):
        comb = xr.hr_combinations(g)
        for s in [s for s, h in xr.HR_OF_SUBGROUP.items() if h == g]:
            used |= set(comb[s])
    assert used == set(joint["allocation"])
    # the single HR- subgroup must carry the whole HR- CT-only total
    neg = joint[joint["hr_group"] == HRNEG]
    assert (neg["n_ct"] == _ct_total(HRNEG)).all()


def test_ct_only_range_is_within_the_combinations():
    r = xr.ct_only_pcr_range().set_index(["hr_group", "regimen"])
    for g in (HRPOS, HRNEG):
        comb = xr.hr_combinations(g)
        for reg, short in zip(xr.REGIMENS, ("ct", "t", "tp")):
            row = r.loc[(g, reg)]
            assert row["pcr_min"] == comb[f"k_{short}"].min() and row["pcr_max"] == comb[f"k_{short}"].max()
            assert row["n_min"] == comb[f"n_{short}"].min() and row["n_max"] == comb[f"n_{short}"].max()
            assert row["n_combinations"] == len(comb)
        assert r.loc[(g, xr.CT), "n_min"] == r.loc[(g, xr.CT), "n_max"] == _ct_total(g)
    both = r.loc[(xr.ALL_NEO, xr.CT)]
    assert both["n_min"] == _ct_total(HRPOS) + _ct_total(HRNEG)


def test_choose_allocation_is_deterministic_and_feasible():
    a, b = xr.choose_allocation(7), xr.choose_allocation(7)
    pd.testing.assert_frame_equal(a, b)
    al = xr.regimen_allocations()
    pooled = _pooled()
    picks = {tuple(xr.choose_allocation(seed)[["n", "pcr_count"]].to_numpy().ravel()) for seed in range(20)}
    assert len(picks) > 1  # the seed matters when there is more than one allocation
    for seed in (0, 1, 2, 123):
        c = xr.choose_allocation(seed)
        assert set(c["regimen"]) == set(xr.REGIMENS)
        assert len(c) == len(xr.HR_OF_SUBGROUP) * len(xr.REGIMENS)
        for s, rows in c.groupby("subgroup"):
            rows = rows.set_index("regimen")
            tup = [rows.loc[r, "n"] for r in xr.REGIMENS] + [rows.loc[r, "pcr_count"] for r in xr.REGIMENS]
            assert (al[al["subgroup"] == s][COLS].to_numpy() == tup).all(axis=1).any()
            assert rows["n"].sum() == pooled.loc[s, "n_int"]
        for g in (HRPOS, HRNEG):
            ct = c[(c["hr_group"] == g) & (c["regimen"] == xr.CT)]
            assert ct["n"].sum() == _ct_total(g)
            assert c[c["hr_group"] == g]["pcr_count"].sum() == pooled.loc[g, "k"][0]


def test_p_ranges_are_ordered_probabilities_with_printed_keys():
    r = xr.regimen_p_ranges()
    p = _pcr()
    assert set(r["key"]) <= set(p["key"])
    for _, row in r.iterrows():
        assert row["printed_p"] in set(p.loc[p["key"] == row["key"], "p"])
        assert row["n_tables"] >= 1
        for test in ("pearson", "fisher"):
            lo, hi = row[f"{test}_min"], row[f"{test}_max"]
            assert 0 <= lo <= hi <= 1
        assert row["p_min"] == min(row["pearson_min"], row["fisher_min"])
        assert row["p_max"] == max(row["pearson_max"], row["fisher_max"])
        assert pd.isna(row["pearson_agrees"]) == (row["printed_p"] == "")
    # every regimen-level comparison row of pcr.csv is covered
    regimen_keys = set(p.loc[p["key"].str.startswith("pcr:regimen:"), "key"])
    assert regimen_keys <= set(r["key"])


def test_hr_negative_her2_vs_ct_p_is_the_test_of_its_single_table():
    comb = xr.hr_combinations(HRNEG)
    r = xr.regimen_p_ranges()
    row = r[r["key"] == "pcr:regimen:her2-vs-ct:hrneg"].iloc[0]
    tabs = {(int(c.k_t + c.k_tp), int(c.n_t + c.n_tp), int(c.k_ct), int(c.n_ct)) for c in comb.itertuples()}
    assert row["n_tables"] == len(tabs)
    pear = [stats.chi2_contingency([[ka, na - ka], [kb, nb - kb]], correction=False).pvalue
            for ka, na, kb, nb in tabs]
    fis = [stats.fisher_exact([[ka, na - ka], [kb, nb - kb]]).pvalue for ka, na, kb, nb in tabs]
    assert row["pearson_min"] == pytest.approx(min(pear)) and row["pearson_max"] == pytest.approx(max(pear))
    assert row["fisher_min"] == pytest.approx(min(fis)) and row["fisher_max"] == pytest.approx(max(fis))


# --------------------------------------------------------------------------------------
# Planted data: each constraint bites, and impossibility is reported, not raised
# --------------------------------------------------------------------------------------

def _impossible_percent(n_max: int) -> str:
    """A one-decimal percentage no count of 1..n_max patients rounds to."""
    for tenths in range(1, 1000):
        q = f"{tenths / 10:.1f}"
        if not any(counts_for_percent(f"{q}%", n) for n in range(1, n_max + 1)):
            return q
    raise AssertionError("no impossible percentage")


def test_planted_impossible_percent_empties_the_group_without_raising(tmp_data):
    sub = "ER-/PR+"
    n = _pooled().loc[sub, "n_int"]
    bad = _impossible_percent(n)

    def edit(rows):
        for r in rows:
            if r["subgroup"] == sub and r["regimen"] == xr.TP:
                r["pcr_percent"] = bad
        return rows
    _rewrite(tmp_data, "pcr.csv", edit)
    assert xr.regimen_allocations(joint=False).query("subgroup == @sub").empty
    assert xr.hr_combinations(HRPOS).empty and not xr.hr_combinations(HRNEG).empty
    rng = xr.ct_only_pcr_range().set_index(["hr_group", "regimen"])
    assert pd.isna(rng.loc[(HRPOS, xr.CT), "pcr_min"]) and rng.loc[(HRPOS, xr.CT), "n_combinations"] == 0
    r = xr.regimen_p_ranges()
    hrpos = r[r["key"] == "pcr:regimen:her2-vs-ct:hrpos"].iloc[0]
    assert hrpos["n_tables"] == 0 and np.isnan(hrpos["p_min"]) and "cannot all hold" in hrpos["note"]
    assert r[r["key"] == "pcr:regimen:her2-vs-ct:hrneg"].iloc[0]["n_tables"] == 1
    with pytest.raises(ValueError, match="no allocation"):
        xr.choose_allocation(0)


def test_table_2_ct_total_is_a_constraint(tmp_data, monkeypatch):
    # Give HR- a CT-only total that its one subgroup's own constraints do not allow.
    local = xr.regimen_allocations(joint=False)
    allowed = set(local.loc[local["subgroup"] == "ER-/PR-", "n_ct"])
    ct = _ct_total(HRNEG)
    new_ct = next(v for v in range(ct - 1, -1, -1) if v not in allowed)

    def edit(rows):
        for r in rows:
            if (r["table"], r["variable"], r["category"], r["group"]) == (
                    "Table 2", "Neoadjuvant HER2 targeted therapy", "Yes", HRNEG):
                r["count"] = str(parse_count(r["count"]) + ct - new_ct)
        return rows
    tmp = tmp_data.parent / "other"
    shutil.copytree(tmp_data, tmp)
    monkeypatch.setenv("RECHECK_DATA", str(tmp))  # a new folder: nothing cached for it yet
    _rewrite(tmp, "categorical.csv", edit)
    assert xr.hr_combinations(HRNEG).empty
    assert xr.regimen_allocations().query("hr_group == @HRNEG").empty
    assert not xr.hr_combinations(HRPOS).empty


def test_second_printing_of_a_rate_is_a_constraint_too(tmp_data):
    # ER+/PR+ under trastuzumab + pertuzumab + CT is printed twice; make the copies disagree.
    printed = _printed_regimen_rows()
    twice = printed.groupby(["subgroup", "regimen"]).filter(lambda g: len(g) > 1)
    assert len(twice) >= 2
    sub, reg = twice.iloc[0][["subgroup", "regimen"]]
    other = next(q for q in printed["pcr_percent"] if q != twice.iloc[0]["pcr_percent"])
    seen = []

    def edit(rows):
        for r in rows:
            if (r["subgroup"], r["regimen"]) == (sub, reg):
                seen.append(r)
                if len(seen) == 2:
                    r["pcr_percent"] = other
        return rows
    _rewrite(tmp_data, "pcr.csv", edit)
    al = xr.regimen_allocations(joint=False)
    short = {xr.T: "t", xr.TP: "tp"}[reg]
    for n, k in zip(al.loc[al["subgroup"] == sub, f"n_{short}"], al.loc[al["subgroup"] == sub, f"k_{short}"]):
        assert k in counts_for_percent(f"{twice.iloc[0]['pcr_percent']}%", int(n))
        assert k in counts_for_percent(f"{other}%", int(n))


def test_missing_table_2_row_raises(tmp_data):
    _rewrite(tmp_data, "categorical.csv",
             lambda rows: [r for r in rows if not (r["variable"] == "Neoadjuvant HER2 targeted therapy"
                                                   and r["group"] == HRPOS and r["category"] == "Yes")])
    with pytest.raises(DataError, match="Neoadjuvant HER2 targeted therapy"):
        xr.regimen_allocations()


def test_malformed_percent_and_p_raise(tmp_data):
    def bad_percent(rows):
        for r in rows:
            if r["regimen"] == xr.T:
                r["pcr_percent"] = "14,3x"
                break
        return rows
    _rewrite(tmp_data, "pcr.csv", bad_percent)
    with pytest.raises(DataError) as err:
        xr.regimen_allocations()
    assert err.value.column == "pcr_percent"


def test_unreadable_printed_p_raises(tmp_data):
    def bad_p(rows):
        for r in rows:
            if r["key"] == "pcr:regimen:tp-vs-t":
                r["p"] = "significant"
        return rows
    _rewrite(tmp_data, "pcr.csv", bad_p)
    with pytest.raises(DataError) as err:
        xr.regimen_p_ranges()
    assert err.value.column == "p"
