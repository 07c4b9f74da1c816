/* The sidebar buttons in the article's header (sphinx-book-theme 1.3) do nothing.  The page also
   has pydata-sphinx-theme's own pair in its navbar, hidden, and both themes bind their handlers
   with querySelector, i.e. to the first button of each kind: the hidden one.  A click on any other
   toggle is handed to that first one, which opens the sidebar as a dialog on a phone (pydata) or
   folds the primary sidebar away on a wide screen (sphinx-book-theme). */
(function () {
  "use strict";
  function init() {
    ["primary", "secondary"].forEach(function (side) {
      var toggles = Array.prototype.slice.call(document.querySelectorAll("button." + side + "-toggle"));
      var bound = toggles.shift();
      toggles.forEach(function (button) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          bound.click();
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
