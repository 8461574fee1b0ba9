import asyncio

import pytest
from jupyter_client.manager import start_new_kernel

from innokraft.core.settings import DevSettings
from tests.conftest import REPO, PostgresCluster


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


@pytest.fixture(scope="module")
def kernel():
    """A real IPython kernel for a test module's cells (its client)."""
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(REPO))
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def postgres_url():
    """A PostgreSQL to test the store on: the one named by the dev setting, else a throwaway cluster."""
    if DevSettings.from_env().test_postgres_url:
        yield DevSettings.from_env().test_postgres_url
        return
    cluster = PostgresCluster()
    try:
        yield cluster.url
    finally:
        cluster.remove()
