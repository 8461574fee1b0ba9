"""`make load`: many leaders open their personal links at once, at the protocol level.

    python -m benchmarks.load --profile burst --leaders 100 --within 120

Starts `innokraft serve` on a fresh INNOKRAFT_HOME with a cohort imported for the run (with
--replicas 2, two of them on one PostgreSQL behind HAProxy; with --url and --links, loads a
server already running), lets the leaders (benchmarks.leaders) arrive on the chosen profile,
and samples the servers' and their kernels' unique memory (USS) and CPU meanwhile (psutil).
Writes test-output/load/<name>.json, .md and .png and prints a summary.

Arrival profiles (every leader arrives within --within seconds):
- steady: evenly spaced (100 in 120 s: one every 1.2 s);
- burst: as after one e-mail to everyone: most arrive in the first half minute (an
  exponential curve with a quarter of --within as its mean, cut at --within), seeded.

Bounded: loopback addresses only, --leaders visits, and the run ends by itself after the last
arrival plus --hold seconds (or --max-seconds).
"""

from __future__ import annotations

# isort: off
import locust  # noqa: F401 - first: gevent patches the standard library before anything uses it
# isort: on

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import gevent
import psutil
from locust import LoadTestShape
from locust.env import Environment

from benchmarks import leaders
from benchmarks.load_report import summarize, write_report
from innokraft.core.settings import DevSettings

REPO = Path(__file__).resolve().parents[1]
PAGE = "01_why_innovate.ipynb"
ANSWER_KEY = "m1.three_n"  # the exercise whose radio buttons a leader answers (course_config/exercises/m1.yaml)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def arrivals(profile: str, count: int, within: float, seed: int = 25) -> list[float]:
    """When each leader arrives, seconds from the start, sorted."""
    if profile == "steady":
        return [i * within / count for i in range(count)]
    if profile == "burst":
        rng = random.Random(seed)
        mean = within / 4
        times = []
        while len(times) < count:
            t = rng.expovariate(1 / mean)
            if t <= within:
                times.append(t)
        return sorted(times)
    raise ValueError(f"unknown profile {profile!r}: steady or burst")


class Arrivals(LoadTestShape):
    """Leaders on the run's schedule (one more as each arrival time passes), then held until the end."""

    schedule: list[float] = []
    run_seconds = 0.0

    def tick(self):
        now = self.get_run_time()
        if now > self.run_seconds:
            return None
        return sum(1 for t in self.schedule if t <= now), 100


# -- what the run measures on the server -----------------------------------------------------------
class Sampler:
    """CPU (every second) and USS (every few seconds) of the servers and their kernels."""

    def __init__(self, roots: list[int], uss_every: float = 5.0):
        self.roots = roots
        self.uss_every = uss_every
        self.samples: list[dict] = []
        self.cpu_seen: dict[int, float] = {}
        self.cpu_server = self.cpu_kernels = 0.0
        self._procs: dict[int, psutil.Process] = {}

    def _tree(self) -> tuple[list[psutil.Process], list[psutil.Process]]:
        servers, kernels = [], []
        for pid in self.roots:
            try:
                root = psutil.Process(pid)
                servers.append(root)
                kernels += root.children(recursive=True)
            except psutil.NoSuchProcess:
                continue
        return servers, kernels

    def _cpu(self, proc: psutil.Process) -> float:
        """CPU seconds of proc since last seen (kept per pid: a kernel that ends keeps what it used)."""
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            return 0.0
        total = times.user + times.system
        delta = total - self.cpu_seen.get(proc.pid, 0.0)
        self.cpu_seen[proc.pid] = total
        return max(delta, 0.0)

    @staticmethod
    def _uss(procs: list[psutil.Process]) -> tuple[float, int]:
        total, count = 0.0, 0
        for proc in procs:
            try:
                total += proc.memory_full_info().uss / 2**20
                count += 1
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return total, count

    def sample(self, t: float, active: int, with_uss: bool) -> None:
        servers, kernels = self._tree()
        self.cpu_server += sum(self._cpu(p) for p in servers)
        self.cpu_kernels += sum(self._cpu(p) for p in kernels)
        row = {"t": round(t, 2), "cpu_server_s": round(self.cpu_server, 2), "cpu_kernels_s": round(self.cpu_kernels, 2),
               "kernels": len(kernels), "active_leaders": active,
               "machine_cpu_percent": psutil.cpu_percent(interval=None)}
        if with_uss:
            row["uss_server_mb"], _ = self._uss(servers)
            row["uss_kernels_mb"], _ = self._uss(kernels)
        self.samples.append(row)

    def run(self, started: float, until: float, active) -> None:
        last_uss = -1e9
        psutil.cpu_percent(interval=None)
        while time.monotonic() < until:
            now = time.monotonic()
            with_uss = now - last_uss >= self.uss_every
            if with_uss:
                last_uss = now
            self.sample(now - started, active(), with_uss)
            gevent.sleep(1.0)


# -- the server of a run of its own ---------------------------------------------------------------
def innokraft(*args: str, env: dict) -> str:
    return subprocess.run([sys.executable, "-m", "innokraft.cli", *args], cwd=REPO, env=env, check=True,
                          capture_output=True, text=True).stdout


def cohort_links(env: dict, count: int, base_url: str, cohort: str = "load") -> list[tuple[str, str]]:
    """A cohort of `count` leaders imported for the run; their personal links, as `innokraft links` gives them."""
    home = Path(env["INNOKRAFT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    roster = home / "load-roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["learner_id", "name", "email", "lang"])
        for i in range(count):
            writer.writerow([f"leader-{i:03d}", f"Chef {i:03d}", "", "sv"])
    innokraft("cohort", "import", str(roster), "--cohort", cohort, env=env)
    out = innokraft("links", "--cohort", cohort, "--base-url", base_url, env=env)
    return [(row["learner_id"], row["url"]) for row in csv.DictReader(out.splitlines())]


def start_server(home: Path, port: int, log: Path, extra_env: dict | None = None,
                 serve_args: tuple[str, ...] = ()) -> subprocess.Popen:
    env = {**os.environ, "INNOKRAFT_HOME": str(home), "INNOKRAFT_URL": f"http://127.0.0.1:{port}/",
           **(extra_env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "innokraft.cli", "serve", "--port", str(port), *serve_args],
                            cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    wait_ready(f"http://127.0.0.1:{port}/", proc, log)
    return proc


def wait_ready(url: str, proc: subprocess.Popen | None, log: Path | None, seconds: float = 300) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text() if log else ''}")
        try:
            if requests.get(url + "innokraft/ready", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        gevent.sleep(0.5)
    raise RuntimeError(f"{url} was not ready within {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the run ------------------------------------------------------------------------------------------
def run(links: list[tuple[str, str]], roots: list[int], args) -> dict:
    """The leaders arrive on `links` ((learner id, link) each); the servers `roots` (pids) are
    sampled. Returns the summary."""
    for _learner, link in links:
        host = urllib.parse.urlsplit(link).hostname
        if host not in LOOPBACK:
            raise SystemExit(f"the load goes to this machine's loopback only, not {host}")
    schedule = arrivals(args.profile, args.leaders, args.within, args.seed)
    run_seconds = min(schedule[-1] + args.hold, args.max_seconds)
    started = time.monotonic()
    leaders.STARTED[0] = started
    leaders.RESULTS.clear()
    leaders._ASSIGNED[0] = 0
    leaders.PLAN = leaders.Plan(links=[(who, link.replace("00_start.ipynb", args.page)) for who, link in links],
                                answer_key=args.answer, stay_share=args.stay, words=args.words,
                                run_until=started + run_seconds, reload_when_lost=args.reload_when_lost,
                                seed=args.seed)
    Arrivals.schedule, Arrivals.run_seconds = schedule, run_seconds
    env = Environment(user_classes=[leaders.Leader], shape_class=Arrivals())
    runner = env.create_local_runner()
    sampler = Sampler(roots)

    def active() -> int:
        return sum(1 for v in leaders.RESULTS if v.page_open)

    sampling = gevent.spawn(sampler.run, started, started + run_seconds + 5, active)
    runner.start_shape()
    runner.shape_greenlet.join()
    gevent.sleep(1)
    runner.quit()
    sampling.kill()
    sampler.sample(time.monotonic() - started, active(), with_uss=True)
    return summarize(args, schedule, leaders.RESULTS, sampler.samples, time.monotonic() - started)


def parse_args(argv: list[str] | None = None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n\n")[0])
    p.add_argument("--profile", choices=("steady", "burst"), default="burst")
    p.add_argument("--leaders", type=int, default=100)
    p.add_argument("--within", type=float, default=120.0, help="every leader arrives within this many seconds")
    p.add_argument("--hold", type=float, default=30.0, help="seconds the run goes on after the last arrival")
    p.add_argument("--max-seconds", type=float, default=600.0, help="the run ends by then, whatever happens")
    p.add_argument("--stay", type=float, default=0.8, help="share of leaders who keep their page open")
    p.add_argument("--words", type=int, default=6, help="words typed into the reflection, a change each")
    p.add_argument("--page", default=PAGE)
    p.add_argument("--answer", default=ANSWER_KEY)
    p.add_argument("--seed", type=int, default=25)
    p.add_argument("--name", help="the report's file name (default: the profile)")
    p.add_argument("--url", help="load this running server (or balancer) instead of starting one")
    p.add_argument("--links", help="with --url: a CSV of personal links (`innokraft links`)")
    p.add_argument("--pids", default="", help="with --url: the server processes to sample, comma-separated")
    p.add_argument("--replicas", type=int, default=1,
                   help="2 or more: that many servers on one PostgreSQL behind HAProxy (tests/helpers/replicas.py)")
    p.add_argument("--reload-when-lost", action="store_true",
                   help="a page whose connection is lost reloads (replicas behind a balancer)")
    p.add_argument("--serve-arg", action="append", default=[], help="passed to `innokraft serve` (repeatable)")
    p.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server (repeatable)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_before = os.getloadavg()  # other work on the machine: it shares the two cores with the run
    output = DevSettings.from_env().test_output / "load"
    output.mkdir(parents=True, exist_ok=True)
    name = args.name or args.profile
    if args.url:
        with open(args.links, encoding="utf-8-sig") as fh:
            links = [(row["learner_id"], row["url"]) for row in csv.DictReader(fh)]
        roots = [int(p) for p in args.pids.split(",") if p]
        summary = run(links, roots, args)
    elif args.replicas > 1:
        from tests.helpers.replicas import replicas

        tmp = Path(tempfile.mkdtemp(prefix="innokraft-load-"))
        names = tuple(chr(ord("a") + i) for i in range(args.replicas))
        try:
            with replicas(tmp, output, args.leaders, names=names, cohort=name,
                          serve_args=tuple(args.serve_arg)) as topology:
                with open(topology.links, encoding="utf-8") as fh:
                    links = [(row["learner_id"], row["url"]) for row in csv.DictReader(fh)]
                gevent.sleep(5)  # the pools have filled: let the machine settle before the first arrival
                summary = run(links, topology.pids(), args)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="innokraft-load-"))
        port = free_port()
        env = {**os.environ, "INNOKRAFT_HOME": str(tmp / "home"), "INNOKRAFT_URL": f"http://127.0.0.1:{port}/",
               **dict(e.split("=", 1) for e in args.env)}
        env.pop("INNOKRAFT_DB_URL", None)
        links = cohort_links(env, args.leaders, f"http://127.0.0.1:{port}/")
        proc = start_server(tmp / "home", port, output / f"{name}-serve.log",
                            dict(e.split("=", 1) for e in args.env), tuple(args.serve_arg))
        try:
            gevent.sleep(5)  # the pools have filled: let the machine settle before the first arrival
            summary = run(links, [proc.pid], args)
        finally:
            stop(proc)
            shutil.rmtree(tmp, ignore_errors=True)
    summary["load_average_before"] = load_before
    write_report(output, name, summary)
    print(summary["text"])
    return 0 if summary["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
