/* Findings dashboard: flags first, filter by source and verdict, free-text search, sort by column,
   one page of rows at a time, the view in the URL (shareable, restored on load and on Back), and
   the view as CSV.  Plain JavaScript shipped with the site; it needs no network.

   Speed: the page ships every row (the table is readable without JavaScript), but the stylesheet
   lays out only the first page of them.  The script reads each row once into an array, then
   filters and sorts that array and puts only the rows of the current page into the table, so
   no step lays out more than one page, whatever the number of findings. */
(function () {
  "use strict";
  var FLAGS = "flags";   // the default view: every flag, most severe first (the table's own order)
  var PAGE = 50;         // rows per page
  function init() {
    var table = document.getElementById("findings-dashboard");
    if (!table) { return; }
    var body = table.tBodies[0];
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    // Everything the filters and sorts need, read once.
    var all = Array.prototype.map.call(body.rows, function (r, i) {
      var cells = Array.prototype.map.call(r.cells, function (c) { return c.textContent; });
      return {row: r, order: i, cells: cells, text: cells.join(" ").toLowerCase(), id: r.id,
              source: r.getAttribute("data-source"), verdict: r.getAttribute("data-verdict"),
              flag: r.getAttribute("data-severity") !== "", rank: Number(r.getAttribute("data-rank"))};
    });
    var source = document.getElementById("filter-source");
    var verdict = document.getElementById("filter-verdict");
    var search = document.getElementById("filter-search");
    var count = document.getElementById("filter-count");
    var download = document.getElementById("filter-download");
    var pager = document.getElementById("filter-pages");
    var sortState = null;   // {column, ascending}
    var matches = all, page = 0;

    function unique(key) {
      var seen = {};
      all.forEach(function (r) { seen[r[key]] = Math.min(seen[r[key]] === undefined ? 99 : seen[r[key]], r.rank); });
      return Object.keys(seen).sort(function (a, b) { return seen[a] - seen[b] || a.localeCompare(b); });
    }
    function fill(select, values) {
      values.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v; o.textContent = v; select.appendChild(o);
      });
    }
    fill(source, unique("source").sort());
    fill(verdict, unique("verdict"));   // most severe verdict first

    function filtered() {
      var s = source.value, v = verdict.value, q = search.value.trim().toLowerCase();
      return all.filter(function (r) {
        return (!s || r.source === s) && (!v || (v === FLAGS ? r.flag : r.verdict === v)) &&
               (!q || r.text.indexOf(q) !== -1);
      });
    }
    function sorted(rows) {
      if (!sortState) { return rows; }
      var i = sortState.column, sign = sortState.ascending ? 1 : -1;
      var byRank = headers[i].getAttribute("data-column") === "verdict";
      return rows.slice().sort(function (a, b) {
        var d = byRank ? a.rank - b.rank : a.cells[i].localeCompare(b.cells[i], undefined, {numeric: true});
        return sign * d || a.order - b.order;   // ties keep the table's order, most severe first
      });
    }
    function pages() { return Math.max(1, Math.ceil(matches.length / PAGE)); }
    function render() {
      page = Math.min(Math.max(page, 0), pages() - 1);
      var shown = matches.slice(page * PAGE, (page + 1) * PAGE);
      var fragment = document.createDocumentFragment();
      shown.forEach(function (r) { fragment.appendChild(r.row); });
      body.replaceChildren(fragment);
      table.classList.add("recheck-paged");   // from now on the script decides which rows are in the table
      table.setAttribute("data-matches", String(matches.length));
      count.textContent = matches.length + " of " + all.length + " findings shown";
      if (pager) {
        var first = matches.length ? page * PAGE + 1 : 0;
        pager.querySelector(".recheck-page-status").textContent =
          "rows " + first + "–" + (page * PAGE + shown.length) + " · page " + (page + 1) + " of " + pages();
        pager.querySelector("[data-step='-1']").disabled = page === 0;
        pager.querySelector("[data-step='1']").disabled = page >= pages() - 1;
      }
    }
    function apply() { matches = sorted(filtered()); render(); }
    function setSort(i, ascending) {
      headers.forEach(function (c) { c.removeAttribute("aria-sort"); });
      sortState = i === null ? null : {column: i, ascending: ascending};
      if (i !== null) { headers[i].setAttribute("aria-sort", ascending ? "ascending" : "descending"); }
    }
    // The view lives in the URL: ?source=…&verdict=…&q=…&sort=<column>[-desc]&page=<n>
    function toURL() {
      var params = new URLSearchParams();
      if (source.value) { params.set("source", source.value); }
      if (verdict.value !== FLAGS) { params.set("verdict", verdict.value || "all"); }
      if (search.value.trim()) { params.set("q", search.value.trim()); }
      if (sortState) {
        params.set("sort", headers[sortState.column].getAttribute("data-column") + (sortState.ascending ? "" : "-desc"));
      }
      if (page > 0) { params.set("page", String(page + 1)); }
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
      setSort(col, asc);
      page = (parseInt(params.get("page"), 10) || 1) - 1;
      apply();
    }
    function refilter() { page = 0; apply(); }
    [source, verdict].forEach(function (el) { el.addEventListener("change", function () { refilter(); toURL(); }); });
    search.addEventListener("input", refilter);
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
        setSort(i, !(sortState && sortState.column === i && sortState.ascending));
        page = 0;
        apply();
        toURL();
      });
    });
    if (pager) {
      Array.prototype.forEach.call(pager.querySelectorAll("button[data-step]"), function (b) {
        b.addEventListener("click", function () {
          page += Number(b.getAttribute("data-step"));
          render();
          toURL();
          table.scrollIntoView({block: "start"});
        });
      });
    }
    if (download) {
      download.addEventListener("click", function () {
        var quote = function (t) { return '"' + t.replace(/"/g, '""') + '"'; };
        // the verdict cell also shows the severity: the file has them apart, and the source too
        var names = headers.map(function (th) { return th.getAttribute("data-column"); });
        var v = names.indexOf("verdict");
        var lines = [names.concat(["severity", "source"]).map(quote).join(",")];
        matches.forEach(function (r) {   // every page of the view
          var cells = r.cells.slice();
          if (v >= 0) { cells[v] = r.verdict; }
          cells.push(r.row.getAttribute("data-severity"), r.source);
          lines.push(cells.map(quote).join(","));
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
      var id = decodeURIComponent(location.hash.slice(1));
      var at = function () { return matches.findIndex(function (r) { return r.id === id; }); };
      if (all.some(function (r) { return r.id === id; })) {
        if (at() < 0) { verdict.value = ""; source.value = ""; search.value = ""; matches = sorted(filtered()); }
        page = Math.floor(at() / PAGE);
        render();
        var target = document.getElementById(id);
        target.classList.add("recheck-target");
        target.scrollIntoView();
      }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
