"""The finding schema: one row per checked statement, the same columns for every paper.

The first nine columns are the readable finding; the rest carry its numbers, so that a
chapter, a claim or a dashboard never has to read a number back out of a sentence.

===================  =======================================================================
column               meaning
===================  =======================================================================
id                   ``<source>:<slug>``, stable across builds
source               the paper (``data/<source>/``)
location             where the source prints it (``Table 2``, ``Results 3.3``)
quantity             what it is, in words
reported             the printed text, as printed
recomputed           what the engine gets, as text (rendered from the numbers below)
check                the check family's kind (:data:`CHECKS`)
verdict              :data:`~recheck.judge.VERDICTS`
explanation          one or two sentences a clinician can read (rendered from a template)
reported_low/high    the interval the printed value's rounding allows
recomputed_low/high  the recomputed value, or the range over variants and rounding
accept_low/high      the region of recomputed values the check accepts
severity             for flags: ``minor``, ``major`` or ``decisive`` (:data:`SEVERITIES`)
issue                the id of the distinct problem the finding belongs to
depends_on           ``;``-separated inferences (declared in ``paper.toml``) it rests on
sharpness            share of the values the check could have met that it accepts (0–1;
                     small is sharp; 1 for not-checkable); every finding has one
===================  =======================================================================
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, fields

import pandas as pd

from .judge import FLAGS, VERDICTS, severity

__all__ = ["Finding", "COLUMNS", "TEXT_COLUMNS", "NUMERIC_COLUMNS", "CHECKS", "SEVERITIES",
           "findings_frame", "severity_of"]

CHECKS: dict[str, str] = {
    "percent-of-n": "a printed percentage against its count and denominator (GRIM)",
    "count-sum": "a table's counts against the group size (or a parent row)",
    "percent-sum": "a table's percentages against 100",
    "table-p": "a printed p of a table of counts against every test variant",
    "summary-t": "a printed p against t-tests from means, SDs and Ns",
    "ratio-ci-centre": "a ratio estimate against the log-centre of its CI",
    "ratio-p-from-ci": "a printed p against the p its ratio's CI implies (Altman & Bland)",
    "ratio-one-sided-p": "a one-sided p, doubled, against the two-sided p a CI implies",
    "cross-location": "one quantity printed in several places",
    "secondary-vs-source": "a secondary report's number against the source it reports on",
    "statement-vs-source": "a secondary report's statement against its source (a reading)",
    "quote-context": "a quotation against its context in the source (a reading)",
    "claim": "a sentence's claim against the findings and printed numbers it rests on",
    "claim-vs-facts": "a claim about another trial against the facts file (a reading)",
    "flow-arithmetic": "a flow equation of printed counts",
    "logrank-simulation": "a log-rank p against reconstructions from printed sizes, medians, events",
    "ph-implied-hr": "the HR that two landmark rates imply under proportional hazards, against the CI",
    "median-implied-hr": "the HR that two medians imply under exponential survival, against the CI",
    "events-from-ci": "the events a ratio's CI width implies, against the group sizes",
    "median-ci-symmetry": "a median's CI against the symmetric median ± 1.96 SE the stated software prints",
    "median-ci-width": "a median's CI width against reconstructions with its group size, median and events",
    "proportional-hazards": "landmark rates and HR together under proportional hazards",
    "model-entry-rule": "a stated rule for entering a multivariable model, against the tables",
    "group-size": "an analysis group's size against the table it comes from",
    "follow-up": "the longest follow-up against the study window",
    "design-bias": "what the design alone produces when the treatment does nothing",
    "interaction-p": "an interaction p against simulations from the printed rates",
    "regimen-p": "a p over every allocation the printed numbers allow",
    "supplement-only": "rests on material the text does not reproduce",
}
"""The vocabulary of check kinds; :class:`Finding` rejects any other."""

SEVERITIES = ("minor", "major", "decisive")
"""``minor``: a slip no conclusion depends on; ``major``: a number that cannot be right and
matters; ``decisive``: the conclusion at the stated α flips."""

TEXT_COLUMNS = ("id", "source", "location", "quantity", "reported", "recomputed", "check",
                "verdict", "explanation")
NUMERIC_COLUMNS = ("reported_low", "reported_high", "recomputed_low", "recomputed_high",
                   "accept_low", "accept_high", "sharpness")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9.:_-]*$")


def severity_of(verdict: str) -> str:
    """The severity of a verdict when nothing else is known (see :func:`recheck.judge.severity`,
    which the check families apply with the numbers they compared).

    >>> severity_of("gross"), severity_of("variant"), severity_of("consistent")
    ('decisive', 'minor', '')
    """
    return severity(verdict)


def _num(x) -> float:
    if x is None or x == "":
        return math.nan
    return float(x)


@dataclass(frozen=True)
class Finding:
    """One check of one printed statement."""

    id: str
    source: str
    location: str
    quantity: str
    reported: str
    recomputed: str
    check: str
    verdict: str
    explanation: str
    reported_low: float = math.nan
    reported_high: float = math.nan
    recomputed_low: float = math.nan
    recomputed_high: float = math.nan
    accept_low: float = math.nan
    accept_high: float = math.nan
    severity: str = ""
    issue: str = ""
    depends_on: str = ""
    sharpness: float = math.nan

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; use one of {VERDICTS}")
        if self.check not in CHECKS:
            raise ValueError(f"unknown check {self.check!r}; use one of {', '.join(CHECKS)}")
        if not _ID_RE.match(self.id) or not self.id.startswith(self.source + ":"):
            raise ValueError(f"finding id {self.id!r} must be '{self.source}:' + lower-case slug")
        if not (math.isnan(_num(self.sharpness)) or 0 <= _num(self.sharpness) <= 1):
            raise ValueError(f"sharpness {self.sharpness!r} of {self.id!r} is not a share between 0 and 1")
        if self.severity and self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}; use one of {SEVERITIES}")
        for name in NUMERIC_COLUMNS:
            object.__setattr__(self, name, _num(getattr(self, name)))
        if not self.severity and self.verdict in FLAGS:
            object.__setattr__(self, "severity", severity_of(self.verdict))
        if not self.issue:
            object.__setattr__(self, "issue", self.id)


COLUMNS = tuple(f.name for f in fields(Finding))


def findings_frame(findings) -> pd.DataFrame:
    """Findings as a DataFrame with exactly :data:`COLUMNS`; ids must be unique."""
    df = pd.DataFrame([asdict(f) for f in findings], columns=list(COLUMNS))
    dup = df["id"][df["id"].duplicated()]
    if not dup.empty:
        raise ValueError(f"duplicate finding ids: {sorted(set(dup))}")
    return df
