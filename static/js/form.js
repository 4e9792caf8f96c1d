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

// Where JavaScript runs, swap the page's shared form token (the same for everyone who
// loaded the page in its ten-second window, so the page can be cached) for one of this
// visitor's own, stamped now: the minimum fill time then runs from the real load, not
// from the window's end. Without JavaScript, or if the fetch fails, the shared one stays.
// (static/js/widget.js does the same in the partner widget.)
(function () {
  "use strict";
  if (typeof window.fetch !== "function") { return; }
  var forms = document.querySelectorAll("form[data-token-url]");
  Array.prototype.forEach.call(forms, function (form) {
    var field = form.querySelector('input[name="started"]');
    if (!field) { return; }
    window.fetch(form.getAttribute("data-token-url"), { credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (body && typeof body.started === "string") { field.value = body.started; }
      })
      .catch(function () { /* the shared token stays */ });
  });
})();
