// Moves focus to the error summary after a failed submit, so screen readers announce it.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  summary.focus();
  // The form posts to "#act": the browser's scroll to that fragment, when the page has
  // loaded, moves focus back to the document. Take it again unless the person has moved on.
  window.addEventListener("load", function () {
    if (!document.activeElement || document.activeElement === document.body) {
      summary.focus();
    }
  });
})();
