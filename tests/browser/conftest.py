"""A real `innokraft serve` on a temporary INNOKRAFT_HOME, and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner, page_url
from innokraft.course.load import course_and_texts
from innokraft.store.db import Store
from tests.conftest import REPO, free_port, innokraft, wait_for_port
from tests.helpers import nbgrader_course

COURSE, _TEXTS = course_and_texts(REPO / "course_config")


@dataclass
class Server:
    url: str
    home: Path
    env: dict
    proc: subprocess.Popen
    log: Path
    db_url: str | None = None

    @property
    def settings(self) -> Settings:
        return Settings.from_env({**os.environ, **self.env})

    def culled_within(self) -> float:
        """The most seconds a vanished tab's kernel may live on: two missed pings, the idle
        time, one culling round, and 10 s for a busy machine."""
        s = self.settings
        return 2 * s.ping_s + s.cull_idle_s + s.cull_every_s + 10

    @property
    def store(self) -> Store:
        """The server's store, one engine per server (each test's reads share its pool)."""
        if "_store" not in self.__dict__:
            self.__dict__["_store"] = Store.open(self.settings.db_url, migrate=False)
        return self.__dict__["_store"]

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return innokraft(*args, env=self.env)

    def link(self, learner_id: str, cohort: str = "demo") -> str:
        """The learner's personal link, as `innokraft links` issues it (its current generation)."""
        learner = self.store.learner(learner_id)
        if learner is None or learner.cohort_id != cohort:
            raise KeyError(learner_id)
        return self.page_link(learner_id, COURSE.start_notebook, learner.lang or COURSE.default_language, cohort)

    def page_link(self, learner_id: str, notebook: str, lang: str, cohort: str = "demo") -> str:
        """The learner's personal link, pointed at another page and language."""
        settings = self.settings
        signer = LinkSigner(load_secret(settings), COURSE.token_max_age_days)
        token = signer.issue(learner_id, cohort, self.store.link_generation(learner_id))
        return page_url(self.url, notebook, token, lang)

    def add_learner(self, learner_id: str, cohort: str = "demo", name: str = "", lang: str | None = None) -> str:
        """A learner of this test's own on the shared server; their personal link (start page)."""
        self.store.upsert_learners(cohort, [{"learner_id": learner_id, "name": name or learner_id,
                                             "email": "", "lang": lang}])
        return self.link(learner_id, cohort)


# A vanished tab's kernel is freed within 2 pings + the idle time + one culling round: with these
# 33 s at most (the defaults: 3 minutes), so the tests that watch it wait seconds, not minutes.
TEST_TIMINGS = {"INNOKRAFT_PING_S": "5", "INNOKRAFT_CULL_IDLE_S": "10", "INNOKRAFT_CULL_EVERY_S": "3"}


def start_server(tmp: Path, output_dir: Path, name: str, pool_size: int = 1, wait: float = 180,
                 extra_env: dict | None = None, port: int | None = None, db_url: str | None = None) -> Server:
    """`innokraft serve` on a fresh INNOKRAFT_HOME (or, with port, again on one: a restart)."""
    home = tmp / "home"
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {"INNOKRAFT_HOME": str(home), "INNOKRAFT_URL": url, **TEST_TIMINGS, **(extra_env or {})}
    env.pop("INNOKRAFT_DB_URL", None)
    if db_url:
        env["INNOKRAFT_DB_URL"] = db_url
    if db_url:
        innokraft("db", "upgrade", env=env)  # a shared PostgreSQL is upgraded on purpose, once
    nbgrader_course.copy_into(Settings.from_env({**os.environ, **env}))
    innokraft("demo", env=env)
    log = output_dir / f"serve-{name}-{os.getpid()}.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "innokraft.cli", "serve", "--port", str(port),
         "--pool-size", str(pool_size)],
        cwd=REPO, env={**os.environ, **env}, stdout=log.open("a"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, proc, log, seconds=wait)
        wait_until_ready(url, proc, log, seconds=wait)
    except RuntimeError:
        os.killpg(proc.pid, signal.SIGKILL)  # never leave a half-started server (or its kernels) behind
        raise
    return Server(url, home, env, proc, log, db_url)


def wait_until_ready(url: str, proc: subprocess.Popen, log: Path, seconds: float) -> None:
    """Until every page has a warm kernel: a page opened earlier waits for start-up's executions."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "innokraft/ready", timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"server was not ready within {seconds} s:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(20)
    except subprocess.TimeoutExpired:
        server.proc.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory, output_dir):
    srv = start_server(tmp_path_factory.mktemp("serve"), output_dir, "main")
    yield srv
    stop_server(srv)


# What a page in `tabs` must not find: another test's kept text.
ORIGIN_STORAGE = "local_storage,indexeddb,service_workers,cache_storage,websql,file_systems"


def returning_page(tabs, url: str, viewport: dict | None = None):
    """A new page in `tabs` (Chromium's own profile, tests/conftest.py) whose origin (url's)
    keeps nothing in storage: the course as a visitor sees it who has been here before and
    kept nothing but the browser's cache. Not for what a first visit or a second device does."""
    page = tabs.new_page()
    cdp = tabs.new_cdp_session(page)
    cdp.send("Storage.clearDataForOrigin", {"origin": "/".join(url.split("/")[:3]),
                                            "storageTypes": ORIGIN_STORAGE})
    cdp.detach()
    page.set_viewport_size(viewport or {"width": 1280, "height": 720})  # a new context's size
    return page


def wait_interactive(page, timeout_ms: int = 60_000, exercises: int = 0) -> float:
    """Wait until the page's header and widgets are on screen; seconds since navigation start."""
    page.wait_for_selector(".innokraft-header", state="visible", timeout=timeout_ms)
    page.wait_for_selector("#loading", state="detached", timeout=timeout_ms)
    if exercises:
        page.wait_for_function(
            # A function, never an expression: Playwright may evaluate a waited-for expression
            # with eval, which the pages' CSP refuses.
            f"() => document.querySelectorAll('.innokraft-exercise').length >= {exercises}",
            timeout=timeout_ms,
        )
    return page.evaluate("performance.now()") / 1000.0


STILL = """async ([quietMs, boundMs]) => {
  let last = performance.now();
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  const started = performance.now();
  while (performance.now() - last < quietMs && performance.now() - started < boundMs) {
    await new Promise((r) => setTimeout(r, 50));
  }
  observer.disconnect();
  return performance.now() - last >= quietMs;
}"""


def wait_still(page, quiet_ms: int = 500, bound_ms: int = 60_000) -> None:
    """Until the page has made no DOM change for quiet_ms (the kernel's echoes have arrived)."""
    assert page.evaluate(STILL, [quiet_ms, bound_ms]), "the page kept changing"


def module_parts(module) -> int:
    """The parts a page of a module that carries the initiative draws: the retrieval, its
    exercises, the initiative, the quiz and the reflections."""
    return 1 + len(module.exercises) + 1 + 1 + len(module.reflections)


def open_module(server, tabs, who: str, module, lang: str = "sv", viewport: dict | None = None):
    """`who`'s page of a module that carries the initiative, as a leader opens it: every part
    drawn (module_parts) and the page still."""
    from tests.browser.a11y import DESKTOP

    page = returning_page(tabs, server.url, viewport or DESKTOP)
    page.set_default_timeout(90_000)
    page.goto(server.page_link(who, module.notebook, lang), wait_until="commit", timeout=180_000)
    wait_interactive(page, timeout_ms=180_000, exercises=module_parts(module))
    wait_still(page)
    return page


def initiative_heading(page) -> str:
    """The leader's initiative as the step that carries it names it."""
    return page.locator(".innokraft-initiative .innokraft-initiative-text").inner_text().strip()


def hand_in(page, lang: str) -> None:
    """Press the reflections' Submit button until the page says "handed in": an answer under the
    course's word count asks first, and the test answers "submit anyway" as a leader would."""
    t = _TEXTS[lang]
    # The confirmation of this hand-in, not the "Submitted …" an earlier one left on the page.
    done = page.locator(".innokraft-submit-status .innokraft-confirmation",
                        has_text=t["grading.submitted_now"].split("{")[0].strip())
    assert done.count() == 0, "hand_in confirms one hand-in per page load"
    page.get_by_role("button", name=t["grading.submit"], exact=True).click()
    anyway = page.get_by_role("button", name=t["grading.submit_control.submit_anyway"])
    done.or_(anyway).first.wait_for()
    if anyway.is_visible():
        anyway.click()
    done.wait_for()


def kernel_id(page) -> str:
    return page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def kernel_process(server, kid: str) -> psutil.Process:
    """The process of the server's kernel kid (forked or started)."""
    for proc in psutil.Process(server.proc.pid).children(recursive=True):
        try:
            if any(f"kernel-{kid}.json" in part for part in proc.cmdline()):
                return proc
        except psutil.NoSuchProcess:
            continue
    raise LookupError(kid)


def poll(predicate, seconds: float = 30.0, interval: float = 0.25):
    """Wait until predicate() is truthy (a bound for correctness, not a speed check)."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
