"""The page's front-end tells its kernel when the page is hidden or closed, so answers still
waiting for their debounce are written at once (a phone locking, a tab closing)."""

from __future__ import annotations

import anywidget
import traitlets

from . import autosave

_ESM = r"""
// Text boxes typed in on this page. A page only ever sends what was typed in it: a second
// device left open with an older text, then closed, must not write that text over a newer one.
const typed = new WeakSet();
document.addEventListener("input", (e) => {
  if (e.target instanceof HTMLTextAreaElement) typed.add(e.target);
}, true);

// The reflection texts typed on this page and not yet stored from it, by answer key (class
// "ik-key-<key>"). `stored` is what the store holds as far as this page knows (loaded or
// confirmed by its kernel): a text the page already saved is not sent again over a newer one.
function texts(stored) {
  const out = {};
  document.querySelectorAll('[class*="ik-key-"]').forEach((el) => {
    const cls = [...el.classList].find((c) => c.startsWith("ik-key-"));
    const box = el.querySelector("textarea");
    if (cls && box && typed.has(box) && box.value !== stored[cls.slice(7)]) out[cls.slice(7)] = box.value;
  });
  return out;
}

export default {
  initialize({ model }) {
    // Once the page is leaving, the kernel writes nothing over a newer text: the beacon below
    // may store the text before a change still on its way reaches the kernel (ipywidgets holds
    // a keystroke back while the kernel is busy; this message is not held back).
    let leaving = false;
    const flush = () => { try { model.send({ event: "flush", leaving }); } catch (e) { /* page going */ } };
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") flush();
    });
    // Keystrokes may still be on their way to the kernel, which the closing tab shuts down
    // first: the texts go to the store directly too (the kernel never writes over them).
    // beforeunload comes before a reload or a link asks for the next page, so that page reads
    // the text; pagehide is what a phone gives when a tab is closed or put away.
    const sent = {};
    const send = () => {
      const t = new URLSearchParams(window.location.search).get("t");
      const base = (document.body.dataset.baseUrl || "/voila/").replace(/voila\/$/, "");
      const found = texts(model.get("stored") || {});
      for (const key of Object.keys(found)) if (sent[key] === found[key]) delete found[key];
      if (t && Object.keys(found).length) {
        navigator.sendBeacon(base + "innokraft/beacon",
                             new Blob([JSON.stringify({ t, texts: found })], { type: "application/json" }));
        Object.assign(sent, found);
      }
    };
    const leave = () => { leaving = true; flush(); send(); };
    window.addEventListener("beforeunload", leave);
    window.addEventListener("pagehide", leave);
    window.addEventListener("pageshow", () => { leaving = false; });
  },
};
"""


class PageHooks(anywidget.AnyWidget):
    """One per page with answers to save; never shown."""

    _esm = _ESM
    stored = traitlets.Dict().tag(sync=True)  # reflection texts as stored from this page

    def __init__(self, autosaver, **kwargs):
        super().__init__(**kwargs)
        self._autosaver = autosaver
        self.on_msg(self._message)

    def _message(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("event") == "flush":
            if content.get("leaving") is True:
                autosave.page_leaving()
            self._autosaver.flush()

    def confirm(self, key: str, value: object) -> None:
        """The store holds this value of key as this page saved it (reflection texts only)."""
        if ".reflection." in key and isinstance(value, dict):
            self.stored = {**self.stored, key: str(value.get("text", ""))}
