"""make bench: how long the things we rebuild often take, beside a minimal Jupyter Book.

Prints one table: a cold build of this book, a rebuild with nothing changed, the
reconstruction of every cohort, the survival simulation (vectorised, against a plain
loop over lifelines' logrank_test on the same data), each with its ratio to the build
time of a minimal one-page Jupyter Book measured in the same run; then the findings
dashboard's time to interactive in Debian's Chromium, beside an ordinary page of the site.  A benchmark, not a
test: nothing here passes or fails.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
JB = [str(Path(sys.executable).with_name("jupyter-book")), "build", "--warningiserror", "--keep-going"]


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def minimal_book() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "_config.yml").write_text("title: minimal\nexecute:\n  execute_notebooks: force\n")
        (Path(tmp) / "_toc.yml").write_text("format: jb-book\nroot: index\n")
        (Path(tmp) / "index.md").write_text(
            "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
            "kernelspec:\n  name: python3\n  display_name: Python 3\n---\n# Minimal\n\n"
            "```{code-cell} ipython3\n1 + 1\n```\n")
        return timed(lambda: subprocess.run([*JB, tmp], check=True, capture_output=True))


def this_book(clean: bool) -> float:
    if clean:
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
    def run():
        # what `make book` runs: the cache keys, the downloads, the chapters, the book
        subprocess.run([sys.executable, str(ROOT / "tools" / "cache_keys.py")], check=True, cwd=ROOT)
        subprocess.run([sys.executable, "-m", "recheck", "export", "book/_static/downloads"], check=True, cwd=ROOT)
        subprocess.run([sys.executable, str(ROOT / "tools" / "execute.py")], check=True, cwd=ROOT,
                       capture_output=True)
        subprocess.run([*JB, "--nitpick", "."], check=True, capture_output=True, cwd=ROOT)
    return timed(run)


def reconstruction() -> float:
    """Every cohort regenerated into a scratch copy of data/ (the committed files stay as they are)."""
    from recheck.paper import registry
    from recheck.reconstruct import reconstruct
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "data", Path(tmp) / "data")
        papers = registry(Path(tmp) / "data")
        return timed(lambda: [reconstruct(p) for p in papers])


def simulation(reps: int = 1000) -> tuple[float, float]:
    from lifelines.statistics import logrank_test
    from recheck.survival import GroupSummary, logrank_tests, simulate_group

    groups = [GroupSummary("recurrent", 59, 17.9), GroupSummary("de novo", 53, 13.4)]
    rng = np.random.default_rng(0)
    sims = [simulate_group(g, reps, rng, follow_up=(0.0, 34.4)) for g in groups]
    times = np.concatenate([s[0] for s in sims], axis=1)
    events = np.concatenate([s[1] for s in sims], axis=1)
    labels = np.repeat([0, 1], [59, 53])
    ok = np.isfinite(times).all(axis=1)
    times, events = times[ok], events[ok]
    vec = timed(lambda: logrank_tests(times, events, labels))
    a, b = labels == 0, labels == 1
    loop = timed(lambda: [logrank_test(t[a], t[b], e[a], e[b]).p_value for t, e in zip(times, events)])
    return vec, loop


def time_to_interactive(paths=("book/methods.html", "book/findings.html"), repeats: int = 5) -> dict:
    """Median milliseconds from navigation to the page being usable, per page of the built site:
    the dashboard is usable once its script has counted the rows; an ordinary page at
    DOMContentLoaded.  None when Chromium or playwright is missing."""
    import functools
    import http.server
    import statistics
    import threading
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    exe = shutil.which("chromium")
    if exe is None:
        return {}
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass
    handler = functools.partial(Quiet, directory=str(ROOT / "_build" / "html"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    ready = ("() => { const c = document.getElementById('filter-count');"
             " return c ? c.textContent.includes('findings shown') : document.readyState !== 'loading'; }")
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            for path in paths:
                runs = []
                for _ in range(repeats):
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{path}", wait_until="commit")
                    page.wait_for_function(ready, polling=5)
                    runs.append(page.evaluate("performance.now()"))
                    page.close()
                out[path] = statistics.median(runs)
            browser.close()
    finally:
        httpd.shutdown()
    return out


def main() -> None:
    base = minimal_book()
    rows = [("minimal Jupyter Book (1 page, 1 cell)", base)]
    rows.append(("this book, cold build", this_book(clean=True)))
    rows.append(("this book, rebuild with nothing changed", this_book(clean=False)))
    rows.append(("reconstruct every cohort", reconstruction()))
    vec, loop = simulation()
    rows.append(("log-rank of 1,000 reconstructions, vectorised", vec))
    rows.append(("log-rank of 1,000 reconstructions, loop over lifelines", loop))
    width = max(len(r[0]) for r in rows)
    print(f"{'what'.ljust(width)}  {'seconds':>9}  {'× minimal book':>15}")
    for name, sec in rows:
        print(f"{name.ljust(width)}  {sec:9.2f}  {sec / base:15.2f}")
    print(f"\nvectorised log-rank is {loop / vec:.0f}× faster than the lifelines loop")
    tti = time_to_interactive()
    if tti:
        print("\ntime to interactive in Chromium (median of 5, 1400 px):")
        for path, ms in tti.items():
            print(f"  {path:<22} {ms:6.0f} ms")
    else:
        print("\ntime to interactive: skipped (no Chromium or playwright)")


if __name__ == "__main__":
    main()
