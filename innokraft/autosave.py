"""Debounced, transactional saving of learners' answers.

A learner typing sends a change per keystroke; we write the newest value once the
typing pauses, and whatever is still pending when the kernel exits.
"""

from __future__ import annotations

import asyncio
import atexit
import weakref
from collections.abc import Callable

_live: weakref.WeakSet[Autosaver] = weakref.WeakSet()


@atexit.register
def _flush_all() -> None:
    for saver in list(_live):
        saver.flush()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    # ipykernel handles widget messages inside its running asyncio loop; anywhere else
    # (papermill's setup, unit tests, a script) there is none and we write at once.
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Autosaver:
    """Collects changes per key and writes each key's newest value after `delay` seconds.

    `write(key, value)` runs in its own transaction; `report(key, state)` hears
    "saving", "saved" or "failed". Without a running event loop (papermill, unit tests)
    every change is written at once.
    """

    def __init__(
        self,
        write: Callable[[str, object], None],
        report: Callable[[str, str], None],
        delay: float = 0.6,
    ):
        self._write = write
        self._report = report
        self.delay = delay
        self._pending: dict[str, object] = {}
        self._handle: asyncio.TimerHandle | None = None
        _live.add(self)

    def changed(self, key: str, value: object) -> None:
        self._pending[key] = value
        self._report(key, "saving")
        loop = _running_loop()
        if loop is None or self.delay <= 0:
            self.flush()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self.flush)

    def flush(self) -> None:
        self._handle = None
        while self._pending:
            key, value = next(iter(self._pending.items()))
            try:
                self._write(key, value)
            except Exception:
                # Keep the answer pending and try again: nothing typed is dropped.
                self._report(key, "failed")
                loop = _running_loop()
                if loop is not None:
                    self._handle = loop.call_later(max(self.delay, 2.0), self.flush)
                return
            if self._pending.get(key) is value:
                del self._pending[key]
            self._report(key, "saved")

    @property
    def pending(self) -> dict[str, object]:
        return dict(self._pending)
