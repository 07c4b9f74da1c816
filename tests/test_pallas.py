"""PALLAS (Nader-Marta et al.) on the engine: known values, its own analyses, its reconstruction,
and mutations of a copy of its data that must flip a verdict (and flip it back when restored)."""

import math
import shutil
from pathlib import Path

import pytest

from recheck.checks._base import slug
from recheck.checks.survival import ph_implied_hr
from recheck.checks.tables import variant_table
from recheck.findings import all_findings, clear_caches, paper_findings
from recheck.paper import get_paper, load_paper
from recheck.papers import pallas
from recheck.reconstruct import (cohort_follow_up, cohort_path, cohort_ratios, cohort_summary, fit_table,
                                 read_cohort)
from recheck.reported import parse_p
from recheck.show import glue_keys, ratio_table, resolve_glue

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def F():
    return all_findings(("pallas",)).set_index("id", drop=False)


@pytest.fixture(scope="module")
def cohort():
    return read_cohort(get_paper("pallas"))


# --- known values ------------------------------------------------------------------------

def test_ph_implied_hr_known_rates():
    iv = ph_implied_hr("82.1%", "83.5%")
    assert float(iv.low) == pytest.approx(math.log(0.8355) / math.log(0.8205))
    assert float(iv.high) == pytest.approx(math.log(0.8345) / math.log(0.8215))
    # S1 = S0^2 exactly: the HR is 2, inside a narrow interval from rounding.
    iv = ph_implied_hr("50.00%", "25.00%")
    assert iv.contains(2) and float(iv.high - iv.low) < 0.002
    # Proportions work as well as percentages.
    assert ph_implied_hr("0.821", "0.835") == ph_implied_hr("82.1%", "83.5%")


def test_ph_implied_hr_rejects_impossible_rates():
    with pytest.raises(ValueError):
        ph_implied_hr("100%", "83.5%")


def test_ph_findings_carry_the_implied_interval(F):
    for ep, rates in (("idfs", ("82.1%", "83.5%")), ("drfs", ("85.5%", "86.5%")), ("os", ("92.5%", "92.9%"))):
        f = F.loc[f"pallas:ph-hr.hr-{ep}-unadj"]
        iv = ph_implied_hr(*rates)
        assert f["verdict"] == "plausible"   # the check accepts the whole CI
        assert (f["recomputed_low"], f["recomputed_high"]) == pytest.approx((float(iv.low), float(iv.high)))


def test_interaction_p_is_plausible_because_the_check_is_blunt(F):
    f = F.loc["pallas:interaction-p.idfs"]
    assert f["verdict"] == "plausible"                  # its 99% range covers most of [0, 1]
    assert f["sharpness"] > 0.9
    assert f["recomputed_low"] < f["reported_low"] <= f["reported_high"] < f["recomputed_high"]
    s = pallas.interaction_summary(get_paper("pallas"))
    assert s["low"] == pytest.approx(f["recomputed_low"]) and s["high"] == pytest.approx(f["recomputed_high"])
    # The simulated palbociclib HRs are those of the printed rates ± half the printed benefits.
    assert s["hr_HER2-low"] == pytest.approx(math.log(0.848) / math.log(0.822), abs=0.03)
    assert s["hr_HER2-0"] == pytest.approx(math.log(0.824) / math.log(0.818), abs=0.03)
    assert 0 < s["share_significant"] < 0.5 and 0 < s["share_at_or_below"] < 1
    assert s["coverage"] == pytest.approx(0.99)


def test_table1_p_reproduce_only_with_missing_kept(F):
    v = variant_table(get_paper("pallas")).query("table == 'Table 1' and test == 'pearson'")
    p = v.pivot_table(index="variable", columns="missing", values="p", aggfunc="first")
    printed = v.groupby("variable")["printed"].first().map(lambda t: float(parse_p(t).value))
    for variable in ("Histological grade", "Menopausal status at randomization", "Baseline ECOG-PS"):
        assert F.loc[f"pallas:{slug('Table 1', variable, 'p')}", "verdict"] == "variant"
        assert round(p.loc[variable, "as a category"], 3) == printed[variable]
        assert round(p.loc[variable, "excluded"], 3) != printed[variable]
    # Where the missing row holds hardly anyone, the footnote's exclusion reproduces the printed p.
    for variable in ("N-stage", "Prior radiation"):
        assert round(p.loc[variable, "excluded"], 3) == printed[variable]
    assert parse_p(v.query("variable == 'Histological grade'")["printed"].iloc[0]).numeral == "0.890"  # "0. 890"
    # Surgery (3×2): the printed 0.188 is not Pearson's 0.186 but the exact Fisher–Freeman–Halton
    # p, 0.18787 (R's fisher.test), an unstated test.
    assert F.loc["pallas:table-1.primary-surgery-type.p", "verdict"] == "variant"
    surgery = variant_table(get_paper("pallas")).query("variable == 'Primary surgery type'").set_index("test")
    assert surgery.loc["fisher", "p"] == pytest.approx(0.18787, abs=5e-6)


def test_continuous_p_do_not_reproduce_by_t_test(F):
    for short in ("bmi-at-randomization", "er-positive-cells-pct", "pr-positive-cells-pct"):
        f = F.loc[f"pallas:table-1.{short}.p"]
        assert f["verdict"] == "inconsistent"
        assert f["recomputed_low"] > f["reported_high"]
    assert F.loc["pallas:table-1.age-at-randomization-years.p", "verdict"] == "not-checkable"


def test_claims(F):
    for ep in ("idfs", "drfs", "os"):
        for model in ("unadjusted", "adjusted"):
            f = F.loc[f"pallas:claim.no-difference-{ep}-{model}"]
            assert f["verdict"] == "consistent" and f["recomputed_low"] > 0.05
    pam = F.loc["pallas:claim.pam50-her2e"]
    assert pam["verdict"] == "inconsistent" and pam["recomputed_high"] < 0.05
    assert F.loc["pallas:claim.abstract-no-differences", "verdict"] == "inconsistent"


def test_hazard_ratios_mark_only_the_flagged_ratio(F):
    hrs = ratio_table(get_paper("pallas"), F.reset_index(drop=True)).set_index("key")
    assert list(hrs.index[hrs["flagged"]]) == ["hr:pam50-her2e"]
    assert hrs.loc["hr:idfs:unadj", "estimate"] == 0.92
    iv = ph_implied_hr("82.1%", "83.5%")
    assert hrs.loc["hr:idfs:unadj", "implied_low"] == pytest.approx(float(iv.low))
    assert math.isnan(hrs.loc["hr:idfs:adj", "implied_low"])          # no PH declaration for adjusted HRs
    assert (hrs.drop("hr:pam50-her2e")["n_findings"] >= 4).all()


def test_chapter_finding_keys_resolve(F):
    text = (ROOT / "book" / "pallas.md").read_text(encoding="utf-8")
    keys = [k for k in glue_keys(text) if k.startswith("pallas.")]
    assert keys
    for k in keys:
        resolve_glue(k, F, {})


# --- the reconstruction -------------------------------------------------------------------

def test_fit_table_meets_every_target(cohort):
    fit = fit_table(get_paper("pallas"), cohort)
    assert len(fit) > 100
    assert fit["matches"].all(), fit.loc[~fit["matches"], "target"].tolist()
    targets = set(fit["target"])
    assert "median follow-up (reverse Kaplan–Meier)" in targets
    assert "Discussion: absolute 5-year iDFS benefit of palbociclib" in targets


def test_cohort_summary_rounds_to_the_printed_rates(cohort):
    p = get_paper("pallas")
    rec = cohort_summary(p, cohort).set_index(["endpoint", "group"])
    surv = p.read("survival.csv").query("location == 'Table 2' and rate != ''")
    for r in surv.itertuples():
        assert round(100 * rec.loc[(r.endpoint, r.group), "rate"], 1) == float(r.rate.rstrip("%"))
    assert rec.loc["IDFS", "n"].sum() == 5304
    assert round(cohort_follow_up(p, cohort), 1) == 59.8
    hr = cohort_ratios(p, cohort).set_index("endpoint")
    assert 0.80 <= hr.loc["IDFS", "hr"] <= 1.05


def test_reconstruction_regenerates_byte_identically(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    folder = tmp_path / "data" / "pallas"
    (folder / "reconstructed" / "cohort.csv").unlink()
    clear_caches()
    try:
        paper = load_paper(folder)
        [path] = pallas.reconstruct(paper)
        committed = cohort_path(get_paper("pallas")).read_bytes()
        assert path.read_bytes() == committed
        assert committed.startswith(b"# SYNTHETIC")
    finally:
        clear_caches()


# --- mutations: change one cell of a copy, the verdict flips; restore it, it returns ---------

@pytest.fixture(scope="module")
def pallas_copy(tmp_path_factory):
    """A scratch copy of PALLAS's folder, without its reconstructed cohort."""
    dest = tmp_path_factory.mktemp("data") / "pallas"
    shutil.copytree(DATA / "pallas", dest, ignore=shutil.ignore_patterns("reconstructed"))
    yield dest
    clear_caches()
    pallas.interaction_simulation.cache_clear()


def verdicts(folder: Path):
    """The verdicts of the paper in *folder*, read afresh."""
    clear_caches()
    pallas.interaction_simulation.cache_clear()
    return paper_findings(load_paper(folder)).set_index("id")["verdict"]


def mutate(path: Path, old: str, new: str) -> bytes:
    """Replace the one occurrence of *old* in *path* by *new*; return the original bytes."""
    original = path.read_bytes()
    text = original.decode("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return original


def test_grade_missing_label_decides_the_verdict(pallas_copy):
    rid = "pallas:table-1.histological-grade.p"
    assert verdicts(pallas_copy)[rid] == "variant"
    original = mutate(pallas_copy / "paper.toml", 'missing = ["Grade X/Missing", "Male/Missing"]', 'missing = ["Male/Missing"]')
    try:
        after = verdicts(pallas_copy)
        assert after[rid] == "consistent"           # "Grade X/Missing" now a category like any other
        assert after["pallas:table-1.menopausal-status-at-randomization.p"] == "variant"
    finally:
        (pallas_copy / "paper.toml").write_bytes(original)
    assert verdicts(pallas_copy)[rid] == "variant"


def test_planted_hr_p_contradicts_the_no_difference_claim(pallas_copy):
    cid = "pallas:claim.no-difference-idfs-unadjusted"
    pid = "pallas:table-2.idfs.unadjusted.her2-low-vs-her2-0.p"
    before = verdicts(pallas_copy)
    assert before[cid] == "consistent" and pid not in before.index
    original = mutate(pallas_copy / "ratios.csv", "HR,IDFS,unadjusted,HER2-low vs. HER2-0,0.92,0.80,1.05,,",
                      "HR,IDFS,unadjusted,HER2-low vs. HER2-0,0.92,0.80,1.05,< 0.0001,")
    try:
        after = verdicts(pallas_copy)
        assert after[cid] == "gross"                # "not significant" against a printed p < 0.0001
        assert after[pid] == "gross"                # and the CI includes 1
    finally:
        (pallas_copy / "ratios.csv").write_bytes(original)
    assert verdicts(pallas_copy)[cid] == "consistent"


def test_planted_interaction_p_is_implausible(pallas_copy):
    iid = "pallas:interaction-p.idfs"
    assert verdicts(pallas_copy)[iid] == "plausible"
    original = mutate(pallas_copy / "reported.csv", "treatment arm × HER2 status, iDFS\",p = 0.43,",
                      "treatment arm × HER2 status, iDFS\",p < 0.0001,")
    try:
        assert verdicts(pallas_copy)[iid] == "implausible"
    finally:
        (pallas_copy / "reported.csv").write_bytes(original)
    assert verdicts(pallas_copy)[iid] == "plausible"


def test_rates_that_contradict_the_hr_are_flagged(pallas_copy):
    fid = "pallas:ph-hr.hr-idfs-unadj"
    assert verdicts(pallas_copy)[fid] == "plausible"
    original = mutate(pallas_copy / "survival.csv", "HER2-low,3050,,,,83.5%,", "HER2-low,3050,,,,90.0%,")
    try:
        assert verdicts(pallas_copy)[fid] == "inconsistent"
    finally:
        (pallas_copy / "survival.csv").write_bytes(original)
    assert verdicts(pallas_copy)[fid] == "plausible"
