"""Ratio estimates printed with a confidence interval (hazard ratios, odds ratios).

Three checks, each over the rounding box of the printed numbers:

* **centre** — a Wald CI is symmetric on the log scale, so the estimate must be
  the geometric mean of the limits, √(L·U), within rounding;
* **p from the CI** — Altman & Bland (BMJ 2011;343:d2304), with the exact normal
  tail rather than their approximation: SE = (ln U − ln L)/(2·z₀.₉₇₅),
  z = |ln HR|/SE, p = 2·(1 − Φ(z));
* **CI against p** — a 95% CI excludes 1 exactly when the two-sided Wald p < 0.05.

A printed p that comes from a log-rank or score test need not equal the Wald p
implied by the CI.  In moderate samples the two z statistics differ by a few
per cent, so for such p-values we accept a relative difference in z of
:data:`TEST_MISMATCH_Z_TOLERANCE` (documented in the methods appendix) instead of
demanding the Wald value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from scipy import stats

from .reported import Interval, Reported, parse_p, parse_value

__all__ = ["RatioCheck", "check_ratio", "TEST_MISMATCH_Z_TOLERANCE", "z_of_p"]

TEST_MISMATCH_Z_TOLERANCE = 0.10
"""Relative tolerance on z when the printed p is not a Wald p (log-rank, score)."""


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
    p_consistent: bool | None
    """Printed p within the implied p (with tolerance if ``p_test`` is not Wald)."""
    ci_excludes_one: bool | None
    """True/False when the printed CI clearly does/does not exclude 1; None if a limit rounds to 1."""
    ci_p_agree: bool | None
    """Whether 'CI excludes 1' and 'p < 0.05' agree; None when either is undecided."""

    @property
    def implied_p_text(self) -> str:
        lo, hi = float(self.implied_p.low), float(self.implied_p.high)
        return f"{lo:.3g}" if f"{lo:.2g}" == f"{hi:.2g}" else f"{lo:.3g}–{hi:.3g}"


def check_ratio(estimate: str, low: str, high: str, p: str | None = None, *,
                level: float = 0.95, p_test: str = "wald") -> RatioCheck:
    """Check a printed ratio with its CI and (optionally) its p.

    Parameters
    ----------
    estimate, low, high
        As printed (``"1.52"``, ``"1.07"``, ``"2.16"``).
    p
        The printed p, if any (``"0.02"``, ``"<0.001"``).
    level
        Confidence level of the CI.
    p_test
        ``"wald"`` when the p comes from the same model as the CI (Cox or logistic
        regression output); ``"logrank"`` or ``"score"`` to allow the documented
        tolerance.

    Examples
    --------
    >>> c = check_ratio("1.52", "1.07", "2.16", "0.02")
    >>> c.centre_consistent, c.p_consistent
    (True, True)
    """
    est, lo, hi = parse_value(estimate), parse_value(low), parse_value(high)
    z0 = float(stats.norm.isf((1 - level) / 2))
    lo_lo, lo_hi = _positive(lo.interval.low), float(lo.interval.high)
    hi_lo, hi_hi = _positive(hi.interval.low), float(hi.interval.high)
    e_lo, e_hi = _positive(est.interval.low), float(est.interval.high)

    centre = Interval.hull([math.sqrt(lo_lo * hi_lo), math.sqrt(lo_hi * hi_hi)])
    centre_ok = centre.overlaps(est.interval)

    se_min = max(math.log(hi_lo) - math.log(lo_hi), 1e-12) / (2 * z0)
    se_max = (math.log(hi_hi) - math.log(lo_lo)) / (2 * z0)
    if e_lo <= 1 <= e_hi:
        abs_log_min = 0.0
    else:
        abs_log_min = min(abs(math.log(e_lo)), abs(math.log(e_hi)))
    abs_log_max = max(abs(math.log(e_lo)), abs(math.log(e_hi)))
    z_min, z_max = abs_log_min / se_max, abs_log_max / se_min
    implied = Interval.hull([_p_of_z(z_max), _p_of_z(z_min)])

    p_rep = parse_p(p) if p else None
    p_ok = None
    if p_rep is not None:
        target = implied if p_test == "wald" else _widen_in_z(z_min, z_max, TEST_MISMATCH_Z_TOLERANCE)
        p_ok = target.overlaps(p_rep.interval)

    if lo.interval.low > 1 or hi.interval.high < 1:
        excludes = True
    elif lo.interval.high < 1 < hi.interval.low:
        excludes = False
    else:
        excludes = None  # a limit that rounds to 1.00 leaves it undecided
    agree = None
    if p_rep is not None and excludes is not None:
        if p_rep.interval.below(0.05):
            agree = excludes
        elif p_rep.interval.above(0.05):
            agree = not excludes
    return RatioCheck(est, lo, hi, p_rep, centre, centre_ok, implied, p_ok, excludes, agree)


def _positive(x: Fraction | None) -> float:
    """A rounding interval's lower end, kept above zero for the log scale."""
    return max(float(x) if x is not None else 0.0, 1e-6)


def _widen_in_z(z_min: float, z_max: float, tol: float) -> Interval:
    return Interval.hull([_p_of_z(z_max * (1 + tol)), _p_of_z(z_min * (1 - tol))])
