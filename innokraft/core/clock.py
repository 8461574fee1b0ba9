"""The course's idea of "now": when instruments fall due.

Tests stand the clock still with INNOKRAFT_NOW (an ISO time) in the environment of the server or
kernel they start; nothing in a request can set it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .settings import Settings


def now(settings: Settings | None = None) -> datetime:
    fixed = (settings or Settings.from_env()).now
    if fixed:
        moment = datetime.fromisoformat(fixed)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)
