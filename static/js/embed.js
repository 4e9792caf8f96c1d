/* Advocacy pledge widget loader. On a partner's page:
 *
 *   <script src="https://HOST/embed.js" data-campaign="SLUG" async></script>
 *
 * puts the campaign's pledge form (an iframe of https://HOST/c/SLUG/widget) where the tag
 * stands. data-ref="partner-name" names the partner on each pledge (default: this page's
 * host name). data-lang="ug" (Uyghur, Arabic script) or "ug-Latn" (Latin script) chooses
 * the widget's language; without it the widget speaks the language of the partner's page
 * (the nearest lang attribute around the tag, usually <html lang>) when it is one of ours,
 * and English otherwise (data-lang="en" keeps it English on any page). After a pledge,
 * the widget's container fires "advocacy:pledged", which bubbles to window, with
 * event.detail = {campaign: SLUG} and nothing else.
 *
 * It defines no globals, needs nothing else, and never throws into the page: if our
 * server is down or slow, the reserved box stays and the rest of the page works.
 */
(function () {
  "use strict";

  var SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
  var DONE = "data-advocacy-embedded";
  var REF_MAX = 64;
  // About the blank form's height at phone widths, so the page barely moves when the
  // widget reports its real height.
  var INITIAL_HEIGHT = 760;
  var MIN_HEIGHT = 120;
  var MAX_HEIGHT = 3000;
  // The languages the widget speaks besides English (advocacy/translations/languages.toml;
  // tests/widget/test_embed_language.py keeps the two in step), by lower-case BCP 47 tag,
  // each with its address prefix. Uyghur's default script is Arabic: ug-Arab is ug.
  var LANGUAGES = { "ug": "ug", "ug-arab": "ug", "ug-latn": "ug-Latn" };
  // What the loader itself writes on the partner's page (the frame's title, the link for a
  // browser without frames), by address prefix. /embed.js replaces this line with the
  // same words from each language's catalogue (advocacy/widget/views.py, embed_texts).
  var TEXTS = { "": { "title": "Pledge form for the campaign %s", "link": "Add your name on the campaign page" } };

  function warn(message) {
    if (window.console && window.console.warn) { window.console.warn("advocacy embed: " + message); }
  }

  function scriptTags() {
    var found = [];
    var current = document.currentScript;
    if (current && current.getAttribute("data-campaign")) { found.push(current); }
    var tags = document.querySelectorAll('script[src$="/embed.js"][data-campaign]');
    for (var i = 0; i < tags.length; i++) {
      if (found.indexOf(tags[i]) < 0) { found.push(tags[i]); }
    }
    return found;
  }

  // Start the frame once the partner's page has loaded, so a slow answer from us never
  // holds up the page's load event.
  function whenPageLoaded(start) {
    if (document.readyState === "complete") { start(); return; }
    window.addEventListener("load", start);
  }

  // Where the tag stands; a tag in <head> puts the widget at the end of <body>.
  function place(box, script) {
    var parent = script.parentNode;
    if (parent && parent !== document.head && parent !== document.documentElement) {
      parent.insertBefore(box, script);
      return;
    }
    var append = function () { document.body.appendChild(box); };
    if (document.body) { append(); } else { document.addEventListener("DOMContentLoaded", append); }
  }

  // The address prefix ("/ug") for a BCP 47 tag, "" for English and anything unknown.
  // The longest known start wins (ug-Latn-US is ug-Latn; ug-CN is ug), but a script the
  // list does not name (ug-Cyrl) is not ours: English, not a script the reader may not read.
  function languagePrefix(tag) {
    var parts = String(tag || "").toLowerCase().replace(/_/g, "-").split("-");
    for (var n = parts.length; n > 0; n--) {
      var key = parts.slice(0, n).join("-");
      // Own keys only: a page's lang="constructor" must not find Object's.
      if (Object.prototype.hasOwnProperty.call(LANGUAGES, key)) {
        var next = parts[n];
        return next && /^[a-z]{4}$/.test(next) ? "" : "/" + LANGUAGES[key];
      }
    }
    return "";
  }

  function pageLanguage(script) {
    var around = script.closest ? script.closest("[lang]") : null;
    return (around || document.documentElement).getAttribute("lang") || "";
  }

  function announcePledge(box, slug) {
    var event;
    try {
      event = new CustomEvent("advocacy:pledged", { bubbles: true, detail: { campaign: slug } });
    } catch (error) {
      return;  // a browser without CustomEvent: no event, the pledge is recorded anyway
    }
    (box.isConnected === false ? window : box).dispatchEvent(event);
  }

  function embed(script) {
    if (script.hasAttribute(DONE)) { return; }
    script.setAttribute(DONE, "");
    var slug = script.getAttribute("data-campaign") || "";
    if (!SLUG.test(slug)) { warn("data-campaign must be a campaign's short name"); return; }
    var origin = new URL(script.src, document.baseURI).origin;
    if (!/^https?:\/\//.test(origin)) { warn("load embed.js over http(s)"); return; }
    var ref = (script.getAttribute("data-ref") || window.location.hostname || "").slice(0, REF_MAX);
    var query = ref ? "?ref=" + encodeURIComponent(ref) : "";
    var lang = script.getAttribute("data-lang") || pageLanguage(script);
    var address = origin + languagePrefix(lang) + "/c/" + slug;

    var box = document.createElement("div");
    box.className = "advocacy-widget";
    box.style.cssText = "width:100%;max-width:28rem;";

    var frame = document.createElement("iframe");
    var texts = TEXTS[languagePrefix(lang).slice(1)] || TEXTS[""];
    // The short name between Unicode's isolates: it never reorders a right-to-left title.
    frame.title = texts.title.replace("%s", "\u2068" + slug.replace(/-/g, " ") + "\u2069");
    frame.setAttribute("loading", "lazy");
    // The thank-you's Copy and Share buttons: without these the frame may not use them
    // (they fall back to a text to select, and no Share button).
    frame.setAttribute("allow", "clipboard-write; web-share");
    frame.style.cssText = "display:block;width:100%;border:0;height:" + INITIAL_HEIGHT + "px;";
    // Fallback content, for a browser that shows no frames.
    var link = document.createElement("a");
    link.href = address + query;
    link.textContent = texts.link;
    frame.appendChild(link);
    box.appendChild(frame);
    place(box, script);

    window.addEventListener("message", function (event) {
      // Only our widget, in this very frame: other frames and pages may post messages too.
      if (event.origin !== origin || event.source !== frame.contentWindow) { return; }
      var data = event.data;
      if (!data || typeof data !== "object") { return; }
      if (data.type === "advocacy:height") {
        var height = Number(data.height);
        if (isFinite(height)) {
          height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(height)));
          frame.style.height = height + "px";
        }
      } else if (data.type === "advocacy:pledged") {
        announcePledge(box, slug);
      }
    });

    whenPageLoaded(function () { frame.src = address + "/widget" + query; });
  }

  var tags = scriptTags();
  for (var i = 0; i < tags.length; i++) {
    try {
      embed(tags[i]);
    } catch (error) {
      warn("could not embed the widget (" + error + ")");
    }
  }
})();
