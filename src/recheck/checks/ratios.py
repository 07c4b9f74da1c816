"""Ratio estimates printed with a confidence interval (hazard ratios, odds ratios).

Two checks of every ``ratios.csv`` row, each over the rounding box of the printed numbers:

* **centre** — a Wald CI is symmetric on the log scale, so the estimate must be the
  geometric mean of the limits, √(L·U), within rounding;
* **p from the CI** — Altman & Bland (BMJ 2011;343:d2304), with the exact normal tail:
  SE = (ln U − ln L)/(2·z₀.₉₇₅), z = |ln HR|/SE, p = 2·(1 − Φ(z)); and a 95% CI excludes 1
  exactly when the two-sided Wald p < 0.05, so a CI and a p that disagree about 1 are *gross*.

A p from a log-rank or score test (``p_test`` column) need not equal the Wald p the CI
implies. How far the two z can differ is derived, not fixed (:func:`score_to_wald_z`): the
score statistic at β = 0 and the Wald statistic at β̂ are tied by the partial likelihood's
information, and their ratio depends only on the HR and the share of the risk set in one
group, over which the bound is taken. Near HR = 1 they all but coincide.  A one-sided p
(``p_test = one-sided``) is doubled before it is compared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import stats

from ..paper import Paper
from ..render import fmt_num, fmt_p, fmt_range, register
from ..reported import Interval, Reported, parse_p, parse_value
from ._base import interval_bounds, slug, to_findings

__all__ = ["RatioCheck", "check_ratio", "ratio_map", "score_to_wald_z", "z_of_p", "P_TESTS",
           "findings"]

_RISK_SHARES = np.linspace(0.0005, 0.9995, 1999)


def score_to_wald_z(abs_log_low: float, abs_log_high: float) -> tuple[float, float]:
    """The range of z(score or log-rank) / z(Wald) for a two-group Cox model with |ln HR| in
    [*abs_log_low*, *abs_log_high*].

    With one covariate, U(0) = ∫₀^β̂ I(b) db, so z_score = U(0)/√I(0) and z_Wald = β̂·√I(β̂).
    At an event where a share r of the risk set is in one group, I(b) = q(1 − q) with
    q = r·eᵇ/(r·eᵇ + 1 − r), and ∫₀^β q(1 − q) db = q(β) − q(0).  Per event the ratio
    z_Wald/z_score is R = β·√(I(β)·I(0))/(q(β) − q(0)); summed over events it lies between the
    least R (Cauchy–Schwarz) and the largest β·(I(β) + I(0))/(2·(q(β) − q(0))) (AM–GM) over
    every r, so the bound needs neither the events nor the allocation.  It assumes untied
    event times.

    >>> lo, hi = score_to_wald_z(0.0, 0.12)      # HR 0.89: the tests all but coincide
    >>> round(lo, 4), round(hi, 4)
    (0.9988, 1.0006)
    >>> round(score_to_wald_z(0.69, 0.70)[1], 3)  # HR 2: the log-rank z is up to 2% larger
    1.021
    """
    betas = np.linspace(max(abs_log_low, 1e-9), max(abs_log_high, 1e-9), 9)[:, None]
    r = _RISK_SHARES[None, :]
    q = r * np.exp(betas) / (r * np.exp(betas) + 1 - r)
    info_b, info_0, gain = q * (1 - q), r * (1 - r), q - r
    geometric = betas * np.sqrt(info_b * info_0) / gain      # ≤ 1: the Wald z is the smaller
    arithmetic = betas * (info_b + info_0) / (2 * gain)
    return float(1 / arithmetic.max()), float(1 / geometric.min())

P_TESTS = ("", "wald", "log-rank", "score", "one-sided")
"""Values of ``ratios.csv``'s ``p_test``: empty means the model's own (Wald) p."""


def z_of_p(p: float) -> float:
    """The |z| whose two-sided normal p-value is *p*."""
    return float(stats.norm.isf(p / 2)) if p > 0 else math.inf


def _p_of_z(z: float) -> float:
    return float(2 * stats.norm.sf(z))


@dataclass(frozen=True)
class RatioCheck:
    """What a printed ratio, its CI and its p say about one another."""

    estimate: Reported
    low: Reported
    high: Reported
    p: Reported | None
    centre: Interval
    """Geometric mean of the CI limits, over their rounding box."""
    centre_consistent: bool
    implied_p: Interval
    """Two-sided Wald p implied by the estimate and CI, over the rounding box."""
    accept: Interval | None
    """The p values the check accepts (the implied p, widened for a non-Wald test)."""
    p_consistent: bool | None
    ci_excludes_one: bool | None
    """True/False when the CI clearly does/does not exclude 1; None if a limit rounds to 1."""
    ci_p_agree: bool | None
    """Whether 'CI excludes 1' and 'p < 0.05' agree; None when either is undecided."""
    score_factor: tuple[float, float] = (1.0, 1.0)
    """The range of z(printed test)/z(Wald) allowed (:func:`score_to_wald_z`); 1 for a Wald p."""
    centre_accept: Interval | None = None
    """The p values accepted if the estimate were the CI's log-centre instead of as printed."""
    centre_p_consistent: bool | None = None
    """Whether the printed p fits the CI's centre (a misprinted estimate, not a misprinted p)."""

    @property
    def implied_p_text(self) -> str:
        return fmt_range(float(self.implied_p.low), float(self.implied_p.high), fmt_p)


def _positive(x: Fraction | None) -> float:
    return max(float(x) if x is not None else 0.0, 1e-6)


def check_ratio(estimate: str, low: str, high: str, p: str | None = None, *,
                level: float = 0.95, p_test: str = "wald") -> RatioCheck:
    """Check a printed ratio with its CI and (optionally) its p.

    >>> c = check_ratio("1.52", "1.07", "2.16", "0.02")
    >>> c.centre_consistent, c.p_consistent
    (True, True)
    >>> check_ratio("0.49", "0.19", "1.25", "0.042").ci_p_agree
    False
    """
    est, lo, hi = parse_value(estimate), parse_value(low), parse_value(high)
    z0 = float(stats.norm.isf((1 - level) / 2))
    lo_lo, lo_hi = _positive(lo.interval.low), float(lo.interval.high)
    hi_lo, hi_hi = _positive(hi.interval.low), float(hi.interval.high)
    e_lo, e_hi = _positive(est.interval.low), float(est.interval.high)
    centre = Interval.hull([math.sqrt(lo_lo * hi_lo), math.sqrt(lo_hi * hi_hi)])
    se_min = max(math.log(hi_lo) - math.log(lo_hi), 1e-12) / (2 * z0)
    se_max = (math.log(hi_hi) - math.log(lo_lo)) / (2 * z0)
    abs_log_min = 0.0 if e_lo <= 1 <= e_hi else min(abs(math.log(e_lo)), abs(math.log(e_hi)))
    abs_log_max = max(abs(math.log(e_lo)), abs(math.log(e_hi)))
    z_min, z_max = abs_log_min / se_max, abs_log_max / se_min
    implied = Interval.hull([_p_of_z(z_max), _p_of_z(z_min)])
    p_rep = parse_p(p) if p else None
    accept, p_ok, factor, centre_accept, centre_ok = None, None, (1.0, 1.0), None, None
    if p_rep is not None:
        # a log-rank or score z is the Wald z times a factor the HR bounds (score_to_wald_z)
        factor = (1.0, 1.0) if p_test in ("", "wald", "one-sided") else score_to_wald_z(abs_log_min, abs_log_max)
        accept = Interval.hull([_p_of_z(z_max * factor[1]), _p_of_z(z_min * factor[0])])
        printed = p_rep.interval
        if p_test == "one-sided":
            printed = Interval(None if printed.low is None else 2 * printed.low,
                               min(Fraction(1), 2 * printed.high), printed.low_closed, printed.high_closed)
        p_ok = accept.overlaps(printed)
        # the same p from the CI's centre: if it fits there, the estimate is the likelier misprint
        c_lo, c_hi = float(centre.low), float(centre.high)
        c_abs_min = 0.0 if c_lo <= 1 <= c_hi else min(abs(math.log(c_lo)), abs(math.log(c_hi)))
        c_abs_max = max(abs(math.log(c_lo)), abs(math.log(c_hi)))
        c_factor = factor if factor == (1.0, 1.0) else score_to_wald_z(c_abs_min, c_abs_max)
        centre_accept = Interval.hull([_p_of_z(c_abs_max / se_min * c_factor[1]),
                                       _p_of_z(c_abs_min / se_max * c_factor[0])])
        centre_ok = centre_accept.overlaps(printed)
    if lo.interval.low > 1 or hi.interval.high < 1:
        excludes = True
    elif lo.interval.high < 1 < hi.interval.low:
        excludes = False
    else:
        excludes = None
    agree = None
    if p_rep is not None and excludes is not None and p_test != "one-sided":
        if p_rep.interval.below(0.05):
            agree = excludes
        elif p_rep.interval.above(0.05):
            agree = not excludes
    return RatioCheck(est, lo, hi, p_rep, centre, centre.overlaps(est.interval), implied, accept, p_ok,
                      excludes, agree, factor, centre_accept, centre_ok)


def ratio_map(frame):
    """:func:`check_ratio` of every row of *frame* (``ratios.csv`` rows with estimate and CI)."""
    out = []
    for r in frame.to_dict("records"):
        if not (r["estimate"] and r["ci_low"] and r["ci_high"]):
            continue
        p_test = (r.get("p_test") or "").strip()
        out.append((r, check_ratio(r["estimate"], r["ci_low"], r["ci_high"], r["p"] or None,
                                   p_test=p_test or "wald")))
    return out


register("ratio-ci-centre", recomputed="√(L·U) = {centre_text}",
         consistent="The estimate sits at the centre of its CI on the log scale, as a Wald CI should.",
         inconsistent="A Wald CI is symmetric on the log scale, so the estimate should be {centre_text}, "
                      "not {estimate}: the estimate or a limit is misprinted, or the CI is not a Wald CI.")
register("ratio-p-from-ci", recomputed="p from CI = {implied_text}",
         consistent="The p implied by the CI ({implied_text}) matches the printed p = {p}.{test_note}",
         inconsistent="The CI implies p = {implied_text}, not the printed {p}; both are on the same side "
                      "of 0.05.{test_note}{centre_note}",
         gross="The CI {ci_side} 1 but the printed p = {p} says the opposite (the CI implies p = "
               "{implied_text}).")
register("ratio-one-sided-p", recomputed="2 × one-sided p = {two_sided}; two-sided p from CI = {implied_text}",
         consistent="The printed p is one-sided; doubled, {two_sided}, it lies in the two-sided range the "
                    "CI implies ({implied_text}).",
         inconsistent="Even doubled ({two_sided}) the one-sided p is outside the range the CI implies "
                      "({implied_text}).")

_TEST_NOTE = (" The printed p is a {test} p, not the Wald p the CI implies; at this HR the partial likelihood "
              "lets their z differ only by a factor of {factor_low:.3f}–{factor_high:.3f}, which is allowed for.")
_CENTRE_NOTE = (" The estimate is off the CI's centre (see its centre check); from the centre, "
                "{centre_text}, the CI implies p = {centre_p}, which {centre_fits} the printed p: {centre_verdict}.")



def _log_share(lo: float, hi: float, ci_low: str, ci_high: str) -> float:
    """Share of the printed CI, on the log scale, that the interval [lo, hi] covers.

    >>> round(_log_share(0.945, 0.955, "0.66", "1.35"), 3)
    0.015
    """
    L, U = float(parse_value(ci_low).value), float(parse_value(ci_high).value)
    if not (0 < L < U and 0 < lo <= hi):
        return float("nan")
    return min(1.0, math.log(hi / lo) / math.log(U / L))


def findings(paper: Paper) -> list:
    """Every ratio with a CI: its centre, and the p its CI implies against the printed p."""
    if not paper.has("ratios.csv"):
        return []
    rows = []
    for r, c in ratio_map(paper.read("ratios.csv")):
        base = slug(r["location"], r["endpoint"], r["model"][:40], r["variable"])
        printed = f"{r['measure']} {r['estimate']} ({r['ci_low']}–{r['ci_high']})"
        context = ", ".join(x for x in (r["endpoint"], r["model"]) if x.strip())
        what = f"{r['measure']}, {r['variable']}" + (f" ({context})" if context else "")
        centre_text = f"{fmt_num(float(c.centre.low), 3)}–{fmt_num(float(c.centre.high), 3)}"
        key = r.get("key", "")
        e_lo, e_hi = interval_bounds(c.estimate.interval)
        rows.append(dict(slug=f"{base}.centre", location=r["location"], quantity=what, reported=printed,
                         check="ratio-ci-centre", verdict="consistent" if c.centre_consistent else "inconsistent",
                         centre_text=centre_text, estimate=r["estimate"], reported_low=e_lo, reported_high=e_hi,
                         recomputed_low=float(c.centre.low), recomputed_high=float(c.centre.high),
                         accept_low=e_lo, accept_high=e_hi, issue=f"{paper.id}:{key}" if key else "",
                         # the estimate must lie in its CI: the share of the CI (log scale) its rounding covers
                         sharpness=_log_share(e_lo, e_hi, r["ci_low"], r["ci_high"])))
        if c.p is None:
            continue
        p_test = (r.get("p_test") or "").strip()
        p_lo, p_hi = interval_bounds(c.p.interval)
        a_lo, a_hi = interval_bounds(c.accept)
        common = dict(location=r["location"], quantity=what, reported=f"{printed}, p = {r['p']}",
                      p=r["p"], implied_text=c.implied_p_text, reported_low=p_lo, reported_high=p_hi,
                      recomputed_low=float(c.implied_p.low), recomputed_high=float(c.implied_p.high),
                      accept_low=a_lo, accept_high=a_hi, sharpness=p_hi - p_lo,
                      issue=f"{paper.id}:{key}" if key else "")
        if p_test == "one-sided":
            two = fmt_range(2 * p_lo, 2 * p_hi, fmt_p) if p_lo == p_lo else f"< {fmt_p(2 * p_hi)}"
            rows.append(dict(common, slug=f"{base}.one-sided-p", check="ratio-one-sided-p",
                             verdict="consistent" if c.p_consistent else "inconsistent", two_sided=two))
            continue
        verdict = "gross" if c.ci_p_agree is False else ("consistent" if c.p_consistent else "inconsistent")
        # inconsistent here means the printed p and the CI's p are on the same side of 0.05
        f_lo, f_hi = c.score_factor
        test_note = (_TEST_NOTE.format(test=p_test, factor_low=f_lo, factor_high=f_hi)
                     if p_test in ("log-rank", "score") else "")
        centre_note = ""
        if verdict == "inconsistent" and not c.centre_consistent:
            fits = bool(c.centre_p_consistent)
            centre_note = _CENTRE_NOTE.format(
                centre_text=centre_text, centre_fits="fits" if fits else "does not fit either",
                centre_p=fmt_range(float(c.centre_accept.low), float(c.centre_accept.high), fmt_p),
                centre_verdict="the printed estimate, not the p, is the likelier misprint" if fits
                else "the p does not follow from this CI")
        rows.append(dict(common, slug=f"{base}.p", check="ratio-p-from-ci", verdict=verdict,
                         same_conclusion=verdict == "inconsistent",
                         ci_side="excludes" if c.ci_excludes_one else "includes",
                         test_note=test_note, centre_note=centre_note))
    return to_findings(paper.id, rows)
