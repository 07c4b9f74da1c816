"""Every test variant on a table of counts (:mod:`recheck.checks.tables`), against SciPy,
pingouin and textbook values."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from recheck.checks.tables import judge_variants, table_pvalues


def test_2x2_variants_match_scipy():
    t = np.array([[54, 79], [46, 33]])      # Ozcan Table 1, endocrine therapy
    out = table_pvalues(t).set_index("test")["p"]
    assert out["pearson"] == pytest.approx(stats.chi2_contingency(t, correction=False).pvalue)
    assert out["yates"] == pytest.approx(stats.chi2_contingency(t).pvalue)
    assert out["fisher"] == pytest.approx(stats.fisher_exact(t).pvalue)
    # The paper prints p = 0.016 and says Pearson (0.013); only Fisher (0.0156) gives it.
    v = table_pvalues(t)
    j = judge_variants("0.016", dict(zip(v["variant"], v["p"])), ["Pearson χ²"])
    assert j["verdict"] == "variant" and j["matching"] == ["Fisher's exact test"]


def test_against_pingouin_on_raw_rows():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"x": rng.choice(["a", "b", "c"], 300), "y": rng.choice(["u", "v"], 300)})
    _, _, st = pg.chi2_independence(df, "x", "y")
    ct = pd.crosstab(df["x"], df["y"])
    ours = table_pvalues(ct).set_index("test")["p"]
    assert ours["pearson"] == pytest.approx(st.set_index("test").loc["pearson", "pval"])
    assert ours["likelihood-ratio"] == pytest.approx(st.set_index("test").loc["log-likelihood", "pval"])


def test_textbook_fisher_tea_tasting():
    # Fisher's lady tasting tea: [[3, 1], [1, 3]], two-sided p = 0.4857.
    p = table_pvalues([[3, 1], [1, 3]]).set_index("test").loc["fisher", "p"]
    assert p == pytest.approx(0.4857, abs=1e-4)


def test_missing_rows_are_tested_both_ways():
    t = pd.DataFrame({"A": [30, 60, 10], "B": [45, 50, 5]}, index=["yes", "no", "Missing"])
    out = table_pvalues(t)
    assert set(out["missing"]) == {"excluded", "as a category"}
    excl = out[(out["missing"] == "excluded") & (out["test"] == "pearson")]["p"].item()
    assert excl == pytest.approx(stats.chi2_contingency([[30, 45], [60, 50]], correction=False).pvalue)


def test_rxc_fisher_is_seeded():
    t = [[3, 4, 5], [6, 2, 1]]
    a, b = table_pvalues(t, seed=3), table_pvalues(t, seed=3)
    assert a.equals(b)
    assert "fisher-mc" in set(a["test"])
    assert not table_pvalues(t, seed=4).equals(a)                  # the seed is used
