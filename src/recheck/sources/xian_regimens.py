"""What the printed numbers allow about the Xi'an neoadjuvant regimens (Ran et al., BMC Cancer 2024).

Nothing here is a patient record.  The paper splits its 329 neoadjuvant patients into
three regimens -- chemotherapy only (CT), trastuzumab + CT and trastuzumab + pertuzumab +
CT -- but prints the regimen sizes and most regimen pCR rates only in its supplement
(Fig. 3, Tables S1-S2).  What the main text does print constrains them:

* the neoadjuvant n and pooled pCR percentage of each ER/PR subgroup and HR group
  (``data/xian/pcr.csv``, regimen *all neoadjuvant regimens (pooled)*); each percentage
  of its n fixes the pooled pCR count;
* the regimen pCR percentages within ER/PR subgroups (``pcr.csv``, regimens
  *trastuzumab + CT* and *trastuzumab + pertuzumab + CT*), without their n;
* Table 2's counts of patients with neoadjuvant therapy and with neoadjuvant HER2-targeted
  therapy (``data/xian/categorical.csv``).  Their difference is read as the CT-only
  regimen -- an inference: a neoadjuvant patient without HER2-targeted therapy can only
  have had the CT-only regimen of the three the paper names.

This module enumerates every allocation of patients and pCR counts to the regimens that
agrees with all of these at once (:func:`regimen_allocations`, :func:`hr_combinations`),
the ranges they leave (:func:`ct_only_pcr_range`), the p-values the paper's regimen
comparisons can have under them (:func:`regimen_p_ranges`), and picks one allocation for
the synthetic cohort (:func:`choose_allocation`).  Every number comes from ``data/xian/``;
only the labels that say which row is which are written here.

An empty feasible set is a result, not an error: it means the printed numbers cannot all
be true together.  Malformed or missing rows do raise (:class:`recheck.data.DataError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from ..data import DataError, data_dir, read_csv, read_source_table
from ..percent import counts_for_percent
from ..reported import ParseError, Reported, parse_count, parse_p
from .xian import HRNEG, HRPOS, SOURCE

__all__ = [
    "ALLOCATION_COLUMNS",
    "CT",
    "HR_OF_SUBGROUP",
    "REGIMENS",
    "TP",
    "T",
    "choose_allocation",
    "ct_only_pcr_range",
    "hr_combinations",
    "hr_positive_combinations",
    "regimen_allocations",
    "regimen_p_ranges",
]

# Structural labels: which row of the data files is which.  No printed number is here.
POOLED = "all neoadjuvant regimens (pooled)"
CT, T, TP = "CT only", "trastuzumab + CT", "trastuzumab + pertuzumab + CT"
REGIMENS = (CT, T, TP)
HR_OF_SUBGROUP = {"ER+/PR+": HRPOS, "ER+/PR-": HRPOS, "ER-/PR+": HRPOS, "ER-/PR-": HRNEG}
"""HR+ is ER+ or PR+ (the three ER/PR subgroups other than ER-/PR-); HR- is ER-/PR-."""
REFERENCE_SUBGROUP = "ER+/PR+"
"""The within-regimen ER/PR sentences compare ER+/PR+ with each other subgroup they list."""
ALL_NEO = "All neoadjuvant"

_T2 = "Table 2"
_T2_NEO, _T2_HER2, _T2_YES = "Neoadjuvant therapy", "Neoadjuvant HER2 targeted therapy", "Yes"

# The regimen-level comparison rows of pcr.csv: (regimen, subgroup) labels.
_HER2_VS_CT = "HER2-targeted therapy + CT vs CT only"
_TP_VS_T = "trastuzumab + pertuzumab + CT vs trastuzumab + CT"
_HR_WITHIN = "trastuzumab + CT; trastuzumab + pertuzumab + CT"
_HR_VS_HR = "HR+/HER2+ vs HR-/HER2+"
_OVERALL = "HER2-positive (HR status not specified)"
_ALL_ERPR = "all ER/PR subgroups"

ALLOCATION_COLUMNS = ("n_ct", "n_t", "n_tp", "k_ct", "k_t", "k_tp")
"""Patients (n_*) and pCR counts (k_*) per regimen, in :data:`REGIMENS` order."""
_N = slice(0, 3)
_K = slice(3, 6)

_PCR_SCHEMA = {"subgroup": None, "regimen": None, "n": "count", "pcr_count": "count",
               "pcr_percent": "value", "p": None, "location": None, "key": None}
# A printed p such as "all P values < 0.001": the bound is the trailing relation and number.
_P_TAIL = re.compile(r"(?:[<>≤≥=]\s*)?\d*\.?\d+\s*$")


# --------------------------------------------------------------------------------------
# Reading the printed numbers
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Inputs:
    subgroups: tuple[str, ...]                 # ER/PR subgroups, in pcr.csv order
    hr_groups: tuple[str, ...]                 # HR groups, in pcr.csv order
    n: dict[str, int]                          # neoadjuvant n per subgroup and per HR group
    k: dict[str, tuple[int, ...]]              # pooled pCR counts the printed % allows
    printed: dict[tuple[str, str], tuple[dict, ...]]  # (subgroup, regimen) → printed rows
    neo: dict[str, int]                        # Table 2: neoadjuvant therapy, yes
    her2: dict[str, int]                       # Table 2: neoadjuvant HER2-targeted therapy, yes
    pcr: pd.DataFrame                          # pcr.csv as read, with its file line numbers


def _pcr_path():
    return data_dir() / SOURCE / "pcr.csv"


def _line(df: pd.DataFrame, pos: int) -> int | None:
    lines = df.attrs.get("lines")
    return lines[pos] if lines else None


@lru_cache(maxsize=8)
def _inputs_cached(folder: str) -> _Inputs:
    del folder  # the cache key only: another data folder is another set of files
    path = _pcr_path()
    pcr = read_csv(path, _PCR_SCHEMA).reset_index(drop=True)
    n: dict[str, int] = {}
    k: dict[str, tuple[int, ...]] = {}
    subgroups, hr_groups = [], []
    printed: dict[tuple[str, str], list[dict]] = {}
    for pos, r in pcr.iterrows():
        line = _line(pcr, pos)
        if r["regimen"] == POOLED:
            if r["subgroup"] in HR_OF_SUBGROUP:
                subgroups.append(r["subgroup"])
            elif r["subgroup"] in HR_OF_SUBGROUP.values():
                hr_groups.append(r["subgroup"])
            else:
                raise DataError(path, line, "subgroup", f"{r['subgroup']!r} is neither an ER/PR "
                                "subgroup nor an HR group")
            if r["subgroup"] in n:
                raise DataError(path, line, "subgroup", f"a second pooled row for {r['subgroup']!r}")
            for col in ("n", "pcr_percent"):
                if not r[col].strip():
                    raise DataError(path, line, col, "a pooled pCR row needs its n and percentage")
            n[r["subgroup"]] = parse_count(r["n"])
            if n[r["subgroup"]] == 0:
                raise DataError(path, line, "n", "a pooled pCR row of 0 patients")
            ks = counts_for_percent(f"{r['pcr_percent']}%", n[r["subgroup"]])
            if r["pcr_count"].strip():
                ks = [c for c in ks if c == parse_count(r["pcr_count"])]
            k[r["subgroup"]] = tuple(ks)
        elif r["regimen"] in REGIMENS and r["subgroup"] in HR_OF_SUBGROUP:
            if not r["pcr_percent"].strip():
                raise DataError(path, line, "pcr_percent", "a regimen pCR row without its percentage")
            printed.setdefault((r["subgroup"], r["regimen"]), []).append(
                {"percent": r["pcr_percent"], "n": r["n"], "pcr_count": r["pcr_count"],
                 "key": r["key"], "p": r["p"], "line": line})
    for s in HR_OF_SUBGROUP:
        if s not in n:
            raise DataError(path, None, "subgroup", f"no pooled pCR row for {s!r}")
    for g in set(HR_OF_SUBGROUP.values()):
        if g not in n:
            raise DataError(path, None, "subgroup", f"no pooled pCR row for {g!r}")

    cat = read_source_table(SOURCE, "categorical.csv")
    cat_path = data_dir() / SOURCE / "categorical.csv"

    def table2(variable: str, group: str) -> int:
        sel = cat[(cat["table"] == _T2) & (cat["variable"] == variable)
                  & (cat["category"] == _T2_YES) & (cat["group"] == group)]
        if len(sel) != 1:
            raise DataError(cat_path, None, "variable", f"{len(sel)} {_T2} rows for "
                            f"{variable!r} = {_T2_YES!r} in {group!r}, expected 1")
        return parse_count(sel["count"].iloc[0])

    neo = {g: table2(_T2_NEO, g) for g in hr_groups}
    her2 = {g: table2(_T2_HER2, g) for g in hr_groups}
    for g in hr_groups:
        if her2[g] > neo[g]:
            # Not a finding about the regimens: the two rows would not nest as Table 2 says.
            raise DataError(cat_path, None, "count", f"{g}: more neoadjuvant HER2-targeted "
                            f"therapy ({her2[g]}) than neoadjuvant therapy ({neo[g]})")
    return _Inputs(tuple(subgroups), tuple(hr_groups), n, k,
                   {key: tuple(v) for key, v in printed.items()}, neo, her2, pcr)


def _inputs() -> _Inputs:
    return _inputs_cached(str(data_dir()))


def _subgroups_of(inp: _Inputs, hr_group: str) -> list[str]:
    return [s for s in inp.subgroups if HR_OF_SUBGROUP[s] == hr_group]


def _allowed_counts(inp: _Inputs, subgroup: str, regimen: str, n_max: int) -> list[list[int]]:
    """For each regimen size 0..n_max, the pCR counts every printing for it allows.

    A regimen with no printed percentage in this subgroup may have any size (0 too) and any
    count; a printed percentage needs at least one patient and a count that rounds to it.
    """
    rows = inp.printed.get((subgroup, regimen), ())
    out = []
    for size in range(n_max + 1):
        ks = set(range(size + 1))
        for r in rows:
            if size == 0:
                ks = set()
                break
            # Every printing is a constraint: two printings of one rate must both hold.
            ks &= set(counts_for_percent(f"{r['percent']}%", size))
            if r["n"].strip() and parse_count(r["n"]) != size:
                ks = set()
            if r["pcr_count"].strip():
                ks &= {parse_count(r["pcr_count"])}
        out.append(sorted(ks))
    return out


# --------------------------------------------------------------------------------------
# Allocations
# --------------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _local_cached(folder: str) -> pd.DataFrame:
    """Per subgroup, every tuple that agrees with that subgroup's own printed numbers."""
    del folder
    inp = _inputs()
    rows = []
    for s in inp.subgroups:
        size = inp.n[s]
        g = HR_OF_SUBGROUP[s]
        # A subgroup cannot hold more CT-only patients than its whole HR group had.
        ct_cap = min(size, inp.neo[g] - inp.her2[g])
        allowed = {r: _allowed_counts(inp, s, r, size) for r in REGIMENS}
        ct_sets = [set(a) for a in allowed[CT]]
        for n_ct in range(ct_cap + 1):
            for n_t in range(size - n_ct + 1):
                n_tp = size - n_ct - n_t
                kts, ktps = allowed[T][n_t], allowed[TP][n_tp]
                if not kts or not ktps:
                    continue
                for k_total in inp.k[s]:
                    for k_t in kts:
                        for k_tp in ktps:
                            k_ct = k_total - k_t - k_tp
                            if k_ct in ct_sets[n_ct]:
                                rows.append((s, g, n_ct, n_t, n_tp, k_ct, k_t, k_tp))
    df = pd.DataFrame(rows, columns=["subgroup", "hr_group", *ALLOCATION_COLUMNS])
    df[list(ALLOCATION_COLUMNS)] = df[list(ALLOCATION_COLUMNS)].astype(int)
    df.insert(0, "allocation", np.arange(len(df), dtype=int))
    return df


def _local() -> pd.DataFrame:
    return _local_cached(str(data_dir()))


@lru_cache(maxsize=16)
def _combinations_cached(folder: str, hr_group: str) -> pd.DataFrame:
    del folder
    inp = _inputs()
    local = _local()
    subs = _subgroups_of(inp, hr_group)
    ct_total = inp.neo[hr_group] - inp.her2[hr_group]
    ids = np.zeros((1, 0), dtype=int)
    sums = np.zeros((1, len(ALLOCATION_COLUMNS)), dtype=int)
    for s in subs:
        part = local[local["subgroup"] == s]
        lid = part["allocation"].to_numpy()
        vals = part[list(ALLOCATION_COLUMNS)].to_numpy()
        new = sums[:, None, :] + vals[None, :, :]
        # Prune as we go: the CT-only sizes of the subgroups seen so far may not pass the total.
        pi, li = np.nonzero(new[..., 0] <= ct_total)
        ids = np.column_stack([ids[pi], lid[li]])
        sums = new[pi, li]
    sizes = sums[:, _N].sum(axis=1)
    keep = (
        (sums[:, 0] == ct_total)                                 # Table 2: CT only
        & (sums[:, 1] + sums[:, 2] == inp.her2[hr_group])        # Table 2: HER2-targeted
        & (sizes == inp.n[hr_group]) & (sizes == inp.neo[hr_group])  # pcr.csv vs Table 2 n
        & np.isin(sums[:, _K].sum(axis=1), inp.k[hr_group])      # the HR group's pooled pCR
    )
    out = pd.DataFrame(ids[keep], columns=subs)
    for j, c in enumerate(ALLOCATION_COLUMNS):
        out[c] = sums[keep, j]
    out.insert(0, "combination", np.arange(len(out), dtype=int))
    out.insert(0, "hr_group", hr_group)
    return out


def hr_combinations(hr_group: str) -> pd.DataFrame:
    """Every full allocation of one HR group: one feasible tuple per ER/PR subgroup in it.

    Parameters
    ----------
    hr_group
        ``"HR+/HER2+"`` or ``"HR-/HER2+"``.

    Returns
    -------
    pandas.DataFrame
        One row per combination: ``hr_group``, ``combination`` (0, 1, ...), one column per
        ER/PR subgroup of the group (named by the subgroup, holding the ``allocation`` id of
        its row in :func:`regimen_allocations`), and the group totals
        :data:`ALLOCATION_COLUMNS`.  Its CT-only total equals Table 2's neoadjuvant minus
        neoadjuvant HER2-targeted count, its regimen sizes add up to the group's
        neoadjuvant n (in both ``pcr.csv`` and Table 2), and its pCR counts to the count
        the group's pooled percentage implies.  Empty if no combination fits.
    """
    inp = _inputs()
    if hr_group not in inp.hr_groups:
        raise KeyError(f"{hr_group!r} is not an HR group of pcr.csv: {inp.hr_groups}")
    return _combinations_cached(str(data_dir()), hr_group).copy()


def hr_positive_combinations() -> pd.DataFrame:
    """:func:`hr_combinations` of HR+/HER2+: the three HR+ subgroups' CT-only sizes sum to Table 2's."""
    return hr_combinations(HRPOS)


def regimen_allocations(joint: bool = True) -> pd.DataFrame:
    """Every allocation of each ER/PR subgroup's neoadjuvant patients to the three regimens.

    A row ``(n_ct, n_t, n_tp, k_ct, k_t, k_tp)`` of a subgroup satisfies: the sizes add up
    to the subgroup's neoadjuvant n; the pCR counts add up to the count its pooled
    percentage implies; ``0 ≤ k ≤ n``; every regimen percentage printed for the subgroup is
    ``k/n`` rounded (with ``n ≥ 1``); and the CT-only size is at most the HR group's
    CT-only total from Table 2.  Regimens with no printed rate (CT only everywhere;
    trastuzumab + CT in ER-/PR+, which the paper does not report) are free, size 0 included.

    Parameters
    ----------
    joint
        If true (default), keep only the rows that are part of at least one full
        allocation of their HR group (:func:`hr_combinations`), i.e. the HR+ subgroups'
        CT-only sizes can sum to Table 2's total with the other subgroups' rows.  If false,
        every row satisfying the subgroup's own constraints.

    Returns
    -------
    pandas.DataFrame
        Columns ``allocation`` (a stable id), ``subgroup``, ``hr_group`` and
        :data:`ALLOCATION_COLUMNS`; one row per allocation.
    """
    local = _local()
    if joint:
        inp = _inputs()
        used = set()
        for g in inp.hr_groups:
            comb = hr_combinations(g)
            for s in _subgroups_of(inp, g):
                used.update(comb[s].tolist())
        local = local[local["allocation"].isin(used)]
    return local.reset_index(drop=True).copy()


def _distinct_totals(hr_group: str) -> np.ndarray:
    """The distinct group totals (:data:`ALLOCATION_COLUMNS`) over an HR group's combinations."""
    totals = hr_combinations(hr_group)[list(ALLOCATION_COLUMNS)].to_numpy().reshape(
        -1, len(ALLOCATION_COLUMNS))
    return np.unique(totals, axis=0)


def ct_only_pcr_range() -> pd.DataFrame:
    """The feasible range of each regimen's size and pCR count, per HR group and overall.

    Returns
    -------
    pandas.DataFrame
        One row per (``hr_group``, ``regimen``): ``n_min``, ``n_max``, ``pcr_min``,
        ``pcr_max`` (nullable integers, missing when nothing is feasible) and
        ``n_combinations`` (full allocations of the group).  The *All neoadjuvant* rows add
        the HR groups, whose allocations are independent of each other.  The CT-only
        ``pcr_min``/``pcr_max`` is the range of the CT-only pCR count the printed numbers
        leave open.
    """
    inp = _inputs()
    totals = {g: _distinct_totals(g) for g in inp.hr_groups}
    counts = {g: len(hr_combinations(g)) for g in inp.hr_groups}
    rows = []
    for g in (*inp.hr_groups, ALL_NEO):
        groups = inp.hr_groups if g == ALL_NEO else (g,)
        n_comb = int(np.prod([counts[h] for h in groups]))
        for j, reg in enumerate(REGIMENS):
            rec = {"hr_group": g, "regimen": reg, "n_min": pd.NA, "n_max": pd.NA,
                   "pcr_min": pd.NA, "pcr_max": pd.NA, "n_combinations": n_comb}
            if n_comb:
                # Independent groups: the overall extremes are sums of the groups' extremes.
                rec.update(n_min=sum(int(totals[h][:, j].min()) for h in groups),
                           n_max=sum(int(totals[h][:, j].max()) for h in groups),
                           pcr_min=sum(int(totals[h][:, 3 + j].min()) for h in groups),
                           pcr_max=sum(int(totals[h][:, 3 + j].max()) for h in groups))
            rows.append(rec)
    out = pd.DataFrame(rows)
    for c in ("n_min", "n_max", "pcr_min", "pcr_max"):
        out[c] = out[c].astype("Int64")
    return out


# --------------------------------------------------------------------------------------
# p-values of the regimen comparisons
# --------------------------------------------------------------------------------------

def _comparison_row(regimen: str, subgroup: str) -> dict:
    inp = _inputs()
    pcr = inp.pcr
    sel = np.flatnonzero((pcr["regimen"] == regimen) & (pcr["subgroup"] == subgroup))
    if len(sel) != 1:
        raise DataError(_pcr_path(), None, "regimen", f"{len(sel)} rows for {regimen!r} in "
                        f"{subgroup!r}, expected 1")
    r = pcr.iloc[sel[0]]
    return {"key": r["key"], "p": r["p"], "line": _line(pcr, int(sel[0]))}


def _printed_p(text: str, line: int | None) -> Reported | None:
    """The bound of a printed p such as ``all P values < 0.001``; None when none is printed."""
    if not text.strip():
        return None
    m = _P_TAIL.search(text)
    try:
        if not m:
            raise ParseError("no p-value at its end")
        return parse_p(m.group(0).strip())
    except ParseError as err:
        raise DataError(_pcr_path(), line, "p", f"{text!r} is not a readable p: {err}") from None


def _pvalues(tables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pearson χ² (no correction) and Fisher's exact p of each ``(k_a, n_a, k_b, n_b)``."""
    pear, fis = np.empty(len(tables)), np.empty(len(tables))
    for i, (ka, na, kb, nb) in enumerate(tables):
        t = np.array([[ka, na - ka], [kb, nb - kb]])
        # Both groups all pCR or all not: χ² is 0/0; no difference, so p = 1 (as Fisher gives).
        pear[i] = 1.0 if (t.sum(axis=0) == 0).any() else stats.chi2_contingency(
            t, correction=False).pvalue
        fis[i] = stats.fisher_exact(t).pvalue
    return pear, fis


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Every row of *a* next to every row of *b* (independent groups)."""
    if not len(a) or not len(b):
        return np.zeros((0, a.shape[1] + b.shape[1]), dtype=int)
    return np.column_stack([np.repeat(a, len(b), axis=0), np.tile(b, (len(a), 1))])


def _subgroup_regimen(subgroup: str, regimen: str) -> np.ndarray:
    """Distinct feasible (k, n) of one regimen in one subgroup."""
    al = regimen_allocations()
    al = al[al["subgroup"] == subgroup]
    j = REGIMENS.index(regimen)
    cols = [ALLOCATION_COLUMNS[3 + j], ALLOCATION_COLUMNS[j]]
    return np.unique(al[cols].to_numpy(), axis=0) if len(al) else np.zeros((0, 2), dtype=int)


def _pair_tables(sa: str, ra: str, sb: str, rb: str) -> np.ndarray:
    """Distinct feasible (k_a, n_a, k_b, n_b): regimen ra in subgroup sa vs rb in sb."""
    ja, jb = REGIMENS.index(ra), REGIMENS.index(rb)
    ca = [ALLOCATION_COLUMNS[3 + ja], ALLOCATION_COLUMNS[ja]]
    cb = [ALLOCATION_COLUMNS[3 + jb], ALLOCATION_COLUMNS[jb]]
    if sa == sb:
        al = regimen_allocations()
        al = al[al["subgroup"] == sa]
        tabs = np.column_stack([al[ca].to_numpy(), al[cb].to_numpy()])
    elif HR_OF_SUBGROUP[sa] == HR_OF_SUBGROUP[sb]:
        # Same HR group: the two subgroups' rows must come from one combination (CT total).
        comb = hr_combinations(HR_OF_SUBGROUP[sa])
        local = _local().set_index("allocation")
        tabs = np.column_stack([local.loc[comb[sa], ca].to_numpy(), local.loc[comb[sb], cb].to_numpy()])
    else:
        tabs = _cross(_subgroup_regimen(sa, ra), _subgroup_regimen(sb, rb))
    return np.unique(tabs.reshape(-1, 4), axis=0)


def _result(comparison: str, a: str, b: str, row: dict, tables: np.ndarray, note: str = "") -> dict:
    tables = tables.reshape(-1, 4)
    # A comparison needs patients in both groups; an allocation with an empty group is one
    # in which the paper could not have made it.
    testable = tables[(tables[:, 1] > 0) & (tables[:, 3] > 0)]
    rep = _printed_p(row["p"], row["line"])
    rec = {"comparison": comparison, "a": a, "b": b, "key": row["key"], "printed_p": row["p"],
           "n_tables": len(testable), "pearson_min": np.nan, "pearson_max": np.nan,
           "fisher_min": np.nan, "fisher_max": np.nan, "p_min": np.nan, "p_max": np.nan,
           "pearson_agrees": pd.NA, "fisher_agrees": pd.NA, "note": note}
    if not len(testable):
        rec["note"] = ("no feasible allocation: the printed numbers cannot all hold"
                       + (f"; {note}" if note else ""))
        return rec
    pear, fis = _pvalues(testable)
    rec.update(pearson_min=pear.min(), pearson_max=pear.max(), fisher_min=fis.min(),
               fisher_max=fis.max(), p_min=min(pear.min(), fis.min()),
               p_max=max(pear.max(), fis.max()))
    if rep is not None:
        # Whether some feasible table gives a p that the printed p could be a rounding of.
        rec["pearson_agrees"] = any(rep.contains(float(p)) for p in pear)
        rec["fisher_agrees"] = any(rep.contains(float(p)) for p in fis)
    return rec


def regimen_p_ranges() -> pd.DataFrame:
    """The p-values each printed regimen comparison can have, over every feasible allocation.

    Comparisons (each tested on the 2×2 table pCR yes/no × the two groups):

    * HER2-targeted therapy + CT vs CT only within each HR group (HER2 group: the group's
      neoadjuvant HER2-targeted patients with the pooled pCR count minus the CT-only one);
    * trastuzumab + pertuzumab + CT vs trastuzumab + CT overall;
    * HR+ vs HR- within trastuzumab + CT and within trastuzumab + pertuzumab + CT;
    * HER2-targeted therapy + CT vs CT only, and trastuzumab + pertuzumab + CT vs
      trastuzumab + CT, within each ER/PR subgroup;
    * ER+/PR+ vs each other ER/PR subgroup within each anti-HER2 regimen, as the text pairs
      them (rows of one regimen sharing one printed p).

    Returns
    -------
    pandas.DataFrame
        One row per comparison: ``comparison``, ``a``, ``b`` (the groups), ``key`` (of the
        ``pcr.csv`` row it comes from), ``printed_p`` (as printed; empty when none is),
        ``n_tables`` (distinct feasible tables with patients in both groups),
        ``pearson_min``/``pearson_max`` (χ² without correction), ``fisher_min``/
        ``fisher_max``, ``p_min``/``p_max`` (over both tests), ``pearson_agrees``/
        ``fisher_agrees`` (some feasible table gives a p the printed one can be a rounding
        of; missing when no p is printed) and ``note``.  A comparison with no feasible
        table has ``n_tables`` 0 and missing p's: the printed numbers cannot all hold.
    """
    inp = _inputs()
    rows = []
    for g in inp.hr_groups:
        comb = hr_combinations(g)[list(ALLOCATION_COLUMNS)].to_numpy()
        her2 = np.column_stack([comb[:, 4] + comb[:, 5], comb[:, 1] + comb[:, 2]])
        tabs = np.unique(np.column_stack([her2, comb[:, [3, 0]]]), axis=0)
        rows.append(_result(f"{_HER2_VS_CT}, {g}", f"HER2-targeted therapy + CT ({g})",
                            f"{CT} ({g})", _comparison_row(_HER2_VS_CT, g), tabs))

    per_hr = {g: _distinct_totals(g) for g in inp.hr_groups}
    full = per_hr[inp.hr_groups[0]]
    for g in inp.hr_groups[1:]:
        full = _cross(full, per_hr[g])
    width = len(ALLOCATION_COLUMNS)
    overall = sum(full[:, i * width:(i + 1) * width] for i in range(len(inp.hr_groups))) \
        if len(full) else np.zeros((0, width), dtype=int)
    tabs = overall[:, [3 + 2, 2, 3 + 1, 1]] if len(overall) else np.zeros((0, 4), dtype=int)
    rows.append(_result(f"{TP} vs {T}, all neoadjuvant", TP, T, _comparison_row(_TP_VS_T, _OVERALL),
                        np.unique(tabs, axis=0)))

    if len(inp.hr_groups) == 2:
        ga, gb = inp.hr_groups
        for j, reg in ((1, T), (2, TP)):
            tabs = _cross(np.unique(per_hr[ga][:, [3 + j, j]], axis=0),
                          np.unique(per_hr[gb][:, [3 + j, j]], axis=0))
            rows.append(_result(f"{ga} vs {gb} within {reg}", f"{reg} ({ga})", f"{reg} ({gb})",
                                _comparison_row(_HR_WITHIN, _HR_VS_HR), np.unique(tabs, axis=0)))

    row_her2_erpr = _comparison_row(_HER2_VS_CT, _ALL_ERPR)
    row_tp_erpr = _comparison_row(_TP_VS_T, _ALL_ERPR)
    al = regimen_allocations()
    for s in inp.subgroups:
        a = al[al["subgroup"] == s][list(ALLOCATION_COLUMNS)].to_numpy().reshape(-1, width)
        her2 = np.column_stack([a[:, 4] + a[:, 5], a[:, 1] + a[:, 2]])
        rows.append(_result(f"{_HER2_VS_CT}, {s}", f"HER2-targeted therapy + CT ({s})", f"{CT} ({s})",
                            row_her2_erpr, np.unique(np.column_stack([her2, a[:, [3, 0]]]), axis=0),
                            note="no p printed; the text calls every subgroup's difference significant"))
        rows.append(_result(f"{TP} vs {T}, {s}", f"{TP} ({s})", f"{T} ({s})", row_tp_erpr,
                            _pair_tables(s, TP, s, T)))

    # Within-regimen ER/PR comparisons: rows of one regimen with one printed p form one
    # sentence, which compares the reference subgroup with each other subgroup in it.
    pcr = inp.pcr
    for reg in (T, TP):
        sub = pcr[(pcr["regimen"] == reg) & pcr["subgroup"].isin(list(HR_OF_SUBGROUP))]
        for p_text, grp in sub.groupby("p", sort=False):
            ref = grp[grp["subgroup"] == REFERENCE_SUBGROUP]
            if len(ref) != 1:
                raise DataError(_pcr_path(), _line(pcr, int(grp.index[0])), "p",
                                f"{reg}: the rows printed with p {p_text!r} do not include "
                                f"exactly one {REFERENCE_SUBGROUP} row to compare with")
            for pos, r in grp[grp["subgroup"] != REFERENCE_SUBGROUP].iterrows():
                row = {"key": r["key"], "p": r["p"], "line": _line(pcr, int(pos))}
                rows.append(_result(f"{REFERENCE_SUBGROUP} vs {r['subgroup']} within {reg}",
                                    f"{reg} ({REFERENCE_SUBGROUP})", f"{reg} ({r['subgroup']})", row,
                                    _pair_tables(REFERENCE_SUBGROUP, reg, r["subgroup"], reg)))
    out = pd.DataFrame(rows)
    out["n_tables"] = out["n_tables"].astype(int)
    for c in ("pearson_agrees", "fisher_agrees"):
        out[c] = out[c].astype("boolean")
    return out


# --------------------------------------------------------------------------------------
# One allocation for the synthetic cohort
# --------------------------------------------------------------------------------------

def choose_allocation(seed: int) -> pd.DataFrame:
    """One feasible full allocation, chosen uniformly among the combinations with *seed*.

    Each HR group's combination (:func:`hr_combinations`) is drawn with
    ``numpy.random.default_rng(seed)``, so the HR+ subgroups' CT-only sizes add up to the
    Table 2 total.  The same seed gives the same allocation.

    Returns
    -------
    pandas.DataFrame
        One row per (``subgroup``, ``regimen``): ``hr_group``, ``n`` (patients) and
        ``pcr_count`` (patients with pCR).

    Raises
    ------
    ValueError
        If some HR group has no feasible allocation (there is nothing to choose).
    """
    inp = _inputs()
    rng = np.random.default_rng(seed)
    local = _local().set_index("allocation")
    rows = []
    for g in inp.hr_groups:
        comb = hr_combinations(g)
        if comb.empty:
            raise ValueError(f"{g}: no allocation of the neoadjuvant patients to regimens "
                             "agrees with every printed number")
        pick = comb.iloc[int(rng.integers(len(comb)))]
        for s in _subgroups_of(inp, g):
            r = local.loc[int(pick[s])]
            for j, reg in enumerate(REGIMENS):
                rows.append({"subgroup": s, "hr_group": g, "regimen": reg,
                             "n": int(r[ALLOCATION_COLUMNS[j]]),
                             "pcr_count": int(r[ALLOCATION_COLUMNS[3 + j]])})
    return pd.DataFrame(rows)
