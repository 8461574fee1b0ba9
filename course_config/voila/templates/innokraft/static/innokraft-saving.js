// Saving you can believe: the page knows when its kernel is gone and says so, never shows a
// "saved" it cannot vouch for, and keeps unsent text in this browser until the server has it.
//
// Loaded before the widget bundle, so the kernel's websocket is seen from its first frame.
// Signals of a lost kernel: its websocket closes; the kernel announces its shutdown (the idle
// cull, a server stop) or a restart; or a change the learner made gets no frame back within
// ACK_MS. The texts come from the page header (course_config/text/<lang>/saving.yaml), which
// Python renders into `.innokraft-saving` as data attributes.
//
// At rest this script does nothing: no timer runs and no DOM is written unless the learner acts
// or the connection changes.
(function () {
  "use strict";
  var ACK_MS = 10000;         // a change must be acknowledged within this (a busy kernel is slow)
  var WAKE_RELOAD_MS = 15000; // a loss found this soon after the page was hidden reloads it
  var PREFIX = "innokraft:v1:";
  var NativeWebSocket = window.WebSocket;
  var state = { lost: false, gone: false, leaving: false, frames: 0, ackTimer: null, hiddenAt: 0 };
  var decoder = window.TextDecoder ? new TextDecoder() : null;

  // -- the kernel's websocket ----------------------------------------------------------------
  function isKernelSocket(url) { return /\/api\/kernels\/[^/]+\/channels/.test(String(url)); }

  function head(data) {
    if (typeof data === "string") return data.slice(0, 4096);
    if (decoder && data instanceof ArrayBuffer) {
      return decoder.decode(new Uint8Array(data, 0, Math.min(4096, data.byteLength)));
    }
    return "";
  }

  // Registered when the socket is made, so before the widget bundle's listeners: once the
  // kernel has surely gone, what it still sends (a "saved" for text typed before it went, while newer
  // text waits in this browser) is not shown. A change merely unanswered (a busy machine)
  // does not count as surely gone: the kernel may still answer, and is heard.
  function watch(socket) {
    socket.addEventListener("message", function (event) {
      if (state.gone) { event.stopImmediatePropagation(); return; }
      state.frames += 1;
      if (state.ackTimer) { window.clearTimeout(state.ackTimer); state.ackTimer = null; }
      // Only slow, not gone: the kernel answers again, so the page says so no longer.
      if (state.lost) connectionBack();
      var text = head(event.data);
      if (/"msg_type":\s*"shutdown_reply"/.test(text) ||
          /"execution_state":\s*"(dead|restarting|autorestarting)"/.test(text)) {
        state.gone = true;
        connectionLost();
      }
    });
    socket.addEventListener("close", function () {
      if (state.frames > 0) { state.gone = !state.leaving; connectionLost(); }
    });
  }

  function WatchedWebSocket(url, protocols) {
    var socket = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    if (isKernelSocket(url)) watch(socket);
    return socket;
  }
  WatchedWebSocket.prototype = NativeWebSocket.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (k) { WatchedWebSocket[k] = NativeWebSocket[k]; });
  window.WebSocket = WatchedWebSocket;

  window.addEventListener("pagehide", function () { state.leaving = true; });
  window.addEventListener("beforeunload", function () { state.leaving = true; });
  window.addEventListener("pageshow", function () { state.leaving = false; });

  // -- texts and places on the page ------------------------------------------------------------
  function config() { return document.querySelector(".innokraft-saving"); }
  function say(key) { var c = config(); return c ? c.getAttribute("data-" + key) || "" : ""; }

  function setText(el, text) { if (el && el.textContent !== text) el.textContent = text; }

  function keyOf(exercise) {
    var m = exercise && /(?:^|\s)innokraft-key-(\S+)/.exec(exercise.className);
    return m ? m[1] : null;
  }

  function markNotSaved(exercise, key) {
    var status = exercise && exercise.querySelector(".innokraft-saved .widget-html-content");
    if (!status) return;
    var span = status.querySelector(".innokraft-save-client");
    if (span && span.textContent === say(key)) return;
    status.innerHTML = "";
    span = document.createElement("span");
    span.className = "innokraft-save-failed innokraft-save-client";
    span.setAttribute("role", "status");
    span.textContent = say(key);
    status.appendChild(span);
  }

  function showBanner(kind) {
    var c = config();
    var banner = document.querySelector(".innokraft-banner-" + kind);
    if (!c || !banner || banner.childNodes.length) return;
    // Out of Voilà's panels (they contain fixed positioning): in view wherever the learner is.
    if (banner.parentNode !== document.body) document.body.appendChild(banner);
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = say(kind + "-title");
    p.appendChild(strong);
    p.appendChild(document.createTextNode(" " + say(kind + "-text")));
    banner.appendChild(p);
    if (kind === "lost") {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "innokraft-button innokraft-reload";
      button.textContent = say("reload");
      button.addEventListener("click", function () { window.location.reload(); });
      banner.appendChild(button);
    }
    c.classList.add("innokraft-saving-" + kind);
  }

  function hideBanner(kind) {
    var c = config();
    var banner = document.querySelector(".innokraft-banner-" + kind);
    if (banner && banner.childNodes.length) banner.innerHTML = "";
    if (c) c.classList.remove("innokraft-saving-" + kind);
  }

  // Whether the kernel can be reached, for what must never wait to be replayed (the reflections'
  // Submit, widgets/front/submit.js); "innokraft:connection" says when that changes.
  window.innokraftConnection = function () {
    return { online: navigator.onLine, lost: state.lost || state.gone };
  };
  function announce() { document.dispatchEvent(new Event("innokraft:connection")); }

  // -- losing the connection -------------------------------------------------------------------
  function connectionBack() {
    state.lost = false;
    document.documentElement.classList.remove("innokraft-lost");
    hideBanner("lost");
    announce();
  }

  function connectionLost() {
    if (state.lost || state.leaving) return;
    state.lost = true;
    if (state.ackTimer) { window.clearTimeout(state.ackTimer); state.ackTimer = null; }
    // A phone that slept through the cull: come back as a fresh page, with the unsent text
    // (only when the kernel is surely gone; a slow answer is waited for).
    if (state.gone && (document.visibilityState === "hidden" ||
        (state.hiddenAt && Date.now() - state.hiddenAt < WAKE_RELOAD_MS))) {
      window.location.reload();
      return;
    }
    document.documentElement.classList.add("innokraft-lost");
    showBanner("lost");
    // Whatever was on its way to the server did not arrive: every exercise still saving, and
    // every one changed since its kernel last answered for it (a change that reached the
    // kernel is answered at once with "saving"), says "not saved".
    document.querySelectorAll(".innokraft-exercise").forEach(function (exercise) {
      var key = keyOf(exercise);
      if (exercise.querySelector(".innokraft-saved .innokraft-save-saving") ||
          (key && edited[key] && !(answeredAt[key] >= edited[key]))) markNotSaved(exercise, "not-saved");
    });
    announce();
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      state.hiddenAt = Date.now();
    } else if (state.hiddenAt && Date.now() - state.hiddenAt > WAKE_RELOAD_MS) {
      state.hiddenAt = Date.now(); // the wake counts as recent: a loss found now reloads
    }
  });

  function expectAnswer() {
    if (state.lost || !navigator.onLine || state.ackTimer) return;
    var before = state.frames;
    state.ackTimer = window.setTimeout(function () {
      state.ackTimer = null;
      if (state.frames === before && navigator.onLine) connectionLost();
    }, ACK_MS);
  }

  // -- offline -------------------------------------------------------------------------------
  function online() { hideBanner("offline"); }
  function offline() { if (!state.lost) showBanner("offline"); }
  window.addEventListener("online", online);
  window.addEventListener("offline", offline);

  // -- unsent text kept in this browser ---------------------------------------------------------
  function storageKey(exercise, field) {
    var c = config();
    var key = keyOf(exercise);
    // A form's input (a map's "add a point") is sent by its button, then emptied: not an answer.
    if (!c || !key || !c.getAttribute("data-learner") || field.closest("form")) return null;
    var fields = exercise.querySelectorAll("textarea, input[type=text]");
    var index = Array.prototype.indexOf.call(fields, field);
    return PREFIX + c.getAttribute("data-learner") + ":" + c.getAttribute("data-page") + ":" + key + ":" + index;
  }

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or blocked */ }
  }
  function forget(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* blocked */ }
  }

  function isTextField(el) {
    return el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text"));
  }

  // When each exercise was last changed on this page, and when its kernel last answered for it
  // (its status line changed): a change newer than the answer has not reached the kernel.
  var edited = {};
  var answeredAt = {};
  function touched(exercise) {
    var key = keyOf(exercise);
    if (key) edited[key] = Date.now();
  }
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      var node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      var status = node && node.closest && node.closest(".innokraft-saved");
      var key = status && keyOf(status.closest(".innokraft-exercise"));
      if (key && !(status.querySelector(".innokraft-save-client"))) answeredAt[key] = Date.now();
    });
  }).observe(document.documentElement, { subtree: true, childList: true, characterData: true });

  document.addEventListener("input", function (event) {
    var field = event.target;
    var exercise = field.closest && field.closest(".innokraft-exercise");
    if (!exercise) return;
    touched(exercise);
    if (isTextField(field)) {
      var key = storageKey(exercise, field);
      // Typed in on this page: nothing older is ever put back over it.
      if (key && event.isTrusted) restored[key] = true;
      if (key) write(key, { text: field.value, at: Date.now() });
    }
    if (state.lost) { markNotSaved(exercise, "not-saved"); return; }
    if (!navigator.onLine) { markNotSaved(exercise, "not-saved-offline"); return; }
    expectAnswer();
  }, true);

  document.addEventListener("change", function (event) {
    var exercise = event.target.closest && event.target.closest(".innokraft-exercise");
    if (!exercise || isTextField(event.target)) return;
    touched(exercise);
    if (state.lost) markNotSaved(exercise, "not-saved");
    else if (!navigator.onLine) markNotSaved(exercise, "not-saved-offline");
    else expectAnswer();
  }, true);

  // The server has a text once its exercise's "saved" (or "replaced") names that very text: a
  // "saved" standing from before the last keystroke (the kernel went before it heard it) does not.
  // The names are fingerprints the kernel computes alike (widgets/exercise.py, fingerprint).
  function fingerprint(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h.toString(16);
  }

  function settle() {
    if (state.lost) return;
    var c = config();
    if (!c) return;
    document.querySelectorAll(".innokraft-exercise").forEach(function (exercise) {
      // "replaced" is saved too: this page's text was written over the other device's (last write wins).
      var saved = exercise.querySelector(".innokraft-saved :is(.innokraft-save-saved, .innokraft-save-replaced)");
      if (!saved) return;
      var held = (saved.getAttribute("data-held") || "").split(" ");
      exercise.querySelectorAll("textarea, input[type=text]").forEach(function (field) {
        var key = storageKey(exercise, field);
        var kept = key && read(key);
        if (kept && kept.text === field.value && held.indexOf(fingerprint(kept.text)) >= 0) forget(key);
      });
    });
  }

  // After a reload: put kept text back where the server's copy is older, and send it.
  var restored = {};
  function restore() {
    var c = config();
    if (!c || !c.getAttribute("data-learner")) return;
    document.querySelectorAll(".innokraft-exercise").forEach(function (exercise) {
      exercise.querySelectorAll("textarea, input[type=text]").forEach(function (field) {
        var key = storageKey(exercise, field);
        if (!key || restored[key]) return;
        restored[key] = true;
        var kept = read(key);
        if (!kept || typeof kept.text !== "string") return;
        if (kept.text === field.value) { forget(key); return; }
        field.value = kept.text;
        field.dispatchEvent(new Event("input", { bubbles: true }));
        // Say so: text appearing by itself is not something a leader should have to guess at.
        var note = document.createElement("p");
        note.className = "innokraft-restored";
        note.setAttribute("role", "status");
        note.textContent = say("restored");
        field.insertAdjacentElement("afterend", note);
      });
    });
  }

  // -- waking up with the page -----------------------------------------------------------------
  // Watch the page only until every kept text found its field, and while kept text waits for
  // its "saved": a page at rest with nothing unsent is not watched at all.
  var observer = null;
  function pending() {
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        if (window.localStorage.key(i).indexOf(PREFIX) === 0) return true;
      }
    } catch (e) { /* storage blocked: nothing kept */ }
    return false;
  }
  function tick() {
    restore();
    settle();
    if (!document.getElementById("loading") && config() && !pending() && observer) {
      observer.disconnect();
      observer = null;
    }
  }
  function observe() {
    if (observer) return;
    observer = new MutationObserver(tick);
    observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true });
  }
  document.addEventListener("input", function () { if (!state.lost) observe(); }, true);
  document.addEventListener("DOMContentLoaded", function () {
    observe();
    if (!navigator.onLine) offline();
  });
})();
