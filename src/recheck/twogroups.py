"""Two groups from printed summary statistics (mean, SD, n): Student's and Welch's t.

The printed means and SDs are rounded, so the t statistic is only known to lie in a
range.  t = (m₁ − m₂)/se is monotone in each of the four rounded inputs, so its
extremes lie at the corners of their rounding box; we evaluate all 16 corners (and
|t| = 0 when the difference of means can be zero) with SciPy's
``ttest_ind_from_stats`` and report the achievable range of p for each variant.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

from .reported import Interval, parse_count, parse_value

__all__ = ["summary_t_tests"]


def summary_t_tests(mean1: str, sd1: str, n1: str | int,
                    mean2: str, sd2: str, n2: str | int) -> pd.DataFrame:
    """Range of the two-sided p of Student's and Welch's t over the rounding box.

    Parameters
    ----------
    mean1, sd1, mean2, sd2
        As printed (``"53.1"``, ``"10.8"``).
    n1, n2
        Group sizes (exact).

    Returns
    -------
    pandas.DataFrame
        Rows ``student`` and ``welch`` with ``p_low``, ``p_high`` (floats), ``p``
        (the :class:`~recheck.reported.Interval`) and ``p_at_printed`` (p at the
        printed values themselves).

    Examples
    --------
    >>> summary_t_tests("10.0", "2.0", 30, "11.0", "2.0", 30).loc["student", "p_at_printed"].round(4)
    0.0574
    """
    m1, s1, m2, s2 = (parse_value(x) for x in (mean1, sd1, mean2, sd2))
    k1 = parse_count(n1) if isinstance(n1, str) else int(n1)
    k2 = parse_count(n2) if isinstance(n2, str) else int(n2)
    corners = np.array(list(itertools.product(
        *[(float(r.interval.low), float(r.interval.high)) for r in (m1, s1, m2, s2)])))
    corners[:, [1, 3]] = np.maximum(corners[:, [1, 3]], 1e-12)  # an SD printed as 0.0
    diff_can_be_zero = Interval(m1.interval.low - m2.interval.high,
                                m1.interval.high - m2.interval.low).contains(0)
    rows = {}
    for name, equal_var in (("student", True), ("welch", False)):
        res = stats.ttest_ind_from_stats(corners[:, 0], corners[:, 1], k1,
                                         corners[:, 2], corners[:, 3], k2, equal_var=equal_var)
        p = np.asarray(res.pvalue, dtype=float)
        at = stats.ttest_ind_from_stats(float(m1.value), max(float(s1.value), 1e-12), k1,
                                        float(m2.value), max(float(s2.value), 1e-12), k2,
                                        equal_var=equal_var).pvalue
        p_high = 1.0 if diff_can_be_zero else float(p.max())
        rows[name] = dict(p_low=float(p.min()), p_high=p_high,
                          p=Interval.hull([p.min(), p_high]), p_at_printed=float(at))
    return pd.DataFrame.from_dict(rows, orient="index")
