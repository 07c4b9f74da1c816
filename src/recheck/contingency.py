"""Tables of counts: every reasonable test of independence, as *recalc* does.

A paper says "Pearson's chi-squared or Fisher's exact test, as appropriate"; which
one produced a printed p is often not said, and whether a *Missing* row was kept
is often not said either.  :func:`table_pvalues` computes them all so that the
judge (:mod:`recheck.judge`) can say which, if any, reproduce the printed p.

The statistics come from SciPy: ``chi2_contingency`` (Pearson, with Yates'
continuity correction for 2×2, and the likelihood-ratio G statistic) and
``fisher_exact`` (exact for 2×2; for larger tables SciPy estimates Fisher's p by
Monte Carlo, which we seed so that the book is deterministic).
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["table_pvalues", "FISHER_RESAMPLES", "MISSING_LABELS"]

FISHER_RESAMPLES = 20_000
"""Monte Carlo tables for Fisher's test beyond 2×2 (standard error of p ≤ 0.004)."""

MISSING_LABELS = ("missing", "unknown", "not available", "n/a", "na", "not reported")


def _is_missing(label: str, extra: Iterable[str]) -> bool:
    lab = str(label).strip().lower()
    return lab in MISSING_LABELS or lab in {e.lower() for e in extra}


def table_pvalues(
    counts: pd.DataFrame | np.ndarray | Sequence[Sequence[int]],
    *,
    missing: Iterable[str] = (),
    seed: int = 0,
) -> pd.DataFrame:
    """p-values of every reasonable test of independence on a table of counts.

    Parameters
    ----------
    counts
        Rows are categories, columns are groups.  A DataFrame's index labels are
        used to find missing/unknown rows (see ``MISSING_LABELS``).
    missing
        Further row labels to treat as missing.
    seed
        Seed for the Monte Carlo Fisher test of tables larger than 2×2.

    Returns
    -------
    pandas.DataFrame
        One row per variant: ``test`` (``pearson``, ``yates``, ``likelihood-ratio``,
        ``fisher``; ``fisher-mc`` beyond 2×2), ``missing`` (``excluded`` or ``as a category``; only
        ``as a category`` when there is no missing row), ``statistic``, ``dof``,
        ``p`` and ``variant`` (a readable name).  Rows or columns that are all zero
        are dropped before testing (they carry no information).
    """
    df = counts if isinstance(counts, pd.DataFrame) else pd.DataFrame(np.asarray(counts))
    df = df.astype(int)
    has_missing = any(_is_missing(i, missing) for i in df.index)
    versions = [("as a category", df)]
    if has_missing:
        keep = [not _is_missing(i, missing) for i in df.index]
        versions.insert(0, ("excluded", df.loc[keep]))
    rows = []
    for handling, sub in versions:
        table = sub.to_numpy()
        table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
        if table.shape[0] < 2 or table.shape[1] < 2:
            continue
        is_2x2 = table.shape == (2, 2)
        chi = stats.chi2_contingency(table, correction=False)
        rows.append(("pearson", handling, chi.statistic, chi.dof, chi.pvalue))
        if is_2x2:
            yates = stats.chi2_contingency(table, correction=True)
            rows.append(("yates", handling, yates.statistic, yates.dof, yates.pvalue))
        g = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
        rows.append(("likelihood-ratio", handling, g.statistic, g.dof, g.pvalue))
        if is_2x2:
            fisher = stats.fisher_exact(table)
        else:
            method = stats.MonteCarloMethod(n_resamples=FISHER_RESAMPLES,
                                            rng=np.random.default_rng(seed))
            fisher = stats.fisher_exact(table, method=method)
        rows.append(("fisher", handling, np.nan, np.nan, fisher.pvalue))
        if not is_2x2:
            rows[-1] = ("fisher-mc", *rows[-1][1:])
    out = pd.DataFrame(rows, columns=["test", "missing", "statistic", "dof", "p"])
    out["variant"] = [_variant_name(t, m, has_missing) for t, m in zip(out["test"], out["missing"])]
    return out


_TEST_NAMES = {
    "pearson": "Pearson χ²",
    "yates": "Pearson χ² with Yates' correction",
    "likelihood-ratio": "likelihood-ratio χ²",
    "fisher": "Fisher's exact test",
    "fisher-mc": "Fisher's exact test (Monte Carlo)",
}


def _variant_name(test: str, missing: str, has_missing: bool) -> str:
    name = _TEST_NAMES[test]
    if has_missing:
        name += ", missing excluded" if missing == "excluded" else ", missing as a category"
    return name
