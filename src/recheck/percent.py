"""Percentages of a known n: which counts can give a printed percentage (GRIM-style).

A percentage of *n* people can only take the values 100·k/n for whole k.  With
``n = 112``, 80 responders give 71.43% and 81 give 72.32%: ``71.4%`` is
possible, ``71.6%`` is not.  The arithmetic is exact (fractions), and the
printed value is read as the interval its rounding allows (:mod:`recheck.reported`).
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd

from .reported import Reported, parse_count, parse_value

__all__ = ["counts_for_percent", "format_percent", "check_percent", "check_count_table"]


def _as_reported(percent: str | Reported) -> Reported:
    return percent if isinstance(percent, Reported) else parse_value(percent, lower_bound=0)


def counts_for_percent(percent: str | Reported, n: int) -> list[int]:
    """All whole counts k (0 ≤ k ≤ n) whose percentage 100·k/n rounds to *percent*.

    >>> counts_for_percent("71.4%", 112)
    [80]
    >>> counts_for_percent("71.6%", 112)
    []
    """
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    iv = _as_reported(percent).interval
    # k/n·100 ∈ [low, high]  ⇔  k ∈ [low·n/100, high·n/100]
    lo = Fraction(0) if iv.low is None else iv.low * n / 100
    hi = Fraction(n) if iv.high is None else iv.high * n / 100
    k_lo = max(0, math.ceil(lo))
    k_hi = min(n, math.floor(hi))
    return [k for k in range(k_lo, k_hi + 1) if iv.contains(Fraction(100 * k, n))]


def format_percent(count: int, n: int, decimals: int) -> str:
    """``100·count/n`` printed with *decimals* decimals, rounding half away from zero."""
    q = Fraction(100 * count, n)
    scaled = q * 10**decimals
    rounded = math.floor(scaled + Fraction(1, 2))
    text = str(rounded)
    if decimals:
        text = text.rjust(decimals + 1, "0")
        text = f"{text[:-decimals]}.{text[-decimals:]}"
    return text


def check_percent(count: int | str, percent: str | Reported, n: int | str) -> dict:
    """Check a printed ``count (percent%)`` pair against its denominator.

    Returns a dict with ``consistent`` (bool), ``recomputed`` (100·count/n at the
    printed precision) and ``possible_counts`` (the counts that would give the
    printed percentage).
    """
    k = parse_count(count) if isinstance(count, str) else int(count)
    n_ = parse_count(n) if isinstance(n, str) else int(n)
    rep = _as_reported(percent)
    possible = counts_for_percent(rep, n_)
    return {
        "consistent": k in possible,
        "recomputed": format_percent(k, n_, rep.decimals),
        "possible_counts": possible,
    }


def check_count_table(table: pd.DataFrame, group_n: dict[str, int | str]) -> pd.DataFrame:
    """Check every cell and every margin of a printed table of counts.

    Parameters
    ----------
    table
        Long format with columns ``variable``, ``category``, ``group``, ``count``
        and ``percent`` (strings as printed; ``percent`` may be empty).
    group_n
        The stated size of each group (the column header's n).

    Returns
    -------
    pandas.DataFrame
        One row per check: ``variable``, ``category`` (empty for a margin),
        ``group``, ``check`` (``percent-of-n``, ``count-sum`` or ``percent-sum``),
        ``reported``, ``recomputed``, ``consistent`` and ``detail``.
    """
    rows = []
    for (variable, group), cells in table.groupby(["variable", "group"], sort=False):
        n = parse_count(str(group_n[group]))
        counts = [parse_count(c) for c in cells["count"]]
        for (_, cell), k in zip(cells.iterrows(), counts):
            pct = cell.get("percent", "")
            if pct:
                res = check_percent(k, pct, n)
                detail = "" if res["consistent"] else (
                    f"{pct}% of {n} needs a count in {res['possible_counts'] or 'no whole number'}")
                rows.append(dict(variable=variable, category=cell["category"], group=group,
                                 check="percent-of-n", reported=f"{cell['count']} ({pct}%)",
                                 recomputed=f"{k}/{n} = {res['recomputed']}%",
                                 consistent=res["consistent"], detail=detail))
        total = sum(counts)
        rows.append(dict(variable=variable, category="", group=group, check="count-sum",
                         reported=f"n = {n}", recomputed=f"sum of counts = {total}",
                         consistent=total == n,
                         detail="" if total == n else f"counts add to {total}, not {n}"))
        pcts = [parse_value(p, lower_bound=0) for p in cells.get("percent", []) if p]
        if pcts and len(pcts) == len(cells):
            lo = sum(p.interval.low for p in pcts)
            hi = sum(p.interval.high for p in pcts)
            ok = lo <= 100 <= hi
            rows.append(dict(variable=variable, category="", group=group, check="percent-sum",
                             reported="100%", recomputed=f"{float(lo):g}–{float(hi):g}%",
                             consistent=ok,
                             detail="" if ok else "printed percentages cannot add to 100"))
    return pd.DataFrame(rows, columns=["variable", "category", "group", "check", "reported",
                                       "recomputed", "consistent", "detail"])
