// Innokraft page helpers: the page's language and title, and accessible names for the
// widget controls ipywidgets leaves unnamed (the slider handle, the number readout). Radio
// groups are named as they are drawn (widgets/page_front: CourseRadioButtonsView).
// A rendered page rests: every write below compares first, and the observer drops the
// records of our own writes, so an untouched page makes no DOM change at all.
(function () {
  "use strict";
  var counter = 0;
  // The course's languages are the skip link's data-text-* attributes: anything else in
  // ?lang= is ignored before it can reach a selector, an attribute or the page.
  var skip = document.querySelector(".innokraft-skip");
  var languages = skip ? Array.prototype.filter.call(skip.attributes, function (a) {
    return /^data-text-[a-z]{2}$/.test(a.name);
  }).map(function (a) { return a.name.slice(10); }) : [];

  function known(lang) {
    return languages.indexOf(lang) >= 0 ? lang : null;
  }

  function setAttr(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

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
    var lang = known(header ? header.getAttribute("data-page-lang")
      : new URLSearchParams(window.location.search).get("lang")) || languages[0];
    if (!lang) return;
    if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
    var title = header && header.getAttribute("data-page-title");
    if (title && document.title !== title) document.title = title;
    document.querySelectorAll("[data-text-" + lang + "]").forEach(function (el) {
      var text = el.getAttribute("data-text-" + lang);
      if (el.textContent !== text) el.textContent = text;
    });
    document.querySelectorAll(".widget-inline-hbox").forEach(function (box) {
      var label = labelFor(box);
      if (!label) return;
      box.querySelectorAll('[role="slider"], input:not([type="radio"]), textarea, select, [contenteditable="true"]')
        .forEach(function (el) {
          if (unnamed(el)) setAttr(el, "aria-labelledby", label.id);
        });
    });
  }

  var pending = false;
  var observer = new MutationObserver(schedule);
  function run() {
    pending = false;
    apply();
    observer.takeRecords(); // our own writes must not wake us again
  }
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(run);
  }
  apply();
  observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true });

  // A module in steps (innokraft/kernel/steps.py). A module begun earlier opens at its first
  // step not yet done, which the task list names, unless the link itself points to a place or
  // the leader has already scrolled while the page arrived.
  // Run here, before the widgets are drawn: the widget bundle then keeps that place in view
  // while the exercises above it take their height.
  var steps = document.querySelector(".innokraft-steps[data-resume]");
  var resume = steps && !window.location.hash && window.scrollY === 0 &&
    document.getElementById(steps.getAttribute("data-resume"));
  if (resume) resume.scrollIntoView({ block: "start" });
  // The language switch opens the other language at the leader's step: the one they last worked
  // in or went to (a leader on a phone scrolls back up to the switch, past the steps above it),
  // else the one they are reading.
  var lastStep = null;
  function stepOf(el) {
    var step = el && el.closest && el.closest(".innokraft-step");
    return step ? step.id : null;
  }
  document.addEventListener("focusin", function (event) { lastStep = stepOf(event.target) || lastStep; }, true);
  window.addEventListener("hashchange", function () {
    if (/^#steg-\d+$/.test(window.location.hash)) lastStep = window.location.hash.slice(1);
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.innokraft-lang");
    if (!link) return;
    var here = lastStep || (/^#steg-\d+$/.test(window.location.hash) ? window.location.hash.slice(1) : null);
    if (!here) {
      document.querySelectorAll(".innokraft-step").forEach(function (step) {
        if (step.getBoundingClientRect().top <= window.innerHeight * 0.4) here = step.id;
      });
    }
    var href = link.getAttribute("href").split("#")[0];
    setAttr(link, "href", here ? href + "#" + here : href);
  }, true);
})();
