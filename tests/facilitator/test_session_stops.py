"""`innokraft session` ends the course server, JupyterLab and every kernel they started however
the facilitator stops it: Ctrl-C (tests/facilitator/test_facilitator_day.py), `kill` (SIGTERM) or
closing the terminal (SIGHUP). Nothing is left running and no port stays held."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request

import psutil
import pytest

from innokraft.core import running
from innokraft.core.settings import Settings
from tests.browser.conftest import poll
from tests.conftest import REPO, free_port
from tests.helpers import nbgrader_course


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["sigterm", "sighup"])
def test_a_stopped_session_leaves_nothing_running(tmp_path, output_dir, stop):
    port, lab_port = free_port(), free_port()
    env = {**os.environ, "INNOKRAFT_HOME": str(tmp_path / "home")}
    # The course's nbgrader assignments as the session would make them (the facilitator's day
    # makes them from a fresh clone): this test is about stopping.
    nbgrader_course.copy_into(Settings.from_env(env))
    log = output_dir / f"session-{stop.name}-{os.getpid()}.log"
    # No preheated pool: the one kernel is the one a visitor's page starts (below).
    session = subprocess.Popen(
        [sys.executable, "-m", "innokraft.cli", "session", "--port", str(port), "--lab-port", str(lab_port),
         "--pool-size", "0"], cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        printed = poll(lambda: "Formgrader" in log.read_text() and log.read_text(), seconds=240)
        assert printed, log.read_text()
        demo = re.search(r"(http://\S+00_start\.ipynb\S*)", printed).group(1)
        # The session notes what runs where: `links` and the dashboard point there, nowhere else.
        home = tmp_path / "home"
        assert running.running(home, running.FORMGRADER).url == f"http://127.0.0.1:{lab_port}/formgrader"
        assert running.running(home, running.COURSE).port == port
        with urllib.request.urlopen(demo, timeout=120) as page:  # a visitor: the server runs a kernel
            assert page.status == 200
        family = psutil.Process(session.pid).children(recursive=True)
        kernels = [p for p in family if "ipykernel_launcher" in " ".join(p.cmdline())]
        assert kernels, [p.cmdline() for p in family]
        session.send_signal(stop)
        assert session.wait(60) == 0
    finally:
        if session.poll() is None:
            os.killpg(session.pid, signal.SIGKILL)
    _gone, alive = psutil.wait_procs(family, timeout=30)
    assert alive == [], [p.cmdline() for p in alive]
    for held in (port, lab_port):
        with socket_to(held) as s:
            s.bind(("127.0.0.1", held))  # free again
    assert "Kursen och formgrader är stoppade." in log.read_text()
    assert running.running(home, running.COURSE) is None and running.running(home, running.FORMGRADER) is None


def socket_to(port):
    import socket

    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return s
