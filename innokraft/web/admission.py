"""Admission instead of collapse: a cap on kernels from a memory budget, and past it a calm page.

Each open course page holds a kernel. Without a limit a hundred-and-first leader's kernel takes
memory the machine does not have, and every page on it slows or fails. So the server counts its
kernels (pooled ones too) against a cap: the memory budget over what one kernel is counted at
(Settings.memory_budget_mb, Settings.kernel_mb; `innokraft serve --max-kernels` sets it outright).
A leader who arrives past the cap gets a translated page that says the course is busy and keeps
their link. The page asks every few seconds (spread, so that many busy pages do not ask together)
whether there is room (`RoomPage`, which takes no kernel) and opens the course page as soon as
there is; a link opens it at once. No meta refresh: a page that reloads on a timer whatever
happens is a timing barrier (WCAG 2.2.1, axe's meta-refresh), this one moves only when the page
asked for can come. The status is 503 with Retry-After, so a balancer or a script knows too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random

import psutil
import tornado.web

from ..core.settings import Settings
from ..course.load import course_and_texts
from ..course.model import Course
from ..course.service import footer, service_bar
from ..course.texts import Texts, choose_language
from .security import SecureHeaders
from .templates import render

RETRY_S = (8, 20)  # a busy page asks for room again after this many seconds, drawn at random
BUDGET_SHARE = 0.75  # of the machine's memory, where no budget is set


class Turns:
    """The page writers' queue: `at_once` at a time, first come first served.

    A page is about half a CPU-second of the server's and its kernel's work; a burst of arrivals
    all written side by side shares the cores among all of them, and every page comes late (under
    a burst, kernels timed out waiting for their request and pages reloaded). Past `at_once`, a
    page waits its turn: each comes as fast as the cores allow, and the last of a burst no later
    than before. Past `limit` waiting, a leader gets the busy page at once, which asks again
    later, rather than a page that would take longer than a browser waits.
    """

    def __init__(self) -> None:
        self._semaphore: asyncio.Semaphore | None = None  # made in the server's running loop
        self.waiting = 0
        self.configure(None, None)

    def configure(self, at_once: int | None, waiting: int | None) -> None:
        """The sizes (INNOKRAFT_PAGES_AT_ONCE, INNOKRAFT_PAGES_WAITING), or their defaults."""
        self.at_once = at_once or max(2, 2 * (os.cpu_count() or 1))
        self.limit = waiting if waiting is not None else 4 * self.at_once
        self._semaphore = None

    def crowded(self) -> bool:
        return self.waiting >= self.limit

    @contextlib.asynccontextmanager
    async def turn(self):
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.at_once)
        self.waiting += 1
        try:
            await self._semaphore.acquire()
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            self._semaphore.release()


TURNS = Turns()


def kernel_cap(settings: Settings, max_kernels: int | None = None) -> int:
    """The most kernels this server runs at once."""
    if max_kernels:
        return max_kernels
    budget = settings.memory_budget_mb or int(psutil.virtual_memory().total / 2**20 * BUDGET_SHARE)
    return max(1, budget // settings.kernel_mb)


def full(kernel_manager, cap: int) -> bool:
    """True when the server holds `cap` kernels or more (pooled ones, waiting for a visitor, too)."""
    return len(kernel_manager.list_kernel_ids()) >= cap


def write_busy_page(handler, settings: Settings, course: Course) -> None:
    _course, texts = course_and_texts(settings.config_dir)
    lang = choose_language(course, handler.get_argument("lang", None), None)
    t = Texts(lang, texts[lang])
    seconds = random.randint(*RETRY_S)
    base = handler.settings.get("base_url", "/")
    handler.set_status(503)
    handler.set_header("Retry-After", str(seconds))
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("Referrer-Policy", "no-referrer")
    handler.finish(render("busy.html.j2", t=t, seconds=seconds, prefix=base, other_langs=[],
                          room=f"{base}innokraft/room", script=f"{base}innokraft/busy.js",
                          title=t("ui.busy.title"), body="", service_bar=service_bar(t),
                          footer=footer(t, base, handler.get_argument("t", None))))


class RoomPage(SecureHeaders, tornado.web.RequestHandler):
    """Whether a page opened now would get a kernel: {"room": true|false}, asked by busy pages."""

    def initialize(self, cap):
        self.cap = cap

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.write({"room": not full(self.settings["kernel_manager"], self.cap())})


# The busy page's only script (script-src 'self': a file, never inline).
BUSY_SCRIPT = """// The busy page (innokraft/web/admission.py): asks every few seconds whether the course has
// room, and opens the page the leader asked for as soon as it has.
(() => {
  const box = document.querySelector(".innokraft-busy");
  if (!box) return;
  const every = 1000 * Number(box.dataset.seconds || 10);
  const check = async () => {
    try {
      const answer = await fetch(box.dataset.room, { cache: "no-store", credentials: "same-origin" });
      if (answer.ok && (await answer.json()).room) {
        window.location.reload();
        return;
      }
    } catch (e) {
      // the server is restarting or out of reach: ask again later
    }
    window.setTimeout(check, every);
  };
  window.setTimeout(check, every);
})();
"""


class BusyScript(SecureHeaders, tornado.web.RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "max-age=600")
        self.write(BUSY_SCRIPT)
