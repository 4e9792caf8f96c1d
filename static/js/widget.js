// The widget page inside a partner's frame: focus the outcome of a post (errors or thanks),
// and tell the framing page the widget's height and that a pledge was made. Those two
// messages go to whichever page framed us, so they carry nothing anyone typed.
(function () {
  "use strict";
  // After a post, focus says what happened: the errors, or the thanks.
  var outcome = document.getElementById("error-summary") || document.getElementById("thanks-heading");
  if (outcome) { outcome.focus(); }

  // Where JavaScript runs, swap the widget's shared form token (the same for everyone who
  // loaded it in its ten-second window, so it can be cached) for one of this visitor's
  // own, stamped now: the minimum fill time then runs from the real load. The request goes
  // to our own origin from inside the frame, with no cookie. (As in static/js/form.js.)
  var form = document.querySelector("form[data-token-url]");
  var started = form && form.querySelector('input[name="started"]');
  if (started && typeof window.fetch === "function") {
    window.fetch(form.getAttribute("data-token-url"), { credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (body && typeof body.started === "string") { started.value = body.started; }
      })
      .catch(function () { /* the shared token stays */ });
  }

  var root = document.querySelector("main.widget");
  var host = window.parent;
  if (!root || !host || host === window) { return; }

  function send(message) {
    try { host.postMessage(message, "*"); } catch (error) { /* the page may be gone */ }
  }

  var reported = -1;
  function reportHeight() {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height !== reported) {
      reported = height;
      send({ type: "advocacy:height", height: height });
    }
  }

  reportHeight();
  window.addEventListener("load", reportHeight);
  if (typeof window.ResizeObserver === "function") {
    new window.ResizeObserver(reportHeight).observe(root);
  } else {
    window.addEventListener("resize", reportHeight);
  }

  if (root.hasAttribute("data-pledged")) {
    send({ type: "advocacy:pledged", campaign: root.getAttribute("data-campaign") });
  }
})();
