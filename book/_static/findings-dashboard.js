/* Findings dashboard: flags first, filter by source and verdict, free-text search, sort by column,
   the view in the URL (shareable, restored on load and on Back), and the view as CSV.
   Plain JavaScript shipped with the site; it needs no network. */
(function () {
  "use strict";
  var FLAGS = "flags";   // the default view: every flag, most severe first (the table's own order)
  function init() {
    var table = document.getElementById("findings-dashboard");
    if (!table) { return; }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var original = rows.slice();
    var source = document.getElementById("filter-source");
    var verdict = document.getElementById("filter-verdict");
    var search = document.getElementById("filter-search");
    var count = document.getElementById("filter-count");
    var download = document.getElementById("filter-download");
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var sortState = null;   // {column, ascending}
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
    fill(verdict, unique("data-verdict").sort(function (a, b) {
      return rank(a) - rank(b);
    }));
    function rank(v) {
      var r = rows.find(function (row) { return row.getAttribute("data-verdict") === v; });
      return r ? Number(r.getAttribute("data-rank")) : 99;
    }
    function isFlag(r) { return r.getAttribute("data-severity") !== ""; }
    function apply() {
      var s = source.value, v = verdict.value, q = search.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (r) {
        var ok = (!s || r.getAttribute("data-source") === s) &&
                 (!v || (v === FLAGS ? isFlag(r) : r.getAttribute("data-verdict") === v)) &&
                 (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
        r.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " findings shown";
    }
    function sortBy(i, ascending) {
      headers.forEach(function (c) { c.removeAttribute("aria-sort"); });
      if (i === null) {
        rows = original.slice();
        sortState = null;
      } else {
        headers[i].setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var byRank = headers[i].getAttribute("data-column") === "verdict";
        rows.sort(function (a, b) {
          var d = byRank ? Number(a.getAttribute("data-rank")) - Number(b.getAttribute("data-rank"))
                         : a.cells[i].textContent.localeCompare(b.cells[i].textContent, undefined, {numeric: true});
          return (ascending ? 1 : -1) * d;
        });
        sortState = {column: i, ascending: ascending};
      }
      rows.forEach(function (r) { body.appendChild(r); });
    }
    // The view lives in the URL: ?source=…&verdict=…&q=…&sort=<column>[-desc]
    function toURL() {
      var params = new URLSearchParams();
      if (source.value) { params.set("source", source.value); }
      if (verdict.value !== FLAGS) { params.set("verdict", verdict.value || "all"); }
      if (search.value.trim()) { params.set("q", search.value.trim()); }
      if (sortState) {
        params.set("sort", headers[sortState.column].getAttribute("data-column") + (sortState.ascending ? "" : "-desc"));
      }
      var query = params.toString();
      var url = location.pathname + (query ? "?" + query : "") + location.hash;
      if (url !== location.pathname + location.search + location.hash) { history.pushState(null, "", url); }
    }
    function fromURL() {
      var params = new URLSearchParams(location.search);
      var v = params.get("verdict");
      source.value = params.get("source") || "";
      verdict.value = v === null ? FLAGS : (v === "all" ? "" : v);
      if (verdict.selectedIndex < 0) { verdict.value = FLAGS; }
      search.value = params.get("q") || "";
      var sort = params.get("sort"), col = null, asc = true;
      if (sort) {
        asc = !/-desc$/.test(sort);
        var name = sort.replace(/-desc$/, "");
        headers.forEach(function (th, i) { if (th.getAttribute("data-column") === name) { col = i; } });
      }
      sortBy(col, asc);
      apply();
    }
    [source, verdict].forEach(function (el) { el.addEventListener("change", function () { apply(); toURL(); }); });
    search.addEventListener("input", apply);
    search.addEventListener("change", toURL);
    headers.forEach(function (th, i) {
      // a real button in each header: reachable by Tab, sorted by Enter or Space
      var button = document.createElement("button");
      button.type = "button";
      button.className = "recheck-sort";
      button.textContent = th.textContent;
      button.title = "Sort by " + th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        sortBy(i, !(sortState && sortState.column === i && sortState.ascending));
        toURL();
      });
    });
    if (download) {
      download.addEventListener("click", function () {
        var quote = function (t) { return '"' + t.replace(/"/g, '""') + '"'; };
        var lines = [headers.map(function (th) { return quote(th.getAttribute("data-column")); }).join(",")];
        rows.forEach(function (r) {
          if (!r.hidden) {
            lines.push(Array.prototype.map.call(r.cells, function (c) { return quote(c.textContent); }).join(","));
          }
        });
        var blob = new Blob([lines.join("\n") + "\n"], {type: "text/csv"});
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = "findings-view.csv";
        document.body.appendChild(a);
        a.click();
        a.remove();
      });
    }
    window.addEventListener("popstate", fromURL);
    fromURL();
    // an id link (#finding-id) lands on its row, shown whatever the filters, and highlighted
    if (location.hash) {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target && target.hidden) { verdict.value = ""; source.value = ""; search.value = ""; apply(); }
      if (target) { target.classList.add("recheck-target"); target.scrollIntoView(); }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
