"""Presentation helpers for the book: tables of findings and a common figure style.

Nothing here computes a finding; these functions only lay out what
:mod:`recheck.findings` returns.  Colours are the Okabe–Ito palette, safe for the
common forms of colour blindness.
"""

from __future__ import annotations

import html

import pandas as pd

from .judge import VERDICTS

__all__ = ["VERDICT_COLOURS", "SYNTHETIC_NOTE", "CHAPTER_OF", "findings_table", "verdict_counts",
           "set_style", "label_reconstructed", "chapter_findings"]

VERDICT_COLOURS = {
    "consistent": "#009E73",     # bluish green
    "variant": "#56B4E9",        # sky blue
    "inconsistent": "#E69F00",   # orange
    "gross": "#D55E00",          # vermillion
    "implausible": "#CC79A7",    # reddish purple
    "not-checkable": "#999999",  # grey
}

CHAPTER_OF = {"ozcan": "ozcan", "ozcan-news": "ozcan", "pallas": "pallas", "xian": "xian",
              "patina": "patina"}
"""The chapter page (in book/) whose full findings table anchors each source's findings."""

SYNTHETIC_NOTE = ("Reconstructed data: synthetic, made from the published aggregates, "
                  "not patient records.")


def verdict_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Counts of findings by source × verdict, every verdict a column (zeros kept)."""
    counts = pd.crosstab(findings["source"], findings["verdict"])
    return counts.reindex(columns=list(VERDICTS), fill_value=0)


def findings_table(findings: pd.DataFrame, columns=("location", "quantity", "reported",
                                                    "recomputed", "verdict", "explanation"),
                   *, anchors: bool = False, links: bool = False, table_id: str | None = None) -> str:
    """An HTML table of findings with the verdict coloured.

    Parameters
    ----------
    anchors
        Give each row its finding id as HTML id, so that other pages can link to it
        (one table per page should: the chapter's full list).
    links
        Make the ``id`` column a link to the finding's row in its chapter.
    table_id
        HTML id of the table (the dashboard's script finds it by id).
    """
    head = "".join(f'<th scope="col" data-column="{html.escape(c)}">{html.escape(c)}</th>' for c in columns)
    body = []
    for _, row in findings.iterrows():
        cells = []
        for c in columns:
            text = html.escape(str(row[c]))
            if c == "verdict":
                colour = VERDICT_COLOURS[row[c]]
                text = (f'<span class="verdict" style="border-left:0.6em solid {colour};'
                        f'padding-left:0.3em">{text}</span>')
            elif c == "id" and links:
                page = CHAPTER_OF[row["source"]]
                text = f'<a href="{page}.html#{html.escape(row["id"])}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        attrs = f' data-source="{html.escape(row["source"])}" data-verdict="{html.escape(row["verdict"])}"'
        if anchors:
            attrs += f' id="{html.escape(row["id"])}"'
        body.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    tid = f' id="{html.escape(table_id)}"' if table_id else ""
    return ('<div class="recheck-table" style="overflow-x:auto"><table class="table"' + tid + ">"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def chapter_findings(findings: pd.DataFrame) -> str:
    """The full, anchored list of a chapter's findings (the dashboard links here)."""
    order = {v: i for i, v in enumerate(["gross", "inconsistent", "implausible", "variant",
                                         "not-checkable", "consistent"])}
    ranked = findings.sort_values("verdict", key=lambda s: s.map(order), kind="stable")
    return findings_table(ranked, columns=("id", "location", "quantity", "reported", "recomputed",
                                           "verdict", "explanation"), anchors=True)


def set_style() -> None:
    """The book's figure style: seaborn's whitegrid, colour-blind palette, legible sizes."""
    import seaborn as sns
    sns.set_theme(style="whitegrid", palette="colorblind", font_scale=0.95)


def label_reconstructed(ax, text: str = "Reconstructed (synthetic) data") -> None:
    """Stamp a figure as reconstructed data, in its corner, so no crop can lose it."""
    ax.text(0.99, 0.01, text, transform=ax.transAxes, ha="right", va="bottom",
            fontsize=8, color="#555555", style="italic")
