"""Ozcan et al. and its news write-up: flags that can fail, and a reconstruction that does not drift."""


import pytest
from conftest import edit

from recheck.data import DataError, data_dir
from recheck.findings import all_findings, clear_caches, paper_findings
from recheck.paper import get_paper, load_paper
from recheck.papers import ozcan
from recheck.reconstruct import fit_table, read_cohort


@pytest.fixture(scope="module")
def F():
    return all_findings(("ozcan", "ozcan-news")).set_index("id")


def test_orr_71_6_is_impossible_and_71_4_is_not(F):
    assert F.loc["ozcan:pct.proportions.orr-her2-low.table-2", "verdict"] == "inconsistent"
    assert F.loc["ozcan:pct.abs-orr-her2low", "verdict"] == "consistent"
    assert ozcan.response_counts(get_paper("ozcan"))[("ORR", "HER2-low")] == (80, 112)


def test_recurrent_vs_de_novo_contradiction_is_gross(F):
    assert F.loc["ozcan:cross.pfs-p-recurrent-vs-denovo-her2-low", "verdict"] == "gross"
    assert F.loc["ozcan-news:vs-paper.pfs-p-recurrent-vs-denovo-her2-low", "verdict"] == "inconsistent"


def test_the_contradiction_disappears_when_the_discussion_prints_the_results_p(copy):
    edit(copy / "ozcan" / "survival.csv", ",0.26,Discussion para 5", ",0.04,Discussion para 5", count=2)
    edit(copy / "ozcan" / "reported.csv", "within HER2-low,p = 0.26,", "within HER2-low,p = 0.04,")
    f = paper_findings(load_paper(copy / "ozcan")).set_index("id")
    assert f.loc["ozcan:cross.pfs-p-recurrent-vs-denovo-her2-low", "verdict"] == "consistent"


def test_dispute_simulation_marks_both_printed_values():
    d = ozcan.dispute_summary(get_paper("ozcan"))
    assert list(d["printed"]) == ["0.04", "0.26"]
    assert 0 < d.attrs["share_significant"] < 0.5
    assert (d["share_in_interval"] > 0).all()


def test_model_entry_rule_is_checked(F):
    assert F.loc["ozcan:model-entry.line", "verdict"] == "inconsistent"
    assert F.loc["ozcan:model-entry.sites", "verdict"] == "inconsistent"
    assert "ozcan:model-entry.visceral" not in F.index     # followed the rule


def test_model_entry_rule_flag_follows_the_univariate_p(copy):
    # with a univariate p below 0.05, line of therapy was entitled to enter the model
    edit(copy / "ozcan" / "ratios.csv", "1.22,0.87,1.71,0.246", "1.22,0.87,1.71,0.046")
    f = paper_findings(load_paper(copy / "ozcan")).set_index("id")
    assert "ozcan:model-entry.line" not in f.index


def test_endocrine_therapy_reproduces_only_with_fisher(F):
    assert F.loc["ozcan:table-1.endocrine-therapy.p", "verdict"] == "variant"


def test_quotations_out_of_context_are_flagged(F):
    assert F.loc["ozcan-news:quote.q3", "verdict"] == "inconsistent"
    assert F.loc["ozcan-news:quote.q6", "verdict"] == "consistent"


def test_reconstruction_fits_every_printed_target():
    p = get_paper("ozcan")
    fit = fit_table(p, read_cohort(p))
    t1 = fit[fit["target"].str.startswith("Table 1")]
    assert len(t1) == 42 and t1["matches"].all()
    medians = fit[fit["target"].str.endswith("KM median")]
    assert len(medians) == 18 and medians["matches"].all()
    missed = set(fit.loc[~fit["matches"], "target"])
    # the impossible 71.6% cannot be met, nor the printed follow-up with these events and medians;
    # the median CIs are not fitted (test_median_cis_are_fit_targets_not_fitted)
    assert {t for t in missed if "95% CI" not in t} == {"ORR (Table 2)", "median follow-up (reverse Kaplan–Meier)"}


def test_reconstruction_is_byte_identical_when_regenerated(copy):
    committed = (data_dir() / "ozcan" / "reconstructed" / "cohort.csv").read_bytes()
    [path] = ozcan.reconstruct(load_paper(copy / "ozcan"))
    assert path.read_bytes() == committed
    assert committed.startswith(b"# SYNTHETIC")


def test_an_edited_or_stale_cohort_is_refused(copy):
    p = load_paper(copy / "ozcan")
    cohort = copy / "ozcan" / "reconstructed" / "cohort.csv"
    lines = cohort.read_text(encoding="utf-8").splitlines(keepends=True)
    cohort.write_text("".join(lines[:-10]), encoding="utf-8")          # ten patients dropped
    with pytest.raises(DataError, match="edited"):
        read_cohort(p)
    ozcan.reconstruct(p)
    edit(copy / "ozcan" / "categorical.csv", "61,61,0.15", "61,61,0.16")   # an input changes
    with pytest.raises(DataError, match="stale"):
        read_cohort(load_paper(copy / "ozcan"))


def test_table1_p_values_are_spss_one_sided_fisher(F, copy):
    """ECOG 0.13, CDK4/6i 0.34 and line of treatment 0.55 are SPSS's "Exact Sig. (1-sided)"
    (R: fisher.test one-sided 0.1274, 0.3400, 0.5455): variant under SPSS 27, and reproduced by no
    test once the paper's software is not SPSS."""
    ids = [f"ozcan:table-1.{v}.p" for v in ("ecog-ps", "cdk4-6i", "line-of-treatment")]
    for fid in ids:
        assert F.loc[fid, "verdict"] == "variant"
        assert "one-sided" in F.loc[fid, "explanation"]
    edit(copy / "ozcan" / "paper.toml", 'software = "SPSS 27"', 'software = "R 4.2"')
    other = paper_findings(load_paper(copy / "ozcan")).set_index("id")
    assert [other.loc[fid, "verdict"] for fid in ids] == ["inconsistent"] * 3
    edit(copy / "ozcan" / "paper.toml", 'software = "R 4.2"', 'software = "SPSS 27"')
    clear_caches()
    back = paper_findings(load_paper(copy / "ozcan")).set_index("id")
    assert [back.loc[fid, "verdict"] for fid in ids] == ["variant"] * 3


def test_median_cis_are_symmetric_as_spss_prints_them(F, copy):
    """SPSS gives a KM median's CI as median ± 1.96 SE: 14.9 (11.8–17.2) reaches 3.1 below and 2.3
    above (asymmetry −0.8, rounding allows ±0.2); made symmetric, it passes; without SPSS, no check."""
    fid = "ozcan:median-ci.pfs.her2-low-vs-her2-zero-1st-line-treatment.her2-zero.table-2"
    assert (F.loc[fid, "verdict"], F.loc[fid, "severity"]) == ("inconsistent", "minor")
    assert F.loc[fid, "reported_low"] == pytest.approx(-0.8) and F.loc[fid, "accept_high"] == pytest.approx(0.2)
    assert (F["check"] == "median-ci-symmetry").sum() == 18
    edit(copy / "ozcan" / "survival.csv", ",14.9,11.8–17.2,", ",14.9,11.8–18.0,")
    assert paper_findings(load_paper(copy / "ozcan")).set_index("id").loc[fid, "verdict"] == "consistent"
    edit(copy / "ozcan" / "survival.csv", ",14.9,11.8–18.0,", ",14.9,11.8–17.2,")
    clear_caches()
    assert paper_findings(load_paper(copy / "ozcan")).set_index("id").loc[fid, "verdict"] == "inconsistent"
    edit(copy / "ozcan" / "paper.toml", 'software = "SPSS 27"', 'software = "R 4.2"')
    clear_caches()
    assert not (paper_findings(load_paper(copy / "ozcan"))["check"] == "median-ci-symmetry").any()


def test_median_ci_widths_are_plausible_under_any_seed(F):
    """Every Table 2 median CI width is plausible, and stays so when the reconstructions are drawn
    with other seeds: no verdict rests on the seed."""
    import dataclasses
    from recheck.checks import survival
    widths = F[F["check"] == "median-ci-width"]
    assert len(widths) == 18 and set(widths["verdict"]) == {"plausible"}
    paper = get_paper("ozcan")
    for seed in (101, 202, 303):
        rows = survival._median_width_rows(dataclasses.replace(paper, seed=seed))
        assert {r["verdict"] for r in rows} == {"consistent"}      # made plausible by its sharpness
        assert all(r["sharpness"] > 0.25 for r in rows)


def test_median_cis_are_fit_targets_not_fitted():
    """The cohort's median CIs, made as SPSS makes them, are set against Table 2's: 18 targets, each
    with the cohort's CI width less the printed one; the cohort is not fitted to them."""
    paper = get_paper("ozcan")
    fit = fit_table(paper, read_cohort(paper))
    cis = fit[fit["target"].str.contains("KM median's 95% CI, not fitted")]
    assert len(cis) == 18 and cis["target"].str.endswith("(median ± 1.96 SE)").all()
    row = cis[cis["target"].str.contains("PFS \\(all group\\)") & (cis["group"] == "HER2-zero")].iloc[0]
    assert row["printed"] == "11.3–16.5"
    lo, hi = (float(x) for x in row["reconstructed"].split("–"))
    assert row["difference"] == pytest.approx((hi - lo) - 5.2, abs=0.01)


def test_a_simulated_verdict_must_stand_under_both_censoring_windows(copy):
    """2nd line and above: reconstructions censored to give the printed 106 events put 99% of
    log-rank p in about 0.093–1.00; censored so that the median follow-up is the printed 24.7
    months (window 0–49.4), in about 0.054–1.00.  A p of 0.07 is inside only the second, so it is
    plausible and says its verdict rests on the censoring; 0.01 is outside both (implausible);
    restored to 0.98, inside both.  Without the follow-up window, 0.07 would be implausible."""
    from recheck.checks import survival
    fid = "ozcan:logrank-sim.pfs-p-her2-low-vs-zero-second-line-plus.table-2"
    surv, toml = copy / "ozcan" / "survival.csv", copy / "ozcan" / "paper.toml"

    def finding():   # the survival family alone: the rest of the paper is not needed
        clear_caches()
        return next(vars(f) for f in survival.findings(load_paper(copy / "ozcan")) if f.id == fid)

    edit(surv, ",0.98,Table 2,", ",0.07,Table 2,", count=2)
    f = finding()
    assert f["verdict"] == "plausible" and "inside only one of them" in f["explanation"]
    assert "0–49.4 months" in f["explanation"] and "median follow-up implies" in f["depends_on"]
    edit(surv, ",0.07,Table 2,", ",0.01,Table 2,", count=2)
    assert finding()["verdict"] == "implausible"
    edit(surv, ",0.01,Table 2,", ",0.98,Table 2,", count=2)
    f = finding()
    assert f["verdict"] == "plausible" and "inside both ranges" in f["explanation"]
    edit(surv, ",0.98,Table 2,", ",0.07,Table 2,", count=2)
    edit(toml, 'follow_up = "followup-median"\n', "")
    f = finding()
    assert f["verdict"] == "implausible" and "Censored instead" not in f["explanation"]


def test_ihc_p_is_flagged_only_if_no_split_gives_it(copy):
    """The 1+/2+ split is not printed: the IHC p is implausible only outside the simulated 99% range
    of every split under both censoring windows (0.018–1.00 over all of them).  The printed 0.55 is
    plausible (a range that wide confirms nothing); typed as 0.001 it is implausible; restored,
    plausible again."""
    from recheck.checks._base import to_findings
    surv = copy / "ozcan" / "survival.csv"

    def finding():   # the IHC rows alone, without the 20,000-replicate dispute simulation
        clear_caches()
        paper = load_paper(copy / "ozcan")
        return vars(to_findings(paper.id, ozcan._ihc_rows(paper))[0])

    f = finding()
    assert f["verdict"] == "plausible" and "for 12 of the 12 splits" in f["explanation"]
    assert f["accept_low"] < 0.05 and f["accept_high"] > 0.99 and f["sharpness"] > 0.9
    edit(surv, ",0.55,Results 3.5,", ",0.001,Results 3.5,", count=3)
    f = finding()
    assert f["verdict"] == "implausible" and "For every one of the 12 possible" in f["explanation"]
    edit(surv, ",0.001,Results 3.5,", ",0.55,Results 3.5,", count=3)
    assert finding()["verdict"] == "plausible"


def test_sharpness_of_sums_and_ratio_centres(F):
    """Recorded sharpness, by hand: a sum of counts is exact (0); Age group's percentages
    (two printed at whole percent) accept 99–101 of 100 points (0.02); HR 0.95 (0.66–1.35)
    is centred if its rounding, 0.945–0.955, covers ln(0.955/0.945)/ln(1.35/0.66) = 0.0147 of
    its CI.  A CI only twice as wide as the rounding would not be sharp: plausible."""
    import math
    from recheck.checks.ratios import _log_share
    from recheck.judge import calibrate
    assert F.loc["ozcan:table-1.age-group.her2-zero.count-sum", "sharpness"] == 0.0
    assert F.loc["ozcan:table-1.age-group.her2-zero.percent-sum", "sharpness"] == pytest.approx(0.02)
    assert F.loc["ozcan:table-3-univariate.pfs.univariate.age-lt-65-vs-ge-65.centre", "sharpness"] == pytest.approx(
        math.log(0.955 / 0.945) / math.log(1.35 / 0.66))
    assert calibrate("consistent", _log_share(0.95, 1.05, "0.9", "1.1")) == "plausible"
