"""Ozcan et al. (Breast J 2025) and its news write-up: every check, from ``data/ozcan*/``.

Beyond the whole-table checks of :mod:`recheck.sources.common`, this module

* compares every quantity the paper prints in more than one place (abstract,
  results, tables, discussion) and every number of the news with the paper;
* checks the response rates (ORR, DCR) against n and recomputes their p;
* checks the whole-cohort percentages of Results 3.1 against Table 1's counts;
* simulates the log-rank p of every two-group survival comparison from the
  printed group sizes and medians (:func:`logrank_simulations`), including the
  recurrent vs de novo comparison printed as p = 0.04 and as p = 0.26;
* reconstructs a synthetic 212-patient cohort (:func:`reconstruct`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize

from ..contingency import table_pvalues
from ..data import DataError, data_dir, read_csv, read_source_table
from ..findings import Finding, from_judgement
from ..judge import VERDICTS, judge_mentions, judge_p
from ..percent import check_percent, counts_for_percent
from ..reported import ParseError, parse_count, parse_p, parse_value
from ..survival import GroupSummary, draw_with_median, km_median, km_medians, logrank_p_distribution, reverse_km_median
from .common import slug, standard_findings

SOURCE, NEWS = "ozcan", "ozcan-news"
SEED = 20250627          # the paper's online publication date: a fixed, documented seed
SIM_REPS = 2000
EVENTS_TOTAL, N_TOTAL, DEATHS_TOTAL, FOLLOW_UP = 106, 212, 52, 24.7
IMPLAUSIBLE_QUANTILES = (0.005, 0.995)
"""A printed p outside this central range of the simulated p's is 'implausible'."""

SYNTHETIC_HEADER = ("# SYNTHETIC DATA reconstructed from the published aggregates of Ozcan et al. "
                    "(Breast J 2025); not patient records.")

__all__ = ["findings", "mentions", "printed", "response_table", "logrank_simulations", "follow_up_window",
           "reconstruct", "read_reconstruction", "reconstruction_fit", "SYNTHETIC_HEADER"]


# --- extract: every printed mention of a keyed quantity ---------------------------

def _is_p_key(key: str) -> bool:
    return key.endswith(":p") or key.startswith("pfs-p:") or "-p:" in key


def _value_text(text: str) -> str | None:
    """The numeral part of a printed mention ('HR: 1.78; 95% CI…' → '1.78'), or None."""
    try:
        return parse_value(text).text
    except ParseError:
        pass
    m = re.match(r"^\s*(?:[A-Za-z ]+:\s*)?([−-]?\d+(?:\.\d+)?%?)", text)
    if m:
        return m.group(1)
    return None


def mentions(folder: str = SOURCE) -> pd.DataFrame:
    """Every printed mention of every keyed quantity in ``data/<folder>/``.

    Columns ``key``, ``location``, ``printed``; one row per (key, location): the
    same printing recorded in a table file and in ``reported.csv`` counts once.
    """
    rows = []
    base = data_dir() / folder
    if (base / "reported.csv").exists():
        rep = read_source_table(folder, "reported.csv")
        for _, r in rep[rep["key"] != ""].iterrows():
            text = r["reported"]
            if _is_p_key(r["key"]):
                m = re.search(r"[pP]\s*(=|<|>)\s*(\.?\d[\d.]*)", text)
                text = f"p {m.group(1)} {m.group(2)}" if m else text
            value = _value_text(text)
            if value is not None:
                rows.append((r["key"], r["location"], value))
    for name, cols in (("survival.csv", {"pfs-median": "median", "pfs-p": "p"}),
                       ("response.csv", {"orr:": "percent", "dcr:": "percent", ":p": "p"}),
                       ("ratios.csv", {"hr:": "estimate"})):
        if not (base / name).exists():
            continue
        df = read_source_table(folder, name) if name != "response.csv" else read_csv(base / name)
        for _, r in df.iterrows():
            for key in filter(None, r["key"].split(";")):
                col = "p" if _is_p_key(key) else next(
                    (c for prefix, c in cols.items() if key.startswith(prefix)), None)
                if col and r[col]:
                    value = r[col] + ("%" if col == "percent" else "")
                    rows.append((key, r["location"], value))
    out = pd.DataFrame(rows, columns=["key", "location", "printed"])
    return out.drop_duplicates(["key", "location"]).reset_index(drop=True)


def printed(key: str, location: str, folder: str = SOURCE) -> str:
    """The text printed for *key* at the first location starting with *location*."""
    m = mentions(folder)
    hit = m[(m["key"] == key) & m["location"].str.startswith(location)]
    if hit.empty:
        raise KeyError(f"{folder}: nothing printed for {key!r} at {location!r}")
    return hit["printed"].iloc[0]


def _cross_location_findings() -> list[Finding]:
    paper = mentions(SOURCE)
    out = []
    for key, m in paper.groupby("key", sort=False):
        if len(m) < 2:
            continue
        j = judge_mentions(list(zip(m["location"], m["printed"])), is_p=_is_p_key(key))
        out.append(from_judgement(f"{SOURCE}:{slug('mentions', key)}", SOURCE,
                                  "; ".join(m["location"]), key, "; ".join(m["printed"]),
                                  "cross-location", j))
    return out


def _news_findings() -> list[Finding]:
    paper, news = mentions(SOURCE), mentions(NEWS)
    out = []
    for key, m in news.groupby("key", sort=False):
        ref = paper[paper["key"] == key]
        fid = f"{NEWS}:{slug('vs-paper', key)}"
        loc = "; ".join(m["location"])
        if ref.empty:
            out.append(Finding(fid, NEWS, loc, key, "; ".join(m["printed"]), "", "news-vs-paper",
                               "not-checkable", "The paper does not print this quantity, so the "
                               "news figure cannot be traced to it."))
            continue
        is_p = _is_p_key(key)
        agree, disagree = [], []
        for loc_p, printed_p in zip(ref["location"], ref["printed"]):
            j = judge_mentions([("news", m["printed"].iloc[0]), (loc_p, printed_p)], is_p=is_p)
            (agree if j.verdict == "consistent" else disagree).append(f"{printed_p} ({loc_p})")
        news_val = m["printed"].iloc[0]
        recomputed = "paper: " + "; ".join(agree + disagree)
        if not disagree:
            verdict, why = "consistent", f"The news prints {news_val}, as the paper does everywhere."
        elif agree:
            verdict = "inconsistent"
            why = (f"The news prints {news_val}, which follows the paper at {', '.join(agree)}; but the "
                   f"paper also prints {', '.join(disagree)}, so the news inherits the paper's "
                   "contradiction without saying so.")
        else:
            verdict, why = "inconsistent", (f"The news prints {news_val}, which the paper prints "
                                            f"nowhere (it has {', '.join(disagree)}).")
        out.append(Finding(fid, NEWS, loc, key, news_val, recomputed, "news-vs-paper", verdict, why))
    statements = read_csv(data_dir() / NEWS / "statements.csv",
                          {"id": None, "location": None, "statement": None, "paper_location": None,
                           "verdict": None, "reason": None})
    for line, (_, st) in zip(statements.attrs["lines"], statements.iterrows()):
        if st["verdict"] not in VERDICTS:
            raise DataError(statements.attrs["path"], line, "verdict", f"{st['verdict']!r} is not a verdict")
        out.append(Finding(f"{NEWS}:{slug('statement', st['id'])}", NEWS, st["location"],
                           "statement about the study", f"“{st['statement']}”",
                           f"paper: {st['paper_location']}", "statement-vs-paper", st["verdict"],
                           st["reason"]))
    quotes = read_csv(data_dir() / NEWS / "quotes.csv",
                      {"id": None, "location": None, "quote": None, "paper_location": None,
                       "context": None, "context_reason": None})
    for line, (_, q) in zip(quotes.attrs["lines"], quotes.iterrows()):
        if q["context"] not in ("kept", "changed"):
            raise DataError(quotes.attrs["path"], line, "context", f"{q['context']!r} is not 'kept' or 'changed'")
        verdict = "consistent" if q["context"] == "kept" else "inconsistent"
        out.append(Finding(f"{NEWS}:{slug('quote', q['id'])}", NEWS, q["location"], "quotation",
                           f"“{q['quote']}”", f"paper: {q['paper_location']}", "quote-context",
                           verdict, q["context_reason"]))
    return out


# --- recompute: response rates ------------------------------------------------------

def response_table() -> pd.DataFrame:
    """ORR and DCR by group: printed percent, the counts it allows, and every printed p."""
    resp = read_csv(data_dir() / SOURCE / "response.csv",
                    {"measure": None, "group": None, "n": "count", "percent": "value", "p": "p",
                     "location": None})
    rows = []
    for _, r in resp.iterrows():
        n = parse_count(r["n"])
        counts = counts_for_percent(r["percent"], n)
        rows.append(dict(measure=r["measure"], group=r["group"], n=n, printed=r["percent"] + "%",
                         possible_counts=counts, p=r["p"]))
    return pd.DataFrame(rows)


def response_counts() -> dict[tuple[str, str], int]:
    """Responders by (measure, group): the one count every possible printing allows.

    A printing that no whole count can give (71.6% of 112) is a typo and is set
    aside; the others must agree on a single count, or this raises.
    """
    paper = mentions(SOURCE)
    out = {}
    for r in response_table().itertuples():
        printed = paper[paper["key"] == f"{r.measure.lower()}:{r.group.lower()}"]["printed"]
        sets = [set(counts_for_percent(t, r.n)) for t in printed]
        allowed = set.intersection(*[s for s in sets if s]) if any(sets) else set()
        if len(allowed) != 1:
            raise ValueError(f"{r.measure} {r.group}: printed values allow counts {sorted(allowed)}")
        out[(r.measure, r.group)] = allowed.pop()
    return out


def _response_findings() -> list[Finding]:
    out = []
    resp = response_table()
    paper = mentions(SOURCE)
    counts = response_counts()
    for measure, rows in resp.groupby("measure", sort=False):
        for _, r in rows.iterrows():
            key = f"{measure.lower()}:{r['group'].lower()}"
            printed = paper[paper["key"] == key]
            # Every printed version of this rate against n: which counts can give it?
            for loc, text in zip(printed["location"], printed["printed"]):
                possible = counts_for_percent(text, r["n"])
                fid = f"{SOURCE}:{slug(measure, r['group'], loc, 'grim')}"
                if possible:
                    out.append(Finding(fid, SOURCE, loc, f"{measure}, {r['group']}", text,
                                       f"{'/'.join(map(str, possible))} of {r['n']}", "percent-of-n",
                                       "consistent", f"{text} of {r['n']} patients is "
                                       f"{' or '.join(map(str, possible))} patients."))
                else:
                    lo = int(float(parse_value(text).value) * r["n"] / 100)
                    near = ", ".join(f"{k}/{r['n']} = {100 * k / r['n']:.1f}%" for k in (lo, lo + 1))
                    out.append(Finding(fid, SOURCE, loc, f"{measure}, {r['group']}", text,
                                       near, "percent-of-n", "inconsistent",
                                       f"No whole number of the {r['n']} patients gives {text} "
                                       f"({near}); this printing is a typo."))
        # The comparison's p, from the counts every possible printing allows.
        sizes = dict(zip(rows["group"], rows["n"]))
        table = np.array([[counts[(measure, g)], n - counts[(measure, g)]] for g, n in sizes.items()])
        variants = table_pvalues(table)
        rec = dict(zip(variants["variant"], variants["p"]))
        tbl = "; ".join(f"{g}: {counts[(measure, g)]}/{n}" for g, n in sizes.items())
        for m in paper[paper["key"] == f"{measure.lower()}:p"].itertuples():
            j = judge_p(m.printed, rec, ["Pearson χ²", "Fisher's exact test"])
            out.append(from_judgement(f"{SOURCE}:{slug(measure, 'p', m.location)}", SOURCE,
                                      m.location, f"{measure}: p, HER2-low vs HER2-zero ({tbl})",
                                      m.printed, "table-p", j))
    return out


# --- recompute: whole-cohort percentages of Results 3.1 against Table 1 -------------

# Results 3.1 prints whole-cohort percentages; Table 1 prints the counts by group.
_TEXT_TO_TABLE1 = {
    "r31-age65": ("Age group", "> 65 years"),
    "r31-ecog0": ("ECOG PS", "0"),
    "r31-premeno": ("Menopause status", "Premenopausal"),
    "r31-denovo-pct": ("Disease status", "De novo metastatic"),
    "r31-recurrent-pct": ("Disease status", "Recurrent metastatic"),
    "r31-visceral-pct": ("Site of metastasis", "Visceral"),
    "r31-2plus-sites": ("Number of metastatic site", "≥ 2 sites"),
    "r31-ribociclib": ("CDK4/6i", "Ribociclib"),
    "r31-first-line": ("Line of treatment", "First line"),
    "r31-later-line": ("Line of treatment", "Second line or later"),
    "r31-ai": ("Endocrine therapy", "AI"),
    "r31-fulv": ("Endocrine therapy", "Fulvestran"),
}


def _cohort_percent_findings() -> list[Finding]:
    rep = read_source_table(SOURCE, "reported.csv").set_index("id")
    cat = read_source_table(SOURCE, "categorical.csv")
    out = []
    for rid, (variable, category) in _TEXT_TO_TABLE1.items():
        r = rep.loc[rid]
        cells = cat[(cat["variable"] == variable) & (cat["category"] == category)]
        k = sum(parse_count(c) for c in cells["count"])
        res = check_percent(k, r["reported"], N_TOTAL)
        verdict = "consistent" if res["consistent"] else "inconsistent"
        why = (f"Table 1 gives {k} of {N_TOTAL} = {res['recomputed']}%, as printed."
               if res["consistent"] else
               f"Table 1 gives {k} of {N_TOTAL} = {res['recomputed']}%, not {r['reported']}; "
               f"{r['reported']} would need {res['possible_counts'] or 'no whole number of'} patients.")
        out.append(Finding(f"{SOURCE}:{slug('cohort-pct', rid)}", SOURCE, r["location"],
                           f"{variable}: {category}, whole cohort", r["reported"],
                           f"{k}/{N_TOTAL} = {res['recomputed']}%", "percent-of-n", verdict, why))
    # Counts printed with their percentage in the text: "24.6% (n = 52)", "106 patients (49.5%)".
    for rid, r in rep.iterrows():
        m = re.search(r"\(n = (\d+)\)|(\d+) patients \((\d+\.\d)%\)", r["quote"])
        if not r["reported"].endswith("%") or not m or rid in _TEXT_TO_TABLE1 or not r["n"]:
            continue
        k = int(m.group(1) or m.group(2))
        res = check_percent(k, r["reported"], parse_count(r["n"]))
        verdict = "consistent" if res["consistent"] else "inconsistent"
        why = (f"{k} of {r['n']} is {res['recomputed']}%, as printed." if res["consistent"] else
               f"{k} of {r['n']} is {res['recomputed']}%, not {r['reported']}.")
        out.append(Finding(f"{SOURCE}:{slug('text-pct', rid)}", SOURCE, r["location"], r["quantity"],
                           f"{r['reported']} (n = {k})", f"{k}/{r['n']} = {res['recomputed']}%",
                           "percent-of-n", verdict, why))
    return out


# --- reconstruct/recompute: survival comparisons ------------------------------------

def follow_up_window() -> float:
    """Upper end *b* of uniform censoring U(0, b) that gives 106 events among 212.

    Exponential PFS with each HER2 group's printed median; the expected share of
    patients with an event, 1 − (1 − e^{−λb})/(λb), averaged over the groups, is set
    to 106/212.  Staggered entry over 2018–2022 makes U(0, b) the natural shape.
    """
    surv = read_source_table(SOURCE, "survival.csv")
    t2 = surv[(surv["location"] == "Table 2") & surv["comparison"].str.contains("all group")]
    groups = [(parse_count(n), float(parse_value(m).value)) for n, m in zip(t2["n"], t2["median"])]

    def share(b: float) -> float:
        tot = 0.0
        for n, med in groups:
            lam = np.log(2) / med
            tot += n * (1 - (1 - np.exp(-lam * b)) / (lam * b))
        return tot / sum(n for n, _ in groups) - EVENTS_TOTAL / N_TOTAL

    return float(optimize.brentq(share, 1.0, 500.0))


def _comparisons() -> list[dict]:
    """Every two-group PFS comparison with both n and both medians printed."""
    surv = read_source_table(SOURCE, "survival.csv")
    out = []
    for (comparison, location), rows in surv.groupby(["comparison", "location"], sort=False):
        if len(rows) != 2 or not all(rows["n"]) or not all(rows["median"]) or not rows["p"].iloc[0]:
            continue
        out.append(dict(comparison=comparison, location=location, p=rows["p"].iloc[0],
                        key=[k for k in rows["key"].iloc[0].split(";") if k.startswith("pfs-p")][0],
                        groups=[GroupSummary(g, parse_count(n), float(parse_value(m).value))
                                for g, n, m in zip(rows["group"], rows["n"], rows["median"])]))
    return out


@lru_cache(maxsize=1)
def logrank_simulations() -> pd.DataFrame:
    """Simulated log-rank p of every printed two-group PFS comparison.

    One row per (comparison, replicate): ``key``, ``comparison``, ``p`` and the
    simulated events per group.  Printed n and medians are matched exactly; events
    follow from the common censoring window of :func:`follow_up_window`.
    """
    window = (0.0, follow_up_window())
    frames = []
    seen = set()
    for i, c in enumerate(_comparisons()):
        if c["key"] in seen:       # the same comparison printed in several places
            continue
        seen.add(c["key"])
        sim = logrank_p_distribution(c["groups"], reps=SIM_REPS, seed=SEED + i, follow_up=window)
        sim = sim.assign(key=c["key"], comparison=c["comparison"].split(",")[0] if "within" in c["comparison"]
                         else c["comparison"])
        sim["events"] = sim.filter(like="events_").sum(axis=1)
        frames.append(sim[["key", "comparison", "p", "z", "events"]])
    return pd.concat(frames, ignore_index=True)


def simulation_summary() -> pd.DataFrame:
    """Per comparison: every printed p and where it falls among the simulated p's."""
    sims = logrank_simulations()
    rows = []
    for c in _comparisons():
        s = sims[sims["key"] == c["key"]]["p"].to_numpy()
        rep = parse_p(c["p"])
        lo, hi = np.quantile(s, IMPLAUSIBLE_QUANTILES)
        inside = rep.interval.overlaps(parse_p(f"{lo:.6f}").interval.__class__.hull([lo, hi]))
        share_below = float(np.mean(s <= float(rep.interval.high)))
        rows.append(dict(key=c["key"], location=c["location"], comparison=c["comparison"],
                         printed=c["p"], sim_median=float(np.median(s)), sim_low=float(lo),
                         sim_high=float(hi), share_at_or_below=share_below,
                         share_significant=float(np.mean(s < 0.05)), plausible=bool(inside),
                         groups=" vs ".join(f"{g.label} (n = {g.n}, {g.median:g} mo)" for g in c["groups"])))
    return pd.DataFrame(rows)


def _survival_findings() -> list[Finding]:
    out = []
    for r in simulation_summary().itertuples():
        fid = f"{SOURCE}:{slug('logrank-sim', r.key, r.location)}"
        rec = (f"simulated p: median {r.sim_median:.2f}, 99% range {r.sim_low:.3f}–{r.sim_high:.2f}; "
               f"p < 0.05 in {100 * r.share_significant:.0f}%")
        if r.plausible:
            verdict = "consistent"
            why = (f"Data with these group sizes and medians give log-rank p-values like the printed "
                   f"p = {r.printed} ({100 * r.share_at_or_below:.0f}% of reconstructions are at or below it).")
        else:
            verdict = "implausible"
            why = (f"Reconstructions with these group sizes and medians give p between {r.sim_low:.3f} and "
                   f"{r.sim_high:.2f} (99% range); the printed p = {r.printed} lies outside.")
        out.append(Finding(fid, SOURCE, r.location, f"PFS log-rank p, {r.comparison}", f"p = {r.printed}",
                           rec, "logrank-simulation", verdict, why))
    return out


IHC_KEY = "pfs-p:ihc0-vs-1plus-vs-2plus"
IHC_REPS = 500


@lru_cache(maxsize=1)
def ihc_simulation() -> pd.DataFrame:
    """HER2 IHC 0 vs 1+ vs 2+ (Results 3.5): log-rank p over every possible 1+/2+ split.

    The text prints the three medians and p = 0.55, but not how the 112 HER2-low
    patients divide into IHC 1+ and 2+; so the three-group log-rank p is simulated
    for splits from 10/102 to 102/10 and the chapter reports the range.
    """
    surv = read_source_table(SOURCE, "survival.csv")
    rows = surv[surv["key"].str.contains(IHC_KEY, regex=False)]
    med = {g: float(parse_value(m).value) for g, m in zip(rows["group"], rows["median"])}
    groups_n = read_source_table(SOURCE, "groups.csv")
    n_low = parse_count(groups_n[(groups_n["table"] == "Table 1") & (groups_n["group"] == "HER2-low")]["n"].iloc[0])
    zero = rows[rows["group"] == "HER2-zero"].iloc[0]
    window = (0.0, follow_up_window())
    frames = []
    for i, n1 in enumerate(range(10, n_low - 9, 8)):
        groups = [GroupSummary("IHC 0", parse_count(zero["n"]), med["HER2-zero"]),
                  GroupSummary("IHC 1+", n1, med["HER2-low 1+"]),
                  GroupSummary("IHC 2+", n_low - n1, med["HER2-low 2+"])]
        sim = logrank_p_distribution(groups, reps=IHC_REPS, seed=SEED + 100 + i, follow_up=window)
        frames.append(pd.DataFrame({"n_1plus": n1, "p": sim["p"]}))
    out = pd.concat(frames, ignore_index=True)
    out.attrs["printed"] = rows["p"].iloc[0]
    out.attrs["location"] = rows["location"].iloc[0]
    return out


def _ihc_findings() -> list[Finding]:
    sim = ihc_simulation()
    printed = parse_p(sim.attrs["printed"])
    by_split = sim.groupby("n_1plus")["p"]
    lo, hi = by_split.quantile(IMPLAUSIBLE_QUANTILES[0]), by_split.quantile(IMPLAUSIBLE_QUANTILES[1])
    inside = [(printed.interval.high >= l) and (printed.interval.low <= h) for l, h in zip(lo, hi)]
    rec = (f"simulated p over {len(lo)} possible 1+/2+ splits: medians "
           f"{by_split.median().min():.2f}–{by_split.median().max():.2f}")
    if all(inside):
        verdict, why = "consistent", (
            f"Whatever the split of the HER2-low patients into IHC 1+ and 2+ (not printed), "
            f"three groups with these medians give log-rank p-values like the printed {sim.attrs['printed']}.")
    else:
        verdict, why = "implausible", (
            f"For {inside.count(False)} of {len(inside)} possible 1+/2+ splits the printed p lies "
            "outside the central 99% of simulated p-values.")
    return [Finding(f"{SOURCE}:logrank-sim.ihc-3-groups", SOURCE, sim.attrs["location"],
                    "PFS log-rank p, HER2 IHC 0 vs 1+ vs 2+", f"p = {sim.attrs['printed']}", rec,
                    "logrank-simulation", verdict, why)]


def _unsimulable_findings() -> list[Finding]:
    """Printed survival p-values whose comparison lacks the sizes or medians a check needs."""
    surv = read_source_table(SOURCE, "survival.csv")
    out = []
    for (comparison, location), rows in surv.groupby(["comparison", "location"], sort=False):
        if not rows["p"].iloc[0] or IHC_KEY in rows["key"].iloc[0]:
            continue
        missing = [what for what, col in (("group sizes", "n"), ("medians", "median")) if not all(rows[col])]
        if not missing:
            continue
        out.append(Finding(f"{SOURCE}:{slug('logrank-sim', comparison[:40], location)}", SOURCE, location,
                           f"PFS log-rank p, {comparison}", f"p = {rows['p'].iloc[0]}", "",
                           "logrank-simulation", "not-checkable",
                           f"The paper does not print the {' or the '.join(missing)} of this comparison, "
                           "so no reconstruction can test its p."))
    return out


DISPUTE_KEY = "pfs-p:recurrent-vs-denovo:her2-low"
DISPUTE_REPS = 20_000
DECISIVE_RATIO = 3.0
"""A density ratio beyond 3 (either way) is taken to favour one printed p over the other."""


@lru_cache(maxsize=1)
def dispute_simulation() -> pd.DataFrame:
    """The recurrent vs de novo comparison within HER2-low, printed as p = 0.04 and p = 0.26.

    20,000 reconstructions of the two groups (59 recurrent, median 17.9; 53 de novo,
    median 13.4), censoring as in :func:`follow_up_window`.
    """
    c = next(c for c in _comparisons() if c["key"] == DISPUTE_KEY)
    return logrank_p_distribution(c["groups"], reps=DISPUTE_REPS, seed=SEED,
                                  follow_up=(0.0, follow_up_window()))


def dispute_summary() -> pd.DataFrame:
    """For each printed p of the disputed comparison: how many reconstructions land on it.

    ``share_in_interval`` is the share of reconstructions whose p lies in the printed
    value's rounding interval (both intervals are 0.01 wide, so the ratio of shares
    is the ratio of the densities at the two printed values).
    """
    p = dispute_simulation()["p"].to_numpy()
    surv = read_source_table(SOURCE, "survival.csv")
    printed = surv[surv["key"].str.contains(DISPUTE_KEY, regex=False)].drop_duplicates("location")
    rows = []
    for loc, text in zip(printed["location"], printed["p"]):
        iv = parse_p(text).interval
        inside = (p >= float(iv.low)) & (p <= float(iv.high))
        rows.append(dict(location=loc, printed=text, share_in_interval=float(inside.mean()),
                         share_at_or_below=float((p <= float(iv.high)).mean())))
    out = pd.DataFrame(rows)
    first, second = out["share_in_interval"]
    out.attrs.update(reps=len(p), share_significant=float((p < 0.05).mean()),
                     median_p=float(np.median(p)),
                     density_ratio=float(second / first) if first else float("inf"))
    return out


def _model_rule_findings() -> list[Finding]:
    """Methods 2.5: 'Variables with p < 0.05 in univariate analysis were included in multivariate models'."""
    ratios = read_source_table(SOURCE, "ratios.csv")
    uni = ratios[ratios["model"] == "univariate"]
    multi_keys = {k.split(":")[1] for k in ratios[ratios["model"] == "multivariate"]["key"]}
    out = []
    for r in uni.itertuples():
        name = r.key.split(":")[1]
        qualifies = parse_p(r.p).interval.below(0.05)
        entered = name in multi_keys
        if qualifies == entered:
            continue
        if entered:
            why = (f"{r.variable} entered the multivariable model although its univariate p = {r.p} "
                   "is not below 0.05, against the rule the Methods state.")
        else:
            why = (f"{r.variable} had univariate p = {r.p}, so by the stated rule it should be in the "
                   "multivariable model, but no multivariable estimate is printed for it.")
        out.append(Finding(f"{SOURCE}:{slug('model-entry', name)}", SOURCE, "Methods 2.5; Table 3; Results 3.6",
                           f"entry of {r.variable} into the multivariable Cox model", f"univariate p = {r.p}",
                           "entered" if entered else "not shown", "model-entry-rule", "inconsistent", why))
    return out


def _dispute_findings() -> list[Finding]:
    d = dispute_summary()
    a, b = d.iloc[0], d.iloc[1]
    ratio = d.attrs["density_ratio"]   # second printed value (Discussion) over first (Results)
    rec = (f"{100 * d.attrs['share_significant']:.0f}% of {d.attrs['reps']:,} reconstructions give p < 0.05; "
           f"density at p = {b['printed']} is {ratio:.1f}× that at p = {a['printed']}")
    share = f"{100 * d.attrs['share_significant']:.0f}%"
    if 1 / DECISIVE_RATIO <= ratio <= DECISIVE_RATIO:
        verdict = "not-checkable"
        why = (f"Both printed values are ordinary outcomes of data with these group sizes and medians "
               f"(density ratio {ratio:.1f}; {share} of reconstructions give p < 0.05): the printed "
               "medians cannot decide which p the authors computed; only the patient data can.")
    else:
        favoured, other = (b, a) if ratio > 1 else (a, b)
        verdict = "implausible"
        why = (f"Reconstructions land near p = {favoured['printed']} ({favoured['location']}) "
               f"{max(ratio, 1 / ratio):.1f} times as often as near p = {other['printed']} "
               f"({other['location']}); {share} give p < 0.05.")
    return [Finding(f"{SOURCE}:dispute.recurrent-vs-denovo-her2-low", SOURCE,
                    f"{a['location']}; {b['location']}", "PFS log-rank p, recurrent vs de novo within HER2-low",
                    f"p = {a['printed']} ({a['location']}); p = {b['printed']} ({b['location']})", rec,
                    "logrank-simulation", verdict, why)]


# --- reconstruct: one synthetic cohort -------------------------------------------------

_RECON = "reconstructed"


def _table1_margins() -> dict[str, dict[str, list[tuple[str, int]]]]:
    cat = read_source_table(SOURCE, "categorical.csv")
    margins: dict[str, dict[str, list[tuple[str, int]]]] = {}
    for (variable, group), rows in cat.groupby(["variable", "group"], sort=False):
        margins.setdefault(group, {})[variable] = [(c, parse_count(k)) for c, k in
                                                   zip(rows["category"], rows["count"])]
    return margins


_SUBGROUPS = {
    "PFS (all group)": None,
    "1st line treatment": ("Line of treatment", "First line"),
    "2nd line and above": ("Line of treatment", "Second line or later"),
    "De novo metastatic": ("Disease status", "De novo metastatic"),
    "Recurrent metastatic": ("Disease status", "Recurrent metastatic"),
    "1 metastatic site": ("Number of metastatic site", "1 site"),
    "2 and above met site": ("Number of metastatic site", "≥ 2 sites"),
    "Use of ribociclib": ("CDK4/6i", "Ribociclib"),
    "Use of palbociclib": ("CDK4/6i", "Palbociclib"),
}
FIT_TOLERANCE = 0.05
"""A reconstructed median within half a unit of the printed one's last digit matches it."""
FIT_ITERATIONS = 60_000


def _table2_targets() -> dict[str, dict[str, float]]:
    """Table 2 median PFS by HER2 group and subgroup label."""
    surv = read_source_table(SOURCE, "survival.csv")
    out: dict[str, dict[str, float]] = {}
    for r in surv[surv["location"] == "Table 2"].itertuples():
        out.setdefault(r.group, {})[r.comparison.split(", ", 1)[1]] = float(parse_value(r.median).value)
    return out


def _expected_events(median: float) -> float:
    """Expected share with an event: exponential PFS, censoring uniform on (0, 2 × 24.7)."""
    lam, b = np.log(2) / median, 2 * FOLLOW_UP
    return float(1 - (1 - np.exp(-lam * b)) / (lam * b))


def expected_event_share() -> float:
    """Share of the cohort expected to progress under exponential PFS with the Table 2 medians
    and follow-up spread evenly over (0, 2 × 24.7) months (the paper has 106/212)."""
    groups = read_source_table(SOURCE, "groups.csv")
    t1 = groups[groups["table"] == "Table 1"]
    targets = _table2_targets()
    sizes = {g: parse_count(n) for g, n in zip(t1["group"], t1["n"])}
    return sum(n * _expected_events(targets[g]["PFS (all group)"]) for g, n in sizes.items()) / sum(sizes.values())


def _group_times(n: int, events: int, median: float, rng: np.random.Generator):
    """n (time, event) pairs with exactly *events* events and KM median exactly *median*.

    Exponential PFS and uniform potential follow-up on (0, 2 × 24.7) months (so the
    reverse-KM median follow-up lands near the printed 24.7) give about 60% events;
    the paper has 50%.  The surplus events are the latest ones, turned into patients
    still progression-free at their last follow-up: a hazard that falls after the
    median, the only way these three printed numbers fit together.  Finally the
    time axis is rescaled so that the KM median is exactly the printed one.
    """
    t, e, _ = draw_with_median(n, events, median, (0, 2 * FOLLOW_UP), rng, drops=("late",), tries=1000)
    return t, e


def _assign_times(df: pd.DataFrame, times: np.ndarray, events: np.ndarray, targets: dict[str, float],
                  rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Fit every Table 2 median of one HER2 group by moving times between patients.

    A seeded hill climb over two moves: swap the (time, event) pairs of two patients,
    or stretch one patient's time by a few per cent.  A move is kept when it does not
    increase the total distance of the subgroup medians (and of the group's overall
    median) from Table 2 beyond :data:`FIT_TOLERANCE`; it stops when every median is
    within tolerance.  Events per patient move with the pairs, so the number of
    events never changes.
    """
    masks = [np.ones(len(df), bool)] + [(df[v] == c).to_numpy() for vc in _SUBGROUPS.values() if vc
                                        for v, c in [vc]]
    goals = np.array([targets[lab] for lab in _SUBGROUPS])
    t, e = times.copy(), events.copy()

    def loss(t, e):
        meds = np.array([km_medians(t[m], e[m])[0] for m in masks])
        dist = np.abs(np.where(np.isfinite(meds), meds, 1e3) - goals)  # NaN: median not reached
        return np.maximum(dist - FIT_TOLERANCE, 0.0)

    cur = loss(t, e)
    for _ in range(FIT_ITERATIONS):
        if cur.max() == 0:
            break
        old_t, old_e = t.copy(), e.copy()
        if rng.random() < 0.5:
            i, j = rng.choice(len(t), 2, replace=False)
            t[[i, j]], e[[i, j]] = t[[j, i]], e[[j, i]]
        else:
            i = rng.integers(len(t))
            t[i] *= np.exp(rng.normal(0, 0.03))
        new = loss(t, e)
        if new.sum() <= cur.sum():
            cur = new
        else:
            t, e = old_t, old_e
    return t, e


def reconstruct() -> list[Path]:
    """Write ``data/ozcan/reconstructed/cohort.csv``: 212 synthetic patients.

    * Table 1: every variable's counts by HER2 group exactly.  The paper prints no
      joint distribution, so variables are independent within a HER2 group, except
      that the three-level "Treatment line" nests inside "Line of treatment".
    * Best response: CR/PR, SD and PD counts giving the printed ORR and DCR (ORR
      80/112 = 71.4%, the only value n = 112 allows; see the chapter).
    * PFS: :func:`_group_times` per HER2 group — exactly 106 events (split by the
      groups' expected shares), potential follow-up uniform on (0, 2 × 24.7)
      months; then :func:`_assign_times` moves times between patients until every
      Table 2 median of the group (overall and eight subgroups) is within rounding.
    * OS status: 52 deaths, drawn among patients with progression.
    """
    rng = np.random.default_rng(SEED)
    margins = _table1_margins()
    targets = _table2_targets()
    responders = response_counts()
    frames = []
    sizes = {g: sum(c for _, c in margins[g]["Age group"]) for g in ("HER2-zero", "HER2-low")}
    # events split by each group's expected share under the common censoring
    expected = {g: sizes[g] * _expected_events(targets[g]["PFS (all group)"]) for g in sizes}
    ev_zero = int(round(EVENTS_TOTAL * expected["HER2-zero"] / sum(expected.values())))
    events_by_group = {"HER2-zero": ev_zero, "HER2-low": EVENTS_TOTAL - ev_zero}
    for group in ("HER2-zero", "HER2-low"):
        vars_ = margins[group]
        n = sizes[group]
        df = pd.DataFrame({"her2": [group] * n})
        for variable, cats in vars_.items():
            if variable == "Treatment line":
                continue
            df[variable] = rng.permutation(np.repeat([c for c, _ in cats], [c_ for _, c_ in cats]))
        later = df.index[df["Line of treatment"] != "First line"]
        later_cats = [(c, c_) for c, c_ in vars_["Treatment line"] if c != "First line"]
        df["Treatment line"] = "First line"
        df.loc[later, "Treatment line"] = rng.permutation(
            np.repeat([c for c, _ in later_cats], [c_ for _, c_ in later_cats]))
        orr, dcr = responders[("ORR", group)], responders[("DCR", group)]
        df["best_response"] = rng.permutation(np.repeat(["CR/PR", "SD", "PD"], [orr, dcr - orr, n - dcr]))
        t, e = _group_times(n, events_by_group[group], targets[group]["PFS (all group)"], rng)
        t, e = _assign_times(df, t, e, targets[group], rng)
        df["pfs_months"] = np.round(t, 6)
        df["pfs_event"] = e.astype(int)
        frames.append(df)
    cohort = pd.concat(frames, ignore_index=True)
    prog = cohort.index[cohort["pfs_event"] == 1]
    cohort["os_death"] = 0
    cohort.loc[rng.choice(prog, DEATHS_TOTAL, replace=False), "os_death"] = 1
    cohort.insert(0, "patient", [f"S{i:03d}" for i in range(1, len(cohort) + 1)])
    folder = data_dir() / SOURCE / _RECON
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cohort.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(SYNTHETIC_HEADER + "\n")
        cohort.to_csv(fh, index=False, lineterminator="\n", float_format="%.6f")
    return [path]


def read_reconstruction() -> pd.DataFrame:
    """The synthetic cohort (run ``python -m recheck reconstruct`` to regenerate it)."""
    path = data_dir() / SOURCE / _RECON / "cohort.csv"
    with path.open(encoding="utf-8") as fh:
        first = fh.readline()
        if not first.startswith("# SYNTHETIC"):
            raise DataError(path, 1, None, "a reconstructed file must start with its '# SYNTHETIC' notice")
        return pd.read_csv(fh)




def reconstruction_fit() -> pd.DataFrame:
    """Every printed target against the reconstructed cohort: what matches, and by how much."""
    cohort = read_reconstruction()
    rows = []
    cat = read_source_table(SOURCE, "categorical.csv")
    for r in cat.itertuples():
        k = int(((cohort["her2"] == r.group) & (cohort[r.variable] == r.category)).sum())
        rows.append(dict(target=f"Table 1: {r.variable} = {r.category}", group=r.group,
                         printed=r.count, reconstructed=str(k), difference=k - parse_count(r.count),
                         fitted="exactly (by construction)"))
    for (measure, group), r in response_table().set_index(["measure", "group"]).iterrows():
        # the printed Table 2 value is the target, even where it is the impossible 71.6%
        ok = ["CR/PR"] if measure == "ORR" else ["CR/PR", "SD"]
        sub = cohort[cohort["her2"] == group]
        k = int(sub["best_response"].isin(ok).sum())
        rows.append(dict(target=f"Table 2: {measure}", group=group, printed=r["printed"],
                         reconstructed=f"{k}/{len(sub)} = {100 * k / len(sub):.1f}%",
                         difference=round(100 * k / len(sub) - float(parse_value(r["printed"]).value), 1),
                         fitted="exactly (by construction)"))
    surv = read_source_table(SOURCE, "survival.csv")
    for r in surv[surv["location"] == "Table 2"].itertuples():
        label = r.comparison.split(", ", 1)[1]
        sub = cohort[cohort["her2"] == r.group]
        if _SUBGROUPS[label]:
            var, cat_ = _SUBGROUPS[label]
            sub = sub[sub[var] == cat_]
        m = km_median(sub["pfs_months"], sub["pfs_event"].astype(bool))
        printed = float(parse_value(r.median).value)
        rows.append(dict(target=f"Table 2: median PFS, {label}", group=r.group, printed=r.median,
                         reconstructed=f"{m:.2f}", difference=round(m - printed, 2),
                         fitted="fitted (within rounding)" if abs(m - printed) <= FIT_TOLERANCE
                         else "fitted (not reached)"))
    ev = int(cohort["pfs_event"].sum())
    rows.append(dict(target="Results 3.2: progression events", group="all", printed=str(EVENTS_TOTAL),
                     reconstructed=str(ev), difference=ev - EVENTS_TOTAL, fitted="exactly (by construction)"))
    deaths = int(cohort["os_death"].sum())
    rows.append(dict(target="Results 3.2: deaths", group="all", printed=str(DEATHS_TOTAL),
                     reconstructed=str(deaths), difference=deaths - DEATHS_TOTAL, fitted="exactly (by construction)"))
    fu = reverse_km_median(cohort["pfs_months"], cohort["pfs_event"].astype(bool))
    rows.append(dict(target="Results 3.2: median follow-up (reverse KM)", group="all", printed=f"{FOLLOW_UP}",
                     reconstructed=f"{fu:.1f}", difference=round(fu - FOLLOW_UP, 1), fitted="not fitted"))
    return pd.DataFrame(rows)


def p_comparison() -> pd.DataFrame:
    """Every printed p of a table of counts (Table 1, ORR, DCR) beside its recomputation.

    Columns ``comparison``, ``printed`` (text), ``printed_value``, ``stated_p`` (the
    stated test: Pearson for Table 1; Pearson or Fisher for the response rates, the
    one nearer the printed value), ``p_low``/``p_high`` (the range over every variant).
    """
    from .common import table_p_variants
    rows = []
    for (table, variable), v in table_p_variants(SOURCE).groupby(["table", "variable"], sort=False):
        rows.append(dict(comparison=f"{table}: {variable}", printed=v["printed"].iloc[0],
                         stated_p=float(v.loc[v["stated"], "p"].iloc[0]),
                         p_low=float(v["p"].min()), p_high=float(v["p"].max())))
    counts, paper, resp = response_counts(), mentions(SOURCE), response_table()
    for measure in ("ORR", "DCR"):
        mine = resp[resp["measure"] == measure]
        sizes = dict(zip(mine["group"], mine["n"]))
        table = np.array([[counts[(measure, g)], n - counts[(measure, g)]] for g, n in sizes.items()])
        variants = table_pvalues(table).set_index("variant")["p"]
        for m in paper[paper["key"] == f"{measure.lower()}:p"].itertuples():
            rep = parse_p(m.printed)
            if rep.relation != "=":
                continue
            stated = min((variants["Pearson χ²"], variants["Fisher's exact test"]),
                         key=lambda x: abs(x - float(rep.value)))
            rows.append(dict(comparison=f"{measure} ({m.location})", printed=m.printed, stated_p=float(stated),
                             p_low=float(variants.min()), p_high=float(variants.max())))
    out = pd.DataFrame(rows)
    out["printed_value"] = [float(parse_p(t).value) for t in out["printed"]]
    return out


_KM_PANELS = (
    ("All patients, by HER2", None, "her2", ("HER2-zero", "HER2-low")),
    ("First line, by HER2", ("Line of treatment", "First line"), "her2", ("HER2-zero", "HER2-low")),
    ("Second line or later, by HER2", ("Line of treatment", "Second line or later"), "her2",
     ("HER2-zero", "HER2-low")),
    ("HER2-low: disease status", ("her2", "HER2-low"), "Disease status",
     ("De novo metastatic", "Recurrent metastatic")),
    ("HER2-low: metastatic sites", ("her2", "HER2-low"), "Number of metastatic site", ("1 site", "≥ 2 sites")),
)


def plot_reconstructed_km(axes) -> None:
    """Kaplan–Meier PFS (lifelines) of the synthetic cohort, one panel of :data:`_KM_PANELS` per axis."""
    from lifelines import KaplanMeierFitter

    from ..show import label_reconstructed
    cohort = read_reconstruction()
    for ax, (title, subset, col, levels) in zip(axes, _KM_PANELS):
        sub = cohort if subset is None else cohort[cohort[subset[0]] == subset[1]]
        for level, colour in zip(levels, ("#E69F00", "#0072B2")):
            g = sub[sub[col] == level]
            KaplanMeierFitter(label=f"{level} (n = {len(g)})").fit(
                g["pfs_months"], g["pfs_event"].astype(bool)).plot_survival_function(
                ax=ax, ci_show=False, color=colour)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("months")
        ax.legend(fontsize=7)
        label_reconstructed(ax)


def ratio_table() -> pd.DataFrame:
    """Every printed PFS hazard ratio of the paper's own models with the centre its CI implies."""
    from ..ratios import check_ratio
    ratios = read_source_table(SOURCE, "ratios.csv")
    rows = []
    for r in ratios[ratios["model"].isin(["univariate", "multivariate"])].itertuples():
        c = check_ratio(r.estimate, r.ci_low, r.ci_high, r.p or None)
        rows.append(dict(label=f"{r.variable} ({r.location.replace('Table 3, ', 'T3 ')})",
                         estimate=float(r.estimate), ci_low=float(r.ci_low), ci_high=float(r.ci_high),
                         centre=float((c.centre.low + c.centre.high) / 2), model=r.model))
    return pd.DataFrame(rows)


# --- all findings ------------------------------------------------------------------------

def findings() -> list[Finding]:
    """Every finding for the paper (``ozcan``) and the news write-up (``ozcan-news``)."""
    from .patina import quoted_findings   # trial results quoted in the Discussion
    return (standard_findings(SOURCE) + _cohort_percent_findings() + _response_findings()
            + _cross_location_findings() + _model_rule_findings() + _survival_findings()
            + _dispute_findings() + _ihc_findings() + _unsimulable_findings()
            + quoted_findings(SOURCE) + _news_findings())
