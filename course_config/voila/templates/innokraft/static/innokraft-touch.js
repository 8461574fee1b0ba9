// Sliders that ignore a vertical swipe. A finger that lands on a slider is held back from it
// until it shows its direction: up or down, the page scrolls (CSS touch-action: pan-y) and the
// slider never hears of it; sideways, or a tap, the slider gets the touch from where it began.
// ipywidgets' slider (noUiSlider) listens to touch events in Chromium and Safari, and to
// pointer events where it finds them, so both are held back. Mouse and keyboard are untouched.
// Nothing runs until a finger touches a slider.
(function () {
  "use strict";
  var SLOP = 8; // px a finger may wander before its direction counts
  var held = null;

  function sliderOf(el) { return el && el.closest ? el.closest(".widget-slider .noUi-target") : null; }

  function replayTouch(t, target) {
    var touch = new Touch({ identifier: t.id, target: target, clientX: t.x, clientY: t.y,
                            pageX: t.pageX, pageY: t.pageY, screenX: t.screenX, screenY: t.screenY });
    var event = new TouchEvent("touchstart", { bubbles: true, cancelable: true, composed: true,
                                               touches: [touch], targetTouches: [touch], changedTouches: [touch] });
    event.innokraftReplay = true;
    target.dispatchEvent(event);
  }

  function replayPointer(t, target) {
    var event = new PointerEvent("pointerdown", {
      bubbles: true, cancelable: true, composed: true, pointerId: t.pointerId, pointerType: "touch",
      isPrimary: true, clientX: t.x, clientY: t.y, screenX: t.screenX, screenY: t.screenY, button: 0, buttons: 1
    });
    event.innokraftReplay = true;
    target.dispatchEvent(event);
  }

  // The slider may have the finger now: it hears how it began, as each kind of event.
  function start(h) {
    h.state = "drag";
    if (h.pointer) replayPointer(h.pointer, h.target);
    if (h.touch) replayTouch(h.touch, h.target);
  }

  function where(e, kind) {
    var p = kind === "touch" ? e.changedTouches[0] : e;
    return { id: p.identifier, pointerId: e.pointerId, x: p.clientX, y: p.clientY, pageX: p.pageX,
             pageY: p.pageY, screenX: p.screenX, screenY: p.screenY };
  }

  // One finger, seen as a pointer and as a touch (Chromium sends both).
  function down(kind) {
    return function (e) {
      if (e.innokraftReplay || (kind === "pointer" && e.pointerType !== "touch")) return;
      if (!held && !sliderOf(e.target)) return;
      if (held && held.state !== "wait") return;
      e.stopImmediatePropagation();
      if (!held) held = { target: e.target, state: "wait", pointer: null, touch: null };
      held[kind] = where(e, kind);
    };
  }

  function move(kind) {
    return function (e) {
      if (!held || e.innokraftReplay) return;
      if (held.state === "scroll") { e.stopImmediatePropagation(); return; }
      if (held.state === "drag" || !held[kind]) return;
      var p = where(e, kind), dx = Math.abs(p.x - held[kind].x), dy = Math.abs(p.y - held[kind].y);
      if (dx < SLOP && dy < SLOP) { e.stopImmediatePropagation(); return; }
      if (dx > dy) start(held); // sideways: a drag; this move follows
      else { held.state = "scroll"; e.stopImmediatePropagation(); } // up or down: a scroll
    };
  }

  function up(kind) {
    return function (e) {
      if (!held || e.innokraftReplay || !held[kind]) return;
      if (held.state === "wait") start(held); // a tap: the slider moves there, then this end
      else if (held.state === "scroll") e.stopImmediatePropagation();
      held[kind] = null;
      if (!held.pointer && !held.touch) held = null;
    };
  }

  // The charts' native range inputs (widgets/front/svg_chart.js) cannot be held back: Chromium
  // moves one to the finger as soon as it lands on the track. On a touch screen they take no
  // pointer events (svg_chart.css), and the finger is read here instead: up or down it scrolls
  // (touch-action: pan-y), sideways it moves the value, and a tap sets it where it landed.
  var range = null;
  function rangeAt(e) {
    var control = e.target && e.target.closest ? e.target.closest(".ik-chart-control") : null;
    var input = control && control.querySelector('input[type="range"]');
    if (!input || input.disabled) return null;
    var t = e.changedTouches[0], r = input.getBoundingClientRect();
    return t.clientX >= r.left - SLOP && t.clientX <= r.right + SLOP ? input : null;
  }
  function setFrom(input, x, final) {
    var r = input.getBoundingClientRect();
    var min = Number(input.min || 0), max = Number(input.max || 100), step = Number(input.step || 1);
    var ratio = Math.min(1, Math.max(0, (x - r.left) / r.width));
    var value = String(Math.min(max, Math.max(min, min + Math.round(ratio * (max - min) / step) * step)));
    if (input.value !== value) {
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (final) input.dispatchEvent(new Event("change", { bubbles: true }));
  }
  document.addEventListener("touchstart", function (e) {
    var input = e.touches.length === 1 && rangeAt(e);
    range = input ? { input: input, x: e.changedTouches[0].clientX, y: e.changedTouches[0].clientY, state: "wait" } : null;
  }, { capture: true, passive: true });
  document.addEventListener("touchmove", function (e) {
    if (!range || range.state === "scroll") return;
    var t = e.changedTouches[0], dx = Math.abs(t.clientX - range.x), dy = Math.abs(t.clientY - range.y);
    if (range.state === "wait") {
      if (dx < SLOP && dy < SLOP) return;
      range.state = dx > dy ? "drag" : "scroll";
      if (range.state === "drag") range.input.focus({ preventScroll: true });
    }
    if (range.state === "drag") setFrom(range.input, t.clientX, false);
  }, { capture: true, passive: true });
  document.addEventListener("touchend", function (e) {
    if (!range) return;
    if (range.state === "wait") range.input.focus({ preventScroll: true });
    if (range.state !== "scroll") setFrom(range.input, e.changedTouches[0].clientX, true);
    range = null;
  }, true);
  document.addEventListener("touchcancel", function () { range = null; }, true);

  document.addEventListener("touchstart", down("touch"), { capture: true, passive: true });
  document.addEventListener("touchmove", move("touch"), { capture: true, passive: true });
  document.addEventListener("touchend", up("touch"), true);
  document.addEventListener("touchcancel", function () { if (held) { held.touch = null; if (!held.pointer) held = null; } }, true);
  document.addEventListener("pointerdown", down("pointer"), true);
  document.addEventListener("pointermove", move("pointer"), true);
  document.addEventListener("pointerup", up("pointer"), true);
  document.addEventListener("pointercancel", function (e) {
    if (!held || e.pointerType !== "touch") return;
    if (held.state === "scroll") e.stopImmediatePropagation();
    held.pointer = null;
    if (!held.touch) held = null;
  }, true);
})();
