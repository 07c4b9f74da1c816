"""Findings for the PATINA summary chapter, computed from ``data/patina/``.

Two kinds of finding live here.

**Claims against the facts file.**  ``claims.csv`` holds every claim of the CME
summary, ``quoted.csv`` every result the Ozcan and Xi'an papers attribute to other
work; ``verdicts.csv`` gives each one a verdict against the only outside figures the
book uses, ``published-trials.csv`` (the "facts file"), with an explanation that
cites the facts row.  Every claim must have exactly one verdict; a missing or stray
row raises :class:`~recheck.data.DataError` naming the file, line and column.
:func:`findings` returns the CME claims (source ``patina``); the quotations belong to
their own papers, so they are exposed through :func:`quoted_findings`, which the
``ozcan`` and ``xian`` modules call (the collector imports this module for
``patina`` only, so nothing is counted twice).

**PATINA reconstruction checks**, from the arm-level numbers in ``arms.csv``
(themselves copied from the facts file):

(a) hazard ratio, CI and p against one another (:func:`recheck.ratios.check_ratio`),
    the SABCS one-sided p doubled before it is compared with a two-sided CI;
(b) the hazard ratio implied by the medians alone under exponential survival
    (m₀/m₁) and by the 48-month rates under proportional hazards (ln S₁/ln S₀);
(c) the number of events the CI width implies, D ≈ 4/SE², SE = (ln U − ln L)/(2·1.96);
(d) whether the printed numbers are jointly compatible with proportional hazards.

:func:`reconstruct` writes two synthetic arms (piecewise-exponential, fitted to each
arm's median and 48-month rate, censored around the median follow-up) to
``data/patina/reconstructed/arms.csv``.
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from ..data import DataError, data_dir
from ..findings import Finding
from ..ratios import check_ratio
from ..reported import Interval, ParseError, parse_count, parse_p, parse_value
from .common import standard_findings

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["SOURCE", "VERDICT_CHOICES", "verdicts", "findings", "quoted_findings",
           "facts_rows", "claim_findings", "arm_numbers", "ratio_rows", "implied_hr",
           "events_implied", "ph_check", "other_trials", "p_readings", "reconstruct",
           "read_reconstructed", "reconstruction_summary", "reconstruction_checks", "piecewise_model",
           "plot_reconstructed_km"]

SOURCE = "patina"
VERDICT_CHOICES = ("consistent", "inconsistent", "not-checkable")
_QUOTED_PREFIX = {"ozcan": "oz-", "xian": "xian-"}
Z975 = float(stats.norm.isf(0.025))

FACTS_ENV = "RECHECK_FACTS"
"""Environment variable pointing at the facts file, if it is not in a default place."""


def _folder() -> Path:
    return data_dir() / SOURCE


# --- reading, with located errors ---------------------------------------------

def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for every data row of a CSV file."""
    if not path.exists():
        raise DataError(path, None, None, "file not found")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            raise DataError(path, 1, None, "empty file: no header row")
        out = []
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise DataError(path, reader.line_num, None,
                                f"{len(row)} fields where the header has {len(header)}")
            out.append((reader.line_num, dict(zip(header, row))))
    return out


def _claims_rows() -> list[dict[str, str]]:
    """Every row of ``claims.csv`` and ``quoted.csv`` (for display)."""
    return [r for _, _, r in _claims()]


def _claims() -> list[tuple[str, int, dict[str, str]]]:
    """Every claim row: (file name, line, row), CME claims first, then quotations."""
    out = []
    for name in ("claims.csv", "quoted.csv"):
        out += [(name, line, row) for line, row in _rows(_folder() / name)]
    return out


@lru_cache(maxsize=None)
def _verdicts_cached(folder: str) -> pd.DataFrame:
    path = Path(folder) / "verdicts.csv"
    rows = _rows(path)
    if rows:
        missing = [c for c in ("id", "source", "verdict", "explanation", "facts_rows") if c not in rows[0][1]]
        if missing:
            raise DataError(path, 1, missing[0], "required column is missing from the header")
    seen: dict[str, int] = {}
    for line, r in rows:
        if r["id"] in seen:
            raise DataError(path, line, "id", f"{r['id']!r} already has a verdict on line {seen[r['id']]}")
        seen[r["id"]] = line
        if r["verdict"] not in VERDICT_CHOICES:
            raise DataError(path, line, "verdict", f"{r['verdict']!r} is not one of {VERDICT_CHOICES}")
        if len(r["explanation"].strip()) < 20:
            raise DataError(path, line, "explanation", "an explanation a clinician can read is required")
        for n in filter(None, r["facts_rows"].split(";")):
            if not n.strip().isdigit():
                raise DataError(path, line, "facts_rows", f"{n!r} is not a facts row number")
    claims = {}
    for name, line, r in _claims():
        claims[r["id"]] = r
        if r["id"] not in seen:
            raise DataError(Path(folder) / name, line, "id",
                            f"claim {r['id']!r} has no verdict in {path.name}")
    for line, r in rows:
        if r["id"] not in claims:
            raise DataError(path, line, "id", f"{r['id']!r} is not a claim in claims.csv or quoted.csv")
        if r["source"] != claims[r["id"]]["source"]:
            raise DataError(path, line, "source", f"{r['source']!r} but the claim's source is "
                            f"{claims[r['id']]['source']!r}")
    df = pd.DataFrame([r for _, r in rows], dtype=str)
    df["line"] = [line for line, _ in rows]
    return df


def verdicts() -> pd.DataFrame:
    """``verdicts.csv``, validated: exactly one verdict for every claim and quotation."""
    return _verdicts_cached(str(_folder())).copy()


# --- the facts file -------------------------------------------------------------

def _facts_path() -> Path:
    """The project's copy of the facts file (``RECHECK_FACTS`` overrides it, for tests)."""
    path = Path(os.environ.get(FACTS_ENV) or data_dir() / "facts" / "published-trials.csv")
    if not path.exists():
        raise DataError(path, None, None, "file not found: the facts file is part of data/")
    return path


@lru_cache(maxsize=None)
def _facts(path: str | None) -> dict[int, dict[str, str]]:
    if path is None:
        return {}
    return {i: r for i, (_, r) in enumerate(_rows(Path(path)), start=1)}


def facts_rows(numbers: str) -> str:
    """The facts figures behind ``"21;22"``: value, source and confidence of each row."""
    facts = _facts(str(_facts_path()))
    parts = []
    for n in [int(x) for x in numbers.split(";") if x.strip()]:
        r = facts.get(n)
        if r is None:
            parts.append(f"facts row {n} (see explanation)")
            continue
        src = r["source"].split(". doi")[0]
        parts.append(f"row {n}: {r['trial']}, {r['quantity']} ({r['comparison']}) = {r['value']} "
                     f"[{src}; confidence {r['confidence']}]")
    return " | ".join(parts) if parts else "no facts row bears on this"


def _fact(trial: str, quantity: str, comparison: str | None = None) -> tuple[int, dict[str, str]]:
    """(row number, row) of the one facts row for *trial* and *quantity* (and *comparison*)."""
    path = _facts_path()
    hits = [(n, r) for n, r in _facts(str(path)).items()
            if r["trial"] == trial and r["quantity"] == quantity
            and (comparison is None or r["comparison"] == comparison)]
    if len(hits) != 1:
        what = ", ".join(repr(x) for x in (trial, quantity, comparison) if x is not None)
        raise DataError(path, None, "trial", f"expected one facts row for {what}, found {len(hits)}")
    return hits[0]


# --- claim findings -------------------------------------------------------------

def _short(text: str, n: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _finding_id(source: str, claim_id: str) -> str:
    if source == SOURCE:
        return f"{SOURCE}:claim-{claim_id}"
    prefix = _QUOTED_PREFIX[source]
    slug = claim_id[len(prefix):] if claim_id.startswith(prefix) else claim_id
    return f"{source}:quoted-{slug}"


def claim_findings(source: str) -> list[Finding]:
    """One ``claim-vs-facts`` finding per verdict row of *source* (patina, ozcan or xian)."""
    v = verdicts().set_index("id")
    out = []
    for _name, _line, r in _claims():
        if r["source"] != source:
            continue
        row = v.loc[r["id"]]
        quantity = f"{r['trial']}: {r['quantity']}" if r["trial"] else r["quantity"]
        reported = r["reported"] or f"“{_short(r['claim'])}”"
        out.append(Finding(_finding_id(source, r["id"]), source, r["location"], quantity,
                           reported, facts_rows(row["facts_rows"]), "claim-vs-facts",
                           row["verdict"], row["explanation"]))
    return out


def quoted_findings(source: str) -> list[Finding]:
    """Findings for the quotations of other work in *source*'s paper (``ozcan`` or ``xian``).

    Called by :mod:`recheck.sources.ozcan` and :mod:`recheck.sources.xian`, so that each
    quotation is counted once, under its own paper.
    """
    if source not in _QUOTED_PREFIX:
        raise ValueError(f"quotations are extracted for {tuple(_QUOTED_PREFIX)}, not {source!r}")
    if not (_folder() / "quoted.csv").exists():
        return []
    return claim_findings(source)


# --- PATINA arm-level numbers ---------------------------------------------------

@dataclass(frozen=True)
class Arms:
    """PATINA's printed arm-level numbers (strings as printed in the facts file)."""

    n1: str
    n0: str
    median1: str
    median0: str
    rate48_1: str
    rate48_0: str
    followup: str
    hr_nejm: tuple[str, str, str, str]      # estimate, low, high, two-sided p
    hr_sabcs: tuple[str, str, str, str]     # estimate, low, high, one-sided p


def arm_numbers() -> Arms:
    """Read ``arms.csv``; arm order as there (palbociclib arm first)."""
    path = _folder() / "arms.csv"
    rows = _rows(path)
    pal, ctl = "palbociclib + anti-HER2 + ET", "anti-HER2 + ET (control)"

    def get(quantity: str, arm: str) -> str:
        hits = [r for _, r in rows if r["quantity"] == quantity and r["arm"] == arm]
        if len(hits) != 1:
            raise DataError(path, None, "quantity", f"expected one row for {quantity!r}, {arm!r}")
        return hits[0]["value"]

    def ratio(quantity: str) -> tuple[str, str, str, str]:
        text = get(quantity, "palbociclib vs control")
        m = re.match(r"\s*([\d.]+)\s*\(([\d.]+)-([\d.]+)\);\s*(?:one|two)-sided p\s*=\s*([\d.]+)", text)
        if not m:
            raise DataError(path, None, "value", f"cannot read a HR (CI); p from {text!r}")
        return m.groups()

    return Arms(get("n randomized", pal), get("n randomized", ctl),
                get("median PFS (months)", pal), get("median PFS (months)", ctl),
                get("48-month PFS", pal).rstrip("%"), get("48-month PFS", ctl).rstrip("%"),
                get("median follow-up (months)", "all"),
                ratio("PFS hazard ratio (95% CI) and p — NEJM 2026"),
                ratio("PFS hazard ratio (95% CI) and p — SABCS 2024"))


def _box(text: str) -> tuple[float, float]:
    iv = parse_value(text).interval
    return float(iv.low), float(iv.high)


def _se_range(low: str, high: str) -> tuple[float, float]:
    (l0, l1), (h0, h1) = _box(low), _box(high)
    return ((math.log(h0) - math.log(l1)) / (2 * Z975), (math.log(h1) - math.log(l0)) / (2 * Z975))


def ratio_rows() -> pd.DataFrame:
    """(a) Each PATINA hazard ratio: centre, p implied by the CI, printed p read correctly."""
    a = arm_numbers()
    rows = []
    for label, (est, lo, hi, p), sided, src in (
            ("NEJM 2026", a.hr_nejm, "two-sided", "facts row 6 (high)"),
            ("SABCS 2024", a.hr_sabcs, "one-sided", "facts row 5 (medium)")):
        c = check_ratio(est, lo, hi)
        pi = parse_p(p).interval
        two = Interval(2 * pi.low, 2 * pi.high) if sided == "one-sided" else pi
        rows.append({"version": label, "source": src, "hr": f"{est} ({lo}–{hi})",
                     "printed_p": f"{sided} p = {p}",
                     "two_sided_p": f"{float(two.low):.4g}–{float(two.high):.4g}"
                     if sided == "one-sided" else p,
                     "p_from_ci": c.implied_p_text,
                     "centre_ok": bool(c.centre_consistent),
                     "p_ok": bool(c.implied_p.overlaps(two)),
                     "misread_ok": bool(c.implied_p.overlaps(pi)) if sided == "one-sided" else None})
    return pd.DataFrame(rows)


def implied_hr() -> dict[str, tuple[float, float]]:
    """(b) HR from the medians (exponential: m₀/m₁) and from the 48-month rates (ln S₁/ln S₀).

    Each as the (low, high) range over the rounding box of the printed numbers.
    """
    a = arm_numbers()
    (m1l, m1h), (m0l, m0h) = _box(a.median1), _box(a.median0)
    (s1l, s1h), (s0l, s0h) = [tuple(x / 100 for x in _box(s)) for s in (a.rate48_1, a.rate48_0)]
    return {"medians": (m0l / m1h, m0h / m1l),
            "rates48": (math.log(s1h) / math.log(s0l), math.log(s1l) / math.log(s0h))}


def events_implied(low: str, high: str) -> tuple[float, float]:
    """(c) Events implied by a 95% CI of a log-scale ratio: D ≈ 4/SE² (1:1, HR near 1)."""
    se_min, se_max = _se_range(low, high)
    return 4 / se_max ** 2, 4 / se_min ** 2


def ph_check() -> dict[str, float]:
    """(d) What proportional hazards and exponential survival predict at 48 months.

    Under proportional hazards with any baseline, S₁(t) = S₀(t)^HR, so the printed
    control rate at 48 months and the printed HR (and its CI) predict the palbociclib
    arm's 48-month rate.  Under exponential survival each arm's median alone predicts
    its 48-month rate, S(48) = 0.5^(48/m).  Binomial SEs (ignoring censoring, so a
    little too small) give the scale of sampling error.
    """
    a = arm_numbers()
    est, lo, hi, _ = a.hr_nejm
    s1, s0 = float(a.rate48_1) / 100, float(a.rate48_0) / 100
    n1, n0 = int(a.n1), int(a.n0)
    m1, m0 = float(a.median1), float(a.median0)
    out = {"s1": s1, "s0": s0,
           "s1_pred": s0 ** float(est), "s1_pred_low": s0 ** float(hi), "s1_pred_high": s0 ** float(lo),
           "s1_exp": 0.5 ** (48 / m1), "s0_exp": 0.5 ** (48 / m0),
           "se1": math.sqrt(s1 * (1 - s1) / n1), "se0": math.sqrt(s0 * (1 - s0) / n0)}
    out["z0_exp"] = (s0 - out["s0_exp"]) / out["se0"]
    out["z1_exp"] = (s1 - out["s1_exp"]) / out["se1"]
    return out


_RESULT_RE = re.compile(
    r"\s*(?:(?P<m1>[\d.]+) vs (?P<m0>[\d.]+);\s*)?"
    r"(?P<printed>HR (?P<est>[\d.]+) \((?P<lo>[\d.]+)-(?P<hi>[\d.]+)\);\s*"
    r"(?P<label>[^<=>]*?)\s*(?P<rel>[<=>])\s*(?P<p>\d*\.?\d+))\s*$")
"""A facts value ``"8.3 vs 5.7; HR 0.67 (0.45-1.00); p=0.051"``: medians, then HR (CI) and p."""

_OTHER_RESULTS = {
    "monarcher": ("monarcHER", "median PFS (months)", "A vs C"),
    "sysucc": ("SYSUCC-002", "median PFS (months)", None),
    "patricia": ("PATRICIA cohort C", "median PFS (months)", None),
    "destiny": ("DESTINY-Breast09", "median PFS (months)", None),
}


def _note_number(row_number: int, row: dict[str, str], pattern: str) -> str:
    """The number *pattern* (one group) finds in a facts row's note, as printed."""
    m = re.search(pattern, row["note"])
    if not m:
        raise DataError(_facts_path(), row_number + 1, "note", f"no match for {pattern!r} in {row['note']!r}")
    return m.group(1)


@lru_cache(maxsize=None)
def _other_trials(path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rows = {}
    for key, (trial, quantity, comparison) in _OTHER_RESULTS.items():
        n, r = rows[key] = _fact(trial, quantity, comparison)
        m = _RESULT_RE.match(r["value"])
        if not m:
            raise DataError(path, n + 1, "value", f"cannot read medians; HR (CI); p from {r['value']!r}")
        out[f"{key}_row"] = n
        out[f"{key}_printed"] = m["printed"]
        out[f"{key}_medians"] = (m["m1"], m["m0"]) if m["m1"] else None
        out[f"{key}_hr"] = (m["est"], m["lo"], m["hi"])
        out[f"{key}_p"] = m["p"] if m["rel"] == "=" else m["rel"] + m["p"]
    out["monarcher_alpha"] = _note_number(*rows["monarcher"], r"alpha of (\d*\.?\d+)")
    out["sysucc_margin"] = _note_number(*rows["sysucc"], r"margin HR (\d*\.?\d+)")
    n, r = _fact("PATRICIA cohort C", "n randomized")
    try:
        parse_count(r["value"])
    except ParseError as e:
        raise DataError(path, n + 1, "value", str(e)) from None
    out["patricia_n"] = r["value"]
    return out


def other_trials() -> dict[str, Any]:
    """Figures of other trials' facts rows used by :func:`p_readings` and the chapter's prose.

    Read from the facts file, as printed: for each of ``monarcher``, ``sysucc``, ``patricia``
    and ``destiny``, ``<key>_hr`` (estimate, low, high), ``<key>_p`` (``"0.051"``, ``"<0.0001"``),
    ``<key>_medians``, ``<key>_printed`` (from "HR" on) and ``<key>_row``; also
    ``monarcher_alpha`` and ``sysucc_margin`` (from the rows' notes) and ``patricia_n``.
    """
    return dict(_other_trials(str(_facts_path())))


def p_readings() -> pd.DataFrame:
    """The test behind each p the chapter discusses, recomputed from its CI where it can be.

    For a non-inferiority p the z is measured from the margin, not from 1:
    z = (ln margin − ln HR)/SE, one-sided.
    """
    rows = []

    def add(trial, printed, reading, implied, verdict, note):
        rows.append({"trial": trial, "printed": printed, "test behind the p": reading,
                     "p recomputed from the CI": implied, "agrees": verdict, "what it means": note})

    for r in ratio_rows().itertuples():
        reading = ("one-sided (unstratified); double it to compare with a two-sided CI"
                   if "one-sided" in r.printed_p else "two-sided")
        add(f"PATINA, {r.version}", f"HR {r.hr}; {r.printed_p}", reading,
            f"two-sided {r.p_from_ci}", "yes" if r.p_ok else "no",
            "Doubled, the one-sided p sits in the range the CI implies; read as two-sided "
            "it would not." if "one-sided" in r.printed_p else
            "The CI excludes 1 and the p is below 0.05, as they must agree.")
    o = other_trials()
    c = check_ratio(*o["monarcher_hr"], o["monarcher_p"], p_test="logrank")
    add("monarcHER, arm A vs C", o["monarcher_printed"], f"two-sided, tested at alpha {o['monarcher_alpha']}",
        f"two-sided {c.implied_p_text}", "yes" if c.p_consistent else "no",
        f"Significant against the trial's pre-set alpha {o['monarcher_alpha']}; not at the usual 0.05.")
    est, lo, hi = o["sysucc_hr"]
    margin = float(o["sysucc_margin"])
    se_lo, se_hi = _se_range(lo, hi)
    (e_lo, e_hi) = _box(est)
    z_lo = (math.log(margin) - math.log(e_hi)) / se_hi
    z_hi = (math.log(margin) - math.log(e_lo)) / se_lo
    p_ni = (float(stats.norm.sf(z_hi)), float(stats.norm.sf(z_lo)))
    printed_ni = parse_p(o["sysucc_p"]).interval
    add("SYSUCC-002", o["sysucc_printed"],
        f"one-sided non-inferiority, margin HR {o['sysucc_margin']}",
        f"one-sided {p_ni[0]:.2g}–{p_ni[1]:.2g}",
        "yes" if printed_ni.contains(p_ni[0]) and printed_ni.contains(p_ni[1]) else "no",
        f"Shows the HR is below {o['sysucc_margin']}; the CI includes 1, so no superiority is shown.")
    c = check_ratio(*o["patricia_hr"], o["patricia_p"], p_test="logrank")
    add("PATRICIA cohort C", o["patricia_printed"], "two-sided",
        f"two-sided {c.implied_p_text}", "yes" if c.p_consistent else "no",
        f"Significant at 0.05 in {o['patricia_n']} patients; the CI is wide.")
    c = check_ratio(*o["destiny_hr"], o["destiny_p"], p_test="logrank")
    add("DESTINY-Breast09", o["destiny_printed"], "two-sided, interim analysis",
        f"two-sided {c.implied_p_text}", "yes" if c.p_consistent else "no",
        "From an interim analysis; the facts file gives no stopping boundary, so only CI and p are compared.")
    return pd.DataFrame(rows)


# --- reconstruction --------------------------------------------------------------

RECON_SEED = 20260106
ACCRUAL_HALF_WIDTH = 24.0
"""Potential follow-up is uniform on median follow-up ± this many months (an assumption:
the facts file gives no accrual period); its median is then the printed median follow-up."""


def piecewise_model(median: float, rate48: float) -> tuple[tuple[float, float], tuple[float, float, float]]:
    """Hazards of a piecewise-exponential curve through S(median) = 0.5 and S(48) = rate48.

    Returns ``(breaks, hazards)``: constant hazard ln 2/m on [0, m], then
    ln(0.5/S48)/(48 − m) on [m, 48] and after (both breaks need m < 48).
    """
    if not 0 < median < 48 or not 0 < rate48 < 0.5:
        raise ValueError("the piecewise model needs a median below 48 months and S(48) < 0.5")
    h1 = math.log(2) / median
    h2 = math.log(0.5 / rate48) / (48 - median)
    return (median, 48.0), (h1, h2, h2)


def _inverse_cumhaz(target: np.ndarray, breaks, hazards) -> np.ndarray:
    m, t48 = breaks
    h1, h2, h3 = hazards
    H_m = h1 * m
    H_48 = H_m + h2 * (t48 - m)
    return np.where(target <= H_m, target / h1,
                    np.where(target <= H_48, m + (target - H_m) / h2, t48 + (target - H_48) / h3))


def _reconstructed_frame() -> pd.DataFrame:
    a = arm_numbers()
    rng = np.random.default_rng(RECON_SEED)
    follow = float(a.followup)
    parts = []
    for arm, n, med, rate in (("palbociclib", int(a.n1), float(a.median1), float(a.rate48_1) / 100),
                              ("control", int(a.n0), float(a.median0), float(a.rate48_0) / 100)):
        breaks, hazards = piecewise_model(med, rate)
        u = (np.arange(n) + 0.5) / n                      # stratified: the quantiles of S
        t_event = _inverse_cumhaz(-np.log(rng.permutation(u)), breaks, hazards)
        c = rng.uniform(follow - ACCRUAL_HALF_WIDTH, follow + ACCRUAL_HALF_WIDTH, n)
        time = np.minimum(t_event, c)
        parts.append(pd.DataFrame({"arm": arm, "time": np.round(time, 2),
                                   "event": (t_event <= c).astype(int)}))
    df = pd.concat(parts, ignore_index=True)
    df.insert(0, "id", [f"p{i + 1:03d}" for i in range(len(df))])
    return df


SYNTHETIC_HEADER = ("# SYNTHETIC data: two PATINA arms reconstructed from published summaries "
                    "(n, median PFS, 48-month PFS, median follow-up; facts rows 1, 2, 7, 8), "
                    "not patient records. Piecewise-exponential PFS, uniform censoring; "
                    "see recheck.sources.patina.")


def reconstruct() -> list[Path]:
    """Write ``data/patina/reconstructed/arms.csv`` (deterministic: same bytes every run)."""
    out = _folder() / "reconstructed"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "arms.csv"
    df = _reconstructed_frame()
    body = df.to_csv(index=False, lineterminator="\n", float_format="%.2f")
    path.write_text(SYNTHETIC_HEADER + "\n" + body, encoding="utf-8")
    return [path]


def read_reconstructed() -> pd.DataFrame:
    """The reconstructed arms (the ``#`` comment line skipped); rebuilt in memory if absent."""
    path = _folder() / "reconstructed" / "arms.csv"
    if path.exists():
        return pd.read_csv(path, comment="#")
    return _reconstructed_frame()


def reconstruction_summary() -> dict[str, float]:
    """KM medians, 48-month rates, follow-up, events and Cox HR of the reconstructed arms."""
    from lifelines import KaplanMeierFitter

    from ..survival import cox_summary, reverse_km_median
    df = read_reconstructed()
    out: dict[str, float] = {}
    for arm in ("palbociclib", "control"):
        d = df[df["arm"] == arm]
        kmf = KaplanMeierFitter().fit(d["time"], d["event"])
        out[f"median_{arm}"] = float(kmf.median_survival_time_)
        out[f"rate48_{arm}"] = float(kmf.survival_function_at_times(48.0).iloc[0])
        out[f"events_{arm}"] = int(d["event"].sum())
    out["events"] = int(df["event"].sum())
    out["followup"] = float(reverse_km_median(df["time"], df["event"].astype(bool)))
    cox = cox_summary(df.assign(palbociclib=(df["arm"] == "palbociclib").astype(int)),
                      "time", "event", ["palbociclib"]).iloc[0]
    out.update(cox_hr=float(cox["hr"]), cox_low=float(cox["ci_low"]), cox_high=float(cox["ci_high"]))
    return out


_ARM_LABELS = {"palbociclib": "palbociclib + anti-HER2 + ET", "control": "anti-HER2 + ET"}


def plot_reconstructed_km(ax: Axes) -> None:
    """Kaplan–Meier PFS (lifelines) of the two reconstructed arms on *ax*.

    One curve per arm (palbociclib first, colours from the current style's cycle), no CI
    bands or censoring ticks, a dashed line at 48 months, axis labels and a 0–1 y-axis.
    The title and the "reconstructed" stamp are left to the chapter.
    """
    from lifelines import KaplanMeierFitter
    recon = read_reconstructed()
    for arm in ("palbociclib", "control"):
        d = recon[recon["arm"] == arm]
        KaplanMeierFitter(label=f"{_ARM_LABELS[arm]} (n = {len(d)})").fit(
            d["time"], d["event"]).plot_survival_function(ax=ax, ci_show=False, show_censors=False)
    # 48: the landmark of the printed "48-month PFS"; the facts file has it only in that
    # quantity's name, as piecewise_model and reconstruction_summary assume too.
    ax.axvline(48, color="#999999", lw=0.8, ls="--")
    ax.set_xlabel("months since randomisation")
    ax.set_ylabel("progression-free survival")
    ax.set_ylim(0, 1.02)


def _f(x: float, d: int = 2) -> str:
    return f"{x:.{d}f}"


def reconstruction_checks() -> list[Finding]:
    """Findings (a)–(d) for PATINA's own numbers."""
    a = arm_numbers()
    out = []
    loc_n, loc_s = "facts row 6 (NEJM 2026, high)", "facts row 5 (SABCS 2024, medium)"
    rr = ratio_rows().set_index("version")

    # (a) HR, CI, p
    n = rr.loc["NEJM 2026"]
    out.append(Finding(
        "patina:patina-hr-nejm.p", SOURCE, loc_n, "PATINA PFS HR, CI and two-sided p", f"HR {n.hr}, {n.printed_p}",
        f"√(L·U) at the estimate: {'yes' if n.centre_ok else 'no'}; p from CI = {n.p_from_ci}",
        "ratio-p-from-ci", "consistent" if (n.p_ok and n.centre_ok) else "inconsistent",
        f"The HR sits at the log-centre of its CI and the CI implies a two-sided p of {n.p_from_ci}, "
        f"which contains the printed p = {a.hr_nejm[3]}." if (n.p_ok and n.centre_ok) else
        f"The CI implies p = {n.p_from_ci}, not the printed {a.hr_nejm[3]}."))
    s = rr.loc["SABCS 2024"]
    out.append(Finding(
        "patina:patina-hr-sabcs.one-sided-p", SOURCE, loc_s, "PATINA PFS HR, CI and one-sided p",
        f"HR {s.hr}, {s.printed_p}",
        f"2 × one-sided p = {s.two_sided_p}; two-sided p from CI = {s.p_from_ci}",
        "ratio-one-sided-p", "consistent" if (s.p_ok and s.centre_ok) else "inconsistent",
        (f"The printed p is one-sided (unstratified). Doubled, {s.two_sided_p}, it lies in the two-sided "
         f"range the CI implies ({s.p_from_ci}). Taken as two-sided, {a.hr_sabcs[3]} would be "
         f"{'inside' if s.misread_ok else 'outside'} that range: the 'sided' label matters.")
        if s.p_ok else f"Even doubled ({s.two_sided_p}) the p is outside the CI's range {s.p_from_ci}."))
    diff = abs(float(a.hr_nejm[0]) - float(a.hr_sabcs[0]))
    agree = diff <= 0.02 and Interval.hull(_box(a.hr_nejm[1]) + _box(a.hr_nejm[2])).overlaps(
        Interval.hull(_box(a.hr_sabcs[1]) + _box(a.hr_sabcs[2])))
    out.append(Finding(
        "patina:patina-hr-versions", SOURCE, "facts rows 5 and 6", "PATINA PFS HR, abstract vs journal",
        f"SABCS {a.hr_sabcs[0]} ({a.hr_sabcs[1]}–{a.hr_sabcs[2]}); NEJM {a.hr_nejm[0]} ({a.hr_nejm[1]}–{a.hr_nejm[2]})",
        f"difference {diff:.2f} in the HR", "cross-location", "consistent" if agree else "inconsistent",
        f"The two versions differ by {diff:.2f} in the HR; the abstract's analysis is unstratified (facts "
        "row 5 note) and the journal's may differ in model or data cut. Either supports the same conclusion."))

    # (b) implied HRs
    ih = implied_hr()
    ci = Interval(*(parse_value(x).interval.low for x in a.hr_nejm[1:2]),
                  *(parse_value(x).interval.high for x in a.hr_nejm[2:3]))
    for key, label, what, how in (
            ("medians", "medians", f"{a.median0}/{a.median1}", "if each arm's PFS were exponential "
             "(constant hazard), the HR would be the ratio of the medians"),
            ("rates48", "48-month rates", f"ln {a.rate48_1}% / ln {a.rate48_0}%", "under proportional "
             "hazards, whatever the shape of the curves, HR = ln S₁(t)/ln S₀(t) at every t")):
        lo, hi = ih[key]
        inside = ci.overlaps(Interval.hull([lo, hi]))
        out.append(Finding(
            f"patina:patina-hr-from-{key}", SOURCE, "facts rows 2, 6, 7", f"PATINA PFS HR implied by the {label}",
            f"HR {a.hr_nejm[0]} ({a.hr_nejm[1]}–{a.hr_nejm[2]})", f"{what} = {lo:.3f}–{hi:.3f}",
            "implied-hr", "consistent" if inside else "inconsistent",
            f"{how[0].upper() + how[1:]}: {lo:.2f}, {'inside' if inside else 'outside'} the printed CI "
            f"{a.hr_nejm[1]}–{a.hr_nejm[2]}." + (
                " The medians alone over-state the effect because the control curve is not exponential "
                "(see the proportional-hazards check)." if key == "medians" else "")))

    # (c) events implied by the CI width
    recon_events = int(read_reconstructed()["event"].sum())
    for tag, (est, lo, hi, _), loc in (("nejm", a.hr_nejm, loc_n), ("sabcs", a.hr_sabcs, loc_s)):
        d_lo, d_hi = events_implied(lo, hi)
        n_all = int(a.n1) + int(a.n0)
        out.append(Finding(
            f"patina:patina-events-{tag}", SOURCE, loc, "PFS events implied by the CI width",
            f"HR {est} ({lo}–{hi}); n = {n_all}", f"D ≈ 4/SE² = {d_lo:.0f}–{d_hi:.0f} events",
            "events-from-ci", "consistent" if d_hi <= n_all else "inconsistent",
            f"A CI this wide needs about {d_lo:.0f}–{d_hi:.0f} PFS events (Var ln HR ≈ 4/D, the usual "
            f"approximation for 1:1 allocation), i.e. about {100 * (d_lo + d_hi) / 2 / n_all:.0f}% of the "
            f"{n_all} patients: possible. The facts file prints no event count, so it cannot be checked "
            f"directly. The reconstruction, which carries the {float(a.median0):.0f}–48-month hazards on past 48 months and "
            f"loses no one to follow-up, has {recon_events} events, more than this: the real curves "
            "may flatten after 48 months, or more patients were censored early (losses, a longer accrual), or both; the "
            "summaries cannot say which."))

    # (d) proportional hazards
    ph = ph_check()
    ok = ph["s1_pred_low"] <= ph["s1"] <= ph["s1_pred_high"]
    out.append(Finding(
        "patina:patina-proportional-hazards", SOURCE, "facts rows 2, 6, 7", "PATINA: medians, 48-month rates and HR under proportional hazards",
        f"48-month PFS {a.rate48_1}% vs {a.rate48_0}%; HR {a.hr_nejm[0]} ({a.hr_nejm[1]}–{a.hr_nejm[2]})",
        f"PH predicts S₁(48) = {a.rate48_0}%^HR = {100 * ph['s1_pred']:.1f}% "
        f"({100 * ph['s1_pred_low']:.1f}–{100 * ph['s1_pred_high']:.1f}% over the CI)",
        "proportional-hazards", "consistent" if ok else "inconsistent",
        f"Under proportional hazards the control arm's {a.rate48_0}% at 48 months and HR {a.hr_nejm[0]} predict "
        f"{100 * ph['s1_pred']:.1f}% for the palbociclib arm; {a.rate48_1}% is printed, within sampling error "
        f"(binomial SE about {100 * ph['se1']:.0f} points). The medians' ratio ({ih['medians'][0]:.2f}) differs from the HR because the "
        f"control arm is not exponential: its median predicts {100 * ph['s0_exp']:.1f}% at 48 months, "
        f"{100 * ph['s0']:.1f}% is printed (about {ph['z0_exp']:.1f} binomial SEs, which ignore censoring and "
        "so overstate the gap). These numbers cannot "
        "show whether the HR changes over time; only the curves or patient data could."))
    return out


def findings() -> list[Finding]:
    """The CME summary's claims and the PATINA checks (source ``patina`` only)."""
    if not _folder().exists():
        return []
    out = standard_findings(SOURCE)
    out += claim_findings(SOURCE)
    out += reconstruction_checks()
    return out


def hr_events_table() -> pd.DataFrame:
    """The chapter's table: every hazard ratio and event count the printed numbers imply."""
    a = arm_numbers()
    ih = implied_hr()
    rs = reconstruction_summary()
    ev_n, ev_s = events_implied(a.hr_nejm[1], a.hr_nejm[2]), events_implied(a.hr_sabcs[1], a.hr_sabcs[2])
    rows = [
        ("HR, journal (NEJM 2026)", f"{a.hr_nejm[0]} ({a.hr_nejm[1]}–{a.hr_nejm[2]})",
         "printed (facts row 6, high)", "two-sided p = " + a.hr_nejm[3]),
        ("HR, abstract (SABCS 2024)", f"{a.hr_sabcs[0]} ({a.hr_sabcs[1]}–{a.hr_sabcs[2]})",
         "printed (facts row 5, medium)", "unstratified; one-sided p = " + a.hr_sabcs[3]),
        ("HR from the medians", f"{ih['medians'][0]:.3f}–{ih['medians'][1]:.3f}",
         f"{a.median0}/{a.median1}", "equals the HR only if both arms are exponential"),
        ("HR from the 48-month rates", f"{ih['rates48'][0]:.3f}–{ih['rates48'][1]:.3f}",
         f"ln {a.rate48_1}% / ln {a.rate48_0}%", "equals the HR at 48 months under proportional hazards"),
        ("Cox HR of the reconstruction", f"{rs['cox_hr']:.2f} ({rs['cox_low']:.2f}–{rs['cox_high']:.2f})",
         "synthetic arms", "what the medians and 48-month rates imply together"),
        ("events implied by the journal CI", f"{ev_n[0]:.0f}–{ev_n[1]:.0f}", "4/SE²",
         "over the rounding box of the CI"),
        ("events implied by the abstract CI", f"{ev_s[0]:.0f}–{ev_s[1]:.0f}", "4/SE²",
         "over the rounding box of the CI"),
        ("events in the reconstruction", f"{rs['events']}", "synthetic arms",
         "no losses to follow-up; hazards after 48 months as from the median to 48 months"),
    ]
    return pd.DataFrame(rows, columns=["quantity", "value", "from", "note"])
