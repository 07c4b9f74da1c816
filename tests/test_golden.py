"""The findings golden file: any changed verdict or number shows up here, in seconds, as a diff of rows.

``make references`` rewrites tests/golden/findings.csv after a deliberate change; the commit that
changes it says why.
"""

from pathlib import Path

import pandas as pd

from recheck.findings import all_findings

GOLDEN = Path(__file__).resolve().parent / "golden" / "findings.csv"


def test_findings_equal_the_golden_file():
    golden = pd.read_csv(GOLDEN, dtype=str, keep_default_na=False)
    now = pd.read_csv(pd.io.common.StringIO(all_findings().to_csv(index=False, lineterminator="\n")),
                      dtype=str, keep_default_na=False)
    gone = sorted(set(golden["id"]) - set(now["id"]))
    added = sorted(set(now["id"]) - set(golden["id"]))
    assert not gone and not added, f"findings gone: {gone[:10]}; added: {added[:10]}"
    merged = golden.merge(now, on="id", suffixes=("_golden", "_now"))
    diffs = []
    for col in golden.columns.drop("id"):
        bad = merged[merged[f"{col}_golden"] != merged[f"{col}_now"]]
        diffs += [f"{r.id}: {col}: {r[f'{col}_golden']!r} → {r[f'{col}_now']!r}" for _, r in bad.iterrows()]
    assert not diffs, "findings differ from tests/golden/findings.csv (run `make references` if deliberate):\n" + "\n".join(diffs[:40])
    assert list(now["id"]) == list(golden["id"]), "the findings' order changed"
