"""Presentation for the book: one glue style, tables of findings, and the common figures.

Nothing here computes a finding; these functions only lay out what :mod:`recheck.findings`
and the paper modules return.  Colours are the Okabe–Ito palette.

**Glue.**  Every number a chapter's prose shows comes from :func:`glue_chapter`, which reads
the chapter's own source, finds every ``{glue:text}`key``` it uses and glues exactly those,
resolving each key by one grammar:

``<source>.<finding slug>.<field>``
    a field of a finding: ``ozcan.table-1.endocrine-therapy.p.verdict``; numeric fields
    (``recomputed_low``, ``sharpness``…) are glued as floats, so the role formats them
    (``{glue:text}`ozcan.….recomputed_low:.3f```);
``<source>.n.<what>``
    a count: ``findings``, ``flags``, ``issues``, or a verdict (``ozcan.n.gross``);
``<source>.bottom-line``
    the source's bottom line in one sentence (:func:`recheck.render.bottom_line`);
anything else
    a name given to :func:`glue_chapter` in ``printed`` (a printed value, by key and
    location) or ``numbers`` (a value the chapter's code computed).

A key that resolves to nothing stops the build (a ``KeyError`` in the cell).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from .judge import FLAGS, SEVERITY_ORDER, VERDICTS
from .render import bottom_line, fmt_num

__all__ = ["VERDICT_COLOURS", "SYNTHETIC_NOTE", "glue_keys", "resolve_glue", "glue_chapter",
           "findings_table", "rank_findings", "issues_html", "chapter_findings", "findings_by_verdict", "verdict_counts", "fit_table_html", "ratio_table", "set_style",
           "label_reconstructed", "plot_reported_vs_recomputed", "plot_forest", "plot_km"]

VERDICT_COLOURS = {
    "consistent": "#009E73",     # bluish green
    "plausible": "#9AD8C2",      # the same green, pale: passed, but not a sharp check
    "variant": "#56B4E9",        # sky blue
    "inconsistent": "#E69F00",   # orange
    "gross": "#D55E00",          # vermillion
    "implausible": "#CC79A7",    # reddish purple
    "biased": "#F0E442",         # yellow: the design, not the arithmetic
    "not-checkable": "#999999",  # grey
}

SYNTHETIC_NOTE = ("Reconstructed data: synthetic, made from the published aggregates, "
                  "not patient records.")

_GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([^`]+)`")
_NUMERIC = {"reported_low", "reported_high", "recomputed_low", "recomputed_high", "accept_low",
            "accept_high", "sharpness"}


def glue_keys(text: str) -> list[str]:
    """The glue keys a chapter's source uses, in order, without their format specs.

    >>> glue_keys("p = {glue:text}`ozcan.x.p.recomputed_low:.3f` and {glue:text}`n_all`")
    ['ozcan.x.p.recomputed_low', 'n_all']
    """
    keys = []
    for k in _GLUE_ROLE.findall(text):
        k = k.split("::", 1)[-1]
        key = k.rsplit(":", 1)[0] if ":" in k else k
        if key not in keys:
            keys.append(key)
    return keys


def resolve_glue(key: str, findings: pd.DataFrame, extra: Mapping[str, object]):
    """The value of one glue key (see the module docstring)."""
    if key in extra:
        return extra[key]
    source, _, rest = key.partition(".")
    mine = findings[findings["source"] == source]
    if rest.startswith("n."):
        what = rest[2:]
        if what == "findings":
            return f"{len(mine):,}"
        flags = mine[mine["verdict"].isin(FLAGS)]
        if what == "flags":
            return f"{len(flags):,}"
        if what == "issues":
            return f"{flags['issue'].nunique():,}"
        if what in VERDICTS:
            return f"{int((mine['verdict'] == what).sum()):,}"
    if rest == "bottom-line":
        from .findings import issue_table
        return bottom_line(mine["verdict"].value_counts().to_dict(),
                           issue_table(mine)["severity"].value_counts().to_dict())
    slug, _, field = rest.rpartition(".")
    hit = mine[mine["id"] == f"{source}:{slug}"]
    if len(hit) and field in hit.columns:
        value = hit[field].iloc[0]
        return float(value) if field in _NUMERIC else str(value)
    raise KeyError(key)


def glue_chapter(chapter: str, findings: pd.DataFrame, *, printed: Mapping[str, tuple] | None = None,
                 numbers: Mapping[str, object] | None = None, book: Path | str | None = None) -> list[str]:
    """Glue every key the chapter ``book/<chapter>.md`` uses; return them.

    *printed*: name → ``(paper, key[, location[, component]])``, a value as printed;
    *numbers*: name → a value the chapter computed (a preformatted string or a float).

    Raises
    ------
    KeyError
        Naming every key that resolves to nothing.
    """
    from myst_nb import glue

    from .extract import printed as printed_value
    from .paper import get_paper

    folder = Path(book) if book else (Path("book") if Path("book", f"{chapter}.md").exists() else Path("."))
    text = (folder / f"{chapter}.md").read_text(encoding="utf-8")
    extra: dict[str, object] = dict(numbers or {})
    for name, spec in (printed or {}).items():
        paper, key, location, component = (list(spec) + [None, None])[:4]
        extra[name] = printed_value(get_paper(paper), key, component, location)
    keys, missing = glue_keys(text), []
    for key in keys:
        try:
            value = resolve_glue(key, findings, extra)
        except KeyError:
            missing.append(key)
            continue
        glue(key, value.item() if hasattr(value, "item") else value, display=False)  # numpy → Python
    if missing:
        raise KeyError(f"book/{chapter}.md uses glue keys that resolve to nothing: {missing}")
    return keys


# --- tables ---------------------------------------------------------------------------------

def verdict_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Counts of findings by source × verdict, every verdict a column (zeros kept)."""
    counts = pd.crosstab(findings["source"], findings["verdict"])
    return counts.reindex(columns=list(VERDICTS), fill_value=0)


def findings_table(findings: pd.DataFrame, columns=("location", "quantity", "reported", "recomputed", "verdict",
                                                    "explanation"), *, anchors: bool = False, links: bool = False,
                   table_id: str | None = None, chapter_of: Mapping[str, str] | None = None) -> str:
    """An HTML table of findings with the verdict coloured.

    *anchors*: each row gets its finding id as HTML id (the chapter's full list);
    *links*: the id column links to the finding's row in its chapter (*chapter_of*: source →
    chapter page; default from the registry).
    """
    if links and chapter_of is None:
        from .paper import registry
        chapter_of = {p.id: p.chapter for p in registry()}
    head = "".join(f'<th scope="col" data-column="{html.escape(c)}">{html.escape(c)}</th>' for c in columns)
    body = []
    for _, row in findings.iterrows():
        cells = []
        for c in columns:
            text = html.escape(str(row[c]))
            if c == "verdict":
                text = (f'<span class="verdict" style="border-left:0.6em solid {VERDICT_COLOURS[row[c]]};'
                        f'padding-left:0.3em">{text}</span>')
                if isinstance(sev := row.get("severity"), str) and sev and "severity" not in columns:
                    text += f' <span class="recheck-severity">{html.escape(sev)}</span>'

            elif c == "id" and links:
                text = f'<a href="{chapter_of[row["source"]]}.html#{html.escape(row["id"])}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        attrs = (f' data-source="{html.escape(row["source"])}" data-verdict="{html.escape(row["verdict"])}"'
                 f' data-severity="{html.escape(sev if isinstance(sev := row.get("severity"), str) else "")}"'
                 f' data-rank="{_VERDICT_RANK.get(row["verdict"], 99)}"')
        if anchors:
            attrs += f' id="{html.escape(row["id"])}"'
        body.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    tid = f' id="{html.escape(table_id)}"' if table_id else ""
    return ('<div class="recheck-table" style="overflow-x:auto"><table class="table"' + tid + ">"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


_VERDICT_RANK = {v: i for i, v in enumerate(SEVERITY_ORDER)}


def rank_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings most severe first: decisive, major, minor flags, then the rest by verdict (stable)."""
    sev = findings["severity"].fillna("").map({"decisive": 0, "major": 1, "minor": 2}).fillna(3)
    key = sev * 100 + findings["verdict"].map(_VERDICT_RANK)
    return findings.iloc[key.argsort(kind="stable").to_numpy()]


def issues_html(issues: pd.DataFrame, *, limit: int = 12) -> str:
    """The distinct issues of a chapter (:func:`recheck.findings.issue_table`), most severe first,
    each with its severity, where it is printed, its explanation and a link to its evidence in the
    chapter's list of every finding; beyond *limit*, the rest sit in a collapsed list."""
    def item(r) -> str:
        more = f" and {r.n_flags - 1} more finding{'s' if r.n_flags > 2 else ''}" if r.n_flags > 1 else ""
        return (f'<li class="recheck-issue" data-severity="{html.escape(r.severity)}">'
                f'<span class="recheck-severity">{html.escape(r.severity)}</span> '
                f'<strong>{html.escape(r.quantity)}</strong> ({html.escape(r.location)}): '
                f'{html.escape(r.explanation)} <a href="#{html.escape(r.lead)}">evidence{more}</a></li>')
    rows = list(issues.itertuples())
    head = "".join(item(r) for r in rows[:limit])
    tail = "".join(item(r) for r in rows[limit:])
    out = f'<ol class="recheck-issues">{head}</ol>'
    if tail:
        out += (f'<details class="recheck-more"><summary>{len(rows) - limit} more issues</summary>'
                f'<ol class="recheck-issues" start="{limit + 1}">{tail}</ol></details>')
    return out


def chapter_findings(findings: pd.DataFrame) -> str:
    """The full, anchored list of a chapter's findings (the dashboard links here): the flags most
    severe first, then every other finding in a collapsed list that says how many of each verdict
    it holds (a link to one of its rows opens it)."""
    columns = ("id", "verdict", "location", "quantity", "reported", "recomputed", "explanation")   # verdict in view
    ranked = rank_findings(findings)
    flag = ranked["verdict"].isin(FLAGS).to_numpy()
    out = (findings_table(ranked[flag], columns=columns, anchors=True) if flag.any()
           else "<p>No finding of this chapter is a flag.</p>")
    rest = ranked[~flag]
    if len(rest):
        counts = rest["verdict"].value_counts()
        what = ", ".join(f"{counts[v]} {v}" for v in SEVERITY_ORDER if v in counts)
        out += (f'<details class="recheck-more"><summary>The other {len(rest)} findings ({what})</summary>'
                f"{findings_table(rest, columns=columns, anchors=True)}</details>")
    return out


def findings_by_verdict(findings: pd.DataFrame) -> str:
    """One table per verdict, the most severe first: the flags shown, the other verdicts
    (*not-checkable*, *plausible*, *consistent*) each in a collapsed list with its count."""
    parts = []
    for v in SEVERITY_ORDER:
        sub = findings[findings["verdict"] == v]
        if not len(sub):
            continue
        if v in FLAGS:
            parts.append(f"<h4>{v} ({len(sub)})</h4>" + findings_table(sub))
        else:
            parts.append(f'<details class="recheck-more"><summary>{v} ({len(sub)})</summary>'
                         f"{findings_table(sub)}</details>")
    return "".join(parts)


def fit_table_html(fit: pd.DataFrame, *, only_missed_and: str | None = None) -> str:
    """The fit of a reconstruction as an HTML table (targets met first marked ✓), with the cohort's
    value minus the printed one where the target is a number (a count, a median, a CI's width).

    >>> fit = pd.DataFrame({"target": ["median", "ORR"], "group": ["A", "A"], "printed": ["12.0", "62%"],
    ...                     "reconstructed": ["11.5", "62/100"], "difference": [-0.5, float("nan")],
    ...                     "matches": [False, True]})
    >>> "<td>−0.50</td>" in fit_table_html(fit) and "cohort − printed" in fit_table_html(fit)
    True
    """
    t = fit.assign(matches=fit["matches"].map({True: "✓ met", False: "✗ missed"}))
    if "difference" in t:
        rounded = [round(float(d), 2) + 0.0 for d in t.pop("difference")]   # + 0.0: no "−0.00"
        signed = ["" if d != d else ("+" if d > 0 else "") + fmt_num(d, 2).replace("-", "−") for d in rounded]
        t.insert(len(t.columns) - 1, "cohort − printed", signed)
    return ('<div class="recheck-table" style="overflow-x:auto">'
            + t.to_html(index=False, classes="table", escape=True) + "</div>")


def ratio_table(paper, findings: pd.DataFrame) -> pd.DataFrame:
    """Every printed ratio with a CI, once per key, as numbers, with the worst verdict of every finding
    on it (its own checks, its other printings, what rests on it) and the HR the declared landmark
    rates imply under proportional hazards (NaN where none is declared).

    Columns: ``key``, ``measure``, ``endpoint``, ``model``, ``variable``, ``location``, ``estimate``,
    ``ci_low``, ``ci_high``, ``implied_low``, ``implied_high``, ``n_findings``, ``verdict``, ``flagged``.
    """
    from .checks._base import slug
    from .checks.survival import ph_implied_hr
    from .extract import split_keys
    from .judge import worst
    from .reported import parse_value
    r = paper.read("ratios.csv")
    r = r[(r["estimate"] != "") & (r["ci_low"] != "") & (r["ci_high"] != "")].drop_duplicates("key")
    ph = {d["ratio"]: d["rates"] for d in paper.survival.get("ph", [])}
    rate = {}
    if paper.has("survival.csv"):
        s = paper.read("survival.csv")
        rate = {k: v for cell, v in zip(s["key"], s["rate"]) for _, k in split_keys(cell)}
    resting: dict[str, set[str]] = {}
    if paper.has("claims.csv"):
        c = paper.read("claims.csv", {"id": None, "rests_on": None})
        for cid, refs in zip(c["id"], c["rests_on"]):
            for ref in (x.strip() for x in refs.split(";")):
                if ref.startswith("ratio:"):
                    resting.setdefault(ref[len("ratio:"):], set()).add(f"{paper.id}:claim.{slug(cid)}")
    mine = findings[findings["source"] == paper.id]
    rows = []
    for row in r.to_dict("records"):
        key = row["key"]
        base = f"{paper.id}:{slug(row['location'], row['endpoint'], row['model'][:40], row['variable'])}."
        on = mine[mine["id"].str.startswith(base) | (mine["issue"] == f"{paper.id}:{key}") |
                  mine["id"].isin(resting.get(key, set()) | {f"{paper.id}:ph-hr.{slug(key)}",
                                                              f"{paper.id}:cross.{slug(key)}"})]
        lo = hi = np.nan
        if key in ph:
            iv = ph_implied_hr(*(rate[k] for k in ph[key]))
            lo, hi = float(iv.low), float(iv.high)
        verdict = worst(list(on["verdict"])) if len(on) else "not-checkable"
        rows.append(dict(key=key, measure=row["measure"], endpoint=row["endpoint"], model=row["model"],
                         variable=row["variable"], location=row["location"],
                         estimate=float(parse_value(row["estimate"]).value), ci_low=float(parse_value(row["ci_low"]).value),
                         ci_high=float(parse_value(row["ci_high"]).value), implied_low=lo, implied_high=hi,
                         n_findings=len(on), verdict=verdict, flagged=verdict in FLAGS))
    return pd.DataFrame(rows)


# --- figures --------------------------------------------------------------------------------

def set_style() -> None:
    """The book's figure style: seaborn's whitegrid, colour-blind palette, legible sizes, and
    images at twice the screen's resolution (the page scales them to its width, so on a phone a
    tap opens one at full size with every label readable)."""
    import matplotlib as mpl
    import seaborn as sns
    sns.set_theme(style="whitegrid", palette="colorblind", font_scale=1.05)
    mpl.rcParams.update({"figure.dpi": 100, "savefig.dpi": 200})


def label_reconstructed(ax, text: str = "Reconstructed (synthetic) data") -> None:
    """Stamp a figure as reconstructed data, in its corner, so no crop can lose it."""
    ax.text(0.99, 0.01, text, transform=ax.transAxes, ha="right", va="bottom", fontsize=8,
            color="#555555", style="italic")


_P_CHECKS = ("table-p", "summary-t", "ratio-p-from-ci", "logrank-simulation")


def plot_reported_vs_recomputed(ax, findings: pd.DataFrame, checks=_P_CHECKS) -> pd.DataFrame:
    """Every printed p against what the engine recomputes (a bar over the range), log scales.

    Points on the diagonal reproduce; colour is the verdict.  Returns the rows plotted.
    """
    f = findings[findings["check"].isin(checks)].dropna(subset=["reported_low", "reported_high",
                                                               "recomputed_low", "recomputed_high"])
    f = f[(f["reported_high"] > 0) & (f["recomputed_high"] > 0)]
    x = np.sqrt(np.clip(f["reported_low"], 1e-5, 1) * np.clip(f["reported_high"], 1e-5, 1))
    lo, hi = np.clip(f["recomputed_low"], 1e-5, 1), np.clip(f["recomputed_high"], 1e-5, 1)
    ax.plot([1e-4, 1], [1e-4, 1], color="#999999", lw=1, ls="--")
    colours = [VERDICT_COLOURS[v] for v in f["verdict"]]
    ax.vlines(x, lo, hi, colors=colours, lw=3, alpha=0.8)
    ax.scatter(x, np.sqrt(lo * hi), c=colours, s=18, zorder=3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("printed p")
    ax.set_ylabel("recomputed p (bar: every variant and the rounding box)")
    for v in dict.fromkeys(f["verdict"]):
        ax.scatter([], [], c=VERDICT_COLOURS[v], label=v)
    ax.legend(fontsize=8, loc="upper left", frameon=False)
    return f


def plot_forest(ax, ratios: pd.DataFrame, findings: pd.DataFrame, source: str, label_width: int = 46) -> None:
    """Every printed ratio with its CI (log axis); rows with a flagged ratio finding in vermillion."""
    from .checks._base import slug
    rows = ratios[(ratios["estimate"] != "") & (ratios["ci_low"] != "")].drop_duplicates(["key", "location"]).reset_index(drop=True)
    flagged = set(findings.loc[findings["verdict"].isin(FLAGS) & findings["check"].str.startswith("ratio"), "id"])
    y = np.arange(len(rows))[::-1]
    for yi, r in zip(y, rows.to_dict("records")):
        base = f"{source}:{slug(r['location'], r['endpoint'], r['model'][:40], r['variable'])}"
        bad = any(i.startswith(base + ".") for i in flagged)
        colour = VERDICT_COLOURS["gross"] if bad else "#0072B2"
        e, lo, hi = float(r["estimate"]), float(r["ci_low"]), float(r["ci_high"])
        ax.plot([lo, hi], [yi, yi], color=colour, lw=2 if bad else 1.2)
        ax.plot(e, yi, "s" if not bad else "D", color=colour, ms=5)
    labels = [f"{(r['variable'][:label_width] + '…') if len(r['variable']) > label_width else r['variable']}"
              f" — {r['endpoint'] or '?'}, {r['location']}" for r in rows.to_dict("records")]
    ax.set_yticks(y, labels, fontsize=8)
    ax.axvline(1, color="#555555", ls=":")
    ax.set_xscale("log")
    ax.set_xlabel("ratio (log scale), as printed; vermillion: a flag on this row")


def plot_km(ax, cohort: pd.DataFrame, time: str, event: str, by: str, levels=None, colours=None,
            where=None) -> None:
    """Kaplan–Meier curves (lifelines) of a synthetic cohort, one per level of *by*."""
    from lifelines import KaplanMeierFitter
    sub = cohort if where is None else cohort[where]
    levels = list(levels) if levels is not None else list(dict.fromkeys(sub[by]))
    palette = colours or ["#0072B2", "#D55E00", "#009E73", "#E69F00"]
    for level, colour in zip(levels, palette):
        g = sub[sub[by] == level]
        t, e = pd.to_numeric(g[time]), pd.to_numeric(g[event]).astype(bool)
        KaplanMeierFitter(label=f"{level} (n = {len(g)})").fit(t, e).plot_survival_function(
            ax=ax, ci_show=False, color=colour, show_censors=False)
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8, loc="lower left", frameon=False)
    label_reconstructed(ax)
