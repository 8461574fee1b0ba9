"""Beyond one machine, tried on one: two `innokraft serve` replicas behind HAProxy with cookie
affinity, one PostgreSQL store, one signing secret, the nbgrader folder shared (docs/scaling.md).

The load generator (benchmarks.load) sends leaders through HAProxy; once every leader has
arrived and saved, one replica is killed (its process group, as a machine that goes away).
Its leaders' pages lose their connection and reload; HAProxy sends them to the other replica
(the cookie names a server that is down: `option redispatch`), whose page shows every answer
they had saved. Nothing a leader needs was on the killed replica's disk.

Runs apart from `make test` (`make test-scale`, which CI runs too): it needs HAProxy and takes
a few minutes of the two cores.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from innokraft.core.settings import DevSettings, Settings
from tests.browser.conftest import wait_until_ready
from tests.conftest import REPO, PostgresCluster, free_port, innokraft, wait_for_port
from tests.helpers import nbgrader_course

pytestmark = pytest.mark.scale
LEADERS = 16
ARRIVALS_S = 16
HOLD_S = 40  # after the last arrival: the kill, the reloads, and a calm end
KILL_AFTER_S = ARRIVALS_S + 10  # every leader has arrived and saved (a visit's work takes ~5 s)

HAPROXY_CFG = """\
global
    maxconn 2000
defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    timeout tunnel 1h
    retries 3
    option redispatch
frontend course
    bind 127.0.0.1:{port}
    default_backend replicas
backend replicas
    balance roundrobin
    cookie SERVERID insert indirect nocache
    option httpchk GET /innokraft/ready
    default-server inter 1s fall 2 rise 2
    server a 127.0.0.1:{a} check cookie a
    server b 127.0.0.1:{b} check cookie b
"""


def haproxy_path() -> str:
    path = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if not path:
        if os.environ.get("CI"):
            pytest.fail("HAProxy is missing: .ci/run installs it with apt")
        pytest.skip("no HAProxy on this machine (apt-get install haproxy)")
    return path


@pytest.fixture(scope="module")
def postgres():
    cluster = PostgresCluster()
    yield cluster
    cluster.remove()


def start_replica(name: str, home: Path, port: int, env: dict, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "innokraft.cli", "serve", "--port", str(port)],
                            cwd=REPO, env={**os.environ, **env, "INNOKRAFT_HOME": str(home)},
                            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_port(port, proc, log, seconds=240)
        wait_until_ready(f"http://127.0.0.1:{port}/", proc, log, seconds=240)
    except RuntimeError:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    return proc


def end(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_a_replica_goes_and_its_leaders_reload_onto_the_other_with_every_answer(postgres, tmp_path, output_dir):
    haproxy = haproxy_path()
    balancer = free_port()
    url = f"http://127.0.0.1:{balancer}/"
    # What every replica shares: the store, the secret, the course's URL (the balancer's), and the
    # nbgrader folder (a shared volume in production; here one folder every home links to).
    shared = {"INNOKRAFT_DB_URL": postgres.url, "INNOKRAFT_SECRET": "scale-test-secret-" + "x" * 32,
              "INNOKRAFT_URL": url}
    nbgrader = tmp_path / "shared-nbgrader"
    homes = {name: tmp_path / f"home-{name}" for name in ("a", "b")}
    setup_env = {**os.environ, **shared, "INNOKRAFT_HOME": str(homes["a"])}
    innokraft("db", "upgrade", env=setup_env)
    nbgrader_course.copy_into(Settings.from_env(setup_env))
    shutil.move(homes["a"] / "nbgrader", nbgrader)
    for home in homes.values():
        home.mkdir(exist_ok=True, mode=0o700)
        (home / "nbgrader").symlink_to(nbgrader)
    roster = tmp_path / "roster.csv"
    roster.write_text("learner_id,name,email,lang\n" + "".join(f"leader-{i:02d},Chef {i:02d},,sv\n"
                                                               for i in range(LEADERS)), encoding="utf-8")
    innokraft("cohort", "import", str(roster), "--cohort", "scale", env=setup_env)
    links = tmp_path / "links.csv"
    links.write_text(innokraft("links", "--cohort", "scale", "--base-url", url, env=setup_env).stdout)

    ports = {"a": free_port(), "b": free_port()}
    replicas: dict[str, subprocess.Popen] = {}
    haproxy_proc = None
    load = None
    try:
        for name in ("a", "b"):  # one after the other: each checks the shared nbgrader course
            replicas[name] = start_replica(name, homes[name], ports[name], shared,
                                           output_dir / f"scale-replica-{name}-{os.getpid()}.log")
        cfg = tmp_path / "haproxy.cfg"
        cfg.write_text(HAPROXY_CFG.format(port=balancer, a=ports["a"], b=ports["b"]))
        haproxy_proc = subprocess.Popen([haproxy, "-db", "-f", str(cfg)], stdout=subprocess.DEVNULL,
                                        stderr=(output_dir / "scale-haproxy.log").open("w"))
        wait_until_ready(url, haproxy_proc, output_dir / "scale-haproxy.log", seconds=60)

        load = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.load", "--url", url, "--links", str(links), "--name", "scale",
             "--pids", f"{replicas['a'].pid},{replicas['b'].pid}", "--reload-when-lost", "--profile", "steady",
             "--leaders", str(LEADERS), "--within", str(ARRIVALS_S), "--hold", str(HOLD_S), "--stay", "1",
             "--words", "4"],
            cwd=REPO, stdout=(output_dir / "scale-load.log").open("w"), stderr=subprocess.STDOUT)
        time.sleep(KILL_AFTER_S)
        os.killpg(replicas["a"].pid, signal.SIGKILL)  # the machine is gone: server, fork server, kernels
        replicas["a"].wait(30)
        load.wait(HOLD_S + 120)
    finally:
        if load is not None and load.poll() is None:
            load.kill()
        if haproxy_proc is not None:
            haproxy_proc.terminate()
            haproxy_proc.wait(10)
        for proc in replicas.values():
            end(proc)

    report = json.loads((DevSettings.from_env().test_output / "load" / "scale.json").read_text())
    visits = report["visits"]
    assert report["errors"] == 0, [v["error"] for v in visits if v["error"]]
    assert report["served"] == LEADERS
    on_a = [v for v in visits if v["server"] == "a"]
    assert on_a and all(v["server"] == "b" for v in visits if v not in on_a), "the balancer used one replica only"
    # Every leader of the killed replica reloaded, onto the other, and saw every answer they had saved.
    assert all(v["reloads"] for v in on_a), [v["leader"] for v in on_a if not v["reloads"]]
    assert all(r["server"] == "b" and r["intact"] for v in on_a for r in v["reloads"])
    # And the store holds what each leader saved, whichever replica they were on.
    with open(links, encoding="utf-8") as fh:
        assert {row["learner_id"] for row in csv.DictReader(fh)} == {v["leader"] for v in visits}
    from innokraft.store.db import Store

    store = Store.open(postgres.url, migrate=False)
    for visit in visits:
        answers = store.answers(visit["leader"])
        assert visit["saved"] and all(answers[key]["text"] == text for key, text in visit["saved"].items()), visit
