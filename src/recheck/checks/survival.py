"""What printed survival summaries imply, checked against what else is printed.

No other tool in the field checks these.  From ``survival.csv`` and ``ratios.csv``:

* **log-rank plausibility** — for a two-group comparison printed with group sizes, medians
  and a p, thousands of datasets with exactly those sizes and medians (and events, where
  printed) are simulated (:func:`recheck.survival.logrank_p_distribution`) and the printed p
  is set against the spread of their log-rank p-values.  Without printed events the censoring
  window is the one that gives the paper's total events (``[survival] events``).  A printed
  p outside the central 99% is *implausible*; inside it, it is only plausible — the spread is
  wide, because medians pin a hazard ratio down only loosely.
* **HR from landmark rates** (``[[survival.ph]]``) — under proportional hazards
  S₁(t) = S₀(t)^HR, so HR = ln S₁/ln S₀ at any t, over the rounding box of the rates;
* **HR from medians** (``[[survival.exponential]]``) — under exponential survival in both
  groups HR = m₀/m₁;
* **events from a CI's width** (``[[survival.ci_events]]``) — Var(ln HR) ≈ 4/D for 1:1
  allocation, so a CI of width w on the log scale needs D ≈ (2·1.96·2/w)² events; more
  events than patients is impossible;
* **a median's CI width** — every printed median with its CI and group size is set against
  the widths that data with that size and median (and events, or the censoring window) give,
  with the CI made as the paper's software makes it (:data:`recheck.survival.MEDIAN_CI_CONVENTIONS`).  A width
  outside the central 99% is *implausible*; inside, only plausible: how steeply a curve falls
  at its median, which the width measures, is not printed.

``paper.toml``'s ``[survival]`` table says which comparisons to simulate (``logrank``:
``"all"`` or a list of ``"<endpoint>: <comparison>"``), how many replicates (``reps``), and
which comparisons a paper analysis checks itself (``skip``: their p keys).
"""

from __future__ import annotations

import math
import re
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..data import DataError
from ..extract import mentions, split_keys
from ..cache import cached_frame
from ..paper import Paper
from ..render import fmt_num, fmt_p, fmt_range, register, render_text
from ..reported import Interval, ParseError, parse_count, parse_estimate, parse_p, parse_value
from ..survival import GroupSummary, km_median_cis, logrank_p_distribution, median_ci_conventions, simulate_group
from ._base import interval_bounds, slug, to_findings

__all__ = ["PLAUSIBLE_QUANTILES", "WHOLE_CI", "CENSORING", "comparisons", "follow_up_window", "printed_follow_up",
           "censoring_window", "censoring_depends", "logrank_simulations",
           "ph_implied_hr", "median_implied_hr", "events_implied", "ph_predictions",
           "median_ci_widths", "findings"]

PLAUSIBLE_QUANTILES = (0.005, 0.995)
"""A printed p outside this central range of the simulated p-values is *implausible*."""
WHOLE_CI = 1.0
"""The sharpness of a check that accepts everything the trial's own data allow (an implied HR
anywhere in the printed CI; any event count up to the number of patients): not sharp."""
Z975 = float(stats.norm.isf(0.025))


def _number(text: str) -> float | None:
    try:
        return float(parse_value(text).value)
    except Exception:  # noqa: BLE001 - "NR", "not yet estimable": no number
        return None


def comparisons(paper: Paper) -> list[dict]:
    """Every group comparison of ``survival.csv`` with a printed p, in file order.

    Each: ``endpoint``, ``comparison``, ``location``, ``p`` (as printed), ``key`` (the p's key,
    else a slug of the comparison), ``groups`` (:class:`~recheck.survival.GroupSummary`, or
    None when a size or median is missing), ``missing`` (what is not printed).
    """
    surv = paper.read("survival.csv")
    out = []
    for (endpoint, comparison, location), rows in surv.groupby(["endpoint", "comparison", "location"], sort=False):
        if not rows["p"].iloc[0] or len(rows) < 2:
            continue
        keys = [k for cell in rows["key"] for col, k in split_keys(cell) if col == "p"]
        key = keys[0] if keys else slug(endpoint, comparison)
        missing = [what for what, col in (("group sizes", "n"), ("medians", "median"))
                   if not all(_number(x) is not None for x in rows[col])]
        groups = None
        if not missing:
            groups = [GroupSummary(g, parse_count(n), _number(m), parse_count(e) if e else None)
                      for g, n, m, e in zip(rows["group"], rows["n"], rows["median"], rows["events"])]
            if any(g.events is None for g in groups):
                groups = [GroupSummary(g.label, g.n, g.median) for g in groups]
        out.append(dict(endpoint=endpoint, comparison=comparison, location=location, p=rows["p"].iloc[0],
                        key=key, groups=groups, missing=missing))
    return out


def _selected(paper: Paper) -> list[dict]:
    spec = paper.survival.get("logrank", [])
    skip = set(paper.survival.get("skip", []))
    cs = [c for c in comparisons(paper) if c["key"] not in skip]
    if spec == "all":
        return cs
    wanted = set(spec)
    return [c for c in cs if f"{c['endpoint']}: {c['comparison']}" in wanted]


def follow_up_window(paper: Paper) -> float | None:
    """Upper end *b* of uniform censoring U(0, b) that gives the paper's total events.

    Exponential survival with each group's printed median (the comparison of ``[survival]
    window``); the expected share of patients with an event, 1 − (1 − e^{−λb})/(λb), averaged
    over the groups, is set to the printed events / n (``[survival] events``, a key).
    """
    events_key = paper.survival.get("events")
    if not events_key:
        return None
    m = mentions(paper)
    got = m[m["key"] == events_key].set_index("component")["printed"]
    if "events" not in got or "n" not in got:
        raise DataError(paper.path("paper.toml"), None, "survival.events",
                        f"{events_key!r} must print both n and events")
    share_target = parse_count(got["events"]) / parse_count(got["n"])
    window = next((c for c in comparisons(paper) if c["key"] == paper.survival.get("window")), None)
    if window is None or window["groups"] is None:
        raise DataError(paper.path("paper.toml"), None, "survival.window",
                        "names no comparison with printed sizes and medians")
    groups = [(g.n, g.median) for g in window["groups"]]

    def share(b: float) -> float:
        tot = sum(n * (1 - (1 - np.exp(-np.log(2) / med * b)) / (np.log(2) / med * b)) for n, med in groups)
        return tot / sum(n for n, _ in groups) - share_target

    return float(optimize.brentq(share, 1.0, 500.0))


def printed_follow_up(paper: Paper) -> tuple[str, float] | None:
    """The printed median follow-up of ``[survival] follow_up`` (a key), as printed and in months."""
    key = paper.survival.get("follow_up")
    if not key:
        return None
    from ..extract import printed
    text = printed(paper, key)
    try:
        return text, float(parse_value(text).value)
    except (ParseError, ValueError) as err:
        raise DataError(paper.path("paper.toml"), None, "survival.follow_up",
                        f"{key!r} prints {text!r}, not a median follow-up in months ({err})") from None


CENSORING = ("events", "follow-up")
"""The two censoring windows U(0, b) a simulation without printed group events may use:
``events``, the *b* that gives the paper's total events (:func:`follow_up_window`); and
``follow-up``, the *b* whose reverse-Kaplan–Meier median follow-up, b/2, is the printed one
(``[survival] follow_up``).  Exponential curves with the printed medians satisfy both only if
the paper's events, medians and follow-up fit one constant hazard; where they do not, a verdict
stands only if it stands under both."""


def censoring_window(paper: Paper, censoring: str = "events") -> float | None:
    """Upper end *b* of the censoring window of *censoring* (one of :data:`CENSORING`), months."""
    if censoring == "events":
        return follow_up_window(paper)
    if censoring == "follow-up":
        fu = printed_follow_up(paper)
        return None if fu is None else 2 * fu[1]
    raise ValueError(f"censoring {censoring!r}: one of {CENSORING}")


@cached_frame
def logrank_simulations(paper: Paper, censoring: str = "events") -> pd.DataFrame:
    """Simulated log-rank p of every selected comparison: one row per (key, replicate).

    The same comparison printed in several places is simulated once (by its key).  Comparisons
    without printed events are censored over the window of *censoring* (:data:`CENSORING`);
    with ``"follow-up"`` and no printed follow-up, only those with printed events are simulated.
    """
    reps = int(paper.survival.get("reps", 2000))
    window = censoring_window(paper, censoring)
    frames, seen = [], set()
    selected = {(c["key"], c["location"]) for c in _selected(paper)}
    for i, c in enumerate(comparisons(paper)):
        if c["key"] in seen or c["groups"] is None or (c["key"], c["location"]) not in selected:
            continue
        seen.add(c["key"])
        exact = all(g.events is not None for g in c["groups"])
        if not exact and window is None and censoring != "events":
            continue
        if not exact and window is None:
            raise DataError(paper.path("paper.toml"), None, "survival.events",
                            f"{c['comparison']}: no events printed, and no censoring window declared")
        sim = logrank_p_distribution(c["groups"], reps=reps, seed=paper.seed + i,
                                     follow_up=None if exact else (0.0, window))
        frames.append(sim.assign(key=c["key"], comparison=c["comparison"])[["key", "comparison", "p", "z"]])
    cols = ["key", "comparison", "p", "z"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def ph_implied_hr(s0: str, s1: str) -> Interval:
    """HR of group 1 vs group 0 implied by two printed t-year survival rates under PH.

    >>> iv = ph_implied_hr("82.1%", "83.5%")
    >>> round(float(iv.low), 3), round(float(iv.high), 3)
    (0.908, 0.92)
    """
    a, b = parse_value(s0, lower_bound=0).interval, parse_value(s1, lower_bound=0).interval
    # each rate on its own scale: "82.1%" beside "0.835" is one rate printed two ways
    scale0, scale1 = (100 if "%" in s else 1 for s in (s0, s1))
    a_lo, a_hi = float(a.low) / scale0, float(a.high) / scale0
    b_lo, b_hi = float(b.low) / scale1, float(b.high) / scale1
    if not (0 < a_lo and a_hi < 1 and 0 < b_lo and b_hi < 1):
        raise ValueError("survival rates must lie strictly between 0 and 1 (or 0% and 100%)")
    return Interval.hull([math.log(b_hi) / math.log(a_lo), math.log(b_lo) / math.log(a_hi)])


def _usable_rate(rate: str) -> bool:
    """Whether a rate implies an HR under PH (one rate against itself: an HR of 1)."""
    try:
        ph_implied_hr(rate, rate)
    except ValueError:
        return False
    return True


def median_implied_hr(m0: str, m1: str) -> Interval:
    """HR of group 1 vs group 0 if both were exponential: m₀/m₁ over the rounding box.

    >>> iv = median_implied_hr("29.1", "44.3"); round(float(iv.low), 3), round(float(iv.high), 3)
    (0.655, 0.659)
    """
    a, b = parse_value(m0).interval, parse_value(m1).interval
    return Interval.hull([float(a.low) / float(b.high), float(a.high) / float(b.low)])


def events_implied(low: str, high: str) -> tuple[float, float]:
    """Events a 95% CI of a log-scale ratio implies: D ≈ 4/SE² (1:1 allocation, HR near 1).

    >>> [round(x) for x in events_implied("0.59", "0.96")]
    [245, 275]
    """
    (l0, l1), (h0, h1) = interval_bounds(parse_value(low).interval), interval_bounds(parse_value(high).interval)
    se_min = (math.log(h0) - math.log(l1)) / (2 * Z975)
    se_max = (math.log(h1) - math.log(l0)) / (2 * Z975)
    return 4 / se_max ** 2, 4 / se_min ** 2



def _keyed_row(paper: Paper, name: str, key: str) -> dict:
    df = paper.read(name)
    hit = df[df["key"].map(lambda cell: key in [k for _, k in split_keys(cell)])]
    if hit.empty:
        raise DataError(paper.path(name), None, "key", f"no row with key {key!r}")
    return hit.iloc[0].to_dict()


def _months(text: str) -> float:
    """``"48 months"`` → 48.0, ``"5 years"`` → 60.0 (a landmark as the data print it)."""
    num, _, unit = text.strip().partition(" ")
    return float(num) * (12.0 if unit.startswith("year") else 1.0)


def ph_predictions(paper: Paper) -> pd.DataFrame:
    """What the printed numbers of each ``[[survival.ph]]`` declaration predict about one another at
    their landmark (shown beside the ``ph-implied-hr`` finding, whose verdict they do not change).

    * ``predicted rate (PH)`` — under proportional hazards S₁(t) = S₀(t)^HR, so the reference
      rate and the HR predict the other group's rate (``low``/``high``: over the HR's CI), and
      ``z (printed − PH)`` is the printed rate's distance from it in binomial SEs;
    * ``printed rate`` and ``binomial SE`` — √(S(1 − S)/n), a scale for sampling error (it ignores
      censoring, so it is a little too small);
    * ``exponential rate`` — 0.5^(t/m), what each group's median alone predicts under a constant
      hazard, and ``z (printed − exponential)`` in binomial SEs.

    Rates are proportions.  Columns: ``ratio``, ``landmark`` (months), ``measure``, ``group``,
    ``value``, ``low``, ``high``.
    """
    rows = []
    for d in paper.survival.get("ph", []):
        ratio = _keyed_row(paper, "ratios.csv", d["ratio"])
        r0, r1 = (_keyed_row(paper, "survival.csv", k) for k in d["rates"])
        t = _months(r0["rate_time"])
        s0, s1 = (float(parse_value(r["rate"]).value) / 100 for r in (r0, r1))
        hr, lo, hi = (float(parse_value(ratio[c]).value) for c in ("estimate", "ci_low", "ci_high"))
        base = dict(ratio=d["ratio"], landmark=t, low=math.nan, high=math.nan)
        rows.append(dict(base, measure="predicted rate (PH)", group=r1["group"], value=s0 ** hr, low=s0 ** hi, high=s0 ** lo))
        se1 = math.sqrt(s1 * (1 - s1) / parse_count(r1["n"])) if r1["n"] else math.nan
        rows.append(dict(base, measure="z (printed − PH)", group=r1["group"], value=(s1 - s0 ** hr) / se1))
        for r, s in ((r1, s1), (r0, s0)):
            se = math.sqrt(s * (1 - s) / parse_count(r["n"])) if r["n"] else math.nan
            exp_rate = 0.5 ** (t / float(parse_value(r["median"]).value)) if _number(r["median"]) else math.nan
            rows += [dict(base, measure="printed rate", group=r["group"], value=s),
                     dict(base, measure="binomial SE", group=r["group"], value=se),
                     dict(base, measure="exponential rate", group=r["group"], value=exp_rate),
                     dict(base, measure="z (printed − exponential)", group=r["group"], value=(s - exp_rate) / se)]
    return pd.DataFrame(rows, columns=["ratio", "landmark", "measure", "group", "value", "low", "high"])

register("logrank-simulation",
         recomputed="simulated p: median {sim_median:n}, 99% range {sim_low:p}–{sim_high:p}; p < 0.05 in {share_sig:pct}",
         consistent="Data with these group sizes and medians{with_events} give log-rank p-values like the "
                    "printed p = {printed} ({share_below:pct} of {reps:,} reconstructions are at or below it{dropped})."
                    "{censoring_note}",
         plausible="Data with these group sizes and medians{with_events} give log-rank p anywhere from "
                   "{sim_low:p} to {sim_high:p} (99% range; {share_below:pct} of {reps:,} reconstructions "
                   "are at or below the printed p = {printed}{dropped}). The printed p is possible, but "
                   "a range covering {sharpness:pct} of all p-values cannot confirm it: only the "
                   "patient data can.{censoring_note}",
         implausible="Reconstructions with these group sizes and medians{with_events} give p between "
                     "{sim_low:p} and {sim_high:p} (99% range); the printed p = {printed} lies outside."
                     "{censoring_note}")
register("logrank-simulation:missing", recomputed="",
         not_checkable="The paper does not print the {missing} of this comparison, so no "
                       "reconstruction can test its p.")
_WHOLE_CI = (" A check that accepts every HR in the CI can catch only what the trial's own data exclude, so "
             "it cannot confirm the HR.")
register("ph-implied-hr", recomputed="ln S₁/ln S₀ = {implied_text}",
         consistent="If the hazards are proportional, rates of {rate0} and {rate1} imply an HR of "
                    "{implied_text}, which the printed CI {ci} admits{near}.",
         plausible="If the hazards are proportional, rates of {rate0} and {rate1} imply an HR of "
                   "{implied_text}, which the printed CI {ci} admits{near}." + _WHOLE_CI,
         inconsistent="Rates of {rate0} and {rate1} imply an HR of {implied_text} under proportional "
                      "hazards, outside the printed CI {ci}: the rates and the model disagree more than "
                      "rounding allows.")
register("median-implied-hr", recomputed="m₀/m₁ = {implied_text}",
         consistent="If both groups' survival were exponential, the medians {median0} and {median1} would "
                    "imply an HR of {implied_text}, which the printed CI {ci} admits.",
         plausible="If both groups' survival were exponential, the medians {median0} and {median1} would "
                   "imply an HR of {implied_text}, which the printed CI {ci} admits." + _WHOLE_CI,
         inconsistent="If both groups' survival were exponential, the medians {median0} and {median1} "
                      "would imply an HR of {implied_text}, outside the printed CI {ci}: the curves are "
                      "not exponential, or the numbers disagree.")
register("events-from-ci", recomputed="D ≈ 4/SE² = {d_low:,.0f}–{d_high:,.0f} events",
         consistent="A CI this wide needs about {d_low:,.0f}–{d_high:,.0f} events (Var ln HR ≈ 4/D, 1:1 "
                    "allocation), {share:pct} of the {n:,} patients: possible.{events_note}",
         plausible="A CI this wide needs about {d_low:,.0f}–{d_high:,.0f} events (Var ln HR ≈ 4/D, 1:1 "
                   "allocation), {share:pct} of the {n:,} patients: possible. The check is a bound, which "
                   "only a CI too narrow for the trial's size fails, so passing it confirms little."
                   "{events_note}",
         inconsistent="A CI this wide needs about {d_low:,.0f}–{d_high:,.0f} events (Var ln HR ≈ 4/D), "
                      "more than the {n:,} patients: the CI is too narrow for the trial's size.{events_note}")


CENSORING_NOTE = (" Censored instead so that the median follow-up is the printed {follow_up} (uniform over "
                  "0–{window:n1} months), the 99% range is {low}–{high}: the printed {what} is {agree}.")
"""The sentence a simulated finding adds when the printed median follow-up sets a second window."""


def _censoring_note(paper: Paper, what: str, low: str, high: str, inside: bool, inside_alt: bool) -> str:
    agree = ("inside both ranges" if inside and inside_alt else "outside both ranges" if not (inside or inside_alt)
             else "inside only one of them, so its verdict rests on how patients were censored, which the paper "
                  "does not print")
    text = printed_follow_up(paper)[0]
    text = text if re.search(r"[a-z]", text) else f"{text} months"
    return render_text(CENSORING_NOTE, dict(follow_up=text, what=what, low=low, high=high,
                                            window=censoring_window(paper, "follow-up"), agree=agree))


def censoring_depends(paper: Paper, *, events_printed: bool, what: str = "medians") -> str:
    """The ``depends_on`` of a simulated finding: the model, and the censoring windows it used.

    >>> from types import SimpleNamespace as P
    >>> censoring_depends(P(survival={"follow_up": "fu"}), events_printed=False, what="median")
    'model: exponential survival with the printed median, censored uniformly over the window that gives the printed events or the one the printed median follow-up implies'
    """
    if events_printed:
        return f"model: exponential survival with the printed {what} and events"
    both = " or the one the printed median follow-up implies" if paper.survival.get("follow_up") else ""
    return (f"model: exponential survival with the printed {what}, censored uniformly over the window that "
            f"gives the printed events{both}")


def _logrank_rows(paper: Paper) -> list[dict]:
    rows = []
    sims = logrank_simulations(paper)
    alt_sims = logrank_simulations(paper, "follow-up") if paper.survival.get("follow_up") else None
    for c in _selected(paper):
        where = slug("logrank-sim", c["key"], c["location"])
        if c["groups"] is None:
            rows.append(dict(slug=slug("logrank-sim", c["comparison"][:40], c["location"]),
                             location=c["location"], quantity=f"{c['endpoint']} log-rank p, {c['comparison']}",
                             reported=f"p = {c['p']}", check="logrank-simulation", verdict="not-checkable",
                             template="missing", missing=" or the ".join(c["missing"])))
            continue
        s = sims[sims["key"] == c["key"]]["p"].to_numpy()
        rep = parse_p(c["p"])
        lo, hi = np.quantile(s, PLAUSIBLE_QUANTILES)
        inside = rep.interval.overlaps(Interval.hull([lo, hi]))
        p_lo, p_hi = interval_bounds(rep.interval)
        exact = all(g.events is not None for g in c["groups"])
        note, acc_lo, acc_hi, inside_any = "", float(lo), float(hi), inside
        if alt_sims is not None and not exact:
            a_lo, a_hi = np.quantile(alt_sims[alt_sims["key"] == c["key"]]["p"].to_numpy(), PLAUSIBLE_QUANTILES)
            inside_alt = rep.interval.overlaps(Interval.hull([a_lo, a_hi]))
            note = _censoring_note(paper, "p", fmt_p(a_lo), fmt_p(a_hi), inside, inside_alt)
            acc_lo, acc_hi, inside_any = min(acc_lo, float(a_lo)), max(acc_hi, float(a_hi)), inside or inside_alt
        rows.append(dict(slug=where, location=c["location"],
                         quantity=f"{c['endpoint']} log-rank p, {c['comparison']}",
                         reported=f"p = {c['p']}", check="logrank-simulation",
                         verdict="consistent" if inside_any else "implausible", printed=c["p"],
                         censoring_note=note, depends_on=censoring_depends(paper, events_printed=exact),
                         sim_median=float(np.median(s)), sim_low=float(lo), sim_high=float(hi),
                         share_sig=float(np.mean(s < 0.05)), share_below=float(np.mean(s <= p_hi)),
                         reps=len(s), with_events=" and deaths" if exact else "",
                         dropped=(f"; {int(paper.survival.get('reps', 2000)) - len(s):,} of the "
                                  f"{int(paper.survival.get('reps', 2000)):,} simulated never reached a median "
                                  "and were set aside") if len(s) < int(paper.survival.get("reps", 2000)) else "",
                         reported_low=p_lo, reported_high=p_hi, recomputed_low=float(lo),
                         recomputed_high=float(hi), accept_low=acc_lo, accept_high=acc_hi,
                         sharpness=acc_hi - acc_lo, issue=f"{paper.id}:{c['key']}"))
    return rows


def _row_of(paper: Paper, name: str, key: str) -> pd.Series:
    df = paper.read(name)
    hit = df[df["key"].map(lambda cell: key in [k for _, k in split_keys(cell)])]
    if hit.empty:
        raise DataError(paper.path("paper.toml"), None, "survival", f"no {name} row with key {key!r}")
    return hit.iloc[0]


def _ratio_with_ci(paper: Paper, key: str) -> pd.Series:
    """The ratios.csv row of *key*, which a survival check compares with its CI: all three printed."""
    r = _row_of(paper, "ratios.csv", key)
    for col in ("estimate", "ci_low", "ci_high"):
        if not r[col]:
            raise DataError(paper.path("ratios.csv"), paper.read("ratios.csv").attrs["lines"][r.name], col,
                            f"empty, but the survival checks of paper.toml compare {key!r} with its CI")
    return r


def _ci(r) -> tuple[Interval, str]:
    ci = Interval(parse_value(r["ci_low"]).interval.low, parse_value(r["ci_high"]).interval.high)
    return ci, f"{r['ci_low']}–{r['ci_high']}"


def _implied_rows(paper: Paper) -> list[dict]:
    rows = []
    for d in paper.survival.get("ph", []):
        r = _ratio_with_ci(paper, d["ratio"])
        rows0, rows1 = (_row_of(paper, "survival.csv", k) for k in d["rates"])
        rate0, rate1 = rows0["rate"], rows1["rate"]
        try:
            iv = ph_implied_hr(rate0, rate1)
        except ValueError as err:   # a rate of 0% or 100%, or none printed: no HR is implied
            lines = paper.read("survival.csv").attrs["lines"]
            bad = next((r for r in (rows0, rows1) if not _usable_rate(r["rate"])), rows0)
            raise DataError(paper.path("survival.csv"), lines[bad.name], "rate",
                            f"{bad['rate']!r} of survival.ph {d['ratio']!r}: {err}") from None
        ci, ci_text = _ci(r)
        est = parse_value(r["estimate"]).interval
        lo, hi = interval_bounds(iv)
        ok = ci.overlaps(iv)
        rows.append(dict(slug=f"ph-hr.{slug(d['ratio'])}", location=r["location"],
                         quantity=f"{r['endpoint']}: HR implied by the landmark rates",
                         reported=f"rates {rate0} vs {rate1}; HR {r['estimate']} ({ci_text})",
                         check="ph-implied-hr", verdict="consistent" if ok else "inconsistent",
                         rate0=rate0, rate1=rate1, ci=ci_text, implied_text=fmt_range(lo, hi, lambda x: fmt_num(x, 2)),
                         near=f"; it matches the printed {r['estimate']}" if iv.overlaps(est) else
                         f"; the printed {r['estimate']} is close, a gap that rounding and non-proportional "
                         "hazards easily explain",
                         reported_low=float(ci.low), reported_high=float(ci.high), recomputed_low=lo,
                         recomputed_high=hi, accept_low=float(ci.low), accept_high=float(ci.high),
                         sharpness=WHOLE_CI))
    for d in paper.survival.get("exponential", []):
        r = _ratio_with_ci(paper, d["ratio"])
        m0, m1 = (_row_of(paper, "survival.csv", k)["median"] for k in d["medians"])
        iv = median_implied_hr(m0, m1)
        ci, ci_text = _ci(r)
        lo, hi = interval_bounds(iv)
        ok = ci.overlaps(iv)
        rows.append(dict(slug=f"median-hr.{slug(d['ratio'])}", location=r["location"],
                         quantity=f"{r['endpoint']}: HR implied by the medians", reported=
                         f"medians {m0} vs {m1}; HR {r['estimate']} ({ci_text})", check="median-implied-hr",
                         verdict="consistent" if ok else "inconsistent", median0=m0, median1=m1, ci=ci_text,
                         implied_text=fmt_range(lo, hi, lambda x: fmt_num(x, 2)),
                         reported_low=float(ci.low), reported_high=float(ci.high), recomputed_low=lo,
                         recomputed_high=hi, accept_low=float(ci.low), accept_high=float(ci.high),
                         sharpness=WHOLE_CI))
    for d in paper.survival.get("ci_events", []):
        r = _ratio_with_ci(paper, d["ratio"])
        groups = [_row_of(paper, "survival.csv", k) for k in d["groups"]]
        for g in groups:
            if not g["n"]:   # the CI's width is read against the groups' sizes: they must be printed
                raise DataError(paper.path("survival.csv"), paper.read("survival.csv").attrs["lines"][g.name], "n",
                                f"empty, but survival.ci_events {d['ratio']!r} needs the size of {g['key']!r}")
        n = sum(parse_count(g["n"]) for g in groups)
        d_lo, d_hi = events_implied(r["ci_low"], r["ci_high"])
        printed_events = [(_row_of(paper, "survival.csv", k)["events"]) for k in d["groups"]]
        note = ""
        if all(printed_events):
            total = sum(parse_count(e) for e in printed_events)
            note = f" The paper prints {total:,} events."
        rows.append(dict(slug=f"events.{slug(d['ratio'])}", location=r["location"],
                         quantity=f"{r['endpoint']}: events implied by the CI width",
                         reported=f"HR {r['estimate']} ({r['ci_low']}–{r['ci_high']}); n = {n:,}",
                         check="events-from-ci", verdict="consistent" if d_hi <= n else "inconsistent",
                         d_low=d_lo, d_high=d_hi, n=n, share=(d_lo + d_hi) / 2 / n, events_note=note,
                         recomputed_low=d_lo, recomputed_high=d_hi, accept_low=0.0, accept_high=float(n),
                         # a bound: it accepts every event count the trial could have had
                         sharpness=WHOLE_CI))
    return rows


def median_ci_symmetry(median: str, ci: str) -> dict:
    """Whether a printed median and CI can be median ± h for one h, given their rounding.

    ``asymmetry`` is (upper − median) − (median − lower) as printed; the rounding of the three
    numbers allows ``tolerance`` (one unit of the last digit per number, two in all at equal
    decimals); ``sharpness`` is the share of the possible asymmetries (−width to +width) that
    the tolerance accepts.

    >>> r = median_ci_symmetry("13.9", "11.3–16.5"); (r["symmetric"], round(r["asymmetry"], 2))
    (True, 0.0)
    >>> r = median_ci_symmetry("14.9", "11.8–17.2"); (r["symmetric"], round(r["asymmetry"], 2))
    (False, -0.8)
    """
    m = parse_estimate(f"{median} ({ci})")
    if m.estimate is None or m.ci is None:
        raise ValueError(f"{median!r} ({ci!r}) is not a median with its CI")
    lo, hi = m.ci
    half = lambda r: (float(r.interval.high) - float(r.interval.low)) / 2
    tolerance = half(lo) + half(hi) + 2 * half(m.estimate)
    asym = float(hi.value) + float(lo.value) - 2 * float(m.estimate.value)
    width = float(hi.value) - float(lo.value)
    return dict(symmetric=abs(asym) <= tolerance * (1 + 1e-9), asymmetry=asym, tolerance=tolerance,
                sharpness=min(1.0, 2 * tolerance / (2 * width)) if width > 0 else 1.0)


register("median-ci-symmetry", recomputed="(upper − median) − (median − lower) = {asymmetry:n1}",
         consistent="{median} ({ci}) is symmetric within rounding, as {software} prints a Kaplan–Meier "
                    "median's CI (median ± 1.96 SE).",
         plausible="{median} ({ci}) is symmetric within rounding, but a CI this narrow for its rounding "
                   "would be symmetric almost whatever its limits: the check cannot confirm that it is "
                   "the median ± 1.96 SE {software} prints.",
         inconsistent="{median} ({ci}) is not symmetric: the CI reaches {below:n1} below the median and "
                      "{above:n1} above it, more than rounding allows (±{tolerance:n1}). {software} prints "
                      "a Kaplan–Meier median's CI as median ± 1.96 SE, so this CI came from another "
                      "computation, or one of its numbers is mistyped. No conclusion rests on it.")


def _median_ci_rows(paper: Paper) -> list[dict]:
    # only where the stated software prints median ± 1.96 SE, so that every CI is symmetric
    if median_ci_conventions(paper.software) != ("median ± 1.96 SE",):
        return []
    surv = paper.read("survival.csv")
    rows = []
    for line, r in zip(surv.attrs["lines"], surv.to_dict("records")):
        if not (r["median"] and r["median_ci"]):
            continue
        try:
            c = median_ci_symmetry(r["median"], r["median_ci"])
        except (ValueError, ParseError) as err:
            raise DataError(paper.path("survival.csv"), line, "median_ci", str(err)) from None
        m = float(parse_value(r["median"]).value)
        lo, hi = (float(x.value) for x in parse_estimate(r["median_ci"]).ci)
        rows.append(dict(slug=slug("median-ci", r["endpoint"], r["comparison"][:60], r["group"], r["location"]),
                         location=r["location"], quantity=f"{r['endpoint']} median CI, {r['group']} ({r['comparison']})",
                         reported=f"{r['median']} ({r['median_ci']})", check="median-ci-symmetry",
                         verdict="consistent" if c["symmetric"] else "inconsistent", same_conclusion=True,
                         median=r["median"], ci=r["median_ci"], software=paper.software, below=m - lo,
                         above=hi - m, asymmetry=c["asymmetry"], tolerance=c["tolerance"],
                         reported_low=c["asymmetry"], reported_high=c["asymmetry"],
                         accept_low=-c["tolerance"], accept_high=c["tolerance"], sharpness=c["sharpness"],
                         depends_on=f"software: the paper states {paper.software}"))
    return rows


def median_ci_widths(group: GroupSummary, conf_types: Sequence[str], *, reps: int, seed: int,
                     follow_up: tuple[float, float] | None) -> np.ndarray:
    """Widths of the median's CI, (upper − lower)/median, over *reps* simulated datasets of *group*.

    Each dataset has the group's size, its printed median exactly and its events (or censoring
    on *follow_up*) — :func:`recheck.survival.simulate_group`.  One column per convention in
    *conf_types*; ``inf`` where a limit is not reached.
    """
    rng = np.random.default_rng(seed)
    times, events = simulate_group(group, reps, rng, follow_up=follow_up)
    ok = np.isfinite(times).all(axis=1)
    cols = []
    for c in conf_types:
        med, lo, hi = km_median_cis(times[ok], events[ok], c).T
        cols.append((hi - lo) / med)
    return np.column_stack(cols)


register("median-ci-width",
         recomputed="(upper − lower)/median, 99% range {sim_low:n2}–{sim_high:n2} ({convention})",
         consistent="Data with {n:,} patients and this median{with_events} give a CI of relative width "
                    "{sim_low:n2}–{sim_high:n2} (99% range, {convention}); the printed {median} ({ci}) has "
                    "{printed_width:n2}.",
         plausible="Data with {n:,} patients and this median{with_events} give CIs of relative width "
                   "{sim_low:n2}–{sim_high:n2} (99% range of {reps:,} reconstructions, {convention}); the "
                   "printed {median} ({ci}) has {printed_width:n2}, {share_below:pct} of reconstructions "
                   "being narrower. Possible, but a range this wide cannot confirm it: the width measures "
                   "how steeply the curve falls at its median, which no printed number gives.{censoring_note}",
         implausible="Data with {n:,} patients and this median{with_events} give CIs of relative width "
                     "{sim_low:n2}–{sim_high:n2} (99% range of {reps:,} reconstructions, {convention}); the "
                     "printed {median} ({ci}) has {printed_width:n2}, {side} than any but "
                     "{share_beyond:pct} of them. Its curve would have to fall {steep} at the median than "
                     "an exponential one, or a number is mistyped. No conclusion rests on it.{censoring_note}")
register("median-ci-width:missing", recomputed="",
         not_checkable="The paper prints neither this group's events nor the total events that would set "
                       "its censoring, so no reconstruction can test the width of {median} ({ci}).")


def _width_range(widths: np.ndarray) -> tuple[float, float]:
    """Central 99% of simulated relative widths over every convention (NaN: a symmetric CI whose
    curve never reaches 0.45, so that it has no slope; ``inf``: a limit never reached)."""
    return (float(np.min(np.nanquantile(widths, PLAUSIBLE_QUANTILES[0], axis=0))),
            float(np.max(np.nanquantile(widths, PLAUSIBLE_QUANTILES[1], axis=0))))


def _median_width_rows(paper: Paper) -> list[dict]:
    surv = paper.read("survival.csv")
    conventions = median_ci_conventions(paper.software)
    label = " or ".join(conventions)
    windows: dict[str, float | None] = {}
    rows = []
    reps = int(paper.survival.get("reps", 2000))
    for i, (line, r) in enumerate(zip(surv.attrs["lines"], surv.to_dict("records"))):
        if not (r["median"] and r["median_ci"] and r["n"]):
            continue
        try:
            m = parse_estimate(f"{r['median']} ({r['median_ci']})")
            lo, hi = m.ci
        except (ValueError, ParseError, TypeError) as err:
            raise DataError(paper.path("survival.csv"), line, "median_ci",
                            f"{r['median_ci']!r} is not the two limits of {r['median']!r}'s CI ({err})") from None
        base = dict(slug=slug("median-ci-width", r["endpoint"], r["comparison"][:60], r["group"], r["location"]),
                    location=r["location"], quantity=f"{r['endpoint']} median CI width, {r['group']} ({r['comparison']})",
                    reported=f"{r['median']} ({r['median_ci']}); n = {r['n']}", check="median-ci-width",
                    median=r["median"], ci=r["median_ci"], same_conclusion=True)
        events = parse_count(r["events"]) if r["events"] else None
        if events is None and not windows:
            windows = {c: censoring_window(paper, c) if paper.survival.get("events") else None for c in CENSORING}
        if events is None and windows["events"] is None:
            rows.append(dict(base, verdict="not-checkable", template="missing"))
            continue
        group = GroupSummary(r["group"], parse_count(r["n"]), float(m.estimate.value), events)
        window = None if events is not None else (0.0, windows["events"])
        widths = median_ci_widths(group, conventions, reps=reps, seed=paper.seed + i, follow_up=window)
        q_lo, q_hi = _width_range(widths)
        w = widths[~np.isnan(widths)]
        (l0, l1), (h0, h1), (m0, m1) = (interval_bounds(x.interval) for x in (lo, hi, m.estimate))
        printed_lo, printed_hi = (h0 - l1) / m1, (h1 - l0) / m0
        inside = printed_hi >= q_lo and printed_lo <= q_hi
        acc_lo, acc_hi, inside_any, note = q_lo, q_hi, inside, ""
        if events is None and windows.get("follow-up") is not None:
            a_lo, a_hi = _width_range(median_ci_widths(group, conventions, reps=reps, seed=paper.seed + i,
                                                       follow_up=(0.0, windows["follow-up"])))
            inside_alt = printed_hi >= a_lo and printed_lo <= a_hi
            note = _censoring_note(paper, "width", fmt_num(a_lo, 2), fmt_num(a_hi, 2), inside, inside_alt)
            acc_lo, acc_hi, inside_any = min(q_lo, a_lo), max(q_hi, a_hi), inside or inside_alt
        narrow = printed_hi < acc_lo
        width = float(hi.value - lo.value) / float(m.estimate.value)
        rows.append(dict(base, verdict="consistent" if inside_any else "implausible", n=group.n,
                         with_events=f" and {events:,} events" if events is not None else
                         ", censored so as to give the paper's total events,",
                         convention=label, reps=len(w), printed_width=width, sim_low=q_lo, sim_high=q_hi,
                         share_below=float(np.mean(w < width)), censoring_note=note,
                         share_beyond=float(np.mean(w < printed_hi) if narrow else np.mean(w > printed_lo)),
                         side="narrower" if narrow else "wider", steep="more steeply" if narrow else "less steeply",
                         reported_low=printed_lo, reported_high=printed_hi, recomputed_low=q_lo, recomputed_high=q_hi,
                         accept_low=acc_lo, accept_high=acc_hi, sharpness=min(1.0, (acc_hi - acc_lo) / 2),
                         depends_on=censoring_depends(paper, events_printed=events is not None, what="median")
                                    + f"; software: the paper states {paper.software}"))
    return rows


def findings(paper: Paper) -> list:
    """Every survival implication the paper's declarations and summaries allow."""
    if not paper.has("survival.csv"):
        return []
    return to_findings(paper.id, _logrank_rows(paper) + _implied_rows(paper) + _median_ci_rows(paper)
                       + _median_width_rows(paper))
