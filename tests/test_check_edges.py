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


def test_claim_repeating_a_flagged_finding_joins_its_issue(blank):
    """A claim that repeats a flagged finding takes that finding's issue; one repeating a
    consistent finding stays its own issue."""
    from recheck.checks import claims
    from recheck.schema import Finding
    _claims_paper(blank, "bad,Discussion,x,,not significant,finding:t.bad.p,,,,,,",
                  "good,Discussion,x,,not significant,finding:t.good.p,,,,,,")
    common = dict(source="tiny", location="T", quantity="q", reported="0.30", recomputed="",
                  check="table-p", explanation="", recomputed_low=0.4, recomputed_high=0.5)
    context = {"tiny:t.bad.p": Finding(id="tiny:t.bad.p", verdict="inconsistent", issue="tiny:t-row", **common),
               "tiny:t.good.p": Finding(id="tiny:t.good.p", verdict="consistent", **common)}
    found = {f.id: f for f in claims.findings(blank.paper(), context)}
    assert found["tiny:claim.bad"].verdict == "inconsistent"
    assert found["tiny:claim.bad"].issue == "tiny:t-row"
    assert found["tiny:claim.good"].verdict == "consistent"
    assert found["tiny:claim.good"].issue == "tiny:claim.good"
