"""Beyond one machine, tried on one: `innokraft serve` replicas behind HAProxy with cookie
affinity, one PostgreSQL store, one signing secret, one nbgrader folder (docs/scaling.md).

The scale test (tests/scale) and `make load-replicas` (benchmarks.load --replicas) both stand on
it. In production each replica is a machine (deploy/kubernetes/); here each has a home of its
own, and the nbgrader folder every home links to is the shared volume.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from innokraft.core.settings import Settings
from tests.conftest import REPO, PostgresCluster, free_port, wait_for_port
from tests.helpers import nbgrader_course

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
{servers}
"""


def haproxy_path() -> str | None:
    return shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)


def cli(*args: str, env: dict) -> str:
    """The real command line in a process of its own (the load generator's is patched by gevent)."""
    return subprocess.run([sys.executable, "-m", "innokraft.cli", *args], cwd=REPO, env=env, check=True,
                          capture_output=True, text=True).stdout


def wait_ready(url: str, proc: subprocess.Popen, log: Path, seconds: float) -> None:
    """Until `url` answers /innokraft/ready (a replica: every page has a warm kernel)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text() if log.exists() else ''}")
        with contextlib.suppress(urllib.error.URLError, OSError):
            with urllib.request.urlopen(url + "innokraft/ready", timeout=5) as resp:
                if resp.status == 200:
                    return
        time.sleep(0.5)
    raise RuntimeError(f"{url} was not ready within {seconds} s:\n{log.read_text() if log.exists() else ''}")


@dataclass
class Replicas:
    """The running topology: the balancer's URL, the leaders' links (CSV), the replicas."""

    url: str
    links: Path
    postgres: PostgresCluster
    servers: dict[str, subprocess.Popen] = field(default_factory=dict)

    def pids(self) -> list[int]:
        return [proc.pid for proc in self.servers.values()]

    def kill(self, name: str) -> None:
        """The machine is gone: the server, its fork server and its kernels at once."""
        os.killpg(self.servers[name].pid, signal.SIGKILL)
        self.servers[name].wait(30)


def _end(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def replicas(tmp: Path, output_dir: Path, leaders: int, names: tuple[str, ...] = ("a", "b"),
             postgres: PostgresCluster | None = None, cohort: str = "scale",
             serve_args: tuple[str, ...] = ()) -> Iterator[Replicas]:
    """PostgreSQL (or `postgres`), a cohort of `leaders` leaders, the replicas `names` and HAProxy
    in front of them, all stopped after the block."""
    haproxy = haproxy_path()
    if haproxy is None:
        raise FileNotFoundError("no HAProxy on this machine (apt-get install haproxy)")
    own_postgres = postgres is None
    postgres = postgres or PostgresCluster()
    balancer = free_port()
    url = f"http://127.0.0.1:{balancer}/"
    # What every replica shares: the store, the secret, the course's URL (the balancer's), and the
    # nbgrader folder (a shared volume in production; here one folder every home links to).
    shared = {"INNOKRAFT_DB_URL": postgres.url, "INNOKRAFT_SECRET": "scale-test-secret-" + "x" * 32,
              "INNOKRAFT_URL": url}
    homes = {name: tmp / f"home-{name}" for name in names}
    first = homes[names[0]]
    setup_env = {**os.environ, **shared, "INNOKRAFT_HOME": str(first)}
    cli("db", "upgrade", env=setup_env)
    nbgrader_course.copy_into(Settings.from_env(setup_env))
    nbgrader = tmp / "shared-nbgrader"
    shutil.move(first / "nbgrader", nbgrader)
    for home in homes.values():
        home.mkdir(exist_ok=True, mode=0o700)
        (home / "nbgrader").symlink_to(nbgrader)
    roster = tmp / "roster.csv"
    roster.write_text("learner_id,name,email,lang\n" + "".join(f"leader-{i:03d},Chef {i:03d},,sv\n"
                                                               for i in range(leaders)), encoding="utf-8")
    cli("cohort", "import", str(roster), "--cohort", cohort, env=setup_env)
    links = tmp / "links.csv"
    links.write_text(cli("links", "--cohort", cohort, "--base-url", url, env=setup_env))

    topology = Replicas(url, links, postgres)
    ports = {name: free_port() for name in names}
    haproxy_proc = None
    try:
        for name in names:  # one after the other: each checks the shared nbgrader course
            log = output_dir / f"{cohort}-replica-{name}-{os.getpid()}.log"
            proc = subprocess.Popen(
                [sys.executable, "-m", "innokraft.cli", "serve", "--port", str(ports[name]), *serve_args],
                cwd=REPO, env={**os.environ, **shared, "INNOKRAFT_HOME": str(homes[name])},
                stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
            topology.servers[name] = proc
            wait_for_port(ports[name], proc, log, seconds=240)
            wait_ready(f"http://127.0.0.1:{ports[name]}/", proc, log, seconds=240)
        cfg = tmp / "haproxy.cfg"
        cfg.write_text(HAPROXY_CFG.format(port=balancer, servers="\n".join(
            f"    server {name} 127.0.0.1:{ports[name]} check cookie {name}" for name in names)))
        haproxy_log = output_dir / f"{cohort}-haproxy.log"
        haproxy_proc = subprocess.Popen([haproxy, "-db", "-f", str(cfg)], stdout=subprocess.DEVNULL,
                                        stderr=haproxy_log.open("w"))
        wait_ready(url, haproxy_proc, haproxy_log, seconds=60)
        yield topology
    finally:
        if haproxy_proc is not None:
            haproxy_proc.terminate()
            haproxy_proc.wait(10)
        for proc in topology.servers.values():
            _end(proc)
        if own_postgres:
            postgres.remove()
