"""Checks that apply to any source's standard files, a whole table at a time.

* every ``count (percent)`` cell against its group's n, and every variable's
  counts against that n (:func:`percent_findings`);
* every categorical variable's printed p against every test variant
  (:func:`table_p_findings`);
* every ratio with a CI: centre, implied p, CI against p (:func:`ratio_findings`);
* every continuous row with mean and SD in two groups: Student and Welch over the
  rounding box (:func:`continuous_findings`).

Source modules add what needs the source's own context (reconstructions,
cross-location comparisons, claims).
"""

from __future__ import annotations

import re

import pandas as pd

from ..contingency import table_pvalues
from ..data import data_dir, read_source_table
from ..findings import Finding, from_judgement
from ..judge import Judgement, judge_p
from ..percent import check_count_table
from ..ratios import check_ratio
from ..reported import parse_count
from ..twogroups import summary_t_tests

__all__ = ["slug", "percent_findings", "table_p_variants", "table_p_findings", "ratio_findings",
           "continuous_findings", "standard_findings", "stated_variants"]


def slug(*parts: str) -> str:
    """A stable, readable id fragment: ``slug("Table 1", "ECOG PS")`` → ``table-1.ecog-ps``."""
    out = []
    for p in parts:
        s = str(p).lower().replace("≥", "ge").replace("≤", "le").replace("<", "lt").replace(">", "gt")
        s = s.replace("+", "pos").replace("−", "neg").replace("%", "pct")
        out.append(re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x")
    return ".".join(out)


def _has(source: str, name: str) -> bool:
    return (data_dir() / source / name).exists()


def _group_sizes(source: str) -> dict[tuple[str, str], int]:
    groups = read_source_table(source, "groups.csv")
    return {(t, g): parse_count(n) for t, g, n in zip(groups["table"], groups["group"], groups["n"]) if n}


def percent_findings(source: str) -> list[Finding]:
    """Each variable of each table of counts: percentages against n, counts against n."""
    cat = read_source_table(source, "categorical.csv")
    sizes = _group_sizes(source)
    out = []
    for table, rows in cat.groupby("table", sort=False):
        groups = rows["group"].unique()
        missing_n = [g for g in groups if (table, g) not in sizes]
        if missing_n:
            raise KeyError(f"data/{source}/groups.csv has no n for {table!r}, group(s) {missing_n}")
        checks = check_count_table(rows, {g: sizes[(table, g)] for g in groups})
        for (variable, group), ch in checks.groupby(["variable", "group"], sort=False):
            for check, sub in ch.groupby("check", sort=False):
                bad = sub[~sub["consistent"]]
                loc = f"{table}, {variable} ({group})"
                fid = f"{source}:{slug(table, variable, group, check)}"
                n = sizes[(table, group)]
                if check == "percent-of-n":
                    reported = "; ".join(sub["reported"])
                    if bad.empty:
                        verdict, why = "consistent", (
                            f"Every percentage in this row reproduces from its count and n = {n}.")
                    else:
                        verdict, why = "inconsistent", " ".join(
                            f"{r.reported}: {r.detail}." for r in bad.itertuples())
                    recomputed = "; ".join(sub["recomputed"])
                else:
                    r = sub.iloc[0]
                    reported, recomputed = r["reported"], r["recomputed"]
                    verdict = "consistent" if r["consistent"] else "inconsistent"
                    why = (f"The categories add up to the group ({r['recomputed']})."
                           if r["consistent"] else f"{r['detail']} (group n = {n}); a category may be missing.")
                out.append(Finding(fid, source, loc, f"{variable}: {check.replace('-', ' ')}",
                                   reported, recomputed, check, verdict, why))
    return out


def stated_variants(test: str, variants: pd.DataFrame) -> list[str]:
    """The variant names a source's stated test text refers to (may be empty)."""
    t = test.lower()
    names = []
    for _, v in variants.iterrows():
        if ("chi" in t or "χ" in t or "pearson" in t) and v["test"] == "pearson":
            names.append(v)
        elif "fisher" in t and v["test"] in ("fisher", "fisher-mc"):
            names.append(v)
        elif "yates" in t and v["test"] == "yates":
            names.append(v)
    if "exclud" in t and any(variants["missing"] == "excluded"):
        names = [v for v in names if v["missing"] == "excluded"]
    # When the source does not say how it handled a missing row, both handlings
    # count as its stated test.
    return [v["variant"] for v in names]


def table_p_variants(source: str) -> pd.DataFrame:
    """Every categorical variable's printed p beside its p under every test variant.

    One row per (table, variable, variant): ``printed``, ``variant``, ``p`` and
    ``stated`` (whether the source names this variant as its test).
    """
    cat = read_source_table(source, "categorical.csv")
    rows_out = []
    for (table, variable), rows in cat.groupby(["table", "variable"], sort=False):
        ps = rows["p"].unique()
        if len(ps) != 1 or not ps[0]:
            continue  # no single printed p for this variable
        counts = rows.pivot_table(index="category", columns="group", values="count",
                                  aggfunc="first", sort=False).map(parse_count)
        variants = table_pvalues(counts)
        stated = set(stated_variants(rows["test"].iloc[0], variants))
        for v in variants.itertuples():
            rows_out.append(dict(table=table, variable=variable, printed=ps[0], variant=v.variant,
                                 p=v.p, stated=v.variant in stated))
    return pd.DataFrame(rows_out, columns=["table", "variable", "printed", "variant", "p", "stated"])


def table_p_findings(source: str) -> list[Finding]:
    """Each categorical variable's printed p against every test variant."""
    out = []
    for (table, variable), v in table_p_variants(source).groupby(["table", "variable"], sort=False):
        printed = v["printed"].iloc[0]
        judgement = judge_p(printed, dict(zip(v["variant"], v["p"])), list(v.loc[v["stated"], "variant"]))
        out.append(from_judgement(f"{source}:{slug(table, variable, 'p')}", source, f"{table}, {variable}",
                                  f"{variable}: p across groups", printed, "table-p", judgement))
    return out


def ratio_findings(source: str) -> list[Finding]:
    """Each ratio with a CI: is the estimate at the CI's log centre, and does the p follow?"""
    ratios = read_source_table(source, "ratios.csv")
    out = []
    for _, r in ratios.iterrows():
        if not (r["estimate"] and r["ci_low"] and r["ci_high"]):
            continue
        loc = r["location"]
        base = slug(loc, r["endpoint"], r["model"][:40], r["variable"])
        printed = f"{r['measure']} {r['estimate']} ({r['ci_low']}–{r['ci_high']})"
        p_test = "logrank" if "log-rank" in (r.get("note") or "").lower() else "wald"
        c = check_ratio(r["estimate"], r["ci_low"], r["ci_high"], r["p"] or None, p_test=p_test)
        context = ", ".join(x for x in (r["endpoint"], r["model"]) if x)
        what = f"{r['measure']}, {r['variable']}" + (f" ({context})" if context else "")
        centre = f"√(L·U) = {float(c.centre.low):.3f}–{float(c.centre.high):.3f}"
        out.append(Finding(
            f"{source}:{base}.centre", source, loc, what, printed, centre, "ratio-ci-centre",
            "consistent" if c.centre_consistent else "inconsistent",
            "The estimate sits at the centre of its CI on the log scale, as a Wald CI should."
            if c.centre_consistent else
            f"A Wald CI is symmetric on the log scale, so the estimate should be {centre}, "
            f"not {r['estimate']}: the estimate or a limit is misprinted, or the CI is not a Wald CI."))
        if c.p is None:
            continue
        verdict = "consistent" if c.p_consistent else "inconsistent"
        if c.ci_p_agree is False:
            verdict = "gross"
        why = {
            "consistent": f"The p implied by the CI ({c.implied_p_text}) matches the printed p = {r['p']}.",
            "inconsistent": f"The CI implies p = {c.implied_p_text}, not the printed {r['p']}; "
                            "both are on the same side of 0.05.",
            "gross": f"The CI {'excludes' if c.ci_excludes_one else 'includes'} 1 but the printed "
                     f"p = {r['p']} says the opposite (the CI implies p = {c.implied_p_text}).",
        }[verdict]
        out.append(Finding(f"{source}:{base}.p", source, loc, what, f"{printed}, p = {r['p']}",
                           f"p from CI = {c.implied_p_text}", "ratio-p-from-ci", verdict, why))
    return out


def continuous_findings(source: str) -> list[Finding]:
    """Two-group continuous rows with mean, SD and n: Student and Welch over the rounding box."""
    cont = read_source_table(source, "continuous.csv")
    out = []
    for (table, variable), rows in cont.groupby(["table", "variable"], sort=False):
        if len(rows) != 2 or not rows["p"].iloc[0]:
            continue
        a, b = rows.iloc[0], rows.iloc[1]
        loc = f"{table}, {variable}"
        fid = f"{source}:{slug(table, variable, 'p')}"
        if not all(x for x in (a["mean"], a["sd"], a["n"], b["mean"], b["sd"], b["n"])):
            what = "medians and ranges" if a["median"] else "summaries"
            out.append(Finding(fid, source, loc, f"{variable}: p across groups", a["p"], "",
                               "summary-t", "not-checkable",
                               f"The table prints {what} without the means, SDs and Ns a test "
                               f"needs; the stated test ({a['test'] or 'not stated'}) cannot be "
                               "recomputed from them."))
            continue
        tt = summary_t_tests(a["mean"], a["sd"], a["n"], b["mean"], b["sd"], b["n"])
        judgement = judge_p(a["p"], dict(zip(["Student's t", "Welch's t"], tt["p"])), [])
        if judgement.verdict in ("inconsistent", "gross"):
            # A t-test is our variant, not necessarily the source's: without the stated
            # test a flipped conclusion is not a proven error, so it stays 'inconsistent'.
            stated_t = "t-test" in a["test"].lower() or "t test" in a["test"].lower()
            verdict = judgement.verdict if stated_t else "inconsistent"
            judgement = Judgement(verdict, judgement.recomputed, judgement.explanation +
                                  f" The source states {a['test'] or 'no test'}; a rank test on the "
                                  "raw data may give its p, which means and SDs cannot reproduce.")
        out.append(from_judgement(fid, source, loc, f"{variable}: p across groups", a["p"],
                                  "summary-t", judgement))
    return out


def standard_findings(source: str) -> list[Finding]:
    """Every whole-table check whose input file the source has."""
    out: list[Finding] = []
    if _has(source, "categorical.csv") and _has(source, "groups.csv"):
        out += percent_findings(source)
        out += table_p_findings(source)
    if _has(source, "continuous.csv"):
        out += continuous_findings(source)
    if _has(source, "ratios.csv"):
        out += ratio_findings(source)
    return out
