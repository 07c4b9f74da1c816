"""Edges of the check families that the mutation run (``tools/mutation.py``) found untested.

Each test pins one property against an independent reference: a value computed by hand (in
the comment), a formula written out differently from the engine's (``math.expm1`` for the
censoring share, a t statistic from its definition), or a boundary of a rounding interval.
Small synthetic papers are written into the ``blank`` fixture's folder (``conftest.py``); the
edits to the synthetic test paper go through the ``trialx`` fixture.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from recheck.checks import survival

SURVIVAL_HEADER = "endpoint,comparison,group,n,events,median,median_ci,rate,rate_time,p,location,key,note\n"


def _toml(paper, text: str) -> None:
    """Append *text* to the paper's ``paper.toml`` (the ``blank`` file ends inside ``[paper]``)."""
    with open(paper.path / "paper.toml", "a", encoding="utf-8") as fh:
        fh.write(text)


def _bisect(f, lo: float, hi: float, tol: float = 1e-12) -> float:
    """A root of *f* in [lo, hi] by plain bisection (independent of SciPy's Brent)."""
    f_lo = f(lo)
    assert f_lo * f(hi) < 0
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if (f(mid) < 0) == (f_lo < 0):
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


# =========================================================================================
# survival
# =========================================================================================

def test_follow_up_window_shorter_than_two_months(blank):
    """An early analysis (4 events among 200 patients, both medians 24 months) needs a uniform
    censoring window of only ~1.4 months: the search must reach below 2 months.

    With x = λb, λ = ln 2 / 24, the share with an event is 1 − (1 − e^{−x})/x = 1 + expm1(−x)/x;
    setting it to 4/200 gives x ≈ 0.0405 and b = 24·x/ln 2 ≈ 1.404 months."""
    _toml(blank, '[survival]\nlogrank = "all"\nevents = "pfs:total"\nwindow = "pfs-p"\n')
    blank.write("survival.csv", SURVIVAL_HEADER
                + "PFS,B vs A,A,100,,24.0,,,,0.50,Table 2,pfs:a; p=pfs-p,\n"
                  "PFS,B vs A,B,100,,24.0,,,,0.50,Table 2,pfs:b; p=pfs-p,\n"
                  "PFS,all,all,200,4,,,,,,Results,n=pfs:total; events=pfs:total,\n")
    x = _bisect(lambda x: 1 + math.expm1(-x) / x - 4 / 200, 1e-6, 1.0)
    b = survival.follow_up_window(blank.paper())
    assert b == pytest.approx(24 * x / math.log(2), rel=1e-6)
    assert 1.3 < b < 1.5


def test_default_replicates_and_nothing_set_aside(blank):
    """Without ``reps`` in paper.toml a comparison is reconstructed 2,000 times; when every
    reconstruction reaches both medians (small groups, most patients with an event), the
    finding says 2,000 and mentions no reconstruction set aside."""
    _toml(blank, '[survival]\nlogrank = "all"\n')
    blank.write("survival.csv", SURVIVAL_HEADER
                + "OS,B vs A,A,30,20,12.0,,,,0.40,Table 2,os:a; p=os-p,\n"
                  "OS,B vs A,B,30,18,16.0,,,,0.40,Table 2,os:b; p=os-p,\n")
    sims = survival.logrank_simulations(blank.paper())
    assert len(sims) == 2000                       # none dropped: the premise of the test
    f = blank.findings(survival)["tiny:logrank-sim.os-p.table-2"]
    assert "2,000 reconstructions" in f.explanation
    assert "set aside" not in f.explanation



@pytest.mark.parametrize("median, ci, symmetric, asymmetry, tolerance", [
    ("13.9", "11.3–16.5", True, 0.0, 0.2),     # 2.6 below, 2.6 above
    ("14.9", "11.8–17.2", False, -0.8, 0.2),   # 3.1 below, 2.3 above
    ("10.0", "8.0–12.2", True, 0.2, 0.2),      # at the edge: ±0.05 on each limit, ±0.1 on 2 × median
    ("10.0", "8.0–12.3", False, 0.3, 0.2),     # just past it (and well inside twice the tolerance)
    ("14", "11.3–16.5", True, -0.2, 1.1),      # a whole-number median: ±0.5, so 2 × 0.5 + 0.05 + 0.05
])
def test_median_ci_symmetry_by_hand(median, ci, symmetric, asymmetry, tolerance):
    """SPSS prints a Kaplan–Meier median's CI as median ± 1.96·SE: (U − m) − (m − L) must be 0
    within the rounding of the three printed numbers (half a unit of each limit, twice half a
    unit of the median)."""
    r = survival.median_ci_symmetry(median, ci)
    assert r["symmetric"] is symmetric
    assert r["asymmetry"] == pytest.approx(asymmetry, abs=1e-9)
    assert r["tolerance"] == pytest.approx(tolerance, abs=1e-9)


def test_median_ci_symmetry_sharpness():
    """Sharpness is the tolerance's share of the asymmetries a CI of that width could show
    (−width to +width), capped at 1: 13.9 (11.3–16.5) accepts 0.4 of 10.4 (0.038); a CI
    narrower than the rounding, 10 (9.9–10.1), or of no width, accepts everything (1)."""
    assert survival.median_ci_symmetry("13.9", "11.3–16.5")["sharpness"] == pytest.approx(0.4 / 10.4)
    assert survival.median_ci_symmetry("10", "9.9–10.1")["sharpness"] == 1.0
    assert survival.median_ci_symmetry("10.0", "10.0–10.0")["sharpness"] == 1.0


def test_median_ci_symmetry_needs_a_median_and_a_ci():
    with pytest.raises(ValueError, match="not a median with its CI"):
        survival.median_ci_symmetry("", "11.3–16.5")
    with pytest.raises(ValueError, match="not a median with its CI"):
        survival.median_ci_symmetry("13.9", "11.3")


def _spss_survival(blank, software: str, rows: str):
    _toml(blank, f'software = "{software}"\n')
    blank.write("survival.csv", SURVIVAL_HEADER + rows)


def test_median_ci_findings_of_a_paper_run_in_spss(blank):
    """With SPSS stated, every median printed with its CI is checked for symmetry: 14.9
    (11.8–17.2) reaches 3.1 below and 2.3 above (asymmetry −0.8, rounding allows ±0.2), a
    minor flag that rests on the stated software; 13.9 (11.3–16.5) passes; a median without
    a CI is not checked."""
    _spss_survival(blank, "IBM SPSS Statistics 27",
                   "PFS,B vs A,A,60,,14.9,11.8–17.2,,,,Table 2,,\n"
                   "PFS,B vs A,B,62,,13.9,11.3–16.5,,,,Table 2,,\n"
                   "OS,B vs A,A,60,,20.1,,,,,Table 2,,\n")
    found = {k: f for k, f in blank.findings(survival).items() if f.check == "median-ci-symmetry"}
    assert sorted(found) == ["tiny:median-ci.pfs.b-vs-a.a.table-2", "tiny:median-ci.pfs.b-vs-a.b.table-2"]
    bad, ok = found["tiny:median-ci.pfs.b-vs-a.a.table-2"], found["tiny:median-ci.pfs.b-vs-a.b.table-2"]
    assert (bad.verdict, bad.severity) == ("inconsistent", "minor")
    assert "reaches 3.1 below the median and 2.3 above it, more than rounding allows (±0.2)" in bad.explanation
    assert bad.reported == "14.9 (11.8–17.2)" and bad.quantity == "PFS median CI, A (B vs A)"
    assert (bad.reported_low, bad.reported_high) == pytest.approx((-0.8, -0.8))
    assert (bad.accept_low, bad.accept_high) == pytest.approx((-0.2, 0.2))
    assert bad.depends_on == "software: the paper states IBM SPSS Statistics 27"
    assert ok.verdict == "consistent" and "symmetric within rounding" in ok.explanation


def test_median_ci_is_not_checked_without_spss(blank):
    """R's survfit gives a median's CI from the KM curve, not median ± 1.96·SE: no check."""
    _spss_survival(blank, "R 4.3", "PFS,B vs A,A,60,,14.9,11.8–17.2,,,,Table 2,,\n")
    assert [f.check for f in blank.findings(survival).values()] == ["median-ci-width"]


def test_median_ci_width_flips_with_one_cell_and_returns(blank):
    """100 patients, 60 events, median 12.0: SPSS's median ± 1.96 SE spans about 0.2–1.4 medians
    in 99% of reconstructions.  8.0–16.0 (0.67 medians) is plausible; typed as 11.9–12.1 (0.017
    medians, a curve that falls by 10% of patients within a fortnight) it is implausible, a minor
    flag resting on the exponential model; restored, plausible again."""
    fid = "tiny:median-ci-width.pfs.b-vs-a.a.table-2"
    _toml(blank, 'software = "SPSS 27"\n')

    def verdict(ci: str):
        blank.write("survival.csv", SURVIVAL_HEADER + f"PFS,B vs A,A,100,60,12.0,{ci},,,,Table 2,,\n")
        return blank.findings(survival)[fid]

    ok = verdict("8.0–16.0")
    assert ok.verdict == "plausible" and ok.severity == ""
    assert 0.1 < ok.accept_low < 0.3 < 1.0 < ok.accept_high < 2.0
    assert "median ± 1.96 SE" in ok.recomputed and "60 events" in ok.explanation
    assert ok.depends_on.startswith("model: exponential survival") and "SPSS 27" in ok.depends_on
    bad = verdict("11.9–12.1")
    assert (bad.verdict, bad.severity) == ("implausible", "minor")
    assert "narrower than any but" in bad.explanation and "more steeply" in bad.explanation
    assert verdict("8.0–16.0").verdict == "plausible"


def test_median_ci_width_without_events_or_window_is_not_checkable(blank):
    """No events for the group and no total events in paper.toml: nothing sets the censoring."""
    _spss_survival(blank, "SPSS 27", "PFS,B vs A,A,100,,12.0,8.0–16.0,,,,Table 2,,\n")
    f = blank.findings(survival)["tiny:median-ci-width.pfs.b-vs-a.a.table-2"]
    assert f.verdict == "not-checkable" and "neither this group's events" in f.explanation


def test_median_ci_that_cannot_be_read_is_a_data_error(blank):
    _spss_survival(blank, "SPSS 27", "PFS,B vs A,A,60,,14.9,11.8,,,,Table 2,,\n")
    from recheck.data import DataError
    with pytest.raises(DataError, match="median_ci"):
        blank.findings(survival)


# =========================================================================================
# claims
# =========================================================================================

RATIOS_HEADER = "measure,endpoint,model,variable,estimate,ci_low,ci_high,p,p_test,location,key,note\n"
REPORTED_HEADER = "id,location,quantity,population,reported,n,quote,key,note\n"
CLAIMS_HEADER = "id,location,claim,comparison,says,rests_on,value,caveat,depends_on,alpha,alpha_basis,note\n"
BASIS = "the trial tested PFS at a prespecified two-sided α of 0.10"


def _claims_paper(blank, *claim_rows: str):
    """A paper printing p = 0.08 in its Results and HR 0.80 (0.62–1.03), p = 0.08, in Table 3.

    The CI implies p = 2·(1 − Φ(|ln 0.80| / ((ln 1.03 − ln 0.62)/(2·1.96)))) = 2·(1 − Φ(1.72))
    ≈ 0.085 at the printed values, so the printed p agrees with the CI."""
    blank.write("ratios.csv", RATIOS_HEADER + "HR,PFS,cox,B vs A,0.80,0.62,1.03,0.08,,Table 3,hr:pfs,\n")
    blank.write("reported.csv", REPORTED_HEADER + "res-p,Results para 2,p,all,p = 0.08,,,,\n")
    blank.write("claims.csv", CLAIMS_HEADER + "".join(r + "\n" for r in claim_rows))
    return blank


def test_claim_judged_at_its_own_alpha(blank):
    """A sentence about a trial with a prespecified α of 0.10 is judged at 0.10: p = 0.08 is
    significant there (and the explanation says at which α, and why), gross at the paper's 0.05."""
    from recheck.checks import claims
    _claims_paper(blank, f"own,Discussion,x,,significant,reported:res-p,,Exploratory.,,0.10,{BASIS},",
                  "paper,Discussion,x,,significant,reported:res-p,,Exploratory.,,,,")
    found = blank.findings(claims)
    own, paper = found["tiny:claim.own"], found["tiny:claim.paper"]
    assert own.verdict == "consistent"
    assert "below 0.1, as the claim says" in own.explanation
    assert own.explanation.endswith(f"Judged at α = 0.10, not 0.05: {BASIS} Exploratory.")
    assert paper.verdict == "gross" and "is not below 0.05" in paper.explanation
    assert "Judged at" not in paper.explanation


@pytest.mark.parametrize("alpha, basis, words", [
    ("1", BASIS, "not between 0 and 1"),          # α = 1 would make every p significant
    ("0", BASIS, "not between 0 and 1"),          # α = 0 would make none
    ("ten percent", BASIS, "not a number"),
    ("0.10", "", "needs its basis"),
])
def test_claim_alpha_errors(blank, alpha, basis, words):
    """A claim's own α must be a number strictly between 0 and 1, with a stated basis."""
    from recheck.checks import claims
    from recheck.data import DataError
    _claims_paper(blank, f"own,Discussion,x,,significant,reported:res-p,,,,{alpha},{basis},")
    with pytest.raises(DataError, match=words):
        blank.findings(claims)


def test_claim_alpha_just_inside_its_range(blank):
    """α = 0.99 is allowed (strictly between 0 and 1): p = 0.08 is then significant."""
    from recheck.checks import claims
    _claims_paper(blank, f"own,Discussion,x,,significant,reported:res-p,,,,0.99,{BASIS},")
    assert blank.findings(claims)["tiny:claim.own"].verdict == "consistent"


def test_flagged_claim_joins_the_issue_of_its_evidence(blank):
    """A claim of significance on an HR whose 95% CI includes 1 is gross and counted in the
    issue of that ratio; a claim the numbers support is its own issue."""
    from recheck.checks import claims
    _claims_paper(blank, "sig,Discussion,x,,significant,ratio:hr:pfs,,,,,,",
                  "trend,Discussion,x,,trend,ratio:hr:pfs,,,,,,")   # 0.05 ≤ p = 0.075–0.085 ≤ 0.10
    found = blank.findings(claims)
    assert found["tiny:claim.sig"].verdict == "gross"
    assert found["tiny:claim.sig"].issue == "tiny:hr:pfs"
    assert found["tiny:claim.trend"].verdict == "consistent"
    assert found["tiny:claim.trend"].issue == "tiny:claim.trend"


def _evidence(**rows):
    """Table-p findings ``tiny:t.<name>.p`` for claims to rest on: printed p = 0.30, recomputed
    0.4–0.5, sharpness 0.01, with the given fields (verdict, issue, depends_on, sharpness)."""
    from recheck.schema import Finding
    common = dict(source="tiny", location="T", quantity="q", reported="0.30", recomputed="",
                  check="table-p", explanation="", recomputed_low=0.4, recomputed_high=0.5, sharpness=0.01)
    return {f"tiny:t.{name}.p": Finding(id=f"tiny:t.{name}.p", **{**common, **fields}) for name, fields in rows.items()}


def test_claim_repeating_a_flagged_finding_joins_its_issue(blank):
    """A claim that repeats a flagged finding takes that finding's issue; one repeating a
    consistent finding stays its own issue, also when a printed p (which has no issue of its
    own) contradicts it."""
    from recheck.checks import claims
    _claims_paper(blank, "bad,Discussion,x,,not significant,finding:t.bad.p,,,,,,",
                  "good,Discussion,x,,not significant,finding:t.good.p,,,,,,",
                  "mixed,Discussion,x,,significant,finding:t.good.p; reported:res-p,,,,,,")
    context = _evidence(bad=dict(verdict="inconsistent", issue="tiny:t-row"), good=dict(verdict="consistent"))
    found = {f.id: f for f in claims.findings(blank.paper(), context)}
    assert found["tiny:claim.bad"].verdict == "inconsistent"
    assert found["tiny:claim.bad"].issue == "tiny:t-row"
    assert found["tiny:claim.good"].verdict == "consistent"
    assert found["tiny:claim.good"].issue == "tiny:claim.good"
    assert found["tiny:claim.mixed"].verdict == "gross"              # p = 0.08 is not below 0.05
    assert found["tiny:claim.mixed"].issue == "tiny:claim.mixed"


def test_claim_repeating_a_blunt_finding_is_only_plausible(blank):
    """A claim is as sharp as the finding it repeats: resting on a pass that accepted 90% of the
    values it could meet, it is plausible and says why; on a sharp pass, consistent."""
    from recheck.checks import claims
    _claims_paper(blank, "blunt,Discussion,x,,not significant,finding:t.blunt.p,,,,,,",
                  "sharp,Discussion,x,,not significant,finding:t.sharp.p,,,,,,")
    context = _evidence(blunt=dict(verdict="consistent", sharpness=0.9), sharp=dict(verdict="consistent"))
    found = {f.id: f for f in claims.findings(blank.paper(), context)}
    assert (found["tiny:claim.blunt"].verdict, found["tiny:claim.blunt"].sharpness) == ("plausible", 0.9)
    assert "the finding it repeats passes only a check too blunt" in found["tiny:claim.blunt"].explanation
    assert (found["tiny:claim.sharp"].verdict, found["tiny:claim.sharp"].sharpness) == ("consistent", 0.01)



def test_claim_flagged_by_evidence_that_rests_on_an_inference_says_so(blank):
    """A claim flagged by a finding that rests on a declared inference carries that inference in
    ``depends_on`` and in its sentence; flagged by the same finding without it, it carries none;
    and a claim that the evidence does not flag inherits nothing."""
    from recheck.checks import claims
    _toml(blank, '\n[inferences]\nalloc = "Patients were allocated to the regimens as the figure suggests."\n')
    _claims_paper(blank, "bad,Discussion,x,,not significant,finding:t.bad.p,,,,,,",
                  "bare,Discussion,x,,not significant,finding:t.bare.p,,,,,,",
                  "good,Discussion,x,,not significant,finding:t.good.p,,,,,,")
    context = _evidence(bad=dict(verdict="gross", depends_on="alloc"), bare=dict(verdict="gross"),
                        good=dict(verdict="consistent", depends_on="alloc"))
    found = {f.id: f for f in claims.findings(blank.paper(), context)}
    bad, bare, good = found["tiny:claim.bad"], found["tiny:claim.bare"], found["tiny:claim.good"]
    assert bad.verdict == "gross" and bad.depends_on == "alloc"
    assert bad.explanation.endswith("Its evidence rests on an inference: Patients were allocated to the "
                                    "regimens as the figure suggests.")
    assert bare.verdict == "gross" and bare.depends_on == "" and "inference" not in bare.explanation
    assert good.verdict == "consistent" and good.depends_on == ""


# =========================================================================================
# twogroups: t-tests from printed summaries
# =========================================================================================

CONTINUOUS_HEADER = "table,variable,group,n,mean,sd,median,q1,q3,min,max,p,test,location,key,note\n"


def _student_p(d, s1, n1, s2, n2):
    """Two-sided p of Student's t from its definition (pooled variance, n1 + n2 − 2 df)."""
    sp2 = ((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (n1 + n2 - 2)
    return 2 * stats.t.sf(abs(d) / math.sqrt(sp2 * (1 / n1 + 1 / n2)), n1 + n2 - 2)


def _welch_p(d, s1, n1, s2, n2):
    """Two-sided p of Welch's t from its definition (Welch–Satterthwaite df)."""
    v1, v2 = s1 ** 2 / n1, s2 ** 2 / n2
    df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
    return 2 * stats.t.sf(abs(d) / math.sqrt(v1 + v2), df)


def test_t_range_spans_student_and_welch_and_says_no_flip(blank):
    """Means 10.0 (SD 1.0) vs 11.0 (SD 3.0), printed p = 0.01: with the small SD in the large
    group Student's t reaches below α and Welch's does not; with the groups swapped, the
    reverse.  The range shown runs from the lower of the two lows to the higher of the two
    highs, and as one of the tests can be significant the text does not claim a flip.

    The extremes are at the corners of the rounding box: |d| = 1.1 with SDs 0.95 and 2.95
    (smallest p), |d| = 0.9 with SDs 1.05 and 3.05 (largest)."""
    from recheck.checks import twogroups
    blank.write("continuous.csv", CONTINUOUS_HEADER
                + "T,Big A,A,60,10.0,1.0,,,,,,0.01,t-test,T,,\nT,Big A,B,12,11.0,3.0,,,,,,0.01,t-test,T,,\n"
                  "T,Big B,A,12,10.0,1.0,,,,,,0.01,t-test,T,,\nT,Big B,B,60,11.0,3.0,,,,,,0.01,t-test,T,,\n")
    # group A of 60: Student 0.0198–0.0699, Welch 0.2264–0.3331
    assert _student_p(1.1, 0.95, 60, 2.95, 12) == pytest.approx(0.0198, abs=1e-4)
    assert _welch_p(0.9, 1.05, 60, 3.05, 12) == pytest.approx(0.3331, abs=1e-4)
    assert _student_p(0.9, 1.05, 60, 3.05, 12) > 0.05 > _student_p(1.1, 0.95, 60, 2.95, 12)
    # group A of 12: Student 0.2075–0.3182, Welch 0.0227–0.0759
    assert _welch_p(1.1, 0.95, 12, 2.95, 60) == pytest.approx(0.0227, abs=1e-4)
    assert _student_p(0.9, 1.05, 12, 3.05, 60) == pytest.approx(0.3182, abs=1e-4)
    assert _welch_p(0.9, 1.05, 12, 3.05, 60) > 0.05 > _welch_p(1.1, 0.95, 12, 2.95, 60)
    found = blank.findings(twogroups)
    a, b = found["tiny:t.big-a.p"], found["tiny:t.big-b.p"]
    assert "gives p = 0.020–0.33, not the printed 0.01." in a.explanation
    assert "gives p = 0.023–0.32, not the printed 0.01." in b.explanation
    for f in (a, b):
        assert f.verdict == "inconsistent" and "would not be significant" not in f.explanation


# =========================================================================================
# ratios
# =========================================================================================

def test_ratio_printed_as_a_bound_bounds_the_implied_p():
    """An estimate printed "< 0.5" with CI 0.20–0.40 is below 0.5, so |ln HR| > ln 2 and the
    CI's p can be no larger than at |ln HR| = ln 2 with the widest CI:
    SE = (ln 0.405 − ln 0.195)/(2·1.96) = 0.1865, z = 0.6931/0.1865 = 3.717,
    p = erfc(z/√2) ≈ 2.0e-4."""
    from recheck.checks.ratios import check_ratio
    c = check_ratio("<0.5", "0.20", "0.40", "0.0001")
    se = (math.log(0.405) - math.log(0.195)) / (2 * 1.959964)
    p_max = math.erfc(math.log(2) / se / math.sqrt(2))
    assert p_max == pytest.approx(2.0e-4, rel=0.02)
    assert float(c.implied_p.high) == pytest.approx(p_max, rel=1e-6)
    assert c.p_consistent                             # 0.0001 rounds to [0.00005, 0.00015]


def _two_group_rows(variable, mean_b, p, test):
    """Two groups of 50 with SD 2.0: means 10.0 and *mean_b*."""
    return (f"T,{variable},A,50,10.0,2.0,,,,,,{p},{test},T,,\n"
            f"T,{variable},B,50,{mean_b},2.0,,,,,,{p},{test},T,,\n")


def test_t_test_flag_severity_follows_the_conclusion(blank):
    """Means 10.0 vs 11.0 (SD 2.0, n = 50 each): t = 1/(2·√(2/50)) = 2.5, p ≈ 0.014, and
    0.006–0.031 over the rounding box.  A printed p = 0.001 misses that by more than one unit of
    its last digit (0.006 − 0.0015 > 0.001) yet keeps the conclusion at α: a *minor* flag.
    Means 10.0 vs 12.0 (t = 5, p < 0.0001) printed as p = 0.30 under a rank test: inconsistent
    (the rank test may differ), and the conclusion differs: *major*."""
    from recheck.checks import twogroups
    assert _student_p(1.0, 2.0, 50, 2.0, 50) == pytest.approx(0.0145, abs=5e-4)
    assert _student_p(0.9, 2.05, 50, 2.05, 50) == pytest.approx(0.0305, abs=5e-4)
    blank.write("continuous.csv", CONTINUOUS_HEADER + _two_group_rows("Same", "11.0", "0.001", "t-test")
                + _two_group_rows("Flipped", "12.0", "0.30", "Mann-Whitney U test"))
    found = blank.findings(twogroups)
    same, flipped = found["tiny:t.same.p"], found["tiny:t.flipped.p"]
    assert (same.verdict, same.severity) == ("inconsistent", "minor")
    assert same.recomputed_low - same.reported_high > 0.001       # not a rounding-level slip
    assert (flipped.verdict, flipped.severity) == ("inconsistent", "major")


def test_ratio_p_flag_severity_follows_the_conclusion(blank):
    """HR 0.70 (0.52–0.95): the CI implies p ≈ 0.015–0.026.  A printed p = 0.001 is wrong but
    on the same side of 0.05 (minor); p = 0.30 contradicts the CI (gross, decisive)."""
    from recheck.checks import ratios
    blank.write("ratios.csv", RATIOS_HEADER + "HR,PFS,cox,B vs A,0.70,0.52,0.95,0.001,,Table 3,hr:pfs,\n"
                                              "HR,OS,cox,B vs A,0.70,0.52,0.95,0.30,,Table 3,hr:os,\n")
    se = (math.log(0.95) - math.log(0.52)) / (2 * 1.959964)
    assert math.erfc(abs(math.log(0.70)) / se / math.sqrt(2)) == pytest.approx(0.020, abs=0.002)
    found = blank.findings(ratios)
    pfs, os_ = found["tiny:table-3.pfs.cox.b-vs-a.p"], found["tiny:table-3.os.cox.b-vs-a.p"]
    assert (pfs.verdict, pfs.severity) == ("inconsistent", "minor")
    assert pfs.recomputed_low - pfs.reported_high > 0.001
    assert (os_.verdict, os_.severity) == ("gross", "decisive")


def test_trend_whose_p_interval_starts_exactly_at_alpha(blank):
    """Judged at a one-sided trial's α = 0.025, a printed p = 0.03 lies in [0.025, 0.035]: at
    worst p = α, which is not below α, so the result can be a trend (α ≤ p ≤ 0.10) — for a p
    printed in the text and for the p beside an HR alike.  HR 0.70 (0.52–0.95) implies
    p ≈ 0.015–0.026, which reaches the printed interval at 0.025–0.026."""
    from recheck.checks import claims
    alpha = "0.025,a one-sided test at 2.5%"
    blank.write("ratios.csv", RATIOS_HEADER + "HR,PFS,cox,B vs A,0.70,0.52,0.95,0.03,,Table 3,hr:pfs,\n")
    blank.write("reported.csv", REPORTED_HEADER + "res-p,Results para 2,p,all,p = 0.03,,,,\n")
    blank.write("claims.csv", CLAIMS_HEADER + f"text,Discussion,x,,trend,reported:res-p,,,,{alpha},\n"
                                              f"ratio,Discussion,x,,trend,ratio:hr:pfs,,,,{alpha},\n")
    found = blank.findings(claims)
    for cid in ("text", "ratio"):
        f = found[f"tiny:claim.{cid}"]
        assert f.verdict == "consistent", (cid, f.explanation)
        assert "between 0.025 and 0.10, as the claim says" in f.explanation


# =========================================================================================
# percent
# =========================================================================================

def test_grim_without_a_count_is_as_sharp_as_the_printings_n_can_reach():
    """With n = 90 every count gives its own whole percentage (steps of 100/90 = 1.11 points),
    so 91 of the 101 printings 0%…100% are reachable: a pass shows little (91/101 ≈ 0.90).
    At one decimal the same 91 values are among 1,001 printings (≈ 0.091): sharp."""
    from recheck.checks.percent import grim
    assert grim(None, "50", 90)["sharpness"] == pytest.approx(91 / 101)
    assert grim(None, "50.0", 90)["sharpness"] == pytest.approx(91 / 1001)


def test_percentages_of_a_file_without_a_count_column(blank):
    """A file printing subgroups as a percentage of n (no count column) is checked for some
    whole count: 52.5% of 120 is exactly 63/120; 51.0% of 118 is no count (60/118 = 50.85%,
    61/118 = 51.69%)."""
    from recheck.checks import percent
    blank.write("subgroups.csv", "subgroup,n,percent,location,key\n"
                                 "Age ≥ 65,120,52.5%,Table 5,sub:old\nAge < 65,118,51.0,Table 5,\n")
    found = blank.findings(percent)
    old, young = found["tiny:pct.subgroups.sub-old.table-5"], found["tiny:pct.subgroups.line-3.table-5"]
    assert old.verdict == "consistent" and old.reported == "52.5% of 120"
    assert old.recomputed == "possible counts: 63" and old.quantity == "Age ≥ 65"
    assert young.verdict == "inconsistent" and young.recomputed == "possible counts: none"
    assert "(60/118 = 50.8%, 61/118 = 51.7%)" in young.explanation


def test_claim_decided_by_a_reading_stays_its_own_issue(blank):
    """A claim that a reading decides (readings.csv) takes the reading's verdict and reason,
    shows its evidence, and is its own issue even though that evidence would flag it."""
    from recheck.checks import claims
    _claims_paper(blank, "sig,Discussion,x,,significant,ratio:hr:pfs,,,,,,")
    blank.write("readings.csv", "check,id,verdict,reason\n"
                                "claim,sig,inconsistent,The sentence reports an exploratory analysis.\n")
    f = blank.findings(claims)["tiny:claim.sig"]
    assert f.verdict == "inconsistent" and f.issue == "tiny:claim.sig"
    assert f.explanation.startswith("The sentence reports an exploratory analysis. Evidence: HR 0.80 (0.62–1.03)")


def test_an_unknown_survival_key_is_an_error(blank):
    """A typo in [survival] would silently drop a censoring window: it is refused, by name."""
    from recheck.data import DataError
    from recheck.paper import load_paper
    _toml(blank, '\n[survival]\nfolow_up = "fu"\n')
    with pytest.raises(DataError, match=r"survival\.folow_up.*unknown key"):
        load_paper(blank.path)
