"""PALLAS HER2-low (Nader-Marta et al., Breast Cancer Res 2024): the arm × HER2 interaction and the cohort.

* **The interaction p** — the Abstract prints p = 0.43 for treatment arm × HER2 status
  (iDFS), the Discussion the absolute 5-year benefits of palbociclib in each group.
  :func:`interaction_simulation` asks what interaction p trials with those rates and
  benefits give (each arm exponential, 1:1, censored as the reconstruction is).
* :func:`reconstruct` — 5,304 synthetic patients: Table 1's categories exactly by HER2
  group, age, BMI, ER % and PR % exact to N, mean, SD, minimum and maximum, arms 1:1 with
  the printed absolute benefits, and iDFS ≤ DRFS ≤ OS nested per patient with every 5-year
  rate of Table 2 and the printed median follow-up.

What the chapter shows, as tidy frames of numbers (no sentences): :func:`table1_p_variants`
(Table 1's p with the missing rows left out and kept), :func:`hazard_ratios` (every printed HR,
the HR the landmark rates imply and the worst verdict on it), :func:`interaction_summary`,
:func:`landmark_rates`, and for the synthetic cohort :func:`cohort_summary`,
:func:`cohort_hazard_ratios` and :func:`cohort_follow_up`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..checks._base import to_findings
from ..extract import printed
from ..cache import cached_frame
from ..paper import Paper
from ..reconstruct import categorical_margins, exact_continuous, write_cohort
from ..render import register
from ..reported import Interval, parse_count, parse_p, parse_value
from ..survival import km_survival_at, logrank_tests, reverse_km_median

__all__ = ["ARMS", "findings", "interaction_simulation", "interaction_summary", "reconstruct", "fit_rows"]

ARMS = ("palbociclib + ET", "ET alone")
INTERACTION_REPS, INTERACTION_SEED = 1000, 43
INTERACTION_QUANTILES = (0.005, 0.995)
"""A printed interaction p outside this central range of the simulated ones is *implausible*."""
FOLLOW_UP_HALF_WIDTH = 18.0
"""Months: administrative censoring is uniform on the median follow-up ± 18 (three years of accrual)."""
LANDMARK = 60.0
"""Table 2's "5-year" rates, in months."""

register("interaction-p",
         recomputed="simulated interaction p: median {sim_median:n}, 99% range {sim_low:p}–{sim_high:p}; "
                    "palbociclib HR within {low_label} ≈ {hr_low:n}, within {zero_label} ≈ {hr_zero:n}",
         consistent="Trials with the printed 5-year rates and absolute benefits ({benefits}) give interaction "
                    "p-values like the printed {printed} ({share:pct} are at or below it): the two statements agree.",
         plausible="Trials with the printed 5-year rates and absolute benefits ({benefits}) give interaction p from "
                   "{sim_low:p} to {sim_high:p} (99% range), and the printed {printed} is among them ({share:pct} are at "
                   "or below it): both can be true, but a range covering {sharpness:pct} of all p cannot confirm it.",
         implausible="Trials with the printed rates and absolute benefits give interaction p between "
                     "{sim_low:p} and {sim_high:p} (99% range); the printed {printed} lies outside.")


def _groups(paper: Paper) -> dict[str, str]:
    """Table 1's group labels → the labels Table 2 and the cohort use."""
    return dict(paper.reconstruction["groups"])


def _rate(paper: Paper, endpoint: str, label: str) -> float:
    """Table 2's 5-year rate of *endpoint* in group *label*, as a proportion."""
    s = paper.read("survival.csv")
    row = s[(s["endpoint"] == endpoint) & (s["group"] == label) & (s["location"] == "Table 2") & (s["rate"] != "")]
    return float(parse_value(row["rate"].iloc[0]).value) / 100


def _benefit(paper: Paper, label: str) -> str:
    """The printed absolute 5-year iDFS benefit of palbociclib in group *label* (Discussion)."""
    return printed(paper, paper.reconstruction["benefit"][label], "rate")


@cached_frame
def interaction_simulation(paper: Paper, reps: int = INTERACTION_REPS) -> pd.DataFrame:
    """The arm × HER2 interaction p the printed iDFS numbers imply, over many trials.

    Within each group the arms get 5-year iDFS of the group's Table 2 rate ± half the
    printed absolute benefit; each replicate compares the groups' Peto log hazard ratios
    (O − E)/V: z = (β₁ − β₀)/√(1/V₁ + 1/V₀).  One row per replicate.
    """
    rng = np.random.default_rng(INTERACTION_SEED)
    follow = float(parse_value(printed(paper, "followup:median", "median")).value)
    sizes = {lab: parse_count(n) for (t, g), n in _sizes(paper).items() for lab in [_groups(paper)[g]]}
    beta, var = {}, {}
    for label, n in sizes.items():
        rate = _rate(paper, "IDFS", label)
        d = float(parse_value(_benefit(paper, label)).value) / 100
        arm = np.repeat([1, 0], [n // 2, n - n // 2])
        s5 = np.where(arm == 1, rate + d / 2, rate - d / 2)
        latent = rng.exponential(1.0, (reps, n)) * LANDMARK / -np.log(s5)
        cens = follow + rng.uniform(-FOLLOW_UP_HALF_WIDTH, FOLLOW_UP_HALF_WIDTH, (reps, n))
        res = logrank_tests(np.minimum(latent, cens), latent <= cens, arm)
        beta[label], var[label] = res["o_minus_e"] / res["variance"], 1 / res["variance"]
    zero, low = list(sizes)
    z = (beta[low] - beta[zero]) / np.sqrt(var[low] + var[zero])
    return pd.DataFrame({f"hr_{low}": np.exp(beta[low]), f"hr_{zero}": np.exp(beta[zero]), "z": z,
                         "p": 2 * stats.norm.sf(np.abs(z))})


def _sizes(paper: Paper) -> dict[tuple[str, str], str]:
    g = paper.read("groups.csv")
    return {(t, grp): n for t, grp, n in zip(g["table"], g["group"], g["n"]) if grp in _groups(paper)}


def interaction_summary(paper: Paper) -> pd.Series:
    """The simulated interaction p (:func:`interaction_simulation`) against the printed one:
    ``printed``, ``median``, ``low``/``high`` (the central :data:`INTERACTION_QUANTILES`, whose
    share is ``coverage``), ``share_at_or_below`` (replicates at or below the printed p),
    ``share_significant`` (below the paper's α: how often such a trial would call the interaction
    significant), ``hr_<group>`` (the median palbociclib HR within each group) and ``reps``."""
    sim = interaction_simulation(paper)
    p = parse_p(printed(paper, "pint:idfs", "p"))
    lo, hi = np.quantile(sim["p"], INTERACTION_QUANTILES)
    out = dict(printed=p.numeral, median=float(np.median(sim["p"])), low=float(lo), high=float(hi),
               coverage=INTERACTION_QUANTILES[1] - INTERACTION_QUANTILES[0],
               share_at_or_below=float((sim["p"] <= float(p.interval.high)).mean()),
               share_significant=float((sim["p"] < paper.alpha).mean()), reps=len(sim),
               inside=p.interval.overlaps(Interval.hull([lo, hi])), p_low=float(p.interval.low), p_high=float(p.interval.high))
    out.update({c: float(np.median(sim[c])) for c in sim.columns if c.startswith("hr_")})
    return pd.Series(out)


def findings(paper: Paper, context: dict) -> list:
    """The interaction p against simulations from the printed rates and benefits."""
    rep = paper.read("reported.csv").set_index("id").loc["abs-pint-idfs"]
    s = interaction_summary(paper)
    zero, low = _groups(paper).values()
    return to_findings(paper.id, [dict(
        slug="interaction-p.idfs", location=rep["location"], quantity="interaction p, treatment arm × HER2 status (iDFS)",
        reported=rep["reported"], check="interaction-p", verdict="consistent" if s["inside"] else "implausible",
        printed=rep["reported"], sim_median=s["median"], sim_low=s["low"], sim_high=s["high"],
        share=s["share_at_or_below"], low_label=low, zero_label=zero, hr_low=s[f"hr_{low}"], hr_zero=s[f"hr_{zero}"],
        benefits=" and ".join(f"{_benefit(paper, g)} in {g}" for g in (low, zero)),
        reported_low=s["p_low"], reported_high=s["p_high"], recomputed_low=s["low"], recomputed_high=s["high"],
        accept_low=s["low"], accept_high=s["high"], sharpness=s["high"] - s["low"])])


# --- the synthetic cohort ---------------------------------------------------------------

def _calibrate(e: np.ndarray, cens: np.ndarray, target: float, grid: np.ndarray) -> np.ndarray:
    """The hazard in *grid* whose KM estimate at 5 years of min(e/λ, cens) is nearest *target*
    (every candidate evaluated at once); then a finer grid around it, twice."""
    for _ in range(3):
        latent = e[None, :] / grid[:, None]
        t = np.round(np.minimum(latent, cens[None, :]), 3)
        s = km_survival_at(t, latent <= cens[None, :], LANDMARK)
        best = int(np.abs(s - target).argmin())
        step = grid[1] / grid[0] if len(grid) > 1 else 1.01
        grid = grid[best] * step ** np.linspace(-1, 1, 41)
    return grid[20]


def _arms_latent(e, cens, arm, targets: dict, pooled: float) -> tuple[np.ndarray, bool]:
    """Latent iDFS by arm: each arm's 5-year rate near its target, the difference between arms
    and the pooled rate as near the printed values as the KM steps allow (and whether both are
    within half a unit of the printed values)."""
    lam = {a: _calibrate(e[arm == a], cens[arm == a], targets[a], np.exp(np.linspace(-12, 0, 81))) for a in ARMS}
    grids = {a: lam[a] * np.exp(np.linspace(-0.03, 0.03, 81)) for a in ARMS}
    rates = {}
    for a in ARMS:
        m = arm == a
        latent = e[m][None, :] / grids[a][:, None]
        rates[a] = km_survival_at(np.round(np.minimum(latent, cens[m][None, :]), 3), latent <= cens[m][None, :], LANDMARK)
    want = targets[ARMS[0]] - targets[ARMS[1]]
    cost = np.abs(rates[ARMS[0]][:, None] - rates[ARMS[1]][None, :] - want)
    i, j = np.unravel_index(np.argsort(cost, axis=None)[:1500], cost.shape)
    latent = np.where(arm == ARMS[0], e[None, :] / grids[ARMS[0]][i, None], e[None, :] / grids[ARMS[1]][j, None])
    s = km_survival_at(np.round(np.minimum(latent, cens[None, :]), 3), latent <= cens[None, :], LANDMARK)
    half = 0.0005 - 1e-12  # half a unit of a rate printed to 0.1%
    missed = (cost[i, j] > half).astype(int) + (np.abs(s - pooled) > half)
    best = int(np.lexsort((cost[i, j] + np.abs(s - pooled), missed))[0])
    return latent[best], bool(missed[best] == 0)


def reconstruct(paper: Paper) -> list:
    """Write ``reconstructed/cohort.csv`` (deterministic)."""
    spec = paper.reconstruction
    rng = np.random.default_rng(paper.seed)
    cat = paper.read("categorical.csv")
    cont = paper.read("continuous.csv")
    follow = float(parse_value(printed(paper, "followup:median", "median")).value)
    endpoints = spec["endpoints"]
    parts, draws = [], []
    for (table, group), n_text in _sizes(paper).items():
        if table != spec["tables"][0]:
            continue
        n, label = parse_count(n_text), _groups(paper)[group]
        rows = cat[cat["group"] == group]
        margins = {v: [(c, parse_count(k)) for c, k in zip(r["category"], r["count"])]
                   for v, r in rows.groupby("variable", sort=False)}
        df = categorical_margins(margins, n, rng)
        df.insert(0, "arm", rng.permutation(np.repeat(ARMS, [n // 2, n - n // 2])))
        df.insert(0, spec["group"], label)
        for r in cont[cont["group"] == group].to_dict("records"):
            k = parse_count(r["n"]) if r["n"] else n
            values = np.full(n, np.nan)
            values[:k] = exact_continuous(k, *(float(parse_value(r[c]).value) for c in ("mean", "sd", "min", "max")), rng)
            df[r["variable"]] = rng.permutation(values)
        benefit = float(parse_value(_benefit(paper, label)).value) / 100
        targets = {ep: _rate(paper, ep, label) for ep in endpoints}
        parts.append(df)
        draws.append((targets, benefit, rng.exponential(1.0, n), rng.uniform(-FOLLOW_UP_HALF_WIDTH, FOLLOW_UP_HALF_WIDTH, n)))
    # Censoring is centred so that the pooled reverse-KM median follow-up (on iDFS) is the
    # printed one; each hazard is calibrated to its 5-year rate, a few rounds.  One exponential
    # draw per patient drives every endpoint, so iDFS ≤ DRFS ≤ OS for everybody.
    centre = follow
    for _ in range(4):
        for df, (targets, benefit, e, u) in zip(parts, draws):
            cens = centre + u
            for ep, cols in endpoints.items():
                if ep == "IDFS":
                    arm_targets = {ARMS[0]: targets[ep] + benefit / 2, ARMS[1]: targets[ep] - benefit / 2}
                    for _ in range(20):  # a draw whose KM steps cannot meet both: another 1:1 split
                        latent, met = _arms_latent(e, cens, df["arm"].to_numpy(), arm_targets, targets[ep])
                        if met:
                            break
                        df["arm"] = rng.permutation(df["arm"].to_numpy())
                else:
                    latent = e / _calibrate(e, cens, targets[ep], np.exp(np.linspace(-12, 0, 81)))
                df[cols["time"]] = np.round(np.minimum(latent, cens), 3)
                df[cols["event"]] = (latent <= cens).astype(int)
        first = endpoints["IDFS"]
        m = reverse_km_median(np.concatenate([d[first["time"]] for d in parts]),
                              np.concatenate([d[first["event"]] == 1 for d in parts]))
        if abs(m - follow) < 0.02:
            break
        centre += follow - m
    cohort = pd.concat(parts, ignore_index=True)
    cohort.insert(0, "patient", [f"S{i + 1:05d}" for i in range(len(cohort))])
    return [write_cohort(paper, cohort, "reconstructed from the published aggregates of Nader-Marta et al. (PALLAS "
                         "HER2-low): Table 1 margins exact by HER2 group (variables independent within a group); "
                         "age, BMI, ER % and PR % exact to N, mean, SD, min and max; arms 1:1 with the printed "
                         "absolute iDFS benefits; iDFS <= DRFS <= OS, exponential, nested per patient.",
                         float_format="%.3f")]


def fit_rows(paper: Paper, cohort: pd.DataFrame) -> list[dict]:
    """Targets only this paper has: the absolute benefit of palbociclib by group, and 1:1 arms."""
    rows = []
    ep = paper.reconstruction["endpoints"]["IDFS"]
    for label in _groups(paper).values():
        sub = cohort[cohort[paper.reconstruction["group"]] == label]
        s = {a: 100 * km_survival_at(g[ep["time"]].to_numpy()[None], g[ep["event"]].to_numpy()[None], LANDMARK)[0]
             for a, g in sub.groupby("arm")}
        benefit = s[ARMS[0]] - s[ARMS[1]]
        text = _benefit(paper, label)
        rows.append(dict(target="Discussion: absolute 5-year iDFS benefit of palbociclib", group=label, printed=text,
                         reconstructed=f"{benefit:.2f}%", difference=np.nan,
                         matches=parse_value(text).interval.contains(benefit)))
        k = sub["arm"].value_counts()
        rows.append(dict(target="randomised arms (palbociclib + ET : ET alone), not printed", group=label,
                         printed="about 1:1", reconstructed=f"{k.get(ARMS[0], 0)} : {k.get(ARMS[1], 0)}",
                         difference=np.nan, matches=abs(int(k.get(ARMS[0], 0)) - int(k.get(ARMS[1], 0))) <= 1))
    return rows
