"""Vectorised survival statistics against lifelines; the simulation's promises."""

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test

from recheck.survival import (GroupSummary, km_median, km_medians, logrank_p, logrank_p_distribution,
                              logrank_tests, reverse_km_median, simulate_group)


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    t = rng.exponential(12, (40, 60))
    c = rng.uniform(5, 40, (40, 60))
    return np.minimum(t, c), t <= c


def test_km_medians_match_lifelines(data):
    times, events = data
    ours = km_medians(times, events)
    for r in range(times.shape[0]):
        ref = KaplanMeierFitter().fit(times[r], events[r]).median_survival_time_
        assert (np.isnan(ours[r]) and np.isinf(ref)) or ours[r] == pytest.approx(ref)


def test_two_group_logrank_matches_lifelines(data):
    times, events = data
    groups = np.repeat([0, 1], 30)
    ours = logrank_tests(times, events, groups)
    for r in range(times.shape[0]):
        a, b = groups == 0, groups == 1
        ref = logrank_test(times[r, a], times[r, b], events[r, a], events[r, b])
        assert ours["p"][r] == pytest.approx(ref.p_value, rel=1e-9)
        assert ours["chi2"][r] == pytest.approx(ref.test_statistic, rel=1e-9)


def test_three_group_logrank_matches_lifelines(data):
    times, events = data
    groups = np.repeat([0, 1, 2], 20)
    ours = logrank_tests(times[:10], events[:10], groups)
    for r in range(10):
        ref = multivariate_logrank_test(times[r], groups, events[r])
        assert ours["p"][r] == pytest.approx(ref.p_value, rel=1e-9)


def test_simulated_groups_hit_printed_events_and_median():
    rng = np.random.default_rng(0)
    g = GroupSummary("x", n=53, median=13.4, events=30)
    times, events = simulate_group(g, 200, rng)
    assert (events.sum(axis=1) == 30).all()
    med = km_medians(times, events)
    ok = ~np.isnan(med)
    assert ok.mean() > 0.9
    assert np.allclose(med[ok], 13.4)


def test_simulation_is_deterministic():
    groups = [GroupSummary("a", 53, 13.4, 30), GroupSummary("b", 59, 17.9, 28)]
    a = logrank_p_distribution(groups, reps=300, seed=11)
    b = logrank_p_distribution(groups, reps=300, seed=11)
    assert a.equals(b)


def test_equal_medians_give_uniformish_p_and_different_medians_small_p():
    same = logrank_p_distribution([GroupSummary("a", 100, 12.0, 60), GroupSummary("b", 100, 12.0, 60)],
                                  reps=400, seed=1)
    apart = logrank_p_distribution([GroupSummary("a", 100, 8.0, 60), GroupSummary("b", 100, 20.0, 60)],
                                   reps=400, seed=1)
    assert same["p"].median() > 0.3
    assert apart["p"].quantile(0.95) < 0.01


def test_single_dataset_helpers():
    t = np.array([1, 2, 3, 4, 5, 6.0])
    e = np.array([1, 1, 0, 1, 0, 1], bool)
    assert km_median(t, e) == KaplanMeierFitter().fit(t, e).median_survival_time_
    assert reverse_km_median(t, e) == KaplanMeierFitter().fit(t, ~e).median_survival_time_
    assert 0 < logrank_p(t, e, np.array([0, 1, 0, 1, 0, 1])) <= 1


def test_draw_with_median_has_the_events_and_the_median():
    from recheck.survival import draw_with_median, km_median
    rng = np.random.default_rng(5)
    t, e, scale = draw_with_median(300, 90, 24.0, (0.0, 60.0), rng)
    assert e.sum() == 90 and len(t) == 300 and scale > 0
    assert km_median(t, e) == pytest.approx(24.0)


def test_draw_with_median_says_when_no_draw_reaches_the_median():
    from recheck.survival import draw_with_median
    with pytest.raises(RuntimeError, match="KM median"):
        draw_with_median(100, 2, 24.0, (0.0, 60.0), np.random.default_rng(1), tries=5)


def _collett_by_hand(t, e):
    """SPSS's median ± 1.96 SE with Collett's SE, one patient at a time (no arrays, no ties)."""
    import math
    order = sorted(range(len(t)), key=lambda i: t[i])
    s, v, at_risk, steps = 1.0, 0.0, len(t), []
    for i in order:
        if e[i]:
            s *= 1 - 1 / at_risk
            v += 1 / (at_risk * (at_risk - 1)) if at_risk > 1 else math.inf
            steps.append((t[i], s, v))
        at_risk -= 1
    m_t, m_s, m_v = next(x for x in steps if x[1] <= 0.5)
    u_t, u_s = max(((x[0], x[1]) for x in steps if x[1] >= 0.55), default=(0.0, 1.0))
    l_t, l_s = min((x[0], x[1]) for x in steps if x[1] <= 0.45)
    half = 1.959963984540054 * m_s * math.sqrt(m_v) * (l_t - u_t) / (u_s - l_s)
    return m_t, m_t - half, m_t + half


def test_symmetric_median_ci_matches_collett_by_hand(data):
    """The vectorised median ± 1.96 SE equals a loop that follows Collett's recipe."""
    from recheck.survival import km_median_cis
    times, events = data
    ours = km_median_cis(times, events, "median ± 1.96 SE")
    for r in range(times.shape[0]):
        if np.isnan(ours[r, 1]):
            continue
        assert ours[r] == pytest.approx(_collett_by_hand(times[r].tolist(), events[r].tolist()), rel=1e-12)
    assert np.isfinite(ours[:, 1]).sum() > 30


def test_median_ci_conventions_of_software():
    from recheck.survival import MEDIAN_CI_TYPES, km_median_cis, median_ci_conventions
    assert median_ci_conventions("IBM SPSS Statistics 24") == ("median ± 1.96 SE",)
    assert median_ci_conventions("SAS 9.4") == ("log-log",)
    assert median_ci_conventions("R 4.2.2, survival 3.5") == ("log",)
    assert median_ci_conventions("Stata 17") == median_ci_conventions("") == MEDIAN_CI_TYPES
    with pytest.raises(ValueError, match="conf_type"):
        km_median_cis([[1.0]], [[True]], "arcsine")
