"""The course's idea of "now": when instruments fall due.

Tests move the clock with INNOKRAFT_NOW (an ISO time) in the environment of the server or
kernel they start; nothing in a request can set it.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone


def now() -> datetime:
    fixed = os.environ.get("INNOKRAFT_NOW")
    if fixed:
        moment = datetime.fromisoformat(fixed)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)
