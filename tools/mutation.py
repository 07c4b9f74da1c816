"""Mutation testing of the check families: do the unit tests notice when a check is broken?

    python tools/mutation.py                      # every module of src/recheck/checks
    python tools/mutation.py percent tables       # some of them
    python tools/mutation.py --list               # only list the mutants
    python tools/mutation.py --jobs 2 --json build/mutation.json

Each mutant changes ONE thing in one module of ``src/recheck/checks/`` (a snapshot of it, so the
working tree is never touched):

* a comparison operator (``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``==`` ↔ ``!=``, ``in`` ↔ ``not in``,
  ``is`` ↔ ``is not``);
* ``and`` ↔ ``or``, ``all(…)`` ↔ ``any(…)``, ``not x`` → ``x``;
* ``True`` ↔ ``False`` (boolean returns and flags);
* a numeric constant (tolerances, quantiles, α, offsets): an integer k → k + 1, a float x → 2x
  (0.0 → 1.0).

Constants inside f-strings, slices (text truncation), decorators and ``register(...)`` templates
are presentation, not checks, and are not mutated.

The fast unit tests (``TESTS`` below; no notebooks, no browser) are run once under a line tracer
to learn which tests execute which lines of the checks; each mutant is then tested by the tests
that execute its line (all tests that touch the module, for a module-level constant or a default
argument), stopping at the first failure, plus the module's doctests.  A mutant is *killed* when
a test fails (or errors, or exceeds its time limit), *survives* when they all pass, and is
*uncovered* when no test executes its line.  The kill score is killed / all mutants.

The runner forks one child per mutant from a parent that has imported NumPy, pandas, SciPy and
pytest once, so a mutant costs its tests, not an interpreter start.  Linux only (``os.fork``).
No dependency beyond the project's test requirements.
"""

from __future__ import annotations

# Single-threaded numerics before NumPy is imported: the children are forked.
import os
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import ast
import copy
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKS = Path("recheck") / "checks"

TESTS = ["test_families.py", "test_testpaper.py", "test_percent.py", "test_contingency.py",
         "test_twogroups_ratios.py", "test_judge.py", "test_reported.py", "test_data.py",
         "test_findings.py", "test_survival.py", "test_check_edges.py"]
"""The fast unit tests (in ``tests/``) a mutant is tested by."""

PRELOAD = ["numpy", "pandas", "scipy", "scipy.stats", "scipy.optimize", "lifelines",
           "lifelines.statistics", "lifelines.utils", "pingouin", "hypothesis", "pytest", "_pytest",
           "tomllib", "fractions", "decimal", "csv"]
"""Imported once by the parent, before it forks the children."""


# =========================================================================================
# mutants
# =========================================================================================

_CMP_SWAP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
             ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot,
             ast.IsNot: ast.Is}
_CMP_TEXT = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
             ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}


@dataclass
class Mutant:
    module: str
    index: int
    line: int
    end_line: int
    what: str
    in_function: bool
    source_line: str = ""
    status: str = ""
    tests: int = 0
    seconds: float = 0.0
    killer: str = ""

    @property
    def name(self) -> str:
        return f"{self.module}#{self.index}"


def _skip_zones(tree: ast.AST) -> set[int]:
    """ids of nodes whose constants are presentation (f-strings, slices, decorators, templates)."""
    skip: set[int] = set()

    def mark(node):
        for sub in ast.walk(node):
            skip.add(id(sub))
    for node in ast.walk(tree):
        if isinstance(node, (ast.JoinedStr, ast.Slice)):
            mark(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for d in node.decorator_list:
                mark(d)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "register":
            mark(node)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            mark(node)   # docstrings
    return skip


def _function_lines(tree: ast.AST) -> set[int]:
    """Lines that run when a function is called (its body), not when the module is imported."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            body = node.body if isinstance(node.body, list) else [node.body]
            for stmt in body:
                lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
    return lines


def _sites(tree: ast.AST):
    """``(node, kind, payload, description)`` for every mutation of *tree*, in a stable order."""
    skip = _skip_zones(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _CMP_SWAP:
                    new = _CMP_SWAP[type(op)]
                    yield node, "cmp", i, f"{_CMP_TEXT[type(op)]} → {_CMP_TEXT[new]}"
        elif isinstance(node, ast.BoolOp):
            yield node, "boolop", None, "and → or" if isinstance(node.op, ast.And) else "or → and"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "not", None, "not x → x"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("all", "any"):
            yield node, "allany", None, f"{node.func.id}(…) → {'any' if node.func.id == 'all' else 'all'}(…)"
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield node, "bool", None, f"{node.value} → {not node.value}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            v = node.value
            new = v + 1 if isinstance(v, int) else (v * 2 if v else 1.0)
            yield node, "num", new, f"{v!r} → {new!r}"


def _apply(node: ast.AST, kind: str, payload) -> None:
    if kind == "cmp":
        node.ops[payload] = _CMP_SWAP[type(node.ops[payload])]()
    elif kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "allany":
        node.func.id = "any" if node.func.id == "all" else "all"
    elif kind == "bool":
        node.value = not node.value
    elif kind == "num":
        node.value = payload


class _Unnot(ast.NodeTransformer):
    def __init__(self, target):
        self.target = target

    def visit_UnaryOp(self, node):
        if node is self.target:
            return node.operand
        return self.generic_visit(node)


def mutants_of(path: Path, module: str) -> list[tuple[Mutant, str]]:
    """Every mutant of one module, with its mutated source (``ast.unparse``)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    body_lines = _function_lines(tree)
    n = sum(1 for _ in _sites(tree))
    out = []
    for index in range(n):
        t = copy.deepcopy(tree)
        node, kind, payload, what = list(_sites(t))[index]
        line, end = node.lineno, node.end_lineno or node.lineno
        if kind == "not":
            t = _Unnot(node).visit(t)
        else:
            _apply(node, kind, payload)
        m = Mutant(module, index, line, end, what, line in body_lines,
                   source_line=lines[line - 1].strip()[:100])
        out.append((m, ast.unparse(ast.fix_missing_locations(t)) + "\n"))
    return out


# =========================================================================================
# which tests run which lines
# =========================================================================================

def _tracer_plugin(checks_dir: Path):
    """A pytest plugin recording, per test, the lines of ``recheck/checks`` it executes."""
    import pytest

    class Tracer:
        def __init__(self):
            self.prefix = str(checks_dir.resolve()) + os.sep
            self.current: str | None = None
            self.lines: dict[str, set[tuple[str, int]]] = {}
            self.durations: dict[str, float] = {}
            self.failed: list[str] = []
            self.uses: dict[str, list[str]] = {}

        def _local(self, frame, event, arg):
            if event == "line" and self.current is not None:
                self.lines.setdefault(self.current, set()).add(
                    (Path(frame.f_code.co_filename).stem, frame.f_lineno))
            return self._local

        def _global(self, frame, event, arg):
            return self._local if frame.f_code.co_filename.startswith(self.prefix) else None

        @pytest.hookimpl(hookwrapper=True)
        def pytest_fixture_setup(self, fixturedef, request):
            # a fixture's lines belong to every test that uses it (a module-scoped fixture runs
            # during its first test only)
            before, self.current = self.current, f"fixture:{fixturedef.baseid}::{fixturedef.argname}"
            try:
                yield
            finally:
                self.current = before

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_protocol(self, item, nextitem):
            info = getattr(item, "_fixtureinfo", None)
            if info is not None:
                self.uses[item.nodeid] = [f"fixture:{defs[-1].baseid}::{name}"
                                          for name, defs in info.name2fixturedefs.items() if defs]
            self.current = item.nodeid
            start = time.perf_counter()
            sys.settrace(self._global)
            try:
                yield
            finally:
                sys.settrace(None)
                self.durations[item.nodeid] = time.perf_counter() - start
                self.current = None

        def pytest_runtest_logreport(self, report):
            if report.failed:
                self.failed.append(report.nodeid)

    return Tracer()


def _trace_main(src: Path, out: Path) -> int:
    """(In a subprocess, in the snapshot of ``tests/``.) Run the tests on the snapshot *src*
    under the tracer; write the map."""
    sys.path.insert(0, str(src))
    os.environ["RECHECK_TEST_MEMO"] = "0"   # every test runs the engine itself (tests/conftest.py)
    import pytest
    tracer = _tracer_plugin(src / CHECKS)
    code = pytest.main(["-q", "-p", "no:cacheprovider", "-o", "addopts=", *TESTS], plugins=[tracer])
    out.write_text(json.dumps({"code": int(code), "failed": tracer.failed,
                               "durations": tracer.durations, "uses": tracer.uses,
                               "lines": {k: sorted(v) for k, v in tracer.lines.items()}}))
    return int(code)


# =========================================================================================
# running a mutant
# =========================================================================================

def _child(slot: Path, doctest_file: Path | None, tests: list[str], log: Path) -> None:
    """(In the forked child.) Import recheck from *slot* and run *tests*; exit with pytest's code."""
    code = 99
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        sys.dont_write_bytecode = True
        for name in [n for n in sys.modules if n == "recheck" or n.startswith("recheck.")]:
            del sys.modules[name]
        sys.path.insert(0, str(slot))
        os.environ["PYTHONPATH"] = str(slot)
        import pytest
        args = ["-q", "-x", "-p", "no:cacheprovider", "-o", "addopts=", "--no-header", *tests]
        if doctest_file is not None:
            args += ["--doctest-modules", str(doctest_file)]
        code = int(pytest.main(args))
    except BaseException as err:  # noqa: BLE001 - the child reports everything as its exit code
        print(f"mutation child: {err!r}", file=sys.stderr)
        code = 98
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _killer(log: Path) -> str:
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" ", 1)[1].split(" - ")[0][:120]
    return ""


class Runner:
    """Forks the children; at most *jobs* at a time, each in its own copy of the sources."""

    def __init__(self, base: Path, jobs: int, work: Path):
        self.base, self.jobs, self.work = base, jobs, work
        self.slots = []
        for i in range(jobs):
            slot = work / f"slot{i}"
            shutil.copytree(base, slot, ignore=shutil.ignore_patterns("__pycache__"))
            self.slots.append(slot)
        self.free = list(range(jobs))
        self.running: dict[int, tuple] = {}

    def submit(self, mutant: Mutant, sources: dict[str, str], tests: list[str], timeout: float) -> None:
        """Run *tests* with the modules *sources* (module → source) replaced."""
        slot_i = self.free.pop()
        slot = self.slots[slot_i]
        targets = [slot / CHECKS / f"{module}.py" for module in sources]
        for target, source in zip(targets, sources.values()):
            target.write_text(source, encoding="utf-8")
        log = self.work / f"{mutant.name}.log"
        pid = os.fork()
        if pid == 0:
            _child(slot, targets[0] if len(targets) == 1 else None, tests, log)
        self.running[pid] = (mutant, slot_i, targets, time.monotonic(), timeout, log)

    def _finish(self, pid: int, status: str) -> Mutant:
        mutant, slot_i, targets, start, _, log = self.running.pop(pid)
        for target in targets:
            shutil.copyfile(self.base / CHECKS / target.name, target)
        mutant.seconds = time.monotonic() - start
        mutant.status = status
        if status == "killed":
            mutant.killer = _killer(log)
        self.free.append(slot_i)
        return mutant

    def reap(self) -> list[Mutant]:
        """Wait for at least one child; return the mutants that finished."""
        done = []
        while not done:
            for pid, (mutant, _, _, start, timeout, _) in list(self.running.items()):
                got, status = os.waitpid(pid, os.WNOHANG)
                if got:
                    code = os.waitstatus_to_exitcode(status)
                    done.append(self._finish(pid, "survived" if code == 0 else
                                             "killed" if code in (1, 2, 3) else f"error({code})"))
                elif time.monotonic() - start > timeout:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    done.append(self._finish(pid, "timeout"))
            if not done:
                time.sleep(0.05)
        return done


# =========================================================================================
# the run
# =========================================================================================

def select(mutant: Mutant, cover: dict, all_tests: list[str]) -> list[str]:
    """The tests that execute the mutant's line (any line of its module, for import-time code)."""
    hit = set()
    for test, lines in cover.items():
        for module, line in lines:
            if module == mutant.module and (not mutant.in_function or mutant.line <= line <= mutant.end_line):
                hit.add(test)
                break
    return [t for t in all_tests if t in hit]


def _table(mutants: list[Mutant]) -> str:
    mods = sorted({m.module for m in mutants})
    rows = [("module", "mutants", "killed", "timeout", "survived", "uncovered", "error", "score")]
    tot = [0] * 6
    for mod in mods + ["TOTAL"]:
        ms = [m for m in mutants if mod == "TOTAL" or m.module == mod]
        c = [len(ms), sum(m.status == "killed" for m in ms), sum(m.status == "timeout" for m in ms),
             sum(m.status == "survived" for m in ms), sum(m.status == "uncovered" for m in ms),
             sum(m.status.startswith("error") for m in ms)]
        score = (c[1] + c[2]) / c[0] if c[0] else float("nan")
        rows.append((mod, *map(str, c), f"{100 * score:.1f}%"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.insert(len(lines) - 1, "-" * len(lines[0]))
    return "\n".join(lines)


def _digest(*folders: Path) -> str:
    """Hash of the sources and the tests a trace was made from."""
    import hashlib
    h = hashlib.sha256()
    for folder in folders:
        for f in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(str(f.relative_to(folder)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules of recheck.checks (default: all)")
    parser.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--json", help="write every mutant and its outcome to this file")
    parser.add_argument("--timeout-factor", type=float, default=4.0,
                        help="a mutant's time limit, as a multiple of its tests' normal time (+ 20 s)")
    parser.add_argument("--trace-to", help=argparse.SUPPRESS)
    parser.add_argument("--src", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.trace_to:
        return _trace_main(Path(args.src), Path(args.trace_to))
    if args.json:
        args.json = str(Path(args.json).resolve())

    checks = ROOT / "src" / CHECKS
    modules = args.modules or sorted(p.stem for p in checks.glob("*.py"))
    for mod in modules:
        if not (checks / f"{mod}.py").exists():
            parser.error(f"no module src/{CHECKS}/{mod}.py")
    if args.list:
        todo = [m for mod in modules for m in mutants_of(checks / f"{mod}.py", mod)]
        print(f"{len(todo)} mutants in {len(modules)} modules of src/recheck/checks")
        for m, _ in todo:
            print(f"  {m.module}.py:{m.line}  {m.what:<22} {m.source_line}")
        return 0

    # snapshots of the sources and the tests: the working tree may change during the run
    work = Path(tempfile.mkdtemp(prefix="recheck-mutation-"))
    base, tests_dir = work / "src", work / "tests"
    shutil.copytree(ROOT / "src", base, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    tests_dir.mkdir()
    for name in TESTS + ["conftest.py"]:
        shutil.copyfile(ROOT / "tests" / name, tests_dir / name)
    shutil.copytree(ROOT / "tests" / "papers", tests_dir / "papers")
    todo = [m for mod in modules for m in mutants_of(base / CHECKS / f"{mod}.py", mod)]
    print(f"{len(todo)} mutants in {len(modules)} modules of src/recheck/checks")

    env = dict(os.environ, PYTHONPATH=str(base), RECHECK_DATA=str(ROOT / "data"), RECHECK_NO_CACHE="1",
               PYTHONDONTWRITEBYTECODE="1")
    os.environ.update({k: env[k] for k in ("RECHECK_DATA", "RECHECK_NO_CACHE", "PYTHONDONTWRITEBYTECODE")})
    os.chdir(tests_dir)
    trace = ROOT / "_build" / "mutation" / f"trace-{_digest(base, tests_dir)}.json"
    if not trace.exists():
        print("tracing which tests execute which lines …", flush=True)
        t0 = time.monotonic()
        trace.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--trace-to", str(trace) + ".tmp", "--src", str(base)],
                       env=env, cwd=tests_dir, stdout=subprocess.DEVNULL)
        Path(str(trace) + ".tmp").replace(trace)
        print(f"  traced in {time.monotonic() - t0:.0f} s", flush=True)
    info = json.loads(trace.read_text())
    if info["code"] != 0:
        trace.unlink()
        print(f"the unit tests fail without any mutation ({info['failed']}); fix them first")
        return 2
    lines = {t: {tuple(x) for x in v} for t, v in info["lines"].items()}
    # fastest first: a killed mutant stops at its first failing test
    all_tests = sorted(info["durations"], key=info["durations"].get)
    cover = {t: lines.get(t, set()).union(*(lines.get(f, set()) for f in info["uses"].get(t, [])))
             for t in all_tests}
    print(f"  {len(all_tests)} tests", flush=True)

    for name in PRELOAD:
        try:
            __import__(name)
        except ImportError:
            pass
    runner = Runner(base, args.jobs, work)

    # the unmutated modules as ast.unparse writes them must pass every test (it changes no behaviour)
    unparsed = {mod: ast.unparse(ast.parse((base / CHECKS / f"{mod}.py").read_text(encoding="utf-8"))) + "\n"
                for mod in modules}
    probe = Mutant("baseline", -1, 0, 0, "unparsed, unmutated", False)
    runner.submit(probe, unparsed, all_tests, timeout=300 + 4 * sum(info["durations"].values()))
    for done in runner.reap():
        if done.status != "survived":
            print(f"the unmutated (unparsed) modules fail their tests ({done.status}); "
                  f"see {work / (done.name + '.log')}")
            return 2
    print(f"baseline passes ({done.seconds:.0f} s); mutating …", flush=True)

    results: list[Mutant] = []
    queue = list(todo)
    t0 = time.monotonic()
    try:
        while queue or runner.running:
            while queue and runner.free:
                m, source = queue.pop(0)
                tests = select(m, cover, all_tests)
                m.tests = len(tests)
                if not tests:
                    m.status = "uncovered"
                    results.append(m)
                    continue
                limit = 20 + args.timeout_factor * sum(info["durations"][t] for t in tests)
                runner.submit(m, {m.module: source}, tests, limit)
            if runner.running:
                for done in runner.reap():
                    results.append(done)
                    n = len(results)
                    if n % 25 == 0 or not queue:
                        killed = sum(r.status in ("killed", "timeout") for r in results)
                        print(f"  {n}/{len(todo)} done, {killed} killed, {time.monotonic() - t0:.0f} s",
                              flush=True)
    finally:
        for pid in list(runner.running):   # an interrupted run leaves no child behind
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    results.sort(key=lambda m: (m.module, m.index))
    print()
    print(_table(results))
    survivors = [m for m in results if m.status in ("survived", "uncovered") or m.status.startswith("error")]
    if survivors:
        print(f"\n{len(survivors)} mutants not killed:")
        for m in survivors:
            print(f"  {m.status:<9} {m.module}.py:{m.line:<4} {m.what:<24} {m.source_line}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps([asdict(m) for m in results], indent=1, ensure_ascii=False))
    shutil.rmtree(work, ignore_errors=True)
    killed = sum(m.status in ("killed", "timeout") for m in results)
    print(f"\nkill score: {killed}/{len(results)} = {100 * killed / max(1, len(results)):.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
