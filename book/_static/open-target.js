/* A link to a finding (#id) may point into a collapsed list of a chapter: open every <details>
   around the target so it is shown, on load and whenever the fragment changes (Chromium does
   this by itself; other browsers do not). */
(function () {
  "use strict";
  function open() {
    if (!location.hash) { return; }
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) { return; }
    var opened = false;
    for (var d = target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
      if (!d.open) { d.open = true; opened = true; }
    }
    if (opened) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", open);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", open); } else { open(); }
})();
