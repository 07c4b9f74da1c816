"""PATINA, as the CME summary cites it: two synthetic arms, and what the other trials' p-values mean.

Every PATINA number here is copied from the facts file into ``data/patina/`` (each row cites
its facts rows); the check families test them against one another.  This module adds

* :func:`reconstruct` — two synthetic arms (piecewise-exponential PFS through each arm's
  median and 48-month rate, potential follow-up uniform around the median follow-up);
* :func:`p_readings` — the test behind each p the chapter discusses, recomputed from its CI
  where it can be (a non-inferiority p measured from its margin, not from 1);
  :func:`p_points` sets those and PATINA's own p beside what their CIs imply, for a figure;
* :func:`ph_predictions` — what proportional hazards and exponential curves predict at the
  landmark from the printed numbers, with binomial standard errors for scale;
* :func:`reconstruction_summary` — the synthetic arms' Kaplan–Meier figures and Cox HR, as numbers;
* :func:`quoted_claims` — what the Ozcan and Xi'an papers say about trials the facts file holds.

Every function returns a tidy frame of numbers (and of values as printed); the chapter only shows.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from scipy import stats

from ..checks._base import interval_bounds
from ..checks.facts import facts_table
from ..checks.ratios import check_ratio
from ..data import DataError
from ..extract import printed
from ..paper import Paper
from ..reconstruct import write_cohort
from ..render import fmt_p, fmt_range
from ..reported import parse_p, parse_value

__all__ = ["ACCRUAL_HALF_WIDTH", "COHORT", "P_READINGS_SHOWN", "piecewise_model", "reconstruct", "findings",
           "p_readings", "p_points"]

COHORT = "arms.csv"
"""The reconstructed file (``data/patina/reconstructed/arms.csv``)."""

ACCRUAL_HALF_WIDTH = 24.0
"""Potential follow-up is uniform on the median follow-up ± this many months (an assumption:
the facts file gives no accrual period)."""


def findings(paper: Paper, context: dict) -> list:
    """No findings beyond the check families' (the chapter reads :func:`p_readings`)."""
    return []


def piecewise_model(median: float, rate: float, at: float) -> tuple[tuple[float, float], tuple[float, float, float]]:
    """Hazards of a piecewise-exponential curve through S(median) = 0.5 and S(at) = rate.

    >>> piecewise_model(29.1, 0.383, 48.0)[1][0] == math.log(2) / 29.1
    True
    """
    if not 0 < median < at or not 0 < rate < 0.5:
        raise ValueError("the piecewise model needs a median before the landmark and S(landmark) < 0.5")
    h1 = math.log(2) / median
    h2 = math.log(0.5 / rate) / (at - median)
    return (median, at), (h1, h2, h2)


def _inverse_cumhaz(target: np.ndarray, breaks, hazards) -> np.ndarray:
    (m, t1), (h1, h2, h3) = breaks, hazards
    h_m, h_1 = h1 * m, h1 * m + h2 * (t1 - m)
    return np.where(target <= h_m, target / h1, np.where(target <= h_1, m + (target - h_m) / h2,
                                                          t1 + (target - h_1) / h3))


def reconstruct(paper: Paper) -> list:
    """Write ``reconstructed/arms.csv`` (deterministic: same bytes every run)."""
    rng = np.random.default_rng(paper.seed)
    follow = float(parse_value(printed(paper, "followup:median", "median")).value)
    surv = paper.read("survival.csv")
    parts = []
    for r in surv[surv["endpoint"] == "PFS"].to_dict("records"):
        n = int(r["n"])
        at = float(r["rate_time"].split()[0])
        breaks, hazards = piecewise_model(float(r["median"]), float(parse_value(r["rate"]).value) / 100, at)
        u = (np.arange(n) + 0.5) / n                      # stratified: the quantiles of S
        t_event = _inverse_cumhaz(-np.log(rng.permutation(u)), breaks, hazards)
        c = rng.uniform(follow - ACCRUAL_HALF_WIDTH, follow + ACCRUAL_HALF_WIDTH, n)
        parts.append(pd.DataFrame({"arm": r["group"], "time": np.round(np.minimum(t_event, c), 2),
                                   "event": (t_event <= c).astype(int)}))
    df = pd.concat(parts, ignore_index=True)
    df.insert(0, "id", [f"p{i + 1:03d}" for i in range(len(df))])
    return [write_cohort(paper, df, "two PATINA arms reconstructed from published summaries (n, median PFS, "
                         "48-month PFS, median follow-up; facts rows 1, 2, 7, 8); piecewise-exponential PFS, "
                         "uniform censoring.", name="arms.csv", float_format="%.2f")]


P_READINGS_SHOWN = ["trial", "facts row", "printed", "test behind the p", "p recomputed from the CI", "agrees"]
"""The columns of :func:`p_readings` a reader needs."""

_RESULT = re.compile(r"(?:(?P<m1>[\d.]+) vs (?P<m0>[\d.]+);\s*)?(?P<printed>HR (?P<est>[\d.]+) \((?P<lo>[\d.]+)-"
                     r"(?P<hi>[\d.]+)\);\s*(?P<label>[^<=>]*?)\s*(?P<rel>[<=>])\s*(?P<p>\d*\.?\d+))\s*$")
"""A facts value such as ``"8.3 vs 5.7; HR 0.67 (0.45-1.00); p=0.051"``."""


def p_readings(paper: Paper) -> pd.DataFrame:
    """The trials the chapter discusses (``[readings] p_trials`` of paper.toml: facts row numbers),
    each printed p beside the p its CI implies, read the way the trial's own design reads it.

    The facts row's note may give an α (``alpha of 0.2``) or a non-inferiority margin
    (``margin HR 1.3``); a non-inferiority p is one-sided, z = (ln margin − ln HR)/SE.

    Columns: the display columns :data:`P_READINGS_SHOWN`; ``alpha`` (the trial's α, else the
    paper's); as printed in the facts file: ``alpha_printed`` and ``margin`` (empty when the note
    gives none), ``median_1``, ``median_0``, ``estimate``, ``ci_low``, ``ci_high``, ``p``; ``verdict``
    (whether the printed p is the one its CI implies, read that way); and as numbers: ``reported_low``/``reported_high`` (the printed p's rounding box) and
    ``recomputed_low``/``recomputed_high`` (the p the CI implies, over its rounding box).
    """
    facts = facts_table(paper)
    rows = []
    for n in paper.readings.get("p_trials", []):
        r = facts[n]
        m = _RESULT.search(r["value"])
        if not m:
            raise DataError(paper.path("paper.toml"), None, "readings.p_trials",
                            f"facts row {n}: cannot read 'HR (CI); p' from {r['value']!r}")
        p = m["p"] if m["rel"] == "=" else m["rel"] + m["p"]
        alpha = re.search(r"alpha of (\d*\.?\d+)", r["note"])
        margin = re.search(r"margin HR (\d*\.?\d+)", r["note"])
        if margin:
            est, lo, hi = (parse_value(x).interval for x in (m["est"], m["lo"], m["hi"]))
            z975 = float(stats.norm.isf(0.025))
            se = [(math.log(float(hi.low)) - math.log(float(lo.high))) / (2 * z975),
                  (math.log(float(hi.high)) - math.log(float(lo.low))) / (2 * z975)]
            mg = math.log(float(margin.group(1)))
            z = [(mg - math.log(float(est.high))) / se[1], (mg - math.log(float(est.low))) / se[0]]
            implied = (float(stats.norm.sf(z[1])), float(stats.norm.sf(z[0])))
            reading = f"one-sided non-inferiority, margin HR {margin.group(1)}"
            agrees = parse_p(p).interval.contains(implied[0]) and parse_p(p).interval.contains(implied[1])
            shown = f"one-sided {fmt_range(*implied, fmt_p)}"
        else:
            c = check_ratio(m["est"], m["lo"], m["hi"], p, p_test="log-rank")
            reading = f"two-sided, tested at alpha {alpha.group(1)}" if alpha else "two-sided"
            agrees, shown = bool(c.p_consistent), f"two-sided {c.implied_p_text}"
            implied = (float(c.implied_p.low), float(c.implied_p.high))
        p_lo, p_hi = interval_bounds(parse_p(p).interval)
        rows.append({"trial": r["trial"], "facts row": n, "printed": m["printed"], "test behind the p": reading,
                     "p recomputed from the CI": shown, "agrees": "yes" if agrees else "no",
                     "verdict": "consistent" if agrees else "inconsistent",
                     "alpha": float(alpha.group(1)) if alpha else paper.alpha,
                     "alpha_printed": alpha.group(1) if alpha else "", "margin": margin.group(1) if margin else "",
                     "median_1": m["m1"] or "", "median_0": m["m0"] or "", "estimate": m["est"], "ci_low": m["lo"],
                     "ci_high": m["hi"], "p": p, "reported_low": p_lo, "reported_high": p_hi,
                     "recomputed_low": implied[0], "recomputed_high": implied[1]})
    return pd.DataFrame(rows)


def p_points(paper: Paper, findings: pd.DataFrame) -> pd.DataFrame:
    """Every p the chapter plots, printed against the p its CI implies, one row per reading.

    PATINA's own two-sided p (``ratio-p-from-ci``); the abstract's one-sided p twice, ``as printed``
    (judged here: does it fall in the two-sided range its CI implies?) and ``doubled`` (its
    ``ratio-one-sided-p`` finding); and the other trials' p of :func:`p_readings` (check
    ``p-reading``; a p printed only as a bound has no ``reported_low``). *findings* are the
    paper's. Columns: those of the findings, ``reading``, ``trial`` and ``label``.
    """
    ps = findings[findings["check"].isin(["ratio-p-from-ci", "ratio-one-sided-p"])]
    one = ps[ps["check"] == "ratio-one-sided-p"]
    # as printed: the one-sided p judged as if it were the two-sided Wald p its CI implies
    ratios = paper.read("ratios.csv").set_index("key")
    as_printed = [check_ratio(*ratios.loc[issue.removeprefix(f"{paper.id}:"), ["estimate", "ci_low", "ci_high", "p"]],
                              p_test="wald").p_consistent for issue in one["issue"]]
    readings = p_readings(paper)
    points = pd.concat([
        ps[ps["check"] == "ratio-p-from-ci"].assign(reading=""),
        one.assign(reading="as printed", verdict=np.where(as_printed, "consistent", "inconsistent")),
        one.assign(reading="doubled", reported_low=2 * one["reported_low"], reported_high=2 * one["reported_high"]),
        readings.assign(check="p-reading", reading="", reported_low=[
            np.nan if p[:1] in "<>" else lo for p, lo in zip(readings["p"], readings["reported_low"])]),
    ], ignore_index=True)
    points["label"] = np.where(points["check"] == "p-reading", points["trial"], "PATINA, " + points["location"])
    return points
