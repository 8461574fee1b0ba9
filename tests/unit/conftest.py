import asyncio

import pytest


@pytest.fixture(autouse=True)
def no_running_event_loop():
    """Unit tests run as in a plain thread, without an event loop.

    Sync Playwright, used by browser tests that may share this process, leaves its event
    loop marked as running in the main thread; the autosaver would then wait for a loop
    that never turns.
    """
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    yield
    asyncio._set_running_loop(loop)
