"""Percentages of a known n (GRIM) and the sums of whole tables.

A percentage of *n* people can only take the values 100·k/n for whole k: with n = 112,
80 responders give 71.43% and 81 give 72.32%, so ``71.4%`` is possible and ``71.6%`` is
not.  Arithmetic is exact (fractions); the printed value is the interval its rounding
allows (:mod:`recheck.reported`).  As in *scrutiny*, a scalar check (:func:`grim`) has a
map over a data frame (:func:`grim_map`), and :func:`findings` applies both to a paper:

* every cell of every table of counts against its column's n, and each variable's counts
  and percentages against n and 100 (a non-exclusive variable's are not summed; a block of
  sub-rows is summed against its parent row);
* every other printed percentage with a denominator: rows of any file with a percentage and
  an ``n`` or ``denominator``, prose printing ``p% (k/n)`` or ``k (p%)``, a percentage
  linked by ``paper.toml`` to a count printed elsewhere (``[[percentages]]``) or to a table
  cell summed over the groups (``[[links]]``).

>>> grim("80", "71.4%", 112)["consistent"], grim("81", "71.6%", 112)["consistent"]
(True, False)
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd

from ..data import DataError
from ..extract import mentions, split_keys, text_components
from ..paper import Paper
from ..render import register
from ..reported import ParseError, Reported, parse_count, parse_value
from ._base import interval_bounds, slug, to_findings

__all__ = ["counts_for_percent", "format_percent", "grim", "grim_map", "group_sizes",
           "table_cells", "sums_map", "findings"]


def _as_reported(percent: str | Reported) -> Reported:
    return percent if isinstance(percent, Reported) else parse_value(percent, lower_bound=0)


def counts_for_percent(percent: str | Reported, n: int) -> list[int]:
    """All whole counts k (0 ≤ k ≤ n) whose percentage 100·k/n rounds to *percent*.

    >>> counts_for_percent("71.4%", 112)
    [80]
    >>> counts_for_percent("71.6%", 112)
    []
    """
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    iv = _as_reported(percent).interval
    lo = Fraction(0) if iv.low is None else iv.low * n / 100
    hi = Fraction(n) if iv.high is None else iv.high * n / 100
    k_lo, k_hi = max(0, math.ceil(lo)), min(n, math.floor(hi))
    return [k for k in range(k_lo, k_hi + 1) if iv.contains(Fraction(100 * k, n))]


def format_percent(count: int, n: int, decimals: int) -> str:
    """``100·count/n`` printed with *decimals* decimals, rounding half away from zero.

    >>> format_percent(80, 112, 1)
    '71.4'
    """
    q = Fraction(100 * count, n)
    rounded = math.floor(q * 10**decimals + Fraction(1, 2))
    text = str(rounded)
    if decimals:
        text = text.rjust(decimals + 1, "0")
        text = f"{text[:-decimals]}.{text[-decimals:]}"
    return text


def grim(count: int | str | None, percent: str | Reported, n: int | str) -> dict:
    """Check a printed percentage of *n* (with its count, if printed).

    Returns ``consistent`` (the count gives the percentage; without a count: some whole
    count does), ``possible`` (the counts that give it), ``recomputed`` (100·count/n at the
    printed precision, or None) and ``sharpness`` (small is sharp): with a count, the share of
    the n + 1 possible counts the check accepts; without one, the share of the percentages
    printable at that precision that some count of *n* gives — GRIM is sharp for n = 112 at one
    decimal (113 of 1,001 printings are possible) and cannot fail for n = 5,304.

    >>> round(grim(None, "71.4", 112)["sharpness"], 3), grim(None, "71.4", 5304)["sharpness"]
    (0.113, 1.0)
    """
    n_ = parse_count(n) if isinstance(n, str) else int(n)
    rep = _as_reported(percent)
    possible = counts_for_percent(rep, n_)
    k = None if count is None or count == "" else (parse_count(count) if isinstance(count, str) else int(count))
    if k is not None and k > n_:
        raise ValueError(f"count {k} exceeds its n {n_}")
    return {"consistent": (k in possible) if k is not None else bool(possible),
            "possible": possible, "count": k,
            "recomputed": None if k is None else format_percent(k, n_, rep.decimals),
            "sharpness": len(possible) / (n_ + 1) if k is not None else _printable_share(n_, rep.decimals)}


def _printable_share(n: int, decimals: int) -> float:
    """The share of the percentages printable with *decimals* decimals that a count of *n* gives."""
    scale = 10**decimals
    if n >= 100 * scale:     # steps of 100/n are at most one unit of the last digit: all reachable
        return 1.0
    k = np.arange(n + 1, dtype=np.int64)
    reachable = np.unique((200 * scale * k + n) // (2 * n)).size   # round half up, in integers
    return reachable / (100 * scale + 1)


def grim_map(frame: pd.DataFrame, *, count: str = "count", percent: str = "percent",
             n: str = "n") -> pd.DataFrame:
    """:func:`grim` of every row of *frame* (columns of printed strings).

    Adds ``n_int``, ``count_int``, ``possible``, ``consistent``, ``recomputed_pct`` (the
    percentage the count gives), ``reported_low/high`` (the printed percentage's interval),
    ``recomputed_low/high`` (100·count/n) and ``sharpness``.

    >>> grim_map(pd.DataFrame({"count": ["80", "81"], "percent": ["71.4", "71.6"], "n": ["112", "112"]}))["consistent"].tolist()
    [True, False]
    """
    out = frame.copy()
    res = [grim(c if count in frame else None, p, k)
           for c, p, k in zip(frame[count] if count in frame else [None] * len(frame), frame[percent], frame[n])]
    out["n_int"] = [parse_count(k) if isinstance(k, str) else int(k) for k in frame[n]]
    out["count_int"] = [r["count"] for r in res]
    out["possible"] = [r["possible"] for r in res]
    out["consistent"] = [r["consistent"] for r in res]
    out["recomputed_pct"] = [r["recomputed"] for r in res]
    bounds = [interval_bounds(_as_reported(p).interval) for p in frame[percent]]
    out["reported_low"], out["reported_high"] = [b[0] for b in bounds], [b[1] for b in bounds]
    pct = [np.nan if r["count"] is None else 100 * r["count"] / k for r, k in zip(res, out["n_int"])]
    out["recomputed_low"] = out["recomputed_high"] = pct
    out["sharpness"] = [r["sharpness"] for r in res]
    return out


# --- tables of counts ------------------------------------------------------------------

def group_sizes(paper: Paper) -> dict[tuple[str, str], int]:
    """``(table, group)`` → n, from ``groups.csv``."""
    if not paper.has("groups.csv"):
        return {}
    g = paper.read("groups.csv")
    return {(t, grp): parse_count(n) for t, grp, n in zip(g["table"], g["group"], g["n"]) if n}


def table_cells(paper: Paper) -> pd.DataFrame:
    """Every ``categorical.csv`` row with its column's n (``n``) and file line (``line``)."""
    cat = paper.read("categorical.csv")
    sizes = group_sizes(paper)
    path = paper.path("categorical.csv")
    out = cat.copy()
    out["line"] = cat.attrs.get("lines", [None] * len(cat))
    ns = []
    for line, t, g in zip(out["line"], cat["table"], cat["group"]):
        if (t, g) not in sizes:
            raise DataError(path, line, "group", f"groups.csv has no n for {t!r}, group {g!r}")
        ns.append(sizes[(t, g)])
    out["n"] = ns
    return out


def sums_map(cells: pd.DataFrame, paper: Paper) -> pd.DataFrame:
    """Per (table, variable, group): the counts against n (or the parent row) and the
    percentages against 100, as the table's layout in ``paper.toml`` allows."""
    rows = []
    for (table, variable, group), c in cells.groupby(["table", "variable", "group"], sort=False):
        spec = paper.table(table)
        if variable in spec.non_exclusive:
            continue  # a patient may be in several rows
        n = int(c["n"].iloc[0])
        total = sum(parse_count(k) for k in c["count"])
        parent = spec.subrows.get(variable)
        target, against = n, "group"
        if parent is not None:
            prow = cells[(cells["table"] == table) & (cells["variable"] == parent)
                         & (cells["category"] == variable) & (cells["group"] == group)]
            if len(prow) != 1:
                raise DataError(paper.path("paper.toml"), None, "tables.subrows",
                                f"{table}: no single parent row {parent!r} / {variable!r} for {group!r}")
            target, against = parse_count(prow["count"].iloc[0]), "parent"
        rows.append(dict(table=table, variable=variable, group=group, check="count-sum", n=n,
                         target=target, against=against, total=int(total), consistent=total == target,
                         reported_low=target, reported_high=target, recomputed_low=total,
                         recomputed_high=total, sharpness=0.0))   # exact: every other total fails
        pcts = [parse_value(p, lower_bound=0).interval for p in c["percent"] if p]
        if parent is None and pcts and len(pcts) == len(c):
            lo, hi = float(sum(p.low for p in pcts)), float(sum(p.high for p in pcts))
            rows.append(dict(table=table, variable=variable, group=group, check="percent-sum", n=n,
                             target=100, against="100", total=np.nan, consistent=lo <= 100 <= hi,
                             reported_low=100.0, reported_high=100.0, recomputed_low=lo,
                             recomputed_high=hi, sharpness=min(1.0, (hi - lo) / 100)))   # of 100 points
    return pd.DataFrame(rows)


register("percent-of-n", recomputed="{recomputed_list}",
         consistent="Every percentage in this row reproduces from its count and n = {n:,}.",
         inconsistent="{bad_list}.")
register("percent-of-n:one", recomputed="{count:,}/{n:,} = {recomputed_pct}%",
         consistent="{count:,} of {n:,} is {recomputed_pct}%, as printed.{basis}",
         inconsistent="{count:,} of {n:,} is {recomputed_pct}%, not {percent}%; {percent}% of {n:,} "
                      "would need {possible_text}.{basis}")
register("percent-of-n:possible", recomputed="possible counts: {possible_list}",
         consistent="{percent}% of {n:,} is {possible_text}; the count itself is not printed.{basis}",
         plausible="{percent}% of {n:,} is {possible_text}; the count itself is not printed, and with "
                   "n = {n:,}, {sharpness:pct} of the percentages printable at this precision are "
                   "possible, so passing shows little.{basis}",
         inconsistent="No whole number of the {n:,} patients gives {percent}% ({nearest}); this "
                      "printing cannot be right.{basis}")
register("count-sum", recomputed="sum of counts = {total:,}",
         consistent="The categories add up to the group ({total:,}).",
         inconsistent="The counts add to {total:,}, not {target:,} (group n = {n:,}); a category may "
                      "be missing.")
register("count-sum:parent", recomputed="sub-rows add to {total:,}",
         consistent="The sub-rows add up to their parent row ({total:,}).",
         inconsistent="The sub-rows add to {total:,}, not the parent row's {target:,}.")
register("percent-sum", recomputed="{recomputed_low:g}–{recomputed_high:g}%",
         consistent="The printed percentages can add to 100.",
         inconsistent="The printed percentages cannot add to 100 (they add to {recomputed_low:g}–"
                      "{recomputed_high:g}).")


def _possible_text(possible: list[int]) -> str:
    if not possible:
        return "no whole number of patients"
    return " or ".join(f"{k:,}" for k in possible) + (" patient" if possible == [1] else " patients")


def _nearest(percent: str, n: int) -> str:
    lo = int(float(parse_value(percent, lower_bound=0).value) * n / 100)
    return ", ".join(f"{k}/{n} = {100 * k / n:.1f}%" for k in (lo, lo + 1) if 0 <= k <= n)


def _table_rows(paper: Paper) -> list[dict]:
    cells = table_cells(paper)
    out = []
    checked = grim_map(cells[cells["percent"] != ""])
    for (table, variable, group), c in checked.groupby(["table", "variable", "group"], sort=False):
        bad = c[~c["consistent"]]
        n = int(c["n_int"].iloc[0])
        out.append(dict(
            slug=slug(table, variable, group, "percent-of-n"), location=f"{table}, {variable} ({group})",
            quantity=f"{variable}: percent of n", check="percent-of-n",
            verdict="consistent" if bad.empty else "inconsistent", n=n,
            reported="; ".join(f"{k} ({p}%)" for k, p in zip(c["count"], c["percent"])),
            recomputed_list="; ".join(f"{k}/{n} = {r}%" for k, r in zip(c["count_int"], c["recomputed_pct"])),
            bad_list=" ".join(f"{k} ({p}%): {p}% of {n:,} needs {_possible_text(pos)}"
                              for k, p, pos in zip(bad["count"], bad["percent"], bad["possible"])),
            reported_low=(bad if len(bad) else c)["reported_low"].iloc[0],
            reported_high=(bad if len(bad) else c)["reported_high"].iloc[0],
            recomputed_low=(bad if len(bad) else c)["recomputed_low"].iloc[0],
            recomputed_high=(bad if len(bad) else c)["recomputed_high"].iloc[0],
            sharpness=float(c["sharpness"].max())))
    for r in sums_map(cells, paper).itertuples():
        out.append(dict(
            slug=slug(r.table, r.variable, r.group, r.check), location=f"{r.table}, {r.variable} ({r.group})",
            quantity=f"{r.variable}: {r.check.replace('-', ' ')}", check=r.check,
            verdict="consistent" if r.consistent else "inconsistent",
            reported=(f"parent row {r.target:,}" if r.against == "parent" else
                      f"n = {r.n:,}" if r.check == "count-sum" else "100%"),
            template="parent" if r.against == "parent" else "",
            total=int(r.total) if r.total == r.total else 0, target=int(r.target), n=int(r.n),
            reported_low=r.reported_low, reported_high=r.reported_high,
            recomputed_low=r.recomputed_low, recomputed_high=r.recomputed_high, sharpness=r.sharpness))
    return out


# --- percentages printed anywhere else ----------------------------------------------------

def _key_value(paper: Paper, ref: str, what: str) -> str:
    """The printed count behind a key or a ``reported.csv`` row id (for ``[[percentages]]``)."""
    m = mentions(paper)
    for component in ("count", "events", "value", "n", "denominator"):
        hit = m[(m["key"] == ref) & (m["component"] == component)]
        if len(hit):
            return hit["printed"].iloc[0]
    if paper.has("reported.csv"):
        rep = paper.read("reported.csv")
        row = rep[rep["id"] == ref]
        if len(row):
            comps = text_components(row["reported"].iloc[0])
            value = comps.get("count", comps.get("value"))
            if value is not None:
                return value
    raise DataError(paper.path("paper.toml"), None, what, f"{ref!r} is no key or row id that prints a count")


def _one(paper: Paper, *, slug_: str, location: str, quantity: str, reported: str, count, percent: str,
         n, basis: str = "", depends_on: str = "", issue: str = "") -> dict:
    res = grim(count, percent, n)
    n_int = parse_count(n) if isinstance(n, str) else int(n)
    lo, hi = interval_bounds(_as_reported(percent).interval)
    rec = np.nan if res["count"] is None else 100 * res["count"] / n_int
    return dict(slug=slug_, location=location, quantity=quantity, reported=reported, check="percent-of-n",
                verdict="consistent" if res["consistent"] else "inconsistent",
                template="one" if res["count"] is not None else "possible", count=res["count"],
                n=n_int, percent=_as_reported(percent).numeral, recomputed_pct=res["recomputed"],
                possible_text=_possible_text(res["possible"]),
                possible_list=", ".join(map(str, res["possible"])) or "none",
                nearest=_nearest(percent, n_int), basis=basis, depends_on=depends_on,
                reported_low=lo, reported_high=hi, recomputed_low=rec, recomputed_high=rec,
                sharpness=res["sharpness"], issue=issue)


def _declared(paper: Paper) -> tuple[list[dict], set[str]]:
    """``[[percentages]]`` and ``[[links]]`` of ``paper.toml``: percentages whose count is printed
    elsewhere, or is a table cell summed over the groups."""
    rows, handled = [], set()
    if not paper.has("reported.csv"):
        return rows, handled
    rep = paper.read("reported.csv")
    for i, d in enumerate(paper.percentages):
        ref = d.get("percent", "")
        hits = rep[(rep["key"] == ref) | (rep["id"] == ref)]
        if hits.empty:
            raise DataError(paper.path("paper.toml"), None, f"percentages[{i}].percent",
                            f"{ref!r} is no key or row id of reported.csv")
        count = _key_value(paper, d["count"], f"percentages[{i}].count")
        for _, r in hits.iterrows():
            n = _key_value(paper, d["n"], f"percentages[{i}].n") if "n" in d else r["n"]
            if not n:
                raise DataError(paper.path("reported.csv"), None, "n", f"{r['id']}: no denominator")
            basis = f" {paper.inference(d['depends_on'])}" if "depends_on" in d else ""
            comps = text_components(r["reported"])
            rows.append(_one(paper, slug_=f"pct.{slug(r['id'])}", location=r["location"],
                             quantity=r["quantity"] + (f" ({r['population']})" if r["population"] else ""),
                             reported=f"{count} ({comps['percent']}%)", count=count,
                             percent=comps["percent"] + "%", n=n, basis=basis,
                             depends_on=d.get("depends_on", ""),
                             issue=f"{paper.id}:{r['key']}" if r["key"] else ""))
            handled.add(r["id"])
    sizes = group_sizes(paper)
    for i, d in enumerate(paper.links):
        hits = rep[rep["id"] == d.get("row", "")]
        if hits.empty:
            raise DataError(paper.path("paper.toml"), None, f"links[{i}].row", f"no reported.csv row {d.get('row')!r}")
        r = hits.iloc[0]
        cells = table_cells(paper)
        spec = paper.table(d["table"])
        cells = cells[(cells["table"] == d["table"]) & (cells["variable"] == d["variable"])
                      & (cells["category"] == d["category"])]
        if spec.total:
            cells = cells[cells["group"] != spec.total]
        if cells.empty:
            raise DataError(paper.path("paper.toml"), None, f"links[{i}]",
                            f"no {d['table']} cell {d['variable']!r} / {d['category']!r}")
        k = sum(parse_count(c) for c in cells["count"])
        n = r["n"] or sum(sizes[(d["table"], g)] for g in cells["group"])
        comps = text_components(r["reported"])
        try:
            parse_value(comps.get("percent", ""), lower_bound=0)
        except ParseError:   # the link's row must print the percentage its table cells are checked against
            raise DataError(paper.path("reported.csv"), rep.attrs["lines"][hits.index[0]], "reported",
                            f"{r['reported']!r} prints no percentage for links[{i}] to check") from None
        rows.append(_one(paper, slug_=f"pct.{slug(r['id'])}", location=r["location"],
                         quantity=f"{d['variable']}: {d['category']}, whole cohort ({d['table']} counts)",
                         reported=r["reported"], count=k, percent=comps["percent"] + "%", n=n,
                         basis=f" The count is {d['table']}'s, summed over the groups."))
        handled.add(r["id"])
    return rows, handled


def _prose_rows(paper: Paper, handled: set[str]) -> list[dict]:
    """Prose that prints a percentage with its count and denominator, or with a denominator
    in the row's ``n`` column (then: is there a count that gives it?)."""
    if not paper.has("reported.csv"):
        return []
    table_keys = set()
    if paper.has("categorical.csv"):
        table_keys = {k for cell in paper.read("categorical.csv")["key"] for _, k in split_keys(cell)}
    out = []
    for _, r in paper.read("reported.csv").iterrows():
        comps = text_components(r["reported"])
        if r["id"] in handled or "percent" not in comps or "–" in r["reported"]:
            continue
        n = comps.get("denominator") or r["n"]
        if not n:
            continue
        if "count" not in comps and (r["key"] in table_keys or not r["key"]):
            continue  # a table cell is checked in its table, with its count
        out.append(_one(paper, slug_=f"pct.{slug(r['id'])}", location=r["location"],
                        quantity=r["quantity"] + (f" ({r['population']})" if r["population"] else ""),
                        reported=r["reported"], count=comps.get("count"), percent=comps["percent"] + "%",
                        n=n, issue=f"{paper.id}:{r['key']}" if r["key"] else ""))
    return out


_PERCENT_COLUMNS = ("percent", "pcr_percent")
_COUNT_COLUMNS = ("count", "pcr_count")
_N_COLUMNS = ("n", "denominator")


def _file_rows(paper: Paper) -> list[dict]:
    """Rows of any other file with a percentage and its denominator (and count, if printed)."""
    out = []
    for path in sorted(paper.folder.glob("*.csv")):
        if path.name in ("categorical.csv", "reported.csv", "groups.csv"):
            continue
        df = paper.read(path.name)
        pc = next((c for c in _PERCENT_COLUMNS if c in df.columns), None)
        nc = "denominator" if "denominator" in df.columns else "n" if "n" in df.columns else None
        if pc is None or nc is None or "location" not in df.columns:
            continue
        cc = next((c for c in _COUNT_COLUMNS if c in df.columns), None)
        for line, (_, r) in zip(df.attrs["lines"], df.iterrows()):
            if not (r[pc] and r[nc]):
                continue
            keys = [k for _, k in split_keys(r.get("key", ""))]
            name = keys[0] if keys else f"line-{line}"
            what = ", ".join(str(r[c]) for c in df.columns
                             if c in ("measure", "what", "to", "subgroup", "regimen_group", "group") and r[c])
            count = r[cc] if cc and r[cc] else None
            pct = r[pc].rstrip("%")
            out.append(_one(paper, slug_=f"pct.{slug(path.stem, name, r['location'][:24])}",
                            location=r["location"], quantity=what,
                            reported=f"{count} ({pct}%)" if count else f"{pct}% of {r[nc]}",
                            count=count, percent=pct + "%", n=r[nc],
                            issue=f"{paper.id}:{name}" if keys else ""))
    return out


def findings(paper: Paper) -> list:
    """Every percentage of a known n, and every table's sums, of one paper."""
    rows = _table_rows(paper) if paper.has("categorical.csv") and paper.has("groups.csv") else []
    declared, handled = _declared(paper)
    rows += declared + _prose_rows(paper, handled) + _file_rows(paper)
    return to_findings(paper.id, rows)
