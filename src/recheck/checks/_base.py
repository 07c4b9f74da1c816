"""What every check family shares: turning a family's tidy rows into findings.

A family's ``*_map`` returns numbers and verdicts; :func:`to_findings` renders each row's
``recomputed`` and ``explanation`` from the family's templates (:mod:`recheck.render`) and
makes the :class:`~recheck.schema.Finding`.  Nothing here decides a verdict.
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterable, Mapping

from ..judge import calibrate, severity
from ..render import render
from ..schema import Finding, NUMERIC_COLUMNS

__all__ = ["NOTHING_TESTED", "slug", "to_findings", "make_finding", "interval_bounds"]

NOTHING_TESTED = 1.0
"""The sharpness of a not-checkable finding: no test was made, so nothing was rejected."""


def slug(*parts: str) -> str:
    """A stable, readable id fragment: ``slug("Table 1", "ECOG PS")`` → ``table-1.ecog-ps``.

    >>> slug("ER+/PR−", "≥ 2 sites")
    'erpos-prneg.ge-2-sites'
    """
    out = []
    for p in parts:
        s = str(p).lower().replace("≥", "ge").replace("≤", "le").replace("<", "lt").replace(">", "gt")
        s = s.replace("+", "pos").replace("−", "neg").replace("%", "pct")
        out.append(re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x")
    return ".".join(out)


def interval_bounds(iv) -> tuple[float, float]:
    """``(low, high)`` of a :class:`~recheck.reported.Interval` as floats (``nan`` if unbounded)."""
    if iv is None:
        return math.nan, math.nan
    lo = math.nan if iv.low is None else float(iv.low)
    hi = math.nan if iv.high is None else float(iv.high)
    return lo, hi


_FINDING_FIELDS = ("location", "quantity", "reported", "check", "verdict", "severity", "issue",
                   "depends_on") + NUMERIC_COLUMNS


def make_finding(source: str, fields: Mapping[str, Any]) -> Finding:
    """One finding from a family's row: ``slug`` (the id without the source), the finding
    fields, and any template fields; ``recomputed``/``explanation`` are rendered unless given."""
    f = dict(fields)
    # Only a sharp check may say "reproduces": a pass that would have accepted most values is
    # re-judged here, once for every family, and rendered from the family's "plausible" template.
    f["verdict"] = calibrate(f["verdict"], float(f.get("sharpness", math.nan)))
    if f["verdict"] == "not-checkable":
        f["sharpness"] = NOTHING_TESTED
    if math.isnan(float(f.get("sharpness", math.nan))):
        # every finding says how sharp its check was: a family that forgets fails here, not in print
        raise ValueError(f"{source}:{f['slug']}: check {f['check']!r} recorded no sharpness")
    if not f.get("severity"):
        num = lambda k: float(f.get(k, math.nan)) if f.get(k, "") != "" else math.nan
        f["severity"] = severity(f["verdict"], reported=(num("reported_low"), num("reported_high")),
                                 recomputed=(num("recomputed_low"), num("recomputed_high")),
                                 same_conclusion=f.get("same_conclusion"))
    if "explanation" in f and "recomputed" in f:
        rec, expl = f["recomputed"], f["explanation"]
    else:
        rec, expl = render(f["check"], f["verdict"], f)
        rec, expl = f.get("recomputed", rec), f.get("explanation", expl)
    kw = {k: f[k] for k in _FINDING_FIELDS if k in f}
    return Finding(id=f"{source}:{f['slug']}", source=source, recomputed=rec, explanation=expl, **kw)


def to_findings(source: str, rows: Iterable[Mapping[str, Any]]) -> list[Finding]:
    """:func:`make_finding` for every row."""
    return [make_finding(source, r) for r in rows]
