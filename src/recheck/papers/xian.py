"""Ran et al. (BMC Cancer 2024, Xi'an): the analyses no check family covers, and the synthetic cohort.

* **The neoadjuvant regimens.**  The paper splits its neoadjuvant patients into chemotherapy only
  (CT), trastuzumab + CT and trastuzumab + pertuzumab + CT, but prints the regimen sizes and most
  regimen pCR rates only in its supplement.  The main text constrains them: each ER/PR subgroup's
  and HR group's neoadjuvant n and pooled pCR percentage (``proportions.csv``), the regimen pCR
  percentages within ER/PR subgroups (``pcr.csv``), and Table 2's neoadjuvant and neoadjuvant
  HER2-targeted counts, whose difference is read as the CT-only regimen (inference ``ct-only``).
  :func:`regimen_allocations` and :func:`hr_combinations` enumerate every allocation of patients
  and pCR to the regimens that agrees with all of them, :func:`regimen_p_ranges` the p every
  printed regimen comparison can have under them (findings ``pcr.regimen.*``, ``pcr.t-ct.*``,
  ``pcr.tp-ct.*``).  No allocation at all is a result: the printed numbers cannot all be true.
* **HER2 heterogeneity, HR+ vs HR−** (``het.hr-status.p``): percentages and p printed, the
  denominators not; the only pair that fits, and the p it gives.
* **The follow-up window** (``followup.window``): the longest follow-up against the study period.
* **The design of the maintenance-ET comparison** (``grouping.*``, check ``design-bias``): the
  hazard ratio that forming the groups by treatment received gives when the therapy does nothing.
* :func:`reconstruct` — 828 synthetic patients; :func:`reconstruction_fit` — their fit.

Every printed number is read from ``data/xian/``; only labels that say which row is which and model
choices (seeds, replicates, landmarks, follow-up windows of simulations) are set here.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..checks._base import interval_bounds, slug, to_findings
from ..checks.percent import counts_for_percent, grim, group_sizes
from ..checks.tables import implied_counts, table_p_fields, table_p_map
from ..data import DataError
from ..extract import _cell_number, mentions, printed, split_keys
from ..paper import Paper
from ..reconstruct import categorical_margins, fit_table, read_cohort, write_cohort
from ..render import fmt_p, fmt_range, register
from ..reported import parse_count, parse_p
from ..survival import cox_binary_hr, draw_with_median, exact_event_draws, km_median, km_medians

__all__ = ["REGIMENS", "HR_OF_SUBGROUP", "ALLOCATION_COLUMNS", "findings", "regimen_allocations", "hr_combinations",
           "regimen_p_ranges", "designs", "design_replicates", "design_summary", "pcr_table", "forest_table",
           "reconstruct", "reconstruction_fit", "os_pooled_tail"]

# Labels of the data files' rows (no printed number).
HRPOS, HRNEG = "HR+/HER2+", "HR-/HER2+"
CT, T, TP = "CT only", "trastuzumab + CT", "trastuzumab + pertuzumab + CT"
REGIMENS = (CT, T, TP)
HR_OF_SUBGROUP = {"ER+/PR+": HRPOS, "ER+/PR-": HRPOS, "ER-/PR+": HRPOS, "ER-/PR-": HRNEG}
"""HR+ is ER+ or PR+; HR− is ER−/PR−."""
REFERENCE = "ER+/PR+"
"""A within-regimen ER/PR sentence compares ER+/PR+ with each subgroup printed with the same p."""
_NEO, _NEO_HER2, _YES = "Neoadjuvant therapy", "Neoadjuvant HER2 targeted therapy", "Yes"
_HER2_VS_CT, _TP_VS_T = "HER2-targeted therapy + CT vs CT only", f"{TP} vs {T}"
_OVERALL, _ALL_ERPR = "HER2-positive (HR status not specified)", "all ER/PR subgroups"
_HR_WITHIN, _HR_VS_HR = f"{T}; {TP}", f"{HRPOS} vs {HRNEG}"
_REGIMENS_T4, _SEQ_ROW = "Systemic therapy regimens", "HER2-targeted therapy + chemotherapy → endocrine therapy"
_SUFFIX = {HRPOS: "hrpos", HRNEG: "hrneg"}                 # the key suffix of each HR group
ERPR, REGIMEN = "erpr_subgroup", "neoadjuvant_regimen"     # cohort columns

ALLOCATION_COLUMNS = ("n_ct", "n_t", "n_tp", "k_ct", "k_t", "k_tp")
"""Patients (n_*) and pCR counts (k_*) per regimen, in :data:`REGIMENS` order."""
_COLS = list(ALLOCATION_COLUMNS)

# Model choices (not printed).
LANDMARKS, MAIN_LANDMARK = (3.0, 6.0, 9.0), 6.0   # months of induction before maintenance ET can start
DESIGN_REPS, DESIGN_SEED = 400, 2024              # replicates and seed of the design simulation
DESIGN_FOLLOW_UP = (6.0, 120.0)                   # its uniform censoring, months from first-line start
AOS_FOLLOW_UP = (1.0, 110.0)                      # reconstruction: potential follow-up from metastasis


def _memo(paper: Paper, name: str, make):
    """*make()* once per loaded paper (in the paper's own cache, so a paper loaded again from
    changed files computes it afresh)."""
    key = ("recheck.papers.xian", name)
    if key not in paper._cache:
        paper._cache[key] = make()
    return paper._cache[key]


def _count(paper: Paper, key: str, component: str) -> int:
    return parse_count(printed(paper, key, component))


def _where(paper: Paper, key: str) -> str:
    m = mentions(paper)
    return m.loc[m["key"] == key, "location"].iloc[0]


# --- the allocations of patients and pCR to the regimens ---------------------------------------

def _inputs(paper: Paper) -> dict:
    """The printed numbers the allocations must meet: pooled n and allowed pCR counts by group, the
    printed regimen rates by (subgroup, regimen), Table 2's neoadjuvant counts, ``pcr.csv``."""
    def make():
        n, k, subgroups, hr_groups = {}, {}, [], []
        for r in paper.read("proportions.csv").to_dict("records"):
            g = r["group"]
            if g not in n:
                (subgroups if g in HR_OF_SUBGROUP else hr_groups).append(g)
                n[g] = parse_count(r["n"])
                key = next(k for c, k in split_keys(r["key"]) if c in (None, "percent"))
                k[g] = tuple(c for c in implied_counts(paper, key, r["percent"], n[g])
                             if not r["count"] or c == parse_count(r["count"]))
        missing = [g for g in (*HR_OF_SUBGROUP, HRPOS, HRNEG) if g not in n]
        if missing:
            raise DataError(paper.path("proportions.csv"), None, "group", f"no pooled pCR row for {missing}")
        pcr, rates = paper.read("pcr.csv"), {}
        for r in pcr.to_dict("records"):
            if r["regimen"] in REGIMENS and r["subgroup"] in HR_OF_SUBGROUP and r["pcr_percent"]:
                rates.setdefault((r["subgroup"], r["regimen"]), []).append(r)
        cat = paper.read("categorical.csv")
        t2 = cat[(cat["table"] == "Table 2") & (cat["category"] == _YES)]
        yes = {(v, g): parse_count(c) for v, g, c in zip(t2["variable"], t2["group"], t2["count"])}
        return dict(n=n, k=k, subgroups=subgroups, hr_groups=hr_groups, rates=rates, pcr=pcr,
                    neo={g: yes[(_NEO, g)] for g in hr_groups}, her2={g: yes[(_NEO_HER2, g)] for g in hr_groups})
    return _memo(paper, "inputs", make)


def _allowed_counts(inp: dict, subgroup: str, regimen: str, n_max: int) -> list[set[int]]:
    """For each regimen size 0..n_max, the pCR counts every printing for it allows (a regimen with no
    printed rate may have any size, 0 included, and any count; a printed rate needs n ≥ 1)."""
    rows, out = inp["rates"].get((subgroup, regimen), ()), []
    for size in range(n_max + 1):
        ks = set(range(size + 1)) if size or not rows else set()
        for r in rows:   # every printing is a constraint: two printings of one rate must both hold
            ks &= set(counts_for_percent(f"{r['pcr_percent']}%", size)) if size else ks
            ks = ks if not r["n"] or parse_count(r["n"]) == size else set()
            ks &= {parse_count(r["pcr_count"])} if r["pcr_count"] else ks
        out.append(ks)
    return out


def _local(paper: Paper) -> pd.DataFrame:
    """Per ER/PR subgroup, every allocation that agrees with the subgroup's own numbers (its CT-only
    size at most its HR group's Table 2 total)."""
    def make():
        inp, rows = _inputs(paper), []
        for s in inp["subgroups"]:
            size, g = inp["n"][s], HR_OF_SUBGROUP[s]
            ok = {r: _allowed_counts(inp, s, r, size) for r in REGIMENS}
            for n_ct in range(min(size, inp["neo"][g] - inp["her2"][g]) + 1):
                for n_t in range(size - n_ct + 1):
                    for k_total in inp["k"][s]:
                        for k_t in ok[T][n_t]:
                            rows += [(s, g, n_ct, n_t, size - n_ct - n_t, k_total - k_t - k_tp, k_t, k_tp)
                                     for k_tp in ok[TP][size - n_ct - n_t] if k_total - k_t - k_tp in ok[CT][n_ct]]
        df = pd.DataFrame(rows, columns=["subgroup", "hr_group", *_COLS]).astype({c: int for c in _COLS})
        df.insert(0, "allocation", np.arange(len(df), dtype=int))
        return df
    return _memo(paper, "local", make)


def hr_combinations(paper: Paper, hr_group: str) -> pd.DataFrame:
    """Every full allocation of one HR group: per ER/PR subgroup in it, the ``allocation`` id of one of
    its :func:`regimen_allocations` rows (a column named by the subgroup), and the group totals
    :data:`ALLOCATION_COLUMNS`: CT only equal to Table 2's neoadjuvant minus neoadjuvant HER2-targeted
    count, sizes adding to the group's neoadjuvant n (printed and Table 2), pCR to its implied count."""
    def make():
        inp, local = _inputs(paper), _local(paper)
        subs = [s for s in inp["subgroups"] if HR_OF_SUBGROUP[s] == hr_group]
        ct_total = inp["neo"][hr_group] - inp["her2"][hr_group]
        ids, sums = np.zeros((1, 0), dtype=int), np.zeros((1, 6), dtype=int)
        for s in subs:
            part = local[local["subgroup"] == s]
            new = sums[:, None, :] + part[_COLS].to_numpy()[None, :, :]
            pi, li = np.nonzero(new[..., 0] <= ct_total)         # prune: the CT-only total so far
            ids, sums = np.column_stack([ids[pi], part["allocation"].to_numpy()[li]]), new[pi, li]
        size = sums[:, :3].sum(axis=1)
        keep = ((sums[:, 0] == ct_total) & (sums[:, 1] + sums[:, 2] == inp["her2"][hr_group])
                & (size == inp["n"][hr_group]) & (size == inp["neo"][hr_group])
                & np.isin(sums[:, 3:].sum(axis=1), inp["k"][hr_group]))
        out = pd.DataFrame(ids[keep], columns=subs)
        out[_COLS] = sums[keep]
        out.insert(0, "combination", np.arange(len(out), dtype=int))
        out.insert(0, "hr_group", hr_group)
        return out
    return _memo(paper, f"combinations:{hr_group}", make).copy()


def regimen_allocations(paper: Paper, joint: bool = True) -> pd.DataFrame:
    """Every allocation ``(n_ct, n_t, n_tp, k_ct, k_t, k_tp)`` of each ER/PR subgroup's neoadjuvant
    patients: sizes adding to its n, pCR counts to its implied pooled count, every printed regimen rate
    reproduced; with *joint*, only the rows that are part of some :func:`hr_combinations` row."""
    local = _local(paper)
    if joint:
        combs = [hr_combinations(paper, g) for g in _inputs(paper)["hr_groups"]]
        local = local[local["allocation"].isin({a for c in combs for s in c if s in HR_OF_SUBGROUP for a in c[s]})]
    return local.reset_index(drop=True).copy()


# --- the p-values the allocations allow ---------------------------------------------------------

def _pvalues(tables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pearson χ² (no correction) and Fisher's exact p of each row ``(k_a, n_a, k_b, n_b)``, as
    :func:`recheck.checks.tables.table_pvalues` gives them, vectorised (p = 1 if a column is empty)."""
    t = np.asarray(tables, float).reshape(-1, 4)
    a, b, c, d = t[:, 0], t[:, 1] - t[:, 0], t[:, 2], t[:, 3] - t[:, 2]
    den = (a + b) * (c + d) * (a + c) * (b + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        pear = np.where(den > 0, stats.chi2.sf((a + b + c + d) * (a * d - b * c) ** 2 / den, 1), 1.0)
    # Fisher: the sum over the tables no more likely than the observed one (scipy's rule)
    n, m, total = t[:, 1], a + c, t[:, 1] + t[:, 3]
    pmf = stats.hypergeom.pmf(np.arange(int(n.max()) + 1)[None, :], total[:, None], m[:, None], n[:, None])
    obs = stats.hypergeom.pmf(a, total, m, n)
    return pear, np.minimum(np.where(pmf <= obs[:, None] * (1 + 1e-7), pmf, 0.0).sum(axis=1), 1.0)


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Every row of *a* beside every row of *b* (independent groups)."""
    if not len(a) or not len(b):
        return np.zeros((0, a.shape[1] + b.shape[1]), dtype=int)
    return np.column_stack([np.repeat(a, len(b), axis=0), np.tile(b, (len(a), 1))])


def _kn(allocations: np.ndarray, regimen: str) -> np.ndarray:
    j = REGIMENS.index(regimen)
    return allocations.reshape(-1, 6)[:, [3 + j, j]]


def _her2_vs_ct(a: np.ndarray) -> np.ndarray:
    a = a.reshape(-1, 6)
    return np.unique(np.column_stack([a[:, 4] + a[:, 5], a[:, 1] + a[:, 2], a[:, 3], a[:, 0]]), axis=0)


def _totals(paper: Paper, hr_group: str) -> np.ndarray:
    return np.unique(hr_combinations(paper, hr_group)[_COLS].to_numpy().reshape(-1, 6), axis=0)


def _pair_tables(paper: Paper, sa: str, ra: str, sb: str, rb: str) -> np.ndarray:
    """Distinct feasible (k_a, n_a, k_b, n_b): regimen *ra* in subgroup *sa* against *rb* in *sb*."""
    al = regimen_allocations(paper)
    one = lambda s: al[al["subgroup"] == s][_COLS].to_numpy()  # noqa: E731
    if sa == sb:
        tabs = np.column_stack([_kn(one(sa), ra), _kn(one(sa), rb)])
    elif HR_OF_SUBGROUP[sa] == HR_OF_SUBGROUP[sb]:   # one combination holds both (the CT-only total)
        comb, local = hr_combinations(paper, HR_OF_SUBGROUP[sa]), _local(paper).set_index("allocation")
        tabs = np.column_stack([_kn(local.loc[comb[sa], _COLS].to_numpy(), ra),
                                _kn(local.loc[comb[sb], _COLS].to_numpy(), rb)])
    else:
        tabs = _cross(np.unique(_kn(one(sa), ra), axis=0), np.unique(_kn(one(sb), rb), axis=0))
    return np.unique(tabs.reshape(-1, 4), axis=0)


def _range(comparison: str, a: str, b: str, row: dict, tables: np.ndarray, **extra) -> dict:
    tables = tables.reshape(-1, 4)
    testable = tables[(tables[:, 1] > 0) & (tables[:, 3] > 0)]   # a comparison needs both groups
    rec = dict(comparison=comparison, a=a, b=b, key=split_keys(row["key"])[0][1], printed_p=row["p"],
               location=row["location"], n_tables=len(testable), **extra)
    if len(testable):
        pear, fis = _pvalues(testable)
        rec.update(pearson_min=pear.min(), pearson_max=pear.max(), fisher_min=fis.min(), fisher_max=fis.max(),
                   p_min=min(pear.min(), fis.min()), p_max=max(pear.max(), fis.max()))
    return rec


def regimen_p_ranges(paper: Paper) -> pd.DataFrame:
    """The p of each printed regimen comparison over every feasible allocation (2×2 tables, pCR yes/no
    by group): HER2-targeted therapy + CT vs CT only within each HR group and ER/PR subgroup;
    trastuzumab + pertuzumab + CT vs trastuzumab + CT overall and within each subgroup; HR+ vs HR−
    within each anti-HER2 regimen; ER+/PR+ vs each subgroup printed with the same p in a regimen
    (``within``).  Columns ``comparison``, ``a``, ``b``, ``key``, ``printed_p``, ``location``,
    ``n_tables`` (0: the printed numbers cannot all hold), ``pearson_min/max``, ``fisher_min/max``,
    ``p_min/max``."""
    def make():
        inp = _inputs(paper)
        hr, pcr = inp["hr_groups"], inp["pcr"]

        def row(regimen: str, sub: str) -> dict:   # the pcr.csv row of a printed comparison
            hit = pcr[(pcr["regimen"] == regimen) & (pcr["subgroup"] == sub)]
            if len(hit) != 1:
                raise DataError(paper.path("pcr.csv"), None, "regimen", f"{len(hit)} rows for {regimen!r}, {sub!r}")
            return hit.iloc[0].to_dict()
        rows = [_range(f"{_HER2_VS_CT}, {g}", f"HER2-targeted therapy + CT ({g})", f"{CT} ({g})",
                       row(_HER2_VS_CT, g), _her2_vs_ct(hr_combinations(paper, g)[_COLS].to_numpy())) for g in hr]
        full = _totals(paper, hr[0])
        for g in hr[1:]:
            full = _cross(full, _totals(paper, g))
        overall = sum(full[:, 6 * i:6 * (i + 1)] for i in range(len(hr)))
        rows.append(_range(f"{TP} vs {T}, all neoadjuvant", TP, T, row(_TP_VS_T, _OVERALL),
                           np.unique(np.column_stack([_kn(overall, TP), _kn(overall, T)]), axis=0)))
        for reg in (T, TP):
            rows.append(_range(f"{hr[0]} vs {hr[1]} within {reg}", f"{reg} ({hr[0]})", f"{reg} ({hr[1]})",
                               row(_HR_WITHIN, _HR_VS_HR),
                               _cross(*(np.unique(_kn(_totals(paper, g), reg), axis=0) for g in hr))))
        al = regimen_allocations(paper)
        for s in inp["subgroups"]:
            rows.append(_range(f"{_HER2_VS_CT}, {s}", f"HER2-targeted therapy + CT ({s})", f"{CT} ({s})",
                               row(_HER2_VS_CT, _ALL_ERPR), _her2_vs_ct(al[al["subgroup"] == s][_COLS].to_numpy())))
            rows.append(_range(f"{TP} vs {T}, {s}", f"{TP} ({s})", f"{T} ({s})", row(_TP_VS_T, _ALL_ERPR),
                               _pair_tables(paper, s, TP, s, T)))
        for reg in (T, TP):
            rates = pcr[(pcr["regimen"] == reg) & pcr["subgroup"].isin(list(HR_OF_SUBGROUP)) & (pcr["pcr_percent"] != "")]
            for p_text, grp in rates.groupby("p", sort=False):
                ref = grp[grp["subgroup"] == REFERENCE]
                if len(ref) != 1:
                    raise DataError(paper.path("pcr.csv"), None, "p", f"{reg}: the rows printed with p {p_text!r} "
                                    f"do not include exactly one {REFERENCE} row to compare with")
                rows += [_range(f"{REFERENCE} vs {r['subgroup']} within {reg}", f"{reg} ({REFERENCE})",
                                f"{reg} ({r['subgroup']})", r, _pair_tables(paper, REFERENCE, reg, r["subgroup"], reg),
                                within=True, regimen=reg, sub_a=REFERENCE, sub_b=r["subgroup"],
                                percent_a=ref["pcr_percent"].iloc[0], percent_b=r["pcr_percent"])
                         for r in grp[grp["subgroup"] != REFERENCE].to_dict("records")]
        return pd.DataFrame(rows).astype({"n_tables": int})
    return _memo(paper, "p-ranges", make).copy()


def _loose_range(pa: str, na_max: int, pb: str, nb_max: int) -> tuple[float, float, int]:
    """The χ²/Fisher p range over every pair of sizes up to the subgroups' whole neoadjuvant n that
    reproduce the two printed percentages (without Table 2's counts), and the number of tables."""
    fa, fb = ([(k, n) for n in range(1, top + 1) for k in counts_for_percent(pct + "%", n)]
              for pct, top in ((pa, na_max), (pb, nb_max)))
    t = _cross(np.array(fa).reshape(-1, 2), np.array(fb).reshape(-1, 2))
    t = t[(t[:, 0] + t[:, 2] > 0) & (t[:, 1] - t[:, 0] + t[:, 3] - t[:, 2] > 0)]
    if not len(t):
        return math.nan, math.nan, 0
    pear, fis = _pvalues(t)
    return float(min(pear.min(), fis.min())), float(max(pear.max(), fis.max())), len(t)


def _verdict(printed_p: str, r: dict) -> str:
    """A printed p (empty: called significant without one) against the p every feasible allocation
    gives: ``gross`` when all lie on the other side of 0.05, ``consistent`` when one test's whole
    range reproduces it, ``not-checkable`` when only some allocations do."""
    rep = parse_p(_cell_number(printed_p, "p") if printed_p else "< 0.05").interval
    lo_i, hi_i = (0.0 if rep.low is None else float(rep.low)), float(rep.high)
    if not r["n_tables"]:
        return "inconsistent"
    lo, hi = r["p_min"], r["p_max"]
    if (hi_i <= 0.05 and lo >= 0.05) or (hi_i > 0.05 and lo_i >= 0.05 and hi < 0.05):
        return "gross"
    if any(lo_i <= r[f"{t}_min"] and r[f"{t}_max"] <= hi_i for t in ("pearson", "fisher")):
        return "consistent"
    return "not-checkable" if lo <= hi_i and hi >= lo_i else "inconsistent"


_BASIS = ("{pair}: the regimen sizes and pCR rates are only in Fig. 3 and Tables S1–S2, so every allocation of "
          "patients and pCR to the regimens that fits the printed percentages and Table 2's neoadjuvant counts "
          "was tried. ")
_SPAN = "p is {p_range} over {allocations} (χ² {pearson_range}, Fisher {fisher_range})"
_VERDICTS = {
    "consistent": "Every allocation agrees with {printed_text}: " + _SPAN + ".",
    "not_checkable": "Some allocations agree with {printed_text} and others do not: " + _SPAN +
                     "; the regimen sizes that would decide it are only in Tables S1–S2.",
    "gross": "Against {printed_text}: " + _SPAN + ", on the other side of 0.05.",
    "inconsistent": "No allocation gives {printed_text}: " + _SPAN + "."}
_WITHIN = (" Without Table 2's counts, every subgroup size up to the whole neoadjuvant subgroup ({n_a} and {n_b} "
           "patients) would allow p {loose_range} ({loose_tables} tables).")
register("regimen-p:allocations", recomputed="p over every allocation that fits: {p_range} ({n_alloc})",
         **{v: _BASIS + t for v, t in _VERDICTS.items()})
register("regimen-p:within", recomputed="with Table 2's regimen counts: {p_range} ({n_alloc}); any subgroup size: "
         "{loose_range}", **{v: _BASIS + t + _WITHIN for v, t in _VERDICTS.items()})
register("regimen-p:none", recomputed="no allocation fits",
         inconsistent="{pair}: no allocation of patients and pCR to the regimens fits every printed percentage and "
                      "Table 2's counts at once: the printed numbers cannot all be true.")


def _regimen_rows(paper: Paper) -> list[dict]:
    n_of, out = _inputs(paper)["n"], []
    for r in regimen_p_ranges(paper).to_dict("records"):
        within, n = r.get("within") is True, r["n_tables"]
        rep = parse_p(_cell_number(r["printed_p"], "p")) if r["printed_p"] else None
        f = dict(check="regimen-p", verdict=_verdict(r["printed_p"], r), location=r["location"],
                 template="none" if not n else "within" if within else "allocations", pair=f"{r['a']} vs {r['b']}",
                 printed_text=f"the printed p {rep.relation} {rep.numeral}" if rep else
                 "the claim that it is significant (no p printed)", n_alloc=f"{n} allocation{'s' * (n != 1)}",
                 allocations="the only allocation that fits" if n == 1 else f"the {n} allocations that fit",
                 depends_on="ct-only", issue=f"{paper.id}:{r['key']}")
        if n:
            f.update({f"{t}_range": fmt_range(r[f"{t}_min"], r[f"{t}_max"], fmt_p) for t in ("p", "pearson", "fisher")},
                     recomputed_low=r["p_min"], recomputed_high=r["p_max"])
        if rep is not None:
            f["reported_low"], f["reported_high"] = interval_bounds(rep.interval)
        # the printed p is accepted when one test's whole range over the allocations lies in its
        # interval: as sharp as that interval is narrow (a claim of significance: p < 0.05)
        lo_i, hi_i = (f["reported_low"], f["reported_high"]) if rep is not None else (0.0, paper.alpha)
        f["sharpness"] = hi_i - (0.0 if math.isnan(lo_i) else lo_i)
        if within:
            lo, hi, m = _loose_range(r["percent_a"], n_of[r["sub_a"]], r["percent_b"], n_of[r["sub_b"]])
            short, sub_b = r["key"].split(":")[1:3]
            f.update(slug=f"pcr.{short}.{slug(r['sub_a'].replace('-', '−'))}-vs-{sub_b}.p",
                     quantity=f"pCR {r['sub_a']} vs {r['sub_b']}, {r['regimen']}: p",
                     reported=f"{r['percent_a']}% vs {r['percent_b']}%, "
                              + (r["printed_p"] if r["printed_p"][:1].isalpha() else f"P = {r['printed_p']}"),
                     n_a=n_of[r["sub_a"]], n_b=n_of[r["sub_b"]], loose_range=fmt_range(lo, hi, fmt_p), loose_tables=m)
        else:
            f.update(slug=f"pcr.regimen.{slug(r['comparison'].replace('R-', 'R−'))}.p",
                     quantity=f"pCR {r['comparison']}: p",
                     reported=r["printed_p"] or "called significant in every subgroup, no p printed")
        out.append(f)
    return out


# --- HER2 heterogeneity, the follow-up window -----------------------------------------------------

register("table-p:denominators", recomputed="denominators that fit: {fits_text}",
         not_checkable="The denominators are not printed, and {n_fits} pairs adding to {total} give {q1}% and {q2}% "
                       "({fits_text}): the table behind the p cannot be fixed.")


def _het_rows(paper: Paper) -> list[dict]:
    total = _count(paper, "het:n", "denominator")
    k1, k2 = _count(paper, "het:hrpos", "count"), _count(paper, "het:hrneg", "count")
    q1, q2 = printed(paper, "het:hrpos", "percent"), printed(paper, "het:hrneg", "percent")
    p = printed(paper, "het:p", "p")
    fits = [(n1, total - n1) for n1 in range(k1, total - k2 + 1)
            if grim(k1, f"{q1}%", n1)["consistent"] and grim(k2, f"{q2}%", total - n1)["consistent"]]
    base = dict(slug="het.hr-status.p", location=_where(paper, "het:hrpos"), reported=f"P = {p}",
                quantity="HER2 heterogeneity, HR+ vs HR−: p", depends_on="het-denominators")
    if len(fits) != 1:
        return [{**base, "check": "table-p", "verdict": "not-checkable", "template": "denominators", "total": total,
                 "n_fits": len(fits), "q1": q1, "q2": q2,
                 "fits_text": "; ".join(f"{k1}/{a} and {k2}/{b}" for a, b in fits) or "none"}]
    (n1, n2), = fits
    t = table_p_map([dict(counts=pd.DataFrame({"HR+": [k1, n1 - k1], "HR−": [k2, n2 - k2]}, index=["yes", "no"]),
                          printed=p, stated=paper.tests.get("categorical", ""))], alpha=paper.alpha).iloc[0]
    return [{**table_p_fields(t.to_dict(), paper), **base, "note": f" Denominators are not printed; {k1}/{n1} and "
             f"{k2}/{n2} are the only ones adding to {total} that give {q1}% and {q2}%."}]


register("follow-up:window", recomputed="{start} to {cutoff} = {window} months",
         consistent="The longest follow-up ({fu_max} months) fits the {window}-month window from {start} to {cutoff}.",
         inconsistent="Patients were admitted from {start} and followed to {cutoff}, at most {window} months, yet "
                      "Table 1 prints follow-up up to {fu_max} months (and median OS {os_median} months). Follow-up "
                      "must start at an earlier diagnosis for some patients; the paper does not say so.")


def _followup_rows(paper: Paper) -> list[dict]:
    """The longest printed follow-up against the months from the first admission month to the cutoff."""
    m = mentions(paper)
    starts = [t.split(" to ")[0] for t in m.loc[(m["key"] == "study:period") & (m["component"] == "text"), "printed"]]
    start = next((t for t in starts if re.fullmatch(r"[A-Z][a-z]+ \d{4}", t)), None)
    if start is None:
        raise DataError(paper.path("reported.csv"), None, "reported", "no study:period starts with a month and year")
    cutoff = printed(paper, "study:cutoff", "text")
    a, b = datetime.strptime(start, "%B %Y"), datetime.strptime(cutoff, "%B %d, %Y")
    window = (b.year - a.year) * 12 + b.month - a.month + 1
    fu = m.loc[m["key"].str.startswith("t1:followup:") & (m["component"] == "max"), "printed"]
    fu_max = max(parse_count(x) for x in fu)
    return [dict(slug="followup.window", location="Table 1; Methods", quantity="maximum follow-up vs study window",
                 reported=f"follow-up up to {fu_max} months", check="follow-up", template="window",
                 verdict="inconsistent" if fu_max > window else "consistent", start=start, cutoff=cutoff, window=window,
                 fu_max=fu_max, os_median=printed(paper, "os:all", "median"), reported_low=fu_max, reported_high=fu_max,
                 accept_low=0, accept_high=window, sharpness=0.0)]   # date arithmetic: exact


# --- the design of the maintenance-ET comparison ----------------------------------------------------

def designs(paper: Paper) -> dict[str, dict]:
    """The two treatment-received comparisons of HR+ metastatic patients: ``seq-et`` (maintenance ET
    after HER2-targeted therapy + chemotherapy) and ``first-line-et``.  ``after``: ET begun only after
    induction (Table 4's "… → endocrine therapy" rows); ``start``: ET from the start; ``none``: the
    comparison group as printed; ``pfs_medians`` (ET, no ET); ``printed`` HRs (PFS, advanced-OS)."""
    cat = paper.read("categorical.csv")
    t4 = cat[(cat["table"] == "Table 4") & (cat["variable"] == _REGIMENS_T4) & (cat["group"] == HRPOS)]
    t4 = dict(zip(t4["category"], t4["count"].map(parse_count)))
    out = {}
    for key, et, no_et, after in (("seq-et", "seq", "no-seq", t4[_SEQ_ROW]), ("first-line-et", "et", "no-et",
                                  sum(v for c, v in t4.items() if c.endswith("→ endocrine therapy")))):
        n_et, n_none = _count(paper, f"pfs:{key}:{et}", "n"), _count(paper, f"pfs:{key}:{no_et}", "n")
        if after > n_et:
            raise DataError(paper.path("categorical.csv"), None, "count",
                            f"{key}: {after} began ET after induction, more than the {n_et} in the group")
        name = "sequential ET vs none" if key == "seq-et" else "first-line ET vs none"
        out[key] = dict(label=f"{name} ({n_et} vs {n_none})", after=after, start=n_et - after, none=n_none,
                        pfs_medians=tuple(float(printed(paper, f"pfs:{key}:{g}", "median")) for g in (et, no_et)),
                        printed={"PFS": printed(paper, f"hr:pfs:{key}", "estimate"),
                                 "advanced-OS": printed(paper, f"hr:aos:{key}", "estimate")})
    return out


def _pps_scale(m_pfs: float, os_median: float, seed: int) -> float:
    """The post-progression survival scale giving median OS *os_median*, on a large fixed sample."""
    cal = np.random.default_rng(seed + 1)
    pfs, pps = cal.exponential(m_pfs / np.log(2), 200_000), cal.exponential(1.0, 200_000)
    return float(optimize.brentq(lambda s: np.median(pfs + s * pps) - os_median, 0.1, 500.0, xtol=1e-12))


def design_replicates(paper: Paper, design: str = "seq-et", *, landmark: float = MAIN_LANDMARK,
                      reps: int = DESIGN_REPS, seed: int = DESIGN_SEED, os_median: float | None = None,
                      follow_up: tuple[float, float] = DESIGN_FOLLOW_UP) -> pd.DataFrame:
    """Hazard ratios that forming the groups alone produces when endocrine therapy does nothing.

    Everybody starts first-line therapy at 0; PFS is exponential with one median (that of the mixture
    of the two printed groups); advanced-OS is PFS plus exponential post-progression survival giving
    median *os_median* (default: the printed HR+ median advanced-OS); censoring is uniform on
    *follow_up*.  ET "after induction" goes only to patients still progression-free and followed at
    *landmark* months, ET "from the start" to a random draw.  One row per replicate and endpoint:
    ``hr`` (Cox, ET vs none), ``n_et``, ``n_after``, ``events``.
    """
    d = designs(paper)[design]
    os_median = float(printed(paper, "aos:hr-status:hrpos", "median")) if os_median is None else os_median
    n_et, (m_a, m_b) = d["after"] + d["start"], d["pfs_medians"]
    mixture = lambda t: n_et * 2 ** (-t / m_a) + d["none"] * 2 ** (-t / m_b) - (n_et + d["none"]) / 2  # noqa: E731
    m_pfs = float(optimize.brentq(mixture, min(m_a, m_b), max(m_a, m_b)))
    rng, n = np.random.default_rng(seed), n_et + d["none"]
    pfs = rng.exponential(m_pfs / np.log(2), (reps, n))
    scale = _memo(paper, f"pps:{design}:{os_median}:{seed}", lambda: _pps_scale(m_pfs, os_median, seed))
    os_ = pfs + rng.exponential(scale, (reps, n))
    cens, u = rng.uniform(*follow_up, (reps, n)), rng.random((reps, n))
    x = np.zeros((reps, n), bool)
    x[np.arange(reps)[:, None], np.argsort(u, axis=1)[:, :d["start"]]] = True
    eligible = (pfs > landmark) & (cens > landmark) & ~x
    after = (np.argsort(np.argsort(np.where(eligible, u, np.inf), axis=1), axis=1) < d["after"]) & eligible
    x |= after
    res = pd.concat([pd.DataFrame({"design": d["label"], "endpoint": endpoint, "landmark": landmark,
                                   "replicate": np.arange(reps), "hr": cox_binary_hr(np.minimum(t, cens), t <= cens, x),
                                   "n_et": x.sum(axis=1), "n_after": after.sum(axis=1),
                                   "events": (t <= cens).sum(axis=1)})
                     for endpoint, t in (("PFS", pfs), ("advanced-OS", os_))], ignore_index=True)
    res.attrs.update(seed=seed, reps=reps, pfs_median=m_pfs, os_median=os_median)
    return res


def design_summary(paper: Paper, landmarks=LANDMARKS, reps: int = DESIGN_REPS, seed: int = DESIGN_SEED) -> pd.DataFrame:
    """Per design (``design_id``, ``design``), endpoint and landmark: ``printed_hr``, the no-effect
    ``null_median_hr`` and 2.5–97.5th percentiles ``null_lo``/``null_hi``, ``share_below_1``,
    ``share_at_or_below_printed``, ``pfs_median`` (the common no-effect PFS median) and ``reps``."""
    def make():
        rows = []
        for design, d in designs(paper).items():
            for L in landmarks:
                sim = design_replicates(paper, design, landmark=L, reps=reps, seed=seed)
                for endpoint, s in sim.groupby("endpoint", sort=False):
                    hr, p = s["hr"].to_numpy(), float(d["printed"][endpoint])
                    rows.append(dict(design_id=design, design=d["label"], endpoint=endpoint, landmark=L, printed_hr=p,
                                     null_median_hr=float(np.median(hr)), null_lo=float(np.quantile(hr, 0.025)),
                                     null_hi=float(np.quantile(hr, 0.975)), share_below_1=float((hr < 1).mean()),
                                     share_at_or_below_printed=float((hr <= p).mean()),
                                     pfs_median=sim.attrs["pfs_median"], reps=reps))
        return pd.DataFrame(rows)
    return _memo(paper, f"design:{tuple(landmarks)}:{reps}:{seed}", make).copy()


_NULL = ("With no effect of endocrine therapy, the paper's grouping already gives HR ≈ {null:n} (95% of replicates "
         "{lo:n}–{hi:n}), because only patients still progression-free after induction can join the ET group. ")
register("design-bias:grouping-all", recomputed="no-effect HR by landmark ({by_landmark})",
         biased=_NULL + "The printed {printed} is within that range: the grouping alone can produce it.")
register("design-bias:grouping", recomputed="no-effect HR by landmark ({by_landmark})",
         biased=_NULL + "The printed {printed} is lower still, but it is not an estimate of the effect of ET: part of it "
                "is the grouping. If induction lasts {long:g} months, {long_share:pct} of no-effect replicates give an "
                "HR at or below the printed one.")


def _design_rows(paper: Paper) -> list[dict]:
    out, d = [], designs(paper)
    for (short, design, endpoint), g in design_summary(paper).groupby(["design_id", "design", "endpoint"], sort=False):
        main, longest = g[g["landmark"] == MAIN_LANDMARK].iloc[0], g[g["landmark"] == g["landmark"].max()].iloc[0]
        out.append(dict(slug=f"grouping.{short}.{slug(endpoint)}", location=_where(paper, f"hr:pfs:{short}"),
                        quantity=f"HR, {design}, {endpoint}", reported=f"HR {d[short]['printed'][endpoint]}",
                        check="design-bias", printed=d[short]["printed"][endpoint], verdict="biased",
                        issue=f"{paper.id}:grouping.{short}",   # one design, one problem
                        # within the no-effect range, the grouping alone can give the printed HR
                        template="grouping-all" if main["printed_hr"] >= main["null_lo"] else "grouping",
                        null=main["null_median_hr"], lo=main["null_lo"], hi=main["null_hi"], long=longest["landmark"],
                        long_share=longest["share_at_or_below_printed"],
                        by_landmark=", ".join(f"{r.landmark:g} mo: {r.null_median_hr:.2f}" for r in g.itertuples()),
                        reported_low=main["printed_hr"], reported_high=main["printed_hr"], accept_low=0.0,
                        recomputed_low=main["null_lo"], recomputed_high=main["null_hi"], accept_high=main["null_lo"],
                        # a demonstration: the share of HRs below 1 that the design alone produces
                        sharpness=min(1.0, float(main["null_lo"]))))
    return out


def findings(paper: Paper, context: dict) -> list:
    """The regimen comparisons, the heterogeneity p, the follow-up window and the design bias."""
    return to_findings(paper.id, _regimen_rows(paper) + _het_rows(paper) + _followup_rows(paper) + _design_rows(paper))


# --- tidy tables for the chapter ---------------------------------------------------------------------

def pcr_table(paper: Paper) -> pd.DataFrame:
    """Pooled pCR by HR status and ER/PR subgroup: n, implied count, pCR % and its Wilson 95% CI."""
    from statsmodels.stats.proportion import proportion_confint
    inp, rows = _inputs(paper), []
    for g in (*inp["hr_groups"], *inp["subgroups"]):
        n, k = inp["n"][g], inp["k"][g][0] if len(inp["k"][g]) == 1 else None
        lo, hi = proportion_confint(k, n, method="wilson") if k is not None else (np.nan, np.nan)
        rows.append(dict(grouping="ER/PR subgroup" if g in HR_OF_SUBGROUP else "HR status", subgroup=g, n=n, count=k,
                         pcr=np.nan if k is None else 100 * k / n, ci_low=100 * lo, ci_high=100 * hi))
    return pd.DataFrame(rows)


def forest_table(paper: Paper) -> pd.DataFrame:
    """Every printed ratio with its CI (one row per key), for a forest plot."""
    r = paper.read("ratios.csv").drop_duplicates("key")
    return pd.DataFrame({"comparison": r["variable"], "endpoint": r["endpoint"], "model": r["model"].str.split().str[0],
                         "hr": r["estimate"].astype(float), "ci_low": r["ci_low"].astype(float),
                         "ci_high": r["ci_high"].astype(float), "p": r["p"], "key": r["key"]}).reset_index(drop=True)


# --- the synthetic cohort ----------------------------------------------------------------------------

def _window(paper: Paper, g: str) -> tuple[float, float]:
    """Uniform potential follow-up of an HR group: Table 1's minimum follow-up to 2 × median − minimum
    (so that its median is the printed median follow-up)."""
    key = f"t1:followup:median:{_SUFFIX[g]}"
    lo, med = float(printed(paper, key, "min")), float(printed(paper, key, "median"))
    return lo, 2 * med - lo


def _events(paper: Paper, endpoint: str, g: str) -> int:
    return _count(paper, f"{endpoint}:hr-status:{_SUFFIX[g]}", "events")


def _pin_pooled_median(t: np.ndarray, e: np.ndarray, movable: np.ndarray, target: float,
                       scales: np.ndarray = np.linspace(0.5, 1.5, 401)) -> np.ndarray:
    """Times with the pooled KM median at *target* and the *movable* group's median not reached: the
    movable group's times rescaled by the factor closest to 1 that works and one of its deaths (the
    latest first: the smallest change) moved to *target*; every scale is tried at once."""
    order = scales[np.argsort(np.abs(scales - 1), kind="stable")]
    events, deaths = np.tile(e, (len(order), 1)), np.flatnonzero(movable & (e == 1))
    for j in deaths[np.argsort(-t[deaths], kind="stable")]:
        times = np.tile(t, (len(order), 1))
        times[:, movable] = np.round(t[movable] * order[:, None], 2)
        times[:, j] = target
        ok = (np.abs(km_medians(times, events) - target) <= 0.5) & np.isnan(
            km_medians(times[:, movable], events[:, movable]))
        if ok.any():
            return times[int(ok.argmax())]
    raise RuntimeError(f"no rescale of the movable group puts the pooled median at {target}")


def _os(paper: Paper, df: pd.DataFrame, rng: np.random.Generator) -> None:
    """OS of all patients with the printed deaths and medians: HR− drawn and rescaled to its median;
    HR+ (not reached) on the HR− time scale from the HR− median over the printed HR, early deaths kept
    censored; then the pooled median pinned where it is printed, which only the last few patients at
    risk can carry (:func:`os_pooled_tail`)."""
    neg, pos = (df["hr_status"] == HRNEG).to_numpy(), (df["hr_status"] == HRPOS).to_numpy()
    sv, m_neg = paper.read("survival.csv"), float(printed(paper, "os:hr-status:hrneg", "median"))
    if sv.loc[sv["key"] == "os:hr-status:hrpos", "median"].str.lower().tolist() != ["not reached"]:
        raise DataError(paper.path("survival.csv"), None, "median", "the OS model needs the HR+ median 'not reached'")
    t_neg, e_neg, scale = draw_with_median(int(neg.sum()), _events(paper, "os", HRNEG), m_neg, _window(paper, HRNEG),
                                           rng)
    for t_pos, e_pos in exact_event_draws(int(pos.sum()), _events(paper, "os", HRPOS),
                                          m_neg / float(printed(paper, "hr:os:hr-status:unadj", "estimate")),
                                          _window(paper, HRPOS), rng, "early"):
        if not np.isfinite(km_median(t_pos, e_pos)):
            break
    t, e = np.zeros(len(df)), np.zeros(len(df), dtype=int)
    t[neg], t[pos], e[neg], e[pos] = np.round(t_neg, 2), np.round(t_pos * scale, 2), e_neg, e_pos
    df["os_months"], df["os_death"] = _pin_pooled_median(t, e, pos, float(printed(paper, "os:all", "median"))), e


def _dfs(paper: Paper, df: pd.DataFrame, rng: np.random.Generator) -> None:
    """DFS of the operable patients less those without surgery the Results exclude, with the printed
    events by HR group, on one time scale so that the pooled median is the printed one."""
    m = paper.reconstruction["model"]
    pop = (df[m["stage"]] == m["operable"]).to_numpy()
    sizes = {g: _count(paper, f"dfs:hr-status:{_SUFFIX[g]}", "n") for g in _SUFFIX}
    for g, n in sizes.items():
        idx = np.flatnonzero(pop & (df["hr_status"] == g).to_numpy())
        if len(idx) < n:
            raise DataError(paper.path("survival.csv"), None, "n", f"DFS {g}: {n} printed, {len(idx)} operable")
        nosurg = [i for i in idx if df.at[i, m["surgery"]] == m["no_surgery"]]
        pop[np.array(nosurg + [i for i in idx if i not in nosurg], dtype=int)[:len(idx) - n]] = False
    events, m_all = {g: _events(paper, "dfs", g) for g in _SUFFIX}, float(printed(paper, "dfs:all", "median"))
    ratio = np.sqrt((events[HRNEG] / sizes[HRNEG]) / (events[HRPOS] / sizes[HRPOS]))  # crude, split around the median
    t, e = np.full(len(df), np.nan), np.zeros(len(df), dtype=int)
    for _ in range(500):
        for g, median in ((HRPOS, m_all * ratio), (HRNEG, m_all / ratio)):
            idx = np.flatnonzero(pop & (df["hr_status"] == g).to_numpy())
            t[idx], e[idx] = next(exact_event_draws(len(idx), events[g], median, _window(paper, g), rng, "early"))
        if np.isfinite(km := km_median(t[pop], e[pop])):
            break
    df["dfs_population"], df["dfs_months"] = pop, np.where(pop, np.round(t * m_all / km, 2), np.nan)
    df["dfs_event"] = pd.Series(e, dtype="Int64").where(pop)


def _metastatic(paper: Paper, df: pd.DataFrame, rng: np.random.Generator) -> None:
    """The patients with metastatic disease and their Table 3–4 variables, exact by HR group.

    De novo MBC is stage IV; recurrent MBC is drawn among the patients with a DFS event (then the
    operable patients left out of the DFS population).  Among them the Table 3–4 counts are drawn by
    :func:`recheck.reconstruct.categorical_margins`, nested as ``[reconstruction] nested`` declares and
    each Table 4 sub-row block within its parent regimen, as yes/no columns ``"<variable>: <category>"``
    for the non-exclusive and sub-row variables.  Patients without metastatic disease have no
    metastatic site (Table 3) and no first-line regimen (Table 4)."""
    m, spec, cat = paper.reconstruction["model"], paper.reconstruction, paper.read("categorical.csv")
    t34 = cat[cat["table"].isin(["Table 3", "Table 4"]) & (cat["variable"] != m["mbc"]["variable"])]
    subrows, non_exclusive = paper.table("Table 4").subrows, paper.table("Table 3").non_exclusive
    nested = {**spec["nested"], **{v: dict(parent=p, among=v, categories=list(dict.fromkeys(
        t34.loc[t34["variable"] == v, "category"]))) for v, p in subrows.items()}}
    met, mtype, cols = np.zeros(len(df), bool), np.full(len(df), "", dtype=object), {}
    for g in _SUFFIX:
        ing = (df["hr_status"] == g).to_numpy()
        k = {c: parse_count(x) for c, x in cat[(cat["table"] == "Table 3") & (cat["variable"] == m["mbc"]["variable"])
                                               & (cat["group"] == g)][["category", "count"]].to_numpy()}
        denovo = np.flatnonzero(ing & (df[m["stage"]] == m["de_novo"]).to_numpy())
        events = rng.permutation(np.flatnonzero(ing & (df["dfs_event"] == 1).fillna(False).to_numpy()))
        left_out = np.flatnonzero(ing & ~df["dfs_population"].to_numpy() & (df[m["stage"]] == m["operable"]).to_numpy())
        recurrent = np.concatenate([events, left_out])[:k[m["mbc"]["recurrent"]]]
        if (len(denovo), len(recurrent)) != (k[m["mbc"]["de_novo"]], k[m["mbc"]["recurrent"]]):
            raise ValueError(f"{g}: {len(denovo)} stage IV and {len(recurrent)} recurrences do not give Table 3")
        met[denovo], met[recurrent] = True, True
        mtype[denovo], mtype[recurrent] = m["mbc"]["de_novo"], m["mbc"]["recurrent"]
        idx = np.flatnonzero(met & ing)
        margins, default = {}, {}
        for v, r in t34[t34["group"] == g].groupby("variable", sort=False):
            counts = [(c, parse_count(x)) for c, x in zip(r["category"], r["count"])]
            if v in non_exclusive:
                margins.update({f"{v}: {c}": [("Yes", x), ("No", len(idx) - x)] for c, x in counts})
                default.update({f"{v}: {c}": "No" for c, _ in counts})
            else:    # a sub-row block leaves its parent's other patients empty
                margins[v] = counts + ([("", len(idx) - sum(x for _, x in counts))] if v in subrows else [])
                outside = [c for c, _ in counts if c not in nested.get(v, {}).get("categories", [c])]
                default[v] = outside[0] if len(outside) == 1 else ""   # what the parent's "No" gives
        sub = categorical_margins(margins, len(idx), rng, nested)
        for v in subrows:
            yes_no = {f"{v}: {c}": np.where(sub[v] == c, "Yes", "No") for c in nested[v]["categories"]}
            sub = sub.assign(**yes_no).drop(columns=v)
        for col in sub:
            cols.setdefault(col, np.full(len(df), default.get(col, ""), dtype=object))[idx] = sub[col].to_numpy()
    df["metastatic"], df[m["mbc"]["variable"]] = met, mtype
    for name, col in cols.items():
        df[name] = col


def _advanced_os(paper: Paper, df: pd.DataFrame, rng: np.random.Generator) -> None:
    """Advanced-OS (from metastasis) of the metastatic patients: the printed deaths by HR group, each
    group's KM median rescaled to its printed median (potential follow-up :data:`AOS_FOLLOW_UP`)."""
    t, e, met = np.full(len(df), np.nan), np.zeros(len(df), dtype=int), df["metastatic"].to_numpy()
    for g in _SUFFIX:
        idx = np.flatnonzero(met & (df["hr_status"] == g).to_numpy())
        tg, e[idx], _ = draw_with_median(len(idx), _events(paper, "aos", g), float(printed(
            paper, f"aos:hr-status:{_SUFFIX[g]}", "median")), AOS_FOLLOW_UP, rng)
        t[idx] = np.round(tg, 2)
    df["aos_months"], df["aos_death"] = t, pd.Series(e, dtype="Int64").where(met)


def _place(alloc: dict, order: list[str], free: np.ndarray, allowed: dict, her2: np.ndarray) -> list | None:
    """Patients for every (subgroup, regimen) of *alloc* — CT only exactly those without neoadjuvant
    HER2-targeted therapy, a constrained subgroup only among its *allowed* patients, preferring those
    no other constrained subgroup could take — or None if the cohort cannot carry the allocation."""
    picks = []
    for s in order:
        others = sum((allowed[o] for o in allowed if o != s), np.zeros(len(her2), int))
        for reg in REGIMENS:
            (n, k), ok = alloc[(s, reg)], allowed.get(s, np.ones(len(her2), bool))[free] & (her2[free] != (reg == CT))
            fits = free[ok][np.argsort(others[free[ok]], kind="stable")]
            if len(fits) < n:
                return None
            picks.append((fits[:n], s, reg, k))
            free = np.setdiff1d(free, fits[:n], assume_unique=True)
    return picks


def _pcr_column(paper: Paper, df: pd.DataFrame, rng: np.random.Generator) -> None:
    """ER/PR subgroup, regimen and pCR of the neoadjuvant patients: the first of each HR group's
    :func:`hr_combinations` (in seeded random order) that the cohort can carry (:func:`_place`; an
    ER/PR subgroup only among the Table 1 categories ``[reconstruction.model] erpr`` allows)."""
    erpr = paper.reconstruction["model"]["erpr"]
    allowed = {s: (df[v["variable"]] == v["category"]).to_numpy() for s, v in erpr.items()}
    neo, her2 = (df[_NEO] == _YES).to_numpy(), (df[_NEO_HER2] == _YES).to_numpy()
    local = _local(paper).set_index("allocation")
    cols = {c: np.full(len(df), "", dtype=object) for c in (ERPR, REGIMEN, "pCR")}
    for g in _SUFFIX:
        comb = hr_combinations(paper, g)
        subs = sorted((s for s in comb.columns if s in HR_OF_SUBGROUP), key=lambda s: s not in erpr)
        free = rng.permutation(np.flatnonzero(neo & (df["hr_status"] == g).to_numpy()))
        allocs = ({(s, reg): tuple(local.loc[comb.at[i, s], [_COLS[j], _COLS[3 + j]]]) for s in subs
                   for j, reg in enumerate(REGIMENS)} for i in rng.permutation(len(comb)))
        picks = next((p for a in allocs if (p := _place(a, subs, free, allowed, her2)) is not None), None)
        if picks is None:
            raise ValueError(f"{g}: no allocation of the regimens fits the cohort's ER/PR and treatment columns")
        for pick, s, reg, k in picks:
            cols[ERPR][pick], cols[REGIMEN][pick], cols["pCR"][pick] = s, reg, "No"
            cols["pCR"][pick[:k]] = "Yes"
    for c, v in cols.items():
        df[c] = v


_DESCRIPTION = ("reconstructed from the published aggregates of Ran et al. (BMC Cancer 2024): Tables 1-2 exact by HR "
                "group (variables independent within a group, treatment rows nested in their parent row); OS (all) "
                "and DFS (operable) with the printed events and medians; the metastatic patients with Table 3-4 counts "
                "and advanced-OS; pCR and one allocation of the neoadjuvant regimens that fits every printed rate. "
                "Survival times are exponential draws rescaled to the printed medians, not the paper's curves.")


def reconstruct(paper: Paper) -> list:
    """Write ``reconstructed/cohort.csv``, 828 synthetic patients (same data and code, same bytes)."""
    cat, sizes, rng, frames = paper.read("categorical.csv"), group_sizes(paper), np.random.default_rng(paper.seed), []
    for g in paper.table("Table 1").groups:
        rows = cat[cat["table"].isin(["Table 1", "Table 2"]) & (cat["group"] == g)]
        margins = {v: [(c, parse_count(k)) for c, k in zip(r["category"], r["count"])]
                   for v, r in rows.groupby("variable", sort=False)}
        frames.append(categorical_margins(margins, sizes[("Table 1", g)], rng, paper.reconstruction["nested"])
                      .assign(hr_status=g))
    df = pd.concat(frames, ignore_index=True)
    df = df[["hr_status", *df.columns[:-1]]]
    df.insert(0, "patient", [f"X{i:04d}" for i in range(1, len(df) + 1)])
    rng = np.random.default_rng([paper.seed, 2])     # a second stream: the Table 1-2 columns stay put
    for step in (_os, _dfs, _metastatic, _advanced_os, _pcr_column):
        step(paper, df, rng)
    return [write_cohort(paper, df, _DESCRIPTION)]


def reconstruction_fit(paper: Paper, cohort: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`recheck.reconstruct.fit_table` and the regimen pCR rates of ``pcr.csv`` (which the generic
    fit does not read): ``target``, ``group``, ``printed``, ``reconstructed``, ``difference``, ``matches``."""
    c, pcr, rows = read_cohort(paper) if cohort is None else cohort, paper.read("pcr.csv"), []
    for r in pcr[pcr["regimen"].isin([T, TP]) & (pcr["pcr_percent"] != "")].to_dict("records"):
        sel = (c[ERPR] == r["subgroup"]) & (c[REGIMEN] == r["regimen"])
        k, n = int((sel & (c["pCR"] == _YES)).sum()), int(sel.sum())
        rows.append(dict(target=f"pCR rate, {r['regimen']}", group=r["subgroup"], printed=f"{r['pcr_percent']}%",
                         reconstructed=f"{k}/{n}", difference=np.nan,
                         matches=bool(n and k in counts_for_percent(f"{r['pcr_percent']}%", n))))
    return pd.concat([fit_table(paper, c), pd.DataFrame(rows)], ignore_index=True).drop_duplicates(
        ["target", "group", "printed"], ignore_index=True)


def os_pooled_tail(paper: Paper) -> dict[str, float]:
    """How many reconstructed patients carry the pooled OS median: the median, the patients at risk at
    it (by HR group) and the survival estimate just before and at it."""
    from lifelines import KaplanMeierFitter
    c = read_cohort(paper)
    t, e = c["os_months"].to_numpy(float), c["os_death"].to_numpy(int)
    m = km_median(t, e)
    at_risk, sf = t >= m, KaplanMeierFitter().fit(t, e).survival_function_.iloc[:, 0]
    return {"median": float(m), "at_risk": int(at_risk.sum()),
            **{f"at_risk_{_SUFFIX[g]}": int((at_risk & (c["hr_status"] == g)).sum()) for g in _SUFFIX},
            "surv_before": float(sf[sf.index < m].iloc[-1]), "surv_at": float(sf[m])}
