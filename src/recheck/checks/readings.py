"""Readings: verdicts that are judgements of the book's authors, kept in data, not in code.

Some statements cannot be computed: two wordings of a study period, a sentence that says
more than its results, a news headline that drops "significantly".  Their verdicts live in
``data/<paper>/readings.csv`` — columns ``check``, ``id``, ``verdict``, ``reason`` — where
``id`` is what the check looks the reading up by (a key, a claim id).  A check asks for a
reading only where its computation cannot decide; a reading nobody asked for is an error,
so that a stale reading cannot silently outlive the data it judged.
"""

from __future__ import annotations

from ..data import DataError
from ..judge import VERDICTS
from ..paper import Paper
from ..schema import CHECKS

__all__ = ["READINGS", "READING_SHARPNESS", "readings", "reading", "reset_usage", "check_usage"]

READINGS = "readings.csv"
READING_SHARPNESS = 0.0
"""The sharpness recorded for a reading: it compares the words with the passage it names and
chooses one verdict, so any other wording would be judged anew. This is the check's
resolution, not the reader's reliability, which its reason lets a reader judge."""
_COLUMNS = {"check": None, "id": None, "verdict": None, "reason": None}
_USED: dict[tuple[str, str], set[tuple[str, str]]] = {}


def readings(paper: Paper) -> dict[tuple[str, str], tuple[str, str, int]]:
    """``(check, id)`` → ``(verdict, reason, line)`` for every row of ``readings.csv``.

    Raises
    ------
    DataError
        On an unknown check or verdict, an empty reason or a repeated ``(check, id)``.
    """
    if not paper.has(READINGS):
        return {}
    df = paper.read(READINGS, _COLUMNS)
    path = paper.path(READINGS)
    out: dict[tuple[str, str], tuple[str, str, int]] = {}
    for line, (_, r) in zip(df.attrs["lines"], df.iterrows()):
        check, rid, verdict, reason = (r[c].strip() for c in ("check", "id", "verdict", "reason"))
        if check not in CHECKS:
            raise DataError(path, line, "check", f"{check!r} is not a check kind")
        if verdict not in VERDICTS:
            raise DataError(path, line, "verdict", f"{verdict!r} is not a verdict; use one of "
                            + ", ".join(VERDICTS))
        if not reason:
            raise DataError(path, line, "reason", "empty: a verdict needs its reason")
        if (check, rid) in out:
            raise DataError(path, line, "id", f"{rid!r} already has a {check} reading on line "
                            f"{out[(check, rid)][2]}")
        out[(check, rid)] = (verdict, reason, line)
    return out


def _usage(paper: Paper) -> set[tuple[str, str]]:
    return _USED.setdefault((paper.id, str(paper.folder)), set())


def reading(paper: Paper, check: str, rid: str) -> tuple[str, str] | None:
    """The ``(verdict, reason)`` the paper's readings give *rid* for *check*, or None."""
    hit = readings(paper).get((check, rid))
    if hit is None:
        return None
    _usage(paper).add((check, rid))
    return hit[0], hit[1]


def reset_usage(paper: Paper) -> None:
    """Forget which readings were asked for (before the checks of a paper run)."""
    _usage(paper).clear()


def check_usage(paper: Paper) -> None:
    """Raise for the first reading that no check asked for (after the checks ran)."""
    used = _usage(paper)
    for (check, rid), (_, _, line) in readings(paper).items():
        if (check, rid) not in used:
            raise DataError(paper.path(READINGS), line, "id",
                            f"no {check} check asks for a reading of {rid!r}: its computation "
                            "decides, or the id is misspelt")
