"""The cross-study chapter: orientation, CIs, settings, findings summary."""

import re
from pathlib import Path

import pandas as pd
import pytest

from recheck.crossstudy import (HR_COLUMNS, STUDIES, findings_summary, hr_table, invert,
                                settings_sources, settings_table)
from recheck.findings import SOURCES, findings_frame
from recheck.reported import parse_estimate, parse_value

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def hrs():
    return hr_table()


def test_invert_swaps_and_inverts_the_limits():
    hr, lo, hi = invert("2.00", "1.00", "4.00")
    assert (hr, lo, hi) == (0.5, 0.25, 1.0)
    hr, lo, hi = invert("0.89", "0.62", "1.21")
    assert hr == pytest.approx(1 / 0.89)
    assert lo == pytest.approx(1 / 1.21)
    assert hi == pytest.approx(1 / 0.62)


def test_ozcan_hr_is_inverted(hrs):
    oz = hrs[hrs["study"] == "Ozcan 2025"]
    assert len(oz) == 1
    r = oz.iloc[0]
    assert r["printed"] == "0.89 (0.62–1.21)"
    assert r["hr"] == pytest.approx(1 / 0.89)
    assert r["ci_low"] == pytest.approx(1 / 1.21)
    assert r["ci_high"] == pytest.approx(1 / 0.62)
    assert r["hr"] > 1  # HER2-zero did better, so HER2-low vs HER2-0 is above 1
    assert "inverted" in r["orientation"]


def test_columns_and_types(hrs):
    assert tuple(hrs.columns) == HR_COLUMNS
    for c in ("hr", "ci_low", "ci_high"):
        assert hrs[c].dtype == float
    assert set(hrs["design"]) <= {"retrospective", "randomised-trial secondary analysis",
                                  "meta-analysis"}
    assert set(hrs["model"]) <= {"unadjusted", "adjusted", "pooled"}
    assert set(hrs["endpoint"]) <= {"PFS", "iDFS", "DRFS", "OS"}
    assert (hrs["printed"].str.len() > 0).all()
    assert (hrs["location"].str.len() > 0).all()


def test_every_hr_lies_within_its_ci(hrs):
    assert (hrs["ci_low"] < hrs["hr"]).all()
    assert (hrs["hr"] < hrs["ci_high"]).all()


def test_values_are_the_printed_strings(hrs):
    # Rows kept in their printed orientation equal the printed numbers exactly.
    for r in hrs[hrs["orientation"].isin(["as printed", "uncertain: read as HER2-low vs HER2-0"])].itertuples():
        est = parse_estimate(r.printed)
        assert r.hr == float(est.estimate.value)
        assert (r.ci_low, r.ci_high) == (float(est.ci[0].value), float(est.ci[1].value))


def test_pallas_rows(hrs):
    pa = hrs[hrs["study"].str.startswith("PALLAS")]
    assert len(pa) == 6
    assert sorted(zip(pa["endpoint"], pa["model"])) == sorted(
        (e, m) for e in ("iDFS", "DRFS", "OS") for m in ("unadjusted", "adjusted"))
    adj_idfs = pa[(pa["endpoint"] == "iDFS") & (pa["model"] == "adjusted")].iloc[0]
    assert adj_idfs["printed"] == "0.93 (0.81–1.06)"
    assert (pa["setting"] == "early").all()


def test_meta_analyses_from_the_facts_file(hrs):
    g = hrs[hrs["study"] == "Guven & Sahin 2024"].iloc[0]
    f = hrs[hrs["study"] == "Front Oncol 2024"].iloc[0]
    assert (g["hr"], g["ci_low"], g["ci_high"]) == (1.22, 1.10, 1.35)
    assert (f["hr"], f["ci_low"], f["ci_high"]) == (1.14, 1.01, 1.28)
    assert g["location"].startswith("facts row ")


def test_quoted_values_in_both_orientations(hrs):
    q = hrs[hrs["orientation_uncertain"]]
    assert len(q) == 4
    assert set(q["printed"]) == {"0.83 (0.74–0.94)", "0.92 (0.83–1.01)"}
    for printed, pair in q.groupby("printed"):
        assert len(pair) == 2
        lit = pair[pair["orientation"].str.contains("read as HER2-low")].iloc[0]
        inv = pair[pair["orientation"].str.contains("inverted")].iloc[0]
        assert inv["hr"] == pytest.approx(1 / lit["hr"])
        assert inv["ci_low"] == pytest.approx(1 / lit["ci_high"])
        assert inv["ci_high"] == pytest.approx(1 / lit["ci_low"])
        assert pair["orientation_note"].str.contains("UNCERTAIN").all()
    # Only the quoted values are uncertain.
    assert not hrs.loc[~hrs["orientation_uncertain"], "study"].str.contains(r"\[28\]").any()


def test_neither_reading_of_the_quoted_first_line_value_is_the_front_oncol_figure(hrs):
    # The chapter says so in prose; check it.
    front = hrs[hrs["study"] == "Front Oncol 2024"].iloc[0]
    q = hrs[hrs["orientation_uncertain"] & (hrs["population"] == "first line")]
    for r in q.itertuples():
        assert parse_value(f"{r.hr:.2f}").value != parse_value(f"{front['hr']:.2f}").value


def test_settings_table_has_a_row_per_study():
    st = settings_table()
    assert list(st.index) == list(STUDIES)
    assert list(st.columns) == ["setting", "design", "endpoints", "HER2 scoring", "n", "treatment"]
    assert st.notna().all().all()
    assert (st.map(lambda v: isinstance(v, str) and v.strip() != "")).all().all()
    assert st.loc["Ozcan 2025", "n"].startswith("212 ")
    assert st.loc["PALLAS (Nader-Marta 2024)", "n"].startswith("5304 ")
    assert st.loc["Ozcan 2025", "setting"].startswith("metastatic")
    assert st.loc["PALLAS (Nader-Marta 2024)", "setting"].startswith("early")
    assert "local" in st.loc["Ozcan 2025", "HER2 scoring"]
    assert "local" in st.loc["PALLAS (Nader-Marta 2024)", "HER2 scoring"]
    assert st.loc["Guven & Sahin 2024", "HER2 scoring"].startswith("not reported")


def test_every_settings_cell_says_where_it_comes_from():
    src = settings_sources()
    assert not src.duplicated(["study", "aspect"]).any()
    assert (src["where"].str.len() > 0).all()
    assert set(src["study"]) == set(STUDIES)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def test_settings_quotes_are_verbatim():
    df = pd.read_csv(ROOT / "data" / "crossstudy" / "settings.csv", dtype=str)
    checked = 0
    for r in df.itertuples():
        path = ROOT / r.file if r.file.startswith("data/") else ROOT.parent / r.file
        if not path.exists():
            assert not r.file.startswith("data/"), f"{r.file} is missing"
            continue  # a seed text not beside this clone
        assert _norm(r.quote) in _norm(path.read_text(encoding="utf-8")), (r.study, r.aspect)
        checked += 1
    assert checked >= sum(df["file"].str.startswith("data/"))


def test_findings_summary_counts(monkeypatch):
    from recheck.findings import Finding
    toy = findings_frame([
        Finding("ozcan:a", "ozcan", "T1", "q", "1", "1", "table-p", "consistent", "e"),
        Finding("ozcan:b", "ozcan", "T1", "q", "1", "2", "table-p", "gross", "e"),
        Finding("pallas:a", "pallas", "T1", "q", "1", "1", "table-p", "consistent", "e"),
    ])
    s = findings_summary(toy)
    assert s.loc["ozcan", "consistent"] == 1 and s.loc["ozcan", "gross"] == 1
    assert s.loc["ozcan", "total"] == 2
    assert s.loc["total", "total"] == 3
    assert list(s.index) == ["ozcan", "pallas", "total"]


def test_findings_summary_covers_every_source():
    s = findings_summary()
    assert list(s.index) == [*SOURCES, "total"]
    assert s.loc["total", "total"] == s.drop(index="total")["total"].sum()


def test_prose_claims_of_the_chapter(hrs):
    # "Both are above 1" (the facts-file meta-analyses, CIs included).
    meta = hrs[(hrs["design"] == "meta-analysis") & ~hrs["orientation_uncertain"]]
    assert len(meta) == 2 and (meta["ci_low"] > 1).all()
    # Ozcan's inverted interval includes 1 and both facts-file pooled values.
    oz = hrs[hrs["study"] == "Ozcan 2025"].iloc[0]
    assert oz["ci_low"] < 1 < oz["ci_high"]
    assert all(oz["ci_low"] < v < oz["ci_high"] for v in meta["hr"])
    # The quoted meta-analysis and the Front Oncol one both pool twelve studies.
    st = settings_table()
    assert st.loc["Front Oncol 2024", "n"].startswith("12 studies")
    assert st.loc["meta-analysis [28] quoted by Ozcan", "n"].startswith("twelve studies")
