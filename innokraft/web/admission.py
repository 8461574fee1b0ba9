"""Admission instead of collapse: a cap on kernels from a memory budget, and past it a calm page.

Each open course page holds a kernel. Without a limit a hundred-and-first leader's kernel takes
memory the machine does not have, and every page on it slows or fails. So the server counts its
kernels (pooled ones too) against a cap: the memory budget over what one kernel is counted at
(Settings.memory_budget_mb, Settings.kernel_mb; `innokraft serve --max-kernels` sets it outright).
A leader who arrives past the cap gets a translated page that says the course is busy, keeps
their link, and loads the page again by itself after a few seconds (spread, so that retries do
not arrive together); the status is 503 with Retry-After, so a balancer or a script knows too.
"""

from __future__ import annotations

import random

import psutil

from ..core.settings import Settings
from ..course.load import course_and_texts
from ..course.model import Course
from ..course.service import footer, service_bar
from ..course.texts import Texts, choose_language
from .templates import render

RETRY_S = (8, 20)  # a busy page loads again after this many seconds, drawn at random
BUDGET_SHARE = 0.75  # of the machine's memory, where no budget is set


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
                          title=t("ui.busy.title"), body="", service_bar=service_bar(t),
                          footer=footer(t, base, handler.get_argument("t", None))))
