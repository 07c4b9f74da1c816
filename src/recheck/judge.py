"""From recomputed values to verdicts.

The vocabulary (see the book's introduction):

``consistent``
    the printed value reproduces within rounding under the stated method;
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
``not-checkable``
    the source does not print what a check needs (the explanation says what).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .reported import Interval, Reported, parse_p, parse_value

__all__ = ["VERDICTS", "ALPHA", "FLAGS", "SEVERITY_ORDER", "worst", "Judgement", "judge_p",
           "judge_mentions", "side_of_alpha"]

VERDICTS = ("consistent", "variant", "inconsistent", "gross", "implausible", "not-checkable")
ALPHA = 0.05

SEVERITY_ORDER = ("gross", "inconsistent", "implausible", "variant", "not-checkable", "consistent")
"""Verdicts from most to least severe: the one order every table and dashboard sorts by."""

FLAGS = ("gross", "inconsistent", "implausible", "variant")
"""The verdicts that are flags (everything but *consistent* and *not-checkable*)."""


def worst(verdicts) -> str:
    """The most severe of *verdicts* (in :data:`SEVERITY_ORDER`).

    >>> worst(["consistent", "variant", "inconsistent"])
    'inconsistent'
    """
    rank = {v: i for i, v in enumerate(SEVERITY_ORDER)}
    return min(verdicts, key=rank.__getitem__)


@dataclass(frozen=True)
class Judgement:
    """A verdict, what reproduced it, and a sentence a clinician can read."""

    verdict: str
    recomputed: str
    explanation: str
    matching: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; use one of {VERDICTS}")


def side_of_alpha(p: Interval, alpha: float = ALPHA) -> str | None:
    """``"significant"`` / ``"not significant"`` when *p* is wholly on one side of alpha."""
    if p.below(alpha):
        return "significant"
    if p.above(alpha):
        return "not significant"
    return None


def _as_interval(x: float | Interval) -> Interval:
    return x if isinstance(x, Interval) else Interval.point(x)


def _fmt_p(x: float | Interval) -> str:
    if isinstance(x, Interval):
        lo, hi = float(x.low), float(x.high)
        if f"{lo:.2g}" == f"{hi:.2g}":
            return _fmt_p(lo)
        return f"{_fmt_p(lo)}–{_fmt_p(hi)}"
    return "<0.0001" if x < 1e-4 else f"{x:.3f}" if x < 0.1 else f"{x:.2f}"


def _printed_p(rep: Reported) -> str:
    """'p = 0.04', 'p < 0.001': the printed p with its relation."""
    return f"p {rep.relation} {rep.numeral}"


def judge_p(reported: str | Reported, recomputed: Mapping[str, float | Interval],
            stated: Sequence[str] = (), *, alpha: float = ALPHA) -> Judgement:
    """Judge a printed p against the p of every reasonable variant of its test.

    Parameters
    ----------
    reported
        The printed p (``"0.016"``, ``"p < 0.001"``).
    recomputed
        Variant name → recomputed p (a float from exact inputs, or an
        :class:`~recheck.reported.Interval` over the rounding box of rounded inputs).
    stated
        The variant(s) the source says it used; empty if it does not say.

    Examples
    --------
    >>> judge_p("0.04", {"Pearson χ²": 0.041, "Fisher's exact test": 0.06}, ["Pearson χ²"]).verdict
    'consistent'
    """
    rep = reported if isinstance(reported, Reported) else parse_p(reported)
    ivs = {name: _as_interval(p) for name, p in recomputed.items()}
    unknown = [s for s in stated if s not in ivs]
    if unknown:
        raise KeyError(f"stated variant(s) {unknown} not among {list(ivs)}")
    matching = tuple(name for name, iv in ivs.items() if iv.overlaps(rep.interval))
    stated_match = [m for m in matching if m in stated]
    primary = list(stated) or list(ivs)
    shown = "; ".join(f"{name}: {_fmt_p(recomputed[name])}" for name in ivs)
    if stated_match or (matching and not stated):
        which = (stated_match or list(matching))[0]
        return Judgement("consistent", shown,
                         f"The printed {_printed_p(rep)} reproduces with {which} "
                         f"(recomputed {_fmt_p(recomputed[which])}).", matching)
    if matching:
        return Judgement("variant", shown,
                         f"The printed {_printed_p(rep)} does not reproduce with the stated "
                         f"{' or '.join(stated)}, but does with {matching[0]} "
                         f"(recomputed {_fmt_p(recomputed[matching[0]])}).", matching)
    printed_side = side_of_alpha(rep.interval, alpha)
    flipped = printed_side is not None and all(
        side_of_alpha(ivs[name], alpha) not in (None, printed_side) for name in primary)
    closest = min(ivs, key=lambda nm: abs(float(ivs[nm].low) - float(rep.value)))
    if flipped:
        return Judgement("gross", shown,
                         f"The printed {_printed_p(rep)} is {printed_side} at {alpha}, but "
                         f"{closest} gives {_fmt_p(recomputed[closest])}, which is not; no "
                         "test variant reproduces the printed value.")
    same_side = printed_side is not None and all(
        side_of_alpha(ivs[name], alpha) == printed_side for name in primary)
    conclusion = (f"The conclusion at {alpha} does not change." if same_side else
                  f"Whether the conclusion at {alpha} changes cannot be decided from the "
                  "rounded inputs.")
    return Judgement("inconsistent", shown,
                     f"No test variant reproduces the printed {_printed_p(rep)}; the closest "
                     f"is {closest} ({_fmt_p(recomputed[closest])}). {conclusion}")


def judge_mentions(mentions: Sequence[tuple[str, str]], *, is_p: bool = False,
                   alpha: float = ALPHA) -> Judgement:
    """Judge whether every place that prints one quantity prints a compatible value.

    Parameters
    ----------
    mentions
        ``(location, printed text)`` pairs, e.g. ``[("Abstract", "71.4%"),
        ("Table 2", "71.6%")]``.
    is_p
        The quantity is a p-value: two mentions on opposite sides of 0.05 make the
        disagreement ``gross``.
    """
    if len(mentions) < 2:
        raise ValueError("a cross-location comparison needs at least two mentions")
    parse = parse_p if is_p else (lambda t: parse_value(t, lower_bound=None))
    reps = [(loc, parse(text)) for loc, text in mentions]
    shown = "; ".join(f"{loc}: {r.text}" for loc, r in reps)
    # Jointly compatible iff the largest lower end is below the smallest upper end.
    common = reps[0][1].interval
    compatible = True
    for _, r in reps[1:]:
        if not common.overlaps(r.interval):
            compatible = False
            break
        common = common.intersection(r.interval)
    if compatible:
        return Judgement("consistent", shown,
                         ("Both places print" if len(reps) == 2 else f"All {len(reps)} places print")
                         + " values that agree within rounding.")
    sides = {side_of_alpha(r.interval, alpha) for _, r in reps} - {None}
    distinct = sorted({r.text for _, r in reps}, key=lambda s: [loc for loc, r in reps if r.text == s][0])
    where = "; ".join(f"{r.text} in {loc}" for loc, r in reps)
    if is_p and len(sides) == 2:
        return Judgement("gross", shown,
                         f"The same comparison is printed as {where}: one value is significant at "
                         f"{alpha} and another is not, so the source contradicts its own conclusion.")
    return Judgement("inconsistent", shown,
                     f"The same quantity is printed as {where}; "
                     f"{' and '.join(distinct)} cannot both be right, even allowing for rounding.")

