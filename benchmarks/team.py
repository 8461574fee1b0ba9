"""`make bench-team`: thirty team members answer a leader's team session within a minute (issue 24).

A leader's M1 page (real Chromium) opens a team session; thirty members, each a phone of its
own (its own cookie jar), load the member form and send their answers, one every two seconds
or so, all within 60 s. Measured:

- form load: the member form's GET, as a phone's browser asks for it (one request: the page
  holds its styles and no script), p50 / p95 / max, target p95 <= 0.5 s;
- send: the POST that stores the answer (the 303), p50 / p95 / max;
- aggregate delay: from the moment an answer is stored (its 303 arrived) until the leader's
  page shows that many answers, read in the leader's browser by a MutationObserver (the same
  machine's clock), for every answer and for the last one, target <= 2 s;
- the server's CPU seconds and peak memory over the minute: the `innokraft serve` processes,
  the leader's page's kernel (it asks the store every second while the session is open), and
  PostgreSQL's processes where it runs (resident memory summed over its processes: its shared
  buffers count once per backend, so an upper bound). The minute starts once the servers are
  quiet (the preheated pool refilled after the leader's visit).

Two runs: SQLite with one server; PostgreSQL with two `innokraft serve` sharing it (the leader
on one, the members on the other: the result crosses processes through the database only).

    python -m benchmarks.team [--members 30] [--seconds 60] [--only sqlite|postgresql]

Writes test-output/bench/team.json and prints a table. Speed is measured here, never asserted
in tests.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import secrets
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

from innokraft.course.load import course_and_texts
from tests.browser.conftest import kernel_id, start_server, stop_server, wait_interactive
from tests.conftest import CHROMIUM_ARGS, OUTPUT, REPO, PostgresCluster, chromium_path

COURSE, _TEXTS = course_and_texts(REPO / "course_config")
FORM = COURSE.team_sessions.find("m1.unit_barometer")
TARGET_FORM_P95_S = 0.5
TARGET_DELAY_S = 2.0
GROUPS = ("innokraft serve", "leader's kernel", "postgresql")
# Every change of the leader's team status, with the time it showed (ms since the epoch).
WATCH = """() => {
  window.__teamLog = [];
  const status = document.querySelector('.innokraft-team-status');
  const note = () => window.__teamLog.push([Date.now(), status.textContent]);
  new MutationObserver(note).observe(status, {subtree: true, childList: true, characterData: true});
}"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def member(link: str, start_at: float, n: int, out: list) -> None:
    """One phone: load the form, send the answers (the 303 says stored), load the thanks."""
    time.sleep(max(0.0, start_at - time.monotonic()))
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    headers = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) bench-team", "Accept": "text/html"}
    started = time.monotonic()
    with opener.open(urllib.request.Request(link, headers=headers), timeout=30) as response:
        page = response.read().decode()
    form_s = time.monotonic() - started
    assert response.status == 200 and "<form" in page, page[:500]
    values = {item: str((n + k) % 7 - 3) for k, item in enumerate(FORM.items)}
    body = urllib.parse.urlencode(values).encode()
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlparse(link))
    started = time.monotonic()
    try:
        opener.open(urllib.request.Request(link + "?lang=sv", data=body, headers={**headers, "Origin": origin}),
                    timeout=30)
        raise AssertionError("the form's send did not redirect")
    except urllib.error.HTTPError as exc:
        if exc.code != 303:
            raise
        stored_at = time.time()
        location = exc.headers["Location"]
    send_s = time.monotonic() - started
    with opener.open(urllib.request.Request(urllib.parse.urljoin(link, location), headers=headers),
                     timeout=30) as response:
        assert "Tack" in response.read().decode()
    out.append({"member": n, "form_s": form_s, "send_s": send_s, "stored_at": stored_at})


def postgres_processes(cluster: PostgresCluster | None) -> list[psutil.Process]:
    """The cluster's postmaster (its pid file's first line) and every backend it started."""
    if cluster is None:
        return []
    postmaster = psutil.Process(int(Path(cluster.data, "postmaster.pid").read_text().split()[0]))
    return [postmaster, *postmaster.children(recursive=True)]


def kernel_process(server, kid: str) -> psutil.Process:
    for proc in psutil.Process(server.proc.pid).children(recursive=True):
        if any(f"kernel-{kid}.json" in part for part in proc.cmdline()):
            return proc
    raise LookupError(kid)


def wait_quiet(servers, seconds: float = 90) -> None:
    """Until the servers and their kernels have used under 5 % of a core for two seconds (the
    preheated pool refilled after the leader's visit): the minute starts at a calm server."""
    deadline, quiet = time.monotonic() + seconds, 0
    while time.monotonic() < deadline and quiet < 4:
        procs = [pr for s in servers for pr in (psutil.Process(s.proc.pid),
                                                 *psutil.Process(s.proc.pid).children(recursive=True))]
        before = cpu_seconds(procs)
        time.sleep(0.5)
        used = sum(cpu_seconds(procs).get(pid, t) - t for pid, t in before.items())
        quiet = quiet + 1 if used < 0.025 else 0


def cpu_seconds(procs: list[psutil.Process]) -> dict[int, float]:
    out = {}
    for proc in procs:
        try:
            times = proc.cpu_times()
            out[proc.pid] = times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return out


class MemoryPeak(threading.Thread):
    """The peak resident memory of the server processes (and of all of them together)."""

    def __init__(self, groups: dict[str, Callable[[], list[psutil.Process]]]):
        super().__init__(daemon=True)
        self.groups, self.peaks, self.done = groups, dict.fromkeys(groups, 0.0), threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            for name, procs in self.groups.items():
                total = 0
                for proc in procs():
                    try:
                        total += proc.memory_info().rss
                    except psutil.NoSuchProcess:
                        continue
                self.peaks[name] = max(self.peaks[name], total / 2**20)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def run(kind: str, tmp: Path, members: int, seconds: float) -> dict:
    cluster = PostgresCluster() if kind == "postgresql" else None
    servers = []
    try:
        secret = secrets.token_urlsafe(48)  # one secret for every replica (design.md: serving)
        env = {"INNOKRAFT_SECRET": secret}
        servers.append(start_server(tmp / "a", OUTPUT, f"bench-team-{kind}-a", extra_env=env,
                                    db_url=cluster.url if cluster else None))
        if cluster is not None:
            servers.append(start_server(tmp / "b", OUTPUT, f"bench-team-{kind}-b", extra_env=env, db_url=cluster.url))
        leader_server, member_server = servers[0], servers[-1]
        leader_server.add_learner("bench-leader", lang="sv")
        leader_server.store.save_answer("bench-leader", "m1.unit_barometer", {"time": 1})
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.set_default_timeout(180_000)
            page.goto(leader_server.page_link("bench-leader", "01_why_innovate.ipynb", "sv"))
            wait_interactive(page, exercises=3, timeout_ms=180_000)
            team = page.locator(".innokraft-team")
            team.get_by_role("button", name="Öppna en teamsession").click()
            team.locator(".innokraft-team-link a").wait_for()
            link = team.locator(".innokraft-team-link a").get_attribute("href")
            link = link.replace(leader_server.url, member_server.url)  # the members use the other replica
            page.evaluate(WATCH)
            kernel = kernel_process(leader_server, kernel_id(page))
            wait_quiet(servers)
            # Each group as it is at that moment: PostgreSQL starts a backend for each new connection.
            serve = [psutil.Process(s.proc.pid) for s in servers]
            groups = {"innokraft serve": lambda: serve, "leader's kernel": lambda: [kernel],
                      "postgresql": lambda: postgres_processes(cluster)}
            peak = MemoryPeak(groups)
            before = {name: cpu_seconds(group()) for name, group in groups.items()}
            peak.start()
            results: list[dict] = []
            begin = time.monotonic()
            spacing = (seconds - 2) / members
            threads = [threading.Thread(target=member, args=(link, begin + n * spacing, n, results))
                       for n in range(members)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            all_in = time.monotonic() - begin
            page.wait_for_function(f"() => /^{members} svar/.test("
                                   "document.querySelector('.innokraft-team-status').textContent.trim())",
                                   timeout=60_000)
            peak.done.set()
            peak.join()
            after = {name: cpu_seconds(group()) for name, group in groups.items()}
            log = page.evaluate("window.__teamLog")
            browser.close()
        assert len(results) == members, f"{members - len(results)} members failed"
        shown = [(at / 1000, int(re.search(r"\d+", text).group())) for at, text in log if re.search(r"\d+", text)]
        delays = []
        for count, r in enumerate(sorted(results, key=lambda r: r["stored_at"]), start=1):
            first = next(at for at, seen in shown if seen >= count)
            delays.append(max(0.0, first - r["stored_at"]))
        # A process that began meanwhile counts from its start; one that ended, until its last reading.
        cpu = {name: round(sum(t - before[name].get(pid, 0.0) for pid, t in after[name].items()), 2)
               for name in groups if after[name]}
        form = [r["form_s"] for r in results]
        send = [r["send_s"] for r in results]
        return {
            "store": kind, "servers": len(servers), "members": members, "answered_within_s": round(all_in, 1),
            "form_load_s": {"p50": round(statistics.median(form), 3), "p95": round(pct(form, 95), 3),
                            "max": round(max(form), 3)},
            "send_s": {"p50": round(statistics.median(send), 3), "p95": round(pct(send, 95), 3),
                       "max": round(max(send), 3)},
            "aggregate_delay_s": {"last_answer": round(delays[-1], 2), "p95": round(pct(delays, 95), 2),
                                  "max": round(max(delays), 2)},
            "cpu_s": cpu, "cpu_share_of_one_core": {k: round(v / all_in, 3) for k, v in cpu.items()},
            "peak_rss_mb": {k: round(v, 1) for k, v in peak.peaks.items() if v},
            "meets_targets": pct(form, 95) <= TARGET_FORM_P95_S and max(delays) <= TARGET_DELAY_S,
        }
    finally:
        for server in servers:
            stop_server(server)
        if cluster is not None:
            cluster.remove()


def table(results: list[dict]) -> str:
    lines = ["| store | servers | form load p50 / p95 / max (s) | send p95 (s) | aggregate delay last / p95 / max (s) "
             "| CPU s (serve, leader's kernel, PostgreSQL) | peak RSS MB (the same) | targets |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        f, d = r["form_load_s"], r["aggregate_delay_s"]
        cpu = ", ".join(str(r["cpu_s"].get(k, "–")) for k in GROUPS)
        mem = ", ".join(str(r["peak_rss_mb"].get(k, "–")) for k in GROUPS)
        lines.append(f"| {r['store']} | {r['servers']} | {f['p50']} / {f['p95']} / {f['max']} | {r['send_s']['p95']} "
                     f"| {d['last_answer']} / {d['p95']} / {d['max']} | {cpu} | {mem} | "
                     f"{'met' if r['meets_targets'] else 'MISSED'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    out = OUTPUT / "bench"
    out.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for kind in [args.only] if args.only else ["sqlite", "postgresql"]:
            results.append(run(kind, Path(folder) / kind, args.members, args.seconds))
    (out / "team.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
