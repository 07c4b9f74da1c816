"""Shared fixtures: a writable copy of the synthetic test papers (``tests/papers``).

``server``, ``browser`` and :func:`open_page` serve the built site to a real browser
(``test_browser``, ``test_accessibility``).

``trialx`` is a :class:`PaperDir` on a copy of ``tests/papers/trialx`` (its news write-up
``trialx-news`` copied beside it) in the test's ``tmp_path``.  It runs one check family (or all
of them) on the folder as it is now, edits one cell and restores it, so that a test can show a
verdict flip and come back::

    trialx.flips("trialx:flow.screening", "inconsistent", "consistent", family=flow,
                 file="reported.csv", column="reported", value="62 patients", id="res-excluded")
"""

from __future__ import annotations

import csv
import functools
import hashlib
import http.server
import io
import os
import shutil
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

PAPERS = Path(__file__).resolve().parent / "papers"
ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
_RUNS: dict[tuple[str, str], dict] = {}


def fresh() -> None:
    """Forget every in-memory cache of the engine (files are edited between runs)."""
    for name, module in list(sys.modules.items()):
        if name == "recheck" or name.startswith("recheck."):
            for obj in list(vars(module).values()):
                clear = getattr(obj, "cache_clear", None)
                if callable(clear):
                    clear()
    from recheck import paper
    paper._REGISTRY.clear()


class PaperDir:
    """A paper folder the test may edit."""

    def __init__(self, path: Path):
        self.path = Path(path)

    # --- running -----------------------------------------------------------------------
    def paper(self):
        from recheck.paper import load_paper
        fresh()
        return load_paper(self.path)

    def _digest(self) -> str:
        """The folder's name and the content of every file beside it (the paper, its source)."""
        h = hashlib.sha256(self.path.name.encode())
        for f in sorted(p for p in self.path.parent.rglob("*") if p.is_file()):
            h.update(str(f.relative_to(self.path.parent)).encode())
            h.update(f.read_bytes())
        return h.hexdigest()

    def findings(self, family=None) -> dict:
        """``id`` → finding of one family (a module of :mod:`recheck.checks`), or of every
        family and the claims (``family=None``).

        The engine is deterministic (``test_testpaper`` checks that a rerun gives the same
        findings), so a run is remembered by the content of the files it reads: restoring a cell
        gives back the findings of the files as they were, and the unedited test paper is checked
        once per family, not once per test.
        """
        if os.environ.get("RECHECK_TEST_MEMO") == "0":   # tools/mutation.py traces every run
            return self._run(family)
        key = (getattr(family, "__name__", "all"), self._digest())
        if key not in _RUNS:
            _RUNS[key] = self._run(family)
        return dict(_RUNS[key])

    def _run(self, family) -> dict:
        from recheck.checks import check
        from recheck.checks.readings import reset_usage
        paper = self.paper()
        if family is None:
            found = check(paper)
        elif family.__name__ == "recheck.checks.claims":
            from recheck.checks import tables
            found = family.findings(paper, {f.id: f for f in tables.findings(paper)})
        else:
            reset_usage(paper)
            found = family.findings(paper)
        ids = [f.id for f in found]
        assert len(ids) == len(set(ids)), f"duplicate finding ids: {sorted(i for i in ids if ids.count(i) > 1)}"
        return {f.id: f for f in found}

    def verdict(self, fid: str, family=None) -> str | None:
        """The verdict of finding *fid* (None when the family makes no such finding)."""
        f = self.findings(family).get(fid)
        return None if f is None else f.verdict

    # --- editing -----------------------------------------------------------------------
    def _file(self, file: str) -> Path:
        path = self.path / file
        if not path.exists() and (self.path.parent / file).exists():
            path = self.path.parent / file  # "trialx-news/reported.csv"
        return path

    @contextmanager
    def cell(self, file: str, column: str, value: str, **where):
        """Set *column* of the one row of *file* matching *where* to *value*, then restore."""
        path = self._file(file)
        original = path.read_bytes()
        rows = list(csv.reader(io.StringIO(original.decode("utf-8"))))
        header = rows[0]
        hits = [i for i, r in enumerate(rows[1:], start=1)
                if r and all(r[header.index(k)] == v for k, v in where.items())]
        assert len(hits) == 1, f"{file}: {len(hits)} rows match {where}"
        rows[hits[0]][header.index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
        try:
            yield
        finally:
            path.write_bytes(original)

    @contextmanager
    def text(self, file: str, old: str, new: str):
        """Replace the one occurrence of *old* in *file* by *new*, then restore."""
        path = self._file(file)
        original = path.read_text(encoding="utf-8")
        assert original.count(old) == 1, f"{file}: {original.count(old)} occurrences of {old!r}"
        path.write_text(original.replace(old, new), encoding="utf-8")
        try:
            yield
        finally:
            path.write_text(original, encoding="utf-8")

    @contextmanager
    def replace_all(self, file: str, old: str, new: str, *, count: int):
        """Replace the *count* occurrences of *old* in *file* by *new*, then restore."""
        path = self._file(file)
        original = path.read_text(encoding="utf-8")
        assert original.count(old) == count, f"{file}: {original.count(old)} occurrences of {old!r}"
        path.write_text(original.replace(old, new), encoding="utf-8")
        try:
            yield
        finally:
            path.write_text(original, encoding="utf-8")

    def append(self, file: str, **row) -> None:
        """Add a row to *file* (columns by name; the others empty).  Not restored."""
        path = self._file(file)
        header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        unknown = set(row) - set(header)
        assert not unknown, f"{file} has no column {unknown}"
        text = path.read_text(encoding="utf-8")
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow([row.get(c, "") for c in header])
        path.write_text(text + ("" if text.endswith("\n") else "\n") + out.getvalue(), encoding="utf-8")

    def write(self, file: str, text: str) -> None:
        (self.path / file).write_text(text, encoding="utf-8")

    # --- the mutation pattern ----------------------------------------------------------
    def flips(self, fid: str, before: str | None, after: str | None, *, family=None, file: str,
              column: str, value: str, **where) -> None:
        """*fid* has verdict *before*; with one cell changed, *after*; restored, *before* again."""
        assert self.verdict(fid, family) == before
        with self.cell(file, column, value, **where):
            assert self.verdict(fid, family) == after
        assert self.verdict(fid, family) == before

    def flips_text(self, fid: str, before: str | None, after: str | None, *, family=None, file: str,
                   old: str, new: str) -> None:
        """As :meth:`flips`, for a replacement of text (a line of ``paper.toml``)."""
        assert self.verdict(fid, family) == before
        with self.text(file, old, new):
            assert self.verdict(fid, family) == after
        assert self.verdict(fid, family) == before


@pytest.fixture
def copy(tmp_path) -> Path:
    """A scratch copy of ``data/``: a planted change never touches the real files."""
    from recheck.data import data_dir
    from recheck.findings import clear_caches
    shutil.copytree(data_dir(), tmp_path / "data")
    clear_caches()
    yield tmp_path / "data"
    clear_caches()


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace *old*, which must occur exactly *count* times in *path*, by *new*."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} is printed {text.count(old)}×, not {count}×, in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def trialx(tmp_path) -> PaperDir:
    """A writable copy of the synthetic test paper (and its news write-up)."""
    for name in ("trialx", "trialx-news"):
        shutil.copytree(PAPERS / name, tmp_path / name)
    return PaperDir(tmp_path / "trialx")


@pytest.fixture
def news(trialx) -> PaperDir:
    """The copy of the test paper's news write-up (beside ``trialx``)."""
    return PaperDir(trialx.path.parent / "trialx-news")


@pytest.fixture
def blank(tmp_path) -> PaperDir:
    """An empty paper folder ``tmp_path/tiny`` with a minimal ``paper.toml``; tests add files."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "paper.toml").write_text(
        '[paper]\nid = "tiny"\ntitle = "tiny"\ncitation = "synthetic"\nchapter = "tiny"\norder = 1\n',
        encoding="utf-8")
    return PaperDir(folder)


# --- the built site in a real browser -----------------------------------------------------
@pytest.fixture(scope="session")
def server():
    if not (SITE / "index.html").exists():
        pytest.fail("no built site: run `make book` (make test does)")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):   # one line per request would bury pytest's report
            pass
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test (starting it is the slow part)."""
    playwright = pytest.importorskip("playwright.sync_api")
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("Debian's chromium is not installed (make test installs it)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def watch(page):
    """The list that *page*'s listeners fill with what goes wrong: a JavaScript error, a console
    error, a request outside the site, a failed request, an HTTP error."""
    problems = []
    page.on("pageerror", lambda e: problems.append(f"JavaScript error: {e}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("request", lambda r: urlsplit(r.url).hostname not in (None, "127.0.0.1")
            and not r.url.startswith("data:") and problems.append(f"request outside the site: {r.url}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    return problems


def open_page(browser, url, width=1200):
    """A new page at *url*, loaded, and its :func:`watch` list."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems = watch(page)
    page.goto(url, wait_until="networkidle")
    return page, problems
