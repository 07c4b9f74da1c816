"""Two groups from printed summary statistics (mean, SD, n): Student's and Welch's t.

The printed means and SDs are rounded, so t is only known to lie in a range.
t = (m₁ − m₂)/se is monotone in each of the four rounded inputs, so its extremes lie at the
corners of their rounding box: all 16 corners are evaluated with SciPy's
``ttest_ind_from_stats`` (and |t| = 0 when the difference of means can be zero).

A t-test is our reconstruction, not necessarily the source's test: when the source states
another test (a rank test, or a χ² that cannot apply to a mean) a flipped conclusion is not
a proven error, so the finding stays *inconsistent* and says which test was stated.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

from ..paper import Paper
from ..render import fmt_p, fmt_range, register
from ..reported import Interval, parse_count, parse_value
from ._base import interval_bounds, slug, to_findings
from .tables import judge_variants

__all__ = ["summary_t_tests", "summary_t_map", "findings"]


def summary_t_tests(mean1: str, sd1: str, n1: str | int, mean2: str, sd2: str, n2: str | int) -> pd.DataFrame:
    """Range of the two-sided p of Student's and Welch's t over the rounding box.

    Returns rows ``student`` and ``welch`` with ``p_low``, ``p_high``, ``p`` (an
    :class:`~recheck.reported.Interval`) and ``p_at_printed`` (p at the printed values).

    >>> round(float(summary_t_tests("10.0", "2.0", 30, "11.0", "2.0", 30).loc["student", "p_at_printed"]), 4)
    0.0577
    """
    m1, s1, m2, s2 = (parse_value(x) for x in (mean1, sd1, mean2, sd2))
    k1 = parse_count(n1) if isinstance(n1, str) else int(n1)
    k2 = parse_count(n2) if isinstance(n2, str) else int(n2)
    corners = np.array(list(itertools.product(
        *[(float(r.interval.low), float(r.interval.high)) for r in (m1, s1, m2, s2)])))
    corners[:, [1, 3]] = np.maximum(corners[:, [1, 3]], 1e-12)  # an SD printed as 0.0
    zero_possible = Interval(m1.interval.low - m2.interval.high,
                             m1.interval.high - m2.interval.low).contains(0)
    rows = {}
    for name, equal_var in (("student", True), ("welch", False)):
        p = np.asarray(stats.ttest_ind_from_stats(corners[:, 0], corners[:, 1], k1, corners[:, 2],
                                                  corners[:, 3], k2, equal_var=equal_var).pvalue, float)
        at = stats.ttest_ind_from_stats(float(m1.value), max(float(s1.value), 1e-12), k1,
                                        float(m2.value), max(float(s2.value), 1e-12), k2,
                                        equal_var=equal_var).pvalue
        p_high = 1.0 if zero_possible else float(p.max())
        rows[name] = dict(p_low=float(p.min()), p_high=p_high, p=Interval.hull([p.min(), p_high]),
                          p_at_printed=float(at))
    return pd.DataFrame.from_dict(rows, orient="index")


def summary_t_map(frame: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """One row per two-group comparison of *frame* (``continuous.csv`` rows): the t-test
    ranges and the verdict on the printed p (``not-checkable`` without means, SDs and Ns)."""
    rows = []
    for (table, variable), r in frame.groupby(["table", "variable"], sort=False):
        if len(r) != 2 or not r["p"].iloc[0]:
            continue
        a, b = r.iloc[0], r.iloc[1]
        out = dict(table=table, variable=variable, printed=a["p"], test=a["test"],
                   groups=(a["group"], b["group"]), has_median=bool(a["median"]))
        if not all(x for x in (a["mean"], a["sd"], a["n"], b["mean"], b["sd"], b["n"])):
            rows.append({**out, "verdict": "not-checkable"})
            continue
        tt = summary_t_tests(a["mean"], a["sd"], a["n"], b["mean"], b["sd"], b["n"])
        rec = {"Student's t": tt.loc["student", "p"], "Welch's t": tt.loc["welch", "p"]}
        j = judge_variants(a["p"], rec, [], alpha=alpha)
        stated_t = "t-test" in a["test"].lower() or "t test" in a["test"].lower()
        verdict = j["verdict"] if stated_t or j["verdict"] not in ("gross",) else "inconsistent"
        lo, hi = interval_bounds(j["rep"].interval)
        rows.append({**out, **j, "verdict": verdict, "stated_t": stated_t,
                     "student": (tt.loc["student", "p_low"], tt.loc["student", "p_high"]),
                     "welch": (tt.loc["welch", "p_low"], tt.loc["welch", "p_high"]),
                     "reported_low": lo, "reported_high": hi, "accept_low": lo, "accept_high": hi,
                     "recomputed_low": j["low"], "recomputed_high": j["high"], "sharpness": hi - lo})
    return pd.DataFrame(rows)


register("summary-t", recomputed="Student's t: {student_text}; Welch's t: {welch_text}",
         consistent="A t-test on the printed means and SDs gives p = {range_text}, like the printed "
                    "{printed}.{stated_note}",
         inconsistent="A t-test on the printed means and SDs gives p = {range_text}, not the printed "
                      "{printed}{flip}.{stated_note}",
         gross="A t-test on the printed means and SDs gives p = {range_text}, not the printed "
               "{printed}: the conclusion at {alpha} flips, and the source states a t-test.")
register("summary-t:medians", recomputed="",
         not_checkable="The table prints medians and ranges without the means, SDs and Ns a test "
                       "needs; the stated test ({test}) cannot be recomputed from them.")
register("summary-t:summaries", recomputed="",
         not_checkable="The table prints no N, mean or SD for every group, so the stated test "
                       "({test}) cannot be recomputed.")


def _stated_note(test: str, stated_t: bool) -> str:
    if stated_t:
        return ""
    if not test:
        return " The source does not name its test; a rank test on the raw data may give its p."
    if "chi" in test.lower():
        return (f" The source states {test}, which does not apply to a mean as printed, so the test "
                "actually used cannot be identified.")
    return f" The source states {test}; a rank test on the raw data may give its p, which means and SDs cannot reproduce."


def findings(paper: Paper) -> list:
    """Every two-group continuous row with a printed p."""
    if not paper.has("continuous.csv"):
        return []
    rows = []
    for r in summary_t_map(paper.read("continuous.csv"), alpha=paper.alpha).to_dict("records"):
        f = dict(slug=slug(r["table"], r["variable"], "p"), location=f"{r['table']}, {r['variable']}",
                 quantity=f"{r['variable']}: p across groups", reported=r["printed"], check="summary-t",
                 verdict=r["verdict"], test=r["test"] or "not stated", printed=r["printed"], alpha=paper.alpha)
        if r["verdict"] == "not-checkable":
            f["template"] = "medians" if r["has_median"] else "summaries"
        else:
            span = fmt_range(min(r["student"][0], r["welch"][0]), max(r["student"][1], r["welch"][1]), fmt_p)
            flip = ""
            if r["printed_side"] == "significant" and min(r["student"][0], r["welch"][0]) >= paper.alpha:
                flip = "; by that test the difference would not be significant"
            f.update(student_text=fmt_range(*r["student"], fmt_p), welch_text=fmt_range(*r["welch"], fmt_p),
                     same_conclusion=bool(r["same_side"]) and not flip,
                     range_text=span, flip=flip, stated_note=_stated_note(r["test"], r["stated_t"]),
                     **{k: r[k] for k in ("reported_low", "reported_high", "accept_low", "accept_high",
                                          "recomputed_low", "recomputed_high", "sharpness")})
        rows.append(f)
    return to_findings(paper.id, rows)
