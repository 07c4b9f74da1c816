/* Accessibility repairs that neither the theme nor the generated chapters make themselves
   (issue 13, point 3).  tests/test_accessibility.py runs axe-core on every page to keep them. */
(function () {
  "use strict";

  function headingText(section) {
    var h = section && section.querySelector(":scope > h1, :scope > h2, :scope > h3, :scope > h4");
    if (!h) { return document.title; }
    var copy = h.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (a) { a.remove(); });   // the "#" link
    return copy.textContent.trim();
  }

  /* A table wider than its column scrolls inside its own box.  A keyboard user can scroll the
     box only if it takes focus, and a screen reader then needs to say what it is: so a box that
     scrolls is a named region in the tab order, one that fits is neither (no empty tab stops).
     Widths change with the window and with the dashboard's filter, so both are watched. */
  function scrollableTables() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("div.recheck-table"));
    if (!boxes.length || !window.ResizeObserver) { return; }
    boxes.forEach(function (box) {
      var section = box.closest("section");
      var siblings = boxes.filter(function (b) { return b.closest("section") === section; });
      var name = headingText(section);
      if (siblings.length > 1) {
        name += ", table " + (siblings.indexOf(box) + 1) + " of " + siblings.length;
      }
      box.dataset.regionName = name;
    });
    function update(box) {
      // + 1: sizes are rounded to whole pixels; a long table also scrolls down (recheck.css)
      if (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", box.dataset.regionName);
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (e) { update(e.target.closest("div.recheck-table")); });
    });
    boxes.forEach(function (box) {
      update(box);   // now, so that the page is right before the observer's first report
      observer.observe(box);
      if (box.firstElementChild) { observer.observe(box.firstElementChild); }
    });
  }

  /* The colour-mode button is named "Color mode", but Font Awesome turns the titles of its three
     icons ("Light", "Dark", "System Settings") into text inside it, so its name no longer
     contains its content.  The icons are decoration; the button's name says what it does. */
  function decorativeModeIcons() {
    document.querySelectorAll(".theme-switch-button .theme-switch").forEach(function (icon) {
      icon.removeAttribute("title");   // an <i> that Font Awesome has not replaced yet
      icon.setAttribute("aria-hidden", "true");
      if (icon.tagName.toLowerCase() === "svg") {
        icon.removeAttribute("role");
        icon.removeAttribute("aria-labelledby");
        icon.querySelectorAll("title").forEach(function (t) { t.remove(); });
      }
    });
  }

  /* Controls whose label hides their visible text, so that a speech-input user who says what they
     see does not reach them: the search field's button shows "Search Ctrl+K" but is labelled
     "Search", and a hidden cell output's toggle (myst-nb) shows "Show code cell outputs" but is
     labelled "Toggle hidden content".  Without the label, each is named by its text. */
  function namesFromVisibleText() {
    document.querySelectorAll("button.search-button-field[aria-label], details.hide > summary[aria-label]")
      .forEach(function (control) { control.removeAttribute("aria-label"); });
  }

  /* docutils marks each bibliography entry role="doc-biblioentry" inside role="list"; DPUB-ARIA 1.1
     deprecated that role (an entry is a list item), and axe reads the list as holding bare links. */
  function bibliographyItems() {
    document.querySelectorAll('[role="list"] > [role="doc-biblioentry"]').forEach(function (entry) {
      entry.setAttribute("role", "listitem");
    });
  }

  function init() {
    scrollableTables();
    decorativeModeIcons();
    namesFromVisibleText();
    bibliographyItems();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
