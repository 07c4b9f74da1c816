"""Sentences, rendered last: number formats and the templates of every check and verdict.

The check families (:mod:`recheck.checks`) decide verdicts and compute numbers; nothing
they return is prose.  This module turns a finding's fields into its ``recomputed`` and
``explanation`` text, once, at the end, from templates keyed by ``(check, verdict)``.
No sentence is ever read back into a number.

Number formats are defined here and only here:

>>> fmt_p(0.04123), fmt_p(0.000012), fmt_p(0.2468)
('0.041', '<0.0001', '0.25')
>>> fmt_range(0.0312, 0.0398, fmt_p)
'0.031–0.040'
>>> render_text("{p:p} with {n:,} patients", {"p": 0.0123, "n": 5304})
'0.012 with 5,304 patients'
"""

from __future__ import annotations

import math
import string
from typing import Any, Callable, Mapping

__all__ = ["fmt_p", "fmt_num", "fmt_range", "fmt_count", "render_text", "TEMPLATES", "render",
           "count_word", "join_and", "bottom_line"]


def fmt_p(p: float) -> str:
    """A p-value for reading: 3 decimals below 0.1, 2 above, ``<0.0001`` at the bottom."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "—"
    if p < 1e-4:
        return "<0.0001"
    if p < 1e-3:
        return f"{p:.4f}"
    return f"{p:.3f}" if p < 0.1 else f"{p:.2f}"


def fmt_num(x: float, digits: int = 2) -> str:
    """A number with *digits* decimals (``nan`` shown as an em dash)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, float) and math.isinf(x):
        return "not reached"
    return f"{x:.{digits}f}"


def fmt_count(k: int) -> str:
    """A count with a thousands separator."""
    return f"{int(k):,}"


def fmt_range(lo: float, hi: float, fmt: Callable[[float], str] = fmt_num) -> str:
    """``lo–hi`` in *fmt*, or one value when both ends print the same."""
    a, b = fmt(lo), fmt(hi)
    return a if a == b else f"{a}–{b}"


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count_word(n: int, capital: bool = False) -> str:
    """``3`` → ``three`` (up to ten; digits beyond)."""
    w = _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"
    return w.capitalize() if capital else w


def join_and(items) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class _Formatter(string.Formatter):
    """``str.format`` with the book's formats: ``{x:p}`` p-value, ``{x:n}`` 2 decimals,
    ``{x:n1}``/``{x:n3}`` other decimals, ``{x:pct}`` a share as a whole percentage."""

    def format_field(self, value: Any, spec: str) -> str:
        if spec == "p":
            return fmt_p(value)
        if spec.startswith("n") and spec[1:].isdigit() or spec == "n":
            return fmt_num(value, int(spec[1:] or 2))
        if spec == "pct":
            return f"{100 * value:.0f}%"
        if spec == "words":
            return count_word(value)
        return super().format_field(value, spec)


_FORMATTER = _Formatter()


def render_text(template: str, fields: Mapping[str, Any]) -> str:
    """Fill *template* from *fields* with the book's number formats."""
    return _FORMATTER.vformat(template, (), dict(fields))


TEMPLATES: dict[tuple[str, str], str] = {}
"""``(check, verdict)`` → explanation template; ``(check, "*")`` applies to every verdict.

Each check family registers its templates here (see :func:`register`)."""

RECOMPUTED: dict[str, str] = {}
"""check → template of the ``recomputed`` column."""


def register(check: str, recomputed: str | None = None, **by_verdict: str) -> None:
    """Register the templates of one check (verdict names with ``-`` written ``_``)."""
    if recomputed is not None:
        RECOMPUTED[check] = recomputed
    for verdict, text in by_verdict.items():
        TEMPLATES[(check, verdict.replace("_", "-"))] = text


def render(check: str, verdict: str, fields: Mapping[str, Any], *, template: str | None = None
           ) -> tuple[str, str]:
    """``(recomputed, explanation)`` of one finding from its check, verdict and fields.

    A field named ``template`` (or the *template* argument) picks a variant: the key
    ``(check + ":" + template, verdict)`` is tried before ``(check, verdict)``.
    """
    variant = template or fields.get("template") or ""
    keys = [(f"{check}:{variant}", verdict), (f"{check}:{variant}", "*")] if variant else []
    keys += [(check, verdict), (check, "*")]
    text = next((TEMPLATES[k] for k in keys if k in TEMPLATES), None)
    if text is None:
        raise KeyError(f"no explanation template for check {check!r}, verdict {verdict!r}"
                       + (f", variant {variant!r}" if variant else ""))
    rec = RECOMPUTED.get(f"{check}:{variant}", RECOMPUTED.get(check, "{recomputed_text}"))
    return render_text(rec, fields), render_text(text, fields)


def bottom_line(verdicts: Mapping[str, int], issues: Mapping[str, int]) -> str:
    """A chapter's bottom line in one sentence, from its counts of findings by verdict and of
    distinct issues by severity.

    >>> bottom_line({"consistent": 200, "plausible": 1, "gross": 1, "inconsistent": 5, "not-checkable": 7},
    ...             {"decisive": 1, "major": 2, "minor": 1})
    'Of 214 checks, 6 are flags, in 4 distinct issues: 1 decisive (a conclusion changes at the stated α), 2 major and 1 minor; 200 reproduce, 1 passes only checks too blunt to confirm it and 7 cannot be checked.'
    >>> bottom_line({"consistent": 12}, {})
    'Of 12 checks, none is a flag; 12 reproduce.'
    """
    total = sum(verdicts.values())
    flags = total - sum(verdicts.get(v, 0) for v in ("consistent", "plausible", "not-checkable"))
    n_issues = sum(issues.values())
    one = {"consistent": ("reproduces", "reproduce"),     # verdict → (verb for 1, verb for more)
           "plausible": ("passes only checks too blunt to confirm it",
                         "pass only checks too blunt to confirm them"),
           "not-checkable": ("cannot be checked", "cannot be checked")}
    rest = [f"{n:,} {one[key][n != 1]}" for key in one if (n := verdicts.get(key, 0))]
    tail = f"; {join_and(rest)}." if rest else "."
    if not flags:
        return f"Of {total:,} checks, none is a flag" + tail
    grades = [f"{issues[s]:,} {s}" + (" (a conclusion changes at the stated α)" if s == "decisive" else "")
              for s in ("decisive", "major", "minor") if issues.get(s)]
    return (f"Of {total:,} checks, {flags:,} {'is a flag' if flags == 1 else 'are flags'}, in {n_issues:,} "
            f"distinct issue{'' if n_issues == 1 else 's'}: {join_and(grades)}" + tail)
