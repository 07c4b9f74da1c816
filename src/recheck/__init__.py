"""recheck: re-derive the statistics of published clinical papers and say where they disagree.

The data flow follows the modules:

* extract — :mod:`recheck.reported` (printed values as intervals), :mod:`recheck.data`
  (the extracted tables in ``data/``);
* reconstruct / recompute — :mod:`recheck.percent`, :mod:`recheck.contingency`,
  :mod:`recheck.twogroups`, :mod:`recheck.ratios`, :mod:`recheck.survival`;
* judge — :mod:`recheck.judge` (verdicts), :mod:`recheck.findings` (the export);
* sources — :mod:`recheck.sources` (one module per paper).
"""

__version__ = "0.1.0"
