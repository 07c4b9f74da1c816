"""The Xi'an chapter's engine: its checks, the grouping simulation and the reconstruction."""

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter

from recheck.data import DataError, data_dir
from recheck.findings import findings_frame
from recheck.sources import xian


@pytest.fixture(scope="module")
def F():
    return findings_frame(xian.findings()).set_index("id", drop=False)


def test_findings_are_unique_and_stable(F):
    assert F["id"].is_unique
    assert (F["source"] == "xian").all()
    assert xian.findings() == xian.findings()


def test_table_p_uses_the_two_hr_columns_only(F):
    # With the All column kept as a third group this p does not reproduce (0.71 vs 0.413).
    f = F.loc["xian:table-1.menopausal-status-at-diagnosis.p"]
    assert f["verdict"] == "consistent"
    assert "All column" in f["explanation"]


def test_non_exclusive_site_rows_are_not_summed(F):
    assert not F["id"].str.startswith("xian:table-3.metastatic-sites.").where(
        F["check"].isin(["count-sum", "percent-sum"]), False).any()
    assert F.loc["xian:table-3.metastatic-sites.lung.p", "verdict"] == "consistent"


def test_cross_location_catches_the_grade_typo(F):
    f = F.loc["xian:cross.t1-grade-i-ii-hrpos"]
    assert f["verdict"] == "inconsistent"
    assert "41.1" in f["explanation"] and "40.1" in f["explanation"]


def test_prose_percent_that_its_count_cannot_give(F):
    assert F.loc["xian:prose-pct.fl-her2ct-hrneg", "verdict"] == "inconsistent"      # 74.8% (94/131)
    assert F.loc["xian:treatment-pct.fl-any-ct-hrneg", "verdict"] == "inconsistent"  # 90.9% (120/131)


def test_pcr_counts_and_p():
    t = xian.pcr_table().set_index("subgroup")
    assert int(t.loc["HR+/HER2+", "count"]) == 59 and int(t.loc["HR-/HER2+", "count"]) == 73
    assert (t["ci_low"] < t["pcr"]).all() and (t["pcr"] < t["ci_high"]).all()


def test_pcr_verdicts(F):
    assert F.loc["xian:pcr.hrpos-vs-hrneg.p", "verdict"] == "inconsistent"   # p ≈ 0.04, printed < 0.001
    assert F.loc["xian:pcr.erpos-prpos-vs-erpos-prneg.p", "verdict"] == "gross"
    assert F.loc["xian:pcr.erpos-prpos-vs-erneg-prneg.p", "verdict"] == "consistent"
    # 53.7% vs 66.7% with at most 15 ER−/PR+ patients cannot reach p < 0.05.
    assert F.loc["xian:pcr.tp-ct.erpos-prpos-vs-erneg-prpos.p", "verdict"] == "gross"


@pytest.mark.parametrize("claim, p, ci, verdict", [
    ("significant", "0.042", ("0.49", "0.19", "1.25"), "gross"),       # CI includes 1
    ("significant", "0.051", None, "gross"),                            # P = 0.051 called significant
    ("significant", "0.025", ("0.59", "0.38", "0.92"), "consistent"),
    ("not significant", "0.378", None, "consistent"),
    ("not significant", "0.03", None, "gross"),
    ("trend", "0.056", ("0.92", "0.45", "1.90"), "inconsistent"),      # CI implies p ≈ 0.8
    ("trend", "0.058", None, "consistent"),
])
def test_claim_verdict(claim, p, ci, verdict):
    assert xian.claim_verdict(claim, p, ci).verdict == verdict


def test_claim_with_recomputed_p_on_the_other_side():
    assert xian.claim_verdict("significant", "0.03", recomputed_p=0.09).verdict == "gross"


def test_claims_file_is_fully_mapped(F):
    claims = F[F["check"] == "claim"]
    assert len(claims) == 95
    assert not claims["explanation"].str.contains("Not mapped").any()
    assert F.loc["xian:claim.dfs-erpr", "verdict"] == "gross"
    assert F.loc["xian:claim.d5-monarcher", "verdict"] == "gross"


def test_supplement_only_is_not_checkable(F):
    sup = F[F["check"] == "supplement-only"]
    assert len(sup) == 22 and (sup["verdict"] == "not-checkable").all()


def test_survival_summaries(F):
    assert F.loc["xian:survival.os-all.events-sum", "verdict"] == "consistent"
    assert F.loc["xian:survival.dfs-all.events-sum", "verdict"] == "consistent"
    assert F.loc["xian:survival.aos-hr-status.logrank", "verdict"] == "consistent"


def test_cox_binary_hr_matches_lifelines():
    rng = np.random.default_rng(1)
    n = 120
    x = rng.random((3, n)) < 0.4
    t = rng.exponential(np.where(x, 2.0, 1.0))
    c = rng.uniform(0.5, 3, (3, n))
    time, ev = np.minimum(t, c), t <= c
    ours = xian.cox_binary_hr(time, ev, x)
    for r in range(3):
        df = pd.DataFrame({"t": time[r], "e": ev[r], "x": x[r].astype(float)})
        ref = float(CoxPHFitter().fit(df, "t", "e").hazard_ratios_["x"])
        assert ours[r] == pytest.approx(ref, rel=1e-4)


def test_no_effect_grouping_gives_hr_well_below_one():
    sim = xian.grouping_bias_replicates(landmark=6.0, reps=200, seed=7)
    pfs = sim[sim["endpoint"] == "PFS"]["hr"]
    assert np.median(pfs) < 0.8
    assert (pfs < 1).mean() > 0.9
    assert (sim.groupby("endpoint")["n_et"].first() == 34).all()


def test_grouping_bias_grows_with_the_landmark():
    s = xian.grouping_bias_simulation(landmarks=(3.0, 9.0), reps=150)
    pfs = s[(s["endpoint"] == "PFS") & s["design"].str.startswith("sequential")].set_index("landmark")
    assert pfs.loc[9.0, "null_median_hr"] < pfs.loc[3.0, "null_median_hr"] < 1
    assert set(s.columns) >= {"design", "endpoint", "landmark", "printed_hr", "null_median_hr",
                              "null_lo", "null_hi"}


@pytest.fixture()
def tmp_data(tmp_path, monkeypatch):
    src = data_dir()
    shutil.copytree(src / "xian", tmp_path / "xian", ignore=shutil.ignore_patterns("reconstructed"))
    monkeypatch.setenv("RECHECK_DATA", str(tmp_path))
    return tmp_path


def test_reconstruct_is_deterministic(tmp_data):
    (p1,) = xian.reconstruct()
    h1 = hashlib.sha256(p1.read_bytes()).hexdigest()
    (p2,) = xian.reconstruct()
    assert p1 == p2 and Path(p1).is_relative_to(tmp_data)
    assert hashlib.sha256(p2.read_bytes()).hexdigest() == h1
    assert p1.read_text(encoding="utf-8").startswith("# SYNTHETIC")


def test_reconstruct_margins_equal_tables_1_2(tmp_data):
    xian.reconstruct()
    m = xian.margins_check()
    assert len(m) > 100
    assert (m["printed"] == m["reconstructed"]).all()
    cohort = xian.read_cohort()
    assert len(cohort) == 828
    assert cohort["hr_status"].value_counts().to_dict() == {"HR+/HER2+": 466, "HR-/HER2+": 362}
    # nested treatment rows: no neoadjuvant HER2 therapy without neoadjuvant therapy
    bad = (cohort["Neoadjuvant HER2 targeted therapy"] == "Yes") & (cohort["Neoadjuvant therapy"] != "Yes")
    assert not bad.any()


def test_committed_reconstruction_is_current(tmp_data):
    committed = Path(__file__).resolve().parents[1] / "data" / "xian" / "reconstructed" / "cohort.csv"
    (fresh,) = xian.reconstruct()
    assert committed.read_bytes() == fresh.read_bytes()



@pytest.fixture(scope="module")
def cohort():
    return xian.read_cohort()


def _surv(c, t, e):
    return pd.to_numeric(c[t]).to_numpy(), pd.to_numeric(c[e]).to_numpy().astype(int)


def test_reconstructed_os_deaths_and_medians(cohort):
    from recheck.survival import km_median
    pos, neg = cohort[cohort["hr_status"] == "HR+/HER2+"], cohort[cohort["hr_status"] == "HR-/HER2+"]
    assert pd.to_numeric(cohort["os_death"]).sum() == 99
    assert pd.to_numeric(pos["os_death"]).sum() == 46 and pd.to_numeric(neg["os_death"]).sum() == 53
    assert abs(km_median(*_surv(neg, "os_months", "os_death")) - 116) <= 0.5
    assert not np.isfinite(km_median(*_surv(pos, "os_months", "os_death")))   # "not reached"
    assert km_median(*_surv(cohort, "os_months", "os_death")) == 135     # pooled, as printed


def test_pooled_os_median_rests_on_the_last_few_at_risk():
    tail = xian.os_pooled_tail()
    assert tail["median"] == 135 and tail["at_risk"] <= 5
    assert tail["surv_before"] > 0.5 >= tail["surv_at"]


def test_pin_pooled_median_says_when_it_cannot():
    # nobody dies: no rescale or moved death can bring the pooled curve down to 50%
    t = np.linspace(1, 100, 50)
    e = np.zeros(50, dtype=int)
    e[-1] = 1
    with pytest.raises(RuntimeError, match="pooled median"):
        xian._pin_pooled_median(t, e, np.arange(50) >= 25, 60.0)


def test_reconstructed_dfs_events_and_median(cohort):
    from recheck.survival import km_median
    d = cohort[cohort["dfs_population"] == "True"]
    assert len(d) == 762
    assert (cohort.loc[cohort["dfs_population"] != "True", "dfs_months"] == "").all()
    by = d.groupby("hr_status")
    assert by.size().to_dict() == {"HR+/HER2+": 431, "HR-/HER2+": 331}
    assert by["dfs_event"].apply(lambda s: pd.to_numeric(s).sum()).to_dict() == {"HR+/HER2+": 99,
                                                                                "HR-/HER2+": 100}
    assert abs(km_median(*_surv(d, "dfs_months", "dfs_event")) - 76) <= 0.5


def test_reconstructed_metastatic_disease(cohort):
    from recheck.survival import km_median
    m = cohort[cohort["metastatic"] == "True"]
    assert m["hr_status"].value_counts().to_dict() == {"HR+/HER2+": 132, "HR-/HER2+": 131}
    # de novo MBC are exactly the stage IV patients
    assert ((m["MBC diagnosis type"] == "De novo") == (m["TNM staging at diagnosis"] == "IV")).all()
    assert (cohort.loc[cohort["TNM staging at diagnosis"] == "IV", "metastatic"] == "True").all()
    for g, deaths in (("HR+/HER2+", 44), ("HR-/HER2+", 53)):
        mg = m[m["hr_status"] == g]
        assert pd.to_numeric(mg["aos_death"]).sum() == deaths
        assert abs(km_median(*_surv(mg, "aos_months", "aos_death")) - 55) <= 0.5
    assert abs(km_median(*_surv(m, "aos_months", "aos_death")) - 55) <= 0.5


def test_reconstructed_pcr(cohort):
    neo = cohort[cohort["Neoadjuvant therapy"] == "Yes"]
    assert (cohort.loc[cohort["Neoadjuvant therapy"] != "Yes", "pCR"] == "").all()
    got = neo[neo["pCR"] == "Yes"]["hr_status"].value_counts().to_dict()
    assert got == {"HR+/HER2+": 59, "HR-/HER2+": 73}


def test_reconstruction_fit_table(cohort):
    f = xian.reconstruction_fit()
    t34 = f[f["target"].str.startswith(("Table 3", "Table 4"))]
    assert len(t34) == 88 and t34["matches"].all()
    assert f["matches"].all(), f[~f["matches"]]
    counts = f[f["target"].str.contains("deaths|events|pCR|patients")]
    assert counts["matches"].all() and len(counts) >= 15

# --------------------------------------------------------------------------------------
# Claim verdicts: computed where they can be, typed (with a reason) only in data/
# --------------------------------------------------------------------------------------

def _rewrite_verdicts(folder, edit):
    import csv
    path = folder / "xian" / "claim_verdicts.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows = edit(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "verdict", "reason", "rests_on"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def test_claim_without_verdict_is_a_data_error(tmp_data):
    _rewrite_verdicts(tmp_data, lambda rows: [r for r in rows if r["id"] != "d5-sysucc"])
    with pytest.raises(DataError) as err:
        xian.findings()
    assert err.value.path.name == "claims.csv" and err.value.column == "id"
    assert err.value.line is not None and "d5-sysucc" in str(err.value)


def test_unknown_verdict_is_a_data_error(tmp_data):
    def edit(rows):
        rows[2]["verdict"] = "dubious"
        return rows
    _rewrite_verdicts(tmp_data, edit)
    with pytest.raises(DataError) as err:
        xian.findings()
    assert err.value.path.name == "claim_verdicts.csv"
    assert (err.value.line, err.value.column) == (4, "verdict")


def test_typed_verdict_for_a_computed_claim_is_a_data_error(tmp_data):
    def edit(rows):
        return rows + [{"id": "dfs-erpr", "verdict": "consistent", "reason": "x", "rests_on": ""}]
    _rewrite_verdicts(tmp_data, edit)
    with pytest.raises(DataError) as err:
        xian.findings()
    assert err.value.column == "id" and "computed" in str(err.value)


def test_typed_reasons_quote_only_printed_numbers():
    # A reason may quote a number only as the paper prints it somewhere in data/xian/.
    import re
    folder = data_dir() / "xian"
    printed = "\n".join(p.read_text(encoding="utf-8") for p in folder.glob("*.csv")
                        if p.name != "claim_verdicts.csv")
    reasons = pd.read_csv(folder / "claim_verdicts.csv", dtype=str)["reason"]
    for reason in reasons:
        for num in re.findall(r"\d+(?:\.\d+)?", reason):
            assert num in printed, (num, reason)


def test_computed_claims_quote_the_engine(F):
    from recheck.ratios import check_ratio
    c = check_ratio("0.49", "0.19", "1.25", "0.042")
    lo, hi = float(c.implied_p.low), float(c.implied_p.high)
    assert f"implies p ≈ {lo:.2g}–{hi:.2g}" in F.loc["xian:claim.dfs-erpr", "explanation"]
    assert "91.6%" in F.loc["xian:claim.fl-ct", "explanation"]   # 120/131, printed 90.9%
    assert F.loc["xian:claim.fl-ct", "verdict"] == "inconsistent"
    assert F.loc["xian:claim.neo-tpct-ns", "recomputed"].startswith("p over every feasible")


def test_pcr_by_er_pr_subgroup_is_reconstructed_exactly():
    fit = xian.reconstruction_fit()
    rows = fit[fit["target"].str.startswith(("pCR (implied", "neoadjuvant patients,"))]
    assert len(rows) == 12 and rows["matches"].all()
    assert {"ER+/PR+", "ER+/PR-", "ER-/PR+", "ER-/PR-"} <= set(rows["group"])


def test_reconstructed_regimens_fit_every_printed_regimen_rate(cohort):
    from recheck.percent import counts_for_percent
    neo = cohort[cohort["Neoadjuvant therapy"] == "Yes"]
    # CT only is exactly "no neoadjuvant HER2-targeted therapy" (Table 2)
    assert ((neo["Neoadjuvant regimen"] == "CT only") == (neo["Neoadjuvant HER2 targeted therapy"] == "No")).all()
    assert (cohort.loc[cohort["Neoadjuvant therapy"] != "Yes", "Neoadjuvant regimen"] == "").all()
    pcr = pd.read_csv(xian.data_dir() / "xian" / "pcr.csv", dtype=str, keep_default_na=False)
    printed = pcr[pcr["regimen"].isin(["trastuzumab + CT", "trastuzumab + pertuzumab + CT"]) & (pcr["pcr_percent"] != "")]
    assert len(printed) >= 7
    for _, r in printed.iterrows():
        g = neo[(neo["ER/PR subgroup (neoadjuvant)"] == r["subgroup"]) & (neo["Neoadjuvant regimen"] == r["regimen"])]
        assert (g["pCR"] == "Yes").sum() in counts_for_percent(r["pcr_percent"] + "%", len(g))


def test_regimen_claims_are_computed_not_typed(F):
    got = F.set_index("id")["verdict"]
    # HR+ vs HR- within each anti-HER2 regimen: no allocation the text allows gives p < 0.05
    assert got["xian:claim.neo-hr-within-reg"] == "gross"
    assert got["xian:pcr.regimen.hrpos-her2pos-vs-hrneg-her2pos-within-trastuzumab-pos-ct.p"] == "gross"
    assert got["xian:claim.neo-tp-vs-t"] == "consistent"
