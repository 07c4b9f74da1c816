"""Command line: ``python -m recheck`` (or ``recheck``) ``validate | findings | check | new | export | reconstruct``.

``recheck check PATH`` runs every check family on a paper folder anywhere (see
``data/SCHEMA.md`` for the format); ``recheck new NAME`` scaffolds one.  A malformed file gives
one line, ``file:line:column: message``, and exit status 2 (``--debug`` shows the traceback);
``validate`` (run before ``findings`` and ``check``, and first by ``make book``) lists every problem
at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]


def _write(df, fmt: str) -> None:
    if fmt == "csv":
        df.to_csv(sys.stdout, index=False, lineterminator="\n")
    elif fmt == "json":
        sys.stdout.write(df.to_json(orient="records", indent=2, force_ascii=False) + "\n")
    else:
        from .judge import FLAGS
        flags = df[df["verdict"].isin(FLAGS)]
        print(f"{len(df)} findings, {len(flags)} flags, {df['issue'][df['verdict'].isin(FLAGS)].nunique()} "
              "distinct issues")
        for r in flags.itertuples():
            print(f"  {r.verdict:<12} {r.id}: {r.explanation}")


class _Invalid(Exception):
    """Validation found problems; they are printed already."""


def _valid(problems) -> None:
    for p in problems:
        print(p.located(), file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the data", file=sys.stderr)
        raise _Invalid


def _run(args) -> int:
    if args.command in ("validate", "findings"):
        from .validate import validate
        _valid(validate())
    elif args.command == "check":
        from .validate import validate_paper
        _valid(validate_paper(Path(args.path)))
    if args.command == "validate":
        print("data/: every file valid")
    elif args.command == "findings":
        from .findings import all_findings
        _write(all_findings(tuple(args.source) if args.source else None), args.format)
    elif args.command == "check":
        from .checks import check
        from .paper import load_paper
        from .schema import findings_frame
        _write(findings_frame(check(load_paper(Path(args.path)))), args.format)
    elif args.command == "new":
        from .scaffold import scaffold
        for path in scaffold(args.name, Path(args.data), Path(args.book)):
            print(path)
    elif args.command == "export":
        from .export import export
        export(Path(args.folder))
    elif args.command == "reconstruct":
        from .paper import registry
        from .reconstruct import reconstruct
        for paper in registry():
            if not args.source or paper.id in args.source:
                for path in reconstruct(paper):
                    print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m recheck``."""
    parser = argparse.ArgumentParser(prog="recheck", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check every file under data/ and list every problem")
    f = sub.add_parser("findings", help="every finding of every paper under data/")
    f.add_argument("--format", choices=("csv", "json", "text"), default="csv")
    f.add_argument("--source", action="append", help="only this paper (repeatable)")
    c = sub.add_parser("check", help="every finding of one paper folder, anywhere")
    c.add_argument("path")
    c.add_argument("--format", choices=("csv", "json", "text"), default="text")
    n = sub.add_parser("new", help="scaffold data/NAME/ and book/NAME.md for a new paper")
    n.add_argument("name")
    n.add_argument("--data", default="data")
    n.add_argument("--book", default="book")
    e = sub.add_parser("export", help="write findings.csv, findings.json and the data CSVs into a folder")
    e.add_argument("folder")
    r = sub.add_parser("reconstruct", help="regenerate the synthetic cohorts in data/*/reconstructed/")
    r.add_argument("--source", action="append")
    args = parser.parse_args(argv)
    from .data import DataError
    try:
        return _run(args)
    except _Invalid:
        return 2
    except DataError as err:
        if args.debug:
            raise
        print(err.located(), file=sys.stderr)
        return 2
