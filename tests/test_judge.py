"""Verdicts (:mod:`recheck.judge`, :func:`recheck.checks.tables.judge_variants`): each can be
reached, and each can fail."""

import pytest

from recheck.checks.tables import judge_variants
from recheck.judge import FLAGS, SEVERITY_ORDER, SHARPNESS_LIMIT, VERDICTS, calibrate, mentions_verdict, side_of_alpha, worst
from recheck.reported import Interval, parse_p


def test_consistent_variant_inconsistent_gross():
    rec = {"Pearson χ²": 0.031, "Pearson χ² with Yates' correction": 0.048, "Fisher's exact test": 0.04}
    assert judge_variants("0.03", rec, ["Pearson χ²"])["verdict"] == "consistent"
    v = judge_variants("0.05", rec, ["Pearson χ²"])
    assert v["verdict"] == "variant" and v["which"] == "Pearson χ² with Yates' correction"
    assert judge_variants("0.02", rec, ["Pearson χ²"])["verdict"] == "inconsistent"
    assert judge_variants("0.30", rec, ["Pearson χ²"])["verdict"] == "gross"


def test_straddling_interval_is_not_gross():
    j = judge_variants("0.01", {"Student's t": Interval.hull([0.03, 0.07])})
    assert j["verdict"] == "inconsistent" and not j["same_side"]


def test_unknown_stated_variant_is_an_error():
    with pytest.raises(KeyError):
        judge_variants("0.03", {"Pearson χ²": 0.03}, ["Welch"])


def test_mentions():
    assert mentions_verdict([("Abstract", "62%"), ("Results 3.4", "62.0%")]) == "consistent"
    assert mentions_verdict([("Abstract", "71.4%"), ("Table 2", "71.6%")]) == "inconsistent"
    assert mentions_verdict([("Table 2", "0.82"), ("Discussion", "0.80")], is_p=True) == "inconsistent"
    assert mentions_verdict([("Results 3.3", "p = 0.04"), ("Discussion", "p = 0.26")], is_p=True) == "gross"
    # not p-values: opposite sides of 0.05 mean nothing
    assert mentions_verdict([("a", "0.04"), ("b", "0.26")]) == "inconsistent"
    with pytest.raises(ValueError):
        mentions_verdict([("Abstract", "62%")])


def test_side_of_alpha():
    assert side_of_alpha(parse_p("0.04").interval) == "significant"
    assert side_of_alpha(parse_p("0.06").interval) == "not significant"
    assert side_of_alpha(parse_p("0.05").interval) is None            # 0.045–0.055
    assert side_of_alpha(parse_p("p < 0.05").interval) == "significant"
    assert side_of_alpha(parse_p("0.04").interval, alpha=0.01) == "not significant"


def test_worst_and_the_vocabulary():
    assert worst(["consistent", "variant", "inconsistent"]) == "inconsistent"
    assert worst(["not-checkable", "consistent"]) == "not-checkable"
    assert worst(["implausible", "gross"]) == "gross"
    assert set(SEVERITY_ORDER) == set(VERDICTS)
    assert set(FLAGS) == set(VERDICTS) - {"consistent", "plausible", "not-checkable"}
    assert calibrate("consistent", SHARPNESS_LIMIT + 1e-9) == "plausible"
    assert calibrate("consistent", SHARPNESS_LIMIT) == "consistent"          # the limit itself passes
    assert calibrate("consistent", float("nan")) == "consistent"             # not measured: left alone


def test_severity_by_distance_and_conclusion():
    """A miss of at most one unit of the last printed digit is minor, a larger one major, unless
    no conclusion at α changes; gross is decisive; passes have no severity."""
    from recheck.judge import severity
    one_unit = dict(reported=(0.0245, 0.0255), recomputed=(0.0255, 0.0265))     # exactly one unit off
    assert severity("inconsistent", **one_unit) == "minor"
    assert severity("inconsistent", reported=(0.0245, 0.0255), recomputed=(0.0266, 0.0270)) == "major"
    assert severity("inconsistent", reported=(0.0245, 0.0255), recomputed=(0.0266, 0.0270),
                    same_conclusion=True) == "minor"
    assert severity("inconsistent") == "major"                                   # nothing known
    assert [severity(v) for v in ("gross", "implausible", "biased", "variant", "plausible", "not-checkable")] \
        == ["decisive", "major", "major", "minor", "", ""]
