// The links in a supporter's email carry their code in the fragment
// (/c/<slug>/confirm#K7QX2-M9PDA-3VW8E-TB6HJ), which browsers never send: it stays out of
// request lines, logs and proxies. Put it into the form, take it out of the address bar
// and history, and leave the button for the supporter to press (a mail scanner that
// opens the link submits nothing). Without JavaScript the page asks for the code.
(function () {
  "use strict";
  var form = document.querySelector("form[data-code-form]");
  if (!form) { return; }
  var input = form.querySelector('input[name="code"]');
  var field = form.querySelector("[data-code-field]");
  var filled = form.querySelector("[data-code-filled]");

  function take() {
    var code = window.location.hash.slice(1);
    try { code = decodeURIComponent(code); } catch (error) { return; }
    code = code.replace(/\s+/g, "");
    if (!input || !/^[0-9A-Za-z_-]{20,40}$/.test(code)) { return; }
    input.value = code;
    if (window.history && typeof window.history.replaceState === "function") {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    // The field stays shown when the server asked for a correction.
    if (field && filled && !field.querySelector(".error-message")) {
      field.hidden = true;
      filled.hidden = false;
    }
  }

  take();
  // The same page opened again from another link of the email.
  window.addEventListener("hashchange", take);
})();
