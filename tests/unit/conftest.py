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


# A leader's initiative as M1 stores it, with markup in it: escaped wherever a page shows it.
INITIATIVE = "Digitala signeringar i hemtjänsten <b>nu</b>"


@pytest.fixture
def module_pages(home):
    """Anna's pages, `open(module, lang="sv")`, on a real store (returned too); with
    `initiative=True` her initiative named in M1 first (`module_pages(initiative=True)`)."""
    from innokraft.cli.context import DEMO_COHORT
    from innokraft.core.secret import load_secret
    from innokraft.core.settings import Settings
    from innokraft.core.tokens import LinkSigner
    from innokraft.course.model import THREAD_KEY
    from innokraft.store.db import Store
    from widgets.pages import open_page

    settings = Settings.from_env()
    store = Store.open(settings.db_url)
    store.upsert_learners(DEMO_COHORT, [{"learner_id": "anna", "name": "Anna"}])
    token = LinkSigner(load_secret(settings), 30).issue("anna", DEMO_COHORT)

    def pages(initiative: bool = False):
        if initiative:
            store.save_answer("anna", THREAD_KEY, {"text": INITIATIVE, "module": "m1", "on": "2026-11-01",
                                                   "history": []})
        return (lambda module, lang="sv": open_page(module, lang=lang, token=token)), store

    return pages


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
