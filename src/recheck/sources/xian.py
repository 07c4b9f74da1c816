"""Findings for the Xi'an chapter (Ran et al., BMC Cancer 2024), computed from ``data/xian/``.

What runs here, on top of the whole-table checks of :mod:`recheck.sources.common`:

* **two-group table p-values.**  Tables 1–3 print an *All patients* column next to the
  HR+/HER2+ and HR−/HER2+ columns.  The whole-table check treats every column as a
  group, so it tests a 3-column table whose first column is the sum of the other two;
  here the p of each variable is recomputed from the two HR columns only (same finding
  id, so it replaces the whole-table one).  Table 3 site rows (non-exclusive, one p per
  site) are tested as 2×2 tables; their column sums are not checked against n.
* **cross-location**: every quantity printed in more than one place (rows sharing a
  ``key`` across ``data/xian/*.csv``);
* **prose percentages** printed as ``p% (k/n)`` and first-line treatment aggregates;
* **pCR**: every pCR percentage against its n, every pCR comparison recomputed from the
  implied counts (or, where the subgroup sizes are only in the supplement, over every
  size the printed percentages allow);
* **claims**: every sentence that calls a difference significant, not significant or a
  trend, against what it rests on;
* **survival**: deaths and DFS events by group against their totals, and the advanced-OS
  log-rank p against reconstructions from the printed sizes, deaths and medians;
* **grouping by treatment received** (:func:`grouping_bias_simulation`): how small a
  hazard ratio the way the paper formed its "maintenance endocrine therapy" groups gives
  when the therapy does nothing;
* everything that rests only on supplementary tables or figures: *not-checkable*.

:func:`reconstruct` writes a synthetic cohort matching the Table 1–2 margins.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..contingency import table_pvalues
from ..data import DataError, data_dir, read_csv, read_source_table
from ..findings import Finding, from_judgement
from ..judge import VERDICTS, Judgement, judge_mentions, judge_p, side_of_alpha
from ..percent import check_percent, counts_for_percent, format_percent
from ..ratios import check_ratio
from ..reported import parse_count, parse_p
from ..survival import draw_with_median, exact_event_draws, km_median, km_medians
from .common import slug, standard_findings, stated_variants

SOURCE = "xian"
HRPOS, HRNEG, ALL = "HR+/HER2+", "HR-/HER2+", "All patients"
STATED_TEST = "chi-square test or Fisher's exact test"
"""Methods: "chi-square test or Fisher's exact test" (the Abstract says chi-square)."""

NON_EXCLUSIVE = {("Table 3", "Metastatic sites"), ("Table 3", "First metastatic site")}
SYNTHETIC_HEADER = ("# SYNTHETIC data: made from the published aggregates of Ran et al., "
                    "BMC Cancer 2024 (Tables 1-4 and Results), not patient records.")

__all__ = ["findings", "designs", "grouping_bias_simulation", "grouping_bias_replicates", "cox_binary_hr",
           "pcr_table", "pcr_comparisons", "claim_verdict", "read_claim_verdicts", "survival_findings", "reconstruct",
           "read_cohort", "os_pooled_tail", "margins_check", "forest_table", "chapter_numbers", "plot_pcr",
           "plot_forest", "plot_grouping", "SYNTHETIC_HEADER"]


def _f(id_: str, location: str, quantity: str, reported: str, recomputed: str, check: str,
       verdict: str, explanation: str) -> Finding:
    return Finding(f"{SOURCE}:{id_}", SOURCE, location, quantity, reported, recomputed, check,
                   verdict, explanation)


def _sub(label: str) -> str:
    """An id fragment for a receptor subgroup: ``ER-/PR+`` → ``erneg-prpos``."""
    return slug(label.replace("-", "−"))


def _fmt_p(p: float) -> str:
    return ("<0.0001" if p < 1e-4 else f"{p:.4f}" if p < 1e-3 else f"{p:.3f}" if p < 0.1
            else f"{p:.2f}")


# --------------------------------------------------------------------------------------
# Printed values, read by key: nothing the paper prints is typed in this module
# --------------------------------------------------------------------------------------

def _printed(name: str, key: str, column: str) -> str:
    """The printed *column* of the rows of ``data/xian/<name>`` with this *key* (first non-empty)."""
    df = _read_cached(str(data_dir()), name)
    values = [v for v in df.loc[df["key"] == key, column] if v.strip()]
    if not values:
        raise DataError(data_dir() / SOURCE / name, None, column,
                        f"no row with key {key!r} prints a {column!r}")
    return values[0]


def _printed_count(name: str, key: str, column: str) -> int:
    return parse_count(_printed(name, key, column))


def _group_n(table: str, group: str) -> int:
    """The n of one ``groups.csv`` row: a table's column n, or an analysis population's size."""
    g = _read_cached(str(data_dir()), "groups.csv")
    rows = g[(g["table"] == table) & (g["group"] == group)]
    if len(rows) != 1:
        raise DataError(data_dir() / SOURCE / "groups.csv", None, "group",
                        f"expected one {table!r} row for {group!r}, found {len(rows)}")
    return parse_count(rows["n"].iloc[0])


def _p_in_text(text: str) -> str:
    """The p of a printed phrase as :func:`recheck.reported.parse_p` reads it:
    ``"all P value < 0.05"`` → ``"< 0.05"``, ``"P = 0.921"`` → ``"0.921"``."""
    m = re.search(r"([<>≤≥=])?\s*(\d*\.\d+)\s*$", text.strip())
    if not m:
        raise ValueError(f"no p in {text!r}")
    rel, num = m.group(1), m.group(2)
    return num if rel in (None, "=") else f"{rel} {num}"


# --------------------------------------------------------------------------------------
# Tables 1–4: two-group p-values, non-exclusive rows, Table 4 sub-rows
# --------------------------------------------------------------------------------------

def _categorical() -> pd.DataFrame:
    return _read_cached(str(data_dir()), "categorical.csv").copy()


@lru_cache(maxsize=8)
def _read_cached(folder: str, name: str) -> pd.DataFrame:
    del folder  # part of the cache key only: a different data folder is a different file
    if name in ("categorical.csv", "continuous.csv", "survival.csv", "ratios.csv", "reported.csv",
                "groups.csv"):
        return read_source_table(SOURCE, name)
    return read_csv(data_dir() / SOURCE / name)


def _two_group_p(counts: pd.DataFrame) -> tuple[dict, list[str]]:
    variants = table_pvalues(counts)
    return dict(zip(variants["variant"], variants["p"])), stated_variants(STATED_TEST, variants)


def table_p_two_groups() -> list[Finding]:
    """Each variable's printed p against the HR+ vs HR− table (the All column left out)."""
    cat = _categorical()
    cat = cat[cat["group"] != ALL]
    out = []
    for (table, variable), rows in cat.groupby(["table", "variable"], sort=False):
        loc = f"{table}, {variable}"
        if (table, variable) in NON_EXCLUSIVE:
            for category, r in rows.groupby("category", sort=False):
                n = {g: _group_n("Table 3", g) for g in (HRPOS, HRNEG)}
                k = {g: parse_count(c) for g, c in zip(r["group"], r["count"])}
                counts = pd.DataFrame({g: [k[g], n[g] - k[g]] for g in (HRPOS, HRNEG)},
                                      index=["yes", "no"])
                rec, stated = _two_group_p(counts)
                j = judge_p(r["p"].iloc[0], rec, stated)
                j = Judgement(j.verdict, j.recomputed, j.explanation + (
                    f" Tested as {k[HRPOS]}/{n[HRPOS]} vs {k[HRNEG]}/{n[HRNEG]} with versus "
                    "without this site."), j.matching)
                out.append(from_judgement(f"{SOURCE}:{slug(table, variable, category, 'p')}", SOURCE,
                                          f"{loc}: {category}", f"{category}: p HR+ vs HR−",
                                          r["p"].iloc[0], "table-p", j))
            continue
        ps = rows["p"].unique()
        if len(ps) != 1 or not ps[0]:
            continue
        counts = rows.pivot_table(index="category", columns="group", values="count",
                                  aggfunc="first", sort=False).map(parse_count)
        rec, stated = _two_group_p(counts)
        j = judge_p(ps[0], rec, stated)
        j = Judgement(j.verdict, j.recomputed, j.explanation +
                      " Tested on the HR+ and HR− columns only (the All column is their sum).",
                      j.matching)
        out.append(from_judgement(f"{SOURCE}:{slug(table, variable, 'p')}", SOURCE, loc,
                                  f"{variable}: p across groups", ps[0], "table-p", j))
    return out


def table4_subrows() -> list[Finding]:
    """Table 4's indented single-/dual-target rows against their parent row."""
    cat = _categorical()
    t4 = cat[cat["table"] == "Table 4"]
    parents = t4[t4["variable"] == "Systemic therapy regimens"]
    out = []
    for (variable, group), rows in t4[t4["variable"] != "Systemic therapy regimens"].groupby(
            ["variable", "group"], sort=False):
        parent = parents[(parents["category"] == variable) & (parents["group"] == group)]
        total = sum(parse_count(c) for c in rows["count"])
        pc = parse_count(parent["count"].iloc[0])
        out.append(_f(slug("Table 4", variable, group, "count-sum"), f"Table 4, {variable} ({group})",
                      f"{variable}: sub-rows against the parent row",
                      f"parent row {pc}", f"sub-rows add to {total}", "count-sum",
                      "consistent" if total == pc else "inconsistent",
                      f"The single- and dual-target rows add up to the parent row ({total})."
                      if total == pc else f"The sub-rows add to {total}, not the parent row's {pc}."))
    return out


def _adjusted_standard() -> list[Finding]:
    """The whole-table checks, with the ones that do not apply to this layout replaced."""
    std = standard_findings(SOURCE)
    replaced = {f.id: f for f in table_p_two_groups() + table4_subrows()}
    out, seen = [], set()
    for f in std:
        tv = [(t, v) for t, v in NON_EXCLUSIVE if f.id.startswith(f"{SOURCE}:{slug(t, v)}.")]
        if tv and f.check in ("count-sum", "percent-sum"):
            continue  # non-exclusive site lists need not add up to n
        if f.check == "percent-sum" and f.id.startswith(f"{SOURCE}:table-4.") and not f.id.startswith(
                f"{SOURCE}:{slug('Table 4', 'Systemic therapy regimens')}."):
            continue  # a sub-row block's percentages are of the column n, not of 100
        if f.id in replaced:
            out.append(replaced[f.id])
            seen.add(f.id)
        elif f.check == "table-p" and f.id.startswith(f"{SOURCE}:table-"):
            continue
        else:
            out.append(f)
    out += [f for fid, f in replaced.items() if fid not in seen]
    return out


# --------------------------------------------------------------------------------------
# Cross-location comparisons
# --------------------------------------------------------------------------------------

_FRAC = re.compile(r"(\d+)\s*/\s*(\d+)")
_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_N_EQ = re.compile(r"n\s*=\s*(\d+)")
_COUNT_PAREN = re.compile(r"^\s*(\d+)\s*\(")
_RANGE = re.compile(r"range\s+(\d+)\s*[–-]\s*(\d+)")
_BARE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:months?|years?)?\s*$")


def _components_of_text(text: str, bare_as: str) -> dict[str, str]:
    """Split a prose value (``"74.8% (94/131)"``, ``"466 (56.3%)"``) into its numbers."""
    comp: dict[str, str] = {}
    if m := _FRAC.search(text):
        comp["count"], comp["denominator"] = m.group(1), m.group(2)
    if m := _PCT.search(text):
        comp["percent"] = m.group(1)
    if m := _N_EQ.search(text):
        comp["count"] = m.group(1)
    if m := _COUNT_PAREN.match(text):
        comp["count"] = m.group(1)
    if m := _RANGE.search(text):
        comp["min"], comp["max"] = m.group(1), m.group(2)
        text = text[:m.start()]
    head = re.split(r"\(", text)[0]
    if not comp.get(bare_as) and (m := _BARE.match(head)):
        comp[bare_as] = m.group(1)
    return comp


_TEXT_KEYS = {
    "study:period": ("consistent", "The Abstract's '2012 to 2022' is the rounded form of "
                     "'January 2012 to June 2022' in Methods and Results."),
    "defn:denovo-window": ("inconsistent", "Methods counts metastases found 'within 30 days' of "
                           "diagnosis as de novo, the Table 3 footnote '< 30 days': a patient "
                           "metastatic on day 30 is de novo by one and recurrent by the other. "
                           "Tiny in practice, but the definition should be one."),
    "relapse:crossover-years": ("consistent", "Results and Discussion both put the crossing of "
                                "the recurrence curves at 6 years (read off Fig. 5b; no test)."),
    "lit:relapse-window": ("consistent", "Background and Discussion quote the same literature "
                           "relapse windows (first 5 years; years 6 to 10)."),
}


def _mentions_by_key() -> dict[str, list[tuple[str, dict[str, str]]]]:
    """key → [(location, {component: printed text})] over every data file."""
    folder = data_dir() / SOURCE
    by_key: dict[str, list[tuple[str, dict[str, str]]]] = {}
    structured = {
        "categorical.csv": ("count", "percent", "p"),
        "continuous.csv": ("n", "median", "min", "max", "p"),
        "survival.csv": ("n", "events", "median", "p"),
        "ratios.csv": ("estimate", "ci_low", "ci_high", "p"),
        "pcr.csv": ("n", "pcr_percent"),
        "treatment.csv": ("count", "denominator", "percent"),
        "conversion.csv": ("count", "denominator", "percent"),
    }
    kinds: dict[str, set[str]] = {}
    for name, cols in structured.items():
        df = read_csv(folder / name)
        for _, r in df.iterrows():
            if not r.get("key"):
                continue
            comp = {("percent" if c == "pcr_percent" else c): r[c] for c in cols if r[c]}
            if name == "continuous.csv" and "n" in comp:
                comp.pop("n")  # the column header's n, not a printed quantity of the row
            loc = r["location"] if name != "categorical.csv" else r["table"]
            by_key.setdefault(r["key"], []).append((loc, comp))
            kinds.setdefault(r["key"], set()).update(comp)
    rep = read_source_table(SOURCE, "reported.csv")
    for _, r in rep.iterrows():
        if not r["key"]:
            continue
        bare = "median" if "median" in kinds.get(r["key"], set()) else (
            "count" if "count" in kinds.get(r["key"], set()) or "events" not in kinds.get(r["key"], set())
            else "events")
        comp = _components_of_text(r["reported"], bare) if r["key"] not in _TEXT_KEYS else {
            "text": r["reported"]}
        by_key.setdefault(r["key"], []).append((r["location"], comp))
    return by_key


_ORDER = {"consistent": 0, "variant": 1, "not-checkable": 1, "inconsistent": 2, "implausible": 2,
          "gross": 3}


def cross_location_findings() -> list[Finding]:
    """Every quantity printed in more than one place, component by component."""
    out = []
    for key, mentions in sorted(_mentions_by_key().items()):
        if len(mentions) < 2:
            continue
        locs = [loc for loc, _ in mentions]
        shown = "; ".join(f"{loc}: " + ", ".join(f"{c} {v}" for c, v in comp.items())
                          for loc, comp in mentions)
        fid = f"cross.{slug(key)}"
        if key in _TEXT_KEYS:
            verdict, why = _TEXT_KEYS[key]
            out.append(_f(fid, " / ".join(dict.fromkeys(locs)), key, shown, "", "cross-location",
                          verdict, why))
            continue
        comps = sorted({c for _, comp in mentions for c in comp})
        worst, notes, recomputed = "consistent", [], []
        for c in comps:
            ms = [(loc, comp[c]) for loc, comp in mentions if c in comp]
            if len(ms) < 2:
                continue
            j = judge_mentions(ms, is_p=(c == "p"))
            recomputed.append(f"{c}: {j.verdict}")
            if j.verdict != "consistent":
                notes.append(f"{c.replace('_', ' ')}: {j.explanation}")
            if _ORDER[j.verdict] > _ORDER[worst]:
                worst = j.verdict
        if not recomputed:
            continue  # each place prints a different part of the quantity
        why = (f"All {len(mentions)} places print the same values within rounding."
               if worst == "consistent" else " ".join(notes))
        out.append(_f(fid, " / ".join(dict.fromkeys(locs)), key, shown, "; ".join(recomputed),
                      "cross-location", worst, why))
    return out


# --------------------------------------------------------------------------------------
# Percentages printed in prose with their count and n; group sizes; follow-up window
# --------------------------------------------------------------------------------------

def prose_percent_findings() -> list[Finding]:
    """``p% (k/n)`` in prose, and the first-line aggregates of ``treatment.csv``."""
    out = []
    rep = read_source_table(SOURCE, "reported.csv")
    for _, r in rep.iterrows():
        comp = _components_of_text(r["reported"], "count")
        if not {"percent", "count"} <= set(comp):
            continue
        n = comp.get("denominator") or r["n"]
        if not n:
            continue
        res = check_percent(comp["count"], comp["percent"] + "%", n)
        ok = res["consistent"]
        out.append(_f(f"prose-pct.{slug(r['id'])}", r["location"], f"{r['quantity']} ({r['population']})",
                      r["reported"], f"{comp['count']}/{n} = {res['recomputed']}%", "percent-of-n",
                      "consistent" if ok else "inconsistent",
                      f"{comp['count']} of {n} is {res['recomputed']}%, as printed." if ok else
                      f"{comp['count']} of {n} is {res['recomputed']}%, not {comp['percent']}%; "
                      f"{comp['percent']}% of {n} would need "
                      f"{res['possible_counts'] or 'no whole number of'} patients."))
    tr = read_csv(data_dir() / SOURCE / "treatment.csv")
    for _, r in tr.iterrows():
        if not (r["count"] and r["denominator"] and r["percent"]):
            continue
        res = check_percent(r["count"], r["percent"] + "%", r["denominator"])
        ok = res["consistent"]
        out.append(_f(f"treatment-pct.{slug(r['key'] or r['regimen_group'])}", r["location"],
                      f"{r['regimen_group']} ({r['group']})",
                      f"{r['percent']}% ({r['count']}/{r['denominator']})",
                      f"{r['count']}/{r['denominator']} = {res['recomputed']}%", "percent-of-n",
                      "consistent" if ok else "inconsistent",
                      f"{r['count']} of {r['denominator']} is {res['recomputed']}%, as printed." if ok else
                      f"{r['count']} of {r['denominator']} is {res['recomputed']}%, not {r['percent']}%."))
    conv = read_csv(data_dir() / SOURCE / "conversion.csv")
    for _, r in conv.iterrows():
        if not (r["denominator"] and r["percent"]) or r["count"]:
            continue
        ks = counts_for_percent(r["percent"] + "%", parse_count(r["denominator"]))
        out.append(_f(f"conversion-pct.{slug(r['key'], r['location'][:12])}", r["location"],
                      f"{r['what']}: {r['to']}", f"{r['percent']}% of {r['denominator']}",
                      f"possible counts: {ks}", "percent-of-n",
                      "consistent" if ks else "inconsistent",
                      f"{r['percent']}% of {r['denominator']} is a whole number of patients "
                      f"({', '.join(map(str, ks))}); the counts themselves are only in Table S7."
                      if ks else f"No whole number of {r['denominator']} patients gives {r['percent']}%."))
    return out


def _patients(n: int) -> str:
    return f"{n} patient" if n == 1 else f"{n} patients"


def _months_in_window() -> tuple[int, str, str]:
    """Months from the first admission month to the data cutoff, inclusive (Methods)."""
    from datetime import datetime
    rep = _read_cached(str(data_dir()), "reported.csv")
    periods = rep.loc[rep["key"] == "study:period", "reported"]      # "January 2012 to June 2022"
    first = next((m for m in (re.match(r"\s*([A-Z][a-z]+ \d{4})\s+to", t) for t in periods) if m), None)
    if not first:
        raise DataError(data_dir() / SOURCE / "reported.csv", None, "reported",
                        "no study:period row starts with a month and year")
    cutoff_text = _printed("reported.csv", "study:cutoff", "reported")  # "December 31, 2022"
    start = datetime.strptime(first.group(1), "%B %Y")
    cutoff = datetime.strptime(cutoff_text, "%B %d, %Y")
    months = (cutoff.year - start.year) * 12 + cutoff.month - start.month + 1
    return months, first.group(1), cutoff_text


def group_size_findings() -> list[Finding]:
    """Analysis groups against Table 4, and follow-up against the study window."""
    cat = _categorical()
    t4 = cat[(cat["table"] == "Table 4") & (cat["variable"] == "Systemic therapy regimens")
             & (cat["group"] == HRPOS)].set_index("category")["count"].map(parse_count)
    her2_ct = int(t4["HER2-targeted therapy + chemotherapy"])
    no_et = int(t4["HER2-targeted therapy + chemotherapy"] + t4["Chemotherapy only"]
                + t4["HER2-targeted therapy only"])
    none = int(t4["No systemic treatment received"])
    n_met = _group_n("Table 4", HRPOS)
    non_seq = _printed_count("treatment.csv", "fl:non-seq-group", "count")
    non_et = _printed_count("treatment.csv", "fl:no-et-group", "count")
    et = _printed_count("treatment.csv", "fl:et-group", "count")
    fu = read_source_table(SOURCE, "continuous.csv")
    fu_max = max(parse_count(x) for x in fu.loc[fu["variable"].str.startswith("Follow-up"), "max"])
    window, first, cutoff = _months_in_window()
    os_median = _printed("survival.csv", "os:all", "median")
    return [
        _f("groups.non-sequential-et-n", "Results, First-line treatment para 3",
           "non-sequential endocrine therapy group size", f"n = {non_seq}",
           f"Table 4: HER2-targeted therapy + chemotherapy (no ET), HR+ = {her2_ct}", "group-size",
           "inconsistent" if her2_ct != non_seq else "consistent",
           f"The comparison group is HR+ patients given HER2-targeted therapy plus chemotherapy "
           f"without endocrine therapy, which Table 4 counts as {her2_ct}, not {non_seq}"
           + (f"; {_patients(her2_ct - non_seq)} {'is' if her2_ct - non_seq == 1 else 'are'} unaccounted for (perhaps a death or progression "
              "during induction, which would matter for the comparison)." if her2_ct > non_seq else ".")
           if her2_ct != non_seq else f"Table 4 counts {her2_ct}, as printed."),
        _f("groups.non-et-n", "Results, First-line treatment para 2",
           "first-line non-endocrine-therapy group size", f"n = {non_et}",
           f"Table 4 rows without ET (HR+): {no_et}; {n_met} − {et} = {n_met - et}", "group-size",
           "inconsistent" if no_et != non_et else "consistent",
           f"Defined as patients who received chemotherapy and/or targeted therapy without ET, "
           f"which Table 4 counts as {no_et}"
           + (f"; {non_et} = {n_met} − {et} also includes the {_patients(none)} who received no "
              "systemic treatment." if non_et == n_met - et and no_et + none == non_et else ".")
           if no_et != non_et else f"Table 4 counts {no_et}, as printed."),
        _f("followup.window", "Table 1; Methods", "maximum follow-up vs study window",
           f"follow-up up to {fu_max} months", f"{first} to {cutoff} = {window} months",
           "follow-up", "inconsistent" if fu_max > window else "consistent",
           f"Patients were admitted from {first} and followed to {cutoff}, at most "
           f"{window} months, yet Table 1 prints follow-up up to {fu_max} months (and median OS "
           f"{os_median} months). Follow-up must start at an earlier diagnosis for some patients; "
           "the paper does not say so." if fu_max > window else
           f"The longest follow-up ({fu_max} months) fits the {window}-month window."),
    ]


# --------------------------------------------------------------------------------------
# pCR
# --------------------------------------------------------------------------------------

def _pcr() -> pd.DataFrame:
    return _read_cached(str(data_dir()), "pcr.csv").copy()


def pcr_table() -> pd.DataFrame:
    """pCR by HR status and ER/PR subgroup (pooled regimens): n, printed %, implied count, Wilson CI."""
    from statsmodels.stats.proportion import proportion_confint
    p = _pcr()
    p = p[(p["regimen"] == "all neoadjuvant regimens (pooled)")]
    rows = []
    for _, r in p.iterrows():
        n = parse_count(r["n"])
        ks = counts_for_percent(r["pcr_percent"] + "%", n)
        k = ks[0] if len(ks) == 1 else None
        lo, hi = proportion_confint(k, n, method="wilson") if k is not None else (np.nan, np.nan)
        rows.append(dict(grouping="HR status" if r["subgroup"].startswith("HR") else "ER/PR subgroup",
                         subgroup=r["subgroup"], n=n, printed=float(r["pcr_percent"]),
                         count=k, pcr=100 * k / n if k is not None else np.nan,
                         ci_low=100 * lo, ci_high=100 * hi))
    return pd.DataFrame(rows)


def _pair_p(k1: int, n1: int, k2: int, n2: int) -> dict[str, float]:
    counts = pd.DataFrame({"a": [k1, n1 - k1], "b": [k2, n2 - k2]})
    v = table_pvalues(counts)
    return dict(zip(v["variant"], v["p"]))


def _feasible(percent: str, n_max: int) -> list[tuple[int, int]]:
    """Every (count, n) with 1 ≤ n ≤ n_max whose percentage prints as *percent*."""
    return [(k, n) for n in range(1, n_max + 1) for k in counts_for_percent(percent + "%", n)]


def _p_range(pa: str, na_max: int, pb: str, nb_max: int) -> tuple[float, float, int]:
    """Smallest and largest Pearson/Fisher p over every feasible pair of subgroup sizes."""
    fa, fb = _feasible(pa, na_max), _feasible(pb, nb_max)
    ps = []
    for k1, n1 in fa:
        for k2, n2 in fb:
            t = np.array([[k1, n1 - k1], [k2, n2 - k2]])
            if (t.sum(axis=0) == 0).any():
                continue
            chi = stats.chi2_contingency(t, correction=False).pvalue if (t.sum(axis=1) > 0).all() else 1.0
            fis = stats.fisher_exact(t).pvalue
            ps.append((chi, fis))
    arr = np.array(ps, float)
    # The smallest p any feasible table gives under any stated test, and the largest.
    return float(np.nanmin(arr)), float(np.nanmax(arr)), len(ps)


_REGIMEN_BASIS = ("the regimen sizes and pCR counts that fit every printed percentage and "
                  "Table 2's neoadjuvant counts (patients without neoadjuvant HER2-targeted therapy "
                  "read as the CT-only regimen)")


def _range_verdict(printed: str, row: pd.Series) -> tuple[str, str]:
    """Verdict for a printed p (``"< 0.05"``; empty = called significant without a p) against
    the p-values every feasible allocation gives (a row of
    :func:`~recheck.sources.xian_regimens.regimen_p_ranges`), and the sentence that says why."""
    rep = parse_p(_p_in_text(printed) if printed else "< 0.05").interval
    lo_i = 0.0 if rep.low is None else float(rep.low)
    hi_i = float(rep.high)
    if not row["n_tables"]:
        return "inconsistent", ("No allocation of patients and pCR to the regimens fits every printed "
                                "percentage at once.")
    lo, hi = float(row["p_min"]), float(row["p_max"])
    if row["n_tables"] == 1:
        span = (f"the only allocation that fits gives p = {_fmt_p(row['pearson_min'])} (χ²) or "
                f"{_fmt_p(row['fisher_min'])} (Fisher)")
    else:
        span = (f"over the {row['n_tables']} allocations that fit, p ranges {_fmt_p(lo)}–{_fmt_p(hi)} "
                f"(χ² {_fmt_p(row['pearson_min'])}–{_fmt_p(row['pearson_max'])}, Fisher "
                f"{_fmt_p(row['fisher_min'])}–{_fmt_p(row['fisher_max'])})")
    significant = hi_i <= 0.05
    said = "Printed as significant" if printed else "Called significant (no p printed)"
    if significant and lo >= 0.05:
        return "gross", f"{said}, but {span}: none is below 0.05."
    if not significant and lo_i >= 0.05 and hi < 0.05:
        return "gross", f"Printed as not significant, but {span}: all are below 0.05."
    within = [t for t in ("pearson", "fisher") if lo_i <= float(row[f"{t}_min"]) and float(row[f"{t}_max"]) <= hi_i]
    if within:
        return "consistent", f"Every allocation that fits agrees with the printed p: {span}."
    if lo <= hi_i and hi >= lo_i:
        return "not-checkable", (f"The printed p holds for some allocations and not for others: {span}; "
                                 "the regimen sizes that would decide it are only in Tables S1–S2.")
    return "inconsistent", f"No allocation that fits gives the printed p: {span}."


def regimen_findings() -> list[Finding]:
    """The regimen-level pCR comparisons (sizes only in the supplement), over every allocation
    of patients and pCR to the regimens that the main text's numbers allow."""
    from .xian_regimens import regimen_p_ranges
    pcr = _pcr()
    location = {r["key"]: r["location"] for _, r in pcr.iterrows() if r["key"]}
    out = []
    for _, row in regimen_p_ranges().iterrows():
        if not row["key"].startswith("pcr:regimen:"):
            continue  # the ER/PR comparisons within a regimen: see pcr_comparisons()
        printed = row["printed_p"]
        verdict, why = _range_verdict(printed, row)
        called = printed if printed else "called significant in every subgroup, no p printed"
        fid = slug(re.sub(r"(ER|PR|HR)-", "\\1−", row["comparison"]))
        n = int(row["n_tables"])
        out.append(_f(f"pcr.regimen.{fid}.p", location[row["key"]],
                      f"pCR {row['comparison']}: p", called,
                      f"p over every allocation that fits: {_fmt_p(row['p_min'])}–{_fmt_p(row['p_max'])} "
                      f"({n} allocation{'' if n == 1 else 's'})", "pcr-p", verdict,
                      f"{row['a']} vs {row['b']}: the rates and sizes are only in Fig. 3 and Tables "
                      f"S1–S2, so they were recovered from {_REGIMEN_BASIS}. {why}"))
    return out


def pcr_comparisons() -> list[Finding]:
    """Every pCR percentage against its n, and every pCR comparison recomputed."""
    p = _pcr()
    out = []
    pooled = p[p["regimen"] == "all neoadjuvant regimens (pooled)"].set_index("subgroup")
    for sub, r in pooled.iterrows():
        n = parse_count(r["n"])
        ks = counts_for_percent(r["pcr_percent"] + "%", n)
        out.append(_f(f"pcr.{_sub(sub)}.percent-of-n", r["location"], f"pCR rate, {sub}",
                      f"{r['pcr_percent']}% of {n}", f"possible counts: {ks}", "percent-of-n",
                      "consistent" if ks else "inconsistent",
                      f"{r['pcr_percent']}% of {n} patients is {ks[0]} patients with pCR (the only "
                      "whole number that rounds to it); the count itself is not printed."
                      if len(ks) == 1 else
                      f"{r['pcr_percent']}% of {n} fits {ks} patients." if ks else
                      f"No whole number of {n} patients gives {r['pcr_percent']}%."))

    def implied(sub):
        r = pooled.loc[sub]
        n = parse_count(r["n"])
        ks = counts_for_percent(r["pcr_percent"] + "%", n)
        return (ks[0] if len(ks) == 1 else None), n, r["pcr_percent"]

    # HR+ vs HR−, and ER+/PR+ (the reference) against each other subgroup: the p as printed
    comparisons = [("hrpos-vs-hrneg", HRPOS, HRNEG, pooled.loc[HRPOS, "p"])]
    comparisons += [(f"{_sub(ref)}-vs-{_sub(b)}", ref, b, pooled.loc[b, "p"])
                    for ref in ("ER+/PR+",) for b in ("ER+/PR-", "ER-/PR+", "ER-/PR-")]
    comparisons = [(cid, a, b, _p_in_text(printed), printed if printed[0] in "aAbB" else f"P {printed}")
                   for cid, a, b, printed in comparisons]
    for cid, a, b, p_as_value, printed in comparisons:
        k1, n1, q1 = implied(a)
        k2, n2, q2 = implied(b)
        loc = pooled.loc[a, "location"]
        if k1 is None or k2 is None:
            out.append(_f(f"pcr.{cid}.p", loc, f"pCR {a} vs {b}", printed, "", "pcr-p",
                          "not-checkable", "A percentage fits more than one count, so the table "
                          "behind the p cannot be fixed."))
            continue
        rec = _pair_p(k1, n1, k2, n2)
        stated = [v for v in rec if v.startswith("Pearson χ²") and "Yates" not in v or v.startswith("Fisher")]
        j = judge_p(p_as_value, rec, stated)
        pear = rec[next(v for v in rec if v.startswith("Pearson χ²") and "Yates" not in v)]
        fis = rec[next(v for v in rec if v.startswith("Fisher"))]
        basis = (f"The counts the percentages imply, {k1}/{n1} ({q1}%) vs {k2}/{n2} ({q2}%), give "
                 f"p = {_fmt_p(pear)} (χ²) or {_fmt_p(fis)} (Fisher)")
        shared = (" The paper prints one 'all P < 0.05' for three comparisons; this is one of them."
                  if printed.startswith("all") else "")
        why = {"consistent": f"{basis}, which agrees with the printed P {p_as_value}.",
               "variant": f"{basis}; only a test the paper does not name agrees with P {p_as_value}.",
               "inconsistent": f"{basis}, not P {p_as_value}; still below 0.05, so the direction "
                               "stands but the strength of evidence is overstated.",
               "gross": f"{basis}: not significant, although the paper prints P {p_as_value}."}[j.verdict]
        out.append(from_judgement(f"{SOURCE}:pcr.{cid}.p", SOURCE, loc, f"pCR {a} vs {b}: p",
                                  printed, "pcr-p",
                                  Judgement(j.verdict, j.recomputed, why + shared, j.matching)))

    # Regimen-specific ER/PR comparisons: subgroup sizes only in Table S2.  Each printed p
    # compares ER+/PR+ with the subgroups printed with the same p in that regimen.
    regimens = {"trastuzumab + CT": "t-ct", "trastuzumab + pertuzumab + CT": "tp-ct"}
    reg = p[p["regimen"].isin(list(regimens)) & (p["pcr_percent"] != "")]
    pairs = []
    for regimen, rows in reg.groupby("regimen", sort=False):
        ref = rows[rows["subgroup"] == "ER+/PR+"]
        for _, rb in rows[rows["subgroup"] != "ER+/PR+"].iterrows():
            ra = ref[ref["p"] == rb["p"]]
            if len(ra) != 1:
                raise DataError(data_dir() / SOURCE / "pcr.csv", None, "p",
                                f"{regimen}, {rb['subgroup']}: no single ER+/PR+ row printed with "
                                f"p {rb['p']!r}")
            printed = rb["p"] if rb["p"][0] in "aAbB" else f"P = {rb['p']}"
            pairs.append((regimens[regimen], regimen, "ER+/PR+", rb["subgroup"], _p_in_text(rb["p"]),
                          printed, ra.iloc[0], rb))
    n_neo = {sub: parse_count(r["n"]) for sub, r in pooled.iterrows()}
    from .xian_regimens import regimen_p_ranges
    constrained = regimen_p_ranges().set_index("key")
    for short, regimen, a, b, p_text, printed, ra, rb in pairs:
        lo, hi, n_tables = _p_range(ra["pcr_percent"], n_neo[a], rb["pcr_percent"], n_neo[b])
        rep = parse_p(p_text).interval
        fid = f"pcr.{short}.{_sub(a)}-vs-{_sub(b)}.p"
        recomputed = f"p over every feasible subgroup size: {_fmt_p(lo)}–{_fmt_p(hi)} ({n_tables} tables)"
        sizes = (f"the subgroup sizes are only in Table S2; {ra['pcr_percent']}% and "
                 f"{rb['pcr_percent']}% were tried with every size up to the subgroup's whole "
                 f"neoadjuvant count ({n_neo[a]} and {n_neo[b]})")
        if rep.below(0.05) and lo >= 0.05:
            verdict, why = "gross", (f"{a} {ra['pcr_percent']}% vs {b} {rb['pcr_percent']}% in the "
                                     f"{regimen} group is printed as significant, but no pair of "
                                     f"subgroup sizes gives p below {_fmt_p(lo)}: {sizes}.")
        elif lo <= float(rep.high) and (rep.low is None or hi >= float(rep.low)):
            verdict, why = "not-checkable", (f"The printed p is possible for some subgroup sizes "
                                             f"(p ranges {_fmt_p(lo)}–{_fmt_p(hi)}), but {sizes}.")
        else:
            verdict, why = "inconsistent", (f"No feasible subgroup sizes give the printed {printed} "
                                            f"(p ranges {_fmt_p(lo)}–{_fmt_p(hi)}): {sizes}.")
        key = f"pcr:{short}:{_sub(b)}"
        if key in constrained.index:
            # Table 2's regimen counts narrow the sizes; the looser bound stays in the text
            verdict, tight = _range_verdict(p_text, constrained.loc[key])
            why = (f"Using {_REGIMEN_BASIS}: {tight[0].lower()}{tight[1:]} Without Table 2, {why[0].lower()}"
                   f"{why[1:]}")
            recomputed += (f"; with Table 2's regimen counts: {_fmt_p(constrained.loc[key, 'p_min'])}–"
                           f"{_fmt_p(constrained.loc[key, 'p_max'])}")
        out.append(_f(fid, ra["location"], f"pCR {a} vs {b}, {regimen}: p",
                      f"{ra['pcr_percent']}% vs {rb['pcr_percent']}%, {printed}", recomputed,
                      "pcr-p", verdict, why))

    return out + regimen_findings()


def heterogeneity_findings() -> list[Finding]:
    """HER2 heterogeneity HR+ vs HR− (percentages and p printed, denominators not):
    the denominators that the printed total and percentages allow, and the p they give."""
    conv = _read_cached(str(data_dir()), "conversion.csv").set_index("key")
    total = parse_count(conv.loc["het:n", "denominator"])
    k1, q1 = parse_count(conv.loc["het:hrpos", "count"]), conv.loc["het:hrpos", "percent"]
    k2, q2 = parse_count(conv.loc["het:hrneg", "count"]), conv.loc["het:hrneg", "percent"]
    printed_p = _printed("reported.csv", "het:p", "reported")
    fits = [(n1, total - n1) for n1 in range(k1, total - k2 + 1)
            if check_percent(k1, f"{q1}%", n1)["consistent"]
            and check_percent(k2, f"{q2}%", total - n1)["consistent"]]
    loc = conv.loc["het:hrpos", "location"]
    quantity = "HER2 heterogeneity, HR+ vs HR−"
    if len(fits) != 1:
        return [_f("het.hr-status.p", loc, quantity, printed_p,
                   f"denominators that fit: {fits}", "table-p", "not-checkable",
                   "The denominators are not printed and more than one pair fits." if fits else
                   f"No pair of denominators adding to {total} gives {q1}% and {q2}%.")]
    n1, n2 = fits[0]
    rec = _pair_p(k1, n1, k2, n2)
    stated = [v for v in rec if v.startswith("Pearson χ²") and "Yates" not in v or v.startswith("Fisher")]
    j = judge_p(_p_in_text(printed_p), rec, stated)
    return [from_judgement(f"{SOURCE}:het.hr-status.p", SOURCE, loc, f"{quantity}: p", printed_p,
                           "table-p",
                           Judgement(j.verdict, j.recomputed, j.explanation +
                                     f" Denominators are not printed; {k1}/{n1} and {k2}/{n2} are the "
                                     f"only ones adding to {total} that give {q1}% and {q2}%.",
                                     j.matching))]


# --------------------------------------------------------------------------------------
# Claims of (non-)significance
# --------------------------------------------------------------------------------------

def claim_verdict(claim: str, p: str | None = None, ci: tuple[str, str, str] | None = None,
                  recomputed_p: float | None = None) -> Judgement:
    """Judge a sentence's claim against its printed p, its CI and a recomputed p.

    ``claim`` is ``"significant"``, ``"not significant"`` or ``"trend"`` (a p between
    0.05 and 0.10 described as a tendency).  A significance claim whose CI includes 1, or
    whose recomputed p is on the other side of 0.05, is ``gross``.

    >>> claim_verdict("significant", "0.042", ("0.49", "0.19", "1.25")).verdict
    'gross'
    """
    problems, gross = [], False
    p_txt = "" if not p else (f"p {p.strip()}" if p.strip()[0] in "<>≤≥" else f"p = {p}")
    side = side_of_alpha(parse_p(p).interval) if p else None
    if claim == "significant":
        if side == "not significant":
            gross = True
            problems.append(f"the printed {p_txt} is not below 0.05")
    elif claim == "not significant":
        if side == "significant":
            gross = True
            problems.append(f"the printed {p_txt} is below 0.05")
    elif claim == "trend":
        if p and not (parse_p(p).interval.low is not None and 0.05 <= float(parse_p(p).interval.low)
                      and float(parse_p(p).interval.high) <= 0.10):
            problems.append(f"{p_txt} is not between 0.05 and 0.10")
    if ci is not None:
        c = check_ratio(ci[0], ci[1], ci[2], p or None)
        if claim == "significant" and c.ci_excludes_one is False:
            gross = True
            problems.append(f"the 95% CI {ci[1]}–{ci[2]} includes 1")
        if claim == "not significant" and c.ci_excludes_one is True:
            gross = True
            problems.append(f"the 95% CI {ci[1]}–{ci[2]} excludes 1")
        if claim == "trend" and c.implied_p.low > 0.10:
            problems.append(f"the HR {ci[0]} with CI {ci[1]}–{ci[2]} implies p = {c.implied_p_text}, "
                            "nowhere near a trend")
    if recomputed_p is not None:
        rs = "significant" if recomputed_p < 0.05 else "not significant"
        if claim in ("significant", "not significant") and rs != claim:
            gross = True
            problems.append(f"the p recomputed from the printed counts is {_fmt_p(recomputed_p)}")
    recomputed = "" if recomputed_p is None else f"recomputed p = {_fmt_p(recomputed_p)}"
    if not problems:
        what = {"significant": "below 0.05", "not significant": "not below 0.05",
                "trend": "between 0.05 and 0.10"}[claim]
        basis = p_txt if p else "the recomputed p"
        return Judgement("consistent", recomputed,
                         f"Called {claim}; {basis} is {what}" +
                         (", and the CI agrees." if ci else ".") )
    verdict = "gross" if gross else "inconsistent"
    return Judgement(verdict, recomputed, f"Called {claim}, but " + "; ".join(problems) + ".")


def _rec_p(fid: str, findings_by_id: dict[str, Finding]) -> float | None:
    """The recomputed Pearson χ² p (first variant) of a finding, read back from its text."""
    f = findings_by_id.get(f"{SOURCE}:{fid}")
    if f is None or not f.recomputed:
        return None
    m = re.search(r"Pearson χ²[^:]*: (<?[\d.]+)", f.recomputed)
    if not m:
        return None
    return 0.00005 if m.group(1).startswith("<") else float(m.group(1))


def _erpr_claim(context: dict[str, Finding]) -> Judgement:
    """'pCR lower in ER+/PR+ than in each other subgroup, all P < 0.05': its three comparisons."""
    ids = ["erpos-prpos-vs-erpos-prneg", "erpos-prpos-vs-erneg-prpos", "erpos-prpos-vs-erneg-prneg"]
    fs = [context[f"{SOURCE}:pcr.{i}.p"] for i in ids]
    ps = [_rec_p(f"pcr.{i}.p", context) for i in ids]
    bad = [(f, p) for f, p in zip(fs, ps) if f.verdict == "gross"]
    if not bad:
        return Judgement("consistent", "", "All three comparisons recompute below 0.05.")
    which = "; ".join(f"{f.quantity.removeprefix('pCR ').removesuffix(': p')} p = {_fmt_p(p)}" for f, p in bad)
    return Judgement("gross", "; ".join(f"{f.quantity}: {_fmt_p(p)}" for f, p in zip(fs, ps)),
                     f"Of the three comparisons behind 'all P < 0.05', {len(bad)} are not significant "
                     f"when recomputed from the counts the percentages imply ({which}).")


def _p_arg(text: str) -> str:
    """A printed p as :func:`claim_verdict` takes it: ``"0.051"``, ``"< 0.001"``."""
    rep = parse_p(text)
    return rep.numeral if rep.relation == "=" else f"{rep.relation} {rep.numeral}"


def _printed_table_p(table: str, variable: str, category: str | None = None) -> str:
    """The p a table prints for a variable (or, for a non-exclusive site row, a category)."""
    cat = _categorical()
    rows = cat[(cat["table"] == table) & (cat["variable"] == variable)]
    if category is not None:
        rows = rows[rows["category"] == category]
    ps = [p for p in rows["p"] if p.strip()]
    if not ps:
        raise KeyError(f"no printed p for {table}, {variable}, {category}")
    return ps[0]


CLAIM_VERDICTS = "claim_verdicts.csv"
"""Human verdicts (with their reasons) for claims no computation can judge."""


def read_claim_verdicts(claim_ids, computed_ids) -> dict[str, Judgement]:
    """``data/xian/claim_verdicts.csv`` as claim id → judgement, checked against ``claims.csv``.

    Every claim of ``claims.csv`` must be either computed (*computed_ids*) or given a
    verdict here, and not both; every verdict must be one of :data:`~recheck.judge.VERDICTS`.

    Raises
    ------
    DataError
        naming the file, the line and the column of the offending cell.
    """
    path = data_dir() / SOURCE / CLAIM_VERDICTS
    df = read_csv(path, {"id": None, "verdict": None, "reason": None, "rests_on": None})
    lines = df.attrs.get("lines", [])
    claim_ids, computed_ids = list(claim_ids), set(computed_ids)
    out: dict[str, Judgement] = {}
    for line, (_, r) in zip(lines, df.iterrows()):
        cid = r["id"].strip()
        if cid not in claim_ids:
            raise DataError(path, line, "id", f"{cid!r} is not a claim id of claims.csv")
        if cid in out:
            raise DataError(path, line, "id", f"{cid!r} is given a verdict twice")
        if cid in computed_ids:
            raise DataError(path, line, "id", f"{cid!r} is computed in the engine; "
                            "a typed verdict would override it")
        verdict = r["verdict"].strip()
        if verdict not in VERDICTS:
            raise DataError(path, line, "verdict",
                            f"{verdict!r} is not a verdict; use one of {', '.join(VERDICTS)}")
        if not r["reason"].strip():
            raise DataError(path, line, "reason", "empty: a verdict needs its reason")
        out[cid] = Judgement(verdict, "", r["reason"].strip())
    return out


def _fmt_implied(c) -> str:
    """The p a ratio's CI implies, to two significant figures (``0.13–0.15``)."""
    lo, hi = float(c.implied_p.low), float(c.implied_p.high)
    return f"{lo:.2g}" if f"{lo:.2g}" == f"{hi:.2g}" else f"{lo:.2g}–{hi:.2g}"


def _prefixed(prefix: str, j: Judgement) -> Judgement:
    return Judgement(j.verdict, j.recomputed, prefix + j.explanation, j.matching)


def _dfs_erpr(ci: dict) -> Judgement:
    """'DFS better in ER+/PR+ than in ER−/PR− and ER−/PR+': both HRs, CIs and printed p."""
    parts = []
    worst = "consistent"
    rank = {"consistent": 0, "inconsistent": 1, "gross": 2}
    for key, vs in (("hr:dfs:erpos-prpos-vs-erneg-prneg", "ER−/PR−"),
                    ("hr:dfs:erpos-prpos-vs-erneg-prpos", "ER−/PR+")):
        e, lo, hi, p = ci[key]
        j = claim_verdict("significant", _p_arg(p), (e, lo, hi))
        c = check_ratio(e, lo, hi, p)
        worst = max(worst, j.verdict, key=rank.__getitem__)
        printed_p = f"P {parse_p(p).relation} {parse_p(p).numeral}"
        if j.verdict == "consistent":
            parts.append(f"The comparison vs {vs} (HR {e}, {lo}–{hi}, {printed_p}) holds.")
        else:
            where = "includes" if c.ci_excludes_one is False else "excludes"
            parts.append(f"The comparison vs {vs} is called significant with {printed_p}, but its "
                         f"95% CI {lo}–{hi} {where} 1 and implies p ≈ {_fmt_implied(c)}.")
    return Judgement(worst, "", " ".join(parts))


def _het_pfs(ci: dict, repeat: bool = False) -> Judgement:
    """'Worse PFS with HER2 heterogeneity': the printed HR's side of 1, the medians, the CI's p."""
    e, lo, hi, p = ci["hr:pfs:her2-het"]
    surv = read_source_table(SOURCE, "survival.csv").set_index("key")
    m_het, m_no = surv.loc["pfs:her2-het:het", "median"], surv.loc["pfs:her2-het:no-het", "median"]
    c = check_ratio(e, lo, hi, p)
    hr_below_one = float(c.estimate.value) < 1
    medians_equal = m_het == m_no
    contradicts = hr_below_one or medians_equal
    medians = (f"both medians are {m_het} months" if medians_equal
               else f"the medians are {m_het} vs {m_no} months")
    side = "below 1" if hr_below_one else "not below 1"
    if repeat:
        both = (f"equal medians ({m_het} vs {m_no} months)" if medians_equal
                else f"medians of {m_het} vs {m_no} months")
        why = (f"Repeats the Results' 'worse PFS with heterogeneity', which the printed HR {e} "
               f"({side}) and {both} {'contradict' if contradicts else 'do not contradict'}.")
        return Judgement("inconsistent" if contradicts else "consistent", "", why)
    p_ok = c.p_consistent
    problems = []
    if contradicts:
        problems.append(f"the printed HR (with vs without) is {e}, {side}, and {medians}")
    if p_ok is False:
        problems.append(f"the CI {lo}–{hi} also implies p ≈ {_fmt_implied(c)}, "
                        f"not {parse_p(p).numeral}")
    if not problems:
        return Judgement("consistent", "", f"Called a trend; HR {e} ({lo}–{hi}) with p = {p} fits.")
    return Judgement("inconsistent", "",
                     "Called a trend to worse PFS with heterogeneity, but " + "; ".join(problems) + ".")


def _first_line_percent(key_a: str, key_b: str) -> dict:
    """Two first-line treatment aggregates: printed %, k/n and the percentage k/n gives."""
    tr = read_source_table(SOURCE, "treatment.csv").set_index("key")
    out = {}
    for side, key in (("a", key_a), ("b", key_b)):
        r = tr.loc[key]
        k, n, printed = parse_count(r["count"]), parse_count(r["denominator"]), r["percent"]
        decimals = len(printed.split(".")[1]) if "." in printed else 0
        out[side] = dict(k=k, n=n, printed=printed, computed=format_percent(k, n, decimals),
                         ok=check_percent(k, printed + "%", n)["consistent"])
    return out


def _fl_similar() -> Judgement:
    d = _first_line_percent("fl:any-her2:hrpos", "fl:any-her2:hrneg")
    a, b = d["a"], d["b"]
    rec = _pair_p(a["k"], a["n"], b["k"], b["n"])
    pear = next(v for v in rec if v.startswith("Pearson χ²") and "Yates" not in v)
    if not (a["ok"] and b["ok"]):
        return Judgement("inconsistent", "", f"No test printed; {a['k']}/{a['n']} is "
                         f"{a['computed']}% and {b['k']}/{b['n']} is {b['computed']}%, against the "
                         f"printed {a['printed']}% and {b['printed']}%.")
    similar = side_of_alpha(parse_p(_fmt_p(rec[pear])).interval) == "not significant"
    return Judgement("consistent" if similar else "inconsistent", f"{pear}: {_fmt_p(rec[pear])}",
                     f"No test printed; {a['k']}/{a['n']} vs {b['k']}/{b['n']} are "
                     f"{'indeed nearly equal' if similar else 'not nearly equal'} "
                     f"({a['computed']}% vs {b['computed']}%; {pear} p = {_fmt_p(rec[pear])}).")


def _fl_ct() -> Judgement:
    d = _first_line_percent("fl:any-ct:hrpos", "fl:any-ct:hrneg")
    a, b = d["a"], d["b"]
    bad = [x for x in (a, b) if not x["ok"]]
    direction = "in the stated direction" if a["k"] / a["n"] < b["k"] / b["n"] else \
        "not in the stated direction"
    wrong = "; ".join(f"{x['k']}/{x['n']} is {x['computed']}%, not the printed {x['printed']}%"
                      for x in bad)
    if bad:
        return Judgement("inconsistent", "", f"No test printed, and {wrong}; the difference "
                         f"({a['computed']}% vs {b['computed']}%) is {direction}.")
    return Judgement("consistent" if direction.startswith("in") else "inconsistent", "",
                     f"No test printed; the difference ({a['computed']}% vs {b['computed']}%) "
                     f"is {direction}.")


def _tpct_ns() -> Judgement:
    """'No difference, ER+/PR+ vs ER+/PR− within T+P+CT (P = 0.921)': over every feasible size."""
    p = _pcr()
    reg = p[p["regimen"] == "trastuzumab + pertuzumab + CT"]
    rows = reg[reg["p"].str.strip() != ""]
    ra = rows[rows["subgroup"] == "ER+/PR+"]
    ra = ra[ra["key"] == "pcr:tp-ct:erpos-prpos"]
    rb = rows[rows["subgroup"] == "ER+/PR-"].iloc[0]
    ra = ra[ra["p"] == rb["p"]].iloc[0]
    n_neo = _pooled_pcr_rows().set_index("subgroup")["n_int"]
    lo, hi, n = _p_range(ra["pcr_percent"], int(n_neo["ER+/PR+"]), rb["pcr_percent"],
                         int(n_neo["ER+/PR-"]))
    j = claim_verdict("not significant", _p_arg(rb["p"]))
    if lo >= 0.05 and j.verdict == "consistent":
        return Judgement("consistent", f"p over every feasible subgroup size: {_fmt_p(lo)}–{_fmt_p(hi)}",
                         f"Called not significant with P = {rb['p']}; {ra['pcr_percent']}% vs "
                         f"{rb['pcr_percent']}% gives p ≥ {_fmt_p(lo)} for every feasible "
                         f"subgroup size ({n} tables).")
    return Judgement("inconsistent" if j.verdict == "consistent" else j.verdict, "",
                     f"Called not significant with P = {rb['p']}, but some feasible subgroup sizes "
                     f"give p = {_fmt_p(lo)}.")


def _d1_features(t) -> Judgement:
    """Grade, Ki-67, HER2 IHC: the printed p of each and the two-column recomputation."""
    vars_ = [("Histological grade", "Grade"), ("Ki-67", "Ki-67"), ("HER2 status", "HER2 IHC")]
    printed = [_printed_table_p("Table 1", v) for v, _ in vars_]
    rec = [t("Table 1", v) for v, _ in vars_]
    js = [claim_verdict("significant", _p_arg(p), recomputed_p=r) for p, r in zip(printed, rec)]
    names = ", ".join(lbl for _, lbl in vars_[:-1]) + f" and {vars_[-1][1]}"
    ps = ", ".join(printed[:-1]) + f" and {printed[-1]}"
    recs = ", ".join(_fmt_p(r) for r in rec)
    if all(j.verdict == "consistent" for j in js):
        return Judgement("consistent", f"recomputed p = {recs}",
                         f"{names} differ with printed p = {ps}, and the two-column recomputation "
                         f"({recs}) agrees they are below 0.05.")
    worst = "gross" if any(j.verdict == "gross" for j in js) else "inconsistent"
    return Judgement(worst, f"recomputed p = {recs}",
                     f"{names} are printed with p = {ps}; the two-column recomputation gives {recs}.")


def claim_findings(context: dict[str, Finding]) -> list[Finding]:
    """Every sentence of ``claims.csv``, judged against what it rests on.

    Claims that rest on a printed p, CI or count are judged here; the rest (not
    checkable, or a sentence that says more than the results) take the verdict and
    reason of ``data/xian/claim_verdicts.csv``.
    """
    claims_path = data_dir() / SOURCE / "claims.csv"
    claims_df = read_csv(claims_path, {"id": None, "location": None, "claim": None,
                                       "comparison": None})
    claim_lines = dict(zip(claims_df["id"], claims_df.attrs.get("lines", [])))
    claims = claims_df.set_index("id")
    ratios = read_source_table(SOURCE, "ratios.csv")
    ci = {k: (r["estimate"], r["ci_low"], r["ci_high"], r["p"]) for k, r in
          ratios.drop_duplicates("key").set_index("key").iterrows()}
    reported = read_source_table(SOURCE, "reported.csv").set_index("id")

    def rat(key, claim):
        e, lo, hi, p = ci[key]
        return claim_verdict(claim, p, (e, lo, hi))

    t = lambda table, var: _rec_p(slug(table, var, "p"), context)
    site = lambda var, cat: _rec_p(slug("Table 3", var, cat, "p"), context)

    def from_finding(fid):
        f = context[f"{SOURCE}:{fid}"]
        return Judgement(f.verdict, f.recomputed, f"Rests on {f.quantity}: {f.explanation}")

    def from_findings(ids: list[str]) -> Judgement:
        """A claim resting on several findings: the worst verdict, with each one's reason."""
        fs = [context[f"{SOURCE}:{i}"] for i in ids]
        worst = max(fs, key=lambda f: _ORDER[f.verdict]).verdict
        parts = [f"{f.quantity.removeprefix('pCR ').removesuffix(': p')} (p {f.recomputed.split(': ')[-1].replace(' (', ', ').rstrip(')')}): "
                 f"{f.verdict}" for f in fs]
        return Judgement(worst, "; ".join(parts),
                         f"Rests on {len(fs)} pCR comparison{'' if len(fs) == 1 else 's'}, each recomputed "
                         "over every regimen allocation the printed numbers allow (see the pCR "
                         "findings): " + "; ".join(parts) + ".")

    def regimen(prefix: str) -> list[str]:
        return [fid.split(":", 1)[1] for fid in context if fid.startswith(f"{SOURCE}:pcr.regimen.{prefix}")]

    def table_claim(claim, table, var):
        return claim_verdict(claim, _p_arg(_printed_table_p(table, var)), recomputed_p=t(table, var))

    ns_table = {  # claim id → (table, variable); the printed p is read from categorical.csv
        "r-ns-01": ("Table 1", "Age group at diagnosis, years"),
        "r-ns-02": ("Table 1", "ECOG PS"), "r-ns-03": ("Table 1", "Menopausal status at diagnosis"),
        "r-ns-04": ("Table 1", "Affected breast"), "r-ns-05": ("Table 1", "Family history of tumor"),
        "r-ns-06": ("Table 1", "Histological type"), "r-ns-07": ("Table 1", "T-staging"),
        "r-ns-08": ("Table 1", "N-staging"), "r-ns-09": ("Table 1", "TNM staging at diagnosis"),
        "r-ns-10": ("Table 2", "Neoadjuvant HER2 targeted therapy"),
        "r-ns-11": ("Table 2", "Adjuvant therapy"), "r-ns-12": ("Table 2", "Adjuvant radiotherapy"),
        "r-ns-13": ("Table 2", "Adjuvant chemotherapy"),
        "r-ns-14": ("Table 2", "Adjuvant HER2 targeted therapy"),
        "rel-ns-01": ("Table 3", "MBC diagnosis type"),
        "rel-ns-03": ("Table 3", "Number of visceral metastases"),
    }
    sig_table = {
        "r-grade": ("Table 1", "Histological grade"), "r-ihc3": ("Table 1", "HER2 status"),
        "r-ki67": ("Table 1", "Ki-67"), "r-bcs": ("Table 2", "Surgery"),
        "r-adjet": ("Table 2", "Adjuvant endocrine therapy"),
        "r-neo": ("Table 2", "Neoadjuvant therapy"),
        "d4-bcs": ("Table 2", "Surgery"), "d4-neo": ("Table 2", "Neoadjuvant therapy"),
        "d6-ihc2": ("Table 1", "HER2 status"),
    }
    sites = {  # claim id → (variable, category, claim); the printed p from categorical.csv
        "rel-bone": ("Metastatic sites", "Bone", "significant"),
        "rel-firstbone": ("First metastatic site", "Bone", "significant"),
        "rel-lung": ("Metastatic sites", "Lung", "significant"),
        "rel-firstlung": ("First metastatic site", "Lung", "significant"),
        "rel-firstother": ("First metastatic site", "Other sites", "significant"),
        "rel-ns-02": ("Metastatic sites", "Visceral involvement", "not significant"),
        "rel-ns-04": ("Metastatic sites", "Liver", "not significant"),
        "rel-ns-05": ("Metastatic sites", "Brain/CNS", "not significant"),
        "rel-ns-06": ("Metastatic sites", "Distant lymph node", "not significant"),
        "rel-ns-07": ("Metastatic sites", "Other sites", "not significant"),
        "rel-ns-08": ("First metastatic site", "Visceral involvement", "not significant"),
        "rel-ns-09": ("First metastatic site", "Brain/CNS", "not significant"),
        "rel-ns-10": ("First metastatic site", "Liver", "not significant"),
        "rel-ns-11": ("First metastatic site", "Distant lymph node", "not significant"),
    }
    aos_p = _p_arg(read_source_table(SOURCE, "survival.csv").set_index("key")
                   .loc["aos:hr-status:hrpos", "p"])
    computed = {
        "abs-mv": lambda: rat("hr:os:hr-status:mv", "significant"),
        "abs-pcr": lambda: from_finding("pcr.hrpos-vs-hrneg.p"),
        "neo-hr": lambda: from_finding("pcr.hrpos-vs-hrneg.p"),
        "abs-flet": lambda: rat("hr:aos:first-line-et", "significant"),
        "fl-et": lambda: rat("hr:pfs:first-line-et", "significant"),
        "abs-seq": lambda: rat("hr:aos:seq-et", "significant"),
        "fl-seq": lambda: rat("hr:pfs:seq-et", "significant"),
        "neo-erpr": lambda: _erpr_claim(context),
        "neo-tpct": lambda: from_finding("pcr.tp-ct.erpos-prpos-vs-erneg-prpos.p"),
        "neo-tpct-ns": _tpct_ns,
        "neo-tct": lambda: from_findings(["pcr.t-ct.erpos-prpos-vs-erpos-prneg.p",
                                          "pcr.t-ct.erpos-prpos-vs-erneg-prneg.p"]),
        "neo-her2-vs-ct": lambda: from_findings(regimen("her2-targeted-therapy-pos-ct-vs-ct-only-hr")),
        "neo-tp-vs-t": lambda: from_findings(regimen("trastuzumab-pos-pertuzumab-pos-ct-vs-trastuzumab-pos-ct-all")),
        "neo-hr-within-reg": lambda: from_findings(regimen("hrpos-her2pos-vs-hrneg-her2pos-within")),
        "neo-erpr-her2": lambda: from_findings(regimen("her2-targeted-therapy-pos-ct-vs-ct-only-er")),
        "neo-erpr-tp": lambda: from_findings(regimen("trastuzumab-pos-pertuzumab-pos-ct-vs-trastuzumab-pos-ct-er")),
        "d4-regimen": lambda: from_findings(regimen("her2-targeted-therapy-pos-ct-vs-ct-only-hr")
                                            + regimen("trastuzumab-pos-pertuzumab-pos-ct-vs-trastuzumab-pos-ct-all")),
        "os-hr": lambda: rat("hr:os:hr-status:unadj", "significant"),
        "os-erpr": lambda: rat("hr:os:erpos-prpos-vs-erneg-prneg", "significant"),
        "dfs-hr": lambda: rat("hr:dfs:hr-status:unadj", "significant"),
        "dfs-erpr": lambda: _dfs_erpr(ci),
        "aos-hr": lambda: claim_verdict("not significant", aos_p),
        "mv": lambda: rat("hr:dfs:hr-status:mv", "significant"),
        "fl-similar": _fl_similar,
        "fl-ct": _fl_ct,
        "het-aos": lambda: rat("hr:aos:her2-het", "not significant"),
        "het-pfs": lambda: _het_pfs(ci),
        "het-hr-prop": lambda: from_finding("het.hr-status.p"),
        "het-hr-aos": lambda: rat("hr:aos:hr-within-het", "not significant"),
        "het-hr-pfs": lambda: rat("hr:pfs:hr-within-het", "trend"),
        "d1-features": lambda: _d1_features(t),
        "d3-os-dfs": lambda: rat("hr:dfs:hr-status:unadj", "significant"),
        "d3-aos": lambda: claim_verdict("not significant", aos_p),
        "d3-mv": lambda: rat("hr:os:hr-status:mv", "significant"),
        "d5-seq": lambda: rat("hr:aos:seq-et", "significant"),
        "d5-monarcher": lambda: _prefixed("monarcHER's PFS difference. ", claim_verdict(
            "significant", _p_arg(reported.loc["d5-monarcher-p", "reported"]))),
        "d6-het-pfs": lambda: _het_pfs(ci, repeat=True),
        "concl": lambda: rat("hr:pfs:seq-et", "significant"),
    }
    for cid, (table, var) in ns_table.items():
        computed[cid] = (lambda tb=table, v=var: table_claim("not significant", tb, v))
    for cid, (table, var) in sig_table.items():
        computed[cid] = (lambda tb=table, v=var: table_claim("significant", tb, v))
    for cid, (var, cat, claim) in sites.items():
        computed[cid] = (lambda v=var, c=cat, cl=claim: claim_verdict(
            cl, _p_arg(_printed_table_p("Table 3", v, c)), recomputed_p=site(v, c)))
    unknown = sorted(set(computed) - set(claims.index))
    if unknown:
        raise KeyError(f"computed claims not in claims.csv: {unknown}")
    typed = read_claim_verdicts(claims.index, computed)
    # d4-pcr: the overreach is a human reading; the pooled p it repeats is recomputed.
    pooled = context[f"{SOURCE}:pcr.hrpos-vs-hrneg.p"]
    seq_note = (" The arithmetic holds, but the groups were formed by treatment received after "
                "first-line therapy began; see the grouping simulation.")
    out = []
    for cid, r in claims.iterrows():
        if cid in computed:
            j = computed[cid]()
        elif cid in typed:
            j = typed[cid]
        else:
            raise DataError(claims_path, claim_lines.get(cid), "id",
                            f"claim {cid!r} has no verdict: compute it in the engine or give it a "
                            f"verdict and reason in {CLAIM_VERDICTS}")
        expl = j.explanation
        recomputed = j.recomputed
        if cid == "d4-pcr" and pooled.verdict != "consistent":
            expl += (f" The pooled HR+ vs HR− difference it repeats does not reproduce either: "
                     f"{pooled.explanation}")
            recomputed = pooled.recomputed
        if cid in ("abs-seq", "fl-seq", "d5-seq", "concl", "abs-flet", "fl-et") and j.verdict == "consistent":
            expl += seq_note
        out.append(Finding(f"{SOURCE}:claim.{slug(cid)}", SOURCE, r["location"],
                           f"claim: {r['comparison']}", r["claim"][:200], recomputed,
                           "claim", j.verdict, expl))
    return out


# --------------------------------------------------------------------------------------
# Survival summaries: event totals, and the one log-rank p the summaries can test
# --------------------------------------------------------------------------------------

def survival_findings(reps: int = 1000, seed: int = 1216) -> list[Finding]:
    """Deaths and DFS events by group against their totals; advanced-OS log-rank p by simulation."""
    from ..survival import GroupSummary, logrank_p_distribution
    sv = read_source_table(SOURCE, "survival.csv")
    by_key = sv.set_index("key")
    out = []
    for total_key, parts, what in (("os:all", ("os:hr-status:hrpos", "os:hr-status:hrneg"), "deaths"),
                                   ("dfs:all", ("dfs:hr-status:hrpos", "dfs:hr-status:hrneg"), "DFS events")):
        totals = by_key.loc[[total_key]]
        total = parse_count(next(e for e in totals["events"] if e))
        got = [parse_count(by_key.loc[k, "events"]) for k in parts]
        ok = sum(got) == total
        out.append(_f(f"survival.{slug(total_key)}.events-sum", "Abstract; Results, Clinical outcomes",
                      f"{what}: HR+ plus HR− against the total", f"{total} {what}",
                      f"{got[0]} + {got[1]} = {sum(got)}", "count-sum",
                      "consistent" if ok else "inconsistent",
                      f"The {what} by HR group ({got[0]} and {got[1]}) add up to the {total} printed "
                      "in the Abstract." if ok else
                      f"The {what} by HR group add to {sum(got)}, not {total}."))
    a, b = by_key.loc["aos:hr-status:hrpos"], by_key.loc["aos:hr-status:hrneg"]
    groups = [GroupSummary("HR+", parse_count(a["n"]), float(a["median"]), parse_count(a["events"])),
              GroupSummary("HR−", parse_count(b["n"]), float(b["median"]), parse_count(b["events"]))]
    sim = logrank_p_distribution(groups, reps=reps, seed=seed)
    lo, hi = np.quantile(sim["p"], [0.025, 0.975])
    printed = parse_p(a["p"]).interval
    inside = lo <= float(printed.high) and float(printed.low) <= hi
    share = float((sim["p"] <= float(printed.high)).mean())
    out.append(_f("survival.aos-hr-status.logrank", a["location"],
                  "advanced-OS, HR+ vs HR−: log-rank p", f"P = {a['p']} (medians {a['median']} vs "
                  f"{b['median']}; deaths {a['events']}/{a['n']} vs {b['events']}/{b['n']})",
                  f"simulated p, middle 95%: {lo:.2f}–{hi:.2f} ({len(sim)} reconstructions)",
                  "logrank-simulation", "consistent" if inside else "implausible",
                  (f"Curves with the printed sizes, deaths and equal medians give log-rank p between "
                   f"{lo:.2f} and {hi:.2f} in 95% of reconstructions; the printed {a['p']} is within "
                   f"that range ({100 * share:.0f}% give p at or below it).") if inside else
                  (f"Curves with the printed sizes, deaths and medians give p between {lo:.2f} and "
                   f"{hi:.2f}; the printed {a['p']} is outside that range.")))
    return out


# --------------------------------------------------------------------------------------
# Supplement-only material
# --------------------------------------------------------------------------------------

def not_in_text_findings() -> list[Finding]:
    nit = read_csv(data_dir() / SOURCE / "not_in_text.csv")
    out = []
    for i, r in nit.iterrows():
        out.append(_f(f"supplement.{slug(r['refers_to'])}.{i + 1}", r["location"],
                      f"depends on {r['refers_to']}", r["what"][:200], "", "supplement-only",
                      "not-checkable",
                      f"Only in {r['refers_to']}, which the text does not reproduce: "
                      f"{r['what'][:160].rstrip('.')}."))
    return out


# --------------------------------------------------------------------------------------
# Groups formed by treatment received after follow-up began
# --------------------------------------------------------------------------------------

def cox_binary_hr(times: np.ndarray, events: np.ndarray, x: np.ndarray, iters: int = 25) -> np.ndarray:
    """Cox hazard ratio of a 0/1 covariate, one per row, by vectorised Newton–Raphson.

    ``times``, ``events`` and ``x`` have shape ``(R, N)``; times are continuous (no ties).
    Returns ``exp(beta)`` per row (Breslow = exact partial likelihood without ties).
    """
    order = np.argsort(times, axis=1, kind="stable")
    e = np.take_along_axis(events.astype(bool), order, axis=1)
    g = np.take_along_axis(x.astype(float), order, axis=1)
    n1 = g[:, ::-1].cumsum(axis=1)[:, ::-1]                  # treated at risk
    n0 = (1 - g)[:, ::-1].cumsum(axis=1)[:, ::-1]            # untreated at risk
    beta = np.zeros(times.shape[0])
    d1 = (e * g).sum(axis=1)
    for _ in range(iters):
        w = np.exp(beta)[:, None]
        share = n1 * w / (n1 * w + n0)
        score = d1 - (e * share).sum(axis=1)
        info = (e * share * (1 - share)).sum(axis=1)
        step = np.where(info > 0, score / np.maximum(info, 1e-12), 0.0)
        beta = np.clip(beta + np.clip(step, -2, 2), -10, 10)
    return np.exp(beta)


def _null_pfs_median(n_a: int, m_a: float, n_b: int, m_b: float) -> float:
    """Median of the exponential mixture of the two printed groups (a no-effect common median)."""
    f = lambda t: (n_a * np.exp(-np.log(2) * t / m_a) + n_b * np.exp(-np.log(2) * t / m_b)) / (n_a + n_b) - 0.5
    lo, hi = min(m_a, m_b), max(m_a, m_b)
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) > 0 else (lo, mid)
    return (lo + hi) / 2


def designs() -> dict[str, dict]:
    """The two treatment-received comparisons of HR+ metastatic patients, from the data.

    ``after``: patients whose endocrine therapy (ET) began only after induction (Table 4's
    "… → endocrine therapy" rows); ``start``: ET from the start; ``none``: the comparison
    group as the Results print it; ``pfs_medians`` (ET, no ET) and ``printed`` HRs (PFS,
    advanced-OS) as printed.  Keys: ``"seq-et"`` (maintenance ET after HER2-targeted therapy
    + chemotherapy) and ``"first-line-et"`` (any first-line ET).
    """
    cat = _categorical()
    t4 = cat[(cat["table"] == "Table 4") & (cat["variable"] == "Systemic therapy regimens")
             & (cat["group"] == HRPOS)].set_index("category")["count"].map(parse_count)
    after_induction = int(t4[[c for c in t4.index if c.endswith("→ endocrine therapy")]].sum())
    out = {}
    for key, et, no_et, after in (
            ("seq-et", "seq", "no-seq", int(t4["HER2-targeted therapy + chemotherapy → endocrine therapy"])),
            ("first-line-et", "et", "no-et", after_induction)):
        n_et = _printed_count("survival.csv", f"pfs:{key}:{et}", "n")
        n_none = _printed_count("survival.csv", f"pfs:{key}:{no_et}", "n")
        if after > n_et:
            raise DataError(data_dir() / SOURCE / "categorical.csv", None, "count",
                            f"{key}: {after} began ET after induction, more than the {n_et} in the group")
        printed = {"PFS": _printed("ratios.csv", f"hr:pfs:{key}", "estimate"),
                   "advanced-OS": _printed("ratios.csv", f"hr:aos:{key}", "estimate")}
        name = "sequential ET vs none" if key == "seq-et" else "first-line ET vs none"
        out[key] = dict(label=f"{name} ({n_et} vs {n_none})", after=after, start=n_et - after,
                        none=n_none,
                        pfs_medians=(float(_printed("survival.csv", f"pfs:{key}:{et}", "median")),
                                     float(_printed("survival.csv", f"pfs:{key}:{no_et}", "median"))),
                        printed=printed)
    return out


def _aos_median() -> float:
    """The printed median advanced-OS of HR+ patients (months)."""
    return float(_printed("survival.csv", "aos:hr-status:hrpos", "median"))


def grouping_bias_replicates(design: str = "seq-et", *,
                             landmark: float = 6.0, reps: int = 400, seed: int = 2024,
                             os_median: float | None = None,
                             follow_up: tuple[float, float] = (6.0, 120.0)) -> pd.DataFrame:
    """Hazard ratios that grouping alone produces when endocrine therapy does nothing.

    Every patient starts first-line therapy at time 0.  PFS is exponential with one median for
    everybody (the mixture of the two printed medians); advanced-OS is PFS plus an exponential
    post-progression survival chosen so that the median OS is ``os_median`` (default: the
    printed median advanced-OS of HR+ patients).  ``design`` is a key of :func:`designs`.  Censoring is uniform on ``follow_up`` months.
    Endocrine therapy "after induction" can only go to patients still progression-free at
    ``landmark`` months; that many of them are drawn at random (all eligible if fewer).
    Patients given ET "from the start" are a random draw.  The clock starts at first-line
    therapy for both groups, as in a Kaplan–Meier comparison of the groups.

    Returns one row per replicate and endpoint: ``hr`` (Cox, ET vs none) and the group sizes.
    """
    d = designs()[design]
    os_median = _aos_median() if os_median is None else os_median
    rng = np.random.default_rng(seed)
    n = d["after"] + d["start"] + d["none"]
    m_pfs = _null_pfs_median(d["after"] + d["start"], d["pfs_medians"][0], d["none"], d["pfs_medians"][1])
    pfs = rng.exponential(m_pfs / np.log(2), (reps, n))
    # post-progression survival scale: calibrated once, on a large fixed sample, to the OS median
    cal = np.random.default_rng(seed + 1)
    base_pfs = cal.exponential(m_pfs / np.log(2), 200_000)
    base_pps = cal.exponential(1.0, 200_000)
    lo, hi = 0.1, 500.0
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.median(base_pfs + mid * base_pps) < os_median else (lo, mid)
    pps = rng.exponential(lo, (reps, n))
    os_ = pfs + pps
    cens = rng.uniform(*follow_up, (reps, n))
    # assignment: 'start' at random; 'after' among the progression-free at the landmark
    u = rng.random((reps, n))
    x = np.zeros((reps, n), bool)
    order = np.argsort(u, axis=1)
    rows = np.arange(reps)[:, None]
    start_idx = order[:, :d["start"]]
    x[rows, start_idx] = True
    eligible = (pfs > landmark) & (cens > landmark) & ~x
    key = np.where(eligible, u, np.inf)
    key[rows, start_idx] = np.inf
    rank = np.argsort(np.argsort(key, axis=1), axis=1)
    after = (rank < d["after"]) & eligible
    x |= after
    out = []
    for endpoint, t in (("PFS", pfs), ("advanced-OS", os_)):
        time = np.minimum(t, cens)
        ev = t <= cens
        hr = cox_binary_hr(time, ev, x)
        out.append(pd.DataFrame({"design": d["label"], "endpoint": endpoint, "landmark": landmark,
                                 "replicate": np.arange(reps), "hr": hr,
                                 "n_et": x.sum(axis=1), "n_after": after.sum(axis=1),
                                 "events": ev.sum(axis=1)}))
    res = pd.concat(out, ignore_index=True)
    res.attrs.update(seed=seed, reps=reps, pfs_median=m_pfs, os_median=os_median)
    return res


def grouping_bias_simulation(landmarks=(3.0, 6.0, 9.0), reps: int = 400, seed: int = 2024) -> pd.DataFrame:
    """Tidy summary: the HR grouping alone gives, per design, endpoint and landmark, vs the printed HR.

    Columns: ``design_id`` (a key of :func:`designs`), ``design`` (its label), ``endpoint``,
    ``landmark`` (months of induction before ET can start),
    ``printed_hr``, ``null_median_hr`` and ``null_lo``/``null_hi`` (2.5th/97.5th percentiles over
    replicates), ``share_below_1`` and ``share_at_or_below_printed`` (fraction of no-effect
    replicates whose HR is at or below the printed one), ``pfs_median`` (the common no-effect
    PFS median, months) and ``reps``.
    """
    rows = []
    for design, d in designs().items():
        for L in landmarks:
            sim = grouping_bias_replicates(design, landmark=L, reps=reps, seed=seed)
            for endpoint, s in sim.groupby("endpoint", sort=False):
                printed = float(d["printed"][endpoint])
                rows.append(dict(design_id=design, design=d["label"], endpoint=endpoint, landmark=L,
                                 printed_hr=printed,
                                 null_median_hr=float(np.median(s["hr"])),
                                 null_lo=float(np.quantile(s["hr"], 0.025)),
                                 null_hi=float(np.quantile(s["hr"], 0.975)),
                                 share_below_1=float((s["hr"] < 1).mean()),
                                 share_at_or_below_printed=float((s["hr"] <= printed).mean()),
                                 pfs_median=float(sim.attrs["pfs_median"]), reps=reps))
    return pd.DataFrame(rows)


def grouping_bias_findings(summary: pd.DataFrame | None = None) -> list[Finding]:
    s = grouping_bias_simulation() if summary is None else summary
    out = []
    printed_text = {k: d["printed"] for k, d in designs().items()}
    for (short, design, endpoint), g in s.groupby(["design_id", "design", "endpoint"], sort=False):
        main = g[g["landmark"] == 6.0].iloc[0]
        printed = main["printed_hr"]
        printed_as = printed_text[short][endpoint]
        rng_txt = ", ".join(f"{r.landmark:g} mo: {r.null_median_hr:.2f}" for r in g.itertuples())
        inside = printed >= main["null_lo"]
        longest = g[g["landmark"] == g["landmark"].max()].iloc[0]
        tail = (f" If induction lasts {longest['landmark']:g} months, "
                f"{100 * longest['share_at_or_below_printed']:.0f}% of no-effect replicates give an "
                f"HR at or below the printed one." if longest["share_at_or_below_printed"] > 0 else "")
        if inside:
            verdict = "gross"
            why = (f"With no effect of endocrine therapy at all, forming the groups the paper's way "
                   f"gives a median HR of {main['null_median_hr']:.2f} (95% of replicates "
                   f"{main['null_lo']:.2f}–{main['null_hi']:.2f}); the printed {printed_as} is "
                   "within that range, so the grouping alone can produce it.")
        else:
            verdict = "inconsistent"
            why = (f"With no effect of endocrine therapy, the paper's grouping already gives HR ≈ "
                   f"{main['null_median_hr']:.2f} (95% of replicates {main['null_lo']:.2f}–"
                   f"{main['null_hi']:.2f}), because only patients still progression-free after "
                   f"induction can join the ET group. The printed {printed_as} is lower still, "
                   "but it is not an estimate of the effect of ET: part of it is the grouping." + tail)
        out.append(_f(f"grouping.{short}.{slug(endpoint)}", "Results, First-line treatment paras 2–3",
                      f"HR, {design}, {endpoint}", f"HR {printed_as}",
                      f"no-effect HR by landmark ({rng_txt})", "grouping-bias", verdict, why))
    return out


def forest_table() -> pd.DataFrame:
    """Every printed HR with its CI (one row per key), for a forest plot."""
    r = read_source_table(SOURCE, "ratios.csv").drop_duplicates("key")
    return pd.DataFrame({
        "comparison": r["variable"].str.replace(r" \(direction inferred.*\)", "", regex=True),
        "endpoint": r["endpoint"], "model": r["model"].str.split(" ").str[0],
        "hr": r["estimate"].astype(float), "ci_low": r["ci_low"].astype(float),
        "ci_high": r["ci_high"].astype(float), "p": r["p"], "key": r["key"],
    }).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Reconstruction
# --------------------------------------------------------------------------------------

# child variable → (parent variable, parent category that the child's "Yes" requires)
_NESTED = {
    "Neoadjuvant HER2 targeted therapy": ("Neoadjuvant therapy", "Yes"),
    "Adjuvant radiotherapy": ("Adjuvant therapy", "Yes"),
    "Adjuvant chemotherapy": ("Adjuvant therapy", "Yes"),
    "Adjuvant HER2 targeted therapy": ("Adjuvant therapy", "Yes"),
    "Adjuvant endocrine therapy": ("Adjuvant therapy", "Yes"),
}


# ---- survival, metastatic disease and pCR (synthetic; see reconstruct()) --------------

_GROUP_KEY = {HRPOS: "hrpos", HRNEG: "hrneg"}


def _follow_up_range(group: str) -> tuple[float, float]:
    """Uniform potential follow-up for a group: from Table 1's minimum follow-up to
    2 × median − minimum, so that its median is the printed median follow-up."""
    key = f"t1:followup:median:{_GROUP_KEY[group]}"
    lo = float(_printed("continuous.csv", key, "min"))
    med = float(_printed("continuous.csv", key, "median"))
    return lo, 2 * med - lo


def _events(endpoint: str, group: str) -> int:
    return _printed_count("survival.csv", f"{endpoint}:hr-status:{_GROUP_KEY[group]}", "events")


def _finite_median(n, events, median, lo, hi, rng, with_scale=False):
    """:func:`recheck.survival.draw_with_median`, times rounded to 0.01 month."""
    t, e, scale = draw_with_median(n, events, median, (lo, hi), rng)
    return (np.round(t, 2), e, scale) if with_scale else (np.round(t, 2), e)


def _pin_pooled_median(t: np.ndarray, e: np.ndarray, movable: np.ndarray, target: float,
                       scales: np.ndarray = np.linspace(0.5, 1.5, 401)) -> np.ndarray:
    """Times with the pooled KM median at *target* and the *movable* group's median not reached.

    The movable group's times are rescaled by the factor closest to 1 that works, and one of
    its deaths (the latest first: the smallest change) is moved to *target*.  Every candidate
    scale is tried at once (vectorised KM).  The other group's times are unchanged.
    """
    order = scales[np.argsort(np.abs(scales - 1), kind="stable")]
    events = np.tile(e, (len(order), 1))
    deaths = np.flatnonzero(movable & (e == 1))
    for j in deaths[np.argsort(-t[deaths], kind="stable")]:
        times = np.tile(t, (len(order), 1))
        times[:, movable] = np.round(t[movable] * order[:, None], 2)
        times[:, j] = target
        ok = (np.abs(km_medians(times, events) - target) <= 0.5) & np.isnan(
            km_medians(times[:, movable], events[:, movable]))
        if ok.any():
            return times[int(ok.argmax())]
    raise RuntimeError(f"no rescale of the movable group puts the pooled median at {target}")


def _os(df: pd.DataFrame, rng: np.random.Generator) -> None:
    """OS for all patients with the printed deaths by HR group and the printed medians: HR−
    (its draw rescaled to the median), HR+ not reached, and the pooled median.

    The HR+ draw keeps its early deaths as censored, like the HR− draw's rescale, so
    follow-up is comparable; its time scale starts from the HR− median divided by the
    printed OS hazard ratio.  The HR− curve reaches 50% only at its last deaths and the HR+
    curve never does, so a pooled median *later* than the HR− one can only come from the
    last few patients at risk: :func:`_pin_pooled_median` rescales the HR+ times and moves
    one HR+ death to the printed pooled median (see :func:`os_pooled_tail`)."""
    grp = df["hr_status"].to_numpy()
    neg, pos = grp == HRNEG, grp == HRPOS
    m_neg = float(_printed("survival.csv", "os:hr-status:hrneg", "median"))
    if _printed("survival.csv", "os:hr-status:hrpos", "median") != "not reached":
        raise DataError(data_dir() / SOURCE / "survival.csv", None, "median",
                        "the OS reconstruction assumes the HR+ median is printed as 'not reached'")
    hr = float(_printed("ratios.csv", "hr:os:hr-status:unadj", "estimate"))
    t_neg, e_neg, scale = _finite_median(int(neg.sum()), _events("os", HRNEG), m_neg,
                                         *_follow_up_range(HRNEG), rng, with_scale=True)
    for t_pos, e_pos in exact_event_draws(int(pos.sum()), _events("os", HRPOS), m_neg / hr,
                                         _follow_up_range(HRPOS), rng, "early"):
        if not np.isfinite(km_median(t_pos, e_pos)):
            break
    t = np.zeros(len(df))
    e = np.zeros(len(df), dtype=int)
    t[neg], t[pos] = t_neg, np.round(t_pos * scale, 2)
    e[neg], e[pos] = e_neg, e_pos
    pooled = float(_printed("survival.csv", "os:all", "median"))
    df["os_months"], df["os_death"] = _pin_pooled_median(t, e, pos, pooled), e


def os_pooled_tail() -> dict[str, float]:
    """How many reconstructed patients carry the pooled OS median: the death at the median,
    the patients at risk just before it (by HR group) and the survival estimate either side."""
    c = read_cohort()
    t, e = c["os_months"].astype(float).to_numpy(), c["os_death"].astype(int).to_numpy()
    m = km_median(t, e)
    at_risk = t >= m
    from lifelines import KaplanMeierFitter
    sf = KaplanMeierFitter().fit(t, e).survival_function_.iloc[:, 0]
    return {"median": float(m), "at_risk": int(at_risk.sum()),
            "at_risk_hrpos": int((at_risk & (c["hr_status"] == HRPOS)).sum()),
            "at_risk_hrneg": int((at_risk & (c["hr_status"] == HRNEG)).sum()),
            "surv_before": float(sf[sf.index < m].iloc[-1]), "surv_at": float(sf[m])}


def _dfs(df: pd.DataFrame, rng: np.random.Generator) -> None:
    """DFS for the operable patients (stage I–III, less the patients without surgery that
    the Results exclude), with the printed events by HR group; one time scale for both groups
    so that the pooled KM median is the printed one."""
    pop = (df["TNM staging at diagnosis"] == "I-III").to_numpy()
    sizes = {g: _printed_count("survival.csv", f"dfs:hr-status:{_GROUP_KEY[g]}", "n") for g in (HRPOS, HRNEG)}
    for g, n in sizes.items():
        idx = np.flatnonzero(pop & (df["hr_status"] == g).to_numpy())
        excess = len(idx) - n           # stage I–III patients "without surgery", excluded
        if excess < 0:
            raise DataError(data_dir() / SOURCE / "survival.csv", None, "n",
                            f"DFS population {g}: {n} printed, only {len(idx)} stage I–III patients")
        nosurg = [i for i in idx if df.at[i, "Surgery"] == "No surgery"]
        pop[(nosurg + [i for i in idx if i not in nosurg])[:excess]] = False
    df["dfs_population"] = pop
    events = {g: _events("dfs", g) for g in (HRPOS, HRNEG)}
    m_all = float(_printed("survival.csv", "dfs:all", "median"))
    # crude hazard contrast from the event shares, split evenly around the pooled median
    ratio = np.sqrt((events[HRNEG] / sizes[HRNEG]) / (events[HRPOS] / sizes[HRPOS]))
    medians = {HRPOS: m_all * ratio, HRNEG: m_all / ratio}
    t = np.full(len(df), np.nan)
    e = np.zeros(len(df), dtype=int)
    for _ in range(500):
        for g in (HRPOS, HRNEG):
            idx = np.flatnonzero(pop & (df["hr_status"] == g).to_numpy())
            tg, eg = next(exact_event_draws(len(idx), events[g], medians[g], _follow_up_range(g), rng, "early"))
            t[idx], e[idx] = tg, eg
        km = km_median(t[pop], e[pop])
        if np.isfinite(km):
            break
    t = np.round(t * m_all / km, 2)
    df["dfs_months"] = np.where(pop, t, np.nan)
    df["dfs_event"] = np.where(pop, e, -1)


def _pooled_pcr_rows() -> pd.DataFrame:
    """pcr.csv's pooled-regimen rows: by HR status and by ER/PR subgroup, with the implied count."""
    pcr = read_csv(data_dir() / SOURCE / "pcr.csv", {"subgroup": None, "regimen": None, "n": "count",
                                                      "pcr_percent": "value", "location": None})
    rows = pcr[pcr["regimen"].str.contains("pooled") & (pcr["n"] != "")].copy()
    rows["n_int"] = rows["n"].map(parse_count)
    rows["implied"] = [counts_for_percent(f"{p}%", n) for p, n in zip(rows["pcr_percent"], rows["n_int"])]
    return rows


def _pcr_column(df: pd.DataFrame, rng: np.random.Generator) -> None:
    """ER/PR subgroup, neoadjuvant regimen and pCR among the neoadjuvant patients.

    The regimen sizes and pCR counts per ER/PR subgroup are one allocation that fits every
    printed percentage (:func:`~recheck.sources.xian_regimens.choose_allocation`, seeded from
    *rng*).  The CT-only patients are those without neoadjuvant HER2-targeted therapy in
    Table 2.  HR+ neoadjuvant patients are split into the printed ER+/PR+, ER+/PR− and ER−/PR+
    subgroups (ER−/PR+ only among ER < 10%, ER+/PR− only among PR < 20%, so the split agrees
    with Table 1); HR− patients are ER−/PR−.  The subgroup pCR counts add up to the HR
    groups' implied counts (checked).
    """
    from .xian_regimens import CT, REGIMENS, choose_allocation
    alloc = choose_allocation(int(rng.integers(2**31))).set_index(["subgroup", "regimen"])
    rows = _pooled_pcr_rows().set_index("subgroup")
    sub_col = np.full(len(df), "", dtype=object)
    reg_col = np.full(len(df), "", dtype=object)
    pcr_col = np.full(len(df), "", dtype=object)
    neo = (df["Neoadjuvant therapy"] == "Yes").to_numpy()
    her2 = (df["Neoadjuvant HER2 targeted therapy"] == "Yes").to_numpy()
    allowed = {"ER-/PR+": df["ER"].to_numpy() == "< 10%", "ER+/PR-": df["PR"].to_numpy() == "< 20%",
               "ER+/PR+": np.ones(len(df), bool), "ER-/PR-": np.ones(len(df), bool)}
    for g, subgroups in ((HRPOS, ("ER-/PR+", "ER+/PR-", "ER+/PR+")), (HRNEG, ("ER-/PR-",))):
        free = rng.permutation(np.flatnonzero(neo & (df["hr_status"] == g).to_numpy()))
        for sub in subgroups:               # the most constrained subgroup first
            for regimen in REGIMENS:
                n = int(alloc.loc[(sub, regimen), "n"])
                fits = free[allowed[sub][free] & (~her2[free] if regimen == CT else her2[free])]
                if len(fits) < n:
                    raise ValueError(f"{sub}, {regimen}: only {len(fits)} {g} neoadjuvant patients "
                                     f"fit, {n} needed")
                pick = fits[:n]
                sub_col[pick], reg_col[pick] = sub, regimen
                pcr_col[pick] = "No"
                pcr_col[pick[:int(alloc.loc[(sub, regimen), "pcr_count"])]] = "Yes"
                free = free[~np.isin(free, pick)]
        if len(free):
            raise ValueError(f"{g}: {len(free)} neoadjuvant patients left without a subgroup")
    for name in rows.index:
        idx = np.flatnonzero((sub_col == name) if name.startswith("ER") else
                             (df["hr_status"].to_numpy() == name) & neo)
        (k,) = rows.loc[name, "implied"]
        if len(idx) != rows.loc[name, "n_int"] or (pcr_col[idx] == "Yes").sum() != k:
            raise ValueError(f"{name}: the regimen allocation does not add up to the pooled pCR row")
    df["ER/PR subgroup (neoadjuvant)"] = sub_col
    df["Neoadjuvant regimen"] = reg_col
    df["pCR"] = pcr_col


def _table34() -> pd.DataFrame:
    cat = _categorical()
    return cat[cat["table"].isin(["Table 3", "Table 4"]) & (cat["group"] != ALL)]


# Table 3–4 yes/no columns nested in another yes/no column (child → parent)
_MET_NESTED = {f"{v}: {s}": f"Metastatic sites: {p}" for v in ("Metastatic sites",)
               for s, p in (("Lung", "Visceral involvement"), ("Liver", "Visceral involvement"),
                            ("Brain/CNS", "Visceral involvement"))}
_MET_NESTED.update({f"First metastatic site: {s}": f"Metastatic sites: {s}" for s in
                    ("Visceral involvement", "Lung", "Liver", "Brain/CNS", "Bone", "Distant lymph node",
                     "Other sites")})


def _metastatic(df: pd.DataFrame, rng: np.random.Generator) -> None:
    """263 patients with metastatic disease (132 HR+, 131 HR−) and their Table 3–4 variables.

    De novo MBC = the stage IV patients (35/30, as printed).  Recurrent MBC is drawn from the
    patients with a DFS event (97 of the 99 HR+; all 100 HR− events plus the one stage I–III
    patient left out of the DFS population, for 101).  Within the 263, every Table 3–4 count is
    exact; variables are independent within HR group except that visceral involvement is
    "Yes" exactly when the number of visceral metastases is ≥ 1, lung/liver/brain only among
    visceral involvement, a first site only among patients with that site, and a Table 4
    sub-row only within its parent regimen."""
    t34 = _table34()
    met = np.zeros(len(df), dtype=bool)
    mtype = np.full(len(df), "", dtype=object)
    cols: dict[str, np.ndarray] = {}
    for g in (HRPOS, HRNEG):
        rows = t34[t34["group"] == g]
        k = {c: parse_count(n) for c, n in zip(rows.loc[rows["variable"] == "MBC diagnosis type", "category"],
                                              rows.loc[rows["variable"] == "MBC diagnosis type", "count"])}
        ing = (df["hr_status"] == g).to_numpy()
        denovo = np.flatnonzero(ing & (df["TNM staging at diagnosis"] == "IV").to_numpy())
        if len(denovo) != k["De novo"]:
            raise ValueError(f"de novo MBC ({g}): {len(denovo)} stage IV, not {k['De novo']}")
        events = rng.permutation(np.flatnonzero(ing & (df["dfs_event"] == 1).to_numpy()))
        left_out = np.flatnonzero(ing & ~df["dfs_population"].to_numpy()
                                  & (df["TNM staging at diagnosis"] == "I-III").to_numpy())
        recurrent = np.concatenate([events, left_out])[:k["Recurrent"]]
        met[denovo], met[recurrent] = True, True
        mtype[denovo], mtype[recurrent] = "De novo", "Recurrent"
        idx = np.flatnonzero(met & ing)
        n = len(idx)
        # exclusive variables
        for var in ("Number of visceral metastases", "Systemic therapy regimens"):
            r = rows[rows["variable"] == var]
            labels = np.repeat(r["category"].to_numpy(), r["count"].map(parse_count).to_numpy())
            if len(labels) != n:
                raise ValueError(f"{var} ({g}): counts add to {len(labels)}, not {n}")
            cols.setdefault(var, np.full(len(df), "", dtype=object))[idx] = rng.permutation(labels)
        # non-exclusive yes/no rows, parents before children
        regimens = set(rows.loc[rows["variable"] == "Systemic therapy regimens", "category"])
        yesno = rows[rows["variable"].isin(["Metastatic sites", "First metastatic site"])
                     | rows["variable"].isin(regimens)]
        for var, cat_, cnt in zip(yesno["variable"], yesno["category"], yesno["count"]):
            name = f"{var}: {cat_}"
            col = cols.setdefault(name, np.full(len(df), "", dtype=object))
            col[idx] = "No"
            kk = parse_count(cnt)
            if name == "Metastatic sites: Visceral involvement":
                pick = idx[cols["Number of visceral metastases"][idx] != "0"]
                if len(pick) != kk:
                    raise ValueError(f"{name} ({g}): {len(pick)} with ≥1 visceral site, not {kk}")
            else:
                if name in _MET_NESTED:
                    pool = idx[cols[_MET_NESTED[name]][idx] == "Yes"]
                elif var in regimens:
                    pool = idx[cols["Systemic therapy regimens"][idx] == var]
                else:
                    pool = idx
                if kk > len(pool):
                    raise ValueError(f"{name} ({g}): {kk} yes among {len(pool)}")
                pick = rng.permutation(pool)[:kk]
            col[pick] = "Yes"
    df["metastatic"] = met
    df["MBC diagnosis type"] = mtype
    for name, col in cols.items():
        df[name] = col


def _advanced_os(df: pd.DataFrame, rng: np.random.Generator, follow_up: tuple[float, float] = (1.0, 110.0)
                 ) -> None:
    """Advanced-OS (from the diagnosis of metastasis) for the metastatic patients, with the
    printed deaths by HR group, each group's KM median rescaled to its printed median.
    ``follow_up``: uniform potential follow-up from metastasis, months (not printed; assumed)."""
    t = np.full(len(df), np.nan)
    e = np.full(len(df), -1)
    met = df["metastatic"].to_numpy()
    for g in (HRPOS, HRNEG):
        idx = np.flatnonzero(met & (df["hr_status"] == g).to_numpy())
        median = float(_printed("survival.csv", f"aos:hr-status:{_GROUP_KEY[g]}", "median"))
        t[idx], e[idx] = _finite_median(len(idx), _events("aos", g), median, *follow_up, rng)
    df["aos_months"], df["aos_death"] = t, e


def reconstruct(seed: int = 20241216) -> list[Path]:
    """Write ``data/xian/reconstructed/cohort.csv``: 828 synthetic patients.

    Each Table 1–2 variable's categories are assigned within each HR group so that its counts
    equal the table exactly.  The tables print no joint distributions, so variables are
    independent within an HR group, except that a treatment row's "Yes" (e.g. neoadjuvant
    HER2-targeted therapy, adjuvant chemotherapy) is given only to patients with "Yes" in its
    parent row (neoadjuvant therapy, adjuvant therapy).  Deterministic for a given seed.
    """
    cat = _categorical()
    cat = cat[cat["table"].isin(["Table 1", "Table 2"]) & (cat["group"] != ALL)]
    rng = np.random.default_rng(seed)
    frames = []
    sizes = {g: _group_n("Table 1", g) for g in (HRPOS, HRNEG)}
    pid = 0
    for group in (HRPOS, HRNEG):
        n = sizes[group]
        cols: dict[str, np.ndarray] = {}
        sub = cat[cat["group"] == group]
        for variable, rows in sub.groupby("variable", sort=False):
            labels = np.repeat(rows["category"].to_numpy(), rows["count"].map(parse_count).to_numpy())
            if len(labels) != n:
                raise ValueError(f"{variable} ({group}): counts add to {len(labels)}, not {n}")
            if variable in _NESTED:
                parent, yes = _NESTED[variable]
                k_yes = int((labels == "Yes").sum())
                idx_parent = np.flatnonzero(cols[parent] == yes)
                if k_yes > len(idx_parent):
                    raise ValueError(f"{variable} ({group}): {k_yes} yes among {len(idx_parent)}")
                col = np.full(n, "No", dtype=object)
                col[rng.permutation(idx_parent)[:k_yes]] = "Yes"
                cols[variable] = col
            else:
                cols[variable] = rng.permutation(labels)
        df = pd.DataFrame(cols)
        df.insert(0, "hr_status", group)
        df.insert(0, "patient", [f"X{pid + i + 1:04d}" for i in range(n)])
        pid += n
        frames.append(df)
    cohort = pd.concat(frames, ignore_index=True)
    rng2 = np.random.default_rng([seed, 2])   # a second stream: the Table 1–2 columns are unchanged
    _os(cohort, rng2)
    _dfs(cohort, rng2)
    _metastatic(cohort, rng2)
    _advanced_os(cohort, rng2)
    _pcr_column(cohort, rng2)
    for c in ("dfs_event", "aos_death"):
        cohort[c] = [("" if v < 0 else str(int(v))) for v in cohort[c]]
    folder = data_dir() / SOURCE / "reconstructed"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cohort.csv"
    buf = io.StringIO()
    buf.write(SYNTHETIC_HEADER + " Variables are independent within HR group (joint "
              "distributions are not printed); treatment sub-rows are nested in their parent row. "
              "Also modelled: OS (all 828) and DFS (762 operable) times with the printed event counts "
              "and medians, the 263 patients with metastatic disease with Table 3-4 counts and "
              "advanced-OS, pCR counts implied by the printed rates and one allocation of the "
              "neoadjuvant regimens that fits every printed regimen rate; survival times are "
              "exponential draws rescaled to the printed medians, not the paper's curves.\n")
    cohort.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return [path]


def read_cohort() -> pd.DataFrame:
    """The reconstructed cohort (synthetic), skipping its comment line."""
    return pd.read_csv(data_dir() / SOURCE / "reconstructed" / "cohort.csv", comment="#", dtype=str,
                       keep_default_na=False)


# --------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _all(folder: str) -> tuple[Finding, ...]:
    del folder  # cache key: findings are recomputed for another data folder
    out = _adjusted_standard()
    out += cross_location_findings()
    out += prose_percent_findings()
    out += group_size_findings()
    out += pcr_comparisons()
    out += heterogeneity_findings()
    out += survival_findings()
    context = {f.id: f for f in out}
    out += claim_findings(context)
    out += not_in_text_findings()
    out += grouping_bias_findings()
    return tuple(out)


def findings() -> list[Finding]:
    """Every finding for this source."""
    if not (data_dir() / SOURCE).exists():
        return []
    from .patina import quoted_findings   # trial results quoted in the Discussion
    return list(_all(str(data_dir()))) + quoted_findings(SOURCE)


# --------------------------------------------------------------------------------------
# What the chapter displays (numbers as display strings, figures)
# --------------------------------------------------------------------------------------

_WORDS = {0: "No", 1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven",
          8: "Eight", 9: "Nine", 10: "Ten"}


def _count_word(n: int, lower: bool = False) -> str:
    w = _WORDS.get(n, str(n))
    return w.lower() if lower and n in _WORDS else w


def _hr_text(key: str) -> dict[str, str]:
    """A printed HR as display strings: ``hr`` "0.49", ``ci`` "0.19–1.25", ``p`` "0.042"."""
    return {"hr": _printed("ratios.csv", key, "estimate"),
            "ci": f"{_printed('ratios.csv', key, 'ci_low')}–{_printed('ratios.csv', key, 'ci_high')}",
            "p": _printed("ratios.csv", key, "p")}


def _p_as_written(p: str) -> str:
    """``"< 0.001"`` → ``"P < 0.001"``, ``"0.042"`` → ``"P = 0.042"``."""
    return f"P {p}" if p.strip()[0] in "<>≤≥" else f"P = {p}"


def prose_numbers(findings: pd.DataFrame) -> dict[str, str]:
    """Printed values and sentences the chapter quotes, read from the data and the findings."""
    F = findings.set_index("id", drop=False)
    cat = _categorical()
    pooled = _pooled_pcr_rows().set_index("subgroup")
    dfs_erpr = _hr_text("hr:dfs:erpos-prpos-vs-erneg-prpos")
    het_pfs = _hr_text("hr:pfs:her2-het")
    het_hr_pfs = _hr_text("hr:pfs:hr-within-het")
    d = designs()
    n_neo = int(cat[(cat["variable"] == "Neoadjuvant therapy") & (cat["category"] == "Yes")
                    & (cat["group"] == ALL)]["count"].map(parse_count).iloc[0])
    no_surgery = int(cat[(cat["variable"] == "Surgery") & (cat["category"] == "No surgery")
                         & (cat["group"] == ALL)]["count"].map(parse_count).iloc[0])
    fu = read_source_table(SOURCE, "continuous.csv")
    fu_max = max(parse_count(x) for x in fu.loc[fu["variable"].str.startswith("Follow-up"), "max"])
    _, first, cutoff = _months_in_window()
    # the All-column percentages their counts cannot give: "grade I/II (297 of 828, printed as 35.8%)"
    bad_all = F[(F["check"] == "percent-of-n") & F["id"].str.startswith(f"{SOURCE}:table-")
                & F["id"].str.contains(".all-patients.", regex=False) & (F["verdict"] != "consistent")]
    bad_cells = []
    for _, f in bad_all.iterrows():
        table, variable = f["location"].split(" (")[0].split(", ", 1)
        shown = dict(zip(f["reported"].split("; "), f["recomputed"].split("; ")))
        for printed, computed in shown.items():
            k, pct = re.match(r"(\d+) \(([\d.]+)%\)", printed).groups()
            n = computed.split("/")[1].split(" ")[0]
            if not check_percent(int(k), f"{pct}%", int(n))["consistent"]:
                bad_cells.append(f"{variable.lower()} in {table} ({k} of {n}, printed as {pct}%)")
    # table rows printing the very same p: one may have been copied into the other
    tp = F[(F["check"] == "table-p") & F["id"].str.startswith(f"{SOURCE}:table-")]
    twins = ""
    shared = [g for _, g in tp.groupby("reported", sort=False)
              if len(g) == 2 and (g["verdict"] == "inconsistent").all()]
    if shared:
        a, b = shared[0].iloc[0], shared[0].iloc[1]
        rec = lambda f: re.search(r": (<?[\d.]+)", f["recomputed"]).group(1)  # noqa: E731
        twins = (f"“{a['location'].split(', ', 1)[1]}” and “{b['location'].split(', ', 1)[1]}” both print "
                 f"p = {a['reported']}; recomputed they give {rec(a)} and {rec(b)} (Pearson χ²).")
    regimen = F[F["id"].str.match(rf"{SOURCE}:pcr\.(t|tp)-ct\.")]
    erpr = F[F["id"].isin([f"{SOURCE}:pcr.erpos-prpos-vs-{b}.p"
                           for b in ("erpos-prneg", "erneg-prpos", "erneg-prneg")])]
    from .xian_regimens import ct_only_pcr_range
    reg_ranges = ct_only_pcr_range().set_index(["hr_group", "regimen"])
    reg_f = F[F["id"].str.startswith(f"{SOURCE}:pcr.regimen.")]
    ct_pos = reg_ranges.loc[(HRPOS, "CT only")]
    return {
        "n_regimen_findings": str(len(reg_f)),
        "n_regimen_rates": _count_word(len(_pcr()[_pcr()["regimen"].isin(["trastuzumab + CT",
                                                                         "trastuzumab + pertuzumab + CT"])
                                               & (_pcr()["pcr_percent"] != "")]
                                       .drop_duplicates(["regimen", "subgroup"])), lower=True),
        "n_regimen_findings_gross": _count_word(int((reg_f["verdict"] == "gross").sum()), lower=True),
        "ct_only_hrpos_n": str(int(ct_pos["n_min"])),
        "ct_only_hrpos_pcr": f"{int(ct_pos['pcr_min'])}–{int(ct_pos['pcr_max'])}",
        "ct_only_hrneg_n": str(int(reg_ranges.loc[(HRNEG, "CT only"), "n_min"])),
        "n_hrpos_combinations": str(int(ct_pos["n_combinations"])),
        "n_all": str(_group_n("Table 1", ALL)), "n_hrpos": str(_group_n("Table 1", HRPOS)),
        "n_hrneg": str(_group_n("Table 1", HRNEG)), "n_met": str(_group_n("Table 3", ALL)),
        "n_neo": str(n_neo), "n_no_surgery": str(no_surgery),
        "dfs_excluded_no_surgery": _count_word(_group_n("DFS population", "excluded: did not undergo surgery"),
                                               lower=True),
        "pcr_hrpos_pct": pooled.loc[HRPOS, "pcr_percent"], "pcr_hrpos_size": pooled.loc[HRPOS, "n"],
        "pcr_hrneg_pct": pooled.loc[HRNEG, "pcr_percent"], "pcr_hrneg_size": pooled.loc[HRNEG, "n"],
        "pcr_hr_p": _p_as_written(pooled.loc[HRPOS, "p"]),
        "n_erpr": _count_word(len(erpr), lower=True),
        "n_erpr_gross": _count_word(int((erpr["verdict"] == "gross").sum())),
        "n_regimen_gross": _count_word(int((regimen["verdict"] == "gross").sum()), lower=True),
        "dfs_erpr_hr": dfs_erpr["hr"], "dfs_erpr_ci": dfs_erpr["ci"], "dfs_erpr_p": _p_as_written(dfs_erpr["p"]),
        "het_pfs_hr": het_pfs["hr"], "het_pfs_p": het_pfs["p"],
        "het_hr_pfs_hr": het_hr_pfs["hr"], "het_hr_pfs_ci": het_hr_pfs["ci"],
        "het_hr_pfs_p": _p_as_written(het_hr_pfs["p"]),
        "bad_all_cells": " and ".join(bad_cells), "same_p_twins": twins,
        "seq_n_et": str(d["seq-et"]["after"] + d["seq-et"]["start"]), "seq_n_none": str(d["seq-et"]["none"]),
        "fl_n_et": str(d["first-line-et"]["after"] + d["first-line-et"]["start"]),
        "fl_n_none": str(d["first-line-et"]["none"]),
        "fu_max": str(fu_max), "study_start": first.split()[-1], "study_cutoff": cutoff.split()[-1],
    }


def chapter_numbers(findings: pd.DataFrame, summary: pd.DataFrame) -> dict[str, str]:
    """Display strings for the chapter's prose, all computed from the findings and the simulation."""
    F = findings.set_index("id", drop=False)
    flags = F[~F["verdict"].isin(["consistent", "not-checkable"])]
    pcr = pcr_table().set_index("subgroup")
    hr_pcr = _pair_p(int(pcr.loc[HRPOS, "count"]), int(pcr.loc[HRPOS, "n"]),
                     int(pcr.loc[HRNEG, "count"]), int(pcr.loc[HRNEG, "n"]))
    pear = next(v for k, v in hr_pcr.items() if k.startswith("Pearson χ²") and "Yates" not in k)
    yates = next(v for k, v in hr_pcr.items() if "Yates" in k)
    s6 = summary[summary["landmark"] == 6.0].set_index(["design_id", "endpoint"])
    by_landmark = summary.set_index(["design_id", "endpoint", "landmark"])
    seq, fl = "seq-et", "first-line-et"
    design = designs()
    tp = F.loc[f"{SOURCE}:pcr.tp-ct.erpos-prpos-vs-erneg-prpos.p", "recomputed"]
    table_p = F[(F["check"] == "table-p") & F["id"].str.startswith(f"{SOURCE}:table-")]
    claims = F[F["check"] == "claim"]
    ratios = F[F["check"].isin(["ratio-ci-centre", "ratio-p-from-ci"])]
    n_distinct_ratios = len(forest_table())
    gross_pcr = F[F["id"].isin([f"{SOURCE}:pcr.erpos-prpos-vs-erpos-prneg.p",
                                f"{SOURCE}:pcr.erpos-prpos-vs-erneg-prpos.p"])]
    erpr_ps = [float(re.search(r"Pearson χ²: ([\d.]+)", r).group(1)) for r in gross_pcr["recomputed"]]
    r = read_source_table(SOURCE, "ratios.csv").set_index("key").loc["hr:pfs:hr-within-het"]
    het_implied = check_ratio(r["estimate"], r["ci_low"], r["ci_high"], r["p"]).implied_p_text
    fu = read_source_table(SOURCE, "continuous.csv").set_index("key")["median"]
    fu_diff = parse_count(fu["t1:followup:median:hrpos"]) - parse_count(fu["t1:followup:median:hrneg"])
    all_pct = F[F["check"].isin(["percent-of-n"]) & F["id"].str.startswith(f"{SOURCE}:table-")
                & F["id"].str.contains(".all-patients.", regex=False) & (F["verdict"] != "consistent")]
    landmarks = sorted(summary["landmark"].unique())
    tail = os_pooled_tail()
    return fit_numbers() | prose_numbers(findings) | {
        "landmark_main": f"{6.0:g}", "landmark_lo": f"{landmarks[0]:g}", "landmark_hi": f"{landmarks[-1]:g}",
        "os_tail_at_risk": _count_word(tail["at_risk"], lower=True),
        "os_tail_median": f"{tail['median']:g}",
        "os_hrneg_median": _printed("survival.csv", "os:hr-status:hrneg", "median"),
        "os_tail_before": f"{100 * tail['surv_before']:.0f}%", "os_tail_at": f"{100 * tail['surv_at']:.0f}%",
        "followup_diff": str(abs(fu_diff)),
        "fl_et_after": str(design[fl]["after"]),
        "n_all_pct_bad": _count_word(len(all_pct)),
        "n_ratios": str(n_distinct_ratios),
        "n_ratio_flags": str(int((~ratios["verdict"].isin(["consistent"])).sum())),
        "erpr_p_range": f"{min(erpr_ps):.2f}–{max(erpr_ps):.2f}",
        "het_pfs_implied_p": het_implied,
        "n_findings": f"{len(F):,}",
        "n_flags": str(len(flags)),
        "n_gross": str(int((F["verdict"] == "gross").sum())),
        "n_not_checkable": str(int((F["verdict"] == "not-checkable").sum())),
        "n_claims": str(len(claims)),
        "n_claims_flagged": str(int(claims["verdict"].isin(["inconsistent", "gross"]).sum())),
        "n_claims_nc": str(int((claims["verdict"] == "not-checkable").sum())),
        "n_table_p": str(len(table_p)),
        "n_table_p_ok": str(int(table_p["verdict"].isin(["consistent", "variant"]).sum())),
        "n_supplement": str(int((F["check"] == "supplement-only").sum())),
        "pcr_hrpos_k": str(int(pcr.loc[HRPOS, "count"])), "pcr_hrpos_n": str(int(pcr.loc[HRPOS, "n"])),
        "pcr_hrneg_k": str(int(pcr.loc[HRNEG, "count"])), "pcr_hrneg_n": str(int(pcr.loc[HRNEG, "n"])),
        "pcr_p_pearson": _fmt_p(float(pear)), "pcr_p_yates": _fmt_p(float(yates)),
        "pcr_tp_range": tp.split(": ", 1)[1].split(" (")[0],
        "pcr_tp_min": tp.split(": ", 1)[1].split(" (")[0].split("–")[0],
        "seq_pfs_null": f"{s6.loc[(seq, 'PFS'), 'null_median_hr']:.2f}",
        "seq_pfs_lo": f"{s6.loc[(seq, 'PFS'), 'null_lo']:.2f}",
        "seq_pfs_hi": f"{s6.loc[(seq, 'PFS'), 'null_hi']:.2f}",
        "seq_os_null": f"{s6.loc[(seq, 'advanced-OS'), 'null_median_hr']:.2f}",
        "seq_pfs_printed": design[seq]["printed"]["PFS"],
        "seq_os_printed": design[seq]["printed"]["advanced-OS"],
        "seq_os_reduction": f"{100 * (1 - s6.loc[(seq, 'advanced-OS'), 'printed_hr']):.0f}%",
        "seq_pfs_share_below1": f"{100 * s6.loc[(seq, 'PFS'), 'share_below_1']:.1f}%",
        "seq_pfs_share_printed_9": f"{100 * by_landmark.loc[(seq, 'PFS', 9.0), 'share_at_or_below_printed']:.0f}%",
        "fl_pfs_null": f"{s6.loc[(fl, 'PFS'), 'null_median_hr']:.2f}",
        "fl_os_null": f"{s6.loc[(fl, 'advanced-OS'), 'null_median_hr']:.2f}",
        "null_pfs_median": f"{s6.loc[(seq, 'PFS'), 'pfs_median']:.1f}",
        "sim_reps": f"{int(s6.loc[(seq, 'PFS'), 'reps']):,}",
        "seq_pfs_9": f"{by_landmark.loc[(seq, 'PFS', 9.0), 'null_median_hr']:.2f}",
        "seq_pfs_3": f"{by_landmark.loc[(seq, 'PFS', 3.0), 'null_median_hr']:.2f}",
    }


def plot_pcr(ax) -> None:
    """pCR with Wilson 95% CIs, by HR status and ER/PR subgroup (counts implied by the percentages)."""
    t = pcr_table()
    y = np.arange(len(t))[::-1]
    colours = ["#0072B2" if g == "HR status" else "#E69F00" for g in t["grouping"]]
    ax.errorbar(t["pcr"], y, xerr=[t["pcr"] - t["ci_low"], t["ci_high"] - t["pcr"]], fmt="none",
                ecolor="#555555", capsize=3)
    ax.scatter(t["pcr"], y, c=colours, zorder=3, s=40)
    ax.set_yticks(y, [f"{s} ({k}/{n})" for s, k, n in zip(t["subgroup"], t["count"], t["n"])])
    ax.set_xlabel("pCR, % (95% Wilson CI)")
    ax.set_xlim(0, 100)
    ax.set_ylim(-1.2, len(t) - 0.5)  # room for the reconstructed-data stamp


def plot_forest(ax) -> None:
    """Every printed HR with its 95% CI, on a log axis."""
    t = forest_table()
    y = np.arange(len(t))[::-1]
    ax.errorbar(t["hr"], y, xerr=[t["hr"] - t["ci_low"], t["ci_high"] - t["hr"]], fmt="o",
                color="#0072B2", ecolor="#555555", capsize=2, ms=4)
    ax.axvline(1, color="#999999", lw=1)
    ax.set_xscale("log")
    labels = [f"{e}: {c[:48]}{'…' if len(c) > 48 else ''} ({m}) — p {p}"
              for e, c, m, p in zip(t["endpoint"], t["comparison"], t["model"], t["p"])]
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlabel("hazard ratio (log scale), as printed")


def plot_grouping(axes, reps: int = 400, seed: int = 2024, landmark: float = 6.0) -> None:
    """No-effect HR distributions for the sequential-ET grouping, printed HR marked."""
    sim = grouping_bias_replicates("seq-et", landmark=landmark, reps=reps, seed=seed)
    printed = designs()["seq-et"]["printed"]
    bins = np.exp(np.linspace(np.log(0.03), np.log(3), 50))
    for ax, (endpoint, s) in zip(axes, sim.groupby("endpoint", sort=False)):
        ax.hist(s["hr"], bins=bins, color="#56B4E9", edgecolor="white")
        ax.axvline(1, color="#999999", lw=1)
        ax.axvline(float(printed[endpoint]), color="#D55E00", lw=2, label=f"printed HR {printed[endpoint]}")
        ax.axvline(float(np.median(s["hr"])), color="#0072B2", ls="--", lw=1.5,
                   label=f"no-effect median {np.median(s['hr']):.2f}")
        ax.set_xscale("log")
        ax.set_title(f"{endpoint}: maintenance ET vs none", fontsize=10)
        ax.set_xlabel("hazard ratio with no treatment effect")
        ax.legend(fontsize=8, loc="upper left")
    top = max(ax.get_ylim()[1] for ax in axes)
    for ax in axes:
        ax.set_ylim(-0.1 * top, top)  # room for the simulated-data stamp
    axes[0].set_ylabel(f"replicates (of {reps})")


def margins_check() -> pd.DataFrame:
    """Reconstructed cohort counts against Table 1–2, per variable, category and HR group."""
    cohort = read_cohort()
    cat = _categorical()
    cat = cat[cat["table"].isin(["Table 1", "Table 2"]) & (cat["group"] != ALL)]
    got = cohort.melt(id_vars=["patient", "hr_status"], var_name="variable", value_name="category")
    counts = got.groupby(["variable", "category", "hr_status"]).size().rename("reconstructed")
    t = cat.assign(printed=cat["count"].map(parse_count)).rename(columns={"group": "hr_status"})
    t = t.join(counts, on=["variable", "category", "hr_status"]).fillna({"reconstructed": 0})
    t["reconstructed"] = t["reconstructed"].astype(int)
    return t[["table", "variable", "category", "hr_status", "printed", "reconstructed"]]


def _fmt_median(m: float) -> str:
    return "not reached" if not np.isfinite(m) else f"{m:.1f}"


def reconstruction_fit() -> pd.DataFrame:
    """Every printed target of the reconstruction beyond Tables 1–2 against the synthetic cohort:
    event/death counts, KM medians, Table 3–4 counts, pCR counts and regimen pCR rates.  ``matches`` is True when
    the reconstructed value equals the printed one (counts) or rounds to it (medians, whole
    months; "not reached" must stay not reached)."""
    c = read_cohort()
    num = lambda s: pd.to_numeric(s, errors="coerce")  # noqa: E731
    rows = []

    def count(target, group, printed, got):
        rows.append({"target": target, "group": group, "printed": str(printed), "reconstructed": str(got),
                     "matches": int(printed) == int(got)})

    def median(target, group, printed, t, e):
        m = km_median(t, e)
        if printed == "not reached":
            ok = not np.isfinite(m)
        else:
            ok = np.isfinite(m) and abs(m - float(printed)) <= 0.5
        rows.append({"target": target, "group": group, "printed": str(printed),
                     "reconstructed": _fmt_median(m), "matches": bool(ok)})

    groups = {HRPOS: c["hr_status"] == HRPOS, HRNEG: c["hr_status"] == HRNEG, ALL: c["hr_status"] != ""}
    surv = read_source_table(SOURCE, "survival.csv")
    names = {"All patients": ALL, "HR-positive cohort": HRPOS, "HR-negative cohort": HRNEG, HRPOS: HRPOS,
             HRNEG: HRNEG, "All patients with advanced breast cancer": ALL}
    cols = {"OS": ("os_months", "os_death", None), "DFS": ("dfs_months", "dfs_event", "dfs_population"),
            "Advanced-OS": ("aos_months", "aos_death", "metastatic")}
    for _, r in surv.iterrows():
        if r["endpoint"] not in cols or r["group"] not in names or not (
                r["key"].endswith(":all") or ":hr-status:" in r["key"]):
            continue
        tcol, ecol, popcol = cols[r["endpoint"]]
        sel = groups[names[r["group"]]]
        if popcol is not None:
            sel = sel & (c[popcol] == "True")
        t, e = num(c.loc[sel, tcol]).to_numpy(), num(c.loc[sel, ecol]).to_numpy()
        label = {"OS": "OS", "DFS": "DFS", "Advanced-OS": "Advanced-OS"}[r["endpoint"]]
        if str(r["n"]).strip() not in ("", "nan"):
            count(f"{label}: patients", names[r["group"]], parse_count(r["n"]), int(sel.sum()))
        if str(r["events"]).strip() not in ("", "nan"):
            count(f"{label}: {'deaths' if 'OS' in label else 'events'}", names[r["group"]],
                  parse_count(r["events"]), int(e.sum()))
        if str(r["median"]).strip() not in ("", "nan"):
            median(f"{label}: KM median, months", names[r["group"]], r["median"], t, e)
    # Table 3-4 counts among the metastatic patients
    cat = _categorical()
    t34 = cat[cat["table"].isin(["Table 3", "Table 4"])]
    met = c["metastatic"] == "True"
    for _, r in t34.iterrows():
        sel = met & groups[r["group"]]
        if r["variable"] in ("MBC diagnosis type", "Number of visceral metastases", "Systemic therapy regimens"):
            got = int((c.loc[sel, r["variable"]] == r["category"]).sum())
        else:
            got = int((c.loc[sel, f"{r['variable']}: {r['category']}"] == "Yes").sum())
        count(f"{r['table']}: {r['variable']}: {r['category']}", r["group"], parse_count(r["count"]), got)
    for _, r in _pooled_pcr_rows().iterrows():
        (k,) = r["implied"]
        if r["subgroup"] in groups:
            sel = groups[r["subgroup"]] & (c["Neoadjuvant therapy"] == "Yes")
        else:
            sel = c["ER/PR subgroup (neoadjuvant)"] == r["subgroup"]
        count(f"neoadjuvant patients, {r['subgroup']}", r["subgroup"], r["n_int"], int(sel.sum()))
        count(f"pCR (implied by {r['pcr_percent']}% of {r['n']})", r["subgroup"], k,
              int((c.loc[sel, "pCR"] == "Yes").sum()))
    # pCR within each regimen, where the Results print a rate (the sizes are only in Table S2)
    pcr = _pcr()
    for _, r in pcr[pcr["regimen"].isin(["trastuzumab + CT", "trastuzumab + pertuzumab + CT"])
                    & (pcr["pcr_percent"] != "")].iterrows():
        sel = (c["ER/PR subgroup (neoadjuvant)"] == r["subgroup"]) & (c["Neoadjuvant regimen"] == r["regimen"])
        k, n = int((c.loc[sel, "pCR"] == "Yes").sum()), int(sel.sum())
        rows.append({"target": f"pCR rate, {r['regimen']}", "group": r["subgroup"],
                     "printed": f"{r['pcr_percent']}%", "reconstructed": f"{k}/{n} = {format_percent(k, n, 1)}%",
                     "matches": n > 0 and k in counts_for_percent(f"{r['pcr_percent']}%", n)})
    return pd.DataFrame(rows).drop_duplicates(["target", "group", "printed"], ignore_index=True)


def fit_numbers() -> dict[str, str]:
    """Display strings for the chapter's reconstruction section (from the fit table)."""
    f = reconstruction_fit()
    missed = f[~f["matches"]]
    os_all = f[(f["target"] == "OS: KM median, months") & (f["group"] == ALL)].iloc[0]

    def rec(target: str, group: str) -> str:
        return str(f[(f["target"] == target) & (f["group"] == group)]["reconstructed"].iloc[0])

    return {
        "fit_os_n": rec("OS: patients", ALL),
        "fit_os_deaths_pos": rec("OS: deaths", HRPOS),
        "fit_os_deaths_neg": rec("OS: deaths", HRNEG),
        "fit_dfs_n": rec("DFS: patients", ALL),
        "fit_dfs_events_pos": rec("DFS: events", HRPOS),
        "fit_dfs_events_neg": rec("DFS: events", HRNEG),
        "fit_met_n": rec("Advanced-OS: patients", ALL),
        "fit_aos_deaths_pos": rec("Advanced-OS: deaths", HRPOS),
        "fit_aos_deaths_neg": rec("Advanced-OS: deaths", HRNEG),
        "fit_recurrent_neg": rec("Table 3: MBC diagnosis type: Recurrent", HRNEG),
        "fit_n": str(len(f)),
        "fit_met": str(int(f["matches"].sum())),
        "fit_missed": str(len(missed)),
        "fit_os_all_printed": os_all["printed"],
        "fit_os_all_rec": os_all["reconstructed"],
    }


def plot_reconstructed_km(axes) -> None:
    """KM curves of reconstructed OS (all 828) and DFS (762) by HR status (lifelines)."""
    from lifelines import KaplanMeierFitter
    c = read_cohort()
    for ax, (name, tcol, ecol, pop) in zip(axes, (("OS", "os_months", "os_death", None),
                                                  ("DFS", "dfs_months", "dfs_event", "dfs_population"))):
        for g, colour in ((HRPOS, "#0072B2"), (HRNEG, "#D55E00")):
            sel = c["hr_status"] == g
            if pop:
                sel &= c[pop] == "True"
            kmf = KaplanMeierFitter(label=f"{g} (n = {int(sel.sum())})")
            kmf.fit(pd.to_numeric(c.loc[sel, tcol]), pd.to_numeric(c.loc[sel, ecol]))
            kmf.plot_survival_function(ax=ax, ci_show=False, color=colour)
        ax.legend(loc="lower left", fontsize=8, frameon=False)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("months")
        ax.set_ylabel(f"{name} probability")
        ax.set_title(f"Reconstructed {name} by HR status", fontsize=10)
