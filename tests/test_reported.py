"""Printed values become the intervals their rounding allows."""

from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from recheck.reported import Interval, ParseError, parse_count, parse_estimate, parse_p, parse_value


@pytest.mark.parametrize("text, low, high", [
    ("71.6%", "71.55", "71.65"),
    ("62%", "61.5", "62.5"),
    ("0.04", "0.035", "0.045"),
    ("0.40", "0.395", "0.405"),
    ("0.4", "0.35", "0.45"),
    ("P = .04", "0.035", "0.045"),
    ("27.9", "27.85", "27.95"),
    ("16.0 months", "15.95", "16.05"),
    ("0. 890", "0.8895", "0.8905"),   # a numeral split by PDF extraction
])
def test_interval_from_printed_decimals(text, low, high):
    iv = parse_value(text).interval
    assert (iv.low, iv.high) == (Fraction(low), Fraction(high))
    assert iv.low_closed and iv.high_closed


def test_trailing_zero_matters():
    assert not parse_value("0.40").contains(0.41)
    assert parse_value("0.4").contains(0.41)


def test_bounds_are_half_open():
    p = parse_p("p < 0.001")
    assert p.relation == "<"
    assert p.contains(0.0009) and not p.contains(0.001) and p.contains(0)
    assert parse_p("p > 0.05").interval.high == 1
    assert not parse_p("p > 0.05").contains(Fraction(1, 20))   # exact: the float 0.05 is above 1/20


def test_counts_are_exact():
    assert parse_count("5,304") == 5304
    with pytest.raises(ParseError):
        parse_count("12.5")


@pytest.mark.parametrize("bad", ["", "abc", "0.4.1", "1.2 (", None])
def test_unreadable_values_raise(bad):
    with pytest.raises(ParseError):
        parse_value(bad)


def test_p_outside_unit_interval_raises():
    with pytest.raises(ParseError):
        parse_p("1.5")


@pytest.mark.parametrize("text, est, lo, hi, spread", [
    ("13.9 (95% CI: 11.3–16.5)", "13.9", "11.3", "16.5", None),
    ("1.52 (1.07–2.16)", "1.52", "1.07", "2.16", None),
    ("HR: 1.78; 95% CI: 1.23–2.58", "1.78", "1.23", "2.58", None),
    ("12.3 (95% CI: 6–18.5)", "12.3", "6", "18.5", None),
    ("53.1 (10.8)", "53.1", None, None, "10.8"),
    ("27.9", "27.9", None, None, None),
    ("24–85", None, "24", "85", None),
])
def test_parse_estimate(text, est, lo, hi, spread):
    e = parse_estimate(text)
    assert (e.estimate.numeral if e.estimate else None) == est
    assert (e.ci[0].numeral if e.ci else None) == lo
    assert (e.ci[1].numeral if e.ci else None) == hi
    assert (e.spread.numeral if e.spread else None) == spread


def test_interval_overlap_and_intersection():
    a, b = parse_value("71.4").interval, parse_value("71.6").interval
    assert not a.overlaps(b)
    c = parse_value("62.0").interval
    assert c.overlaps(parse_value("62").interval)
    assert c.intersection(parse_value("62").interval) == c
    # touching closed ends overlap; an open end does not
    assert Interval(Fraction(0), Fraction(1)).overlaps(Interval(Fraction(1), Fraction(2)))
    assert not Interval(Fraction(0), Fraction(1), True, False).overlaps(Interval(Fraction(1), Fraction(2)))


@given(st.integers(min_value=-10**6, max_value=10**6), st.integers(min_value=0, max_value=4))
def test_a_printed_number_contains_itself(units, decimals):
    text = f"{units / 10**decimals:.{decimals}f}"
    r = parse_value(text)
    assert r.decimals == decimals
    assert r.contains(Fraction(units, 10**decimals))
    assert r.interval.high - r.interval.low == Fraction(1, 10**decimals)
