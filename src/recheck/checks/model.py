"""A stated rule for entering a multivariable model, against the tables.

Methods often say "variables with p < 0.05 in univariate analysis were included in the
multivariable model".  ``paper.toml``'s ``[tests] model_entry`` gives that threshold; then every
univariate ratio of ``ratios.csv`` (``model`` = ``univariate``) is set against the multivariable
rows (``model`` = ``multivariate``), matched by key with its last part (the model) removed
(``hr:line:univariate`` ↔ ``hr:line:multivariate``).  A variable that entered without meeting the
threshold, or met it and is not shown, breaks the stated rule.
"""

from __future__ import annotations

from ..paper import Paper
from ..render import register
from ..reported import parse_p
from ._base import slug, to_findings

__all__ = ["findings"]

register("model-entry-rule", recomputed="{entered_text}",
         inconsistent="{variable} {rule_text}, against the rule the Methods state.")


def findings(paper: Paper) -> list:
    """Every univariate variable whose entry into the model breaks the stated rule."""
    threshold = paper.tests.get("model_entry")
    if threshold is None or not paper.has("ratios.csv"):
        return []
    threshold = float(threshold)
    ratios = paper.read("ratios.csv")
    multi = {k.rsplit(":", 1)[0] for k in ratios.loc[ratios["model"] == "multivariate", "key"] if k}
    rows = []
    for r in ratios[(ratios["model"] == "univariate") & (ratios["p"] != "")].to_dict("records"):
        name = r["key"].rsplit(":", 1)[0]
        qualifies = parse_p(r["p"]).interval.below(threshold)
        entered = name in multi
        if qualifies == entered:
            continue
        rule = (f"entered the multivariable model although its univariate p = {r['p']} is not below {threshold:g}"
                if entered else f"had univariate p = {r['p']}, so by the stated rule it should be in the "
                "multivariable model, but no multivariable estimate is printed for it")
        rows.append(dict(slug=f"model-entry.{slug(name.split(':', 1)[-1])}", location=r["location"],
                         quantity=f"entry of {r['variable']} into the multivariable Cox model",
                         reported=f"univariate p = {r['p']}", check="model-entry-rule", verdict="inconsistent",
                         variable=r["variable"], rule_text=rule, entered_text="entered" if entered else "not shown",
                         issue=f"{paper.id}:model-entry", sharpness=0.0))   # a printed p against a threshold
    return to_findings(paper.id, rows)
