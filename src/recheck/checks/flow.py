"""Flow arithmetic: printed counts that must add up (patient flow, events by group).

``paper.toml`` declares each equation by the keys of the printed counts::

    [[flow]]
    id = "analysed"
    what = "patients analysed = ITT − HER2-positive − HER2 missing/unknown"
    total = "n:analysed"
    plus = ["n:itt"]
    minus = ["n:excl-her2pos", "n:excl-her2unk"]
    location = "Results para 1"      # optional: read the counts printed there

A term is a key (its first printed count), ``key#component`` (``os:all#events``) or
``group:<table>|<group>`` (an n of ``groups.csv``).  The equation holds when the total
equals the sum, exactly: counts are not rounded.
"""

from __future__ import annotations

from ..data import DataError
from ..extract import mentions
from ..paper import Paper
from ..render import register
from ..reported import ParseError, parse_count
from ._base import slug, to_findings
from .percent import group_sizes

__all__ = ["flow_value", "flow_check", "findings"]

_COUNT_COMPONENTS = ("count", "n", "events", "value", "denominator")


def flow_value(paper: Paper, term: str, location: str = "") -> tuple[int, str]:
    """``(count, where)`` of one term of a flow equation (see the module docstring)."""
    if term.startswith("group:"):
        table, _, group = term[len("group:"):].partition("|")
        sizes = group_sizes(paper)
        if (table, group) not in sizes:
            raise DataError(paper.path("paper.toml"), None, "flow", f"no groups.csv n for {table!r}, {group!r}")
        return sizes[(table, group)], table
    key, _, component = term.partition("#")
    m = mentions(paper)
    hit = m[m["key"] == key]
    hit = hit[hit["component"] == component] if component else hit[hit["component"].isin(_COUNT_COMPONENTS)]
    if location and hit["location"].str.startswith(location).any():
        hit = hit[hit["location"].str.startswith(location)]
    if hit.empty:
        raise DataError(paper.path("paper.toml"), None, "flow", f"nothing printed for {term!r}")
    first = hit.iloc[0]
    try:
        return parse_count(first["printed"].replace(",", "")), first["location"]
    except ParseError:   # e.g. "0.5" printed for a key the flow adds up as patients
        column = "reported" if first["file"] == "reported.csv" else first["component"]
        raise DataError(paper.path(first["file"]), first["line"], column,
                        f"{first['text']!r} is not a count, but flow term {term!r} adds it up") from None


def flow_check(total: int, plus: list[int], minus: list[int]) -> dict:
    """Whether ``total = Σ plus − Σ minus``.

    >>> flow_check(5304, [5753], [14, 435])["consistent"]
    True
    """
    got = sum(plus) - sum(minus)
    return {"consistent": got == total, "sum": got}


register("flow-arithmetic", recomputed="{expression} = {sum:,}",
         consistent="The counts add up: {expression} = {sum:,}, as printed.",
         inconsistent="{expression} = {sum:,}, but the text prints {total:,}: patients are unaccounted for.")


def findings(paper: Paper) -> list:
    """Every ``[[flow]]`` equation of the paper."""
    rows = []
    for i, eq in enumerate(paper.flow):
        for need in ("id", "what", "total", "plus"):
            if need not in eq:
                raise DataError(paper.path("paper.toml"), None, f"flow[{i}].{need}", "required key is missing")
        loc = eq.get("location", "")
        total, where = flow_value(paper, eq["total"], loc)
        plus = [flow_value(paper, t, loc)[0] for t in eq["plus"]]
        minus = [flow_value(paper, t, loc)[0] for t in eq.get("minus", [])]
        res = flow_check(total, plus, minus)
        expression = " + ".join(f"{x:,}" for x in plus) + "".join(f" − {x:,}" for x in minus)
        rows.append(dict(slug=f"flow.{slug(eq['id'])}", location=loc or where, quantity=eq["what"],
                         reported=f"{total:,}", check="flow-arithmetic",
                         verdict="consistent" if res["consistent"] else "inconsistent",
                         expression=expression, sum=res["sum"], total=total,
                         reported_low=total, reported_high=total, recomputed_low=res["sum"],
                         recomputed_high=res["sum"], accept_low=total, accept_high=total,
                         sharpness=0.0,                  # exact: every other total fails
                         issue=f"{paper.id}:{eq['total']}" if not res["consistent"] else ""))
    return to_findings(paper.id, rows)
