// The share block after acting (templates/campaigns/share.html): a Copy button beside the
// link and the Signal message, and the device's own share menu where the browser has one.
// Without this script the links work and the texts can be selected and copied by hand.
// It sends nothing anywhere: the clipboard and the share menu stay on the device.
(function () {
  "use strict";
  var block = document.querySelector("[data-share]");
  if (!block) { return; }
  var status = block.querySelector("[data-share-status]");

  function say(text) {
    // Emptied first, so that the same words said twice are announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  // The older way, for frames a partner's page did not allow the clipboard API.
  function copyBySelection(source) {
    source.focus();
    source.select();
    try { return document.execCommand("copy"); } catch (error) { return false; }
  }

  block.querySelectorAll("[data-share-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-share-copy"));
    if (!source) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { say(button.getAttribute("data-share-copied")); };
      var byHand = function () {
        if (copyBySelection(source)) { done(); return; }
        say("The text is selected: copy it with your device's Copy command.");
      };
      if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
        navigator.clipboard.writeText(source.value).then(done, byHand);
      } else {
        byHand();
      }
    });
  });

  // A click in a read-only field selects all of it, ready to copy.
  block.querySelectorAll("[data-share-source]").forEach(function (source) {
    source.addEventListener("focus", function () { source.select(); });
  });

  // A frame on a partner's page may not open the share menu unless the partner allowed it
  // (Permissions-Policy web-share); where the browser can tell, no button that would fail.
  var policy = document.featurePolicy;
  var refused = Boolean(policy && typeof policy.features === "function" &&
    policy.features().indexOf("web-share") !== -1 && !policy.allowsFeature("web-share"));
  var mayShare = typeof navigator.share === "function" && !refused;
  var native = block.querySelector("[data-share-native]");
  if (native && mayShare) {
    var data = {
      title: block.getAttribute("data-share-title"),
      text: block.getAttribute("data-share-text"),
      url: block.getAttribute("data-share-url")
    };
    native.hidden = false;
    native.querySelector("button").addEventListener("click", function () {
      navigator.share(data).catch(function (error) {
        // Closing the menu is no failure; a frame not allowed to share loses the button.
        if (error && error.name === "AbortError") { return; }
        native.hidden = true;
        say("This page cannot open the share menu here: use a link below.");
      });
    });
  }
})();
