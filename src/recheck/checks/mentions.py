"""A number printed in several places: do the places agree?

Every keyed quantity (:func:`recheck.extract.mentions`) printed in two or more places is
compared component by component (the estimate, each CI limit, the p…), each as the
interval its rounding allows: the places agree when the intervals share a point
(:func:`recheck.judge.mentions_verdict`).  Two p-values on opposite sides of α make the
disagreement *gross* — the source contradicts its own conclusion.  Words are compared
after normalising numerals and dashes; where two wordings differ, a reading in
``readings.csv`` says whether they mean the same, and otherwise they are *inconsistent*.
Approximate mentions ("approximately five years") are listed, not judged.

:func:`mentions_map` works on any frame of mentions; :func:`findings` applies it to a paper.
"""

from __future__ import annotations

import math

import pandas as pd

from ..extract import mentions, normalise_text
from ..judge import ALPHA, mentions_verdict, worst
from ..paper import Paper
from ..render import register
from ..reported import ParseError, parse_count, parse_p, parse_value
from ._base import interval_bounds, slug, to_findings
from .readings import reading

__all__ = ["agreement_sharpness", "compare_mentions", "mentions_map", "findings"]

COMPONENT_NAMES = {"ci_low": "lower CI limit", "ci_high": "upper CI limit", "p": "p",
                   "estimate": "estimate", "percent": "percentage", "count": "count",
                   "denominator": "denominator", "median": "median", "rate": "rate", "n": "n",
                   "events": "events", "mean": "mean", "sd": "SD", "min": "minimum",
                   "max": "maximum", "value": "value", "text": "wording"}


EXACT_COMPONENTS = ("count", "n", "events", "denominator")
"""Components that are whole numbers of patients or events: printed exactly, not rounded."""

PERCENT_COMPONENTS = ("percent", "rate")
"""Components printed as percentages: their possible values span 0–100."""


def agreement_sharpness(component: str, lows: list[float], highs: list[float]) -> float:
    """The share of a component's possible values that an agreement check of these printings accepts.

    Two printings agree when their rounding intervals share a point, so a second printing
    passes if it lies within the sum of the two widths: the two widest intervals, as a
    share of the values the component can take (a p: 0–1; a percentage: 0–100; anything
    else, an HR or a median in months: the decade it is printed in, 0–1 for 0.92 and
    0–100 for 24.7, since a misprint seldom changes a number's order of magnitude). Whole
    counts and words are compared exactly (0).

    >>> agreement_sharpness("p", [0.815, 0.795], [0.825, 0.805])
    0.02
    >>> agreement_sharpness("p", [0.05, 0.895], [1.0, 0.905])  # "> 0.05" accepts almost any p
    0.96
    >>> agreement_sharpness("estimate", [0.915, 0.915], [0.925, 0.925])
    0.02
    >>> agreement_sharpness("min", [2.5, 2.5], [3.5, 3.5])
    0.2
    """
    if component == "text" or component in EXACT_COMPONENTS:
        return 0.0
    widths = sorted((h - lo if h == h and lo == lo else math.inf) for lo, h in zip(lows, highs))
    accepted = sum(widths[-2:])
    if component == "p":
        span = 1.0
    elif component in PERCENT_COMPONENTS:
        span = 100.0
    else:
        top = max((abs(h) for h in highs if h == h), default=0.0)
        span = 10.0 ** math.ceil(math.log10(top)) if top > 0 else 0.0
    if accepted == 0:
        return 0.0
    return min(1.0, round(accepted / span, 12)) if span > 0 else 1.0


def compare_mentions(printed: list[tuple[str, str]], component: str, *, alpha: float = ALPHA
                     ) -> dict:
    """Judge one component printed at several places: ``[(location, text), ...]``.

    Returns ``verdict`` (``consistent``, ``inconsistent`` or ``gross``), ``low``/``high``
    (the hull of the printed intervals), ``common`` (whether one value fits them all) and
    ``sharpness`` (:func:`agreement_sharpness`) and ``widest`` (the loosest printing,
    ``(location, text)``).

    >>> compare_mentions([("Abstract", "71.4"), ("Table 2", "71.6")], "percent")["verdict"]
    'inconsistent'
    >>> compare_mentions([("Results", "0.04"), ("Discussion", "0.26")], "p")["verdict"]
    'gross'
    """
    if component == "text":
        same = len({normalise_text(t) for _, t in printed}) == 1
        return {"verdict": "consistent" if same else "inconsistent", "low": float("nan"),
                "high": float("nan"), "common": same, "sharpness": 0.0}
    is_p = component == "p"
    verdict = mentions_verdict(printed, is_p=is_p, alpha=alpha)
    if component in EXACT_COMPONENTS and verdict == "consistent":
        try:  # whole numbers of patients are exact: 54 and 55 do not agree "within rounding"
            if len({parse_count(t) for _, t in printed}) > 1:
                verdict = "inconsistent"
        except ParseError:
            pass  # not a whole number as printed: compared as a rounded value
    parse = parse_p if is_p else (lambda t: parse_value(t, lower_bound=None))
    ivs = [parse(t).interval for _, t in printed]
    lows = [interval_bounds(iv)[0] for iv in ivs]
    highs = [interval_bounds(iv)[1] for iv in ivs]
    widest = max(range(len(ivs)), key=lambda i: highs[i] - lows[i] if highs[i] == highs[i] else math.inf)
    return {"verdict": verdict, "low": min(lows), "high": max(highs), "common": verdict == "consistent",
            "sharpness": agreement_sharpness(component, lows, highs), "widest": printed[widest]}


def mentions_map(frame: pd.DataFrame, *, alpha: float = ALPHA) -> pd.DataFrame:
    """One row per key printed in two or more places, judged component by component.

    *frame* has the columns of :func:`recheck.extract.mentions`.  Returns ``key``,
    ``locations``, ``printed`` (one string per distinct printing), ``components`` (those
    printed in two or more places), ``bad`` (the components that disagree), ``verdict``,
    ``reported_low``/``reported_high`` (the hull of the worst component's intervals),
    ``sharpness`` (the loosest component's: every component must be compared sharply for
    the places to be shown to agree) and ``approximate`` (approximate mentions, listed, not judged).
    """
    rows = []
    for key, m in frame.groupby("key", sort=False):
        exact, approx = m[~m["approximate"]], m[m["approximate"]]
        if (exact["component"] == "text").any():
            # Words somewhere: compare every mention's whole printed phrase as words.
            exact = exact.drop_duplicates(["location", "text"]).assign(component="text",
                                                                        printed=lambda d: d["text"])
        judged, per = [], {}
        for comp, c in exact.groupby("component", sort=False):
            if len(c) < 2:
                continue
            per[comp] = compare_mentions(list(zip(c["location"], c["printed"])), comp, alpha=alpha)
            judged.append(comp)
        if not judged:
            continue  # each place prints a different part of the quantity
        verdict = worst([r["verdict"] for r in per.values()])
        bad = [c for c in judged if per[c]["verdict"] != "consistent"]
        focus = per[bad[0]] if bad else per[judged[0]]
        rows.append(dict(key=key, locations=list(dict.fromkeys(exact["location"])),
                         mentions=exact, components=judged, bad=bad, per=per, verdict=verdict,
                         reported_low=focus["low"], reported_high=focus["high"],
                         sharpness=max(r["sharpness"] for r in per.values()),
                         approximate=list(zip(approx["location"], approx["printed"]))))
    return pd.DataFrame(rows, columns=["key", "locations", "mentions", "components", "bad", "per",
                                       "verdict", "reported_low", "reported_high", "sharpness",
                                       "approximate"])


register("cross-location",
         recomputed="{agreement}",
         consistent="{places} print values that agree within rounding.{approx}",
         plausible="{places} print values that agree within rounding, but {loosest}, which would agree with "
                   "{sharpness:pct} of the values it could take, so the agreement confirms little.{approx}",
         inconsistent="{disagreement}; they cannot all be right, even allowing for rounding.{approx}",
         gross="{disagreement}: one p is below {alpha} and another is not, so the source "
               "contradicts its own conclusion.{approx}")
register("cross-location:text",
         recomputed="{agreement}",
         consistent="{places} say the same thing, in different words or numerals.{approx}",
         inconsistent="The places word it differently: {disagreement}.{approx}")
register("cross-location:reading", recomputed="{agreement}; read as {verdict}", **{"*": "{reason}"})


def _printed_list(m: pd.DataFrame, comp: str) -> str:
    c = m[m["component"] == comp]
    return "; ".join(f"{t} in {loc}" for loc, t in zip(c["location"], c["printed"]))


def _fields(paper: Paper, r) -> dict:
    m = r.mentions
    n = len(r.locations)
    k = len(m.drop_duplicates(["location", "printed"]))
    noun = "places" if k == n else "mentions"
    places = f"Both {noun}" if k == 2 else f"All {k} {noun}"
    text_only = r.components == ["text"]
    disagreement = "; ".join(
        f"the {COMPONENT_NAMES.get(c, c)} is printed as {_printed_list(m, c)}" for c in r.bad)
    disagreement = disagreement[:1].upper() + disagreement[1:]
    approx = ("" if not r.approximate else " The text also describes it approximately ("
              + "; ".join(f"“{t}” in {loc}" for loc, t in r.approximate) + "), which is not judged.")
    shown = "; ".join(dict.fromkeys(m["printed"]))
    agreement = "; ".join(f"{COMPONENT_NAMES.get(c, c)}: " + (("same" if r.per[c]["verdict"] == "consistent" else "differs")
                          if c == "text" else r.per[c]["verdict"]) for c in r.components)
    loose = max(r.components, key=lambda c: r.per[c]["sharpness"])
    if loose != "text":
        where, text = r.per[loose]["widest"]
        loosest = f"the {COMPONENT_NAMES.get(loose, loose)} is printed as {text} ({where})"
    else:
        loosest = ""
    reported_what = m[m["file"] == "reported.csv"]["what"]
    what = reported_what.iloc[0] if len(reported_what) else m["what"].iloc[0]
    verdict, template, reason = r.verdict, ("text" if text_only else ""), ""
    if text_only and verdict != "consistent":
        read = reading(paper, "cross-location", r.key)
        if read is not None:
            verdict, reason = read
            template = "reading"
    issue = f"{paper.id}:{r.key}" if verdict != "consistent" else ""
    return dict(slug=f"cross.{slug(r.key)}", location="; ".join(r.locations),
                quantity=f"{what}: printed in {n} place{'s' if n > 1 else ''}", reported=shown, check="cross-location",
                verdict=verdict, template=template, reason=reason, places=places,
                disagreement=disagreement, approx=approx, agreement=agreement, alpha=paper.alpha, loosest=loosest,
                reported_low=r.reported_low, reported_high=r.reported_high, sharpness=r.sharpness, issue=issue)


def findings(paper: Paper) -> list:
    """Every quantity the paper prints in more than one place."""
    frame = mentions_map(mentions(paper), alpha=paper.alpha)
    return to_findings(paper.id, (_fields(paper, r) for r in frame.itertuples()))
