"""A leader's team session as their page's kernel sees it: opened, watched and closed through
the store API (the server's innokraft.teams; this room never imports it).

While a session is open, the kernel asks the store every POLL_S seconds how it stands, naming
the revision it saw last: when nobody answered meanwhile the server reads one row and sends no
result, and the page hears nothing. Only a changed session (an answer, the close) reaches the
page, as one widget update. The browser itself asks nothing: a page with no open session makes
no request and no DOM change, as every rendered page. Once the session is closed (by the leader,
or its time is up) the asking stops. The store is shared by every server process, so an answer
taken by another `innokraft serve` shows the same.

Why asking, not a pushed event: a member's answer may land on any server process, and the
kernel's one connection to its server carries its saves too (a held long-poll would block them).
One small request a second for the minutes a session is open costs the server next to nothing
and keeps every answer on the leader's screen within POLL_S plus one round trip.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from .client import StoreRefused, StoreUnavailable, store_client

POLL_S = 1.0
log = logging.getLogger("innokraft.team")


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop (ipykernel runs one); None in a script or a unit test's setup."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class TeamWatch:
    """The leader's newest team session of one exercise, kept as the store last said it.

    `on_change(state)` hears every change: a session opened or closed, an answer come in (the
    state then holds the team's result as the server lets the leader see it). `clock()` gives
    what schedules the next ask (the kernel's event loop; tests pass their own)."""

    def __init__(self, token: str | None, exercise: str, on_change: Callable[[dict | None], None],
                 clock: Callable[[], asyncio.AbstractEventLoop | None] = running_loop, poll_s: float = POLL_S):
        self.token, self.exercise = token, exercise
        self.on_change = on_change
        self.clock, self.poll_s = clock, poll_s
        self.state: dict | None = None
        self._timer: asyncio.TimerHandle | None = None

    @property
    def is_open(self) -> bool:
        return bool(self.state and self.state.get("open"))

    def load(self) -> dict | None:
        """Ask for the newest session (the page's first look); watch it if it is open."""
        self._take(self._call("team_state", exercise=self.exercise)["team"])
        return self.state

    def open(self, minutes: int, lang: str) -> dict:
        self._take(self._call("team_open", exercise=self.exercise, minutes=minutes, lang=lang)["team"])
        return self.state

    def close(self) -> dict | None:
        if self.state is not None:
            self._take(self._call("team_close", team=self.state["id"])["team"])
        return self.state

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def ask(self) -> None:
        """One ask of the store (the timer's tick); the page hears of it only when something changed."""
        self._timer = None
        if not self.is_open:
            return
        try:
            found = self._call("team_state", exercise=self.exercise, since=self.state["revision"])["team"]
        except StoreUnavailable as exc:
            log.warning("team session: the store could not be asked (%s); asking again", exc)
            self._schedule()
            return
        except StoreRefused as exc:  # the leader's link was revoked meanwhile: stop asking
            log.warning("team session: the store refused (%s); no longer asking", exc.kind)
            return
        self._take(found)

    def _call(self, op: str, **args) -> dict:
        return store_client().call(op, self.token, **args)

    def _take(self, found: dict | None) -> None:
        before = self.state
        if found is not None and before is not None and found["id"] == before["id"]:
            # The link and the result come only when new: keep what the page has.
            found = {**{k: before[k] for k in ("link", "result") if k in before}, **found}
        self.state = found
        changed = found != before
        self.stop()
        if self.is_open:
            self._schedule()
        if changed:
            self.on_change(found)

    def _schedule(self) -> None:
        loop = self.clock()
        if loop is not None and self._timer is None:
            self._timer = loop.call_later(self.poll_s, self.ask)
