"""A real browser opens every page of the built site, served on 127.0.0.1.

Fails on a JavaScript error, a request outside the site, a failed request, a broken
internal link, an error output in a cell, an image that does not load or has no alt
text, a glue reference that did not render, a glued value that renders as a blank, or prose
that repeats the prefix a glued value carries ("p = p = 0.55").  Exercises the dashboard's filter.
Screenshots of every page go to _build/screenshots/ for review.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import SHOTS, SITE, open_page

PAGES = sorted(p.relative_to(SITE).as_posix() for p in SITE.glob("book/*.html")) if SITE.exists() else []

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", PAGES)
def test_page(server, browser, path):
    page, problems = open_page(browser, f"{server}/{path}")
    # every image loaded and described
    for img in page.query_selector_all("article img"):
        src = img.get_attribute("src")
        if not page.evaluate("i => i.complete && i.naturalWidth > 0", img):
            problems.append(f"image did not load: {src}")
        alt = (img.get_attribute("alt") or "").strip()
        if not alt or alt.endswith((".png", ".svg", ".jpg")):   # myst-nb defaults to the file name
            problems.append(f"image without alt text: {src}")
    text = page.inner_text("article")
    for marker in ("{glue", "Traceback (most recent call last)", "Error:"):
        if marker in text:
            problems.append(f"page text contains {marker!r}")
    # prose that types what a glued value already carries doubles it ("p = p = 0.55")
    for doubled in re.findall(r"p = p =|[<>=≤≥] [<>=≤≥] ", text):
        problems.append(f"page text doubles a glued value's prefix: {doubled!r}")
    # a glued value that rendered as nothing leaves a blank in the prose ("across  sources")
    blanks = page.eval_on_selector_all(".pasted-text, .pasted-inline",
                                       "es => es.filter(e => !e.textContent.trim()).length")
    if blanks:
        problems.append(f"{blanks} glued value(s) render as a blank")
    if page.query_selector_all(".output.error, .output.traceback, .cell_output .stderr"):
        problems.append("a cell shows an error or stderr output")
    # internal links resolve to files of the site (and anchors to ids on their page)
    here = SITE / path
    for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))"):
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "mailto") or href.startswith("#") or not parts.path:
            continue
        target = (here.parent / unquote(parts.path)).resolve()
        if not target.exists():
            problems.append(f"broken link: {href}")
        elif parts.fragment and target.suffix == ".html":
            if f'id="{unquote(parts.fragment)}"' not in target.read_text(encoding="utf-8"):
                problems.append(f"broken anchor: {href}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (Path(path).stem + ".png")), full_page=False)
    phone, _ = open_page(browser, f"{server}/{path}", width=390)
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 2:
        problems.append(f"page is {overflow}px wider than a phone screen")
    phone.screenshot(path=str(SHOTS / (Path(path).stem + "-phone.png")))
    phone.close()
    page.close()
    assert not problems, "\n".join(problems)


def dashboard(browser, server, query=""):
    page, problems = open_page(browser, f"{server}/book/findings.html{query}")
    # the dashboard is ready once its script has counted the rows
    page.wait_for_function("document.getElementById('filter-count').textContent.includes('findings shown')")
    return page, problems


def matches(page) -> int:
    """How many rows the current view has, on all its pages."""
    return int(page.get_attribute("#findings-dashboard", "data-matches"))


def test_dashboard_opens_on_flags_and_keeps_its_view_in_the_url(server, browser):
    page, problems = dashboard(browser, server)
    assert not problems, "\n".join(problems)
    rows = page.locator("#findings-dashboard tbody tr")
    severities = rows.evaluate_all("rs => rs.map(r => r.dataset.severity)")
    assert severities and "" not in severities                         # flags only
    order = {"decisive": 0, "major": 1, "minor": 2}
    assert [order[s] for s in severities] == sorted(order[s] for s in severities)   # most severe first
    page.select_option("#filter-verdict", "plausible")
    assert "verdict=plausible" in page.url
    n_plausible = matches(page)
    assert n_plausible > 0 and rows.count() == min(n_plausible, 50)    # the first page of the view
    page.select_option("#filter-verdict", "gross")
    page.go_back()
    assert page.input_value("#filter-verdict") == "plausible" and matches(page) == n_plausible
    page.goto(page.url)                                                 # a shared link restores the view
    page.wait_for_function("document.getElementById('filter-count').textContent.includes('findings shown')")
    assert page.input_value("#filter-verdict") == "plausible" and matches(page) == n_plausible
    # sort from the keyboard: focus the "location" header's button, press Enter
    page.locator("#findings-dashboard thead th[data-column='location'] button").focus()
    page.keyboard.press("Enter")
    assert page.locator("#findings-dashboard thead th[data-column='location']").get_attribute("aria-sort") == "ascending"
    assert "sort=location" in page.url
    with page.expect_download() as dl:
        page.click("#filter-download")
    text = open(dl.value.path(), encoding="utf-8").read().splitlines()
    assert len(text) == n_plausible + 1 and text[0].startswith('"id","verdict"')
    # an id link lands on its row in the chapter, highlighted, with its verdict in view
    href = rows.locator("a").first.get_attribute("href")
    chapter, _ = open_page(browser, f"{server}/book/{href}")
    row = chapter.locator(":target")
    assert row.count() == 1 and row.evaluate("r => getComputedStyle(r).outlineStyle") == "solid"
    assert row.locator(".verdict").is_visible()
    assert not problems, "\n".join(problems)


def test_dashboard_pages(server, browser):
    """Rows come a page at a time; the page is part of the view (URL, Back), and the download
    holds every page of the view."""
    page, problems = dashboard(browser, server)
    rows = page.locator("#findings-dashboard tbody tr")
    n_flags = matches(page)
    assert n_flags > 50 and rows.count() == 50
    first = rows.first.get_attribute("id")
    page.click("#filter-pages [data-step='1']")
    assert "page=2" in page.url and rows.first.get_attribute("id") != first
    assert "rows 51–" in page.inner_text("#filter-pages")
    page.go_back()
    assert rows.first.get_attribute("id") == first
    with page.expect_download() as dl:
        page.click("#filter-download")
    assert len(open(dl.value.path(), encoding="utf-8").read().splitlines()) == n_flags + 1
    # a link to a row that is on no page of the default view shows it, highlighted
    consistent = "ozcan:table-1.age-group.her2-zero.percent-of-n"
    target, more = dashboard(browser, server, f"#{consistent}")
    row = target.locator("#findings-dashboard tr.recheck-target")
    assert row.count() == 1 and row.get_attribute("id") == consistent and row.is_visible()
    assert not problems + more, "\n".join(problems + more)


def test_dashboard_filter(server, browser):
    page, problems = dashboard(browser, server, "?verdict=all")
    total = matches(page)
    assert total > 100 and page.locator("#findings-dashboard tbody tr").count() == 50
    page.select_option("#filter-verdict", "gross")
    rows = page.locator("#findings-dashboard tbody tr")
    n_gross = matches(page)
    assert 0 < n_gross < total
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.verdict)")) == {"gross"}
    page.select_option("#filter-verdict", "")
    page.fill("#filter-search", "71.6%")
    assert 0 < matches(page) < total
    assert "findings shown" in page.inner_text("#filter-count")
    page.fill("#filter-search", "")
    page.locator("#findings-dashboard thead th", has_text="verdict").click()
    ranks = rows.evaluate_all("rs => rs.map(r => +r.dataset.rank)")
    assert ranks == sorted(ranks) and len(set(ranks)) > 1     # by verdict: most severe first
    assert not problems, "\n".join(problems)
