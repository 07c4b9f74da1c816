"""``recheck new NAME``: a new paper's folder and chapter stub, ready to fill with CSVs.

The folder follows ``data/SCHEMA.md``: ``paper.toml`` (with every key commented), the standard
CSVs with their headers, ``EXTRACTION.md``; and ``book/NAME.md``, a chapter that glues and shows
the paper's findings.  Nothing is written if either already exists.  ``recheck check
data/NAME`` runs on the empty folder (no findings) and on every row added to it.
"""

from __future__ import annotations

import re
from pathlib import Path

from .data import SCHEMAS, DataError

__all__ = ["scaffold"]

_PAPER_TOML = '''# What the paper is and how to read its tables (data/SCHEMA.md, "paper.toml").
[paper]
id = "{name}"
title = "{name}: <title>"
citation = "<authors>. <title>. <journal> <year>. doi:<doi>"
chapter = "{name}"          # book/{name}.md
order = 99                  # position among the chapters
# software = "SPSS 27"      # as the Methods state it
# analysis = "{name}"       # a module src/recheck/papers/{name}.py, only for a genuinely new analysis
# seed = 20260101           # for anything simulated

[tests]
# categorical = "Pearson's chi-square or Fisher's exact test"   # as the Methods state it
# proportions = "Pearson's chi-square or Fisher's exact test"

# One table of tables per table of counts whose layout needs saying:
# [[tables]]
# name = "Table 1"
# groups = ["Group A", "Group B"]     # the compared columns
# total = "All patients"              # a column that sums them
# missing = ["Grade X/Missing"]       # labels that mean missing, beyond Missing/Unknown
# non_exclusive = ["Metastatic sites"]

# [[flow]]
# id = "analysed"
# what = "analysed = enrolled − excluded"
# total = "n:analysed"
# plus = ["n:enrolled"]
# minus = ["n:excluded"]

# [survival]
# logrank = "all"     # simulate every comparison printed with sizes and medians
# reps = 2000

[inferences]
# key = "One sentence: what a finding assumes that the paper does not print."
'''

_CHAPTER = '''---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# {name}

```{{code-cell}} ipython3
:tags: [remove-cell]
from IPython.display import HTML

from recheck.findings import all_findings
from recheck.show import chapter_findings, glue_chapter

F = all_findings(("{name}",))
glue_chapter("{name}", F)
```

Of {{glue:text}}`{name}.n.findings` checks, {{glue:text}}`{name}.n.flags` are flags.

## Every finding of this chapter

```{{code-cell}} ipython3
:tags: [remove-input]
HTML(chapter_findings(F))
```
'''

_EXTRACTION = """# data/{name} — extraction notes

What was extracted, from which text, what was inferred and why, and what the source prints that
could not be captured (see data/SCHEMA.md).
"""

_EXTRA_HEADERS = {
    "claims.csv": ["id", "location", "claim", "comparison", "says", "rests_on", "caveat", "note"],
    "readings.csv": ["check", "id", "verdict", "reason"],
    "proportions.csv": ["comparison", "group", "n", "count", "percent", "p", "location", "key", "note"],
}


def scaffold(name: str, data: Path, book: Path) -> list[Path]:
    """Write ``data/<name>/`` and ``book/<name>.md``; return the files written.

    Raises
    ------
    DataError
        If *name* is not a lower-case id, or the folder or the chapter exists.
    """
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", name):
        raise DataError(data / name, None, None, f"{name!r}: use lower case letters, digits and hyphens")
    folder, chapter = data / name, book / f"{name}.md"
    for path in (folder, chapter):
        if path.exists():
            raise DataError(path, None, None, "already exists; nothing written")
    folder.mkdir(parents=True)
    written = [folder / "paper.toml", folder / "EXTRACTION.md", chapter]
    written[0].write_text(_PAPER_TOML.format(name=name), encoding="utf-8")
    written[1].write_text(_EXTRACTION.format(name=name), encoding="utf-8")
    chapter.parent.mkdir(parents=True, exist_ok=True)
    chapter.write_text(_CHAPTER.format(name=name), encoding="utf-8")
    headers = {file: list(cols) for file, cols in SCHEMAS.items()}
    headers["ratios.csv"] = headers["ratios.csv"][:8] + ["p_test"] + headers["ratios.csv"][8:]
    headers.update(_EXTRA_HEADERS)
    for file, cols in headers.items():
        path = folder / file
        path.write_text(",".join(cols) + "\n", encoding="utf-8")
        written.append(path)
    return written
