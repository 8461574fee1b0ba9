"""Debounced saving of learners' answers, each key on its own, retried until it is stored.

A learner typing sends a change per keystroke; each key's newest value is written once
its own typing pauses (typing in one reflection never delays another's save). A write
that fails stays pending and is retried with a growing pause, and the learner sees
"not saved — retrying" meanwhile. What is pending is written at once when the page is
hidden or closed (the page's front-end asks for a flush) and when the kernel exits.
"""

from __future__ import annotations

import asyncio
import atexit
import weakref
from collections.abc import Callable

_live: weakref.WeakSet[Autosaver] = weakref.WeakSet()

RETRY_FIRST_S = 1.0
RETRY_MAX_S = 15.0


exiting = False  # the kernel or its page is going: its last writes must not overwrite newer ones


def page_leaving() -> None:
    """The page is closing: its beacon may store newer text than a change still on its way here."""
    global exiting
    exiting = True


def leaving() -> bool:
    """The kernel or its page is going: a last write must not overwrite a newer one."""
    return exiting


@atexit.register
def _flush_all() -> None:
    global exiting
    exiting = True
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
    """Writes each key's newest value `delay` seconds after that key last changed.

    `write(key, value)` stores one value (one upsert) and may return a state to report
    instead of "saved" (e.g. "replaced"); `report(key, state)` hears "saving", "saved",
    "replaced", "retrying" (the store is unavailable; tried again) or "failed" (the store
    refused; tried again later). `retryable(exc)` tells the two apart. `clock()` gives what
    schedules a later write (anything with asyncio's `call_later`): the kernel's running event
    loop by default; without one (papermill's setup, a script) every change is written at once.
    Tests pass a clock of their own and move its time.
    """

    def __init__(
        self,
        write: Callable[[str, object], str | None],
        report: Callable[[str, str], None],
        delay: float = 0.6,
        retryable: Callable[[Exception], bool] = lambda exc: True,
        clock: Callable[[], asyncio.AbstractEventLoop | None] = _running_loop,
    ):
        self._clock = clock
        self._write = write
        self._report = report
        self._retryable = retryable
        self.delay = delay
        self._pending: dict[str, object] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._failures: dict[str, int] = {}
        _live.add(self)

    def changed(self, key: str, value: object) -> None:
        self._pending[key] = value
        self._report(key, "saving")
        loop = self._clock()
        if loop is None or self.delay <= 0:
            self.flush(key)
            return
        self._schedule(loop, key, self.delay)

    def _schedule(self, loop: asyncio.AbstractEventLoop, key: str, delay: float) -> None:
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self._timers[key] = loop.call_later(delay, self.flush, key)

    def flush(self, key: str | None = None) -> bool:
        """Write what is pending (one key, or all); True if nothing is left pending."""
        for k in [key] if key is not None else list(self._pending):
            timer = self._timers.pop(k, None)
            if timer is not None:
                timer.cancel()
            if k in self._pending:
                self._write_one(k)
        return not self._pending

    def _write_one(self, key: str) -> None:
        value = self._pending[key]
        try:
            state = self._write(key, value) or "saved"
        except Exception as exc:
            # Keep the answer pending and try again: nothing typed is dropped.
            failures = self._failures.get(key, 0) + 1
            self._failures[key] = failures
            self._report(key, "retrying" if self._retryable(exc) else "failed")
            loop = self._clock()
            if loop is not None:
                self._schedule(loop, key, min(RETRY_FIRST_S * 2 ** (failures - 1), RETRY_MAX_S))
            return
        self._failures.pop(key, None)
        if self._pending.get(key) is value:
            del self._pending[key]
        self._report(key, state)

    @property
    def pending(self) -> dict[str, object]:
        return dict(self._pending)
