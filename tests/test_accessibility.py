"""axe-core checks every page of the built site, as a wide light screen and as a dark phone.

No violation of impact "critical" or "serious" is allowed, except those in ``ALLOWED`` (a rule on
one page, with the reason the site's own CSS and JavaScript cannot fix it).  The phone's two
header buttons are exercised too: the menu must open the navigation, and the contents button
the page's table of contents.

axe-core is vendored in tests/vendor/axe-core/ (no network).  A screenshot of each page as the
dark phone saw it goes to _build/screenshots/a11y/ for review.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHOTS, SITE, watch

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# index.html is Jupyter Book's forwarding stub (a meta refresh, no content): it is checked to
# forward to the first chapter, which is checked here like every other page.
PAGES = sorted(p.relative_to(SITE).as_posix() for p in SITE.glob("book/*.html")) if SITE.exists() else []
VIEWS = {"light-1400": (1400, "light"), "dark-390": (390, "dark")}
BLOCKING = ("critical", "serious")
ROWS = 20   # rows of each table body that axe sees (see test_no_serious_violations)

# (rule id, page) -> why it stays.  Only for what the site's CSS/JS cannot reach (src/, book/*.md).
ALLOWED: dict[tuple[str, str], str] = {}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def views(browser):
    """One browser context per view, shared by its pages (a context costs half a second, and
    its cache spares reloading the same scripts for every page).

    Dark is the reader's choice twice over: the system preference, and the theme's own stored
    mode (``localStorage`` ``mode``/``theme``, read by pydata-sphinx-theme in ``<head>``)."""
    contexts = {}
    for view, (width, scheme) in VIEWS.items():
        ctx = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        ctx.add_init_script(f"localStorage.setItem('mode', '{scheme}'); localStorage.setItem('theme', '{scheme}');")
        contexts[view] = ctx
    yield contexts
    for ctx in contexts.values():
        ctx.close()


def load(views, view, url):
    """*url* in *view*, loaded, with fonts and MathJax's typesetting done; and its problems."""
    page = views[view].new_page()
    problems = watch(page)
    page.goto(url, wait_until="load")
    page.evaluate("() => Promise.all([document.fonts.ready, window.MathJax?.startup?.promise])"
                  ".then(() => true)")
    return page, problems


def describe(violation, limit=3):
    """A violated rule: id, impact, what axe says, a few targets, and axe's detail for the first."""
    nodes = violation["nodes"]
    targets = ", ".join(" ".join(map(str, n["target"])) for n in nodes[:limit])
    more = f" (+{len(nodes) - limit} more)" if len(nodes) > limit else ""
    detail = next((c["message"] for c in nodes[0]["any"] + nodes[0]["all"] + nodes[0]["none"]), "")
    return (f"  {violation['id']} [{violation['impact']}] {violation['help']}: {len(nodes)} element(s): "
            f"{targets}{more}" + (f"\n    e.g. {detail}" if detail else ""))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violations(server, views, path, view):
    page, problems = load(views, view, f"{server}/{path}")
    try:
        # axe must see the colours the reader sees
        assert page.evaluate("document.documentElement.dataset.theme") == VIEWS[view][1]
        if path == "book/findings.html":   # the dashboard reorders its table once it has counted rows
            page.wait_for_function("document.getElementById('filter-count').textContent.includes('findings shown')")
        if view == "dark-390":
            (SHOTS / "a11y").mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "a11y" / f"{Path(path).stem}-{view}.png"))
        # The tables of findings are written row by row from one template: their first rows show
        # axe all that the rest would, and the 1,700 rows of a chapter would cost it 10-20 s.
        page.evaluate(f"document.querySelectorAll('tbody > tr:nth-child(n+{ROWS + 1})')"
                      ".forEach(r => r.remove())")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})"
                               ".then(r => JSON.stringify(r.violations))")
    finally:
        page.close()
    blocking = [v for v in json.loads(result)
                if v["impact"] in BLOCKING and (v["id"], path) not in ALLOWED]
    if blocking:
        pytest.fail(f"{path} ({view}):\n" + "\n".join(describe(v) for v in blocking), pytrace=False)
    assert not problems, "\n".join(problems)


def test_allowed_violations_name_pages_of_the_site():
    """A stale allow-list entry would silently allow the rule on a page that comes back."""
    assert {page for _, page in ALLOWED} <= set(PAGES)


def test_index_forwards_to_the_first_chapter(server, views):
    # not watched: the stub has no <link rel="icon">, so Chromium asks for /favicon.ico (a 404)
    page = views["light-1400"].new_page()
    page.goto(f"{server}/index.html")
    page.wait_for_url("**/book/intro.html")
    assert "book/intro.html" in PAGES
    page.close()


def test_phone_menu_opens_the_navigation(server, views):
    page, problems = load(views, "dark-390", f"{server}/book/ozcan.html")
    chapter = page.locator(".bd-sidebar-primary a.reference[href='pallas.html']")
    assert chapter.count() == 1 and not chapter.is_visible()    # folded away on a phone
    page.locator("button.primary-toggle:visible").click()       # ☰
    chapter.wait_for(state="visible")
    chapter.click()                   # Playwright clicks only what is visible, enabled and on top
    page.wait_for_url("**/book/pallas.html")
    page.close()
    assert not problems, "\n".join(problems)


def test_phone_contents_button_opens_the_table_of_contents(server, views):
    page, problems = load(views, "dark-390", f"{server}/book/ozcan.html")
    entry = page.locator("#pst-page-toc-nav a.nav-link").last
    href = entry.get_attribute("href")
    assert href.startswith("#") and not entry.is_visible()
    page.locator("button.secondary-toggle:visible").click()
    entry.wait_for(state="visible")
    entry.click()
    page.wait_for_url(f"**/book/ozcan.html{href}")
    page.close()
    assert not problems, "\n".join(problems)
