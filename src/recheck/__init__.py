"""recheck: re-derive the statistics of published clinical papers and say where they disagree.

A paper is data: ``data/<id>/paper.toml`` and its CSV files.  The modules follow the data:

* extract — :mod:`recheck.paper` (the folder and its ``paper.toml``), :mod:`recheck.data`
  (CSV reading with located errors), :mod:`recheck.reported` (printed values as intervals),
  :mod:`recheck.extract` (every printed number of a paper, by key);
* reconstruct — :mod:`recheck.reconstruct` (synthetic cohorts from published aggregates),
  :mod:`recheck.survival`;
* check families — :mod:`recheck.checks` (one module per family, run on every paper);
* judge — :mod:`recheck.judge` (verdicts), :mod:`recheck.schema` (the finding schema),
  :mod:`recheck.findings` (all findings, cached);
* render / show — :mod:`recheck.render` (sentences from templates), :mod:`recheck.show`
  (glue, tables and figures for the chapters), :mod:`recheck.export` (downloads);
* :mod:`recheck.papers` — the few analyses a paper needs beyond the families.
"""

__version__ = "0.1.0"
