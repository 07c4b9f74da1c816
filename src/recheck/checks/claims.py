"""Claims: what a sentence says, against the findings and printed numbers it rests on.

``claims.csv`` holds one row per sentence: ``id``, ``location``, ``claim`` (verbatim),
``says`` and ``rests_on``.  ``says`` is what the sentence asserts, one or more of
(``;``-separated):

``significant`` / ``not significant``
    the printed p is below / not below α, the CI excludes / includes 1, and a recomputed p
    agrees; any contradiction flips the conclusion and is *gross*;
``trend``
    p between α and 0.10 (printed, or implied by the CI);
``similar``
    two proportions whose χ² p is not below α;
``higher`` / ``lower``, ``worse`` / ``better``
    the direction of two proportions or medians (worse = shorter median, HR above 1);
``difference``
    the printed difference (``value`` column) of two printed values.

``rests_on`` names the evidence in machine-readable form (``;``-separated):

``ratio:<key>``            a hazard/odds ratio with its CI and p (``ratios.csv``)
``p:<key>``                a printed p, wherever it is printed
``reported:<id>``          a ``reported.csv`` row (its printed p)
``table-p:<table>|<variable>[|<category>]``   a table's printed p and its recomputation
``finding:<slug>``         another finding of the paper: the claim repeats it
``proportions:<key>,<key>``  two printed k/n (any file with ``count`` and a denominator)
``median:<key>,<key>``     two printed medians
``values:<key>,<key>``     two printed values (for ``difference``)

A claim no computation can judge takes its verdict and reason from ``readings.csv``
(check ``claim``); its evidence, if any, is still shown.  A claim that rests on an
inference says so (``depends_on``).
"""

from __future__ import annotations

import math

from ..data import DataError
from ..extract import is_approximate, mentions, text_components
from ..judge import FLAGS, side_of_alpha, worst
from ..paper import Paper
from ..render import fmt_p, fmt_range, register
from ..reported import Interval, parse_count, parse_p, parse_value
from ._base import slug, to_findings
from .percent import format_percent, grim
from .ratios import check_ratio
from .readings import READING_SHARPNESS, reading
from .tables import table_pvalues

__all__ = ["SAYS", "CONTRARY", "claim_sharpness", "findings", "evidence"]

SAYS = ("significant", "not significant", "trend", "similar", "higher", "lower", "worse", "better",
        "difference")

CONTRARY = {"significant": "not significant", "not significant": "significant", "trend": "significant",
            "similar": "not similar", "higher": "lower", "lower": "higher", "worse": "better",
            "better": "worse"}
"""What each word of ``says`` is tested against: a claim's check is sharp when its evidence would
have rejected the contrary claim (``not similar`` is internal: two proportions whose p is below α)."""

_CLAIM_COLUMNS = {"id": None, "location": None, "claim": None, "says": None, "rests_on": None}


class _Evidence:
    """One piece of evidence: what it shows, and the problems it raises for a claim."""

    def __init__(self, text: str, *, side: str | None = None, verdict: str | None = None,
                 p_low: float = math.nan, p_high: float = math.nan, direction: float | None = None,
                 difference: Interval | None = None, problems_for=None, repeats: bool = False,
                 issue: str = "", depends_on: str = "", sharpness: float = math.nan):
        self.text, self.side, self.verdict, self.issue = text, side, verdict, issue
        self.sharpness = sharpness     # a repeated finding's own sharpness
        self.depends_on = depends_on   # what the evidence itself rests on (an inference, the software)
        self.p_low, self.p_high, self.direction, self.difference = p_low, p_high, direction, difference
        self.problems_for = problems_for or (lambda says, alpha: [])
        self.repeats = repeats


def _p_side(rep, alpha):
    return side_of_alpha(rep.interval, alpha)


def _ratio_evidence(paper: Paper, key: str) -> _Evidence:
    r = paper.read("ratios.csv")
    row = r[r["key"] == key]
    if row.empty:
        raise KeyError(key)
    row = row.iloc[0]
    c = check_ratio(row["estimate"], row["ci_low"], row["ci_high"], row["p"] or None)
    est = float(c.estimate.value)
    p_txt = f", p {c.p.relation} {c.p.numeral}" if c.p else ""
    text = (f"{row['measure']} {row['estimate']} ({row['ci_low']}–{row['ci_high']}){p_txt}, whose CI "
            f"implies p = {c.implied_p_text}")

    def problems(says, alpha):
        out, gross = [], False
        for s in says:
            if s in ("significant", "not significant"):
                if c.p is not None and _p_side(c.p, alpha) not in (None, s):
                    out.append(f"the printed p {c.p.relation} {c.p.numeral} is {'not ' if s == 'significant' else ''}below {alpha}")
                    gross = True
                if s == "significant" and c.ci_excludes_one is False:
                    out.append(f"the 95% CI {row['ci_low']}–{row['ci_high']} includes 1")
                    gross = True
                if s == "not significant" and c.ci_excludes_one is True:
                    out.append(f"the 95% CI {row['ci_low']}–{row['ci_high']} excludes 1")
                    gross = True
            elif s == "trend":
                if c.p is not None and not (c.p.interval.low is not None and float(c.p.interval.low) >= alpha
                                            and float(c.p.interval.high) <= 0.10):
                    out.append(f"p {c.p.relation} {c.p.numeral} is not between {alpha} and 0.10")
                if c.p is not None and c.p_consistent is False:
                    out.append(f"the CI {row['ci_low']}–{row['ci_high']} implies p ≈ {c.implied_p_text}, "
                               f"not {c.p.numeral}")
                elif float(c.implied_p.low) > 0.10:
                    out.append(f"the CI implies p = {c.implied_p_text}, nowhere near a trend")
            elif s in ("worse", "better") and (est < 1 if s == "worse" else est > 1):
                out.append(f"the printed HR is {row['estimate']}, {'below' if est < 1 else 'above'} 1")
        return [(p, gross) for p in out]
    return _Evidence(text, p_low=float(c.implied_p.low), p_high=float(c.implied_p.high), issue=f"{paper.id}:{key}",
                     direction=est - 1, problems_for=problems)


def _printed_p_evidence(text: str, where: str) -> _Evidence:
    rep = parse_p(text)

    def problems(says, alpha):
        out = []
        side = _p_side(rep, alpha)
        for s in says:
            if s in ("significant", "not significant") and side not in (None, s):
                out.append((f"the printed p {rep.relation} {rep.numeral} is "
                            f"{'not ' if s == 'significant' else ''}below {alpha}", True))
            if s == "trend" and not (rep.interval.low is not None and float(rep.interval.low) >= alpha
                                     and float(rep.interval.high) <= 0.10):
                out.append((f"p {rep.relation} {rep.numeral} is not between {alpha} and 0.10", False))
        return out
    return _Evidence(f"p {rep.relation} {rep.numeral} ({where})", problems_for=problems)


def _finding_evidence(f) -> _Evidence:
    return _Evidence(f"{f.quantity}: {f.verdict}", verdict=f.verdict, p_low=f.recomputed_low,
                     p_high=f.recomputed_high, repeats=True, issue=f.issue, depends_on=f.depends_on or "",
                     sharpness=f.sharpness)


def _table_p_evidence(f) -> _Evidence:
    rep = parse_p(f.reported)
    lo, hi = f.recomputed_low, f.recomputed_high
    rec = Interval.hull([lo, hi])

    def problems(says, alpha):
        out = []
        side = _p_side(rep, alpha)
        rs = side_of_alpha(rec, alpha)
        for s in says:
            if s not in ("significant", "not significant"):
                continue
            if side not in (None, s):
                out.append((f"the printed p {rep.relation} {rep.numeral} is "
                            f"{'not ' if s == 'significant' else ''}below {alpha}", True))
            elif rs not in (None, s):
                out.append((f"the p recomputed from the printed counts is {fmt_range(lo, hi, fmt_p)}", True))
        return out
    return _Evidence(f"{f.location}: printed p {rep.relation} {rep.numeral}, recomputed "
                     f"{fmt_range(lo, hi, fmt_p)}", p_low=lo, p_high=hi, problems_for=problems,
                     depends_on=f.depends_on or "")


def _proportions(paper: Paper, keys: list[str]):
    out = []
    for key in keys:
        hit = None
        for path in sorted(paper.folder.glob("*.csv")):
            df = paper.read(path.name)
            if "key" not in df.columns or "count" not in df.columns:
                continue
            den = "denominator" if "denominator" in df.columns else "n" if "n" in df.columns else None
            rows = df[(df["key"] == key) & (df["count"] != "")]
            if den and len(rows):
                hit = rows.iloc[0]
                out.append((parse_count(hit["count"]), parse_count(hit[den]), hit.get("percent", "")))
                break
        if hit is None:
            raise KeyError(key)
    return out


def _proportion_evidence(paper: Paper, keys: list[str]) -> _Evidence:
    (k1, n1, q1), (k2, n2, q2) = _proportions(paper, keys)
    v = table_pvalues([[k1, k2], [n1 - k1, n2 - k2]]).set_index("test")["p"]
    p = float(v["pearson"])
    bad = [(k, n, q) for k, n, q in ((k1, n1, q1), (k2, n2, q2))
           if q and not grim(k, q.rstrip("%") + "%", n)["consistent"]]
    shown = "; ".join(f"{k}/{n} = {format_percent(k, n, 1)}%" for k, n in ((k1, n1), (k2, n2)))

    def problems(says, alpha):
        out = [(f"{k}/{n} is {format_percent(k, n, len(q.split('.')[1]) if '.' in q else 0)}%, not the "
                f"printed {q.rstrip('%')}%", False) for k, n, q in bad]
        for s in says:
            if s == "similar" and p < alpha:
                out.append((f"Pearson χ² p = {fmt_p(p)}: not similar", False))
            if s == "not similar" and p >= alpha:
                out.append((f"Pearson χ² p = {fmt_p(p)}: similar", False))
            if s in ("higher", "lower") and (k1 * n2 == k2 * n1 or (k1 / n1 > k2 / n2) != (s == "higher")):
                out.append(("the difference is not in the stated direction", False))
        return out
    return _Evidence(f"{shown}; Pearson χ² p = {fmt_p(p)}", p_low=p, p_high=p,
                     direction=k1 / n1 - k2 / n2, problems_for=problems)


_MAIN = ("value", "mean", "median", "rate", "percent", "estimate", "count")


def _printed_value(paper: Paper, key: str, component: str | None = None) -> str:
    """The printed *component* of *key* (default: its main number: mean, median, rate…)."""
    m = mentions(paper)
    hit = m[m["key"] == key]
    for comp in ([component] if component else _MAIN):
        got = hit[hit["component"] == comp]
        if len(got):
            return got["printed"].iloc[0]
    raise KeyError(key)


def _median_evidence(paper: Paper, keys: list[str]) -> _Evidence:
    a, b = (_printed_value(paper, k, "median") for k in keys)
    va, vb = float(parse_value(a).value), float(parse_value(b).value)

    def problems(says, alpha):
        out = []
        for s in says:
            if s in ("worse", "better"):
                if va == vb:
                    out.append((f"both medians are {a} months", False))
                elif (va < vb) != (s == "worse"):
                    out.append((f"the medians are {a} vs {b} months", False))
        return out
    return _Evidence(f"medians {a} vs {b} months", direction=vb - va, problems_for=problems)


def _difference_evidence(paper: Paper, keys: list[str]) -> _Evidence:
    a, b = (parse_value(_printed_value(paper, k), lower_bound=None).interval for k in keys)
    diff = Interval(a.low - b.high, a.high - b.low)
    return _Evidence(f"{_printed_value(paper, keys[0])} − {_printed_value(paper, keys[1])} = "
                     f"{float(diff.low):.1f}–{float(diff.high):.1f}", difference=diff)


def evidence(paper: Paper, ref: str, context: dict):
    """The :class:`_Evidence` behind one ``rests_on`` reference."""
    kind, _, arg = ref.partition(":")
    if kind == "ratio":
        return _ratio_evidence(paper, arg)
    if kind == "p":
        return _printed_p_evidence(_printed_value(paper, arg, "p"), arg)
    if kind == "reported":
        rep = paper.read("reported.csv")
        row = rep[rep["id"] == arg]
        if row.empty:
            raise KeyError(arg)
        comps = text_components(row["reported"].iloc[0])
        if "p" not in comps:
            raise KeyError(f"{arg} prints no p")
        return _printed_p_evidence(comps["p"], row["location"].iloc[0])
    if kind == "table-p":
        parts = arg.split("|")
        f = context.get(f"{paper.id}:{slug(*parts, 'p')}")
        if f is None:
            raise KeyError(arg)
        return _table_p_evidence(f)
    if kind == "finding":
        f = context.get(f"{paper.id}:{arg}")
        if f is None:
            raise KeyError(arg)
        return _finding_evidence(f)
    if kind == "proportions":
        return _proportion_evidence(paper, arg.split(","))
    if kind == "median":
        return _median_evidence(paper, arg.split(","))
    if kind == "values":
        return _difference_evidence(paper, arg.split(","))
    raise KeyError(f"unknown evidence kind {kind!r}")


register("claim", recomputed="{evidence_text}",
         consistent="{summary}{caveat}",
         inconsistent="{summary}{caveat}",
         gross="{summary}{caveat}",
         not_checkable="{summary}{caveat}", variant="{summary}{caveat}", implausible="{summary}{caveat}",
         plausible="{summary} But {untested}, so the numbers cannot confirm the claim.{caveat}")


def _summary(says: list[str], problems: list[str], evidence_list, verdict: str, alpha: float) -> str:
    words = " and ".join(says)
    if any(e.repeats for e in evidence_list):
        parts = "; ".join(e.text for e in evidence_list)
        return f"Called {words}; it rests on {parts}."
    if problems:
        return f"Called {words}, but " + "; ".join(problems) + "."
    what = {"significant": f"below {alpha}", "not significant": f"not below {alpha}",
            "trend": f"between {alpha} and 0.10"}
    held = "; ".join(e.text for e in evidence_list)
    if len(says) == 1 and says[0] in what:
        return f"Called {words}; {held}: {what[says[0]]}, as the claim says."
    return f"Called {words}; {held}: the numbers agree."


def claim_sharpness(says: list[str], evidence_list, *, alpha: float, difference_tested: bool = False) -> float:
    """The share of a claim's words that its evidence does not tell from their contrary.

    A claim is one of a few words (:data:`CONTRARY`); its check is sharp when the evidence
    passes the word or its contrary but not both — "not significant" resting on p = 0.20
    could not have been called "significant", and "significant" on it is caught. A word no
    evidence tests, or evidence that straddles α, accepts both, so the claim's pass confirms
    nothing about it. A claim that repeats findings is as
    sharp as the loosest of them.

    >>> e = _printed_p_evidence("0.20", "Table 2")
    >>> claim_sharpness(["not significant"], [e], alpha=0.05)
    0.0
    >>> claim_sharpness(["not significant", "higher"], [e], alpha=0.05)  # no evidence of direction
    0.5
    """
    repeated = [e.sharpness for e in evidence_list if e.repeats]
    if repeated:
        return max(1.0 if x != x else x for x in repeated)
    n = len(says)
    return len(untested_words(says, evidence_list, alpha=alpha, difference_tested=difference_tested)) / n if n else 1.0


def untested_words(says: list[str], evidence_list, *, alpha: float, difference_tested: bool = False) -> list[str]:
    """The words of *says* that the evidence does not tell from their contrary: it raises the same
    problems for both (none, or only ones about something else, such as a percentage that no
    count gives), so a claim of either would have been judged alike."""
    def problems(word):
        return [text for e in evidence_list for text, _ in e.problems_for([word], alpha)]
    return [w for w in says if (not difference_tested if w == "difference" else
                                problems(w) == problems(CONTRARY[w]))]


def findings(paper: Paper, context: dict | None = None) -> list:
    """Every sentence of ``claims.csv`` against what it rests on (readings where nothing can)."""
    if not paper.has("claims.csv"):
        return []
    context = context or {}
    df = paper.read("claims.csv", _CLAIM_COLUMNS)
    path = paper.path("claims.csv")
    rows = []
    for line, (_, r) in zip(df.attrs["lines"], df.iterrows()):
        says = [s.strip() for s in r["says"].split(";") if s.strip()]
        for s in says:
            if s not in SAYS:
                raise DataError(path, line, "says", f"{s!r} is not one of {', '.join(SAYS)}")
        refs = [x.strip() for x in r["rests_on"].split(";") if x.strip()]
        evid = []
        for ref in refs:
            try:
                evid.append(evidence(paper, ref, context))
            except KeyError as err:
                raise DataError(path, line, "rests_on", f"{ref!r}: nothing to rest on ({err})") from None
        alpha, alpha_note = paper.alpha, ""
        if r.get("alpha", "").strip():
            # a sentence quoting another trial is judged at that trial's own α, stated with its basis
            try:
                alpha = float(r["alpha"])
            except ValueError:
                raise DataError(path, line, "alpha", f"{r['alpha']!r} is not a number") from None
            if not 0 < alpha < 1:
                raise DataError(path, line, "alpha", f"α = {r['alpha']} is not between 0 and 1")
            if not r.get("alpha_basis", "").strip():
                raise DataError(path, line, "alpha_basis", "an α other than the paper's needs its basis")
            alpha_note = f" Judged at α = {r['alpha']}, not {paper.alpha}: {r['alpha_basis'].strip()}"
        problems, gross, about, rests = [], False, [], []
        for e in evid:
            for text, g in e.problems_for(says, alpha):
                problems.append(text)
                gross |= g
                about.append(e.issue)
                rests.append(e.depends_on)
        # a flagged claim is part of the issue of the printed number it misdescribes or repeats
        about += [e.issue for e in evid if e.repeats and e.verdict in FLAGS]
        difference_tested = False
        if "difference" in says:
            value = r.get("value", "")
            diffs = [e.difference for e in evid if e.difference is not None]
            if value and diffs and not is_approximate(value):
                difference_tested = True
                printed = parse_value(value, lower_bound=None).interval
                if not any(d.overlaps(printed) for d in diffs):
                    problems.append(f"the printed values differ by {float(diffs[0].low):.1f}–"
                                    f"{float(diffs[0].high):.1f}, not {value}")
        read = reading(paper, "claim", r["id"])
        repeated = [e.verdict for e in evid if e.repeats]
        if read is not None:
            verdict, summary = read
            sharpness, untested = READING_SHARPNESS, ""
            if evid:
                summary += " Evidence: " + "; ".join(e.text for e in evid) + "."
        else:
            if not says:
                raise DataError(path, line, "says", "a claim needs what it says, or a reading in readings.csv")
            if not evid:
                raise DataError(path, line, "rests_on", "a computed claim needs evidence, or a reading")
            verdict = "gross" if gross else ("inconsistent" if problems else "consistent")
            if repeated:
                verdict = worst(repeated + [verdict])
            summary = _summary(says, problems, evid, verdict, alpha)
            sharpness = claim_sharpness(says, evid, alpha=alpha, difference_tested=difference_tested)
            if any(e.repeats for e in evid):
                untested = "the finding it repeats passes only a check too blunt to confirm it"
            else:
                loose = untested_words(says, evid, alpha=alpha, difference_tested=difference_tested)
                untested = " and ".join(f"“{CONTRARY.get(w, 'another ' + w)}”" for w in loose) + " would have passed too"
        caveat = f" {r['caveat']}" if r.get("caveat", "").strip() and verdict == "consistent" else ""
        caveat = alpha_note + caveat
        # what the claim's own reading rests on, and what the evidence that flags it rests on
        rests += [e.depends_on for e in evid if e.repeats and e.verdict in FLAGS]
        own = r.get("depends_on", "").strip()
        inherited = [d for d in dict.fromkeys(rests) if d and d != own] if verdict in FLAGS else []
        depends = "; ".join(([own] if own else []) + inherited)
        if own:
            caveat += f" It rests on an inference: {paper.inference(own)}"
        for d in inherited:
            caveat += (f" Its evidence rests on an inference: {paper.inference(d)}" if d in paper.inferences
                       else f" Its evidence rests on the {d}.")
        evidence_text = "; ".join(e.text for e in evid)
        lows = [e.p_low for e in evid if e.p_low == e.p_low]
        highs = [e.p_high for e in evid if e.p_high == e.p_high]
        rows.append(dict(slug=f"claim.{slug(r['id'])}", location=r["location"],
                         quantity=f"claim: {r.get('comparison') or ', '.join(says)}",
                         reported=r["claim"][:200], check="claim", verdict=verdict, summary=summary,
                         caveat=caveat, evidence_text=evidence_text, depends_on=depends, untested=untested,
                         issue=next((i for i in about if i), "") if verdict in FLAGS and read is None else "",
                         recomputed_low=min(lows) if lows else math.nan,
                         recomputed_high=max(highs) if highs else math.nan, sharpness=sharpness))
    return to_findings(paper.id, rows)
