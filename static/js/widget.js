// The widget page inside a partner's frame: focus the outcome of a post (errors or thanks),
// and tell the framing page the widget's height and that a pledge was made. Those two
// messages go to whichever page framed us, so they carry nothing anyone typed.
(function () {
  "use strict";
  // After a post, focus says what happened: the errors, or the thanks.
  var outcome = document.getElementById("error-summary") || document.getElementById("thanks-heading");
  if (outcome) { outcome.focus(); }

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
