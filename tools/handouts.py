"""Print every paper chapter's handout (:mod:`recheck.handout`) to PDF with Debian's Chromium.

``make book`` runs it after ``recheck export`` and before ``jupyter-book build``, which copies
``book/_static/downloads/handouts/<chapter>.pdf`` into the site; the downloads page links them.

Same inputs, same bytes: Chromium stamps each PDF with the time it was printed, and those two
dates are rewritten to a fixed one of the same length (so the cross-reference offsets stay valid).
Chromium writes no document ID.

A rebuild with nothing changed launches no browser: the stamp ``_build/recheck-handouts.json``
holds, per chapter, a hash of the rendered HTML (which is everything the findings and the
handout code put on the page), of this script and of the Chromium binary; a chapter is printed
again only when its hash changed or its PDF is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "book" / "_static" / "downloads" / "handouts"
STAMP = ROOT / "_build" / "recheck-handouts.json"

# The flags of the browser test: no sandbox (containers), and nothing that reaches the network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PDF_OPTIONS = dict(
    format="A4", print_background=True, display_header_footer=True,
    margin=dict(top="12mm", bottom="14mm", left="12mm", right="12mm"),
    header_template="<span></span>",
    # No date: the default header prints one, which would make every build differ.
    footer_template='<div style="font:7pt sans-serif;color:#555;width:100%;text-align:center">'
                    '<span class="title"></span> · page <span class="pageNumber"></span> of '
                    '<span class="totalPages"></span></div>')

_DATE = re.compile(rb"(/(?:CreationDate|ModDate) ?\(D:)(\d{0,14})([^)]*)\)")
_FIXED = b"20000101000000"


def normalise(pdf: bytes) -> bytes:
    """*pdf* with its creation and modification dates replaced by a fixed date of the same length.

    The time zone goes too (``+01'00'`` becomes ``+00'00'``), so that the bytes do not depend
    on the machine's.  Same length, so that every offset in the cross-reference table still
    points where it did.

    >>> normalise(b"<</CreationDate (D:20261201174500-05'00') /ModDate (D:20261201174501Z)>>")
    b"<</CreationDate (D:20000101000000+00'00') /ModDate (D:20000101000000Z)>>"
    """
    def fixed(m: re.Match) -> bytes:
        zone = re.sub(rb"[+-]", b"+", re.sub(rb"\d", b"0", m.group(3)))
        return m.group(1) + _FIXED[:len(m.group(2))] + zone + b")"
    return _DATE.sub(fixed, pdf)


def chromium() -> str:
    """The path of Debian's Chromium (``make chromium`` installs it)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        sys.exit("tools/handouts.py: Debian's chromium is not installed (make chromium installs it)")
    return exe


def _key(page: str, exe: str) -> str:
    """What the PDF of one handout depends on: its HTML, this script, the browser."""
    st = os.stat(os.path.realpath(exe))
    h = hashlib.sha256(page.encode())
    h.update(Path(__file__).read_bytes())
    h.update(f"{os.path.realpath(exe)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def print_pdfs(pages: dict[str, str], out: Path, exe: str, browser=None) -> list[Path]:
    """Print each HTML document of *pages* (name → HTML) to ``out/<name>.pdf``, in one browser:
    *browser*, a playwright Browser already running (the tests' own), or Chromium at *exe*."""
    out.mkdir(parents=True, exist_ok=True)
    if browser is None:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
            try:
                return print_pdfs(pages, out, exe, launched)
            finally:
                launched.close()
    written = []
    for name, page_html in pages.items():
        page = browser.new_page()
        page.set_content(page_html, wait_until="load")
        pdf = normalise(page.pdf(**PDF_OPTIONS))
        page.close()
        target = out / f"{name}.pdf"
        tmp = target.with_suffix(".pdf.tmp")
        tmp.write_bytes(pdf)
        tmp.replace(target)   # never a half-written PDF in the site
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path, default=OUT)
    parser.add_argument("--force", action="store_true", help="print every handout, stamp or not")
    args = parser.parse_args(argv)

    from recheck.findings import all_findings
    from recheck.handout import chapters, handout_html

    exe = chromium()
    findings = all_findings()
    pages = {chapter: handout_html(chapter, findings) for chapter in chapters()}
    keys = {chapter: _key(page, exe) for chapter, page in pages.items()}
    old = json.loads(STAMP.read_text()) if STAMP.exists() and not args.force else {}
    stale = {c: page for c, page in pages.items()
             if old.get(str(args.outdir.resolve()), {}).get(c) != keys[c]
             or not (args.outdir / f"{c}.pdf").exists()}
    if not stale:
        print(f"handouts unchanged: {len(pages)} in {args.outdir}")
        return 0
    for path in print_pdfs(stale, args.outdir, exe):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    old[str(args.outdir.resolve())] = keys
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(json.dumps(old, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
