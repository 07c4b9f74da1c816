"""Verdicts: each can be reached, and each can fail."""

import pytest

from recheck.judge import judge_mentions, judge_p
from recheck.reported import Interval


def test_consistent_variant_inconsistent_gross():
    rec = {"Pearson χ²": 0.031, "Pearson χ² with Yates' correction": 0.048, "Fisher's exact test": 0.04}
    assert judge_p("0.03", rec, ["Pearson χ²"]).verdict == "consistent"
    v = judge_p("0.05", rec, ["Pearson χ²"])
    assert v.verdict == "variant" and "Yates" in v.explanation
    assert judge_p("0.02", rec, ["Pearson χ²"]).verdict == "inconsistent"
    g = judge_p("0.30", rec, ["Pearson χ²"])
    assert g.verdict == "gross"


def test_straddling_interval_is_not_gross():
    j = judge_p("0.01", {"Student's t": Interval.hull([0.03, 0.07])})
    assert j.verdict == "inconsistent" and "cannot be decided" in j.explanation


def test_unknown_stated_variant_is_an_error():
    with pytest.raises(KeyError):
        judge_p("0.03", {"Pearson χ²": 0.03}, ["Welch"])


def test_mentions():
    assert judge_mentions([("Abstract", "62%"), ("Results 3.4", "62.0%")]).verdict == "consistent"
    assert judge_mentions([("Abstract", "71.4%"), ("Table 2", "71.6%")]).verdict == "inconsistent"
    assert judge_mentions([("Table 2", "0.82"), ("Discussion", "0.80")], is_p=True).verdict == "inconsistent"
    g = judge_mentions([("Results 3.3", "p = 0.04"), ("Discussion", "p = 0.26")], is_p=True)
    assert g.verdict == "gross"
