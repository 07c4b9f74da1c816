"""Presentation helpers for the book: tables of findings and a common figure style.

Nothing here computes a finding; these functions only lay out what
:mod:`recheck.findings` returns.  Colours are the Okabe–Ito palette, safe for the
common forms of colour blindness.
"""

from __future__ import annotations

import html

import pandas as pd

from .judge import VERDICTS

__all__ = ["VERDICT_COLOURS", "SYNTHETIC_NOTE", "findings_table", "verdict_counts",
           "set_style", "label_reconstructed"]

VERDICT_COLOURS = {
    "consistent": "#009E73",     # bluish green
    "variant": "#56B4E9",        # sky blue
    "inconsistent": "#E69F00",   # orange
    "gross": "#D55E00",          # vermillion
    "implausible": "#CC79A7",    # reddish purple
    "not-checkable": "#999999",  # grey
}

SYNTHETIC_NOTE = ("Reconstructed data: synthetic, made from the published aggregates, "
                  "not patient records.")


def verdict_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Counts of findings by source × verdict, every verdict a column (zeros kept)."""
    counts = pd.crosstab(findings["source"], findings["verdict"])
    return counts.reindex(columns=list(VERDICTS), fill_value=0)


def findings_table(findings: pd.DataFrame, columns=("location", "quantity", "reported",
                                                    "recomputed", "verdict", "explanation")) -> str:
    """An HTML table of findings with the verdict coloured; each row anchored by its id."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for _, row in findings.iterrows():
        cells = []
        for c in columns:
            text = html.escape(str(row[c]))
            if c == "verdict":
                colour = VERDICT_COLOURS[row[c]]
                text = (f'<span class="verdict" style="border-left:0.6em solid {colour};'
                        f'padding-left:0.3em">{text}</span>')
            cells.append(f"<td>{text}</td>")
        body.append(f'<tr id="{html.escape(row["id"])}">{"".join(cells)}</tr>')
    return ('<div class="recheck-table" style="overflow-x:auto"><table class="table">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def set_style() -> None:
    """The book's figure style: seaborn's whitegrid, colour-blind palette, legible sizes."""
    import seaborn as sns
    sns.set_theme(style="whitegrid", palette="colorblind", font_scale=0.95)


def label_reconstructed(ax, text: str = "Reconstructed (synthetic) data") -> None:
    """Stamp a figure as reconstructed data, in its corner, so no crop can lose it."""
    ax.text(0.99, 0.01, text, transform=ax.transAxes, ha="right", va="bottom",
            fontsize=8, color="#555555", style="italic")
