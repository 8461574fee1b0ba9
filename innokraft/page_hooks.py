"""The page's front-end tells its kernel when the page is hidden or closed, so answers still
waiting for their debounce are written at once (a phone locking, a tab closing)."""

from __future__ import annotations

import anywidget

_ESM = """
export default {
  initialize({ model }) {
    const flush = () => { try { model.send({ event: "flush" }); } catch (e) { /* page going */ } };
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") flush();
    });
    window.addEventListener("pagehide", flush);
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
