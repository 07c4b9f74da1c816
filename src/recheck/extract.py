"""Every printed mention of every keyed quantity of a paper: the one harvester.

A ``key`` names one quantity wherever it is printed (``data/SCHEMA.md``).  A key cell holds
one or more keys separated by ``;``; a bare key names the row as a whole, and each of the
row's number columns is a *component* of it (``count``, ``percent``, ``median``, ``p``…);
``col=key`` names a single column (``median=pfs-median:her2-low:all; p=pfs-p:her2-low-vs-zero:all``).

Running text (``reported.csv``) is split into the same components
(:func:`text_components`): ``"74.8% (94/131)"`` gives percent 74.8, count 94 and
denominator 131.  A lone number takes the name of the key's component in the tables
(a median, a rate, a count…), so that ``"99 deaths"`` meets the table's 99 events.

>>> sorted(text_components("74.8% (94/131)").items())
[('count', '94'), ('denominator', '131'), ('percent', '74.8')]
>>> text_components("HR: 1.78; 95% CI: 1.23–2.58")
{'estimate': '1.78', 'ci_low': '1.23', 'ci_high': '2.58'}
>>> text_components("p = 0.04")
{'p': '0.04'}
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from .data import DataError
from .paper import Paper
from .reported import ParseError, parse_estimate, parse_p, parse_value

__all__ = ["COMPONENT_COLUMNS", "split_keys", "text_components", "mentions", "printed",
           "normalise_text", "is_approximate", "WORD_NUMBERS"]

COMPONENT_COLUMNS = {
    "count": "count", "pcr_count": "count", "n": "n", "denominator": "denominator",
    "percent": "percent", "pcr_percent": "percent", "p": "p", "mean": "mean", "sd": "sd",
    "median": "median", "q1": "q1", "q3": "q3", "min": "min", "max": "max", "events": "events",
    "rate": "rate", "estimate": "estimate", "ci_low": "ci_low", "ci_high": "ci_high",
}
"""Columns of the data files that hold a number, and the component each holds."""

MAIN_ORDER = ("median", "rate", "estimate", "mean", "count", "events", "percent", "n")
"""The component a lone printed number is taken to be, in order of preference among the
components the tables print for its key."""

WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
                "fourteen": 14, "fifteen": 15, "twenty": 20}
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_APPROX = re.compile(r"^\s*(approximately|about|around|nearly|almost|roughly|~|≈|over|more than|"
                     r"less than|under)\b", re.I)

_NUM = r"\d[\d,]*(?:\.\d+)?|\.\d+"
_P_RE = re.compile(r"\b[pP](?:\s*-?\s*values?)?\s*(=|<|>|≤|≥|<=|>=)\s*(" + _NUM + ")")
_FRAC_RE = re.compile(r"(?<![\d.])(\d+)\s*/\s*(\d+)(?![\d.])")
_PCT_RE = re.compile(r"(" + _NUM + r")\s*%")
_N_EQ_RE = re.compile(r"\b[nN]\s*=\s*(\d[\d,]*)")
_COUNT_PAREN_RE = re.compile(r"^\s*(\d[\d,]*)\s*(?:patients?\s*)?\(")
_RANGE_RE = re.compile(r"\brange:?\s*(" + _NUM + r")\s*(?:–|-|—|to)\s*(" + _NUM + ")")
_LONE_RE = re.compile(r"^\s*(?:[<>≤≥]\s*)?(" + _NUM + r")\s*(?:[A-Za-z/²³]+\d?(?:\s+[A-Za-z/]+\d?){0,3})?\.?\s*$")
_CI_WORDS = re.compile(r"9[059]\s*%\s*(?:CI|confidence\s+inter[‑-]?\s*val)\s*[:,]?", re.I)
_RATIO_RE = re.compile(r"^\s*(?:(?:adjusted\s+)?(?:HR|OR|RR|hazard\s+ratio|odds\s+ratio)\b)?\s*[:=,]?\s*"
                       r"(" + _NUM + r")(?![\d.])\s*(?:months?|years?|mo)?\s*[,;(]?\s*(?:CI\s*[:,]?\s*)?\(?\s*(" + _NUM + r")\s*(?:–|-|—|to|,)\s*("
                       + _NUM + r")\s*\)?\s*$", re.I)


def split_keys(cell: str) -> list[tuple[str | None, str]]:
    """``"median=k1; p=k2"`` → ``[("median", "k1"), ("p", "k2")]``; a bare key has column None.

    >>> split_keys("orr:her2-low; p=orr:p")
    [(None, 'orr:her2-low'), ('p', 'orr:p')]
    """
    out = []
    for part in (cell or "").split(";"):
        part = part.strip()
        if not part:
            continue
        if "=" in part:
            col, key = (s.strip() for s in part.split("=", 1))
            out.append((col, key))
        else:
            out.append((None, part))
    return out


def is_approximate(text: str) -> bool:
    """Whether printed text qualifies its number (``approximately 10%``, ``about five years``)."""
    return bool(_APPROX.match(text))


def normalise_text(text: str) -> str:
    """Text for comparing non-numeric mentions: lower case, one dash, numerals for words.

    >>> normalise_text("Phase III") == normalise_text("phase 3")
    True
    """
    t = text.lower().replace("–", "-").replace("—", "-").replace("‑", "-")
    t = re.sub(r"\b(i{1,3}|iv)\b", lambda m: _ROMAN[m[0]], t)
    t = re.sub(r"\b(" + "|".join(WORD_NUMBERS) + r")\b", lambda m: str(WORD_NUMBERS[m[0]]), t)
    return re.sub(r"\s+", " ", t).strip()


def text_components(text: str) -> dict[str, str]:
    """The numbers of a printed phrase, by component (printed digits kept as printed).

    A phrase with no digit (and no number word) is one ``text`` component.
    """
    t = text.strip()
    word = t.lower().rstrip(".")
    if word in WORD_NUMBERS:
        return {"value": str(WORD_NUMBERS[word])}
    if not re.search(r"\d", t):
        return {"text": t}
    comp: dict[str, str] = {}
    t = _CI_WORDS.sub(" CI ", t)
    if m := _P_RE.search(t):
        rel = {"<=": "≤", ">=": "≥"}.get(m.group(1), m.group(1))
        comp["p"] = m.group(2) if rel == "=" else f"{rel} {m.group(2)}"
        t = (t[:m.start()] + t[m.end():]).strip(" ;,()")
        if not t or not re.search(r"\d", t):
            return comp
    if m := _RANGE_RE.search(t):
        comp["min"], comp["max"] = m.group(1), m.group(2)
        t = t[:m.start()].strip(" ;,(")
    if m := _FRAC_RE.search(t):
        comp["count"], comp["denominator"] = m.group(1), m.group(2)
    if m := _N_EQ_RE.search(t):
        comp["count"] = m.group(1)
    if m := _COUNT_PAREN_RE.match(t):
        comp["count"] = m.group(1)
    if m := _PCT_RE.search(t):
        comp["percent"] = m.group(1)
    if comp:
        return comp
    if m := _RATIO_RE.match(t):
        return {"estimate": m.group(1), "ci_low": m.group(2), "ci_high": m.group(3)}
    if m := _LONE_RE.match(t):
        return {"value": m.group(1)}
    return {"text": text.strip()}


def _cell_number(text: str, component: str) -> str:
    """A table cell as a number :mod:`recheck.reported` reads: ``Fourteen`` → ``14``,
    ``all P value < 0.05`` → ``< 0.05``; any other cell is kept as printed."""
    try:
        (parse_p if component == "p" else parse_value)(text)
        return text
    except ParseError:
        pass
    comps = text_components(text)
    if len(comps) == 1 and "text" not in comps:
        return next(iter(comps.values()))
    return text


NO_MEDIAN = ("nr", "not reached", "not yet estimable")
"""A median printed as words: no number to compare (lower case)."""


def _readable(text: str, component: str) -> bool:
    try:
        (parse_p if component == "p" else parse_value)(text)
    except ParseError:
        return False
    return True


_MENTION_COLUMNS = ["key", "location", "component", "printed", "file", "line", "approximate", "what",
                    "text"]
VARIABLE_LEVEL = {"categorical.csv": ("p",)}
"""Columns that belong to a group of rows, not to each row's key: a table's p is repeated on
every row of its variable."""
_WHAT_COLUMNS = ("measure", "endpoint", "variable", "category", "comparison", "subgroup", "regimen",
                 "regimen_group", "description", "region", "what", "setting", "group")


def _what(row) -> str:
    """A readable name for a structured row, from its label columns."""
    return ", ".join(dict.fromkeys(str(row[c]) for c in _WHAT_COLUMNS if c in row and str(row[c]).strip()))


@lru_cache(maxsize=32)
def _mentions_cached(paper: Paper) -> pd.DataFrame:
    rows = []
    structured_kinds: dict[str, set[str]] = {}
    for path in sorted(paper.folder.glob("*.csv")):
        name = path.name
        if name == "reported.csv":
            continue
        df = paper.read(name)
        if "key" not in df.columns or "location" not in df.columns:
            continue
        lines = df.attrs.get("lines", [None] * len(df))
        for line, (_, r) in zip(lines, df.iterrows()):
            for col, key in split_keys(r["key"]):
                if col is not None:
                    if col not in df.columns:
                        raise DataError(path, line, "key", f"{col!r} in {col}={key} is not a column")
                    cols = {col: COMPONENT_COLUMNS.get(col, col)}
                else:
                    cols = {c: k for c, k in COMPONENT_COLUMNS.items() if c in df.columns
                            and c not in VARIABLE_LEVEL.get(name, ())}
                for c, comp in cols.items():
                    value = r[c].strip()
                    if not value:
                        continue
                    if c == "median" and value.lower() in ("nr", "not reached"):
                        continue
                    value = _cell_number(value, comp)
                    if not _readable(value, comp) and not (c == "median" and value.lower() in NO_MEDIAN):
                        # a keyed cell is compared with every other printing of its key
                        raise DataError(path, line, c, f"{r[c]!r} is not a number: the {comp} of {key!r} "
                                        "must be one to be compared with its other printings")
                    rows.append((key, r["location"], comp, value, name, line, False, _what(r), r[c]))
                    structured_kinds.setdefault(key, set()).add(comp)
                if col is None and "median_ci" in df.columns and r["median_ci"].strip():
                    try:
                        ci = parse_estimate(r["median_ci"]).ci
                    except ParseError:
                        ci = None
                    if ci:
                        for comp, rep in zip(("ci_low", "ci_high"), ci):
                            rows.append((key, r["location"], comp, rep.text.strip(), name, line,
                                         False, _what(r), r["median_ci"]))
    if paper.has("reported.csv"):
        rep = paper.read("reported.csv")
        lines = rep.attrs.get("lines", [None] * len(rep))
        for line, (_, r) in zip(lines, rep.iterrows()):
            for col, key in split_keys(r["key"]):
                text = r["reported"]
                approx = is_approximate(text) or r.get("qualifier", "").strip() == "approximate"
                comps = text_components(text)
                kinds = structured_kinds.get(key, set())
                main = next((k for k in MAIN_ORDER if k in kinds), None)
                for comp, value in comps.items():
                    name = comp
                    if comp in ("value", "estimate", "percent") and comp not in kinds and main:
                        name = main
                    what = r["quantity"] + (f" ({r['population']})" if r["population"]
                                            and r["population"] not in r["quantity"] else "")
                    rows.append((key, r["location"], name, value, "reported.csv", line, approx, what,
                                 text))
    out = pd.DataFrame(rows, columns=_MENTION_COLUMNS)
    # One printed value at one place, extracted into two files, is one mention.
    same = out["printed"].str.replace(r"\s*%\s*$", "", regex=True).str.strip()
    return out[~pd.DataFrame({"k": out["key"], "l": out["location"], "c": out["component"],
                              "v": same}).duplicated()].reset_index(drop=True)


def mentions(paper: Paper) -> pd.DataFrame:
    """Every printed mention of every keyed quantity in the paper's folder.

    One row per (key, location, component, printed text): ``key``, ``location``,
    ``component``, ``printed`` (as printed), ``file``, ``line`` and ``approximate`` (the
    text qualifies its number: *approximately*, *about*…).
    """
    return _mentions_cached(paper).copy()


def printed(paper: Paper, key: str, component: str | None = None, location: str | None = None) -> str:
    """The text printed for *key* (its *component*), at the first *location* starting so.

    Raises
    ------
    DataError
        If nothing is printed for it, naming the paper's folder and the key.
    """
    m = _mentions_cached(paper)
    hit = m[m["key"] == key]
    if component is not None:
        hit = hit[hit["component"] == component]
    if location is not None:
        hit = hit[hit["location"].str.startswith(location)]
    if hit.empty:
        raise DataError(paper.folder, None, "key",
                        f"nothing printed for {key!r}"
                        + (f" ({component})" if component else "")
                        + (f" at {location!r}" if location else ""))
    return hit["printed"].iloc[0]
