"""Command line: ``python -m recheck findings --format csv|json``."""

from __future__ import annotations

import argparse
import sys

from .findings import SOURCES, all_findings

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m recheck``."""
    parser = argparse.ArgumentParser(prog="python -m recheck", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("findings", help="print every finding of every source")
    f.add_argument("--format", choices=("csv", "json"), default="csv")
    f.add_argument("--source", choices=SOURCES, action="append",
                   help="only these sources (repeatable); default all")
    e = sub.add_parser("export", help="write findings.csv, findings.json and the data CSVs into a folder")
    e.add_argument("folder")
    r = sub.add_parser("reconstruct", help="regenerate the synthetic cohorts in data/*/reconstructed/")
    r.add_argument("--source", choices=SOURCES, action="append")
    args = parser.parse_args(argv)

    if args.command == "findings":
        df = all_findings(tuple(args.source) if args.source else SOURCES)
        if args.format == "csv":
            df.to_csv(sys.stdout, index=False, lineterminator="\n")
        else:
            sys.stdout.write(df.to_json(orient="records", indent=2, force_ascii=False) + "\n")
        return 0
    if args.command == "export":
        from pathlib import Path

        from .export import export
        export(Path(args.folder))
        return 0
    if args.command == "reconstruct":
        from .sources import reconstruct_all
        for path in reconstruct_all(tuple(args.source) if args.source else SOURCES):
            print(path)
        return 0
    return 2  # pragma: no cover - argparse enforces the choices
