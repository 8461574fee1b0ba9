"""Shared fixtures: a private INNOKRAFT_HOME per test, and a real `innokraft serve`."""

from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from innokraft.core.settings import DevSettings
from tests.helpers.cli import run as run_cli
from tests.helpers.paths import OUTPUT, REPO  # noqa: F401  (the tests import REPO from here)

RUN_MARK = DevSettings.variable("test_run")
pytest_plugins = ["tests.helpers.graded_cohort"]
# `make test` runs each test file on one worker (`--dist loadfile`), so a file's servers and
# cohorts start once. (`--dist loadgroup` with xdist_group marks did not group at all under
# pytest 9 / xdist 3.8: a file's tests went to both workers and each started the fixtures.)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A fresh INNOKRAFT_HOME (SQLite + secret) for one test."""
    path = tmp_path / "home"
    monkeypatch.setenv("INNOKRAFT_HOME", str(path))
    monkeypatch.delenv("INNOKRAFT_DB_URL", raising=False)
    monkeypatch.delenv("INNOKRAFT_SECRET", raising=False)
    return path


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def innokraft(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """The real command line, as a facilitator runs it (its `main`, in this process)."""
    return run_cli(*args, env=env, check=check)


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not listen on {port}:\n{log.read_text()}")


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is missing: `apt-get install -y chromium` (make test does this as root)")
    return path


CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-gpu", "--disable-quic"]


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """One Chromium per worker, started with a profile of its own: its default context is
    `tabs`, and `browser.new_context()` makes fresh (incognito) ones beside it."""
    from playwright.sync_api import sync_playwright  # only where a test drives a browser

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"), executable_path=chromium_path(),
            args=CHROMIUM_ARGS, headless=True)
        yield context
        context.close()


@pytest.fixture(scope="session")
def browser(chromium):
    """Chromium, for a fresh browser context: a first visit, nothing cached or kept."""
    return chromium.browser


@pytest.fixture(scope="session")
def tabs(chromium):
    """Chromium's own profile, whose pages cost Chromium about half the CPU of a fresh context's
    (~1 CPU-second less per course page, measured): for a test of what a page shows that is
    not about a first visit. Open its pages with tests.browser.conftest.returning_page,
    which empties the origin's storage first, so no test sees another's kept text."""
    return chromium


@pytest.fixture
def shots(output_dir, request):
    """Save a screenshot under test-output/screenshots/<test>-<name>.png."""
    folder = output_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        safe = re.sub(r"[^\w.-]+", "_", f"{request.node.name}-{name}")[:150]
        page.screenshot(path=str(folder / f"{safe}.png"))

    return take




def pytest_addoption(parser):
    parser.addoption("--full-pages", action="store_true",
                     help="screenshots of whole pages in test-output/ (make screenshots), not only what is in view")


def pytest_configure(config):
    from tests.browser.a11y import FULL_PAGES

    FULL_PAGES["on"] = config.getoption("--full-pages")
    # Every process the tests start inherits the mark (the xdist workers too: they start later).
    if not os.environ.get(RUN_MARK):
        os.environ[RUN_MARK] = uuid.uuid4().hex


def pytest_sessionstart(session):
    # The hostile-inputs table is rebuilt by every run (workers append, the controller assembles).
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(OUTPUT / "security" / "rows", ignore_errors=True)


def pytest_sessionfinish(session, exitstatus):
    if not hasattr(session.config, "workerinput"):
        from tests.security_table import assemble

        assemble()
        left = left_behind()
        if left:
            session.config.get_terminal_writer().line(
                "Processes the tests started and left running (a defect: each must end its own):\n"
                + "\n".join(f"  {pid}: {cmd}" for pid, cmd in left), red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def left_behind(seconds: float = 30) -> list[tuple[int, str]]:
    """Processes carrying this run's mark that are still running once the tests are done (those
    ending at that moment get `seconds` to go): never this process, its workers or its parents."""
    import psutil

    mark, me = os.environ[RUN_MARK], psutil.Process()
    ours = {me.pid, *(p.pid for p in me.parents()), *(c.pid for c in me.children())}

    def find() -> list[psutil.Process]:
        found = []
        for proc in psutil.process_iter():
            try:
                if proc.pid not in ours and proc.environ().get(RUN_MARK) == mark and \
                        proc.status() != psutil.STATUS_ZOMBIE:
                    found.append(proc)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return found

    deadline = time.monotonic() + seconds
    while (found := find()) and time.monotonic() < deadline:
        time.sleep(1)
    out = []
    for proc in found:
        try:
            out.append((proc.pid, " ".join(proc.cmdline())[:200]))
        except psutil.NoSuchProcess:
            continue
    return out


class PostgresCluster:
    """A throwaway PostgreSQL cluster from the machine's PostgreSQL (.ci/run installs it),
    which a test may stop and start again."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            if os.environ.get("CI"):
                pytest.fail("PostgreSQL is missing: .ci/run installs it with apt")
            pytest.skip("no PostgreSQL on this machine (apt-get install postgresql)")
        self.bindir = bins[-1]
        self.data = tempfile.mkdtemp(prefix="innokraft-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        self.port = free_port()
        self._run("initdb", "-D", self.data, "-U", "innokraft", "--auth=trust", "-E", "UTF8")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://innokraft@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        cmd = [f"{self.bindir}/{tool}", *args]
        # initdb and the server refuse to run as root.
        cmd = ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd
        subprocess.run(cmd, check=True, capture_output=True)

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-w", "-l", f"{self.data}/log", "-o",
                  f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.data, ignore_errors=True)
