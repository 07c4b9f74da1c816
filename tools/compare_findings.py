"""Compare two findings exports: which findings appeared, disappeared or changed verdict.

    python tools/compare_findings.py OLD.csv NEW.csv [--renames renames.csv] [--check KIND]

A refactor keeps its promises by this diff: every changed verdict is listed (old id, new id,
old verdict → new verdict, both explanations) so that the commit can justify each one.
``--renames`` maps old ids to new ones (columns ``old``, ``new``) where a finding's id changed.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd


def load(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def compare(old: pd.DataFrame, new: pd.DataFrame, renames: dict[str, str] | None = None) -> dict:
    """``{"gone": ids, "added": ids, "changed": DataFrame}`` (ids after renaming)."""
    old = old.copy()
    if renames:
        old["id"] = old["id"].map(lambda i: renames.get(i, i))
    o, n = old.set_index("id"), new.set_index("id")
    common = o.index.intersection(n.index)
    changed = pd.DataFrame({"old": o.loc[common, "verdict"], "new": n.loc[common, "verdict"],
                            "old_explanation": o.loc[common, "explanation"],
                            "new_explanation": n.loc[common, "explanation"]})
    changed = changed[changed["old"] != changed["new"]]
    return {"gone": sorted(set(o.index) - set(n.index)), "added": sorted(set(n.index) - set(o.index)),
            "changed": changed}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--renames")
    ap.add_argument("--check", action="append", help="only findings of these check kinds")
    ap.add_argument("--source", action="append")
    a = ap.parse_args(argv)
    old, new = load(a.old), load(a.new)
    renames = dict(load(a.renames)[["old", "new"]].to_numpy()) if a.renames else None
    for col, keep in (("check", a.check), ("source", a.source)):
        if keep:
            old, new = old[old[col].isin(keep)], new[new[col].isin(keep)]
    res = compare(old, new, renames)
    print(f"old {len(old)}, new {len(new)}: {len(res['gone'])} gone, {len(res['added'])} added, "
          f"{len(res['changed'])} changed verdict")
    for i in res["gone"]:
        print(f"  - {i}")
    for i in res["added"]:
        print(f"  + {i}")
    for i, r in res["changed"].iterrows():
        print(f"  ~ {i}: {r['old']} → {r['new']}\n      was: {r['old_explanation'][:300]}\n"
              f"      now: {r['new_explanation'][:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
