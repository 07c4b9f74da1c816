"""The check families, and :func:`check`, which runs every applicable one on a paper.

Each family is a module with a scalar check, a ``*_map`` over a data frame, and
``findings(paper)``; a family applies when the paper's folder has the files it reads:

==================  =========================================================  ===============
family              what it checks                                             reads
==================  =========================================================  ===============
``percent``         percentages against n (GRIM); tables' sums                 categorical, any
``tables``          a table's p under every test variant                       categorical, proportions
``twogroups``       t-tests from means, SDs and Ns                             continuous
``ratios``          a ratio's CI centre and the p its CI implies               ratios
``mentions``        a number printed in several places                         every keyed file
``secondary``       a secondary report against its source                      reported, statements, quotes
``model``           a stated model-entry rule against the ratios                ratios, ``[tests]``
``flow``            flow equations of printed counts                           paper.toml ``[[flow]]``
``survival``        what survival summaries imply                              survival, ratios
``facts``           claims about other trials against the facts file           facts_claims
``notprinted``      statements that rest on what the text does not print       not_checkable
``claims``          a sentence's claim against the findings it rests on        claims
==================  =========================================================  ===============

A paper's own analyses (``paper.toml``: ``analysis``) run before the claims, so that a
claim may rest on them.
"""

from __future__ import annotations

import importlib

from ..paper import Paper
from ..schema import Finding
from . import claims, facts, flow, mentions, model, notprinted, percent, ratios, secondary, survival, tables, twogroups
from .readings import check_usage, reset_usage

__all__ = ["FAMILIES", "check"]

FAMILIES = (percent, tables, twogroups, ratios, model, mentions, secondary, flow, survival, facts, notprinted)
"""The families that need nothing but the paper's own files, in the order they run."""


def check(paper: Paper) -> list[Finding]:
    """Every finding of *paper*: each family, the paper's own analyses, then its claims."""
    reset_usage(paper)
    out: list[Finding] = []
    for family in FAMILIES:
        out += family.findings(paper)
    if paper.analysis:
        module = importlib.import_module(f"recheck.papers.{paper.analysis}")
        out += module.findings(paper, {f.id: f for f in out})
    out += claims.findings(paper, {f.id: f for f in out})
    check_usage(paper)
    return out
