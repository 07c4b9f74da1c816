"""Ran et al. (Xi'an): the paper's own analyses on the new engine — known values, planted errors
that flip a verdict (and restoring them flips it back), and a reconstruction that does not drift."""

import re

import numpy as np
import pandas as pd
import pytest
from conftest import edit
from lifelines import CoxPHFitter
from scipy import stats

from recheck.checks.percent import counts_for_percent
from recheck.checks.tables import table_pvalues
from recheck.data import DataError
from recheck.findings import all_findings, clear_caches, findings_frame, paper_findings
from recheck.paper import get_paper, load_paper
from recheck.papers import xian
from recheck.reconstruct import cohort_path, fit_table, read_cohort
from recheck.survival import cox_binary_hr

HRPOS, HRNEG = xian.HRPOS, xian.HRNEG


@pytest.fixture(scope="module")
def paper():
    return get_paper("xian")


@pytest.fixture(scope="module")
def F():
    return all_findings(("xian",)).set_index("id")


def own(folder) -> pd.DataFrame:
    """The paper module's findings alone, for a freshly loaded copy (fast)."""
    p = load_paper(folder / "xian")
    return findings_frame(xian.findings(p, {})).set_index("id")


def _table2(paper, group):
    cat = paper.read("categorical.csv")
    rows = cat[(cat["table"] == "Table 2") & (cat["category"] == "Yes") & (cat["group"] == group)]
    return dict(zip(rows["variable"], rows["count"].astype(int)))


# --- the regimen allocations ----------------------------------------------------------------------

def test_every_allocation_reproduces_every_printed_number(paper):
    al = xian.regimen_allocations(paper, joint=False)
    pooled = paper.read("proportions.csv").drop_duplicates("group").set_index("group")
    pcr = paper.read("pcr.csv")
    rates = pcr[pcr["regimen"].isin([xian.T, xian.TP]) & (pcr["pcr_percent"] != "")]
    assert len(al) and al["allocation"].is_unique
    for s, rows in al.groupby("subgroup"):
        n = int(pooled.loc[s, "n"])
        (k,) = counts_for_percent(pooled.loc[s, "percent"] + "%", n)
        assert (rows[["n_ct", "n_t", "n_tp"]].sum(axis=1) == n).all()
        assert (rows[["k_ct", "k_t", "k_tp"]].sum(axis=1) == k).all()
        for r in rates[rates["subgroup"] == s].to_dict("records"):
            short = {xian.T: "t", xian.TP: "tp"}[r["regimen"]]
            assert all(size >= 1 and kk in counts_for_percent(r["pcr_percent"] + "%", size)
                       for size, kk in zip(rows[f"n_{short}"], rows[f"k_{short}"]))


def test_combinations_meet_table_2(paper):
    sizes = {}
    for g in (HRPOS, HRNEG):
        comb, t2 = xian.hr_combinations(paper, g), _table2(paper, g)
        ct = t2["Neoadjuvant therapy"] - t2["Neoadjuvant HER2 targeted therapy"]
        assert (comb["n_ct"] == ct).all()
        assert (comb[["n_ct", "n_t", "n_tp"]].sum(axis=1) == t2["Neoadjuvant therapy"]).all()
        sizes[g] = len(comb)
    assert sizes == {HRPOS: 36, HRNEG: 1}
    joint = xian.regimen_allocations(paper)
    assert set(joint["allocation"]) < set(xian.regimen_allocations(paper, joint=False)["allocation"])


def test_regimen_p_ranges_known_values(paper):
    r = xian.regimen_p_ranges(paper).set_index("comparison")
    hr_t = r.loc[f"{HRPOS} vs {HRNEG} within {xian.T}"]
    assert hr_t["n_tables"] == 20 and round(hr_t["p_min"], 3) == 0.051 and round(hr_t["p_max"], 2) == 0.39
    tp = r.loc[f"{xian.REFERENCE} vs ER-/PR+ within {xian.TP}"]
    assert tp["n_tables"] == 6 and round(tp["p_min"], 2) == 0.47 and tp["p_max"] == pytest.approx(1.0)


def test_vectorised_two_by_two_p_values_match_table_pvalues():
    rng = np.random.default_rng(3)
    for _ in range(40):
        na, nb = rng.integers(1, 40, 2)
        ka, kb = rng.integers(0, na + 1), rng.integers(0, nb + 1)
        pear, fis = xian._pvalues(np.array([[ka, na, kb, nb]]))
        v = table_pvalues([[ka, kb], [na - ka, nb - kb]]).set_index("test")["p"]
        assert pear[0] == pytest.approx(v.get("pearson", 1.0), abs=1e-12)
        assert fis[0] == pytest.approx(v.get("fisher", 1.0), abs=1e-12)


def test_regimen_verdicts(F):
    assert F.loc["xian:pcr.regimen.hrpos-her2pos-vs-hrneg-her2pos-within-trastuzumab-pos-ct.p", "verdict"] == "gross"
    assert F.loc["xian:pcr.regimen.trastuzumab-pos-pertuzumab-pos-ct-vs-trastuzumab-pos-ct-all-neoadjuvant.p",
                 "verdict"] == "consistent"
    # 53.7% vs 66.7% with at most 15 ER−/PR+ patients cannot reach p < 0.05
    f = F.loc["xian:pcr.tp-ct.erpos-prpos-vs-erneg-prpos.p"]
    assert (f["verdict"], f["check"], f["depends_on"]) == ("gross", "regimen-p", "ct-only")
    assert f["recomputed_low"] >= 0.05


def test_planted_impossible_percentage_leaves_no_allocation(copy):
    # 28.7% of at most 45 patients is no whole number: no allocation of ER+/PR− can exist
    pcr = copy / "xian" / "pcr.csv"
    edit(pcr, "ER+/PR-,trastuzumab + CT,,,28.6,", "ER+/PR-,trastuzumab + CT,,,28.7,")
    p = load_paper(copy / "xian")
    assert xian.regimen_allocations(p, joint=False).query("subgroup == 'ER+/PR-'").empty
    assert xian.hr_combinations(p, HRPOS).empty
    f = own(copy)
    hit = f.loc["xian:pcr.regimen.her2-targeted-therapy-pos-ct-vs-ct-only-hrpos-her2pos.p"]
    assert hit["verdict"] == "inconsistent" and "cannot all be true" in hit["explanation"]
    edit(pcr, "ER+/PR-,trastuzumab + CT,,,28.7,", "ER+/PR-,trastuzumab + CT,,,28.6,")
    clear_caches()
    assert own(copy).loc[hit.name, "verdict"] == "not-checkable"


def test_planted_significant_p_flips_the_finding_and_the_claim(copy):
    edit(copy / "xian" / "pcr.csv", ",0.921,", ",0.021,", count=2)
    f = paper_findings(load_paper(copy / "xian")).set_index("id")
    assert f.loc["xian:pcr.tp-ct.erpos-prpos-vs-erpos-prneg.p", "verdict"] == "gross"
    assert f.loc["xian:claim.neo-tpct-ns", "verdict"] == "gross"


# --- the claims that rest on the paper's own findings ---------------------------------------------

@pytest.mark.parametrize("claim, verdict", [
    ("neo-hr-within-reg", "gross"), ("neo-tp-vs-t", "consistent"), ("neo-tct", "gross"), ("neo-tpct", "gross"),
    ("neo-tpct-ns", "consistent"), ("neo-her2-vs-ct", "not-checkable"), ("neo-erpr-her2", "gross"),
    ("het-hr-prop", "consistent"), ("dfs-erpr", "gross"), ("d5-monarcher", "consistent"), ("neo-erpr", "gross")])
def test_claims(F, claim, verdict):
    assert F.loc[f"xian:claim.{claim}", "verdict"] == verdict


def test_reading_reasons_quote_only_printed_numbers(paper):
    printed = "\n".join(p.read_text(encoding="utf-8") for p in paper.folder.glob("*.csv") if p.name != "readings.csv")
    for reason in paper.read("readings.csv")["reason"]:
        for num in re.findall(r"\d+(?:\.\d+)?", reason):
            assert num in printed, (num, reason)


# --- HER2 heterogeneity, the follow-up window ------------------------------------------------------

def test_heterogeneity_denominators(F):
    f = F.loc["xian:het.hr-status.p"]
    assert f["verdict"] == "consistent" and f["depends_on"] == "het-denominators"
    assert "28/93 and 14/89" in f["explanation"]
    assert f["recomputed_low"] == pytest.approx(stats.chi2_contingency([[28, 14], [65, 75]], correction=False).pvalue)


def test_heterogeneity_without_a_fitting_denominator_is_not_checkable(copy):
    conv = copy / "xian" / "conversion.csv"
    edit(conv, "HR-negative,heterogeneous,14,,15.7,", "HR-negative,heterogeneous,14,,15.8,")
    assert own(copy).loc["xian:het.hr-status.p", "verdict"] == "not-checkable"
    edit(conv, "HR-negative,heterogeneous,14,,15.8,", "HR-negative,heterogeneous,14,,15.7,")
    clear_caches()
    assert own(copy).loc["xian:het.hr-status.p", "verdict"] == "consistent"


def test_follow_up_outlasts_the_study_window(F, copy):
    f = F.loc["xian:followup.window"]
    assert f["verdict"] == "inconsistent" and f["accept_high"] == 132 and f["reported_low"] == 196
    edit(copy / "xian" / "reported.csv", '"December 31, 2022",,', '"December 31, 2029",,')
    assert own(copy).loc["xian:followup.window", "verdict"] == "consistent"   # 216 months ≥ 196


# --- the design of the maintenance-ET comparison --------------------------------------------------

def test_cox_binary_hr_matches_lifelines():
    rng = np.random.default_rng(1)
    x = rng.random((3, 120)) < 0.4
    t, c = rng.exponential(np.where(x, 2.0, 1.0)), rng.uniform(0.5, 3, (3, 120))
    time, ev = np.minimum(t, c), t <= c
    ours = cox_binary_hr(time, ev, x)
    for r in range(3):
        df = pd.DataFrame({"t": time[r], "e": ev[r], "x": x[r].astype(float)})
        assert ours[r] == pytest.approx(float(CoxPHFitter().fit(df, "t", "e").hazard_ratios_["x"]), rel=1e-4)


def test_designs_read_from_the_data(paper):
    d = xian.designs(paper)
    assert (d["seq-et"]["after"], d["seq-et"]["start"], d["seq-et"]["none"]) == (34, 0, 62)
    assert d["first-line-et"]["after"] + d["first-line-et"]["start"] == 57
    assert d["seq-et"]["printed"] == {"PFS": "0.35", "advanced-OS": "0.05"}


def test_no_effect_grouping_gives_hr_well_below_one(paper):
    s = xian.design_summary(paper).set_index(["design_id", "endpoint", "landmark"]).sort_index()
    seq = s.loc[("seq-et", "PFS")]
    assert round(seq.loc[6.0, "null_median_hr"], 2) == 0.60 and seq.loc[6.0, "share_below_1"] > 0.9
    assert seq.loc[9.0, "null_median_hr"] < seq.loc[6.0, "null_median_hr"] < seq.loc[3.0, "null_median_hr"] < 1
    sim = xian.design_replicates(paper, "seq-et", reps=50, seed=7)
    assert (sim["n_et"] <= 34).all() and set(sim["endpoint"]) == {"PFS", "advanced-OS"}


def test_design_bias_is_a_verdict_of_its_own_and_follows_the_printed_hr(F, copy):
    """The grouping builds in part of the effect (printed 0.35, below the no-effect range
    0.37–0.88) or, at 0.70, all of it: 'biased' either way, never 'inconsistent' — the arithmetic
    is not in question — and one issue per design."""
    f = F.loc["xian:grouping.seq-et.pfs"]
    assert (f["verdict"], f["check"], f["severity"]) == ("biased", "design-bias", "major")
    assert f["reported_low"] < f["accept_high"] and "lower still" in f["explanation"]
    assert F.loc["xian:grouping.seq-et.advanced-os", "issue"] == f["issue"] == "xian:grouping.seq-et"
    edit(copy / "xian" / "ratios.csv", ",0.35,0.21,0.57,", ",0.70,0.21,0.57,", count=2)
    g = own(copy).loc["xian:grouping.seq-et.pfs"]
    assert g["verdict"] == "biased" and g["reported_low"] >= g["accept_high"]
    assert "the grouping alone can produce it" in g["explanation"]


# --- the synthetic cohort --------------------------------------------------------------------------

def test_reconstruction_fits_every_printed_target(paper):
    fit = xian.reconstruction_fit(paper)
    assert fit["matches"].all(), fit[~fit["matches"]]
    generic = fit_table(paper, read_cohort(paper))
    assert len(generic) >= 290 and len(fit) == len(generic) + 7          # + the printed regimen pCR rates
    t34 = generic[generic["target"].str.startswith(("Table 3", "Table 4"))]
    assert len(t34) == 88
    pcr = generic[generic["target"].str.startswith("pCR")]
    assert {"ER+/PR+", "ER+/PR-", "ER-/PR+", "ER-/PR-", HRPOS, HRNEG} <= set(pcr["group"])


def test_cohort_keeps_the_model_constraints(paper):
    c = read_cohort(paper)
    assert len(c) == 828 and c["hr_status"].value_counts().to_dict() == {HRPOS: 466, HRNEG: 362}
    assert not ((c["Neoadjuvant HER2 targeted therapy"] == "Yes") & (c["Neoadjuvant therapy"] != "Yes")).any()
    m = c[c["metastatic"]]
    assert ((m["MBC diagnosis type"] == "De novo") == (m["TNM staging at diagnosis"] == "IV")).all()
    assert ((m["Metastatic sites: Visceral involvement"] == "Yes") == (m["Number of visceral metastases"] != 0)).all()
    neo = c[c["Neoadjuvant therapy"] == "Yes"]
    assert ((neo[xian.REGIMEN] == xian.CT) == (neo["Neoadjuvant HER2 targeted therapy"] == "No")).all()
    assert (neo.loc[neo[xian.ERPR] == "ER-/PR+", "ER"] == "< 10%").all()


def test_pooled_os_median_rests_on_the_last_few_at_risk(paper):
    tail = xian.os_pooled_tail(paper)
    assert tail["median"] == 135 and tail["at_risk"] <= 5 and tail["surv_before"] > 0.5 >= tail["surv_at"]
    with pytest.raises(RuntimeError, match="pooled median"):   # nobody dies: nothing can pin it
        xian._pin_pooled_median(np.linspace(1, 100, 50), np.r_[np.zeros(49, int), 1], np.arange(50) >= 25, 60.0)


def test_cohort_regenerates_byte_identically(paper, copy):
    committed = cohort_path(paper).read_bytes()
    assert committed.startswith(b"# SYNTHETIC")
    (path,) = xian.reconstruct(load_paper(copy / "xian"))
    assert path.read_bytes() == committed
    (again,) = xian.reconstruct(load_paper(copy / "xian"))
    assert again.read_bytes() == committed


def test_a_changed_input_makes_the_cohort_stale(copy):
    toml = copy / "xian" / "paper.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "# a changed input\n", encoding="utf-8")
    with pytest.raises(DataError, match="stale"):
        read_cohort(load_paper(copy / "xian"))


def test_pcr_table(paper):
    t = xian.pcr_table(paper).set_index("subgroup")
    assert t.loc[HRPOS, "count"] == 59 and t.loc[HRNEG, "count"] == 73
    assert (t["ci_low"] < t["pcr"]).all() and (t["pcr"] < t["ci_high"]).all()


def test_a_quoted_trial_is_judged_at_its_own_alpha(copy):
    """monarcHER's "significantly improved" PFS (P = 0.051) is right at the trial's prespecified
    two-sided α of 0.2; judged at Xi'an's own 0.05 it would be gross."""
    fid = "xian:claim.d5-monarcher"

    def verdict():
        clear_caches()           # findings are cached in memory by the paper's identity
        return paper_findings(load_paper(copy / "xian")).set_index("id").loc[fid, "verdict"]

    assert verdict() == "consistent"
    basis = '0.2,"monarcHER tested PFS at a prespecified two-sided α of 0.2 (facts file, row 21)"'
    edit(copy / "xian" / "claims.csv", basis, ',')
    assert verdict() == "gross"
    edit(copy / "xian" / "claims.csv", 'P = 0.051,,,', 'P = 0.051,' + basis + ',')
    assert verdict() == "consistent"
    edit(copy / "xian" / "claims.csv", basis, '0.2,')
    with pytest.raises(DataError, match="alpha_basis"):
        verdict()
