"""Synthetic cohorts made from a paper's printed aggregates: building blocks, guarded files, fit.

Every reconstructed file is **synthetic**: made from published aggregates so that it
reproduces them, not patient records.  Its first line says so and records what it was made
from: a hash of the paper's data and of the code that made it, and a hash of the file's own
rows.  :func:`read_cohort` refuses a file whose notice is missing, whose rows were edited, or
whose inputs changed since it was written, and names the command that regenerates it.

Building blocks for a paper's own ``reconstruct()`` (in :mod:`recheck.papers`):

* :func:`categorical_margins` — a table's counts by group exactly, variables independent
  within a group except where one is nested in another;
* :func:`exact_continuous` — values with exactly a printed N, mean, SD, minimum and maximum;
* survival draws: :func:`recheck.survival.draw_with_median`, :func:`~recheck.survival.exact_event_draws`.

:func:`fit_table` sets the cohort against every printed target it can find (``paper.toml``
``[reconstruction]`` maps the cohort's columns to the data): the *fit of a reconstruction*,
one tidy row per target with ``printed``, ``reconstructed``, ``difference`` and ``matches``.
"""

from __future__ import annotations

import hashlib
import importlib
import io
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .data import DataError
from .paper import Paper
from .reported import parse_count, parse_estimate, parse_value

__all__ = ["RECONSTRUCTED", "input_digest", "write_cohort", "read_cohort", "cohort_path",
           "categorical_margins", "exact_continuous", "fit_table", "cohort_summary", "cohort_ratios",
           "cohort_follow_up", "reconstruct"]

RECONSTRUCTED = "reconstructed"
_NOTICE = "# SYNTHETIC"
def cohort_path(paper: Paper, name: str = "cohort.csv") -> Path:
    """Where a paper's reconstructed file *name* lives."""
    return paper.folder / RECONSTRUCTED / name


def _code_closure(module) -> list[str]:
    """The source of the module's ``reconstruct`` and of every module-level function, class or
    value of the same module that it reaches by name, transitively, in a fixed order.

    Only that code makes the cohort, so an edit elsewhere in a paper's module (a table for the
    chapter, a check) leaves its reconstructed files current."""
    import inspect
    import types

    def names(code: types.CodeType) -> set[str]:
        out = set(code.co_names)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                out |= names(const)
        return out

    seen, todo, parts = set(), ["reconstruct"], []
    while todo:
        name = todo.pop()
        if name in seen or not hasattr(module, name):
            continue
        seen.add(name)
        obj = inspect.unwrap(getattr(module, name))    # an lru_cache'd function is its function
        if inspect.isfunction(obj) or inspect.isclass(obj):
            if obj.__module__ != module.__name__:
                continue        # the engine's shared building blocks: the byte-for-byte test covers them
            parts.append(f"{name}:{inspect.getsource(obj)}")
            code = obj.__code__ if inspect.isfunction(obj) else None
            todo += sorted(names(code)) if code else sorted(n for n in vars(obj) if not n.startswith("__"))
            if inspect.isclass(obj):
                todo += sorted(n for f in vars(obj).values() if inspect.isfunction(f) for n in names(f.__code__))
        elif not inspect.ismodule(obj):
            parts.append(f"{name}={obj!r}")
    return sorted(parts)


def _code(paper: Paper) -> list[str]:
    if not paper.analysis:
        return []
    return _code_closure(importlib.import_module(f"recheck.papers.{paper.analysis}"))


def input_digest(paper: Paper) -> str:
    """Hash of what a paper's reconstruction is made from: its data files, ``paper.toml`` and the
    code of the paper's module that makes it (:func:`_code_closure`), 16 hex digits.  A change in
    the engine's shared building blocks is caught instead by the tests that regenerate every
    cohort and compare its bytes."""
    h = hashlib.sha256()
    inputs = sorted(p for p in paper.folder.glob("*") if p.is_file() and p.suffix in (".csv", ".toml"))
    for p in inputs:
        h.update(p.name.encode())
        h.update(p.read_bytes().replace(b"\r\n", b"\n"))
    for part in _code(paper):
        h.update(part.encode("utf-8"))
    return h.hexdigest()[:16]


def _body_digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def write_cohort(paper: Paper, frame: pd.DataFrame, description: str, name: str = "cohort.csv",
                 float_format: str = "%.6g") -> Path:
    """Write a synthetic cohort with its notice (deterministic: same inputs, same bytes)."""
    if "\n" in description:
        raise ValueError("the description is one line")
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n", float_format=float_format)
    body = buf.getvalue()
    notice = (f"{_NOTICE} data: {description} Not patient records. | inputs {input_digest(paper)} | "
              f"rows {_body_digest(body)} | regenerate: python -m recheck reconstruct --source {paper.id}")
    path = cohort_path(paper, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(notice + "\n" + body, encoding="utf-8")
    return path


def read_cohort(paper: Paper, name: str = "cohort.csv", *, check_inputs: bool = True) -> pd.DataFrame:
    """A synthetic cohort, checked: notice present, rows unedited, inputs unchanged.

    Raises
    ------
    DataError
        If the file is missing, lacks its ``# SYNTHETIC`` notice, was edited, or is stale.
    """
    path = cohort_path(paper, name)
    regen = f"python -m recheck reconstruct --source {paper.id}"
    if not path.exists():
        raise DataError(path, None, None, f"file not found; regenerate it with `{regen}`")
    text = path.read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    if not first.startswith(_NOTICE):
        raise DataError(path, 1, None, "a reconstructed file must start with its '# SYNTHETIC' notice")
    fields = dict(part.strip().split(" ", 1) for part in first.split(" | ")[1:3])
    if fields.get("rows") != _body_digest(body):
        raise DataError(path, 2, None, f"the rows were edited after the file was written; regenerate it with `{regen}`")
    if check_inputs and fields.get("inputs") != input_digest(paper):
        raise DataError(path, 1, None, f"stale: the data or code it was made from changed; regenerate it with `{regen}`")
    try:
        return pd.read_csv(io.StringIO(body), keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, ValueError) as err:  # pragma: no cover - the digest catches edits
        raise DataError(path, None, None, f"cannot read: {err}") from None


def reconstruct(paper: Paper) -> list[Path]:
    """Run the paper's own ``reconstruct(paper)`` (``paper.toml``: ``analysis``), if it has one."""
    if not paper.analysis:
        return []
    module = importlib.import_module(f"recheck.papers.{paper.analysis}")
    return list(module.reconstruct(paper)) if hasattr(module, "reconstruct") else []


# --- building blocks ---------------------------------------------------------------------

def categorical_margins(margins: Mapping[str, Sequence[tuple[str, int]]], n: int,
                        rng: np.random.Generator,
                        nested: Mapping[str, Mapping] | None = None) -> pd.DataFrame:
    """*n* rows whose column per variable has exactly the printed counts of its categories.

    Variables are independent (a random permutation each), except that a nested variable's
    ``categories`` go only to rows whose ``parent`` column is ``among``; its other categories
    fill the rest.  *margins*: variable → [(category, count)], in order (parents first).

    >>> rng = np.random.default_rng(0)
    >>> m = {"Adjuvant": [("Yes", 3), ("No", 2)], "Radiotherapy": [("Yes", 2), ("No", 3)]}
    >>> df = categorical_margins(m, 5, rng, {"Radiotherapy": {"parent": "Adjuvant", "among": "Yes", "categories": ["Yes"]}})
    >>> int(((df["Radiotherapy"] == "Yes") & (df["Adjuvant"] == "No")).sum())
    0
    """
    nested = nested or {}
    cols: dict[str, np.ndarray] = {}
    for variable, cats in margins.items():
        labels = np.repeat([c for c, _ in cats], [k for _, k in cats]).astype(object)
        if len(labels) != n:
            raise ValueError(f"{variable}: counts add to {len(labels)}, not {n}")
        spec = nested.get(variable)
        if spec is None:
            cols[variable] = rng.permutation(labels)
            continue
        inside_cats = set(spec["categories"])
        inside = labels[np.isin(labels, list(inside_cats))]
        outside = labels[~np.isin(labels, list(inside_cats))]
        pool = np.flatnonzero(cols[spec["parent"]] == spec["among"])
        if len(inside) > len(pool):
            raise ValueError(f"{variable}: {len(inside)} to place among {len(pool)} {spec['parent']} = {spec['among']}")
        col = np.empty(n, dtype=object)
        chosen = rng.permutation(pool)[:len(inside)]
        col[chosen] = rng.permutation(inside)
        rest = np.setdiff1d(np.arange(n), chosen)
        col[rest] = rng.permutation(outside)
        cols[variable] = col
    return pd.DataFrame(cols)


def exact_continuous(n: int, mean: float, sd: float, lo: float, hi: float, rng: np.random.Generator) -> np.ndarray:
    """*n* values with exactly this mean, SD (n − 1 divisor), minimum and maximum.

    The minimum and maximum are two of the values; the other n − 2 are drawn from the beta
    distribution on [lo, hi] with the printed mean and SD, then moved by one affine map to the
    mean and SD that make the whole set exact (clipped and re-fitted until nothing lies outside).

    >>> x = exact_continuous(50, 10.0, 2.0, 5.0, 16.0, np.random.default_rng(1))
    >>> round(float(x.mean()), 9), round(float(x.std(ddof=1)), 9), float(x.min()), float(x.max())
    (10.0, 2.0, 5.0, 16.0)
    """
    mu, var = (mean - lo) / (hi - lo), (sd / (hi - lo)) ** 2
    if not 0 < var < mu * (1 - mu):
        raise ValueError(f"mean {mean}, SD {sd} impossible on [{lo}, {hi}]")
    k = mu * (1 - mu) / var - 1
    x = lo + (hi - lo) * rng.beta(mu * k, (1 - mu) * k, n - 2)
    m_in = (n * mean - lo - hi) / (n - 2)
    sd_in = np.sqrt(((n - 1) * sd**2 + n * mean**2 - lo**2 - hi**2) / (n - 2) - m_in**2)
    for _ in range(50):
        x = m_in + sd_in * (x - x.mean()) / x.std()
        if x.min() >= lo and x.max() <= hi:
            break
        x = np.clip(x, lo, hi)
    else:  # pragma: no cover - never needed for the printed rows
        raise ValueError(f"could not fit mean {mean}, SD {sd} within [{lo}, {hi}]")
    return rng.permutation(np.concatenate([[lo, hi], x]))


# --- the fit of a reconstruction -----------------------------------------------------------

def _median(t, e) -> float:
    from .survival import km_median
    return km_median(t, e)


def _rate(t, e, at: float) -> float:
    from .survival import km_at
    return km_at(t, e, at)


def _months(text: str) -> float:
    num, _, unit = text.strip().partition(" ")
    return float(num) * (12.0 if unit.startswith("year") else 1.0)


def _median_ci_fit(paper: Paper, target: str, row: Mapping, t: np.ndarray, e: np.ndarray,
                   tolerance: float) -> dict:
    """The cohort's median CI, made as the paper's software makes it, against the printed one.

    Each limit may miss by its rounding or the endpoint's ``median_tolerance``.  Software with no
    known convention is held to the closest of every convention.  ``difference`` is the cohort's
    CI width less the printed one (positive: the cohort's curve falls less steeply at its median).
    """
    from .survival import km_median_cis, median_ci_conventions
    lo, hi = parse_estimate(f"{row['median']} ({row['median_ci']})").ci
    best = None
    for conv in median_ci_conventions(paper.software):
        _, c_lo, c_hi = km_median_cis(t[None], e[None], conv)[0]
        gaps = [abs(c - float(x.value)) for c, x in ((c_lo, lo), (c_hi, hi))]
        allowed = [max(float(x.interval.high - x.interval.low) / 2, tolerance) + 1e-9 for x in (lo, hi)]
        miss = max(gaps) if all(np.isfinite(gaps)) else np.inf
        if best is None or miss < best[0]:
            best = (miss, conv, c_lo, c_hi, all(g <= a for g, a in zip(gaps, allowed)))
    miss, conv, c_lo, c_hi, ok = best
    if np.isnan(c_lo):    # Collett's slope needs the curve to reach 0.45
        shown = "none: the curve stays above 0.45"
    else:
        shown = "–".join("not reached" if np.isinf(x) else f"{x:.2f}" for x in (c_lo, c_hi))
    wider = (c_hi - c_lo) - float(hi.value - lo.value)
    return dict(target=f"{target} ({conv})", group=row["group"], printed=row["median_ci"], reconstructed=shown,
                difference=round(wider, 2) if np.isfinite(wider) else wider, matches=bool(ok))


def fit_table(paper: Paper, cohort: pd.DataFrame) -> pd.DataFrame:
    """Every printed target the reconstruction can be held to, against the cohort.

    ``[reconstruction]`` of ``paper.toml`` says how the cohort's columns map to the data:
    ``group`` (the column holding the group), ``groups`` (data group label → cohort value),
    ``subgroups`` (a ``survival.csv`` comparison → the ``variable``/``category`` it is restricted
    to), ``proportions`` (a ``proportions.csv`` comparison → the ``column`` and the ``values``
    that count; optional ``population``, and ``group``: the column holding the rows' groups), ``tables`` (tables of counts whose variables are columns; ``"<variable>: <category>"`` Yes/No
    columns for non-exclusive and sub-row variables), ``populations`` (table → a True/False
    column restricting it), ``endpoints`` (endpoint → ``time``, ``event`` and optional
    ``population`` columns) and ``continuous`` (``continuous.csv`` variables that are columns).

    Returns ``target``, ``group``, ``printed``, ``reconstructed``, ``difference`` and ``matches``.
    """
    spec = paper.reconstruction
    gcol = spec.get("group", "group")
    gmap = dict(spec.get("groups", {}))
    rows = []

    def add(target, group, printed, got, matches, diff=np.nan):
        rows.append(dict(target=target, group=group, printed=str(printed), reconstructed=str(got),
                         difference=diff, matches=bool(matches)))

    def in_group(group: str) -> pd.Series:
        label = gmap.get(group, group)
        if label not in set(cohort[gcol]):
            return pd.Series(True, index=cohort.index)  # a total column: every patient
        return cohort[gcol] == label

    def flag(col: str) -> pd.Series:
        return cohort[col].astype(str).isin(["True", "true", "1", "Yes"])

    if paper.has("categorical.csv"):
        cat = paper.read("categorical.csv")
        pops = spec.get("populations", {})
        for table in spec.get("tables", []):
            tspec = paper.table(table)
            for r in cat[cat["table"] == table].to_dict("records"):
                sel = in_group(r["group"])
                if table in pops:
                    sel &= flag(pops[table])
                if r["variable"] in tspec.non_exclusive or r["variable"] in tspec.subrows:
                    got = int((sel & (cohort[f"{r['variable']}: {r['category']}"] == "Yes")).sum())
                else:
                    got = int((sel & (cohort[r["variable"]].astype(str) == r["category"])).sum())
                k = parse_count(r["count"])
                add(f"{table}: {r['variable']} = {r['category']}", r["group"], r["count"], got, got == k, got - k)
    if paper.has("continuous.csv"):
        for r in paper.read("continuous.csv").to_dict("records"):
            col = spec.get("continuous", {}).get(r["variable"], r["variable"])
            if col not in cohort.columns:
                continue
            x = pd.to_numeric(cohort.loc[in_group(r["group"]), col], errors="coerce").dropna()
            got = {"n": len(x), "mean": x.mean(), "sd": x.std(), "min": x.min(), "max": x.max(), "median": x.median()}
            for stat in ("n", "mean", "sd", "min", "max", "median"):
                if not r[stat]:
                    continue
                if stat == "n":
                    ok = got["n"] == parse_count(r["n"])
                else:
                    ok = parse_value(r[stat]).interval.contains(float(got[stat]))
                add(f"{r['table']}: {r['variable']}, {stat}", r["group"], r[stat],
                    got[stat] if stat == "n" else f"{got[stat]:.3f}", ok)
    if paper.has("proportions.csv") and spec.get("proportions"):
        prop = paper.read("proportions.csv")
        for r in prop.to_dict("records"):
            for comp in (c.strip() for c in r["comparison"].split(";")):
                d = spec["proportions"].get(comp)
                if d is None:
                    continue
                # ``group``: a cohort column holding this comparison's group labels (else the group column)
                sel = cohort[d["group"]].astype(str) == r["group"] if d.get("group") else in_group(r["group"])
                if d.get("population"):
                    sel &= flag(d["population"])
                k, n = int((sel & cohort[d["column"]].astype(str).isin(d["values"])).sum()), int(sel.sum())
                ok = parse_value(r["percent"].rstrip("%"), lower_bound=0).interval.contains(100 * k / n) if n else False
                add(f"{comp} ({r['location']})", r["group"], r["percent"] + "%", f"{k}/{n} = {100 * k / n:.1f}%", ok)
                if r["n"]:
                    add(f"{comp} ({r['location']}): patients", r["group"], r["n"], n, n == parse_count(r["n"]))
    if paper.has("survival.csv"):
        eps = spec.get("endpoints", {})
        for r in paper.read("survival.csv").to_dict("records"):
            ep = eps.get(r["endpoint"])
            if ep is None or (ep.get("locations") and r["location"] not in ep["locations"]):
                continue
            if r["group"] in ep.get("all_groups", []):
                sel = pd.Series(True, index=cohort.index)
            elif gmap.get(r["group"], r["group"]) in set(cohort[gcol]):
                sel = cohort[gcol] == gmap.get(r["group"], r["group"])
            else:
                continue  # a subgroup the cohort does not model
            if ep.get("population"):
                sel &= flag(ep["population"])
            sub = spec.get("subgroups", {}).get(r["comparison"])
            if sub is not None:
                sel &= cohort[sub["variable"]].astype(str) == sub["category"]
            t = pd.to_numeric(cohort.loc[sel, ep["time"]], errors="coerce").to_numpy()
            e = pd.to_numeric(cohort.loc[sel, ep["event"]], errors="coerce").to_numpy().astype(bool)
            what = f"{r['endpoint']}, {r['comparison']} ({r['location']})"
            if r["n"]:
                k = parse_count(r["n"])
                add(f"{what}: patients", r["group"], r["n"], int(sel.sum()), int(sel.sum()) == k)
            if r["events"]:
                k = parse_count(r["events"])
                add(f"{what}: events", r["group"], r["events"], int(e.sum()), int(e.sum()) == k)
            if r["median"]:
                m = _median(t, e)
                if r["median"].strip().lower() in ("nr", "not reached", "not yet estimable"):
                    add(f"{what}: KM median", r["group"], r["median"], "not reached" if not np.isfinite(m)
                        else f"{m:.2f}", not np.isfinite(m))
                else:
                    iv = parse_value(r["median"]).interval
                    half = float(iv.high - iv.low) / 2
                    tol = max(half, float(ep.get("median_tolerance", 0)))
                    target = float(parse_value(r["median"]).value)
                    add(f"{what}: KM median", r["group"], r["median"], f"{m:.2f}",
                        np.isfinite(m) and abs(m - target) <= tol + 1e-9, round(m - target, 2) if np.isfinite(m) else np.nan)
                    if r["median_ci"]:
                        rows.append(_median_ci_fit(paper, f"{what}: KM median's 95% CI, not fitted", r, t, e,
                                                   float(ep.get("median_tolerance", 0))))
            if r["rate"] and r["rate_time"]:
                s = 100 * _rate(t, e, _months(r["rate_time"]))
                add(f"{what}: {r['rate_time']} rate (KM)", r["group"], r["rate"], f"{s:.2f}%",
                    parse_value(r["rate"]).interval.contains(s))
    fu = spec.get("follow_up")
    if fu:
        from .extract import printed
        from .survival import reverse_km_median
        text = printed(paper, fu["key"], fu.get("component"))
        t = pd.to_numeric(cohort[fu["time"]], errors="coerce").to_numpy()
        e = pd.to_numeric(cohort[fu["event"]], errors="coerce").to_numpy().astype(bool)
        ok = ~np.isnan(t)
        m = reverse_km_median(t[ok], e[ok])
        target = float(parse_value(text).value)
        add("median follow-up (reverse Kaplan–Meier)", "all", text, f"{m:.2f}",
            parse_value(text).interval.contains(m), round(m - target, 2))
    for key, d in spec.get("ratios", {}).items():
        from .survival import cox_summary
        r = paper.read("ratios.csv")
        r = r[r["key"] == key].iloc[0]
        ep = spec["endpoints"][d["endpoint"]]
        sel = cohort[ep["event"]].notna() if not ep.get("population") else flag(ep["population"])
        frame = pd.DataFrame({"t": pd.to_numeric(cohort.loc[sel, ep["time"]]), "e": pd.to_numeric(cohort.loc[sel, ep["event"]]),
                              "x": (cohort.loc[sel, gcol] == d["level"]).astype(int)})
        c = cox_summary(frame, "t", "e", ["x"]).iloc[0]
        inside = parse_value(r["ci_low"]).interval.low <= c["hr"] <= parse_value(r["ci_high"]).interval.high
        add(f"{r['measure']}, {d['endpoint']} ({r['location']}, {r['model'].split(' ')[0]}): Cox on the cohort, not fitted",
            d["level"], f"{r['estimate']} ({r['ci_low']}–{r['ci_high']})",
            f"{c['hr']:.2f} ({c['ci_low']:.2f}–{c['ci_high']:.2f})", bool(inside))
    if paper.analysis:
        module = importlib.import_module(f"recheck.papers.{paper.analysis}")
        if hasattr(module, "fit_rows"):
            rows += module.fit_rows(paper, cohort)
    return pd.DataFrame(rows, columns=["target", "group", "printed", "reconstructed", "difference", "matches"])


# --- what a cohort gives, as numbers (for chapters) -------------------------------------------

def _endpoint_arrays(cohort: pd.DataFrame, ep: Mapping) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    sel = cohort[ep["event"]].notna()
    if ep.get("population"):
        sel &= cohort[ep["population"]].astype(str).isin(["True", "true", "1", "Yes"])
    t = pd.to_numeric(cohort.loc[sel, ep["time"]], errors="coerce").to_numpy(float)
    e = pd.to_numeric(cohort.loc[sel, ep["event"]], errors="coerce").to_numpy(float) == 1
    return sel, t, e


def cohort_summary(paper: Paper, cohort: pd.DataFrame) -> pd.DataFrame:
    """Per declared endpoint and cohort group: ``n``, ``events``, ``median`` (KM, ``inf`` when not
    reached) and ``rate`` at ``landmark`` months (the first landmark ``survival.csv`` prints for
    the endpoint; NaN when none), all numbers."""
    from .survival import km_median, km_survival_at
    spec = paper.reconstruction
    gcol = spec.get("group", "group")
    surv = paper.read("survival.csv") if paper.has("survival.csv") else pd.DataFrame(columns=["endpoint", "rate_time"])
    rows = []
    for name, ep in spec.get("endpoints", {}).items():
        times = [x for x in surv.loc[surv["endpoint"] == name, "rate_time"] if x]
        landmark = _months(times[0]) if times else np.nan
        sel, _, _ = _endpoint_arrays(cohort, ep)
        for group in dict.fromkeys(cohort.loc[sel, gcol]):
            _, t, e = _endpoint_arrays(cohort[cohort[gcol] == group], ep)
            rate = float(km_survival_at(t[None], e[None], landmark)[0]) if landmark == landmark else np.nan
            rows.append(dict(endpoint=name, group=group, n=len(t), events=int(e.sum()), median=km_median(t, e),
                             landmark=landmark, rate=rate))
    return pd.DataFrame(rows, columns=["endpoint", "group", "n", "events", "median", "landmark", "rate"])


def cohort_ratios(paper: Paper, cohort: pd.DataFrame) -> pd.DataFrame:
    """The Cox HR of the cohort for every ``[reconstruction] ratios`` key (not a fitted target):
    ``key``, ``endpoint``, ``level``, ``hr``, ``ci_low``, ``ci_high``, ``p``."""
    from .survival import cox_summary
    spec = paper.reconstruction
    rows = []
    for key, d in spec.get("ratios", {}).items():
        ep = spec["endpoints"][d["endpoint"]]
        sel, t, e = _endpoint_arrays(cohort, ep)
        x = (cohort.loc[sel, spec.get("group", "group")] == d["level"]).astype(int).to_numpy()
        c = cox_summary(pd.DataFrame({"t": t, "e": e.astype(int), "x": x}), "t", "e", ["x"]).iloc[0]
        rows.append(dict(key=key, endpoint=d["endpoint"], level=d["level"], hr=float(c["hr"]),
                         ci_low=float(c["ci_low"]), ci_high=float(c["ci_high"]), p=float(c["p"])))
    return pd.DataFrame(rows, columns=["key", "endpoint", "level", "hr", "ci_low", "ci_high", "p"])


def cohort_follow_up(paper: Paper, cohort: pd.DataFrame) -> float:
    """The cohort's median follow-up by reverse Kaplan–Meier (``[reconstruction] follow_up``), months."""
    from .survival import reverse_km_median
    fu = paper.reconstruction["follow_up"]
    t = pd.to_numeric(cohort[fu["time"]], errors="coerce").to_numpy(float)
    e = pd.to_numeric(cohort[fu["event"]], errors="coerce").to_numpy(float) == 1
    ok = ~np.isnan(t)
    return float(reverse_km_median(t[ok], e[ok]))
