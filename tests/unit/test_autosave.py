"""Debounced saving, driven by a clock the test moves (no sleeps: the same on a busy machine)."""

from __future__ import annotations

import heapq
import itertools

from innokraft.kernel import autosave
from innokraft.kernel.autosave import Autosaver


class FakeClock:
    """What Autosaver schedules with (asyncio's call_later), with a time the test moves."""

    def __init__(self):
        self.now = 0.0
        self._queue: list = []
        self._order = itertools.count()

    def __call__(self):
        return self  # Autosaver asks its clock() for the loop: this is it

    def call_later(self, delay: float, callback, *args):
        entry = [self.now + delay, next(self._order), lambda: callback(*args), False]
        heapq.heappush(self._queue, entry)

        class Handle:
            def cancel(self):
                entry[3] = True

        return Handle()

    def advance(self, seconds: float) -> None:
        until = self.now + seconds
        while self._queue and self._queue[0][0] <= until:
            at, _n, callback, cancelled = heapq.heappop(self._queue)
            self.now = at
            if not cancelled:
                callback()
        self.now = until


def no_clock():
    return None


def test_without_a_loop_every_change_is_written_at_once():
    written, states = [], []
    saver = Autosaver(lambda k, v: written.append((k, v)), lambda k, s: states.append(s), clock=no_clock)
    saver.changed("a", 1)
    saver.changed("a", 2)
    assert written == [("a", 1), ("a", 2)] and states[-1] == "saved"


def test_with_a_loop_changes_are_debounced_to_the_newest_value():
    written, clock = [], FakeClock()
    saver = Autosaver(lambda k, v: written.append((k, v)), lambda k, s: None, delay=0.05, clock=clock)
    for i in range(10):
        saver.changed("text", i)
    saver.changed("other", "x")
    clock.advance(0.049)
    assert written == []
    clock.advance(0.002)
    assert sorted(written) == [("other", "x"), ("text", 9)]


def test_a_failed_write_keeps_the_answer_pending():
    calls = {"n": 0}
    written, states = [], []

    def flaky(key, value):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("database is locked")
        written.append((key, value))

    saver = Autosaver(flaky, lambda k, s: states.append(s), clock=no_clock)
    saver.changed("r", "draft")
    assert states[-1] == "retrying" and saver.pending == {"r": "draft"}
    saver.flush()
    assert written == [("r", "draft")] and saver.pending == {} and states[-1] == "saved"


def test_each_key_is_debounced_on_its_own():
    """Typing on in one answer never holds back another answer's save."""
    written, clock = [], FakeClock()
    saver = Autosaver(lambda k, v: written.append((k, v)), lambda k, s: None, delay=0.1, clock=clock)
    saver.changed("a", "done typing")
    for i in range(6):  # keep typing in b for longer than a's delay
        clock.advance(0.04)
        saver.changed("b", i)
    assert written == [("a", "done typing")]
    clock.advance(0.1)
    assert written == [("a", "done typing"), ("b", 5)]


def test_an_unavailable_store_is_retried_until_the_answer_is_stored(monkeypatch):
    monkeypatch.setattr(autosave, "RETRY_FIRST_S", 0.02)
    down = {"until": 3}
    written, states = [], []

    def write(key, value):
        if down["until"] > 0:
            down["until"] -= 1
            raise ConnectionRefusedError("store down")
        written.append((key, value))

    clock = FakeClock()
    saver = Autosaver(write, lambda k, s: states.append(s), delay=0.01, clock=clock)
    saver.changed("r", "first")
    clock.advance(0.05)
    assert states[-1] == "retrying" and saver.pending == {"r": "first"}
    saver.changed("r", "first and more")  # typed while the store was down
    clock.advance(5)  # retries with a growing pause: 0.02, 0.04, 0.08 s …
    assert saver.pending == {}
    assert written == [("r", "first and more")] and states[-1] == "saved"


def test_a_refused_write_is_reported_as_failed_and_kept():
    def refuse(key, value):
        raise PermissionError("link revoked")

    states = []
    saver = Autosaver(refuse, lambda k, s: states.append(s),
                      retryable=lambda exc: not isinstance(exc, PermissionError), clock=no_clock)
    saver.changed("r", "text")
    assert states == ["saving", "failed"] and saver.pending == {"r": "text"}


def test_the_write_may_report_another_state():
    states = []
    saver = Autosaver(lambda k, v: "replaced", lambda k, s: states.append(s), clock=no_clock)
    saver.changed("r", "text")
    assert states == ["saving", "replaced"]


def test_once_the_page_says_it_is_leaving_the_kernel_writes_only_where_nothing_newer_is_stored(monkeypatch):
    """The page's beacon may store the text before a keystroke still on its way reaches the kernel."""
    from innokraft.kernel.hooks import PageHooks

    monkeypatch.setattr(autosave, "exiting", False)
    seen = []
    saver = Autosaver(lambda key, value: seen.append((value, autosave.exiting)), lambda key, state: None,
                      clock=no_clock)
    hooks = PageHooks(saver)
    saver._pending["k"] = "hidden tab"
    hooks._message(hooks, {"event": "flush", "leaving": False}, [])
    saver._pending["k"] = "closing tab"
    hooks._message(hooks, {"event": "flush", "leaving": True}, [])
    assert seen == [("hidden tab", False), ("closing tab", True)]
