"""PATINA on the new engine: the copies of the facts file, the facts-claims readings, the
p readings of other trials, the piecewise model and the synthetic arms.

Every test that changes data works on a copy of ``data/`` in ``tmp_path`` and loads the paper
from there (:func:`recheck.paper.load_paper`), so the project's files are never touched.
"""

from __future__ import annotations

import csv
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from recheck.checks.survival import ph_predictions

from recheck.checks import facts as facts_family
from recheck.data import DataError
from recheck.findings import clear_caches, paper_findings
from recheck.paper import get_paper, load_paper
from recheck.papers import patina
from recheck.reconstruct import cohort_path, read_cohort

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FACTS = Path("facts") / "published-trials.csv"


# --- helpers --------------------------------------------------------------------------------

@pytest.fixture
def data_copy(tmp_path):
    """A private copy of ``data/``; returns its path."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    return root


def fresh(root: Path):
    """The PATINA paper of *root*, read anew (every cache of files, papers and findings dropped)."""
    clear_caches()
    facts_family._facts.cache_clear()
    return load_paper(root / "patina")


def edit(path: Path, old: str, new: str) -> str:
    """Replace the one occurrence of *old* in *path*; return the original text (to restore)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text


def csv_lines(path: Path) -> list[tuple[int, dict]]:
    """(line of the file on which the row ends, row) for every data row."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return [(reader.line_num, row) for row in reader]


def verdict_of(paper, check: str, issue: str) -> str:
    f = paper_findings(paper)
    hit = f[(f["check"] == check) & (f["issue"] == issue)]
    assert len(hit) == 1, f"{check} on {issue}: {len(hit)} findings"
    return hit["verdict"].iloc[0]


# --- every copied number is the facts-file value it cites -----------------------------------

# (file, column identifying the row, its value) -> {column: (facts row, index of the number in
# the facts value)}.  Numbers of a facts value are counted left to right: "518 (261 vs 257)" is
# 518, 261, 257; "0.75 (0.59-0.96); two-sided p=0.02" is 0.75, 0.59, 0.96, 0.02.
COPIES = {
    ("groups.csv", "group", "palbociclib + anti-HER2 + ET"): {"n": (1, 1)},
    ("groups.csv", "group", "anti-HER2 + ET"): {"n": (1, 2)},
    ("survival.csv", "key", "pfs:palbociclib"): {"n": (1, 1), "median": (2, 0), "rate": (7, 0)},
    ("survival.csv", "key", "pfs:control"): {"n": (1, 2), "median": (2, 1), "rate": (7, 1)},
    ("survival.csv", "key", "followup:median"): {"n": (1, 0), "median": (8, 0)},
    ("ratios.csv", "key", "hr:pfs:nejm"): {"estimate": (6, 0), "ci_low": (6, 1), "ci_high": (6, 2), "p": (6, 3)},
    ("ratios.csv", "key", "hr:pfs:sabcs"): {"estimate": (5, 0), "ci_low": (5, 1), "ci_high": (5, 2), "p": (5, 3)},
}
NUMBER_COLUMNS = ("n", "count", "events", "median", "median_ci", "rate", "percent", "estimate", "ci_low",
                  "ci_high", "p")
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
_CITED = re.compile(r"\brows?\s+(\d+(?:\s*,\s*\d+)*)")


def cited_rows(*texts: str) -> set[int]:
    """Facts rows a location or note cites: "facts rows 1, 2, 7 (NEJM 2026, high)" -> {1, 2, 7}."""
    return {int(n) for t in texts for m in _CITED.finditer(t) for n in m.group(1).split(",")}


def copy_mismatches(root: Path) -> list[str]:
    """Every cell of PATINA's groups, survival and ratios files that is not, as printed, the
    facts-file number it cites (and every number cell no entry of COPIES accounts for)."""
    with (root / FACTS).open(newline="", encoding="utf-8") as fh:
        facts = {i: r for i, r in enumerate(csv.DictReader(fh), start=1)}
    out, covered = [], set()
    for (name, col, value), cells in COPIES.items():
        rows = [(line, r) for line, r in csv_lines(root / "patina" / name) if r[col] == value]
        if len(rows) != 1:
            out.append(f"{name}: {len(rows)} rows with {col} = {value!r}")
            continue
        line, r = rows[0]
        cites = cited_rows(r.get("location", ""), r.get("note", ""))
        for column, (n, k) in cells.items():
            covered.add((name, line, column))
            where = f"{name}, line {line}, column {column!r}"
            if facts[n]["trial"] != "PATINA":
                out.append(f"{where}: facts row {n} is not a PATINA row")
            if n not in cites:
                out.append(f"{where}: facts row {n} is not cited in the row's location or note")
            numbers = _NUMBER.findall(facts[n]["value"])
            want = numbers[k] if k < len(numbers) else None
            if r[column] != want:
                out.append(f"{where}: {r[column]!r}, but facts row {n} prints {want!r} ({facts[n]['value']!r})")
        if name == "survival.csv" and r["rate_time"]:
            n = cells["rate"][0]
            if _NUMBER.findall(r["rate_time"]) != _NUMBER.findall(facts[n]["quantity"]):
                out.append(f"{name}, line {line}: rate_time {r['rate_time']!r} against {facts[n]['quantity']!r}")
        if name == "ratios.csv":
            n = cells["p"][0]
            if (r["p_test"] == "one-sided") != ("one-sided" in facts[n]["value"]):
                out.append(f"{name}, line {line}: p_test {r['p_test']!r} against {facts[n]['value']!r}")
    for name in ("groups.csv", "survival.csv", "ratios.csv"):
        for line, r in csv_lines(root / "patina" / name):
            for column in NUMBER_COLUMNS:
                if r.get(column, "").strip() and (name, line, column) not in covered:
                    out.append(f"{name}, line {line}, column {column!r}: {r[column]!r} cites no facts number")
    return out


def test_every_copied_number_is_the_facts_value_it_cites():
    assert copy_mismatches(DATA) == []


@pytest.mark.parametrize("name, old, new", [
    ("survival.csv", ",44.3,", ",44.4,"),                   # a median
    ("survival.csv", "38.3%,48 months", "38.4%,48 months"),  # a landmark rate
    ("ratios.csv", "0.75,0.59,0.96,0.02", "0.75,0.59,0.97,0.02"),  # a CI limit
    ("groups.csv", "anti-HER2 + ET,257", "anti-HER2 + ET,256"),     # an arm size
])
def test_a_changed_copy_is_caught(data_copy, name, old, new):
    edit(data_copy / "patina" / name, old, new)
    bad = copy_mismatches(data_copy)
    assert len(bad) == 1 and bad[0].startswith(f"{name}, line ") and "but facts row" in bad[0], bad


def test_a_changed_facts_value_is_caught(data_copy):
    edit(data_copy / FACTS, "46.5% vs 38.3%", "46.5% vs 38.1%")
    bad = copy_mismatches(data_copy)
    assert bad and all("facts row 7" in b for b in bad)


def test_an_uncited_or_uncovered_number_is_caught(data_copy):
    edit(data_copy / "patina" / "survival.csv", '"facts row 8 (NEJM 2026, high)"', '"facts row 9 (NEJM 2026, high)"')
    bad = copy_mismatches(data_copy)
    assert any("facts row 8 is not cited" in b for b in bad)
    edit(data_copy / "patina" / "survival.csv", "38.3%,48 months,,", "38.3%,48 months,0.001,")
    assert any("column 'p'" in b and "cites no facts number" in b for b in copy_mismatches(data_copy))


# --- the facts-claims readings ------------------------------------------------------------------

def test_facts_claims_are_read_and_well_formed():
    paper = get_paper("patina")
    rows = csv_lines(paper.path("facts_claims.csv"))
    found = facts_family.findings(paper)
    assert len(found) == len(rows) == 52
    assert {f.verdict for f in found} <= set(facts_family.VERDICT_CHOICES)
    by_id = {f.id: f for f in found}
    arms = by_id["patina:facts.monarcher-comparator-arms"]
    assert arms.verdict == "inconsistent" and "row 20: monarcHER" in arms.recomputed
    assert by_id["patina:facts.meta-funding"].recomputed == "no facts row bears on this"


def _row_line(path: Path, claim_id: str) -> int:
    return next(line for line, r in csv_lines(path) if r["id"] == claim_id)


def test_a_bad_verdict_names_file_line_and_column(data_copy):
    path = data_copy / "patina" / "facts_claims.csv"
    line = _row_line(path, "patricia-pfs-improved")
    edit(path, "24;25,consistent,", "24;25,confirmed,")
    with pytest.raises(DataError, match=rf"facts_claims\.csv, line {line}, column 'verdict': 'confirmed' is not"):
        facts_family.findings(fresh(data_copy))


def test_a_bad_facts_row_names_file_line_and_column(data_copy):
    path = data_copy / "patina" / "facts_claims.csv"
    line = _row_line(path, "patricia-pfs-improved")
    edit(path, "24;25,consistent,", "24;99,consistent,")
    with pytest.raises(DataError, match=rf"facts_claims\.csv, line {line}, column 'facts_rows': '99' is not a row"):
        facts_family.findings(fresh(data_copy))
    edit(path, "24;99,consistent,", "24;2x,consistent,")
    with pytest.raises(DataError, match=rf"line {line}, column 'facts_rows': '2x'"):
        facts_family.findings(fresh(data_copy))


def test_a_repeated_claim_id_names_both_lines(data_copy):
    path = data_copy / "patina" / "facts_claims.csv"
    first = _row_line(path, "db09-superiority")
    second = _row_line(path, "db09-tdxd-alone-awaited")
    edit(path, "\ndb09-tdxd-alone-awaited,", "\ndb09-superiority,")
    with pytest.raises(DataError, match=rf"line {second}, column 'id'.*already on line {first}"):
        facts_family.findings(fresh(data_copy))


# --- the piecewise model ------------------------------------------------------------------------

def test_piecewise_model_known_values():
    breaks, (h1, h2, h3) = patina.piecewise_model(29.1, 0.383, 48.0)
    assert breaks == (29.1, 48.0)
    assert h1 == pytest.approx(math.log(2) / 29.1)
    assert h2 == pytest.approx(math.log(0.5 / 0.383) / (48.0 - 29.1)) and h3 == h2
    assert math.exp(-h1 * 29.1) == pytest.approx(0.5)
    assert math.exp(-h1 * 29.1 - h2 * (48.0 - 29.1)) == pytest.approx(0.383)
    # An exponential curve is the special case S(at) = 0.5 ** (at / median): one hazard throughout.
    _, (a, b, _) = patina.piecewise_model(20.0, 0.5 ** (40 / 20), 40.0)
    assert a == pytest.approx(b)
    for median, rate, at in ((50.0, 0.4, 48.0), (29.1, 0.6, 48.0), (0.0, 0.3, 48.0)):
        with pytest.raises(ValueError):
            patina.piecewise_model(median, rate, at)


def test_inverse_cumulative_hazard_round_trips():
    breaks, hazards = patina.piecewise_model(44.3, 0.465, 48.0)
    t = patina._inverse_cumhaz(np.array([math.log(2), -math.log(0.465), -math.log(0.2)]), breaks, hazards)
    assert t[0] == pytest.approx(44.3) and t[1] == pytest.approx(48.0) and t[2] > 48.0


# --- p readings of other trials --------------------------------------------------------------

def test_p_readings_read_the_design_of_each_trial():
    r = patina.p_readings(get_paper("patina")).set_index("trial")
    assert list(r.index) == ["monarcHER", "SYSUCC-002", "PATRICIA cohort C", "DESTINY-Breast09"]
    assert (r["agrees"] == "yes").all()
    mh = r.loc["monarcHER"]
    assert (mh["alpha"], mh["alpha_printed"], mh["p"]) == (0.2, "0.2", "0.051")
    assert mh["test behind the p"] == "two-sided, tested at alpha 0.2"
    assert (mh["estimate"], mh["ci_low"], mh["ci_high"], mh["median_1"], mh["median_0"]) == (
        "0.67", "0.45", "1.00", "8.3", "5.7")
    assert mh["recomputed_low"] < 0.051 < mh["recomputed_high"]
    sy = r.loc["SYSUCC-002"]
    assert (sy["margin"], sy["p"]) == ("1.35", "<0.0001")
    assert sy["test behind the p"].startswith("one-sided non-inferiority")
    assert sy["recomputed_high"] < 1e-4
    assert r.loc["PATRICIA cohort C", "alpha"] == get_paper("patina").alpha
    assert list(r.reset_index()[patina.P_READINGS_SHOWN].columns) == patina.P_READINGS_SHOWN


def test_p_readings_follow_the_facts_file(data_copy):
    facts = data_copy / FACTS
    edit(facts, "two-sided alpha of 0.2", "two-sided alpha of 0.1")
    r = patina.p_readings(fresh(data_copy)).set_index("trial")
    assert r.loc["monarcHER", "alpha"] == 0.1 and r.loc["monarcHER", "test behind the p"].endswith("alpha 0.1")
    # A margin of 1: the non-inferiority p becomes a superiority p, and the printed p no longer fits.
    original = edit(facts, "margin HR 1.35", "margin HR 1.0")
    assert patina.p_readings(fresh(data_copy)).set_index("trial").loc["SYSUCC-002", "agrees"] == "no"
    facts.write_text(original, encoding="utf-8")
    assert patina.p_readings(fresh(data_copy)).set_index("trial").loc["SYSUCC-002", "agrees"] == "yes"


def test_p_points_judge_the_one_sided_p_both_ways():
    """The abstract's one-sided p: read as two-sided it misses the range its CI implies, doubled it
    fits; the other trials' readings carry their verdicts, and a p printed as a bound has no point."""
    paper = get_paper("patina")
    points = patina.p_points(paper, paper_findings(paper)).set_index(["label", "reading"])
    one = points.xs("as printed", level="reading").iloc[0]
    doubled = points.xs("doubled", level="reading").iloc[0]
    assert (one["verdict"], doubled["verdict"]) == ("inconsistent", "consistent")
    assert doubled["reported_low"] == pytest.approx(2 * one["reported_low"])
    assert one["reported_high"] < one["recomputed_low"]
    trials = points[points["check"] == "p-reading"].reset_index().set_index("label")
    assert set(trials["verdict"]) == {"consistent"}
    assert math.isnan(trials.loc["SYSUCC-002", "reported_low"]) and trials.loc["monarcHER", "reported_low"] > 0


def test_a_p_trial_without_hr_and_p_is_a_located_error(data_copy):
    edit(data_copy / "patina" / "paper.toml", "p_trials = [21, 29, 25, 26]", "p_trials = [21, 1]")
    with pytest.raises(DataError, match=r"paper\.toml, column 'readings\.p_trials': facts row 1"):
        patina.p_readings(fresh(data_copy))




# --- what PATINA's numbers say about one another -------------------------------------------------

def test_ph_predictions_known_values():
    ph = ph_predictions(get_paper("patina")).set_index(["measure", "group"])
    arm, control = "palbociclib + anti-HER2 + ET", "anti-HER2 + ET"
    pred = ph.loc[("predicted rate (PH)", arm)]
    assert pred["value"] == pytest.approx(0.383 ** 0.75)
    assert (pred["low"], pred["high"]) == (pytest.approx(0.383 ** 0.96), pytest.approx(0.383 ** 0.59))
    assert ph.loc[("binomial SE", arm), "value"] == pytest.approx(math.sqrt(0.465 * 0.535 / 261))
    assert ph.loc[("exponential rate", control), "value"] == pytest.approx(0.5 ** (48 / 29.1))
    assert ph.loc[("z (printed − exponential)", control), "value"] == pytest.approx(
        (0.383 - 0.5 ** (48 / 29.1)) / math.sqrt(0.383 * 0.617 / 257))
    assert set(ph["landmark"]) == {48.0}


def test_patina_checks_against_one_another():
    f = paper_findings(get_paper("patina"))
    own = f[f["check"] != "claim-vs-facts"].set_index("id")
    # the events a CI implies are only bounded by the arms' size, and an implied HR is accepted
    # anywhere in the CI: plausible, not consistent
    whole_ci = own["check"].isin(["events-from-ci", "ph-implied-hr", "median-implied-hr"])
    assert set(own.loc[~whole_ci, "verdict"]) == {"consistent"}
    assert set(own.loc[whole_ci, "verdict"]) == {"plausible"}
    assert own.loc["patina:median-hr.hr-pfs-nejm", "recomputed_low"] == pytest.approx(29.05 / 44.35)
    assert own.loc["patina:ph-hr.hr-pfs-nejm", "recomputed_low"] == pytest.approx(math.log(0.4655) / math.log(0.3825))
    assert 240 < own.loc["patina:events.hr-pfs-nejm", "recomputed_low"] < 250


@pytest.mark.parametrize("name, old, new, check, issue, before, after", [
    # The journal p from 0.02 to 0.2: the CI excludes 1, the p says otherwise.
    ("ratios.csv", "0.75,0.59,0.96,0.02", "0.75,0.59,0.96,0.2", "ratio-p-from-ci", "patina:hr:pfs:nejm",
     "consistent", "gross"),
    # The abstract's one-sided p, doubled, no longer in the range its CI implies.
    ("ratios.csv", "0.94,0.0074,one-sided", "0.94,0.0024,one-sided", "ratio-one-sided-p", "patina:hr:pfs:sabcs",
     "consistent", "inconsistent"),
    # A control rate of 20%: under PH the rates would imply an HR far below the printed CI.
    ("survival.csv", "38.3%,48 months", "20.0%,48 months", "ph-implied-hr", "patina:ph-hr.hr-pfs-nejm",
     "plausible", "inconsistent"),
    # A control median of 12 months: exponential curves would imply an HR far below the CI.
    ("survival.csv", ",29.1,,38.3%", ",12.0,,38.3%", "median-implied-hr", "patina:median-hr.hr-pfs-nejm",
     "plausible", "inconsistent"),
])
def test_one_cell_flips_a_verdict_and_restoring_it_returns(data_copy, name, old, new, check, issue, before, after):
    assert verdict_of(fresh(data_copy), check, issue) == before
    path = data_copy / "patina" / name
    original = edit(path, old, new)
    assert verdict_of(fresh(data_copy), check, issue) == after
    path.write_text(original, encoding="utf-8")
    assert verdict_of(fresh(data_copy), check, issue) == before


def test_events_check_flips_when_the_arms_are_too_small(data_copy):
    issue = "patina:events.hr-pfs-nejm"
    path = data_copy / "patina" / "survival.csv"
    original = path.read_text(encoding="utf-8")
    edit(path, "palbociclib + anti-HER2 + ET,261,", "palbociclib + anti-HER2 + ET,61,")
    edit(path, "anti-HER2 + ET,257,", "anti-HER2 + ET,57,")
    assert verdict_of(fresh(data_copy), "events-from-ci", issue) == "inconsistent"
    path.write_text(original, encoding="utf-8")
    assert verdict_of(fresh(data_copy), "events-from-ci", issue) == "plausible"


# --- the synthetic arms ---------------------------------------------------------------------

def test_the_committed_reconstruction_is_current():
    paper = get_paper("patina")
    cohort = read_cohort(paper, patina.COHORT)   # raises if stale, edited or without its notice
    assert list(cohort.columns) == ["id", "arm", "time", "event"]
    assert cohort["arm"].value_counts().to_dict() == {"palbociclib + anti-HER2 + ET": 261, "anti-HER2 + ET": 257}
    assert cohort_path(paper, patina.COHORT).read_text(encoding="utf-8").startswith("# SYNTHETIC")


def test_reconstruction_regenerates_byte_identically(data_copy):
    committed = cohort_path(get_paper("patina"), patina.COHORT).read_bytes()
    paper = fresh(data_copy)
    target = cohort_path(paper, patina.COHORT)
    target.unlink()
    first = [p.read_bytes() for p in patina.reconstruct(paper)]
    second = [p.read_bytes() for p in patina.reconstruct(fresh(data_copy))]
    assert first == second == [committed]


def test_an_edited_or_stale_reconstruction_is_refused(data_copy):
    paper = fresh(data_copy)
    path = cohort_path(paper, patina.COHORT)
    original = edit(path, "\np001,palbociclib + anti-HER2 + ET,", "\np001,anti-HER2 + ET,")
    with pytest.raises(DataError, match="rows were edited"):
        read_cohort(paper, patina.COHORT)
    path.write_text(original, encoding="utf-8")
    edit(data_copy / "patina" / "survival.csv", ",44.3,", ",44.4,")
    with pytest.raises(DataError, match="stale"):
        read_cohort(fresh(data_copy), patina.COHORT)


def test_reconstruction_summary_and_fit():
    from recheck.reconstruct import fit_table
    paper = get_paper("patina")
    cohort = read_cohort(paper, patina.COHORT)
    from recheck.reconstruct import cohort_ratios, cohort_summary
    rs = cohort_summary(paper, cohort).set_index("group")
    arm, control = "palbociclib + anti-HER2 + ET", "anti-HER2 + ET"
    assert rs.loc[arm, "n"] == 261 and rs["events"].sum() == cohort["event"].sum()
    cox = cohort_ratios(paper, cohort).set_index("key").loc["hr:pfs:nejm"]
    assert cox["ci_low"] < cox["hr"] < cox["ci_high"] and 0.59 <= cox["hr"] <= 0.96
    # The model passes through each arm's median and landmark rate; the censored sample nearly does.
    assert abs(rs.loc[arm, "median"] - 44.3) < 3
    assert abs(rs.loc[control, "rate"] - 0.383) < 0.03
    fit = fit_table(paper, cohort)
    assert len(fit) == 9 and fit["matches"].sum() >= 5
    assert fit[fit["target"].str.contains("patients")]["matches"].all()
    assert fit[fit["target"].str.contains("Cox")]["matches"].all()


# --- other papers' statements about the same trials ---------------------------------------------
