"""Plain Voilà (its defaults) against `innokraft serve` on the same module notebook.

Alternating loads in fresh browsers, one run on one machine:
- time to a rendered page (every exercise on screen, the loading note gone), measured in
  the page from navigation start, with a cold cache (a new browser profile) and a warm one (a
  second visit in the same profile);
- slider -> chart: a key press on the first guess of "Myth or data?" until the chart
  changes on screen;
- unique memory (USS) of the page's kernel once the page is rendered.

Each round's browser has a new profile on disk, as a leader's own browser has: its cache is
on disk and keeps the code V8 compiled from a page's scripts. Playwright's usual contexts are
off the record (an in-memory cache that never keeps compiled code): a visitor in a private
window. INNOKRAFT_BENCH_PROFILE=private measures in those instead.

A load waits first until the server is quiet (kernel pool refilled, kernels idle) and the
machine too, so each visitor is measured as one arriving at a calm server.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from benchmarks.floor import capture, serve_page
from innokraft.core.settings import DevSettings
from tests.conftest import CHROMIUM_ARGS, REPO, chromium_path, free_port, wait_for_port

NOTEBOOK = "01_why_innovate.ipynb"
EXERCISES = 5

# Stamps window.__rendered (ms since navigation start) when every exercise is on screen.
RENDERED_PROBE = """
(() => {
  const want = EXERCISES;
  const check = () => {
    if (window.__rendered) return;
    if (document.getElementById('loading')) return;
    if (document.querySelectorAll('.innokraft-exercise').length < want) return;
    window.__rendered = performance.now();
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
})();
""".replace("EXERCISES", str(EXERCISES))

# Times a key press on the first guess until the first change inside the exercise's chart.
SLIDER_PROBE = """
() => {
  const exercise = document.querySelector('.innokraft-exercise');
  const chart = exercise.querySelector('.innokraft-chart');
  const handle = exercise.querySelector('input[type="range"], [role="slider"]');
  handle.focus();
  window.__slider = new Promise((resolve) => {
    let t0 = null;
    // Only a redrawn chart counts (page scripts that set alt or aria attributes do not).
    const ignored = new Set(['alt', 'aria-hidden', 'aria-labelledby', 'aria-label', 'role', 'tabindex']);
    const obs = new MutationObserver((records) => {
      if (t0 === null) return;
      if (records.every((r) => r.type === 'attributes' && ignored.has(r.attributeName))) return;
      obs.disconnect();
      resolve(performance.now() - t0);
    });
    obs.observe(chart, {subtree: true, childList: true, attributes: true, characterData: true});
    document.addEventListener('keydown', () => { t0 = performance.now(); }, {capture: true, once: true});
    setTimeout(() => { obs.disconnect(); resolve(null); }, 15000);
  });
}
"""


@dataclass
class Target:
    name: str
    url: str
    proc: subprocess.Popen | None  # None: the page as a file (benchmarks.floor), no kernels
    log: Path | None
    pool: int  # kernels kept warm while idle


def _kernels(proc: subprocess.Popen) -> list[psutil.Process]:
    out = []
    for child in psutil.Process(proc.pid).children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                out.append(child)
        except psutil.NoSuchProcess:
            continue
    return out


# The machine counts as quiet below this share of all its CPUs (idle here: 0–3 %).
QUIET_MACHINE_PERCENT = 10


def wait_quiet(target: Target, seconds: float = 60) -> None:
    """Until the server holds at least its pool of kernels, none of them is busy, and the
    machine is quiet: the other server (the two run side by side) and the browser have
    finished with the previous visit, which is otherwise measured in this one.

    (Plain Voilà keeps every visitor's kernel: its shutdown beacon is refused, voila#1458.)
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kernels = _kernels(target.proc) if target.proc else []
        if len(kernels) >= target.pool:
            try:
                busy = sum(k.cpu_percent(interval=None) for k in kernels)
                machine = psutil.cpu_percent(interval=0.5)
                busy = sum(k.cpu_percent(interval=None) for k in kernels)
            except psutil.NoSuchProcess:
                continue
            if busy < 5 and machine < QUIET_MACHINE_PERCENT:
                return
        else:
            time.sleep(0.3)


def kernel_uss_mb(target: Target, kid: str) -> float | None:
    for proc in _kernels(target.proc) if target.proc else ():
        try:
            if any(f"kernel-{kid}.json" in a for a in proc.cmdline()):
                return proc.memory_full_info().uss / 2**20
        except psutil.NoSuchProcess:
            continue
    return None


def start_plain_voila(tmp: Path, output: Path) -> Target:
    """Voilà as installed, with its defaults, on the same notebooks (a demo visitor)."""
    port = free_port()
    log = output / "bench-voila.log"
    env = {**os.environ, "INNOKRAFT_HOME": str(tmp / "voila-home")}
    env.pop("INNOKRAFT_DB_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
         str(REPO / "notebooks")],
        cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    wait_for_port(port, proc, log, seconds=300)
    return Target("voila", f"http://127.0.0.1:{port}/voila/render/{NOTEBOOK}", proc, log, pool=0)


def start_innokraft(tmp: Path, output: Path) -> Target:
    from tests.browser.conftest import wait_until_ready
    from tests.conftest import innokraft

    home, port = tmp / "home", free_port()
    env = {**os.environ, "INNOKRAFT_HOME": str(home), "INNOKRAFT_URL": f"http://127.0.0.1:{port}/"}
    env.pop("INNOKRAFT_DB_URL", None)
    innokraft("demo", env=env)
    link = innokraft("links", "--cohort", "demo", env=env).stdout.splitlines()[1].rsplit(",", 1)[1]
    log = output / "bench-innokraft.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "innokraft.cli", "serve", "--port", str(port)],
        cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    wait_for_port(port, proc, log, seconds=300)  # a busy machine: nbgrader's assignments first
    # Measure pages, not start-up: every pool has run its page up to the visitor's request.
    wait_until_ready(f"http://127.0.0.1:{port}/", proc, log, seconds=300)
    return Target("innokraft", link.replace("00_start.ipynb", NOTEBOOK), proc, log, pool=pool_size())


def pool_size() -> int:
    """Kernels `innokraft serve` keeps warm: what course.yaml asks for (or 1 per notebook)."""
    try:
        from innokraft.core.settings import Settings
        from innokraft.web.app import pool_sizes

        return sum(pool_sizes(Settings.from_env()).values())
    except ImportError:  # the baseline: one kernel per notebook
        return len(list((REPO / "notebooks").glob("*.ipynb")))


def stop(target: Target) -> None:
    target.proc.terminate()
    try:
        target.proc.wait(20)
    except subprocess.TimeoutExpired:
        target.proc.kill()


# Plain Voilà asks a CDN for fonts: nothing may leave the machine, and it must not hang. Every
# other host name fails at once in the browser's resolver. (Not with Playwright's routing, which
# turns the browser's HTTP cache off: every "warm" visit was a cold one, microsoft/playwright#7220.)
BROWSER_ARGS = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


# Where a cold visit's time goes (ms since navigation start): the HTML complete (the kernel has
# run the visitor's cells), then the widget bundle's marks (widgets/page_front): connecting,
# every model loaded, every widget drawn. Plain Voilà has only the first.
PHASES = """() => {
  const marks = Object.fromEntries(performance.getEntriesByType('mark')
    .filter((m) => m.name.startsWith('innokraft:')).map((m) => [m.name.slice(10), m.startTime]));
  return {html_ms: performance.getEntriesByType('navigation')[0].responseEnd,
          connect_ms: marks.connect ?? null, models_ms: marks.models ?? null, drawn_ms: marks.drawn ?? null};
}"""


def _visit(context, url: str) -> tuple[object, float]:
    page = context.new_page()
    page.add_init_script(RENDERED_PROBE)
    page.goto(url, wait_until="commit", timeout=120_000)
    # A function, not an expression: Playwright evaluates a polled expression with eval, which
    # the course pages' CSP refuses.
    page.wait_for_function("() => window.__rendered", timeout=300_000, polling=100)
    return page, page.evaluate("window.__rendered") / 1000.0


def _slider_ms(page) -> float | None:
    page.evaluate(SLIDER_PROBE)
    page.keyboard.press("ArrowRight")
    value = page.evaluate("window.__slider")  # resolves once the chart changed
    return None if value is None else float(value)


def _kernel_id(page) -> str:
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


VIEWPORT = {"width": 390, "height": 844}
PRIVATE = DevSettings.from_env().bench_profile == "private"


def _fresh_context(playwright, profiles: Path):
    """A browser that has never seen the page: a new profile on disk (see above), or a private one."""
    if PRIVATE:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
        return browser.new_context(viewport=VIEWPORT), browser.close
    profile = Path(tempfile.mkdtemp(dir=profiles))
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path=chromium_path(), args=BROWSER_ARGS, viewport=VIEWPORT)
    return context, context.close


def measure(playwright, profiles: Path, target: Target) -> dict:
    context, close = _fresh_context(playwright, profiles)
    try:
        wait_quiet(target)  # after the browser's own start
        page, cold = _visit(context, target.url)
        phases = page.evaluate(PHASES)
        page.close(run_before_unload=True)
        wait_quiet(target)
        page, warm = _visit(context, target.url)
        slider = uss = None
        if target.proc:  # the page as a file has no kernel: rendered is all it shows
            time.sleep(0.5)  # let the page settle before timing the slider
            slider = _slider_ms(page)
            uss = kernel_uss_mb(target, _kernel_id(page))
        page.close(run_before_unload=True)
    finally:
        close()  # each round's browser, also when a visit failed
    return {"cold_s": cold, "warm_s": warm, "slider_ms": slider, "kernel_uss_mb": uss,
            **{f"cold_{k}": v for k, v in phases.items()}}


def median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def bench(playwright, tmp: Path, output: Path, rounds: int) -> dict:
    targets = [start_plain_voila(tmp / "voila", output), start_innokraft(tmp / "innokraft", output)]
    # The same M1 page as innokraft serve wrote it, served whole at once: the browser's part.
    page, headers = capture(targets[1].url)
    as_file, url = serve_page(targets[1].url.split("/voila/")[0], page, headers)
    targets.append(Target("file", url, None, None, pool=0))
    samples: dict[str, list[dict]] = {t.name: [] for t in targets}
    (tmp / "profiles").mkdir()
    try:
        for i in range(rounds):
            order = targets if i % 2 == 0 else targets[::-1]
            for target in order:
                samples[target.name].append(measure(playwright, tmp / "profiles", target))
                print(f"  round {i + 1}/{rounds} {target.name}: {samples[target.name][-1]}", flush=True)
    finally:
        as_file.shutdown()
        for t in targets:
            if t.proc:
                stop(t)
    summary = {}
    for name, rows in samples.items():
        summary[name] = {key: median([r[key] for r in rows]) for key in rows[0]}
        summary[name]["loads"] = len(rows)
    return {"notebook": NOTEBOOK, "rounds": rounds, "profile": "private" if PRIVATE else "disk",
            "summary": summary, "samples": samples}
