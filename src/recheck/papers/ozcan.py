"""Ozcan et al. (Breast J 2025): the analyses no check family covers, and the synthetic cohort.

* **The disputed p** — recurrent vs de novo within HER2-low is printed as p = 0.04 (Results)
  and p = 0.26 (Discussion): :func:`dispute_summary` asks which value reconstructions from the
  printed sizes and medians favour (the density ratio of the two printed values).
* **HER2 IHC 0 vs 1+ vs 2+** — the text does not print how the HER2-low patients split into
  1+ and 2+, so :func:`ihc_simulation` simulates the three-group log-rank p for every split.
* :func:`reconstruct` — 212 synthetic patients.

Everything printed is read from ``data/ozcan/``; only model choices (a seed, the number of
replicates) are set here.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from ..checks._base import to_findings
from ..checks.survival import (CENSORING, PLAUSIBLE_QUANTILES, censoring_depends, censoring_window, comparisons,
                               follow_up_window)
from ..checks.tables import implied_counts
from ..data import DataError
from ..extract import printed, split_keys
from ..cache import cached_frame
from ..paper import Paper
from ..reconstruct import categorical_margins, write_cohort
from ..render import register
from ..reported import parse_count, parse_p, parse_value
from ..survival import GroupSummary, draw_with_median, logrank_p_distribution

__all__ = ["DISPUTE", "IHC", "findings", "dispute_simulation", "dispute_summary", "ihc_simulation",
           "response_counts", "reconstruct"]

DISPUTE = "pfs-p:recurrent-vs-denovo:her2-low"
IHC = "pfs-p:ihc0-vs-1plus-vs-2plus"
DISPUTE_REPS, IHC_REPS = 20_000, 500
IHC_STEP = 8
"""The IHC simulation tries every 1+/2+ split of HER2-low from 10 patients on, in steps of this."""
DECISIVE_RATIO = 3.0
"""A density ratio beyond 3 (either way) is taken to favour one printed p over the other."""

register("logrank-simulation:dispute",
         recomputed="{share_sig:pct} of {reps:,} reconstructions give p < 0.05; density at p = {second} is "
                    "{ratio:n1}× that at p = {first}",
         not_checkable="Both printed values are ordinary outcomes of data with these group sizes and "
                       "medians (density ratio {ratio:n1}; {share_sig:pct} of reconstructions give p < 0.05): "
                       "the printed medians cannot decide which p the authors computed; only the patient "
                       "data can.",
         implausible="Reconstructions land near p = {favoured} {odds:n1} times as often as near p = {other}; "
                     "{share_sig:pct} give p < 0.05.")
register("logrank-simulation:ihc",
         recomputed="simulated p over {n_splits} possible 1+/2+ splits: medians {med_low:n}–{med_high:n}",
         consistent="Whatever the split of the HER2-low patients into IHC 1+ and 2+ (not printed), three "
                    "groups with these medians give log-rank p-values like the printed {printed}.",
         plausible="Whatever the split of the HER2-low patients into IHC 1+ and 2+ (not printed), three groups "
                   "with these medians give log-rank p anywhere from {accept_low:p} to {accept_high:p} (99% "
                   "ranges over {n_splits} splits{windows}); the printed {printed} is inside them for {n_in} "
                   "of the {n_splits} splits. Possible, but ranges covering {sharpness:pct} of all p-values cannot confirm it.",
         implausible="For every one of the {n_splits} possible 1+/2+ splits{windows}, the printed p lies "
                     "outside the central 99% of simulated p-values.")


# --- the disputed p ---------------------------------------------------------------------

def _comparison(paper: Paper, key: str) -> dict:
    c = next((c for c in comparisons(paper) if c["key"] == key and c["groups"]), None)
    if c is None:
        raise DataError(paper.path("survival.csv"), None, "key", f"no comparison with sizes and medians for {key!r}")
    return c


@cached_frame
def dispute_simulation(paper: Paper) -> pd.DataFrame:
    """Log-rank p over 20,000 reconstructions of the disputed comparison (censoring as in
    :func:`recheck.checks.survival.follow_up_window`)."""
    c = _comparison(paper, DISPUTE)
    return logrank_p_distribution(c["groups"], reps=DISPUTE_REPS, seed=paper.seed,
                                  follow_up=(0.0, follow_up_window(paper)))


def dispute_summary(paper: Paper) -> pd.DataFrame:
    """For each printed p of the disputed comparison: the share of reconstructions in its rounding
    interval (both are 0.01 wide, so the ratio of shares is the ratio of densities)."""
    p = dispute_simulation(paper)["p"].to_numpy()
    rows = []
    for c in (c for c in comparisons(paper) if c["key"] == DISPUTE):
        iv = parse_p(c["p"]).interval
        inside = (p >= float(iv.low)) & (p <= float(iv.high))
        rows.append(dict(location=c["location"], printed=c["p"], share_in_interval=float(inside.mean()),
                         share_at_or_below=float((p <= float(iv.high)).mean())))
    out = pd.DataFrame(rows)
    first, second = out["share_in_interval"].iloc[:2]
    out.attrs.update(reps=len(p), share_significant=float((p < 0.05).mean()), median_p=float(np.median(p)),
                     density_ratio=float(second / first) if first else float("inf"))
    return out


def _dispute_rows(paper: Paper) -> list[dict]:
    d = dispute_summary(paper)
    a, b = d.iloc[0], d.iloc[1]
    ratio = d.attrs["density_ratio"]
    even = 1 / DECISIVE_RATIO <= ratio <= DECISIVE_RATIO
    fav, oth = (b, a) if ratio > 1 else (a, b)
    return [dict(slug="dispute.recurrent-vs-denovo-her2-low", location=f"{a['location']}; {b['location']}",
                 quantity="PFS log-rank p, recurrent vs de novo within HER2-low",
                 reported=f"p = {a['printed']} ({a['location']}); p = {b['printed']} ({b['location']})",
                 check="logrank-simulation", template="dispute", verdict="not-checkable" if even else "implausible",
                 share_sig=d.attrs["share_significant"], reps=d.attrs["reps"], ratio=ratio, odds=max(ratio, 1 / ratio),
                 first=a["printed"], second=b["printed"], favoured=f"{fav['printed']} ({fav['location']})",
                 other=f"{oth['printed']} ({oth['location']})", issue=f"{paper.id}:{DISPUTE}")]


# --- HER2 IHC 0 vs 1+ vs 2+ -----------------------------------------------------------------

@cached_frame
def ihc_simulation(paper: Paper, censoring: str = "events") -> pd.DataFrame:
    """Three-group log-rank p for HER2-low splits into IHC 1+/2+ from 10/n−10 to n−10/10, censored
    over the window of *censoring* (:data:`recheck.checks.survival.CENSORING`)."""
    c = next(c for c in comparisons(paper) if c["key"] == IHC)
    surv = paper.read("survival.csv")
    rows = surv[(surv["comparison"] == c["comparison"]) & (surv["location"] == c["location"])]
    zero = rows[rows["n"] != ""].iloc[0]
    others = rows[rows["n"] == ""]
    n_low = parse_count(printed(paper, "n:her2-low", "count"))
    med = [float(parse_value(m).value) for m in others["median"]]
    window = (0.0, censoring_window(paper, censoring))
    frames = []
    for i, n1 in enumerate(range(10, n_low - 9, IHC_STEP)):
        groups = [GroupSummary(zero["group"], parse_count(zero["n"]), float(parse_value(zero["median"]).value)),
                  GroupSummary(others["group"].iloc[0], n1, med[0]),
                  GroupSummary(others["group"].iloc[1], n_low - n1, med[1])]
        sim = logrank_p_distribution(groups, reps=IHC_REPS, seed=paper.seed + 100 + i, follow_up=window)
        frames.append(pd.DataFrame({"n_1plus": n1, "p": sim["p"]}))
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update(printed=c["p"], location=c["location"])
    return out


def _ihc_rows(paper: Paper) -> list[dict]:
    """The split of HER2-low into 1+ and 2+ is not printed, and neither is how patients were
    censored: the printed p is implausible only if it lies outside the central 99% of simulated
    p-values for every split under every censoring window the paper's numbers allow."""
    windows = [c for c in CENSORING if c == "events" or paper.survival.get("follow_up")]
    sims = [ihc_simulation(paper, c) for c in windows]
    sim = sims[0]
    rep = parse_p(sim.attrs["printed"]).interval
    p_lo, p_hi = (float(x) for x in (rep.low, rep.high))
    spans = []
    for s in sims:
        by = s.groupby("n_1plus")["p"]
        spans.append(pd.DataFrame({"low": by.quantile(PLAUSIBLE_QUANTILES[0]), "high": by.quantile(PLAUSIBLE_QUANTILES[1])}))
    inside = np.logical_or.reduce([(p_hi >= t["low"]) & (p_lo <= t["high"]) for t in spans])   # per split
    acc_lo, acc_hi = min(float(t["low"].min()) for t in spans), max(float(t["high"].max()) for t in spans)
    by = sim.groupby("n_1plus")["p"]
    return [dict(slug="logrank-sim.ihc-3-groups", location=sim.attrs["location"],
                 quantity="PFS log-rank p, HER2 IHC 0 vs 1+ vs 2+", reported=f"p = {sim.attrs['printed']}",
                 check="logrank-simulation", template="ihc", verdict="consistent" if inside.any() else "implausible",
                 printed=sim.attrs["printed"], n_splits=len(inside), n_in=int(inside.sum()),
                 windows=" and both censoring windows" if len(windows) > 1 else "",
                 med_low=float(by.median().min()), med_high=float(by.median().max()),
                 recomputed_low=float(spans[0]["low"].min()), recomputed_high=float(spans[0]["high"].max()),
                 reported_low=p_lo, reported_high=p_hi, accept_low=acc_lo, accept_high=acc_hi,
                 sharpness=acc_hi - acc_lo, issue=f"{paper.id}:{IHC}",
                 depends_on=censoring_depends(paper, events_printed=False)
                            + f"; the 1+/2+ split, which the paper does not print, is every split in steps of {IHC_STEP}")]


def findings(paper: Paper, context: dict) -> list:
    """The disputed p and the IHC comparison."""
    return to_findings(paper.id, _dispute_rows(paper) + _ihc_rows(paper))


# --- the synthetic cohort -------------------------------------------------------------------

def response_counts(paper: Paper) -> dict[tuple[str, str], tuple[int, int]]:
    """(comparison, group) → (responders, n) of ``proportions.csv``: the one count every printing
    of the percentage allows (a printing no count gives is a typo and is set aside)."""
    out, df = {}, paper.read("proportions.csv")
    for line, r in zip(df.attrs["lines"], df.to_dict("records")):
        n = parse_count(r["n"])
        key = next(k for col, k in split_keys(r["key"]) if col == "percent")
        allowed = implied_counts(paper, key, r["percent"], n)
        if len(allowed) != 1:
            raise DataError(paper.path("proportions.csv"), line, "percent", f"{key}: counts {allowed}")
        out[(r["comparison"], r["group"])] = (allowed[0], n)
    return out


def _km_median_1d(t: np.ndarray, e: np.ndarray, steps: np.ndarray) -> float:
    """The KM median of one small sample, as :func:`recheck.survival.km_medians` computes it
    (*steps*: log(1 − 1/at-risk) for at-risk n, n − 1, …, precomputed for speed)."""
    o = t.argsort(kind="stable")
    below = np.exp(np.where(e[o], steps, 0.0).cumsum()) <= 0.5
    k = below.argmax()
    return float(t[o[k]]) if below[k] else np.inf


def _fit_subgroup_medians(masks: list[np.ndarray], goals: np.ndarray, t: np.ndarray, e: np.ndarray,
                          tol: float, rng: np.random.Generator, moves: int = 200_000):
    """Move times between patients until every subgroup's KM median is within *tol* of its goal.

    A seeded hill climb over two moves: swap the (time, event) pairs of two patients, or
    stretch one patient's time by a few per cent; a move is kept when it does not increase the
    total distance of the medians from their goals beyond *tol*.  Only the subgroups a move
    touches are re-evaluated.  Events move with their patients, so their number never changes.
    """
    n = len(t)
    at_risk = np.arange(n, 0, -1, dtype=float)
    with np.errstate(divide="ignore"):
        steps = np.log(at_risk - 1) - np.log(at_risk)
    member = np.array(masks).T                       # (patient, subgroup)
    idx = [np.flatnonzero(m) for m in masks]
    t, e = t.copy(), e.copy()

    step_of = [steps[-len(ix):] for ix in idx]

    def dist(k):
        m = _km_median_1d(t[idx[k]], e[idx[k]], step_of[k])
        return max(abs((m if np.isfinite(m) else 1e3) - goals[k]) - tol, 0.0)

    cur = np.array([dist(k) for k in range(len(masks))])
    for _ in range(moves):
        if cur.sum() == 0:
            break
        i, j = rng.integers(n), rng.integers(n)
        swap = rng.random() < 0.5
        old = t[i], t[j], e[i], e[j]
        if swap:
            t[i], t[j], e[i], e[j] = t[j], t[i], e[j], e[i]
            touched = np.flatnonzero(member[i] != member[j])
        else:
            t[i] *= np.exp(rng.normal(0, 0.03))
            touched = np.flatnonzero(member[i])
        new = np.array([dist(k) for k in touched])
        if new.sum() <= cur[touched].sum():
            cur[touched] = new
        else:
            t[i], t[j], e[i], e[j] = old
    return t, e


def reconstruct(paper: Paper) -> list:
    """Write ``reconstructed/cohort.csv``: synthetic patients with Table 1's counts by group,
    best responses giving the printed ORR and DCR, PFS with the printed events and every
    Table 2 median within rounding, and the printed deaths among those who progressed."""
    spec = paper.reconstruction
    rng = np.random.default_rng(paper.seed)
    cat = paper.read("categorical.csv")
    events_total = parse_count(printed(paper, "pfs-events:overall", "events"))
    n_total = parse_count(printed(paper, "pfs-events:overall", "n"))
    deaths = parse_count(printed(paper, "os-deaths:n", "count"))
    follow = float(parse_value(printed(paper, "followup-median")).value)
    surv = paper.read("survival.csv")
    t2 = surv[surv["location"] == "Table 2"]
    subgroups = spec["subgroups"]
    groups = list(dict.fromkeys(cat["group"]))
    lam_b = {g: np.log(2) / float(parse_value(t2[(t2["group"] == g) & ~t2["comparison"].isin(subgroups)]["median"].iloc[0]).value)
             * 2 * follow for g in groups}
    share = {g: 1 - (1 - np.exp(-lam_b[g])) / lam_b[g] for g in groups}
    sizes = {g: int(sum(parse_count(k) for k in cat[(cat["group"] == g) & (cat["variable"] == cat["variable"].iloc[0])]["count"]))
             for g in groups}
    expected = {g: sizes[g] * share[g] for g in groups}
    first = int(round(events_total * expected[groups[0]] / sum(expected.values())))
    events = {groups[0]: first, groups[1]: events_total - first}
    frames = []
    for g in groups:
        rows = cat[cat["group"] == g]
        margins = {v: [(c, parse_count(k)) for c, k in zip(r["category"], r["count"])]
                   for v, r in rows.groupby("variable", sort=False)}
        df = categorical_margins(margins, sizes[g], rng, spec.get("nested"))
        df.insert(0, spec["group"], g)
        counts = {comp: k for (comp, grp), (k, _) in response_counts(paper).items() if grp == g}
        df["best_response"] = rng.permutation(np.repeat(["CR/PR", "SD", "PD"], [counts["ORR"], counts["DCR"] - counts["ORR"],
                                                                            sizes[g] - counts["DCR"]]))
        mine = t2[t2["group"] == g]
        goal_rows = [(None, float(parse_value(r["median"]).value)) if r["comparison"] not in subgroups else
                     ((subgroups[r["comparison"]]["variable"], subgroups[r["comparison"]]["category"]),
                      float(parse_value(r["median"]).value)) for r in mine.to_dict("records")]
        overall = next(m for v, m in goal_rows if v is None)
        t, e, _ = draw_with_median(sizes[g], events[g], overall, (0, 2 * follow), rng, drops=("late",), tries=1000)
        masks = [np.ones(sizes[g], bool) if v is None else (df[v[0]] == v[1]).to_numpy() for v, _ in goal_rows]
        t, e = _fit_subgroup_medians(masks, np.array([m for _, m in goal_rows]), t, e, 0.045, rng)
        df["pfs_months"], df["pfs_event"] = np.round(t, 6), e.astype(int)
        frames.append(df)
    cohort = pd.concat(frames, ignore_index=True)
    if len(cohort) != n_total:
        raise DataError(paper.path("categorical.csv"), None, "count", f"the groups hold {len(cohort)}, not {n_total}")
    cohort["os_death"] = 0
    cohort.loc[rng.choice(cohort.index[cohort["pfs_event"] == 1], deaths, replace=False), "os_death"] = 1
    cohort.insert(0, "patient", [f"S{i:03d}" for i in range(1, len(cohort) + 1)])
    return [write_cohort(paper, cohort, "reconstructed from the published aggregates of Ozcan et al. (Breast J "
                         "2025): Table 1 counts exact by HER2 group (variables independent within a group), best "
                         "response giving the printed ORR and DCR, PFS with the printed events and every Table 2 "
                         "median, deaths among the progressed.", float_format="%.6f")]
