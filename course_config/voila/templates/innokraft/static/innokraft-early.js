// The first script of a course page, right after its loading note: no script is inline, so the
// page's Content-Security-Policy needs no 'unsafe-inline' (web/security.py).
(function () {
  // The loading note in the visitor's language: only a plain two-letter code the page has a
  // text for, never junk into the page.
  var lang = new URLSearchParams(window.location.search).get("lang");
  var text = document.getElementById("loading_text");
  if (text && lang && /^[a-z]{2}$/.test(lang) && text.getAttribute("data-text-" + lang)) {
    text.textContent = text.getAttribute("data-text-" + lang);
    document.documentElement.lang = lang;
  }
  // What Voilà's own page calls while it writes the page: the calm, translated loading note
  // stays instead of "Executing 3 of 5"; the widget bundle, not Voilà, shows the page.
  window.voila_heartbeat = function () {};
  window.voila_process = function () {};
  window.update_loading_text = function () {};
  window.voila_finish = function () {};
  window.display_cells = function () {};
})();
