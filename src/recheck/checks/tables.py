"""A table's printed p under every variant of its test, as *recalc* does.

A paper says "Pearson's χ² or Fisher's exact test, as appropriate"; which one produced a
printed p is often not said, nor whether a *Missing* row was kept.  :func:`table_pvalues`
computes every reasonable variant (SciPy's ``chi2_contingency`` for Pearson, Yates and the
likelihood-ratio G; Fisher's exact test, exact beyond 2×2 too; and the extra rows the paper's
software prints beside them), :func:`judge_variants`
says which reproduce the printed p, and :func:`table_p_map` does both for a frame of tables.

:func:`findings` applies them to a paper:

* every variable of ``categorical.csv`` with one printed p, on the compared columns only
  (``paper.toml``: a table's ``groups``; its ``total`` column is left out), with the labels
  that mean *missing* (the standard ones and the table's ``missing``) tried both excluded and
  as a category; a non-exclusive variable's rows each as with/without a 2×2 table;
* every comparison of ``proportions.csv`` (rows sharing a ``comparison``; counts implied by
  the printed percentages where they are not printed), judged wherever its p is printed.

The stated test is the row's ``test``, else the table's, else ``[tests] categorical``.
"""

from __future__ import annotations

import re

from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..data import DataError
from ..exact import fisher_freeman_halton
from ..extract import _cell_number, mentions, split_keys
from ..judge import side_of_alpha
from ..paper import Paper
from ..render import fmt_p, fmt_range, register
from ..reported import Interval, parse_count, parse_p
from ._base import interval_bounds, slug, to_findings
from .percent import counts_for_percent, group_sizes

__all__ = ["MISSING_LABELS", "SOFTWARE_CONVENTIONS", "software_conventions", "table_pvalues", "stated_variants",
           "judge_variants", "table_p_map", "table_p_fields", "variant_table", "implied_counts", "findings"]

MISSING_LABELS = ("missing", "unknown", "not available", "n/a", "na", "not reported")

_TEST_NAMES = {"pearson": "Pearson χ²", "yates": "Pearson χ² with Yates' correction",
               "likelihood-ratio": "likelihood-ratio χ²", "fisher": "Fisher's exact test",
               "fisher-one-sided": "Fisher's exact test, one-sided (SPSS's “Exact Sig. (1-sided)”)",
               "linear-by-linear": "linear-by-linear association χ² (SPSS; SAS's “Mantel-Haenszel Chi-Square”)",
               "fisher-monte-carlo": "SPSS's Monte Carlo Fisher test (10,000 tables; its 99% range)"}

SOFTWARE_CONVENTIONS = {"spss": ("fisher-one-sided", "linear-by-linear", "fisher-monte-carlo"),
                        "sas": ("linear-by-linear",)}
"""The extra rows a package prints beside its tests of a table, which a paper may have copied.

SPSS's *Crosstabs* prints, for a 2×2 table, Fisher's two-sided **and** one-sided exact p, and for
every table a "Linear-by-Linear Association" χ² (the trend test on the categories' order,
(N − 1)·r²); SAS's PROC FREQ prints the same trend statistic as "Mantel-Haenszel Chi-Square".  A
printed p that reproduces only under one of these is judged ``variant``, naming it.

SPSS's Exact Tests module also offers Fisher's test beyond 2×2 by Monte Carlo (10,000 tables by
default, with a 99% confidence interval): its printed p is the exact p plus sampling error, so
``fisher-monte-carlo`` is the *range* p ± 2.576·√(p(1 − p)/10,000), and a printed p that falls
only in it is ``plausible``, not reproduced."""

_CONVENTION_TESTS = {t for conv in SOFTWARE_CONVENTIONS.values() for t in conv}

SPSS_MONTE_CARLO_TABLES = 10_000
"""SPSS's default number of Monte Carlo tables (Exact Tests: "Monte Carlo", 99% confidence)."""


def software_conventions(software: str) -> tuple[str, ...]:
    """The :data:`SOFTWARE_CONVENTIONS` of a paper's stated software (``"SPSS 27"``, ``"SAS 9.4"``).

    >>> software_conventions("IBM SPSS Statistics 27"), software_conventions("R 4.2")
    (('fisher-one-sided', 'linear-by-linear', 'fisher-monte-carlo'), ())
    """
    low = software.lower()
    return next((conv for name, conv in SOFTWARE_CONVENTIONS.items() if name in low), ())


def _one_sided_fisher(table: np.ndarray) -> float:
    """Fisher's one-sided p in the direction the table departs from independence (as SPSS)."""
    expected = table[0].sum() * table[:, 0].sum() / table.sum()
    side = "greater" if table[0, 0] >= expected else "less"
    return float(stats.fisher_exact(table, alternative=side).pvalue)


def _linear_by_linear(table: np.ndarray) -> tuple[float, float]:
    """The Mantel–Haenszel trend statistic M² = (N − 1) r² on row and column scores 1, 2, …"""
    rows, cols = np.indices(table.shape)
    counts = table.ravel()
    r = np.corrcoef(np.repeat(rows.ravel(), counts), np.repeat(cols.ravel(), counts))[0, 1]
    m2 = (table.sum() - 1) * r * r
    return float(m2), float(stats.chi2.sf(m2, 1))


MISSING_PATTERN = re.compile(r"[tnm]x|grade x|gx|g x")
"""Labels that mean *not assessable*, hence unknown: TNM's Tx, Nx and Mx, and Grade X."""


def _is_missing(label: str, extra: Iterable[str]) -> bool:
    """Whether a category label means *missing/unknown* (the standard labels, TNM's ``Tx``/``Nx``/``Mx``
    and ``Grade X``, or the table's own).

    >>> [_is_missing(x, ()) for x in ("Unknown", "Tx", "Nx", "Grade X", "T1", "Male/Missing")]
    [True, True, True, True, False, False]
    """
    lab = str(label).strip().lower()
    return lab in MISSING_LABELS or MISSING_PATTERN.fullmatch(lab) is not None or lab in {e.lower() for e in extra}


def table_pvalues(counts: pd.DataFrame | np.ndarray | Sequence[Sequence[int]], *,
                  missing: Iterable[str] = (), conventions: Iterable[str] = ()) -> pd.DataFrame:
    """p-values of every reasonable test of independence on a table of counts.

    Rows are categories, columns groups; a DataFrame's index labels find the missing rows.
    Returns one row per variant: ``test``, ``missing`` (``excluded`` or ``as a category``),
    ``statistic``, ``dof``, ``p`` and ``variant`` (a readable name).  Rows or columns that are
    all zero are dropped before testing.

    Fisher's test is exact for every table with two rows or two columns
    (:func:`recheck.exact.fisher_freeman_halton` beyond 2×2); a larger table gets no Fisher row,
    never a Monte Carlo one.  *conventions* adds the rows a package prints beside these
    (:data:`SOFTWARE_CONVENTIONS`): ``fisher-one-sided`` (2×2 only), ``linear-by-linear``
    (tables of more than two categories) and ``fisher-monte-carlo`` (beyond 2×2; a range).
    ``p_low``/``p_high`` are the range of a variant that is one (``p`` itself otherwise).

    >>> table_pvalues([[12, 5], [3, 10]]).set_index("test")["p"].round(4).to_dict()
    {'pearson': 0.0099, 'yates': 0.0271, 'likelihood-ratio': 0.0084, 'fisher': 0.0253}
    >>> v = table_pvalues([[66, 83], [34, 29]], conventions=["fisher-one-sided"])
    >>> round(float(v.set_index("test").loc["fisher-one-sided", "p"]), 4)
    0.1274
    """
    df = counts if isinstance(counts, pd.DataFrame) else pd.DataFrame(np.asarray(counts))
    df = df.astype(int)
    extra = list(missing)
    conventions = set(conventions)
    unknown = conventions - set(_TEST_NAMES)
    if unknown:
        raise ValueError(f"unknown convention(s) {sorted(unknown)}; known: {sorted(_TEST_NAMES)}")
    has_missing = any(_is_missing(i, extra) for i in df.index)
    versions = [("as a category", df)]
    if has_missing:
        versions.insert(0, ("excluded", df.loc[[not _is_missing(i, extra) for i in df.index]]))
    rows = []
    for handling, sub in versions:
        table = sub.to_numpy()
        table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
        if table.shape[0] < 2 or table.shape[1] < 2:
            continue
        is_2x2 = table.shape == (2, 2)
        chi = stats.chi2_contingency(table, correction=False)
        rows.append(("pearson", handling, chi.statistic, chi.dof, chi.pvalue))
        if is_2x2:
            yates = stats.chi2_contingency(table, correction=True)
            rows.append(("yates", handling, yates.statistic, yates.dof, yates.pvalue))
        g = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
        rows.append(("likelihood-ratio", handling, g.statistic, g.dof, g.pvalue))
        if is_2x2:
            rows.append(("fisher", handling, np.nan, np.nan, stats.fisher_exact(table).pvalue))
            if "fisher-one-sided" in conventions:
                rows.append(("fisher-one-sided", handling, np.nan, np.nan, _one_sided_fisher(table)))
        elif 2 in table.shape:
            p_exact = fisher_freeman_halton(table)
            rows.append(("fisher", handling, np.nan, np.nan, p_exact))
            if "fisher-monte-carlo" in conventions:
                half = 2.576 * np.sqrt(p_exact * (1 - p_exact) / SPSS_MONTE_CARLO_TABLES)
                rows.append(("fisher-monte-carlo", handling, np.nan, np.nan, p_exact,
                             max(0.0, p_exact - half), min(1.0, p_exact + half)))
        if "linear-by-linear" in conventions and table.shape[0] > 2:
            m2, p_trend = _linear_by_linear(table)
            rows.append(("linear-by-linear", handling, m2, 1, p_trend))
    rows = [r if len(r) == 7 else (*r, r[4], r[4]) for r in rows]
    out = pd.DataFrame(rows, columns=["test", "missing", "statistic", "dof", "p", "p_low", "p_high"])
    out["variant"] = [_TEST_NAMES[t] + ((", missing excluded" if m == "excluded" else
                                         ", missing as a category") if has_missing else "")
                      for t, m in zip(out["test"], out["missing"])]
    return out


def stated_variants(test: str, variants: pd.DataFrame) -> list[str]:
    """The variants a stated test names (``"chi-square test or Fisher's exact test"``).

    A source that does not say how it handled a missing row names both handlings.

    >>> stated_variants("Pearson chi-squared", table_pvalues([[12, 5], [3, 10]]))
    ['Pearson χ²']
    """
    t = test.lower()
    names = []
    for _, v in variants.iterrows():
        if ("chi" in t or "χ" in t or "pearson" in t) and v["test"] == "pearson":
            names.append(v)
        elif "fisher" in t and v["test"] == "fisher":
            names.append(v)
        elif "yates" in t and v["test"] == "yates":
            names.append(v)
    if "exclud" in t and any(variants["missing"] == "excluded"):
        names = [v for v in names if v["missing"] == "excluded"]
    return [v["variant"] for v in names]


def _as_interval(x) -> Interval:
    return x if isinstance(x, Interval) else Interval.point(x)


def judge_variants(printed: str, recomputed: Mapping[str, float | Interval], stated: Sequence[str] = (),
                   *, alpha: float = 0.05, approximate: Iterable[str] = (), extra: Iterable[str] = ()) -> dict:
    """Which variants reproduce a printed p, and the verdict that follows.

    *extra* variants (the rows a package prints beside its tests) count only when they reproduce
    the printed p: they are never the "closest" a flag names, nor part of the range it reports.

    ``consistent``: a stated variant (any, if none is stated) reproduces it; ``variant``: only
    an unstated one does; ``plausible``: only an *approximate* variant (the range a Monte Carlo
    estimate could print) admits it; ``gross``: none does, and the printed p and every stated variant lie
    on opposite sides of α (statcheck's rule); ``inconsistent``: none does otherwise.

    Returns ``verdict``, ``matching`` (variants that reproduce it), ``which`` (the one named),
    ``closest``, ``printed_side``, ``same_side`` (the conclusion at α is the same under every
    stated variant) and ``low``/``high`` (the range over the stated variants).

    >>> judge_variants("0.04", {"Pearson χ²": 0.041, "Fisher's exact test": 0.06}, ["Pearson χ²"])["verdict"]
    'consistent'
    """
    rep = parse_p(printed)
    ivs = {name: _as_interval(p) for name, p in recomputed.items()}
    unknown = [s for s in stated if s not in ivs]
    if unknown:
        raise KeyError(f"stated variant(s) {unknown} not among {list(ivs)}")
    matching = [name for name, iv in ivs.items() if iv.overlaps(rep.interval)]
    ranges, extras = set(approximate), set(extra)
    exact_match = [m for m in matching if m not in ranges]
    primary = [v for v in (list(stated) or list(ivs)) if v not in ranges | extras] or list(stated) or list(ivs)
    stated_match = [m for m in exact_match if m in primary]
    side = side_of_alpha(rep.interval, alpha)
    lows = [float(ivs[v].low) for v in primary]
    highs = [float(ivs[v].high) for v in primary]
    closest = min((nm for nm in ivs if nm not in ranges | extras) or ivs,
                  key=lambda nm: abs(float(ivs[nm].low) - float(rep.value)))
    flipped = side is not None and all(side_of_alpha(ivs[v], alpha) not in (None, side) for v in primary)
    same = side is not None and all(side_of_alpha(ivs[v], alpha) == side for v in primary)
    if stated_match:
        verdict, which = "consistent", stated_match[0]
    elif exact_match:
        verdict, which = "variant", exact_match[0]
    elif matching:
        verdict, which = "plausible", matching[0]
    else:
        verdict, which = ("gross" if flipped else "inconsistent"), closest
    return dict(verdict=verdict, matching=matching, which=which, closest=closest, printed_side=side,
                same_side=same, low=min(lows), high=max(highs), rep=rep)


def table_p_map(tables: Sequence[Mapping], *, alpha: float = 0.05) -> pd.DataFrame:
    """Judge every table of *tables*: mappings with ``counts`` (a DataFrame, categories ×
    groups), ``printed`` (the p as printed), ``stated`` (the stated test's text) and
    ``missing`` (extra labels meaning missing) and optionally ``conventions`` (of the paper's
    software, :func:`software_conventions`); other keys are kept as columns.

    Adds ``variants`` (variant → p), ``stated_variants``, the verdict fields of
    :func:`judge_variants`, ``reported_low/high``, ``recomputed_low/high`` and ``sharpness``
    (the width of the printed p's interval: the share of [0, 1] it accepts).
    """
    rows = []
    for t in tables:
        variants = table_pvalues(t["counts"], missing=t.get("missing", ()), conventions=t.get("conventions", ()))
        rec = {name: (Interval.hull([lo, hi]) if lo < hi else p)
               for name, p, lo, hi in zip(variants["variant"], variants["p"], variants["p_low"], variants["p_high"])}
        stated = stated_variants(t.get("stated", ""), variants)
        approximate = variants.loc[variants["test"] == "fisher-monte-carlo", "variant"]
        extra = variants.loc[variants["test"].isin(_CONVENTION_TESTS), "variant"]
        j = judge_variants(t["printed"], rec, stated, alpha=alpha, approximate=approximate, extra=extra)
        lo, hi = interval_bounds(j["rep"].interval)
        rows.append({**t, "variants": rec, "stated_variants": stated, **j, "reported_low": lo,
                     "reported_high": hi, "recomputed_low": j["low"], "recomputed_high": j["high"],
                     "accept_low": lo, "accept_high": hi, "sharpness": hi - lo})
    return pd.DataFrame(rows)


# --- sentences -----------------------------------------------------------------------------

register("table-p", recomputed="{variants_text}",
         consistent="The printed {printed_text} reproduces with {which} (recomputed {which_p}).{note}",
         variant="The printed {printed_text} does not reproduce with the stated {stated_text}, but "
                 "does with {which} (recomputed {which_p}).{note}",
         plausible="The printed {printed_text} agrees with {which} (recomputed {which_p}), but a "
                   "printed bound this wide admits {sharpness:pct} of all p-values, so it confirms "
                   "little.{note}",
         inconsistent="No test variant reproduces the printed {printed_text}; the closest is "
                      "{closest} ({closest_p}). {conclusion}{note}",
         gross="The printed {printed_text} is {printed_side} at {alpha}, but {closest} gives "
               "{closest_p}, which is not; no test variant reproduces the printed value.{note}")

register("table-p:range",
         plausible="No exact test reproduces the printed {printed_text} (the closest is {closest}, "
                   "{closest_p}); it lies within {which}, {which_p}, so it may be that estimate. "
                   "Whether the paper used it cannot be decided from the printed table.{note}")

_CONCLUSION = {True: "The conclusion at {alpha} does not change.",
               False: "Whether the conclusion at {alpha} changes cannot be decided from the rounded inputs."}


def _p_text(p: float | Interval) -> str:
    return fmt_range(float(p.low), float(p.high), fmt_p) if isinstance(p, Interval) else fmt_p(p)


def table_p_fields(r, paper: Paper) -> dict:
    """The finding fields of one :func:`table_p_map` row (verdict, template fields, numbers)."""
    rep = r["rep"]
    is_range = r["verdict"] == "plausible" and r["which"] not in r["stated_variants"] and isinstance(
        r["variants"][r["which"]], Interval)
    return dict(check="table-p", verdict=r["verdict"], alpha=paper.alpha, template="range" if is_range else "",
                same_conclusion=bool(r["same_side"]),
                printed_text=f"p {rep.relation} {rep.numeral}",
                variants_text="; ".join(f"{k}: {_p_text(v)}" for k, v in r["variants"].items()),
                which=r["which"], which_p=_p_text(r["variants"][r["which"]]),
                closest=r["closest"], closest_p=_p_text(r["variants"][r["closest"]]),
                stated_text=" or ".join(r["stated_variants"]) or "test",
                printed_side=r["printed_side"] or "",
                conclusion=_CONCLUSION[bool(r["same_side"])].format(alpha=paper.alpha),
                reported_low=r["reported_low"], reported_high=r["reported_high"],
                recomputed_low=r["recomputed_low"], recomputed_high=r["recomputed_high"],
                accept_low=r["accept_low"], accept_high=r["accept_high"], sharpness=r["sharpness"])


# --- a paper's tables ----------------------------------------------------------------------

def _stated(paper: Paper, table: str, row_test: str) -> str:
    return row_test or paper.table(table).test or paper.tests.get("categorical", "")


def _categorical_tables(paper: Paper) -> list[dict]:
    cat = paper.read("categorical.csv")
    sizes = group_sizes(paper)
    out = []
    for (table, variable), rows in cat.groupby(["table", "variable"], sort=False):
        spec = paper.table(table)
        rows = rows[rows["group"].isin(spec.groups)] if spec.groups else rows[rows["group"] != spec.total]
        stated = _stated(paper, table, rows["test"].iloc[0])
        base = dict(table=table, variable=variable, stated=stated, missing=spec.missing,
                    note=" Tested on the compared columns only (the total column is their sum)."
                    if spec.total else "")
        if variable in spec.non_exclusive:
            for category, r in rows.groupby("category", sort=False):
                if not r["p"].iloc[0]:
                    continue
                k = {g: parse_count(c) for g, c in zip(r["group"], r["count"])}
                n = {g: sizes[(table, g)] for g in k}
                counts = pd.DataFrame({g: [k[g], n[g] - k[g]] for g in k}, index=["yes", "no"])
                out.append({**base, "category": category, "counts": counts, "printed": r["p"].iloc[0],
                            "slug": slug(table, variable, category, "p"),
                            "location": f"{table}, {variable}: {category}",
                            "quantity": f"{category}: p across groups",
                            "note": base["note"] + " Tested as " + " vs ".join(
                                f"{k[g]}/{n[g]}" for g in k) + " with versus without this category."})
            continue
        ps = [p for p in rows["p"].unique() if p]
        if len(set(rows["p"])) != 1 or not ps:
            continue  # no single printed p for this variable
        counts = rows.pivot_table(index="category", columns="group", values="count", aggfunc="first",
                                  sort=False).map(parse_count)
        out.append({**base, "counts": counts, "printed": ps[0], "slug": slug(table, variable, "p"),
                    "location": f"{table}, {variable}", "quantity": f"{variable}: p across groups"})
    return out


def implied_counts(paper: Paper, key: str, percent: str, n: int) -> list[int]:
    """The counts every printing of a percentage allows (a printing no count can give is a typo
    and is set aside; the others must agree)."""
    m = mentions(paper)
    printed = list(m[(m["key"] == key) & (m["component"] == "percent")]["printed"]) or [percent]
    sets = [set(counts_for_percent(t.rstrip("%") + "%", n)) for t in printed]
    usable = [s for s in sets if s]
    return sorted(set.intersection(*usable)) if usable else []


def _proportion_tables(paper: Paper) -> list[dict]:
    if not paper.has("proportions.csv"):
        return []
    df = paper.read("proportions.csv", {"comparison": None, "group": None, "n": "count", "count": "count",
                                        "percent": "value", "p": None, "location": None, "key": None})
    path = paper.path("proportions.csv")
    m = mentions(paper)
    out = []
    comparisons: dict[str, list] = {}
    for line, (_, r) in zip(df.attrs["lines"], df.iterrows()):
        for c in r["comparison"].split(";"):
            comparisons.setdefault(c.strip(), []).append((line, r))
    for comp, rows in comparisons.items():
        ks, ns, labels = [], [], []
        for line, r in rows:
            n = parse_count(r["n"])
            if r["count"]:
                k = parse_count(r["count"])
            else:
                key = next((k for col, k in split_keys(r["key"]) if col in (None, "percent")), "")
                allowed = implied_counts(paper, key, r["percent"], n) if key else counts_for_percent(r["percent"] + "%", n)
                if len(allowed) != 1:
                    raise DataError(path, line, "percent", f"{r['percent']}% of {n} allows counts {allowed}: "
                                    "the table behind the comparison's p cannot be fixed")
                k = allowed[0]
            ks.append(k)
            ns.append(n)
            labels.append(r["group"])
        counts = pd.DataFrame({g: [k, n - k] for g, k, n in zip(labels, ks, ns)}, index=["yes", "no"])
        table_text = "; ".join(f"{g}: {k}/{n}" for g, k, n in zip(labels, ks, ns))
        p_keys = {k for _, r in rows for col, k in split_keys(r["key"]) if col == "p"}
        printed_at = []
        for pk in p_keys:
            hit = m[(m["key"] == pk) & (m["component"] == "p")].drop_duplicates(["location", "printed"])
            printed_at += list(zip(hit["location"], hit["printed"]))
        if not p_keys:
            ps = [(r["location"], r["p"]) for _, r in rows if r["p"]]
            printed_at = list(dict.fromkeys(ps))
        shared = sum(1 for c2, rows2 in comparisons.items()
                     if any((r2["location"], r2["p"]) in printed_at for _, r2 in rows2))
        stated = paper.tests.get("proportions", paper.tests.get("categorical", ""))
        for loc, printed in printed_at:
            p_text = _cell_number(printed, "p")
            note = " The counts are those the printed percentages allow." if any(not r["count"] for _, r in rows) else ""
            if shared > 1:
                note += f" The paper prints one “{printed}” for {shared} comparisons; this is one of them."
            out.append(dict(table=comp, variable=comp, counts=counts, printed=p_text, stated=stated,
                            missing=(), slug=slug(comp, "p", loc) if len(printed_at) > 1 else slug(comp, "p"),
                            location=loc,
                            quantity=f"{comp}: p, {' vs '.join(labels)} ({table_text})",
                            note=note, shown=printed, issue=f"{paper.id}:{comp}:p"))
    return out


def _paper_tables(paper: Paper) -> list[dict]:
    """Every table of counts with a printed p, carrying the conventions of the paper's software."""
    tables = (_categorical_tables(paper) if paper.has("categorical.csv") and paper.has("groups.csv") else [])
    conventions = software_conventions(paper.software)
    return [{**t, "conventions": conventions} for t in tables + _proportion_tables(paper)]


def variant_table(paper: Paper) -> pd.DataFrame:
    """Every printed p of a table of counts beside its p under every variant, one row per variant.

    Columns: ``slug`` (the finding's), ``table``, ``variable``, ``printed``, ``missing_labels``
    (the categories read as missing, ``; ``-separated), ``test`` (``pearson``, ``yates``,
    ``likelihood-ratio``, ``fisher``…), ``missing`` (``excluded`` or ``as a category``),
    ``variant``, ``p`` and ``stated`` (the stated test names it).
    """
    rows = []
    for t in _paper_tables(paper):
        v = table_pvalues(t["counts"], missing=t.get("missing", ()), conventions=t.get("conventions", ()))
        stated = set(stated_variants(t.get("stated", ""), v))
        labels = "; ".join(c for c in t["counts"].index if _is_missing(c, t.get("missing", ())))
        for r in v.to_dict("records"):
            rows.append(dict(slug=t["slug"], table=t["table"], variable=t["variable"], printed=t["printed"],
                             missing_labels=labels, test=r["test"], missing=r["missing"], variant=r["variant"],
                             p=r["p"], stated=r["variant"] in stated))
    return pd.DataFrame(rows, columns=["slug", "table", "variable", "printed", "missing_labels", "test", "missing",
                                       "variant", "p", "stated"])


def findings(paper: Paper) -> list:
    """Every printed p of a table of counts, against every variant of its test."""
    frame = table_p_map(_paper_tables(paper), alpha=paper.alpha)
    rows = []
    for r in frame.to_dict("records"):
        f = table_p_fields(r, paper)
        shown = r.get("shown")
        f.update(slug=r["slug"], location=r["location"], quantity=r["quantity"],
                 reported=shown if isinstance(shown, str) else r["printed"],
                 note=r["note"], issue=r["issue"] if isinstance(r.get("issue"), str) else "")
        rows.append(f)
    return to_findings(paper.id, rows)
