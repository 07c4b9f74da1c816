"""t-tests from summaries over the rounding box; ratio/CI/p triangulation
(:mod:`recheck.checks.twogroups`, :mod:`recheck.checks.ratios`)."""

import math

import pytest
from scipy import stats

from recheck.checks.ratios import check_ratio, z_of_p
from recheck.checks.twogroups import summary_t_tests


def test_t_at_printed_values_matches_scipy():
    out = summary_t_tests("10.0", "2.0", 30, "11.0", "2.0", 30)
    ref = stats.ttest_ind_from_stats(10, 2, 30, 11, 2, 30).pvalue
    assert out.loc["student", "p_at_printed"] == pytest.approx(ref)
    assert out.loc["student", "p_low"] <= ref <= out.loc["student", "p_high"]


def test_welch_differs_with_unequal_sds_and_ns():
    out = summary_t_tests("5.0", "1.0", 10, "6.0", "3.0", 40)
    assert out.loc["welch", "p_at_printed"] == pytest.approx(
        stats.ttest_ind_from_stats(5, 1, 10, 6, 3, 40, equal_var=False).pvalue)
    assert out.loc["welch", "p_at_printed"] != pytest.approx(out.loc["student", "p_at_printed"])


def test_equal_rounded_means_allow_p_of_one():
    out = summary_t_tests("5", "1", 20, "5", "1", 20)
    assert out.loc["student", "p_high"] == 1.0


def test_altman_bland_worked_example():
    # Altman & Bland (BMJ 2011): RR 0.81, 95% CI 0.70 to 0.94 gives P ≈ 0.005.
    c = check_ratio("0.81", "0.70", "0.94", "0.005")
    assert c.implied_p.contains(0.005)
    assert c.centre_consistent and c.p_consistent and c.ci_p_agree


def test_ci_centre_flags_a_misprint():
    # Ozcan Table 3 prints HER2-zero vs HER2-low 0.89 (0.62–1.21): √(0.62·1.21) = 0.866.
    c = check_ratio("0.89", "0.62", "1.21", "0.4")
    assert not c.centre_consistent


def test_ci_excluding_one_with_large_p_is_caught():
    c = check_ratio("1.60", "1.10", "2.33", "0.20")
    assert c.ci_excludes_one and c.ci_p_agree is False


def test_limit_rounding_to_one_leaves_direction_undecided():
    c = check_ratio("0.67", "0.45", "1.00", "0.051")
    assert c.ci_excludes_one is None and c.ci_p_agree is None


def test_logrank_tolerance_is_wider_than_wald():
    # z from CI ≈ 2.04 (p ≈ 0.041); a log-rank p of 0.05 (z = 1.96) is within 10%.
    wald = check_ratio("1.50", "1.02", "2.21", "0.05")
    lr = check_ratio("1.50", "1.02", "2.21", "0.05", p_test="log-rank")
    assert not wald.p_consistent and lr.p_consistent


def test_z_of_p():
    assert z_of_p(0.05) == pytest.approx(1.959964, abs=1e-6)
    assert math.isinf(z_of_p(0.0))
