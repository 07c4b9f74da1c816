"""Reported values kept as printed, with the interval their rounding allows.

A paper prints ``0.40``, not 0.4: the trailing zero says the value lies in
[0.395, 0.405]; ``0.4`` only says [0.35, 0.45].  Everything in :mod:`recheck`
compares intervals built here, never floats.

Rounding rule
-------------
A value printed with *d* decimals is taken to be any number within half a unit
of its last digit, endpoints included: ``0.40`` ↦ [0.395, 0.405].  Including both
endpoints accepts round-half-up, round-half-even and round-half-down alike (the
"up_or_down" rule of the R package *scrutiny*).  Truncation is not assumed.
A bound printed with ``<`` or ``>`` gives a half-open interval: ``p < 0.001`` ↦
(0, 0.001), with the lower end at 0 for p-values and unbounded otherwise.
Integers that are counts (``n = 112``) are exact when parsed with ``exact=True``.

All bounds are :class:`fractions.Fraction`, so that decisions at a boundary
(e.g. is 80/112 = 71.43% inside [71.35, 71.45]?) are exact.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Union

__all__ = [
    "Interval",
    "Reported",
    "Estimate",
    "ParseError",
    "parse_value",
    "parse_p",
    "parse_estimate",
    "parse_count",
]

Number = Union[int, float, Fraction]


class ParseError(ValueError):
    """A printed value could not be read."""


def _decimal(x: Number) -> Number:
    """A float as the shortest decimal that prints it (``0.025`` → 1/40); other numbers as given."""
    return Fraction(repr(x)) if isinstance(x, float) and math.isfinite(x) else x


@dataclass(frozen=True)
class Interval:
    """A real interval; ``None`` for an unbounded end.

    >>> Interval(Fraction(1), Fraction(2)).contains(1.5)
    True
    """

    low: Fraction | None
    high: Fraction | None
    low_closed: bool = True
    high_closed: bool = True

    @classmethod
    def point(cls, x: Number) -> "Interval":
        """The degenerate interval [x, x] (a value computed from exact inputs)."""
        f = Fraction(x)
        return cls(f, f)

    @classmethod
    def hull(cls, values) -> "Interval":
        """The closed interval spanning the finite numbers in *values*."""
        vals = [Fraction(v) for v in values if v is not None and math.isfinite(float(v))]
        if not vals:
            raise ValueError("hull of no finite values")
        return cls(min(vals), max(vals))

    def contains(self, x: Number) -> bool:
        """Whether the number *x* lies in the interval (exact comparison)."""
        if isinstance(x, float) and not math.isfinite(x):
            return False
        if self.low is not None:
            if x < self.low or (x == self.low and not self.low_closed):
                return False
        if self.high is not None:
            if x > self.high or (x == self.high and not self.high_closed):
                return False
        return True

    __contains__ = contains

    def overlaps(self, other: "Interval") -> bool:
        """Whether the two intervals share at least one point."""
        # The larger of the two lower ends must not exceed the smaller upper end.
        lo, lo_closed = _max_low(self, other)
        hi, hi_closed = _min_high(self, other)
        if lo is None or hi is None:
            return True
        return lo < hi or (lo == hi and lo_closed and hi_closed)

    def intersection(self, other: "Interval") -> "Interval":
        """The common part of two overlapping intervals."""
        if not self.overlaps(other):
            raise ValueError(f"{self} and {other} do not overlap")
        lo, lo_closed = _max_low(self, other)
        hi, hi_closed = _min_high(self, other)
        return Interval(lo, hi, lo_closed, hi_closed)

    def below(self, x: Number) -> bool:
        """Whether every point of the interval is strictly below *x*.

        A float threshold is read as the decimal it was typed as: ``0.025`` is 1/40, not the
        binary float just above it, so a p printed as 0.03 at α = 0.025 is not below α.

        >>> Interval(Fraction(1, 40), Fraction(7, 200)).above(0.025)
        True
        """
        x = _decimal(x)
        return self.high is not None and (self.high < x or (self.high == x and not self.high_closed))

    def above(self, x: Number) -> bool:
        """Whether every point of the interval is at or above *x* (a float read as its decimal)."""
        x = _decimal(x)
        return self.low is not None and self.low >= x

    def widen(self, factor: float) -> "Interval":
        """Scale the distance of each end from the midpoint by ``1 + factor``."""
        if self.low is None or self.high is None:
            return self
        mid = (self.low + self.high) / 2
        half = (self.high - self.low) / 2 * Fraction(1 + factor)
        return Interval(mid - half, mid + half, self.low_closed, self.high_closed)

    def __str__(self) -> str:
        if self.low == self.high and self.low is not None:
            return _fmt(self.low)
        lo = "(-inf" if self.low is None else ("[" if self.low_closed else "(") + _fmt(self.low)
        hi = "inf)" if self.high is None else _fmt(self.high) + ("]" if self.high_closed else ")")
        return f"{lo}, {hi}"


def _fmt(x: Fraction) -> str:
    return f"{float(x):.6g}"


def _max_low(a: Interval, b: Interval) -> tuple[Fraction | None, bool]:
    if a.low is None:
        return b.low, b.low_closed
    if b.low is None:
        return a.low, a.low_closed
    if a.low != b.low:
        return (a.low, a.low_closed) if a.low > b.low else (b.low, b.low_closed)
    return a.low, a.low_closed and b.low_closed


def _min_high(a: Interval, b: Interval) -> tuple[Fraction | None, bool]:
    if a.high is None:
        return b.high, b.high_closed
    if b.high is None:
        return a.high, a.high_closed
    if a.high != b.high:
        return (a.high, a.high_closed) if a.high < b.high else (b.high, b.high_closed)
    return a.high, a.high_closed and b.high_closed


@dataclass(frozen=True)
class Reported:
    """One number as printed, and the interval of true values its rounding allows."""

    text: str
    """The whole string as printed, e.g. ``"P = .04"``."""
    numeral: str
    """The digits as printed, e.g. ``".04"``."""
    value: Fraction
    decimals: int
    relation: str
    """One of ``=``, ``<``, ``>``, ``≤``, ``≥``."""
    percent: bool
    interval: Interval

    def contains(self, x: Number) -> bool:
        """Whether *x* is a value this printed number could have come from."""
        return self.interval.contains(x)

    __contains__ = contains

    def __float__(self) -> float:
        return float(self.value)

    @property
    def half_unit(self) -> Fraction:
        """Half a unit of the last printed digit."""
        return Fraction(1, 2 * 10**self.decimals)


@dataclass(frozen=True)
class Estimate:
    """A point estimate printed with an interval or a spread.

    ``"1.52 (1.07–2.16)"`` gives ``ci``; ``"53.1 (10.8)"`` gives ``spread`` (an SD,
    or whatever the source says the bracket holds).
    """

    text: str
    estimate: Reported | None
    ci: tuple[Reported, Reported] | None = None
    spread: Reported | None = None
    level: Reported | None = None


_NUM = r"[-−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_VALUE_RE = re.compile(
    r"""^\s*
    (?:(?:p|P)(?:\s*-?\s*value)?\s*)?      # optional 'p' / 'P value'
    (?P<rel>=|<|>|≤|≥|<=|>=)?\s*
    (?P<num>""" + _NUM + r""")
    \s*(?P<pct>%)?
    (?:\s*(?:months?|years?|days?|weeks?|mo))?   # a unit the text printed after it
    \s*$""",
    re.VERBOSE,
)


def _to_fraction(numeral: str) -> tuple[Fraction, int]:
    clean = numeral.replace(",", "").replace("−", "-")
    dec = Decimal(clean)
    decimals = max(0, -dec.as_tuple().exponent)
    return Fraction(dec), decimals


def parse_value(text: str, *, exact: bool = False, lower_bound: Number | None = None) -> Reported:
    """Parse one printed number into a :class:`Reported`.

    Parameters
    ----------
    text
        As printed: ``"71.6%"``, ``"0.40"``, ``"p < 0.001"``, ``"P = .04"``, ``"5,304"``.
    exact
        The number is exact (a count), not rounded.
    lower_bound
        The natural lower end used for ``<`` (0 for p-values and percentages).

    Raises
    ------
    ParseError
        If *text* is not one number in a recognised form.
    """
    if not isinstance(text, str):
        raise ParseError(f"expected the printed text, got {type(text).__name__} {text!r}")
    # PDF extraction sometimes splits a numeral at its point ("0. 890"); the digits
    # are unambiguous, so read them together.  ``text`` keeps the printed form.
    m = _VALUE_RE.match(re.sub(r"(\d)\.\s+(\d)", r"\1.\2", text))
    if not m:
        raise ParseError(f"cannot read {text!r} as a number")
    numeral = m["num"]
    value, decimals = _to_fraction(numeral)
    rel = {"<=": "≤", ">=": "≥"}.get(m["rel"] or "=", m["rel"] or "=")
    percent = m["pct"] is not None
    if exact and rel != "=":
        raise ParseError(f"{text!r} is a bound, not an exact count")
    half = Fraction(0) if exact else Fraction(1, 2 * 10**decimals)
    lb = None if lower_bound is None else Fraction(lower_bound)
    if rel == "=":
        interval = Interval(value - half, value + half)
        if lb is not None and interval.low < lb:
            interval = Interval(lb, interval.high)
    elif rel in ("<", "≤"):
        interval = Interval(lb, value, True, rel == "≤")
    else:
        interval = Interval(value, None, rel == "≥", False)
    return Reported(text, numeral, value, decimals, rel, percent, interval)


def parse_p(text: str) -> Reported:
    """Parse a printed p-value; its interval is clipped to [0, 1].

    >>> parse_p("p < 0.001").interval.high
    Fraction(1, 1000)
    """
    r = parse_value(text, lower_bound=0)
    iv = r.interval
    high = Fraction(1) if iv.high is None or iv.high > 1 else iv.high
    high_closed = True if iv.high is None or iv.high > 1 else iv.high_closed
    if r.value > 1 or r.value < 0:
        raise ParseError(f"{text!r} is not a probability")
    return Reported(r.text, r.numeral, r.value, r.decimals, r.relation, r.percent,
                    Interval(iv.low, high, iv.low_closed, high_closed))


def parse_count(text: str) -> int:
    """Parse a printed count (``"112"``, ``"5,304"``) as an exact non-negative integer."""
    r = parse_value(text, exact=True)
    if r.decimals or r.value < 0 or r.percent:
        raise ParseError(f"{text!r} is not a count")
    return int(r.value)


_RANGE_SEP = r"\s*(?:–|—|-|−|to|,)\s*"
_ESTIMATE_RE = re.compile(
    r"""^\s*(?:[A-Za-z][\w\s]*?:\s*)?               # optional label 'HR:'
    (?P<est>""" + _NUM + r"""\s*%?)?\s*
    (?:[;,]?\s*\(?\s*
        (?:(?P<level>\d+(?:\.\d+)?)\s*%\s*CI\s*[:,]?\s*)?
        (?P<lo>""" + _NUM + r""")(?:""" + _RANGE_SEP + r"""(?P<hi>""" + _NUM + r"""))?
    \s*\)?)?\s*$""",
    re.VERBOSE,
)


_RANGE_RE = re.compile(r"^\s*\(?(?P<lo>" + _NUM + ")" + _RANGE_SEP + "(?P<hi>" + _NUM + r")\)?\s*$")


def parse_estimate(text: str) -> Estimate:
    """Parse an estimate printed with a CI or a spread.

    Recognised forms: ``"13.9 (95% CI: 11.3–16.5)"``, ``"1.52 (1.07–2.16)"``,
    ``"HR: 1.78; 95% CI: 1.23–2.58"``, ``"53.1 (10.8)"`` (estimate and spread),
    ``"27.9"`` (estimate alone), ``"24–85"`` (a range alone).
    """
    if not isinstance(text, str):
        raise ParseError(f"expected the printed text, got {type(text).__name__} {text!r}")
    r = _RANGE_RE.match(text)
    if r:  # a range or interval alone: "24–85"
        return Estimate(text, None, ci=(parse_value(r["lo"]), parse_value(r["hi"])))
    m = _ESTIMATE_RE.match(text)
    if not m or (m["est"] is None and m["lo"] is None):
        raise ParseError(f"cannot read {text!r} as an estimate with an interval")
    est = parse_value(m["est"].strip()) if m["est"] else None
    level = parse_value(m["level"]) if m["level"] else None
    if m["lo"] is not None and m["hi"] is not None:
        ci = (parse_value(m["lo"]), parse_value(m["hi"]))
        return Estimate(text, est, ci=ci, level=level)
    if m["lo"] is not None:
        if est is None:  # a lone number: it is the estimate
            return Estimate(text, parse_value(m["lo"]))
        return Estimate(text, est, spread=parse_value(m["lo"]))
    return Estimate(text, est)
