// Innokraft page helpers: the page's language and title, and accessible names for the
// widget controls ipywidgets leaves unnamed (the slider handle, the number readout).
(function () {
  "use strict";
  var counter = 0;
  var query = new URLSearchParams(window.location.search);

  function labelFor(box) {
    var label = box.querySelector(":scope > .widget-label");
    if (!label || !label.textContent.trim()) return null;
    if (!label.id) label.id = "ik-label-" + (++counter);
    return label;
  }

  function unnamed(el) {
    return !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby") &&
      !(el.labels && el.labels.length);
  }

  function apply() {
    var header = document.querySelector("[data-page-lang]");
    var lang = header ? header.getAttribute("data-page-lang") : query.get("lang");
    if (lang && document.documentElement.lang !== lang) document.documentElement.lang = lang;
    if (header && header.getAttribute("data-page-title")) {
      document.title = header.getAttribute("data-page-title");
    }
    document.querySelectorAll("[data-text-" + (lang || "sv") + "]").forEach(function (el) {
      el.textContent = el.getAttribute("data-text-" + (lang || "sv"));
    });
    document.querySelectorAll(".widget-inline-hbox").forEach(function (box) {
      var label = labelFor(box);
      if (!label) return;
      box.querySelectorAll('[role="slider"], input:not([type="radio"]), textarea, select, [contenteditable="true"]')
        .forEach(function (el) {
          if (unnamed(el)) el.setAttribute("aria-labelledby", label.id);
        });
      var radios = box.querySelector(".widget-radio-box");
      if (radios && !radios.getAttribute("role")) {
        radios.setAttribute("role", "radiogroup");
        radios.setAttribute("aria-labelledby", label.id);
      }
    });
    document.querySelectorAll(".innokraft-chart").forEach(function (chart) {
      var img = chart.querySelector("img");
      var text = chart.querySelector(".innokraft-alt");
      if (!img || !text) return;
      var alt = text.textContent.trim();
      if (img.alt !== alt) img.alt = alt;
      text.setAttribute("aria-hidden", "true");
    });
    // Voilà moves the cells into a full-screen Lumino shell: that shell is the main landmark.
    var shell = document.querySelector(".jp-LabShell");
    if (shell && shell.getAttribute("role") !== "main") {
      shell.setAttribute("role", "main");
      shell.setAttribute("tabindex", "-1");
    }
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; apply(); });
  }
  apply();
  new MutationObserver(schedule).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true
  });
})();
