"""Every test variant on a table of counts (:mod:`recheck.checks.tables`), against SciPy,
pingouin and textbook values."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from recheck.checks.tables import SOFTWARE_CONVENTIONS, judge_variants, software_conventions, table_pvalues
from recheck.reported import Interval


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


def test_fisher_beyond_2x2_is_exact():
    """Beyond 2×2 Fisher's p is exact and needs no seed (R 4.2.2: fisher.test = 0.149899635968)."""
    out = table_pvalues([[3, 4, 5], [6, 2, 1]]).set_index("test")
    assert out.loc["fisher", "p"] == pytest.approx(0.149899635968, rel=1e-9)
    assert not any("monte" in t for t in out.index)


def test_no_fisher_row_for_a_table_without_two_rows_or_columns():
    """A 3×3 table gets Pearson and G, never a Monte Carlo Fisher standing in for an exact one."""
    assert set(table_pvalues([[3, 4, 5], [6, 2, 1], [2, 2, 7]])["test"]) == {"pearson", "likelihood-ratio"}


def test_spss_conventions():
    """SPSS's one-sided Fisher (R: fisher.test(alternative = "less") = 0.127406656897) and its
    linear-by-linear association (R: (N − 1)·cor² → p = 1.52904559588e-06) are variants only when
    asked for."""
    two = [[66, 83], [34, 29]]
    assert "fisher-one-sided" not in set(table_pvalues(two)["test"])
    one = table_pvalues(two, conventions=software_conventions("SPSS 27")).set_index("test")
    assert one.loc["fisher-one-sided", "p"] == pytest.approx(0.127406656897, rel=1e-9)
    three = table_pvalues([[10, 25], [20, 15], [30, 5]], conventions=["linear-by-linear"]).set_index("test")
    assert three.loc["linear-by-linear", "p"] == pytest.approx(1.52904559588e-06, rel=1e-8)
    assert three.loc["linear-by-linear", "dof"] == 1
    with pytest.raises(ValueError, match="unknown convention"):
        table_pvalues(two, conventions=["spss"])


def test_software_names_their_conventions():
    assert software_conventions("IBM SPSS Statistics 24") == SOFTWARE_CONVENTIONS["spss"]
    assert software_conventions("SAS 9.4") == ("linear-by-linear",)
    assert software_conventions("R 4.2.2") == software_conventions("") == ()


def test_a_monte_carlo_range_makes_plausible_not_consistent():
    """A printed p inside only SPSS's Monte Carlo range is plausible; a hair outside it, and away
    from every exact variant, it is inconsistent; on the exact p it is consistent."""
    exact = 0.0238
    mc = Interval.hull([0.0207, 0.0269])
    rec = {"Fisher's exact test": exact, "SPSS MC": mc}
    assert judge_variants("0.025", rec, ["Fisher's exact test"], approximate=["SPSS MC"])["verdict"] == "plausible"
    assert judge_variants("0.028", rec, ["Fisher's exact test"], approximate=["SPSS MC"])["verdict"] == "inconsistent"
    assert judge_variants("0.024", rec, ["Fisher's exact test"], approximate=["SPSS MC"])["verdict"] == "consistent"
    # without the flag the range would count as a reproduction: the flag is what makes it plausible
    assert judge_variants("0.025", rec, ["Fisher's exact test"])["verdict"] == "variant"


