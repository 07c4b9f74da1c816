/* Figures scale down to the page's width, which on a phone leaves their labels tiny; their
   images are made at twice the screen's resolution, so a tap on one opens it at full size. */
(function () {
  "use strict";
  function enlargeable() {
    document.querySelectorAll("article .cell_output img").forEach(function (img) {
      if (img.closest("a")) { return; }
      var a = document.createElement("a");
      a.href = img.getAttribute("src");
      a.className = "recheck-enlarge";
      a.title = "Open the figure at full size";
      img.parentNode.insertBefore(a, img);
      a.appendChild(img);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", enlargeable); }
  else { enlargeable(); }
})();
