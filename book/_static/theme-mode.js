/* sphinx-book-theme 1.3 does not pass pydata-sphinx-theme 0.17 its default colour mode,
   so on a first visit the theme reads an empty mode and logs an error.  Say "auto". */
if (!document.documentElement.dataset.mode) { document.documentElement.dataset.mode = "auto"; }
