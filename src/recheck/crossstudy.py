"""Across the studies: every HER2-low vs HER2-0 hazard ratio the book holds, on one orientation.

Nothing here is a new finding.  The module gathers what the chapters and the facts file
already hold, puts every hazard ratio the same way round — **HER2-low vs HER2-0, HR > 1 = worse
with HER2-low** — and lays out how the studies differ, so that a reader can see why the numbers
cannot simply be pooled.

Sources, all read from ``data/`` (no number is typed here; each is parsed from its printed
string with :func:`recheck.reported.parse_value`):

* Ozcan 2025, ``data/ozcan/ratios.csv``: Table 3, univariate, "HER2-zero vs. HER2-low" — printed
  the other way round, so it is inverted (HR ↦ 1/HR, the CI limits swap and invert);
* PALLAS, ``data/pallas/ratios.csv``: Table 2, HER2-low vs. HER2-0, unadjusted and adjusted, for
  IDFS, DRFS and OS;
* the two meta-analyses in ``data/facts/published-trials.csv`` (rows whose trial is
  ``HER2-low meta-analysis``);
* the two pooled HRs the Ozcan discussion quotes from its reference [28]
  (``data/ozcan/ratios.csv``, model ``quoted meta-analysis [28]``).  The facts file says they were
  not found in a published meta-analysis and may be in the other orientation, so each is given
  twice, once per possible orientation, and flagged ``orientation_uncertain``.

:func:`settings_table` describes each study (setting, design, endpoints, HER2 scoring, n,
treatment) from ``data/crossstudy/settings.csv`` (verbatim quotes with their file and location),
the group sizes in ``data/<source>/groups.csv`` and the facts file.  :func:`findings_summary`
counts every finding of every chapter by source and verdict.
"""

from __future__ import annotations

import csv
import re
from fractions import Fraction

import pandas as pd

from .data import DataError, data_dir, read_csv, read_source_table
from .findings import SOURCES, all_findings
from .reported import Reported, parse_estimate, parse_value
from .show import verdict_counts

__all__ = ["HR_COLUMNS", "SETTINGS_ASPECTS", "STUDIES", "hr_table", "settings_table",
           "settings_sources", "findings_summary", "facts_rows", "invert"]

HR_COLUMNS = ("study", "setting", "design", "endpoint", "population", "model", "hr", "ci_low",
              "ci_high", "printed", "orientation", "orientation_uncertain", "orientation_note",
              "source", "location")
"""Columns of :func:`hr_table`."""

STUDIES = ("Ozcan 2025", "PALLAS (Nader-Marta 2024)", "Guven & Sahin 2024",
           "Front Oncol 2024", "meta-analysis [28] quoted by Ozcan")
"""One row each in :func:`settings_table`, in this order."""

SETTINGS_ASPECTS = ("setting", "design", "endpoints", "her2_scoring", "n", "treatment")

NOT_REPORTED = "not reported"

# The facts file's meta-analysis rows, named by the start of their ``source`` cell.
_FACTS_STUDIES = {"Guven DC; Sahin TK.": "Guven & Sahin 2024", "Front Oncol 2024": "Front Oncol 2024"}
_QUOTED = "meta-analysis [28] quoted by Ozcan"
_FACTS_FILE = "facts/published-trials.csv"


# --- helpers ----------------------------------------------------------------------------------

def _num(text: str) -> Fraction:
    """The printed value of a number, exactly (e.g. ``"0.89"`` → 89/100)."""
    return parse_value(text).value


def _ci_text(lo: str, hi: str) -> str:
    return f"{lo}–{hi}"


def invert(estimate: Reported | str, low: Reported | str, high: Reported | str
           ) -> tuple[float, float, float]:
    """Turn an HR of A vs B into B vs A: HR ↦ 1/HR, and the CI limits swap and invert.

    >>> [round(x, 3) for x in invert("0.89", "0.62", "1.21")]
    [1.124, 0.826, 1.613]
    """
    e, lo, hi = (x.value if isinstance(x, Reported) else _num(x) for x in (estimate, low, high))
    return float(1 / e), float(1 / hi), float(1 / lo)


def facts_rows() -> list[tuple[int, dict[str, str]]]:
    """(1-based data-row number, row) of every row of the facts file."""
    path = data_dir() / _FACTS_FILE
    if not path.exists():
        raise DataError(path, None, None, "file not found")
    with path.open(newline="", encoding="utf-8") as fh:
        return list(enumerate(csv.DictReader(fh), start=1))


def _meta_facts() -> list[tuple[int, str, dict[str, str]]]:
    """(facts row number, study label, row) for each HER2-low vs HER2-0 meta-analysis row."""
    out = []
    for number, row in facts_rows():
        if row["trial"] != "HER2-low meta-analysis":
            continue
        label = next((lab for prefix, lab in _FACTS_STUDIES.items()
                      if row["source"].startswith(prefix)), None)
        if label is None:
            raise DataError(data_dir() / _FACTS_FILE, number + 1, "source",
                            f"unknown meta-analysis {row['source']!r}")
        out.append((number, label, row))
    return out


def _row(**kw) -> dict:
    return {c: kw.get(c, "") for c in HR_COLUMNS}


# --- the hazard ratios --------------------------------------------------------------------------

def hr_table() -> pd.DataFrame:
    """Every HER2-low vs HER2-0 hazard ratio the book holds, HR > 1 = worse with HER2-low.

    One row per (study, endpoint, model, orientation); ``hr``, ``ci_low`` and ``ci_high`` are
    floats in the HER2-low vs HER2-0 orientation, ``printed`` is the string as printed.
    The two HRs quoted in the Ozcan discussion appear twice each (``orientation_uncertain``).
    """
    rows: list[dict] = []

    # Ozcan 2025, Table 3 univariate: printed as HER2-zero vs HER2-low -> inverted.
    oz = read_source_table("ozcan", "ratios.csv")
    her2 = oz[(oz["variable"] == "HER2-zero vs. HER2-low") & (oz["model"] == "univariate")]
    if len(her2) != 1:
        raise DataError(oz.attrs["path"], None, "variable",
                        f"expected one univariate 'HER2-zero vs. HER2-low' row, found {len(her2)}")
    r = her2.iloc[0]
    hr, lo, hi = invert(r["estimate"], r["ci_low"], r["ci_high"])
    rows.append(_row(
        study="Ozcan 2025", setting="metastatic", design="retrospective", endpoint=r["endpoint"],
        population="all patients", model="unadjusted", hr=hr, ci_low=lo, ci_high=hi,
        printed=f"{r['estimate']} ({_ci_text(r['ci_low'], r['ci_high'])})",
        orientation="inverted from HER2-zero vs HER2-low", orientation_uncertain=False,
        orientation_note=("printed as HER2-zero vs. HER2-low; inverted: HR = 1/"
                          f"{r['estimate']}, CI = 1/{r['ci_high']} to 1/{r['ci_low']}"),
        source="data/ozcan/ratios.csv", location=f"{r['location']} (univariate Cox)"))

    # PALLAS, Table 2: HER2-low vs HER2-0, unadjusted and adjusted.
    pa = read_source_table("pallas", "ratios.csv")
    t2 = pa[(pa["location"] == "Table 2") & (pa["variable"] == "HER2-low vs. HER2-0")]
    if t2.empty:
        raise DataError(pa.attrs["path"], None, "variable", "no Table 2 HER2-low vs. HER2-0 rows")
    for _, r in t2.iterrows():
        model = "unadjusted" if r["model"] == "unadjusted" else "adjusted"
        est, lo, hi = (parse_value(r[c]) for c in ("estimate", "ci_low", "ci_high"))
        rows.append(_row(
            study="PALLAS (Nader-Marta 2024)", setting="early",
            design="randomised-trial secondary analysis",
            endpoint="iDFS" if r["endpoint"].upper() == "IDFS" else r["endpoint"],
            population="analysis cohort", model=model, hr=float(est.value), ci_low=float(lo.value),
            ci_high=float(hi.value), printed=f"{r['estimate']} ({_ci_text(r['ci_low'], r['ci_high'])})",
            orientation="as printed", orientation_uncertain=False,
            orientation_note="printed as HER2-low vs. HER2-0 (Table 2 title)",
            source="data/pallas/ratios.csv",
            location=r["location"] + ("" if model == "unadjusted" else ", adjusted (footnote a)")))

    # The meta-analyses in the facts file.
    for number, label, f in _meta_facts():
        est = parse_estimate(f["value"])
        lo, hi = est.ci
        population = "first line" if f["quantity"].lower().startswith("first-line") else "lines not stated"
        rows.append(_row(
            study=label, setting=NOT_REPORTED, design="meta-analysis", endpoint="PFS",
            population=population, model="pooled", hr=float(est.estimate.value),
            ci_low=float(lo.value), ci_high=float(hi.value), printed=f["value"],
            orientation="as printed", orientation_uncertain=False,
            orientation_note=("facts file: " + f["quantity"]
                              + (f"; {f['note']}" if "HR above 1" in f["note"] else "")),
            source=f"data/{_FACTS_FILE}", location=f"facts row {number}"))

    # The pooled HRs quoted in the Ozcan discussion: orientation uncertain, shown both ways.
    quoted = oz[oz["model"] == "quoted meta-analysis [28]"]
    for _, r in quoted.iterrows():
        population = "first line" if r["key"].endswith("first-line") else "later lines"
        printed = f"{r['estimate']} ({_ci_text(r['ci_low'], r['ci_high'])})"
        est, lo, hi = (parse_value(r[c]) for c in ("estimate", "ci_low", "ci_high"))
        common = dict(study=_QUOTED, setting=NOT_REPORTED, design="meta-analysis",
                      endpoint=r["endpoint"], population=population, model="pooled",
                      printed=printed, orientation_uncertain=True,
                      source="data/ozcan/ratios.csv", location=r["location"])
        rows.append(_row(
            **common, hr=float(est.value), ci_low=float(lo.value), ci_high=float(hi.value),
            orientation="uncertain: read as HER2-low vs HER2-0",
            orientation_note=("ORIENTATION UNCERTAIN. Read literally as HER2-low vs HER2-0; "
                              "the facts file found no published meta-analysis with this value "
                              "and says it may be the other orientation")))
        hr, ilo, ihi = invert(est, lo, hi)
        rows.append(_row(
            **common, hr=hr, ci_low=ilo, ci_high=ihi,
            orientation="uncertain: read as HER2-zero vs HER2-low, inverted",
            orientation_note=("ORIENTATION UNCERTAIN. Read as HER2-zero vs HER2-low (as "
                              "'advantage for HER2-zero' suggests for the first-line value) and "
                              f"inverted: 1/{r['estimate']}, CI 1/{r['ci_high']} to "
                              f"1/{r['ci_low']}")))
    out = pd.DataFrame(rows, columns=list(HR_COLUMNS))
    for c in ("hr", "ci_low", "ci_high"):
        out[c] = out[c].astype(float)
    out["orientation_uncertain"] = out["orientation_uncertain"].astype(bool)
    return out


# --- how the settings differ ----------------------------------------------------------------------

def _settings_csv() -> pd.DataFrame:
    return read_csv(data_dir() / "crossstudy" / "settings.csv",
                    {"study": None, "aspect": None, "value": None, "location": None,
                     "file": None, "quote": None, "note": None})


def _group_n(source: str, table: str, groups: tuple[str, ...]) -> dict[str, str]:
    g = read_source_table(source, "groups.csv")
    sub = g[g["table"] == table]
    out = {}
    for name in groups:
        hit = sub[sub["group"] == name]
        if hit.empty:
            raise DataError(g.attrs["path"], None, "group", f"no {table!r} row for {name!r}")
        out[name] = hit.iloc[0]["n"]
    return out


def settings_sources() -> pd.DataFrame:
    """Long form of :func:`settings_table`: study, aspect, value and where it comes from."""
    cells: list[tuple[str, str, str, str]] = []
    for _, r in _settings_csv().iterrows():
        cells.append((r["study"], r["aspect"], r["value"],
                      f"{r['file']}, {r['location']}: “{r['quote']}”"))

    # n, read from the group sizes as printed.
    oz = _group_n("ozcan", "Table 1", ("HER2-zero", "HER2-low"))
    oz_all = _group_n("ozcan", "cohort", ("all patients",))["all patients"]
    cells.append(("Ozcan 2025", "n",
                  f"{oz_all} ({oz['HER2-zero']} HER2-zero, {oz['HER2-low']} HER2-low)",
                  "data/ozcan/groups.csv (cohort; Table 1)"))
    pa = _group_n("pallas", "cohort", ("included in this analysis (HER2-0 + HER2-low)",
                                      "HER2 IHC 0 (HER2-0)", "HER2-low"))
    cells.append(("PALLAS (Nader-Marta 2024)", "n",
                  f"{pa['included in this analysis (HER2-0 + HER2-low)']} "
                  f"({pa['HER2 IHC 0 (HER2-0)']} HER2-0, {pa['HER2-low']} HER2-low)",
                  "data/pallas/groups.csv (cohort, Abstract, Results)"))

    # The facts-file meta-analyses.
    for number, label, f in _meta_facts():
        where = f"data/{_FACTS_FILE}, row {number}"
        first_line = f["quantity"].lower().startswith("first-line")
        treatment = (re.search(r"under (.+)$", f["quantity"]) or [None, None])[1]
        cells += [
            (label, "setting",
             "not reported (first-line therapy implies advanced disease)" if first_line
             else NOT_REPORTED, where),
            (label, "design", "meta-analysis", f"{where}: trial “{f['trial']}”"),
            (label, "endpoints", "PFS", f"{where}: “{f['quantity']}”"),
            (label, "her2_scoring", NOT_REPORTED + " (pooled over the included studies)", where),
            (label, "n", f["comparison"], where),
            (label, "treatment", treatment or (NOT_REPORTED + " (first line; agents not stated)"),
             f"{where}: “{f['quantity']}”"),
        ]

    # The meta-analysis the Ozcan discussion quotes.
    rep = read_source_table("ozcan", "reported.csv")
    n_studies = rep.loc[rep["id"] == "d3-n-studies"]
    if n_studies.empty:
        raise DataError(rep.attrs["path"], None, "id", "no row d3-n-studies")
    ns = n_studies.iloc[0]
    where = "data/ozcan/reported.csv, Discussion para 3"
    cells += [
        (_QUOTED, "setting", "not reported (first-line and later-line therapy imply advanced disease)",
         where),
        (_QUOTED, "design", "meta-analysis, not identified (facts file: not found in a published "
         "meta-analysis)", f"{where}; data/{_FACTS_FILE}"),
        (_QUOTED, "endpoints", "PFS (inferred from the paragraph's context, not printed)",
         "data/ozcan/ratios.csv, note"),
        (_QUOTED, "her2_scoring", NOT_REPORTED, where),
        (_QUOTED, "n", f"{ns['reported']} studies; patients not reported", f"{where}: “{ns['quote']}”"),
        (_QUOTED, "treatment", NOT_REPORTED, where),
    ]
    return pd.DataFrame(cells, columns=["study", "aspect", "value", "where"])


def settings_table(with_sources: bool = False) -> pd.DataFrame:
    """How the studies differ: one row per study (:data:`STUDIES`), one column per aspect.

    Aspects: setting, design, endpoints, HER2 scoring, n, treatment.  A cell the source does
    not print says "not reported".  With ``with_sources`` each cell ends with where it is from
    (the long form, with quotes, is :func:`settings_sources`).
    """
    long = settings_sources()
    if with_sources:
        long = long.assign(value=long["value"] + " [" + long["where"] + "]")
    wide = long.pivot(index="study", columns="aspect", values="value")
    wide = wide.reindex(index=list(STUDIES), columns=list(SETTINGS_ASPECTS)).fillna(NOT_REPORTED)
    wide.index.name = "study"
    wide.columns.name = None
    return wide.rename(columns={"her2_scoring": "HER2 scoring"})


# --- all chapters' findings ---------------------------------------------------------------------------

def findings_summary(findings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every finding of every chapter counted by source × verdict, sources in chapter order,
    with a ``total`` column and a ``total`` row."""
    df = all_findings() if findings is None else findings
    counts = verdict_counts(df)
    counts = counts.reindex([s for s in SOURCES if s in counts.index])
    counts["total"] = counts.sum(axis=1)
    counts.loc["total"] = counts.sum(axis=0)
    counts.index.name = "source"
    counts.columns.name = None
    return counts.astype(int)
