"""Write the inputs R needs to recompute the engine's statistics independently.

Run from the repository root::

    python tools/r-reference/inputs.py && Rscript tools/r-reference/reference.R

Every file goes to ``tests/fixtures/r-reference/inputs/`` as plain CSV with deterministic bytes
(UTF-8, ``\\n`` line ends, first line a ``#`` comment saying what the file is).  The inputs are
taken *from the engine*: the count tables exactly as :mod:`recheck.checks.tables` builds them, the
summary statistics and ratios the engine checks with the rounding bounds it reads from them, the
patient selections of the reconstructed cohorts its survival analyses use, and a few replicates of
its survival simulation.  ``tests/test_r_reference.py`` rebuilds them in memory with
:func:`input_files` and refuses a committed fixture that differs.

The reconstructed cohorts are *referenced* (path and SHA-256), not copied: they are large, and the
test fails with "regenerate the R fixture" when a cohort file changes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "r-reference"
INPUTS = FIXTURE / "inputs"
REGENERATE = "python tools/r-reference/inputs.py && Rscript tools/r-reference/reference.R"

if str(ROOT / "src") not in sys.path:  # run as a script without the package installed
    sys.path.insert(0, str(ROOT / "src"))

from recheck.checks import claims as claims_family
from recheck.checks import tables as tables_family
from recheck.checks._base import slug
from recheck.checks.ratios import ratio_map
from recheck.checks.survival import _selected, comparisons, follow_up_window
from recheck.checks.twogroups import summary_t_map
from recheck.extract import printed
from recheck.paper import Paper, registry
from recheck.reconstruct import RECONSTRUCTED, _endpoint_arrays
from recheck.reported import parse_count, parse_value
from recheck.survival import GroupSummary, simulate_group

SYNTHETIC = "SYNTHETIC data reconstructed from published aggregates (not patient records)"
FLAG_VALUES = ("True", "true", "1", "Yes")
"""Cell values :func:`recheck.reconstruct.fit_table` reads as *true* in a population column."""
NOT_EMPTY = "<not empty>"
"""The ``value`` of a filter row whose ``op`` is ``not_empty``."""
SIM_REPS = 3
"""Replicates exported per simulated comparison: enough to exercise the vectorised code."""


# --- small helpers ---------------------------------------------------------------------------

def _number(x: float) -> str:
    """A float as the shortest text that reads back as the same double (``inf`` spelled out)."""
    x = float(x)
    if np.isnan(x):
        return ""
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


def _csv(frame: pd.DataFrame, comment: str) -> str:
    """*frame* as CSV text after one ``#`` comment line (no index, ``\\n`` line ends)."""
    out = io.StringIO()
    out.write(f"# {comment}\n")
    frame.to_csv(out, index=False, lineterminator="\n")
    return out.getvalue()


def _unique(ids: list[str]) -> list[str]:
    """Make ids unique by suffixing ``~2``, ``~3`` … in order (ids of one source can repeat)."""
    seen: dict[str, int] = {}
    out = []
    for i in ids:
        seen[i] = seen.get(i, 0) + 1
        out.append(i if seen[i] == 1 else f"{i}~{seen[i]}")
    return out


def papers() -> list[Paper]:
    """The registered papers, in registry order."""
    return list(registry())


def sha256(path: Path) -> str:
    """SHA-256 of a cohort's rows: its bytes after the ``#`` notice, whose provenance digest changes
    with any edit of the code that made it even when the rows stay the same."""
    data = path.read_bytes()
    if data.startswith(b"#"):
        data = data.split(b"\n", 1)[1]
    return hashlib.sha256(data).hexdigest()


# --- 1. tables of counts -----------------------------------------------------------------------

@dataclass(frozen=True)
class TableCase:
    """One table of counts the engine tests, under one handling of its *missing* rows."""

    case: str
    paper: str
    source: str
    """``categorical``, ``proportions`` (:func:`recheck.checks.tables.findings`) or ``claims``."""
    counts: pd.DataFrame
    """Categories × groups, as the engine built it (before the missing rows are set aside)."""
    missing: tuple[str, ...]
    """Extra labels the table declares as *missing*."""
    handling: str
    """``excluded`` or ``as a category``, as in :func:`recheck.checks.tables.table_pvalues`."""

    def tested(self) -> pd.DataFrame:
        """The counts under this handling (missing rows dropped when ``excluded``); rows and
        columns that are all zero are kept: dropping them is part of what R is asked to do."""
        if self.handling == "excluded":
            keep = [not tables_family._is_missing(i, self.missing) for i in self.counts.index]
            return self.counts.loc[keep]
        return self.counts


def _claim_tables(paper: Paper) -> list[dict]:
    """The 2×2 tables of the ``proportions:`` evidence of ``claims.csv`` (Pearson's χ² p)."""
    if not paper.has("claims.csv"):
        return []
    out = []
    for r in paper.read("claims.csv").to_dict("records"):
        for ref in filter(None, (x.strip() for x in r["rests_on"].split(";"))):
            kind, _, arg = ref.partition(":")
            if kind != "proportions":
                continue
            keys = arg.split(",")
            (k1, n1, _), (k2, n2, _) = claims_family._proportions(paper, keys)
            counts = pd.DataFrame({keys[0]: [k1, n1 - k1], keys[1]: [k2, n2 - k2]}, index=["yes", "no"])
            out.append(dict(slug=slug("claim", r["id"]), counts=counts, missing=()))
    return out


@functools.cache  # built once per process (the test reuses them)
def table_cases() -> list[TableCase]:
    """Every table of counts the engine tests for a printed p (each distinct table once), under
    each handling of its missing rows that :func:`~recheck.checks.tables.table_pvalues` tries."""
    cases: list[TableCase] = []
    for paper in papers():
        built = []
        if paper.has("categorical.csv") and paper.has("groups.csv"):
            built += [("categorical", t) for t in tables_family._categorical_tables(paper)]
        built += [("proportions", t) for t in tables_family._proportion_tables(paper)]
        built += [("claims", t) for t in _claim_tables(paper)]
        seen: set[tuple] = set()
        for source, t in built:
            counts = t["counts"].astype(int)
            missing = tuple(t.get("missing", ()))
            # a comparison printed in several places is one table (proportions: one per place)
            name = slug(t["table"]) if source == "proportions" else t["slug"]
            fingerprint = (source, name, counts.to_csv())
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            has_missing = any(tables_family._is_missing(i, missing) for i in counts.index)
            for handling in (("excluded", "as a category") if has_missing else ("as a category",)):
                cases.append(TableCase(f"{paper.id}:{source}:{name}" + (":excl" if handling == "excluded" else ""),
                                       paper.id, source, counts, missing, handling))
    ids = _unique([c.case for c in cases])
    return [TableCase(i, c.paper, c.source, c.counts, c.missing, c.handling) for i, c in zip(ids, cases)]


def table_frames(cases: Sequence[TableCase]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``tables.csv`` (one row per table) and ``table_counts.csv`` (one row per cell)."""
    index, cells = [], []
    for c in cases:
        sub = c.tested()
        index.append(dict(case=c.case, paper=c.paper, source=c.source, handling=c.handling,
                          rows=sub.shape[0], columns=sub.shape[1]))
        for i, (label, row) in enumerate(sub.iterrows()):
            for j, (group, count) in enumerate(row.items()):
                cells.append(dict(case=c.case, row=i + 1, column=j + 1, row_label=str(label),
                                  column_label=str(group), count=int(count)))
    return pd.DataFrame(index), pd.DataFrame(cells)


# --- 2. two-group summary t-tests ---------------------------------------------------------------

def _bounds(text: str) -> tuple[float, float, float]:
    """(printed value, low, high) of a printed number, as the engine reads its rounding."""
    r = parse_value(text)
    return float(r.value), float(r.interval.low), float(r.interval.high)


@functools.cache  # built once per process (the test reuses them)
def t_test_cases() -> pd.DataFrame:
    """Every two-group comparison :func:`~recheck.checks.twogroups.summary_t_map` tests, with
    the printed means, SDs and Ns and the rounding box of each mean and SD."""
    rows = []
    for paper in papers():
        if not paper.has("continuous.csv"):
            continue
        frame = paper.read("continuous.csv")
        tested = summary_t_map(frame)
        if tested.empty:
            continue
        for r in tested[tested["verdict"] != "not-checkable"].to_dict("records"):
            a, b = (frame[(frame["table"] == r["table"]) & (frame["variable"] == r["variable"])]
                    .to_dict("records"))
            row = dict(case=f"{paper.id}:{slug(r['table'], r['variable'])}", paper=paper.id)
            for k, g in (("1", a), ("2", b)):
                for stat in ("mean", "sd"):
                    v, lo, hi = _bounds(g[stat])
                    row |= {f"{stat}{k}_text": g[stat], f"{stat}{k}": _number(v),
                            f"{stat}{k}_low": _number(lo), f"{stat}{k}_high": _number(hi)}
                row[f"n{k}"] = parse_count(g["n"])
            rows.append(row)
    return pd.DataFrame(rows)


# --- 3. ratio p from its CI ----------------------------------------------------------------------

@functools.cache  # built once per process (the test reuses them)
def ratio_cases() -> pd.DataFrame:
    """Every ``ratios.csv`` row :func:`~recheck.checks.ratios.ratio_map` checks: the printed
    estimate and CI and the rounding box of each (the engine's reading of the printed digits)."""
    rows = []
    for paper in papers():
        if not paper.has("ratios.csv"):
            continue
        for i, (r, _) in enumerate(ratio_map(paper.read("ratios.csv"))):
            row = dict(case=f"{paper.id}:{i + 1}:{r['key'] or slug(r['variable'])}", paper=paper.id)
            for col, name in (("estimate", "est"), ("ci_low", "lo"), ("ci_high", "hi")):
                v, lo, hi = _bounds(r[col])
                row |= {f"{name}_text": r[col], name: _number(v), f"{name}_low": _number(lo),
                        f"{name}_high": _number(hi)}
            rows.append(row)
    out = pd.DataFrame(rows)
    out["case"] = _unique(list(out["case"]))
    return out


# --- 4. reconstructed cohorts --------------------------------------------------------------------

@dataclass(frozen=True)
class CohortAnalysis:
    """One survival analysis of a selection of a reconstructed cohort."""

    analysis: str
    kind: str
    """``km`` (Kaplan–Meier), ``reverse_km`` (median follow-up), ``logrank`` or ``cox``."""
    paper: str
    cohort: str
    """The cohort file, relative to the repository root."""
    time: str
    event: str
    filters: tuple[tuple[str, str, str], ...]
    """``(column, op, value)``: ``op`` ``in`` keeps rows whose cell is one of the values given
    for that column (several rows = several values); ``not_empty`` keeps non-empty cells.
    Different columns are combined with *and*."""
    group_column: str = ""
    level: str = ""
    """Cox: the covariate is 1 where ``group_column`` equals ``level``."""
    rate_times: tuple[float, ...] = ()
    """KM: months at which the survival probability is compared."""
    engine: str = ""
    """The engine's own aggregate that reports this analysis too (``cohort_summary|<endpoint>|<group>``,
    ``cohort_ratios|<key>``, ``cohort_follow_up``), else empty."""
    keys: tuple[str, ...] = field(default=(), compare=False)


def cohort_files() -> list[tuple[Paper, Path]]:
    """Every reconstructed cohort file of every paper with a ``[reconstruction]``."""
    out = []
    for paper in papers():
        if not paper.reconstruction:
            continue
        for path in sorted((paper.folder / RECONSTRUCTED).glob("*.csv")):
            out.append((paper, path))
    return out


def read_raw_cohort(path: Path) -> pd.DataFrame:
    """A cohort file's cells as strings, exactly as R reads them (the notice line skipped)."""
    return pd.read_csv(path, skiprows=1, dtype=str, keep_default_na=False, encoding="utf-8")


def selection_mask(raw: pd.DataFrame, filters: Iterable[tuple[str, str, str]]) -> np.ndarray:
    """Rows of *raw* that pass every filter (the rule ``reference.R`` applies)."""
    keep = np.ones(len(raw), bool)
    by_column: dict[tuple[str, str], list[str]] = {}
    for column, op, value in filters:
        by_column.setdefault((column, op), []).append(value)
    for (column, op), values in by_column.items():
        cells = raw[column]
        keep &= (cells != "").to_numpy() if op == "not_empty" else cells.isin(values).to_numpy()
    return keep


def analysis_arrays(raw: pd.DataFrame, a: CohortAnalysis) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(time, event, group cells)`` of an analysis's selection, as the engine's arrays."""
    sel = selection_mask(raw, a.filters)
    t = pd.to_numeric(raw.loc[sel, a.time], errors="coerce").to_numpy(float)
    e = pd.to_numeric(raw.loc[sel, a.event], errors="coerce").to_numpy(float) == 1
    g = raw.loc[sel, a.group_column].to_numpy() if a.group_column else np.array([], object)
    return t, e, g


def _months(text: str) -> float:
    num, _, unit = text.strip().partition(" ")
    return float(num) * (12.0 if unit.startswith("year") else 1.0)


def _endpoint_filters(ep: dict) -> list[tuple[str, str, str]]:
    """The selection of :func:`recheck.reconstruct._endpoint_arrays`: event recorded, in the
    endpoint's population."""
    out = [(ep["event"], "not_empty", NOT_EMPTY)]
    if ep.get("population"):
        out += [(ep["population"], "in", v) for v in FLAG_VALUES]
    return out


@functools.cache  # built once per process (the test reuses them)
def cohort_analyses() -> list[CohortAnalysis]:
    """The survival analyses the engine runs on its reconstructed cohorts, as selections:

    * ``cohort_summary``: KM per endpoint and cohort group (median; rate at the landmark);
    * ``fit_table``: KM of every ``survival.csv`` row the cohort models (subgroups, all patients;
      median and printed landmark rate), and per-arm landmark rates (PALLAS ``fit_rows``);
    * ``cohort_follow_up``: the reverse-KM median follow-up;
    * ``cohort_ratios``: the declared Cox models;
    * log-rank (``logrank_p``) and Cox (``cox_summary``) of the cohort groups for every endpoint.
    """
    out: list[CohortAnalysis] = []
    for paper, path in cohort_files():
        spec = paper.reconstruction
        gcol = spec.get("group", "group")
        gmap = dict(spec.get("groups", {}))
        rel = path.relative_to(ROOT).as_posix()
        raw = read_raw_cohort(path)
        engine_frame = pd.read_csv(path, skiprows=1, keep_default_na=False, na_values=[""])
        surv = paper.read("survival.csv") if paper.has("survival.csv") else None
        found: dict[tuple, CohortAnalysis] = {}

        def add(a: CohortAnalysis, raw: pd.DataFrame = raw, found: dict = found) -> None:
            # one analysis per distinct set of patients (two routes to the same rows are one)
            mask = np.packbits(selection_mask(raw, a.filters)).tobytes()
            key = (a.kind, a.time, a.event, mask, a.group_column, a.level)
            if key in found:  # the same selection reached twice: merge its landmarks and keys
                b = found[key]
                found[key] = CohortAnalysis(b.analysis, b.kind, b.paper, b.cohort, b.time, b.event, b.filters,
                                            b.group_column, b.level,
                                            tuple(sorted(set(b.rate_times) | set(a.rate_times))),
                                            b.engine or a.engine, b.keys + a.keys)
            else:
                found[key] = a

        for name, ep in spec.get("endpoints", {}).items():
            base = _endpoint_filters(ep)
            # the engine's own selection must be the one R is given
            sel, _, _ = _endpoint_arrays(engine_frame, ep)
            if not np.array_equal(sel.to_numpy(), selection_mask(raw, base)):
                raise RuntimeError(f"{rel}: the filters of endpoint {name} do not select the engine's patients")
            landmarks = [x for x in (surv.loc[surv["endpoint"] == name, "rate_time"] if surv is not None else []) if x]
            landmark = (_months(landmarks[0]),) if landmarks else ()
            groups = list(dict.fromkeys(raw.loc[selection_mask(raw, base), gcol]))
            for g in groups:
                add(CohortAnalysis(f"{paper.id}:{slug(name, g)}", "km", paper.id, rel, ep["time"], ep["event"],
                                   tuple(base + [(gcol, "in", g)]), rate_times=landmark,
                                   engine=f"cohort_summary|{name}|{g}"))
            # the cohort groups compared: log-rank, and Cox where no ratio is declared (a declared
            # one is added below, as cohort_ratios fits it)
            add(CohortAnalysis(f"{paper.id}:{slug(name, 'by', gcol)}", "logrank", paper.id, rel, ep["time"],
                               ep["event"], tuple(base), group_column=gcol))
            declared = any(d["endpoint"] == name for d in spec.get("ratios", {}).values())
            if len(groups) == 2 and not declared:
                add(CohortAnalysis(f"{paper.id}:{slug(name, 'cox', groups[1])}", "cox", paper.id, rel, ep["time"],
                                   ep["event"], tuple(base), group_column=gcol, level=groups[1]))
        # fit_table's KM rows: the selection of each survival.csv row the cohort models
        if surv is not None:
            eps = spec.get("endpoints", {})
            cohort_groups = set(raw[gcol])
            for r in surv.to_dict("records"):
                ep = eps.get(r["endpoint"])
                if ep is None or (ep.get("locations") and r["location"] not in ep["locations"]):
                    continue
                if not (r["median"] or (r["rate"] and r["rate_time"])):
                    continue
                filters: list[tuple[str, str, str]] = []
                if r["group"] in ep.get("all_groups", []):
                    pass
                elif gmap.get(r["group"], r["group"]) in cohort_groups:
                    filters.append((gcol, "in", gmap.get(r["group"], r["group"])))
                else:
                    continue
                if ep.get("population"):
                    filters += [(ep["population"], "in", v) for v in FLAG_VALUES]
                sub = spec.get("subgroups", {}).get(r["comparison"])
                if sub is not None:
                    filters.append((sub["variable"], "in", sub["category"]))
                times = (_months(r["rate_time"]),) if r["rate"] and r["rate_time"] else ()
                add(CohortAnalysis(f"{paper.id}:{slug(r['endpoint'], r['comparison'], r['group'])}", "km", paper.id,
                                   rel, ep["time"], ep["event"], tuple(filters), rate_times=times))
        if paper.analysis == "pallas":  # fit_rows: the 5-year iDFS rate of each arm within each group
            from recheck.papers import pallas
            ep = spec["endpoints"]["IDFS"]
            for g in gmap.values():
                for arm in pallas.ARMS:
                    add(CohortAnalysis(f"{paper.id}:{slug('IDFS', g, arm)}", "km", paper.id, rel, ep["time"],
                                       ep["event"], ((gcol, "in", g), ("arm", "in", arm)),
                                       rate_times=(pallas.LANDMARK,)))
        fu = spec.get("follow_up")
        if fu:
            add(CohortAnalysis(f"{paper.id}:follow-up", "reverse_km", paper.id, rel, fu["time"], fu["event"],
                               ((fu["time"], "not_empty", NOT_EMPTY),), engine="cohort_follow_up"))
        for key, d in spec.get("ratios", {}).items():
            ep = spec["endpoints"][d["endpoint"]]
            add(CohortAnalysis(f"{paper.id}:{slug(key)}", "cox", paper.id, rel, ep["time"], ep["event"],
                               tuple(_endpoint_filters(ep)), group_column=gcol, level=d["level"],
                               engine=f"cohort_ratios|{key}", keys=(key,)))
        out += list(found.values())
    ids = _unique([a.analysis for a in out])
    return [CohortAnalysis(i, a.kind, a.paper, a.cohort, a.time, a.event, a.filters, a.group_column, a.level,
                           a.rate_times, a.engine, a.keys) for i, a in zip(ids, out)]


def cohort_frames(analyses: Sequence[CohortAnalysis]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``cohorts.csv`` (file, SHA-256, its notice), ``cohort_analyses.csv`` and ``cohort_filters.csv``."""
    files = [dict(paper=p.id, cohort=path.relative_to(ROOT).as_posix(), sha256=sha256(path),
                  notice=path.read_text(encoding="utf-8").partition("\n")[0].split(" | ")[0].lstrip("# "))
             for p, path in cohort_files()]
    rows, filters = [], []
    for a in analyses:
        rows.append(dict(analysis=a.analysis, kind=a.kind, paper=a.paper, cohort=a.cohort, time=a.time, event=a.event,
                         group_column=a.group_column, level=a.level,
                         rate_times=";".join(_number(t) for t in a.rate_times), engine=a.engine,
                         cox_keys=";".join(a.keys)))
        filters += [dict(analysis=a.analysis, column=c, op=op, value=v) for c, op, v in a.filters]
    return pd.DataFrame(files), pd.DataFrame(rows), pd.DataFrame(filters)


# --- 5. replicates of the survival simulation ----------------------------------------------------

@dataclass(frozen=True)
class Simulation:
    """Arguments of one :func:`recheck.survival.logrank_p_distribution` call."""

    sim: str
    paper: str
    groups: tuple[GroupSummary, ...]
    reps: int
    seed: int
    follow_up: tuple[float, float] | None


@functools.cache  # built once per process (the test reuses them)
def simulations() -> list[Simulation]:
    """A few replicates of the simulations the engine runs: the first simulated comparison of each
    paper with ``[survival] logrank`` (Ozcan: no events printed, censoring window; Xi'an: exact
    events), Ozcan's disputed comparison and the first split of its three-group IHC comparison."""
    out = []
    for paper in papers():
        if not paper.survival.get("logrank"):
            continue
        window = follow_up_window(paper)
        selected = {(c["key"], c["location"]) for c in _selected(paper)}
        picked = []
        for i, c in enumerate(comparisons(paper)):
            if c["groups"] is None or (c["key"], c["location"]) not in selected:
                continue
            exact = all(g.events is not None for g in c["groups"])
            picked.append((c, paper.seed + i, None if exact else (0.0, window)))
        if paper.analysis == "ozcan":
            from recheck.papers import ozcan
            dispute = ozcan._comparison(paper, ozcan.DISPUTE)
            picked.append((dispute, paper.seed, (0.0, window)))
        for c, seed, fu in picked[:1] + picked[-1:] if len(picked) > 1 else picked:
            out.append(Simulation(f"{paper.id}:{c['key']}", paper.id, tuple(c["groups"]), SIM_REPS, seed, fu))
        if paper.analysis == "ozcan":  # ozcan.ihc_simulation, its first split (10 patients IHC 1+)
            from recheck.papers import ozcan
            c = next(c for c in comparisons(paper) if c["key"] == ozcan.IHC)
            surv = paper.read("survival.csv")
            rows = surv[(surv["comparison"] == c["comparison"]) & (surv["location"] == c["location"])]
            zero, others = rows[rows["n"] != ""].iloc[0], rows[rows["n"] == ""]
            n_low = parse_count(printed(paper, "n:her2-low", "count"))
            med = [float(parse_value(m).value) for m in others["median"]]
            groups = (GroupSummary(zero["group"], parse_count(zero["n"]), float(parse_value(zero["median"]).value)),
                      GroupSummary(others["group"].iloc[0], 10, med[0]),
                      GroupSummary(others["group"].iloc[1], n_low - 10, med[1]))
            out.append(Simulation(f"{paper.id}:{c['key']}:n1plus-10", paper.id, groups, SIM_REPS,
                                  paper.seed + 100, (0.0, window)))
    return out


def simulated_data(s: Simulation) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(times, events, labels)`` of the replicates :func:`recheck.survival.logrank_p_distribution`
    analyses for *s* (its draws, in its order; replicates with a curve short of 0.5 left out)."""
    rng = np.random.default_rng(s.seed)
    sims = [simulate_group(g, s.reps, rng, follow_up=s.follow_up) for g in s.groups]
    times = np.concatenate([x[0] for x in sims], axis=1)
    events = np.concatenate([x[1] for x in sims], axis=1)
    labels = np.concatenate([np.full(g.n, i) for i, g in enumerate(s.groups)])
    ok = np.isfinite(times).all(axis=1)
    return times[ok], events[ok], labels


def simulation_frames(sims: Sequence[Simulation]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``simulations.csv`` (one row per simulated comparison) and ``simulated.csv`` (one row per
    simulated patient: ``%.17g`` times, so R reads the very doubles the engine analysed)."""
    index, cells = [], []
    for s in sims:
        times, events, labels = simulated_data(s)
        index.append(dict(sim=s.sim, paper=s.paper, reps=s.reps, kept=len(times), seed=s.seed,
                          follow_up=_number(s.follow_up[1]) if s.follow_up else "",
                          groups="; ".join(f"{g.label} (n {g.n}, median {g.median:g}"
                                           + (f", events {g.events})" if g.events is not None else ")")
                                           for g in s.groups)))
        for r in range(len(times)):
            for t, e, g in zip(times[r], events[r], labels):
                cells.append((s.sim, r + 1, int(g), f"{t:.17g}", int(e)))
    return pd.DataFrame(index), pd.DataFrame(cells, columns=["sim", "replicate", "group", "time", "event"])


# --- everything ----------------------------------------------------------------------------------

def input_files() -> dict[str, str]:
    """File name → text of every input R reads (what :func:`main` writes)."""
    tindex, tcells = table_frames(table_cases())
    files, analyses, filters = cohort_frames(cohort_analyses())
    sindex, scells = simulation_frames(simulations())
    made = "made by tools/r-reference/inputs.py from the recheck engine"
    return {
        "tables.csv": _csv(tindex, f"{made}: every table of counts tested for a printed p, per handling of missing rows"),
        "table_counts.csv": _csv(tcells, f"{made}: the cells of tables.csv (row = category, column = group)"),
        "t_tests.csv": _csv(t_test_cases(), f"{made}: printed two-group summaries and their rounding bounds"),
        "ratios.csv": _csv(ratio_cases(), f"{made}: printed ratios with 95% CI and their rounding bounds"),
        "cohorts.csv": _csv(files, f"{made}: {SYNTHETIC}; the cohort files analysed, by path and SHA-256"),
        "cohort_analyses.csv": _csv(analyses, f"{made}: survival analyses of the {SYNTHETIC}"),
        "cohort_filters.csv": _csv(filters, f"{made}: the patient selection of each analysis of the {SYNTHETIC}"),
        "simulations.csv": _csv(sindex, f"{made}: SYNTHETIC simulated trials (recheck.survival.simulate_group "
                                        "from published group sizes and medians; not patient records)"),
        "simulated.csv": _csv(scells, f"{made}: SYNTHETIC simulated patients of simulations.csv (not patient records)"),
    }


def main() -> None:
    """Write every input file (and remove stale ones)."""
    INPUTS.mkdir(parents=True, exist_ok=True)
    texts = input_files()
    for old in INPUTS.glob("*.csv"):
        if old.name not in texts:
            old.unlink()
    for name, text in texts.items():
        (INPUTS / name).write_bytes(text.encode("utf-8"))
        print(f"wrote {(INPUTS / name).relative_to(ROOT)} ({text.count(chr(10)) - 2} rows)")


if __name__ == "__main__":
    main()
