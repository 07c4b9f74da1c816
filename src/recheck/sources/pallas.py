"""Findings and reconstruction for the PALLAS chapter, computed from ``data/pallas/``.

Source: Nader-Marta et al., HER2-low status in the PALLAS trial (5,304 patients:
2,254 HER2-0, 3,050 HER2-low).  Besides the whole-table checks of
:mod:`recheck.sources.common`, this module adds

* cross-location comparisons of every quantity printed in more than one place
  (rows sharing a ``key`` across ``data/pallas/*.csv``);
* the arithmetic and the percentages of the patient flow;
* the hazard ratio implied by the printed 5-year rates under proportional hazards,
  compared with the printed CI;
* claims the text makes that its own numbers confirm, contradict or cannot decide;
* for Table 1, which handling of the (partly merged) missing rows reproduces each
  printed p — the footnote says missing patients were excluded.

:func:`reconstruct` writes a synthetic cohort (``data/pallas/reconstructed/cohort.csv``):
Table 1's categorical margins exactly by HER2 group, variables independent within
a group (their joint distribution is not printed), arms 1:1, and exponential iDFS
times calibrated so that the 5-year Kaplan–Meier rates equal Table 2's.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..contingency import table_pvalues
from ..data import data_dir, read_csv, read_source_table
from ..findings import Finding
from ..judge import Judgement, judge_mentions, judge_p
from ..percent import check_percent
from ..ratios import check_ratio
from ..reported import Interval, parse_count, parse_p, parse_value
from ..survival import cox_summary, km_at, reverse_km_median
from .common import slug, standard_findings

__all__ = ["SOURCE", "findings", "cross_location_findings", "flow_findings",
           "ph_implied_hr", "ph_hr_findings", "claim_findings", "table1_p_findings",
           "hr_table", "reconstruct", "read_cohort", "cohort_path", "ENDPOINTS", "fit_table", "km_curves", "reconstruction_cox",
           "chapter_numbers", "forest_figure", "km_figure", "SYNTHETIC_HEADER",
           "RECON_SEED", "FOLLOW_UP_HALF_WIDTH"]

SOURCE = "pallas"

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "fourteen": 14}
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_RATING = {"consistent": 0, "not-checkable": 0, "variant": 1, "inconsistent": 2,
           "implausible": 2, "gross": 3}


def _dir() -> Path:
    return data_dir() / SOURCE


def _read(name: str) -> pd.DataFrame:
    """A file of ``data/pallas/``: standard files with their schema, extra files as text."""
    return read_source_table(SOURCE, name)


# --- (a) cross-location comparisons ----------------------------------------------------

@dataclass(frozen=True)
class _Mention:
    key: str
    location: str
    text: str          # as printed
    kind: str          # value | p | ratio | text | approx
    what: str          # the quantity in words


def _numeral(text: str) -> str:
    """The number in a printed phrase, with its relation and % sign: ``N = 5753`` → ``5753``."""
    t = text.strip()
    if t.lower() in _WORDS:
        return str(_WORDS[t.lower()])
    m = re.search(r"(?:(<|>|≤|≥)\s*)?(\d[\d,]*(?:\.\d+)?)\s*(%)?", t)
    if not m:
        raise ValueError(f"no number in {text!r}")
    return f"{m[1] or ''}{m[2]}{m[3] or ''}"


def _ratio_parts(text: str) -> tuple[str, str, str]:
    """``HR 0.92, 95%CI 0.80 – 1.05`` → ``("0.92", "0.80", "1.05")`` (the level is skipped)."""
    t = re.sub(r"95\s*%", " ", text)
    nums = re.findall(r"\d+\.\d+", t)
    if len(nums) != 3:
        raise ValueError(f"cannot read an estimate and CI from {text!r}")
    return nums[0], nums[1], nums[2]


def _normalise_text(text: str) -> str:
    t = text.lower().replace("–", "-").replace("—", "-").replace("‑", "-")
    t = re.sub(r"\b(i{1,3}|iv)\b", lambda m: _ROMAN[m[0]], t)
    t = re.sub(r"\b(" + "|".join(_WORDS) + r")\b", lambda m: str(_WORDS[m[0]]), t)
    return re.sub(r"\s+", " ", t).strip()


def _mentions() -> list[_Mention]:
    """Every keyed printed value in ``data/pallas/``, one per (file row)."""
    out: list[_Mention] = []
    d = _dir()
    if (d / "flow.csv").exists():
        for _, r in read_csv(d / "flow.csv").iterrows():
            if r["key"]:
                out.append(_Mention(r["key"], r["location"], r["count"], "value", r["description"]))
    if (d / "continuous.csv").exists():
        for _, r in _read("continuous.csv").iterrows():
            if r["key"] and r["mean"]:
                out.append(_Mention(r["key"], r["location"], r["mean"], "value",
                                    f"mean {r['variable']}, {r['group']}"))
                # The Results print the p of the same row under ``<prefix>:p``.
                prefix = r["key"].split(":")[0]
                if r["p"]:
                    out.append(_Mention(f"{prefix}:p", r["location"], r["p"], "p",
                                        f"p, {r['variable']}"))
    if (d / "survival.csv").exists():
        for _, r in _read("survival.csv").iterrows():
            if r["key"]:
                val = r["rate"] or r["median"]
                out.append(_Mention(r["key"], r["location"], val, "value",
                                    f"{r['endpoint']} {r['rate_time'] or 'median'}, {r['group']}"))
    if (d / "ratios.csv").exists():
        for _, r in _read("ratios.csv").iterrows():
            if r["key"]:
                out.append(_Mention(r["key"], r["location"],
                                    f"{r['estimate']} ({r['ci_low']}–{r['ci_high']})", "ratio",
                                    f"{r['measure']}, {r['endpoint']}, {r['model'].split(',')[0]}"))
    if (d / "prevalence.csv").exists():
        for _, r in read_csv(d / "prevalence.csv").iterrows():
            if r["key"]:
                out.append(_Mention(r["key"], r["location"], r["percent"], "value",
                                    f"HER2-low prevalence, {r['region']}"))
    if (d / "reported.csv").exists():
        for _, r in _read("reported.csv").iterrows():
            if not r["key"]:
                continue
            note = (r["note"] or "").lower()
            q = r["quantity"]
            if "approximate" in note:
                kind = "approx"
            elif r["key"].startswith("hr:"):
                kind = "ratio"
            elif q.lower().startswith("p,") or q.lower() == "interaction p":
                kind = "p"
            elif re.search(r"\d", r["reported"]) or r["reported"].lower() in _WORDS:
                kind = "value"
            else:
                kind = "text"
            if r["key"].startswith(("trial:", "palbo:")):
                kind = "text"
            out.append(_Mention(r["key"], r["location"], r["reported"], kind,
                                f"{q} ({r['population']})"))
    return out


def _worst(verdicts) -> str:
    return max(verdicts, key=lambda v: _RATING[v])


def _judge_key(ms: list[_Mention]) -> Judgement:
    exact = [m for m in ms if m.kind != "approx"]
    kind = exact[0].kind
    if kind == "ratio":
        parts = [(m.location, _ratio_parts(m.text)) for m in exact]
        judgements = [judge_mentions([(loc, p[i]) for loc, p in parts]) for i in range(3)]
        verdict = _worst(j.verdict for j in judgements)
        shown = "; ".join(f"{loc}: {p[0]} ({p[1]}–{p[2]})" for loc, p in parts)
        if verdict == "consistent":
            why = (f"All {len(parts)} places print the same hazard ratio and confidence interval.")
        else:
            bad = [name for name, j in zip(("estimate", "lower limit", "upper limit"), judgements)
                   if j.verdict != "consistent"]
            why = (f"The {' and '.join(bad)} differ between places ({shown}); they cannot all be "
                   "right.")
        return Judgement(verdict, shown, why)
    if kind == "text":
        norm = {_normalise_text(m.text) for m in exact}
        shown = "; ".join(f"{m.location}: {m.text}" for m in exact)
        if len(norm) == 1:
            return Judgement("consistent", shown,
                             f"All {len(exact)} places say the same thing, in different words or "
                             "numerals.")
        return Judgement("inconsistent", shown,
                         f"The places disagree: {shown}.")
    pairs = [(m.location, _numeral(m.text) if kind == "value" else m.text) for m in exact]
    j = judge_mentions(pairs, is_p=(kind == "p"))
    shown = "; ".join(f"{m.location}: {m.text}" for m in exact)
    return Judgement(j.verdict, shown, j.explanation)


def cross_location_findings() -> list[Finding]:
    """Every quantity printed in more than one place: do the places agree?"""
    by_key: dict[str, list[_Mention]] = {}
    for m in _mentions():
        by_key.setdefault(m.key, []).append(m)
    out = []
    for key, ms in by_key.items():
        # The same printed value at the same location, extracted into two files, is one mention.
        seen, uniq = set(), []
        for m in ms:
            try:
                value = _numeral(m.text) if m.kind == "value" else m.text.strip()
            except ValueError:
                value = m.text.strip()
            ident = (m.location, value, m.kind)
            if ident not in seen:
                seen.add(ident)
                uniq.append(m)
        exact = [m for m in uniq if m.kind != "approx"]
        if len({m.location for m in uniq}) < 2 or len(exact) < 2:
            continue
        j = _judge_key(uniq)
        approx = [m for m in uniq if m.kind == "approx"]
        why = j.explanation.replace("All 2 places", "Both places")
        if len(exact) > len(set(m.location for m in exact)):
            why = why.replace(f"All {len(exact)} places", f"All {len(exact)} mentions")
        if approx:
            why += (" The text also describes it approximately ("
                    + "; ".join(f"“{m.text}” in {m.location}" for m in approx)
                    + "), which is compatible.")
        what = exact[0].what
        locs = list(dict.fromkeys(m.location for m in uniq))
        out.append(Finding(f"{SOURCE}:cross.{slug(key)}", SOURCE, "; ".join(locs),
                           f"{what}: printed in {len(locs)} places",
                           "; ".join(dict.fromkeys(m.text for m in exact)),
                           j.recomputed, "cross-location", j.verdict, why))
    return out


# --- (b) the patient flow --------------------------------------------------------------

def _reported_by_key(location: str) -> dict[str, pd.Series]:
    rep = _read("reported.csv")
    rows = rep[rep["location"] == location]
    return {r["key"]: r for _, r in rows.iterrows() if r["key"]}


def _count(text: str) -> int:
    return parse_count(_numeral(text))


def flow_findings() -> list[Finding]:
    """The flow's arithmetic and each printed percentage of it (Results para 1)."""
    loc = "Results para 1"
    rep = _reported_by_key(loc)
    n = {k: _count(rep[k]["reported"]) for k in
         ("n:itt", "n:excl-her2pos", "n:excl-her2unk", "n:analysed", "n:her2-0", "n:her2-low",
          "n:ihc1", "n:ihc2")}
    out = []
    sums = [
        ("analysed", "patients analysed = ITT − HER2-positive − HER2 missing/unknown",
         f"{n['n:itt']:,} − {n['n:excl-her2pos']} − {n['n:excl-her2unk']}",
         n["n:itt"] - n["n:excl-her2pos"] - n["n:excl-her2unk"], n["n:analysed"],
         "after the two exclusions"),
        ("her2-split", "HER2-0 + HER2-low = patients analysed",
         f"{n['n:her2-0']:,} + {n['n:her2-low']:,}", n["n:her2-0"] + n["n:her2-low"],
         n["n:analysed"], "in the two HER2 groups"),
        ("her2-low-split", "IHC 1+ + IHC 2+ = HER2-low",
         f"{n['n:ihc1']:,} + {n['n:ihc2']:,}", n["n:ihc1"] + n["n:ihc2"], n["n:her2-low"],
         "in the two HER2-low subgroups"),
    ]
    for name, what, expr, got, printed, where in sums:
        ok = got == printed
        out.append(Finding(
            f"{SOURCE}:flow.{name}", SOURCE, loc, what, f"{printed:,}", f"{expr} = {got:,}",
            "flow-arithmetic", "consistent" if ok else "inconsistent",
            f"The patients {where} add up: {expr} = {got:,}, as printed." if ok else
            f"{expr} = {got:,}, but the text prints {printed:,}: patients are unaccounted for."))
    pcts = [("pct:analysed", "n:analysed"), ("pct:excl-her2pos", "n:excl-her2pos"),
            ("pct:excl-her2unk", "n:excl-her2unk"), ("pct:her2-0", "n:her2-0"),
            ("pct:her2-low", "n:her2-low")]
    for pkey, nkey in pcts:
        r = rep[pkey]
        denom = parse_count(r["n"])
        k = n[nkey]
        res = check_percent(k, _numeral(r["reported"]), denom)
        inferred = "inferred" in (r["note"] or "")
        basis = (" The text does not name the denominator; the whole trial population (ITT) is "
                 "assumed." if inferred else "")
        out.append(Finding(
            f"{SOURCE}:flow.{slug(pkey)}", SOURCE, loc, f"{r['quantity']}",
            f"{rep[nkey]['reported']} ({r['reported']})",
            f"{k:,}/{denom:,} = {res['recomputed']}%", "percent-of-n",
            "consistent" if res["consistent"] else "inconsistent",
            (f"{k:,} of {denom:,} patients is {res['recomputed']}%, as printed." if res["consistent"]
             else f"{k:,} of {denom:,} is {res['recomputed']}%, not {r['reported']}.") + basis))
    return out


# --- (c) the HR implied by the 5-year rates ---------------------------------------------

def ph_implied_hr(s0: str, s1: str, *, lower_bound: float = 0.0) -> Interval:
    """HR of group 1 vs group 0 implied by two printed t-year survival rates under PH.

    Under proportional hazards S₁(t) = S₀(t)^HR, so HR = ln S₁(t) / ln S₀(t) for any t.
    The printed rates are rounded; the HR is evaluated over their rounding intervals
    (it is monotone in each: decreasing in S₁, increasing in S₀).

    >>> iv = ph_implied_hr("82.1%", "83.5%")
    >>> round(float(iv.low), 3), round(float(iv.high), 3)
    (0.908, 0.92)
    """
    a, b = parse_value(s0, lower_bound=0).interval, parse_value(s1, lower_bound=0).interval
    scale = 100 if "%" in s0 else 1
    a_lo, a_hi = float(a.low) / scale, float(a.high) / scale
    b_lo, b_hi = float(b.low) / scale, float(b.high) / scale
    if not (0 < a_lo and a_hi < 1 and 0 < b_lo and b_hi < 1):
        raise ValueError("survival rates must lie strictly between 0 and 1 (or 0% and 100%)")
    lo = math.log(b_hi) / math.log(a_lo)
    hi = math.log(b_lo) / math.log(a_hi)
    return Interval.hull([lo, hi])


def _table2() -> pd.DataFrame:
    """Table 2: one row per endpoint with both 5-year rates and both printed HRs."""
    surv = _read("survival.csv")
    surv = surv[(surv["location"] == "Table 2") & (surv["rate_time"] == "5 years")]
    ratios = _read("ratios.csv")
    ratios = ratios[ratios["location"] == "Table 2"]
    rows = []
    for endpoint in dict.fromkeys(surv["endpoint"]):
        s = surv[surv["endpoint"] == endpoint].set_index("group")
        for _, r in ratios[ratios["endpoint"] == endpoint].iterrows():
            rows.append(dict(endpoint=endpoint, model="adjusted" if r["model"].startswith("adj")
                             else "unadjusted", s0=s.loc["HER2-0", "rate"],
                             s1=s.loc["HER2-low", "rate"], estimate=r["estimate"],
                             ci_low=r["ci_low"], ci_high=r["ci_high"]))
    return pd.DataFrame(rows)


def ph_hr_findings() -> list[Finding]:
    """Each endpoint: the HR implied by the printed 5-year rates against the printed unadjusted HR."""
    out = []
    t2 = _table2()
    for _, r in t2[t2["model"] == "unadjusted"].iterrows():
        iv = ph_implied_hr(r["s0"], r["s1"])
        ci = Interval(parse_value(r["ci_low"]).interval.low, parse_value(r["ci_high"]).interval.high)
        est = parse_value(r["estimate"]).interval
        lo, hi = float(iv.low), float(iv.high)
        inside = ci.contains(iv.low) and ci.contains(iv.high)
        near = iv.overlaps(est)
        shown = f"ln S₁/ln S₀ = {lo:.3f}–{hi:.3f}"
        printed = (f"5-year {r['s0']} (HER2-0) vs {r['s1']} (HER2-low); "
                   f"HR {r['estimate']} ({r['ci_low']}–{r['ci_high']})")
        if inside:
            why = (f"If the hazards are proportional, 5-year rates of {r['s0']} and {r['s1']} imply "
                   f"an HR of {lo:.2f}–{hi:.2f}, inside the printed CI {r['ci_low']}–{r['ci_high']}"
                   + (f" and matching the printed {r['estimate']}." if near else
                      f"; the printed {r['estimate']} is close, a gap the rounding of the rates and "
                      "non-proportional hazards easily explain."))
            verdict = "consistent"
        else:
            why = (f"Rates of {r['s0']} and {r['s1']} imply an HR of {lo:.2f}–{hi:.2f} under "
                   f"proportional hazards, outside the printed CI {r['ci_low']}–{r['ci_high']}; the "
                   "rates and the Cox model disagree more than rounding allows.")
            verdict = "inconsistent"
        out.append(Finding(f"{SOURCE}:ph-hr.{slug(r['endpoint'])}", SOURCE, "Table 2",
                           f"{r['endpoint']}: HR implied by the 5-year rates", printed, shown,
                           "ph-implied-hr", verdict, why))
    return out


# --- (d) claims the numbers confirm, contradict or cannot decide ------------------------

INTERACTION_REPS = 1000
INTERACTION_SEED = 43


def interaction_simulation(reps: int = INTERACTION_REPS) -> pd.DataFrame:
    """The arm × HER2 interaction p that the printed iDFS numbers imply, over many trials.

    Within each HER2 group the two arms (1:1) get 5-year iDFS rates of the group's
    Table 2 rate ± half the absolute difference printed in the Discussion (2.6% in
    HER2-low, 0.6% in HER2-0), exponential times and the reconstruction's censoring.
    Each replicate's interaction test compares the two groups' Peto log hazard ratios
    (O − E)/V: z = (β_low − β_0)/√(1/V_low + 1/V_0).  Returns one row per replicate.
    """
    from scipy import stats as _stats
    from ..survival import logrank_tests
    rng = np.random.default_rng(INTERACTION_SEED)
    surv = _read("survival.csv")
    t2 = surv[(surv["location"] == "Table 2") & (surv["endpoint"] == "IDFS")].set_index("group")
    diffs = surv[surv["key"].str.startswith("idfs5diff:")]
    follow = float(surv[surv["endpoint"] == "follow-up"]["median"].iloc[0])
    sizes = {_GROUP_LABELS[g]: parse_count(n) for t, g, n in
             zip(_read("groups.csv")["table"], _read("groups.csv")["group"], _read("groups.csv")["n"])
             if t == "Table 1"}
    beta, var = {}, {}
    for label, n in sizes.items():
        rate = float(parse_value(t2.loc[label, "rate"]).value) / 100
        d = float(parse_value(diffs[diffs["key"] == f"idfs5diff:{label.lower()}"]["rate"].iloc[0]).value) / 100
        arm = np.repeat([1, 0], [n // 2, n - n // 2])          # 1 = palbociclib
        s5 = np.where(arm == 1, rate + d / 2, rate - d / 2)
        latent = rng.exponential(1.0, (reps, n)) * 60.0 / -np.log(s5)
        cens = follow + rng.uniform(-FOLLOW_UP_HALF_WIDTH, FOLLOW_UP_HALF_WIDTH, (reps, n))
        res = logrank_tests(np.minimum(latent, cens), latent <= cens, arm)
        beta[label], var[label] = res["o_minus_e"] / res["variance"], 1 / res["variance"]
    z = (beta["HER2-low"] - beta["HER2-0"]) / np.sqrt(var["HER2-low"] + var["HER2-0"])
    return pd.DataFrame({"hr_her2_low": np.exp(beta["HER2-low"]), "hr_her2_0": np.exp(beta["HER2-0"]),
                         "z": z, "p": 2 * _stats.norm.sf(np.abs(z))})


def claim_findings() -> list[Finding]:
    """Statements in the text checked against the text's own numbers, or marked not checkable."""
    rep = _read("reported.csv").set_index("id")
    out = []
    # Interaction p: simulated from the printed group rates and absolute arm differences.
    if "abs-pint-idfs" in rep.index:
        r = rep.loc["abs-pint-idfs"]
        sim = interaction_simulation()
        printed = parse_p(r["reported"])
        lo, hi = np.quantile(sim["p"], [0.005, 0.995])
        plausible = printed.interval.overlaps(Interval.hull([lo, hi]))
        share = float((sim["p"] <= float(printed.interval.high)).mean())
        rec = (f"simulated interaction p: median {np.median(sim['p']):.2f}, 99% range {lo:.2g}–{hi:.2f}; "
               f"palbociclib HR within HER2-low ≈ {np.median(sim['hr_her2_low']):.2f}, "
               f"within HER2-0 ≈ {np.median(sim['hr_her2_0']):.2f}")
        diffs = _read("survival.csv").set_index("key")
        benefits = " and ".join(f"{diffs.loc[f'idfs5diff:{g}', 'rate']} in {lab}"
                                for g, lab in (("her2-low", "HER2-low"), ("her2-0", "HER2-0")))
        why = ((f"Trials with the printed 5-year rates and absolute benefits ({benefits}, Discussion) "
                f"give interaction p-values like the printed {r['reported']} "
                f"({100 * share:.0f}% are at or below it): the two statements agree.")
               if plausible else
               (f"Trials with the printed rates and absolute benefits give interaction p between {lo:.3f} "
                f"and {hi:.2f} (99% range); the printed {r['reported']} lies outside."))
        out.append(Finding(
            f"{SOURCE}:interaction-p.idfs", SOURCE, r["location"],
            "interaction p, treatment arm × HER2 status (iDFS)", r["reported"], rec,
            "interaction-p", "consistent" if plausible else "implausible", why))
    # Absolute differences between arms: no CI, no arm-level rates.
    if {"disc-idfs5diff-her2low", "disc-idfs5diff-her2-0"} <= set(rep.index):
        a, b = rep.loc["disc-idfs5diff-her2low"], rep.loc["disc-idfs5diff-her2-0"]
        out.append(Finding(
            f"{SOURCE}:abs-diff.idfs5", SOURCE, a["location"],
            "absolute 5-year iDFS benefit of palbociclib, HER2-low vs HER2-0",
            f"{a['reported']} vs. {b['reported']}, “not statistically significant”", "",
            "claim", "not-checkable",
            "Whether a 2-point gap in absolute benefit could be chance needs the 5-year rates by arm "
            "within each group, or their bootstrap CIs; the text prints neither (they are in "
            "Fig. 3 and Supplementary Table 2)."))
    # Prevalence p-values: no regional or national counts.
    for rid, what in (("res-p-country", "across 21 countries"),
                      ("res-p-continent", "across continents")):
        if rid in rep.index:
            r = rep.loc[rid]
            out.append(Finding(
                f"{SOURCE}:prevalence-p.{slug(what)}", SOURCE, r["location"],
                f"p, HER2-low prevalence {what}", r["reported"], "", "claim", "not-checkable",
                "The text prints regional percentages but not how many patients each region "
                "enrolled, so the test cannot be redone; the counts are only in Fig. 1."))
    # Prevalence percentages: no denominators anywhere in the text.
    if (_dir() / "prevalence.csv").exists():
        prev = read_csv(_dir() / "prevalence.csv")
        prev = prev[(prev["location"] == "Results, Association with characteristics")
                    & (prev["level"] != "overall")]
        if len(prev):
            shown = "; ".join(f"{r} {v}" for r, v in zip(prev["region"], prev["percent"]))
            out.append(Finding(
                f"{SOURCE}:prevalence-percentages", SOURCE,
                "Results, Association with characteristics",
                "HER2-low prevalence by continent, country and Austrian site", shown, "",
                "percent-of-n", "not-checkable",
                "The text prints these percentages without the number of patients in each region, "
                "country or site, so they cannot be checked against whole patient counts; the "
                "counts are only in Fig. 1."))
    # "approximately 10% higher": 63.1% − 53.4%.
    if {"disc-na-diff", "res-prev-na", "res-prev-eu"} <= set(rep.index):
        na = parse_value(rep.loc["res-prev-na", "reported"]).interval
        eu = parse_value(rep.loc["res-prev-eu", "reported"]).interval
        lo, hi = float(na.low - eu.high), float(na.high - eu.low)
        out.append(Finding(
            f"{SOURCE}:claim.na-vs-europe", SOURCE, rep.loc["disc-na-diff", "location"],
            "HER2-low prevalence, North America vs Europe and other regions",
            rep.loc["disc-na-diff", "reported"], f"63.1% − 53.4% = {lo:.1f}–{hi:.1f} points",
            "claim", "consistent",
            f"North America's {rep.loc['res-prev-na', 'reported']} is {lo:.1f}–{hi:.1f} percentage "
            "points above Europe's, so “about 10% higher” holds as percentage points; as a "
            "relative difference it would be about 18%."))
    # The ER difference of 1.0%.
    if {"disc-er-diff", "res-er-mean-her2low", "res-er-mean-her2-0"} <= set(rep.index):
        hi_ = parse_value(rep.loc["res-er-mean-her2low", "reported"]).interval
        lo_ = parse_value(rep.loc["res-er-mean-her2-0", "reported"]).interval
        diff = Interval(hi_.low - lo_.high, hi_.high - lo_.low)
        printed = parse_value(rep.loc["disc-er-diff", "reported"]).interval
        ok = diff.overlaps(printed)
        out.append(Finding(
            f"{SOURCE}:claim.er-difference", SOURCE, rep.loc["disc-er-diff", "location"],
            "difference in mean ER expression, HER2-low − HER2-0", rep.loc["disc-er-diff", "reported"],
            f"88.9 − 87.9 = {float(diff.low):.1f}–{float(diff.high):.1f}", "claim",
            "consistent" if ok else "inconsistent",
            "The difference of the two printed means is 1.0 points within rounding, as the "
            "Discussion says." if ok else "The printed means do not differ by the printed amount."))
    # Abstract: "no differences in clinical parameters" vs Table 1's BMI and ER p < 0.05.
    cont = _read("continuous.csv")
    sig = cont.drop_duplicates("variable")
    sig = sig[[parse_p(p).interval.below(0.05) for p in sig["p"]]]
    if len(sig):
        listed = "; ".join(f"{v} p = {p}" for v, p in zip(sig["variable"], sig["p"]))
        out.append(Finding(
            f"{SOURCE}:claim.abstract-no-differences", SOURCE, "Abstract, Conclusions",
            "“no differences were observed in clinical parameters”", "no differences",
            f"Table 1: {listed}", "claim", "inconsistent",
            f"Table 1 prints p < 0.05 for {len(sig)} characteristics ({listed}), which the Results "
            "call “minimally higher”; the abstract's “no differences” holds only in a clinical "
            "sense, not a statistical one."))
    # Table 2 HRs: no p printed, but "not associated"/"no significant differences".
    t2 = _table2()
    for _, r in t2.iterrows():
        c = check_ratio(r["estimate"], r["ci_low"], r["ci_high"])
        ok = c.ci_excludes_one is False
        out.append(Finding(
            f"{SOURCE}:claim.no-difference.{slug(r['endpoint'], r['model'])}", SOURCE,
            "Results, Prognostic value; Table 2",
            f"HER2-low vs HER2-0, {r['endpoint']} ({r['model']}): “no significant difference”",
            f"HR {r['estimate']} ({r['ci_low']}–{r['ci_high']}), no p printed",
            f"p from CI = {c.implied_p_text}", "ratio-p-from-ci",
            "consistent" if ok else "inconsistent",
            (f"The CI includes 1 and implies p = {c.implied_p_text}, so “no significant "
             "difference” follows from the printed numbers.") if ok else
            f"The CI excludes 1 (p = {c.implied_p_text}), contradicting “no significant difference”."))
    # The cited PAM50 HER2-enriched HR: "not statistically significant" yet the CI excludes 1.
    ratios = _read("ratios.csv")
    pam = ratios[ratios["variable"].str.contains("PAM50", regex=False)]
    for _, r in pam.iterrows():
        c = check_ratio(r["estimate"], r["ci_low"], r["ci_high"])
        out.append(Finding(
            f"{SOURCE}:claim.pam50-her2e", SOURCE, r["location"],
            "palbociclib benefit in PAM50 HER2-enriched tumours (cited): “not statistically "
            "significant”", f"HR {r['estimate']} (95% CI {r['ci_low']}–{r['ci_high']})",
            f"p from CI = {c.implied_p_text}", "claim",
            "inconsistent" if c.ci_excludes_one else "consistent",
            (f"The cited CI excludes 1 (it implies p = {c.implied_p_text}), so the HR itself is "
             "nominally significant; “not statistically significant” presumably refers to the "
             "subtype-by-treatment interaction test, which the sentence does not say.")
            if c.ci_excludes_one else "The CI includes 1, as “not statistically significant” says."))
    return out


# --- (e) Table 1 p-values: which handling of the missing rows reproduces them -----------

def _missing_labels(categories) -> list[str]:
    """Rows that are, or contain, missing patients (``Missing``, ``Grade X/Missing``)."""
    return [c for c in categories if re.search(r"(^|/)\s*missing\s*$", c.strip().lower())]


def table1_p_findings() -> dict[str, Finding]:
    """Table 1 categorical p-values, re-judged with merged missing rows treated as missing.

    Returned by finding id, to replace the standard findings of the same id: the
    engine recognises a row labelled ``Missing`` but not ``Grade X/Missing`` or
    ``Male/Missing``, and the footnote says missing patients were excluded.
    """
    cat = _read("categorical.csv")
    out = {}
    for (table, variable), rows in cat.groupby(["table", "variable"], sort=False):
        p = rows["p"].iloc[0]
        if not p:
            continue
        counts = rows.pivot_table(index="category", columns="group", values="count",
                                  aggfunc="first", sort=False).map(parse_count)
        miss = _missing_labels(counts.index)
        variants = table_pvalues(counts, missing=miss)
        recomputed = dict(zip(variants["variant"], variants["p"]))
        stated = [v for v in recomputed if v.startswith("Pearson χ²") and "Yates" not in v
                  and ("missing excluded" in v or not miss)]
        j = judge_p(p, recomputed, stated)
        fid = f"{SOURCE}:{slug(table, variable, 'p')}"
        printed = parse_p(p).numeral
        excl = next((v for v in recomputed if v == "Pearson χ², missing excluded"), None)
        incl = next((v for v in recomputed if v == "Pearson χ², missing as a category"), None)
        if miss and j.verdict == "variant":
            why = (f"The footnote says missing patients were left out; left out (“{' and '.join(miss)}”), "
                   f"the chi-square test gives p = {recomputed[excl]:.3f}, but kept as a category it "
                   f"gives {recomputed[incl]:.3f}, the printed {printed}. The printed p was computed "
                   "with the missing patients included; the conclusion is the same either way.")
        elif miss and j.verdict == "consistent":
            why = (f"With the {' and '.join(miss)} row left out, as the footnote says, the chi-square "
                   f"test gives p = {recomputed[excl]:.3f}, the printed {printed}.")
        elif j.verdict == "consistent":
            why = (f"The chi-square test on the printed counts gives p = "
                   f"{recomputed['Pearson χ²']:.3f}, the printed {printed}.")
        elif j.verdict == "inconsistent":
            closest = min(recomputed, key=lambda k: abs(recomputed[k] - float(parse_p(p).value)))
            why = (f"No test reproduces the printed p = {printed} exactly; the closest is {closest} "
                   f"({recomputed[closest]:.3f}). The gap is tiny and the conclusion (no difference) "
                   "is the same.")
        else:
            why = j.explanation
        out[fid] = Finding(fid, SOURCE, f"{table}, {variable}", f"{variable}: p across groups",
                           p, j.recomputed, "table-p", j.verdict, why)
    return out


def _reword_continuous(f: Finding) -> Finding:
    """Plainer explanations for Table 1's continuous rows (the footnote names a chi-square test)."""
    if f.check != "summary-t" or not f.location.startswith("Table 1"):
        return f
    if f.verdict == "not-checkable":
        why = ("Table 1 prints no N for age, and the footnote names a chi-square test, which does "
               "not apply to a mean; the p cannot be recomputed from the table.")
    else:
        rng = f.recomputed.split(";")[0].split(":", 1)[1].strip()
        sig = parse_p(f.reported).interval.below(0.05)
        why = (f"A t-test on the printed means and SDs gives p = {rng}, not the printed {f.reported}"
               + ("; by that test the difference would not be significant" if sig and
                  parse_value(rng.split("–")[0]).value >= 0.05 else "")
               + ". The footnote says every p is from a chi-square test, which does not apply to a "
               "mean as printed, so the test actually used cannot be identified.")
    return replace(f, explanation=why)


# --- all findings ----------------------------------------------------------------------

def findings() -> list[Finding]:
    """Every finding for this source: the standard checks, then PALLAS's own."""
    if not _dir().exists():
        return []
    std = standard_findings(SOURCE)
    t1 = table1_p_findings()
    std = [_reword_continuous(t1.get(f.id, f)) for f in std]
    # A cited ratio without endpoint or model leaves an empty "(, )" in the standard wording.
    std = [replace(f, quantity=f.quantity.replace(" (, )", "")) for f in std]
    return (std + cross_location_findings() + flow_findings() + ph_hr_findings()
            + claim_findings())


def hr_table() -> pd.DataFrame:
    """The printed Table 2 HRs (floats for plotting) with the PH-implied HR from the rates."""
    t2 = _table2()
    rows = []
    for _, r in t2.iterrows():
        iv = ph_implied_hr(r["s0"], r["s1"])
        rows.append(dict(endpoint=r["endpoint"], model=r["model"], hr=float(r["estimate"]),
                         ci_low=float(r["ci_low"]), ci_high=float(r["ci_high"]),
                         printed=f"{r['estimate']} ({r['ci_low']}–{r['ci_high']})",
                         rate_her2_0=r["s0"], rate_her2_low=r["s1"],
                         implied_low=float(iv.low), implied_high=float(iv.high)))
    return pd.DataFrame(rows)


# --- reconstruction --------------------------------------------------------------------

RECON_SEED = 20240502
"""Seed of :func:`numpy.random.default_rng` for the cohort (fixed: output is byte-stable)."""

FOLLOW_UP_HALF_WIDTH = 18.0
"""Months: administrative censoring is uniform on 59.8 ± 18 (a three-year accrual window)."""

SYNTHETIC_HEADER = ("# SYNTHETIC data: reconstructed from the published aggregates of "
                    "Nader-Marta et al. (PALLAS HER2-low), not patient records. Table 1 margins "
                    "exact by HER2 group; age, BMI, ER % and PR % match N, mean, SD, min and max; "
                    "variables independent within group; iDFS by arm from the printed absolute "
                    "benefits; iDFS, DRFS and OS "
                    "exponential and nested (iDFS <= DRFS <= OS).")

ENDPOINTS = {"IDFS": "idfs", "DRFS": "drfs", "OS": "os"}
"""Table 2's endpoints and the column prefix of each in the cohort."""

_GROUP_LABELS = {"HER2 0": "HER2-0", "HER2 low": "HER2-low"}
_T1_COLUMNS = {
    "Anatomic stage": "stage", "T-stage": "t_stage", "N-stage": "n_stage",
    "Histological grade": "grade", "Menopausal status at randomization": "menopause",
    "Baseline ECOG-PS": "ecog", "Primary surgery type": "surgery",
    "Prior radiation": "prior_radiation", "Prior chemotherapy": "prior_chemo",
}


def cohort_path() -> Path:
    """Where :func:`reconstruct` writes the synthetic cohort."""
    return _dir() / "reconstructed" / "cohort.csv"


_CONTINUOUS_COLUMNS = {"Age at randomization (years)": "age", "BMI at randomization": "bmi",
                       "ER positive cells (%)": "er_pct", "PR positive cells (%)": "pr_pct"}


def _continuous_values(n: int, mean: float, sd: float, lo: float, hi: float,
                       rng: np.random.Generator) -> np.ndarray:
    """n values with exactly this mean, SD (n − 1 divisor), minimum and maximum.

    The minimum and maximum are two of the values; the other n − 2 are drawn from the
    beta distribution on [lo, hi] with the printed mean and SD, then moved by one
    affine map to the mean and SD that make the whole set exact (clipped to [lo, hi]
    and re-fitted until nothing lies outside, which takes a few rounds at most).
    """
    mu, var = (mean - lo) / (hi - lo), (sd / (hi - lo)) ** 2
    if not 0 < var < mu * (1 - mu):
        raise ValueError(f"mean {mean}, SD {sd} impossible on [{lo}, {hi}]")
    k = mu * (1 - mu) / var - 1
    x = lo + (hi - lo) * rng.beta(mu * k, (1 - mu) * k, n - 2)
    total = n * mean
    squares = (n - 1) * sd**2 + n * mean**2
    m_in = (total - lo - hi) / (n - 2)
    sd_in = np.sqrt((squares - lo**2 - hi**2) / (n - 2) - m_in**2)
    for _ in range(50):
        x = m_in + sd_in * (x - x.mean()) / x.std()
        if x.min() >= lo and x.max() <= hi:
            break
        x = np.clip(x, lo, hi)
    else:  # pragma: no cover - never needed for the printed rows
        raise ValueError(f"could not fit mean {mean}, SD {sd} within [{lo}, {hi}]")
    return rng.permutation(np.concatenate([[lo, hi], x]))


def _arm_latent(e: np.ndarray, cens: np.ndarray, arm: np.ndarray, arm_targets: dict[str, float],
                group_target: float) -> np.ndarray:
    """Latent iDFS times by arm: each arm's 5-year rate near its target, and both the
    pooled rate and the difference between arms as near the printed values as the
    Kaplan–Meier steps allow (a small grid of hazards around each arm's calibrated one).
    """
    arms = {a: arm == a for a in arm_targets}
    candidates = {}
    for a, m in arms.items():
        lam0 = _calibrate_hazard(e[m], cens[m], arm_targets[a], 60.0)
        seen = {}
        for lam in lam0 * np.exp(np.linspace(-0.02, 0.02, 41)):
            lat = e[m] / lam
            s = km_at(np.round(np.minimum(lat, cens[m]), 3), lat <= cens[m], 60.0)
            seen.setdefault(round(s, 12), lam)
        candidates[a] = sorted(seen.items())
    pal, ctrl = "palbociclib + ET", "ET alone"
    want = arm_targets[pal] - arm_targets[ctrl]
    best, best_cost = None, np.inf
    for s_pal, lam_pal in candidates[pal]:
        for s_ctrl, lam_ctrl in candidates[ctrl]:
            cost = abs((s_pal - s_ctrl) - want)
            if cost > best_cost + 1e-4:
                continue
            latent = np.where(arms[pal], e / lam_pal, e / lam_ctrl)
            pooled = km_at(np.round(np.minimum(latent, cens), 3), latent <= cens, 60.0)
            cost += abs(pooled - group_target)
            if cost < best_cost:
                best, best_cost = latent, cost
    return best


def _calibrate_hazard(e: np.ndarray, cens: np.ndarray, target: float, t: float) -> float:
    """The hazard λ (per month) whose KM estimate at *t* of min(e/λ, cens) is nearest *target*.

    KM(t) decreases as λ grows (every latent time shrinks), so bisection on log λ
    brackets the step of the KM curve that crosses *target*; of the two sides the one
    nearer the target is kept.  Times are rounded to 3 decimals, as written.
    """
    def km(lam: float) -> float:
        latent = e / lam
        return km_at(np.round(np.minimum(latent, cens), 3), latent <= cens, t)

    lo, hi = math.log(1e-5), math.log(1.0)
    for _ in range(40):
        mid = (lo + hi) / 2
        if km(math.exp(mid)) > target:
            lo = mid
        else:
            hi = mid
    return min((math.exp(lo), math.exp(hi)), key=lambda lam: abs(km(lam) - target))


def _build_cohort() -> pd.DataFrame:
    """Table 1 margins by HER2 group, a 1:1 arm, and iDFS, DRFS and OS.

    One exponential draw per patient drives all three endpoints, each with its own
    hazard calibrated to its Table 2 five-year rate: a smaller hazard gives a longer
    time from the same draw, so iDFS ≤ DRFS ≤ OS for every patient, as the
    definitions require (a distant relapse or a death is also an iDFS event).
    """
    rng = np.random.default_rng(RECON_SEED)
    cat = _read("categorical.csv")
    groups = _read("groups.csv")
    sizes = {g: parse_count(n) for t, g, n in zip(groups["table"], groups["group"], groups["n"])
             if t == "Table 1"}
    surv = _read("survival.csv")
    t2 = surv[surv["location"] == "Table 2"]
    cont = _read("continuous.csv")
    diffs = surv.set_index("key")
    follow = float(surv[surv["endpoint"] == "follow-up"]["median"].iloc[0])
    parts, draws = [], []
    for group, n in sizes.items():
        label = _GROUP_LABELS[group]
        cols: dict[str, object] = {"her2": np.full(n, label)}
        arm = np.array(["palbociclib + ET"] * (n // 2) + ["ET alone"] * (n - n // 2))
        cols["arm"] = rng.permutation(arm)
        for variable, col in _T1_COLUMNS.items():
            rows = cat[(cat["variable"] == variable) & (cat["group"] == group)]
            values = np.repeat(rows["category"].to_numpy(),
                               [parse_count(c) for c in rows["count"]])
            if len(values) != n:
                raise ValueError(f"{variable}, {group}: counts add to {len(values)}, not {n}")
            cols[col] = rng.permutation(values)
        for _, r in cont[cont["group"] == group].iterrows():
            # rows with a printed N below the group size: the rest are missing
            k = parse_count(r["n"]) if r["n"] else n
            values = np.full(n, np.nan)
            values[:k] = _continuous_values(k, *(float(parse_value(r[c]).value) for c in
                                                 ("mean", "sd", "min", "max")), rng)
            cols[_CONTINUOUS_COLUMNS[r["variable"]]] = rng.permutation(values)
        targets = {ep: float(parse_value(t2[(t2["endpoint"] == ep) & (t2["group"] == label)]["rate"].iloc[0]).value) / 100
                   for ep in ENDPOINTS}
        # iDFS by arm: the group's rate ± half the absolute benefit the Discussion prints
        benefit = float(parse_value(diffs.loc[f"idfs5diff:{label.lower()}", "rate"]).value) / 100
        group_targets = dict(targets)
        targets["IDFS"] = {"palbociclib + ET": targets["IDFS"] + benefit / 2,
                           "ET alone": targets["IDFS"] - benefit / 2}
        e = rng.exponential(1.0, n)
        u = rng.uniform(-FOLLOW_UP_HALF_WIDTH, FOLLOW_UP_HALF_WIDTH, n)
        parts.append(cols)
        draws.append((targets, group_targets, e, u))
    # Censoring is centred so that the pooled reverse-KM median follow-up (on iDFS) is
    # the printed one; each hazard is then calibrated to its 5-year rate (a few rounds).
    centre = follow
    for _ in range(4):
        for cols, (targets, group_targets, e, u) in zip(parts, draws):
            cens = centre + u
            for ep, col in ENDPOINTS.items():
                if isinstance(targets[ep], dict):      # arm-specific (iDFS)
                    latent = _arm_latent(e, cens, cols["arm"], targets[ep], group_targets[ep])
                else:
                    latent = e / _calibrate_hazard(e, cens, targets[ep], 60.0)
                cols[f"{col}_months"] = np.round(np.minimum(latent, cens), 3)
                cols[f"{col}_event"] = (latent <= cens).astype(int)
        m = reverse_km_median(np.concatenate([c["idfs_months"] for c in parts]),
                              np.concatenate([c["idfs_event"] == 1 for c in parts]))
        if abs(m - follow) < 0.02:
            break
        centre += follow - m
    df = pd.concat([pd.DataFrame(c) for c in parts], ignore_index=True)
    df.insert(0, "patient", [f"S{i + 1:05d}" for i in range(len(df))])
    return df


def reconstruct() -> list[Path]:
    """Write ``data/pallas/reconstructed/cohort.csv`` (deterministic) and return its path."""
    df = _build_cohort()
    path = cohort_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    buf.write(SYNTHETIC_HEADER + "\n")
    df.to_csv(buf, index=False, lineterminator="\n", float_format="%.3f",
              quoting=csv.QUOTE_MINIMAL)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return [path]


def read_cohort(path: Path | None = None) -> pd.DataFrame:
    """Read the reconstructed cohort, skipping its ``# SYNTHETIC`` comment line."""
    path = path or cohort_path()
    if not path.exists():
        reconstruct()
    with path.open(encoding="utf-8") as fh:
        first = fh.readline()
    skip = 1 if first.startswith("#") else 0
    df = pd.read_csv(path, skiprows=skip, dtype=str, keep_default_na=False)
    for col in _CONTINUOUS_COLUMNS.values():
        df[col] = pd.to_numeric(df[col].replace("", np.nan))
    for col in ENDPOINTS.values():
        df[f"{col}_months"] = df[f"{col}_months"].astype(float)
        df[f"{col}_event"] = df[f"{col}_event"].astype(int)
    return df


def fit_table(cohort: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every printed target the reconstruction aims at, against what it gives."""
    df = read_cohort() if cohort is None else cohort
    cat = _read("categorical.csv")
    rows = []
    for _, r in cat.iterrows():
        label = _GROUP_LABELS[r["group"]]
        col = _T1_COLUMNS[r["variable"]]
        got = int(((df["her2"] == label) & (df[col] == r["category"])).sum())
        rows.append(dict(target=f"Table 1: {r['variable']}, {r['category']}", group=label,
                         printed=r["count"], reconstructed=str(got),
                         match=got == parse_count(r["count"])))
    for _, r in _read("continuous.csv").iterrows():
        label = _GROUP_LABELS[r["group"]]
        x = df.loc[df["her2"] == label, _CONTINUOUS_COLUMNS[r["variable"]]].dropna()
        got = {"n": len(x), "mean": x.mean(), "sd": x.std(), "min": x.min(), "max": x.max()}
        for stat in ("n", "mean", "sd", "min", "max"):
            if not r[stat]:
                continue
            if stat == "n":
                ok, shown = got["n"] == parse_count(r["n"]), str(got["n"])
            else:
                ok, shown = parse_value(r[stat]).interval.contains(float(got[stat])), f"{got[stat]:.3f}"
            rows.append(dict(target=f"Table 1: {r['variable']}, {stat}", group=label,
                             printed=r[stat], reconstructed=shown, match=bool(ok)))
    groups = _read("groups.csv")
    for _, g in groups[groups["table"] == "Table 1"].iterrows():
        label = _GROUP_LABELS[g["group"]]
        n = int((df["her2"] == label).sum())
        rows.append(dict(target="group size", group=label, printed=g["n"],
                         reconstructed=str(n), match=n == parse_count(g["n"])))
    surv = _read("survival.csv")
    t2 = surv[surv["location"] == "Table 2"]
    for _, r in t2[t2["endpoint"].isin(list(ENDPOINTS))].iterrows():
        col = ENDPOINTS[r["endpoint"]]
        sub = df[df["her2"] == r["group"]]
        s = 100 * km_at(sub[f"{col}_months"], sub[f"{col}_event"] == 1, 60.0)
        rep = parse_value(r["rate"])
        rows.append(dict(target=f"Table 2: 5-year {r['endpoint']} (Kaplan–Meier)", group=r["group"],
                         printed=r["rate"], reconstructed=f"{s:.2f}%",
                         match=rep.interval.contains(s)))
    keyed = surv.set_index("key")
    for label in _GROUP_LABELS.values():
        sub = df[df["her2"] == label]
        rates = {arm: 100 * km_at(a["idfs_months"], a["idfs_event"] == 1, 60.0)
                 for arm, a in sub.groupby("arm")}
        benefit = rates["palbociclib + ET"] - rates["ET alone"]
        printed = keyed.loc[f"idfs5diff:{label.lower()}", "rate"]
        rows.append(dict(target="Discussion: absolute 5-year iDFS benefit of palbociclib",
                         group=label, printed=printed, reconstructed=f"{benefit:.2f}%",
                         match=parse_value(printed).interval.contains(benefit)))
    ratios = _read("ratios.csv")
    for ep in ENDPOINTS:
        r = ratios[(ratios["endpoint"] == ep) & (ratios["model"] == "unadjusted")
                   & (ratios["location"] == "Table 2")].iloc[0]
        c = reconstruction_cox(df, ep)
        inside = parse_value(r["ci_low"]).interval.low <= c["hr"] <= parse_value(r["ci_high"]).interval.high
        rows.append(dict(target=f"Table 2: unadjusted HR, {ep} (Cox on the reconstruction, not fitted)",
                         group="HER2-low vs HER2-0",
                         printed=f"{r['estimate']} ({r['ci_low']}–{r['ci_high']})",
                         reconstructed=f"{c['hr']:.2f} ({c['ci_low']:.2f}–{c['ci_high']:.2f})",
                         match=bool(inside)))
    fu = surv[surv["endpoint"] == "follow-up"]["median"].iloc[0]
    m = reverse_km_median(df["idfs_months"], df["idfs_event"] == 1)
    rows.append(dict(target="median follow-up, months (reverse Kaplan–Meier)", group="all",
                     printed=fu, reconstructed=f"{m:.2f}",
                     match=parse_value(fu).interval.contains(m)))
    arms = df.groupby(["her2", "arm"]).size()
    for label in _GROUP_LABELS.values():
        a = arms.loc[label]
        rows.append(dict(target="randomised arms (palbociclib + ET : ET alone), not printed",
                         group=label, printed="about 1:1",
                         reconstructed=f"{a.get('palbociclib + ET', 0)} : {a.get('ET alone', 0)}",
                         match=abs(int(a.get('palbociclib + ET', 0)) - int(a.get('ET alone', 0))) <= 1))
    return pd.DataFrame(rows)


def km_curves(cohort: pd.DataFrame | None = None, horizon: float = 78.0,
              endpoint: str = "IDFS", by: tuple[str, ...] = ("her2",)) -> pd.DataFrame:
    """Kaplan–Meier curves (lifelines) by group: the *by* columns, ``time`` (months), ``survival``."""
    from lifelines import KaplanMeierFitter
    df = read_cohort() if cohort is None else cohort
    col = ENDPOINTS[endpoint]
    out = []
    for keys, sub in df.groupby(list(by), sort=False):
        sf = KaplanMeierFitter().fit(sub[f"{col}_months"], sub[f"{col}_event"] == 1).survival_function_
        sf = sf[sf.index <= horizon]
        frame = pd.DataFrame({"time": sf.index.to_numpy(float), "survival": sf.iloc[:, 0].to_numpy(float)})
        for name, value in zip(by, keys):
            frame.insert(0, name, value)
        out.append(frame)
    return pd.concat(out, ignore_index=True)


def reconstruction_cox(cohort: pd.DataFrame | None = None, endpoint: str = "IDFS") -> dict[str, float]:
    """Cox HR (HER2-low vs HER2-0) for an endpoint in the reconstruction, with its 95% CI and p."""
    df = read_cohort() if cohort is None else cohort
    col = ENDPOINTS[endpoint]
    d = pd.DataFrame({"t": df[f"{col}_months"], "e": df[f"{col}_event"],
                      "her2_low": (df["her2"] == "HER2-low").astype(int)})
    s = cox_summary(d, "t", "e", ["her2_low"]).iloc[0]
    return {k: float(s[k]) for k in ("hr", "ci_low", "ci_high", "p")}


# --- what the chapter shows ------------------------------------------------------------

def _fmt_range(lo: float, hi: float, digits: int = 2) -> str:
    a, b = f"{lo:.{digits}f}", f"{hi:.{digits}f}"
    return a if a == b else f"{a}–{b}"


def chapter_numbers(frame: pd.DataFrame | None = None,
                    cohort: pd.DataFrame | None = None) -> dict[str, str]:
    """Every number the chapter's prose quotes, as text, keyed by glue name (``pallas_…``)."""
    from ..findings import findings_frame
    f = findings_frame(findings()) if frame is None else frame
    by_id = f.set_index("id")
    out: dict[str, str] = {}
    flagged = ~f["verdict"].isin(["consistent", "not-checkable"])
    out["pallas_n_findings"] = f"{len(f):,}"
    out["pallas_n_flagged"] = f"{int(flagged.sum()):,}"
    out["pallas_n_consistent"] = f"{int((f['verdict'] == 'consistent').sum()):,}"
    out["pallas_n_not_checkable"] = f"{int((f['verdict'] == 'not-checkable').sum()):,}"
    # The flow, from the data.
    rep = _reported_by_key("Results para 1")
    for k in ("n:itt", "n:analysed", "n:her2-0", "n:her2-low", "n:ihc1", "n:ihc2",
              "n:excl-her2pos", "n:excl-her2unk"):
        out[f"pallas_{k.replace(':', '_').replace('-', '_')}"] = f"{_count(rep[k]['reported']):,}"
    out["pallas_pct_her2_low"] = rep["pct:her2-low"]["reported"]
    out["pallas_followup"] = rep["followup:median"]["reported"]
    # Percentages and sums of Table 1.
    t1 = f[f["location"].str.startswith("Table 1")]
    cells = t1[t1["check"].isin(["percent-of-n", "count-sum", "percent-sum"])]
    out["pallas_t1_arith_n"] = f"{len(cells):,}"
    out["pallas_t1_arith_ok"] = f"{int((cells['verdict'] == 'consistent').sum()):,}"
    # Table 1 p-values: the missing-row handling.
    cat = _read("categorical.csv")
    for variable, short in (("Histological grade", "grade"),
                            ("Menopausal status at randomization", "meno"),
                            ("Baseline ECOG-PS", "ecog"), ("Primary surgery type", "surgery")):
        rows = cat[cat["variable"] == variable]
        counts = rows.pivot_table(index="category", columns="group", values="count",
                                  aggfunc="first", sort=False).map(parse_count)
        miss = _missing_labels(counts.index)
        v = dict(zip(*table_pvalues(counts, missing=miss)[["variant", "p"]].to_numpy().T))
        out[f"pallas_p_{short}_printed"] = parse_p(rows["p"].iloc[0]).numeral
        if miss:
            out[f"pallas_p_{short}_excl"] = f"{v['Pearson χ², missing excluded']:.3f}"
            out[f"pallas_p_{short}_incl"] = f"{v['Pearson χ², missing as a category']:.3f}"
            out[f"pallas_{short}_missing_label"] = " and ".join(miss)
        else:
            out[f"pallas_p_{short}_pearson"] = f"{v['Pearson χ²']:.3f}"
    t1p = t1[t1["check"] == "table-p"]
    out["pallas_t1p_n"] = f"{len(t1p):,}"
    out["pallas_t1p_consistent"] = f"{int((t1p['verdict'] == 'consistent').sum()):,}"
    out["pallas_t1p_variant"] = f"{int((t1p['verdict'] == 'variant').sum()):,}"
    # Continuous rows: the t-test range.
    for short, variable in (("bmi", "BMI at randomization"), ("er", "ER positive cells (%)"),
                            ("pr", "PR positive cells (%)")):
        row = by_id.loc[f"{SOURCE}:{slug('Table 1', variable, 'p')}"]
        out[f"pallas_{short}_p_printed"] = row["reported"]
        out[f"pallas_{short}_p_ttest"] = row["recomputed"].split(";")[0].split(":", 1)[1].strip()
    cont = _read("continuous.csv").set_index(["variable", "group"])
    for short, variable in (("bmi", "BMI at randomization"), ("er", "ER positive cells (%)")):
        out[f"pallas_{short}_mean_0"] = cont.loc[(variable, "HER2 0"), "mean"]
        out[f"pallas_{short}_mean_low"] = cont.loc[(variable, "HER2 low"), "mean"]
    # Hazard ratios and rates.
    hrs = hr_table()
    for _, r in hrs.iterrows():
        key = f"pallas_{r['endpoint'].lower()}_{r['model'][:3]}"
        out[f"{key}_hr"] = r["printed"]
        c = check_ratio(*re.match(r"(\S+) \((\S+)–(\S+)\)", r["printed"]).groups())
        out[f"{key}_p"] = _fmt_range(float(c.implied_p.low), float(c.implied_p.high))
        if r["model"] == "unadjusted":
            e = r["endpoint"].lower()
            out[f"pallas_{e}_rate_0"] = r["rate_her2_0"]
            out[f"pallas_{e}_rate_low"] = r["rate_her2_low"]
            out[f"pallas_{e}_implied_hr"] = _fmt_range(r["implied_low"], r["implied_high"])
    pam = by_id.loc[f"{SOURCE}:claim.pam50-her2e"]
    out["pallas_pam50_hr"] = pam["reported"]
    out["pallas_pam50_p"] = pam["recomputed"].replace("p from CI = ", "")
    pint = _read("reported.csv").set_index("id").loc["abs-pint-idfs", "reported"]
    out["pallas_pint"] = pint
    pint_f = by_id.loc[f"{SOURCE}:interaction-p.idfs"]
    out["pallas_pint_verdict"] = pint_f["verdict"]
    out["pallas_pint_sim"] = pint_f["recomputed"].replace("simulated interaction p: ", "")
    d = _read("reported.csv").set_index("id")
    out["pallas_absdiff_low"] = d.loc["disc-idfs5diff-her2low", "reported"]
    out["pallas_absdiff_0"] = d.loc["disc-idfs5diff-her2-0", "reported"]
    cross = f[f["check"] == "cross-location"]
    out["pallas_cross_n"] = f"{len(cross):,}"
    out["pallas_cross_ok"] = f"{int((cross['verdict'] == 'consistent').sum()):,}"
    # The reconstruction.
    df = read_cohort() if cohort is None else cohort
    fit = fit_table(df)
    out["pallas_fit_n"] = f"{len(fit):,}"
    out["pallas_fit_ok"] = f"{int(fit['match'].sum()):,}"
    for label, short in (("HER2-0", "0"), ("HER2-low", "low")):
        sub = df[df["her2"] == label]
        rate = 100 * km_at(sub["idfs_months"], sub["idfs_event"] == 1, 60.0)
        out[f"pallas_rec_rate_{short}"] = f"{rate:.2f}%"
        out[f"pallas_rec_events_{short}"] = f"{int(sub['idfs_event'].sum()):,}"
    out["pallas_rec_followup"] = f"{reverse_km_median(df['idfs_months'], df['idfs_event'] == 1):.2f}"
    cox = reconstruction_cox(df)
    out["pallas_rec_hr"] = f"{cox['hr']:.2f} ({cox['ci_low']:.2f}–{cox['ci_high']:.2f})"
    out["pallas_rec_hr_p"] = f"{cox['p']:.2f}"
    out["pallas_fu_window"] = f"±{FOLLOW_UP_HALF_WIDTH:.0f}"
    out["pallas_seed"] = str(RECON_SEED)
    return out


def forest_figure():
    """Forest plot of Table 2's HRs (log scale) with the HR the 5-year rates imply under PH."""
    import matplotlib.pyplot as plt

    from ..show import set_style
    set_style()
    hrs = hr_table()
    colours = {"unadjusted": "#0072B2", "adjusted": "#E69F00"}   # Okabe–Ito blue, orange
    markers = {"unadjusted": "o", "adjusted": "s"}
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    labels = []
    for i, (_, r) in enumerate(hrs.iterrows()):
        y = len(hrs) - 1 - i
        ax.errorbar(r["hr"], y, xerr=[[r["hr"] - r["ci_low"]], [r["ci_high"] - r["hr"]]],
                    fmt=markers[r["model"]], color=colours[r["model"]], capsize=3,
                    label=f"{r['model']} HR (95% CI), as printed" if i < 2 else None)
        if r["model"] == "unadjusted":
            ax.plot([r["implied_low"], r["implied_high"]], [y + 0.28] * 2, color="#009E73", lw=4,
                    solid_capstyle="butt",
                    label="HR implied by the 5-year rates (PH)" if i == 0 else None)
        labels.append(f"{r['endpoint']}, {r['model']}\n{r['printed']}")
    ax.axvline(1.0, color="#555555", lw=1, ls="--")
    ax.set_xscale("log")
    ax.set_xticks([0.7, 0.8, 0.9, 1.0, 1.1, 1.2])
    ax.set_xticklabels(["0.7", "0.8", "0.9", "1.0", "1.1", "1.2"])
    ax.set_yticks(range(len(hrs)))
    ax.set_yticklabels(labels[::-1], fontsize=8)
    ax.set_xlabel("Hazard ratio, HER2-low vs HER2-0 (log scale; < 1 favours HER2-low)")
    ax.set_title("Table 2 as printed: HER2-low vs HER2-0")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def km_arm_figure(cohort: pd.DataFrame | None = None):
    """Kaplan–Meier iDFS by arm within each HER2 group (the analogue of the paper's Fig. 3)."""
    import matplotlib.pyplot as plt

    from ..show import label_reconstructed, set_style
    set_style()
    curves = km_curves(cohort, by=("her2", "arm"))
    colours = {"palbociclib + ET": "#0072B2", "ET alone": "#E69F00"}
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
    for ax, (label, sub) in zip(axes, curves.groupby("her2", sort=False)):
        for arm, c in sub.groupby("arm", sort=False):
            ax.step(c["time"], 100 * c["survival"], where="post", color=colours[arm], label=arm)
        ax.axvline(60, color="#999999", lw=0.8, ls=":")
        ax.set_title(f"{label}: iDFS by arm", fontsize=10)
        ax.set_xlabel("Months from randomisation")
        ax.set_ylim(70, 100.5)
        ax.legend(loc="lower left", fontsize=8)
        label_reconstructed(ax)
    axes[0].set_ylabel("Invasive disease-free (%)")
    fig.tight_layout()
    return fig


def km_figure(cohort: pd.DataFrame | None = None):
    """Kaplan–Meier iDFS by HER2 group in the reconstruction, with Table 2's 5-year rates marked."""
    import matplotlib.pyplot as plt

    from ..show import label_reconstructed, set_style
    set_style()
    curves = km_curves(cohort, by=("her2",))
    surv = _read("survival.csv")
    idfs = surv[(surv["endpoint"] == "IDFS") & (surv["location"] == "Table 2")].set_index("group")
    colours = {"HER2-0": "#0072B2", "HER2-low": "#D55E00"}
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, sub in curves.groupby("her2", sort=False):
        ax.step(sub["time"], 100 * sub["survival"], where="post", color=colours[label],
                label=f"{label} (reconstructed)")
        rate = float(parse_value(idfs.loc[label, "rate"]).value)
        ax.plot([60], [rate], marker="D", color=colours[label], ms=7, ls="none",
                markeredgecolor="black",
                label=f"{label}: printed 5-year rate {idfs.loc[label, 'rate']}")
    ax.axvline(60, color="#999999", lw=0.8, ls=":")
    ax.set_xlim(0, curves["time"].max())
    ax.set_ylim(70, 100.5)
    ax.set_xlabel("Months from randomisation")
    ax.set_ylabel("Invasive disease-free (%)")
    ax.set_title("iDFS by HER2 status")
    ax.legend(loc="lower left", fontsize=8)
    label_reconstructed(ax)
    fig.tight_layout()
    return fig
