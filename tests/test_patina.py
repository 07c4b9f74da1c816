"""The PATINA summary chapter: verdicts, PATINA's own numbers, the reconstruction."""

import math
import shutil
from pathlib import Path

import pytest

from recheck.data import DataError
from recheck.findings import findings_frame
from recheck.sources import patina

DATA = Path(__file__).resolve().parents[1] / "data"


def test_events_implied_by_a_known_ci():
    # A CI of exp(±1.96·0.1) around 1 has SE 0.1 exactly, so D = 4/0.01 = 400;
    # printed to 4 decimals the rounding box moves D by well under 1%.
    lo, hi = f"{math.exp(-1.96 * 0.1):.4f}", f"{math.exp(1.96 * 0.1):.4f}"
    d_lo, d_hi = patina.events_implied(lo, hi)
    assert d_lo <= 400 <= d_hi
    assert d_hi - d_lo < 4
    # PATINA's journal CI: about 260 events, far fewer than the 518 patients.
    d_lo, d_hi = patina.events_implied("0.59", "0.96")
    assert 240 < d_lo < d_hi < 280


def test_ph_implied_hr_from_known_rates():
    # S0 = 0.5, S1 = 0.5 ** 0.7 under proportional hazards with HR 0.7.
    assert math.log(0.5 ** 0.7) / math.log(0.5) == pytest.approx(0.7)
    ih = patina.implied_hr()
    lo, hi = ih["rates48"]
    assert lo <= math.log(0.465) / math.log(0.383) <= hi
    assert 0.79 < lo < hi < 0.81
    m_lo, m_hi = ih["medians"]
    assert m_lo <= 29.1 / 44.3 <= m_hi


def test_piecewise_model_reproduces_its_inputs():
    breaks, hazards = patina.piecewise_model(29.1, 0.383)
    h1, h2, _ = hazards
    assert math.exp(-h1 * 29.1) == pytest.approx(0.5)
    assert math.exp(-h1 * 29.1 - h2 * (48 - 29.1)) == pytest.approx(0.383)
    with pytest.raises(ValueError):
        patina.piecewise_model(50, 0.4)


def test_one_sided_p_must_be_doubled():
    r = patina.ratio_rows().set_index("version")
    assert bool(r.loc["SABCS 2024", "p_ok"])          # 2 × 0.0074 fits the CI
    assert not bool(r.loc["SABCS 2024", "misread_ok"])  # 0.0074 as two-sided would not
    assert bool(r.loc["NEJM 2026", "p_ok"])


def test_every_claim_has_a_verdict():
    v = patina.verdicts()
    import csv
    ids = [r["id"] for f in ("claims.csv", "quoted.csv")
           for r in csv.DictReader(open(DATA / "patina" / f, encoding="utf-8"))]
    assert sorted(v["id"]) == sorted(ids)
    assert set(v["verdict"]) <= set(patina.VERDICT_CHOICES)


def test_missing_verdict_names_file_line_and_column(tmp_path, monkeypatch):
    shutil.copytree(DATA / "patina", tmp_path / "patina")
    path = tmp_path / "patina" / "verdicts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = lines.pop(3).split(",")[0]
    path.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("RECHECK_DATA", str(tmp_path))
    with pytest.raises(DataError, match=rf"claims.csv, line \d+, column 'id'.*{dropped}"):
        patina.verdicts()


def test_findings_per_source_without_double_counting():
    own = findings_frame(patina.findings())
    assert (own["source"] == "patina").all()
    oz = findings_frame(patina.quoted_findings("ozcan"))
    xi = findings_frame(patina.quoted_findings("xian"))
    assert len(oz) == 30 and len(xi) == 66
    assert oz["id"].str.startswith("ozcan:quoted-").all()
    assert xi["id"].str.startswith("xian:quoted-").all()
    claims = own[own["check"] == "claim-vs-facts"]
    assert len(claims) == 52
    flagged = set(xi.loc[xi["verdict"] == "inconsistent", "id"])
    assert "xian:quoted-disc-monarcher-significant" in flagged
    with pytest.raises(ValueError):
        patina.quoted_findings("pallas")


def test_reconstruct_twice_gives_identical_bytes(tmp_path, monkeypatch):
    shutil.copytree(DATA / "patina", tmp_path / "patina",
                    ignore=shutil.ignore_patterns("reconstructed"))
    monkeypatch.setenv("RECHECK_DATA", str(tmp_path))
    first = [p.read_bytes() for p in patina.reconstruct()]
    second = [p.read_bytes() for p in patina.reconstruct()]
    assert first == second
    assert first[0].startswith(b"# SYNTHETIC")
    df = patina.read_reconstructed()
    assert list(df.columns) == ["id", "arm", "time", "event"]
    assert (df["arm"] == "palbociclib").sum() == 261 and (df["arm"] == "control").sum() == 257


def test_committed_reconstruction_is_current():
    committed = DATA / "patina" / "reconstructed" / "arms.csv"
    assert committed.exists(), "run `python -m recheck reconstruct --source patina`"
    expected = patina.SYNTHETIC_HEADER + "\n" + patina._reconstructed_frame().to_csv(
        index=False, lineterminator="\n", float_format="%.2f")
    assert committed.read_text(encoding="utf-8") == expected


def test_plot_reconstructed_km_draws_both_arms():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        patina.plot_reconstructed_km(ax)
        labels = [line.get_label() for line in ax.get_lines()]
        assert len(ax.get_lines()) >= 2
        assert "palbociclib + anti-HER2 + ET (n = 261)" in labels
        assert "anti-HER2 + ET (n = 257)" in labels
        assert ax.get_xlabel() == "months since randomisation"
        assert ax.get_ylim() == (0, 1.02)
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            "palbociclib + anti-HER2 + ET (n = 261)", "anti-HER2 + ET (n = 257)"]
    finally:
        plt.close(fig)


def test_p_readings_rows():
    df = patina.p_readings()
    assert list(df["trial"]) == ["PATINA, NEJM 2026", "PATINA, SABCS 2024", "monarcHER, arm A vs C",
                                 "SYSUCC-002", "PATRICIA cohort C", "DESTINY-Breast09"]
    assert (df["agrees"] == "yes").all()
    rows = df.set_index("trial")
    assert rows.loc["monarcHER, arm A vs C", "printed"] == "HR 0.67 (0.45-1.00); p=0.051"
    assert rows.loc["monarcHER, arm A vs C", "test behind the p"] == "two-sided, tested at alpha 0.2"
    assert "pre-set alpha 0.2;" in rows.loc["monarcHER, arm A vs C", "what it means"]
    assert rows.loc["SYSUCC-002", "printed"] == "HR 0.88 (0.71-1.09); p for non-inferiority < 0.0001"
    assert rows.loc["SYSUCC-002", "what it means"].startswith("Shows the HR is below 1.35;")
    assert rows.loc["PATRICIA cohort C", "printed"] == "HR 0.52 (0.29-0.94); two-sided p=0.031"
    assert "in 73 patients" in rows.loc["PATRICIA cohort C", "what it means"]
    assert rows.loc["DESTINY-Breast09", "printed"] == "HR 0.56 (0.44-0.71); p<0.00001"


def test_other_trials_are_read_from_the_facts_file(tmp_path, monkeypatch):
    facts = (DATA / "facts" / "published-trials.csv").read_text(encoding="utf-8")
    changed = tmp_path / "facts.csv"
    changed.write_text(facts.replace("two-sided alpha of 0.2", "two-sided alpha of 0.1")
                       .replace("margin HR 1.35", "margin HR 1.25")
                       .replace("PATRICIA cohort C,n randomized,palbociclib + trastuzumab + ET vs "
                                "physician's choice,73,", "PATRICIA cohort C,n randomized,palbociclib + "
                                "trastuzumab + ET vs physician's choice,74,"), encoding="utf-8")
    monkeypatch.setenv(patina.FACTS_ENV, str(changed))
    o = patina.other_trials()
    assert (o["monarcher_alpha"], o["sysucc_margin"], o["patricia_n"]) == ("0.1", "1.25", "74")
    assert o["sysucc_p"] == "<0.0001" and o["destiny_hr"] == ("0.56", "0.44", "0.71")
    notes = " ".join(patina.p_readings()["what it means"])
    assert "alpha 0.1;" in notes and "below 1.25;" in notes and "in 74 patients" in notes

    gone = tmp_path / "gone.csv"
    gone.write_text("\n".join(line for line in facts.splitlines() if not line.startswith("SYSUCC-002"))
                    + "\n", encoding="utf-8")
    monkeypatch.setenv(patina.FACTS_ENV, str(gone))
    with pytest.raises(DataError, match="SYSUCC-002"):
        patina.other_trials()
