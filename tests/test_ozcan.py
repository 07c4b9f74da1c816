"""The Ozcan chapter's engine: its flags can fail, and its reconstruction does not drift."""

import shutil

import pytest

from recheck.data import data_dir
from recheck.findings import all_findings
from recheck.sources import ozcan


@pytest.fixture(scope="module")
def F():
    return all_findings(("ozcan", "ozcan-news")).set_index("id")


def test_orr_71_6_is_impossible_and_71_4_is_not(F):
    assert F.loc["ozcan:orr.her2-low.table-2.grim", "verdict"] == "inconsistent"
    assert F.loc["ozcan:orr.her2-low.abstract-results.grim", "verdict"] == "consistent"
    assert ozcan.response_counts()[("ORR", "HER2-low")] == 80


def test_recurrent_vs_de_novo_contradiction_is_gross(F):
    assert F.loc["ozcan:mentions.pfs-p-recurrent-vs-denovo-her2-low", "verdict"] == "gross"
    assert F.loc["ozcan-news:vs-paper.pfs-p-recurrent-vs-denovo-her2-low", "verdict"] == "inconsistent"


def test_dispute_simulation_marks_both_printed_values():
    d = ozcan.dispute_summary()
    assert list(d["printed"]) == ["0.04", "0.26"]
    assert 0 < d.attrs["share_significant"] < 0.5
    assert (d["share_in_interval"] > 0).all()


def test_model_entry_rule_is_checked(F):
    assert F.loc["ozcan:model-entry.line", "verdict"] == "inconsistent"
    assert F.loc["ozcan:model-entry.sites", "verdict"] == "inconsistent"
    assert "ozcan:model-entry.visceral" not in F.index     # followed the rule


def test_endocrine_therapy_reproduces_only_with_fisher(F):
    assert F.loc["ozcan:table-1.endocrine-therapy.p", "verdict"] == "variant"


def test_quotations_out_of_context_are_flagged(F):
    assert F.loc["ozcan-news:quote.q3", "verdict"] == "inconsistent"
    assert F.loc["ozcan-news:quote.q6", "verdict"] == "consistent"


def test_reconstruction_fits_every_printed_target():
    fit = ozcan.reconstruction_fit()
    t1 = fit[fit["target"].str.startswith("Table 1")]
    assert (t1["difference"] == 0).all()
    medians = fit[fit["target"].str.startswith("Table 2: median")]
    assert len(medians) == 18
    assert (medians["fitted"] == "fitted (within rounding)").all()
    assert fit.set_index("target").loc["Results 3.2: progression events", "difference"] == 0


def test_reconstruction_is_byte_identical_when_regenerated(tmp_path, monkeypatch):
    for folder in ("ozcan", "ozcan-news"):
        shutil.copytree(data_dir() / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("reconstructed"))
    committed = (data_dir() / "ozcan" / "reconstructed" / "cohort.csv").read_bytes()
    monkeypatch.setenv("RECHECK_DATA", str(tmp_path))
    ozcan.logrank_simulations.cache_clear()
    [path] = ozcan.reconstruct()
    assert path.read_bytes() == committed
    assert committed.startswith(b"# SYNTHETIC")


def test_p_comparison_puts_printed_beside_recomputed():
    pc = ozcan.p_comparison().set_index("comparison")
    et = pc.loc["Table 1: Endocrine therapy"]
    assert et["printed"] == "0.016"
    assert et["stated_p"] == pytest.approx(0.0129, abs=5e-4)       # Pearson, as stated
    assert et["p_low"] <= 0.016 <= et["p_high"]                     # Fisher gives it
    assert (pc["p_low"] <= pc["stated_p"]).all() and (pc["stated_p"] <= pc["p_high"]).all()
