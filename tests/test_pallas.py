"""The PALLAS chapter's own checks and its reconstruction (``recheck.sources.pallas``)."""

import csv
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from lifelines import KaplanMeierFitter

from recheck.data import data_dir
from recheck.findings import findings_frame
from recheck.reported import parse_count, parse_value
from recheck.sources import pallas
from recheck.survival import km_at, reverse_km_median

REAL_DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A private copy of data/pallas (no reconstructed/), with RECHECK_DATA pointing at it."""
    dest = tmp_path / "data" / "pallas"
    dest.mkdir(parents=True)
    for f in (REAL_DATA / "pallas").glob("*.csv"):
        shutil.copy(f, dest / f.name)
    monkeypatch.setenv("RECHECK_DATA", str(tmp_path / "data"))
    assert data_dir() == tmp_path / "data"
    return dest


def edit_csv(path: Path, match: dict, column: str, value: str) -> None:
    """Set *column* to *value* in every row of *path* matching all of *match*."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    hit = 0
    for r in rows:
        if all(r[k] == v for k, v in match.items()):
            r[column] = value
            hit += 1
    assert hit, f"no row of {path.name} matches {match}"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


# --- the PH-implied hazard ratio ---------------------------------------------------------

def test_ph_implied_hr_known_rates():
    iv = pallas.ph_implied_hr("82.1%", "83.5%")
    assert float(iv.low) == pytest.approx(math.log(0.8355) / math.log(0.8205))
    assert float(iv.high) == pytest.approx(math.log(0.8345) / math.log(0.8215))
    # S1 = S0^2 exactly: the HR is 2, inside a narrow interval from rounding.
    iv = pallas.ph_implied_hr("50.00%", "25.00%")
    assert iv.contains(2) and float(iv.high - iv.low) < 0.002
    # Proportions work as well as percentages.
    assert pallas.ph_implied_hr("0.821", "0.835") == pallas.ph_implied_hr("82.1%", "83.5%")


def test_ph_implied_hr_rejects_impossible_rates():
    with pytest.raises(ValueError):
        pallas.ph_implied_hr("100%", "83.5%")


def test_ph_finding_flags_rates_that_contradict_the_hr(data):
    ok = {f.id: f for f in pallas.ph_hr_findings()}
    assert ok["pallas:ph-hr.idfs"].verdict == "consistent"
    edit_csv(data / "survival.csv", {"key": "idfs5:her2-low"}, "rate", "90.0%")
    bad = {f.id: f for f in pallas.ph_hr_findings()}
    assert bad["pallas:ph-hr.idfs"].verdict == "inconsistent"


# --- findings ------------------------------------------------------------------------------

def test_findings_ids_unique_and_stable():
    a = findings_frame(pallas.findings())
    b = findings_frame(pallas.findings())
    assert a["id"].is_unique
    assert a["id"].tolist() == b["id"].tolist()
    assert a["id"].str.startswith("pallas:").all()
    assert (a["explanation"].str.len() > 20).all()


def test_table1_missing_handling():
    f = {x.id: x for x in pallas.findings()}
    for var in ("histological-grade", "menopausal-status-at-randomization", "baseline-ecog-ps"):
        assert f[f"pallas:table-1.{var}.p"].verdict == "variant", var
        assert "included" in f[f"pallas:table-1.{var}.p"].explanation
    for var in ("n-stage", "prior-radiation", "anatomic-stage"):
        assert f[f"pallas:table-1.{var}.p"].verdict == "consistent", var
    # No duplicate of the standard finding: exactly one finding per Table 1 p.
    assert sum(1 for i in f if i == "pallas:table-1.histological-grade.p") == 1


def test_flow_findings_detect_a_wrong_total(data):
    assert all(f.verdict == "consistent" for f in pallas.flow_findings())
    edit_csv(data / "reported.csv", {"id": "res-n-analysed"}, "reported", "5305")
    bad = {f.id: f for f in pallas.flow_findings()}
    assert bad["pallas:flow.analysed"].verdict == "inconsistent"
    assert bad["pallas:flow.her2-split"].verdict == "inconsistent"


def test_cross_location_detects_a_disagreement(data):
    ok = {f.id: f for f in pallas.cross_location_findings()}
    assert ok["pallas:cross.hr-idfs-unadj"].verdict == "consistent"
    assert ok["pallas:cross.n-itt"].verdict == "consistent"
    edit_csv(data / "ratios.csv", {"key": "hr:idfs:unadj", "location": "Table 2"},
             "ci_high", "1.07")
    bad = {f.id: f for f in pallas.cross_location_findings()}
    assert bad["pallas:cross.hr-idfs-unadj"].verdict == "inconsistent"


def test_interaction_p_is_checked_by_simulation():
    f = {x.id: x for x in pallas.findings()}
    assert f["pallas:interaction-p.idfs"].verdict == "consistent"
    assert f["pallas:claim.pam50-her2e"].verdict == "inconsistent"
    sim = pallas.interaction_simulation(reps=300)
    assert sim["hr_her2_low"].median() < sim["hr_her2_0"].median() < 1.05   # 2.6% vs 0.6% benefit
    assert 0.05 < sim["p"].median() < 0.9


def test_interaction_p_far_from_the_rates_is_flagged(data):
    edit_csv(data / "reported.csv", {"id": "abs-pint-idfs"}, "reported", "p < 0.0001")
    f = {x.id: x for x in pallas.claim_findings()}
    assert f["pallas:interaction-p.idfs"].verdict == "implausible"


# --- the reconstruction ----------------------------------------------------------------------

def test_reconstruct_is_byte_identical_to_the_committed_cohort(data):
    # speed is measured in `make bench`, not here
    (path,) = pallas.reconstruct()
    first = path.read_bytes()
    assert first == (REAL_DATA / "pallas" / "reconstructed" / "cohort.csv").read_bytes()
    assert first.decode("utf-8").splitlines()[0].startswith("# SYNTHETIC")


def test_reconstruction_margins_equal_table1(data):
    pallas.reconstruct()
    df = pallas.read_cohort()
    assert len(df) == 5304 and not df["patient"].str.startswith("#").any()
    with (data / "categorical.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    labels = {"HER2 0": "HER2-0", "HER2 low": "HER2-low"}
    for r in rows:
        col = pallas._T1_COLUMNS[r["variable"]]
        got = int(((df["her2"] == labels[r["group"]]) & (df[col] == r["category"])).sum())
        assert got == parse_count(r["count"]), (r["variable"], r["category"], r["group"])
    assert pallas.fit_table(df)["match"].all()


def test_reconstruction_survival_fits_table2(data):
    pallas.reconstruct()
    df = pallas.read_cohort()
    targets = {("idfs", "HER2-0"): "82.1%", ("idfs", "HER2-low"): "83.5%",
               ("drfs", "HER2-0"): "85.5%", ("drfs", "HER2-low"): "86.5%",
               ("os", "HER2-0"): "92.5%", ("os", "HER2-low"): "92.9%"}
    for (col, label), rate in targets.items():
        sub = df[df["her2"] == label]
        kmf = KaplanMeierFitter().fit(sub[f"{col}_months"], sub[f"{col}_event"] == 1)
        assert parse_value(rate).interval.contains(100 * float(kmf.predict(60.0))), (col, label)
    # the endpoints are nested for every patient: iDFS <= DRFS <= OS
    assert (df["idfs_months"] <= df["drfs_months"]).all() and (df["drfs_months"] <= df["os_months"]).all()
    assert (df["os_event"] <= df["drfs_event"]).all() and (df["drfs_event"] <= df["idfs_event"]).all()
    fu = reverse_km_median(df["idfs_months"], df["idfs_event"] == 1)
    assert parse_value("59.8").interval.contains(fu)
    arms = df.groupby("her2")["arm"].value_counts().unstack()
    assert (abs(arms["palbociclib + ET"] - arms["ET alone"]) <= 1).all()


def test_km_at_handles_censoring_exactly():
    t = np.array([1.0, 2.0, 3.0, 4.0])
    e = np.array([True, False, True, False])
    # S(3) = (1 - 1/4)(1 - 1/2) = 0.375
    assert km_at(t, e, 3.0) == pytest.approx(0.375)
    assert km_at(t, e, 0.5) == 1.0


def test_continuous_rows_are_reproduced_exactly():
    rng = np.random.default_rng(1)
    x = pallas._continuous_values(500, 27.7, 6.1, 15.6, 65.6, rng)
    assert len(x) == 500
    assert x.mean() == pytest.approx(27.7) and x.std(ddof=1) == pytest.approx(6.1)
    assert x.min() == 15.6 and x.max() == 65.6
    with pytest.raises(ValueError):
        pallas._continuous_values(50, 50.0, 60.0, 0.0, 100.0, rng)   # SD too large for the range
