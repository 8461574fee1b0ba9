"""The page's front-end tells its kernel when the page is hidden or closed, so answers still
waiting for their debounce are written at once (a phone locking, a tab closing)."""

from __future__ import annotations

import anywidget

_ESM = r"""
// The reflection texts as the page holds them now, by answer key (class "ik-key-<key>").
function texts() {
  const out = {};
  document.querySelectorAll('[class*="ik-key-"]').forEach((el) => {
    const cls = [...el.classList].find((c) => c.startsWith("ik-key-"));
    const box = el.querySelector("textarea");
    if (cls && box) out[cls.slice(7)] = box.value;
  });
  return out;
}

export default {
  initialize({ model }) {
    const flush = () => { try { model.send({ event: "flush" }); } catch (e) { /* page going */ } };
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") flush();
    });
    window.addEventListener("pagehide", () => {
      flush();
      // Keystrokes may still be on their way to the kernel, which the closing tab shuts down
      // first: the texts go to the store directly too (the kernel never writes over them).
      const t = new URLSearchParams(window.location.search).get("t");
      const base = (document.body.dataset.baseUrl || "/voila/").replace(/voila\/$/, "");
      const found = texts();
      if (t && Object.keys(found).length) {
        navigator.sendBeacon(base + "innokraft/beacon",
                             new Blob([JSON.stringify({ t, texts: found })], { type: "application/json" }));
      }
    });
  },
};
"""


class PageHooks(anywidget.AnyWidget):
    """One per page with answers to save; never shown."""

    _esm = _ESM

    def __init__(self, autosaver, **kwargs):
        super().__init__(**kwargs)
        self._autosaver = autosaver
        self.on_msg(self._message)

    def _message(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("event") == "flush":
            self._autosaver.flush()
