"""SubmitControl: the reflections' Submit button as a transaction (front/submit.js).

A click carries the texts on the leader's screen; `on_submit(texts, confirmed)` hands in exactly
those and answers the click. The browser refuses a click while it is offline or its kernel is
out of reach, with the reason on screen, so no click waits to be replayed later (ipywidgets'
own Button queues its click until the socket is back: an offline submit went through by itself
on reconnect, with the kernel's older text).
"""

from __future__ import annotations

from collections.abc import Callable

import anywidget
import traitlets

from . import front_files

MAX_ATTEMPTS_KEPT = 50


class SubmitControl(anywidget.AnyWidget):
    _esm = front_files.module("submit.js")

    texts = traitlets.Dict(help="the button's words: submit, sending, offline, lost, no_answer, "
                                "submit_anyway, keep_writing").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, texts: dict[str, str], on_submit: Callable[[dict[str, str], bool], dict], **kwargs):
        super().__init__(texts=texts, **kwargs)
        self._on_submit = on_submit
        self._seen: list[str] = []
        self.on_msg(self._message)

    def _message(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("event") != "submit":
            return
        attempt = str(content.get("attempt", ""))[:80]
        texts = content.get("texts")
        if not attempt or attempt in self._seen or not isinstance(texts, dict):
            return  # the same click twice, or not a click at all
        self._seen = [*self._seen[-MAX_ATTEMPTS_KEPT:], attempt]
        texts = {str(k): v for k, v in texts.items() if isinstance(v, str)}
        reply = self._on_submit(texts, content.get("confirmed") is True) or {}
        self.send({"attempt": attempt, **reply})
