"""From recomputed values to verdicts.

The vocabulary (see the book's introduction):

``consistent``
    the printed value reproduces within rounding under the stated method;
``plausible``
    it passes a check that is not sharp: one whose acceptance region covers more than
    :data:`SHARPNESS_LIMIT` of the values it could have met (a simulated p-value's 99% range, a
    bound such as "p > 0.05", a percentage every count of a large n can print).  Passing it shows
    the value is possible, not that it reproduces;
``variant``
    it reproduces only under another reasonable method (Yates, Fisher, missing
    rows kept, Welch…) — a finding in its own right;
``inconsistent``
    it reproduces under no variant;
``gross``
    inconsistent, and the conclusion at the 0.05 level flips: the printed p is on
    one side of 0.05 and the stated test (every variant, if none is stated) puts
    the result on the other side — the rule of *statcheck*;
``implausible``
    arithmetically possible but far outside what the reconstructed data give;
``biased``
    the arithmetic may be right, but the design alone produces part or all of the printed effect
    (groups formed by treatment received: immortal time) — a check kind of its own, not an error;
``not-checkable``
    the source does not print what a check needs (the explanation says what).
"""

from __future__ import annotations

import math
from typing import Sequence

from .reported import Interval, parse_p, parse_value

__all__ = ["VERDICTS", "ALPHA", "FLAGS", "SEVERITY_ORDER", "SHARPNESS_LIMIT", "worst", "calibrate", "severity",
           "side_of_alpha", "mentions_verdict"]

VERDICTS = ("consistent", "plausible", "variant", "inconsistent", "gross", "implausible", "biased",
            "not-checkable")
ALPHA = 0.05

SHARPNESS_LIMIT = 0.25
"""A passing check whose acceptance region covers more than this share of the values it could
have met says ``plausible``, not ``consistent``: a wrong value would have passed it at least one
time in four."""

SEVERITY_ORDER = ("gross", "inconsistent", "implausible", "biased", "variant", "not-checkable",
                  "plausible", "consistent")
"""Verdicts from most to least severe: the one order every table and dashboard sorts by."""

FLAGS = ("gross", "inconsistent", "implausible", "biased", "variant")
"""The verdicts that are flags (everything but *consistent*, *plausible* and *not-checkable*)."""


def worst(verdicts) -> str:
    """The most severe of *verdicts* (in :data:`SEVERITY_ORDER`).

    >>> worst(["consistent", "variant", "inconsistent"])
    'inconsistent'
    """
    rank = {v: i for i, v in enumerate(SEVERITY_ORDER)}
    return min(verdicts, key=rank.__getitem__)


def calibrate(verdict: str, sharpness: float) -> str:
    """``consistent`` becomes ``plausible`` when the check was not sharp (see :data:`SHARPNESS_LIMIT`).

    *sharpness* is the share of the possible values the check would have accepted; ``nan``
    (not measured) leaves the verdict alone, as does every verdict but ``consistent``.

    >>> calibrate("consistent", 0.001), calibrate("consistent", 0.97), calibrate("inconsistent", 0.97)
    ('consistent', 'plausible', 'inconsistent')
    """
    if verdict == "consistent" and sharpness == sharpness and sharpness > SHARPNESS_LIMIT:
        return "plausible"
    return verdict


def severity(verdict: str, *, reported: tuple[float, float] = (math.nan, math.nan),
             recomputed: tuple[float, float] = (math.nan, math.nan), same_conclusion: bool | None = None) -> str:
    """How much a flag matters: ``minor``, ``major`` or ``decisive`` (``""`` for no flag).

    * ``decisive``: the conclusion at α flips (*gross*);
    * ``minor``: a *variant* (the value reproduces, under another method), or an *inconsistent*
      value that is a rounding-level slip — the printed interval misses the recomputed range by
      no more than one unit of its last digit — or an *inconsistent* or *implausible* value
      that changes no conclusion at α (*same_conclusion*);
    * ``major``: every other flag — a number that cannot be right, an implausible one, an effect
      the design builds in, a sentence the numbers contradict.

    >>> severity("inconsistent", reported=(0.0245, 0.0255), recomputed=(0.0236, 0.0238))
    'minor'
    >>> severity("inconsistent", reported=(25.85, 25.95), recomputed=(29.46, 29.46))
    'major'
    >>> severity("inconsistent", same_conclusion=True), severity("gross"), severity("plausible")
    ('minor', 'decisive', '')
    """
    if verdict not in FLAGS:
        return ""
    if verdict == "gross":
        return "decisive"
    if verdict == "variant":
        return "minor"
    if verdict in ("inconsistent", "implausible") and same_conclusion:
        return "minor"
    if verdict == "inconsistent":
        lo, hi = reported
        rlo, rhi = recomputed
        if all(x == x for x in (lo, hi, rlo, rhi)) and hi > lo:
            gap = max(rlo - hi, lo - rhi, 0.0)
            if gap <= (hi - lo) * (1 + 1e-9):
                return "minor"
    return "major"


def side_of_alpha(p: Interval, alpha: float = ALPHA) -> str | None:
    """``"significant"`` / ``"not significant"`` when *p* is wholly on one side of alpha.

    >>> side_of_alpha(parse_p("0.04").interval), side_of_alpha(parse_p("0.05").interval)
    ('significant', None)
    """
    if p.below(alpha):
        return "significant"
    if p.above(alpha):
        return "not significant"
    return None


def mentions_verdict(mentions: Sequence[tuple[str, str]], *, is_p: bool = False, alpha: float = ALPHA) -> str:
    """Whether every place that prints one quantity prints a compatible value.

    *mentions* are ``(location, printed text)`` pairs.  ``consistent`` when one value fits every
    printed interval; ``gross`` when they are p-values on opposite sides of *alpha* (the source
    contradicts its own conclusion); ``inconsistent`` otherwise.

    >>> mentions_verdict([("Abstract", "71.4%"), ("Table 2", "71.6%")])
    'inconsistent'
    >>> mentions_verdict([("Results", "p = 0.04"), ("Discussion", "p = 0.26")], is_p=True)
    'gross'
    """
    if len(mentions) < 2:
        raise ValueError("a cross-location comparison needs at least two mentions")
    parse = parse_p if is_p else (lambda t: parse_value(t, lower_bound=None))
    ivs = [parse(text).interval for _, text in mentions]
    common = ivs[0]
    for iv in ivs[1:]:
        if not common.overlaps(iv):
            sides = {side_of_alpha(i, alpha) for i in ivs} - {None}
            return "gross" if is_p and len(sides) == 2 else "inconsistent"
        common = common.intersection(iv)
    return "consistent"
