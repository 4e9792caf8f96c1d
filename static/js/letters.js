// Progressive enhancement for the letters: copy to the clipboard, and keep the printed
// letter in step with edits. Everything works without this script.
(function () {
  "use strict";
  document.querySelectorAll("[data-letter]").forEach(function (letter) {
    var body = letter.querySelector("[data-letter-body]");
    var copy = letter.querySelector("[data-copy]");
    var status = letter.querySelector("[data-copy-status]");
    var printed = letter.querySelector("[data-print-body]");
    if (!body) { return; }
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(body.value).then(function () {
          // The words in the page's language, from the page (pledges/member.html).
          status.textContent = status.dataset.copied || "Letter copied. Paste it into the contact form.";
        }, function () {
          body.select();
          status.textContent = status.dataset.select || "Select the letter text and copy it.";
        });
      });
    }
    if (printed) {
      body.addEventListener("input", function () {
        printed.textContent = "";
        body.value.split(/\n\s*\n/).forEach(function (text) {
          var p = document.createElement("p");
          p.dir = "auto";  // a paragraph in Uyghur reads right to left, as typed
          p.textContent = text;
          printed.appendChild(p);
        });
      });
    }
  });
})();
