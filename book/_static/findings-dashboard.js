/* Findings dashboard: filter by source and verdict, free-text search, sort by column.
   Plain JavaScript shipped with the site; it needs no network. */
(function () {
  "use strict";
  function init() {
    var table = document.getElementById("findings-dashboard");
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var source = document.getElementById("filter-source");
    var verdict = document.getElementById("filter-verdict");
    var search = document.getElementById("filter-search");
    var count = document.getElementById("filter-count");
    function unique(attr) {
      var seen = {};
      rows.forEach(function (r) { seen[r.getAttribute(attr)] = true; });
      return Object.keys(seen).sort();
    }
    function fill(select, values) {
      values.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v; o.textContent = v; select.appendChild(o);
      });
    }
    fill(source, unique("data-source"));
    fill(verdict, unique("data-verdict"));
    function apply() {
      var s = source.value, v = verdict.value, q = search.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (r) {
        var ok = (!s || r.getAttribute("data-source") === s) &&
                 (!v || r.getAttribute("data-verdict") === v) &&
                 (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
        r.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " findings shown";
    }
    [source, verdict].forEach(function (el) { el.addEventListener("change", apply); });
    search.addEventListener("input", apply);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.style.cursor = "pointer";
      th.title = "Sort by " + th.textContent;
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = a.cells[i].textContent, y = b.cells[i].textContent;
          return (asc ? 1 : -1) * x.localeCompare(y, undefined, {numeric: true});
        });
        rows.forEach(function (r) { table.tBodies[0].appendChild(r); });
      });
    });
    apply();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
