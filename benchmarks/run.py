"""`make bench`: how fast pages become interactive, what a page's kernel costs, and how long
the facilitator's collect and feedback take. Speed is measured here, never asserted in tests.

Writes test-output/bench.json and prints a summary. INNOKRAFT_BENCH_LOADS (default 10) and
INNOKRAFT_BENCH_LEARNERS (default 20) set the sizes.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

from innokraft.config import course_and_texts
from innokraft.grading import GradingCourse
from innokraft.i18n import Texts
from innokraft.settings import Settings
from innokraft.store import Store
from innokraft.submissions import submit
from tests.browser.conftest import kernel_id, start_server, stop_server, wait_interactive
from tests.conftest import CHROMIUM_ARGS, OUTPUT, chromium_path, innokraft

LOADS = int(os.environ.get("INNOKRAFT_BENCH_LOADS", "10"))
LEARNERS = int(os.environ.get("INNOKRAFT_BENCH_LEARNERS", "20"))


def kernel_rss_mb(server, kid: str) -> float | None:
    for proc in psutil.Process(server.proc.pid).children(recursive=True):
        try:
            if any(f"kernel-{kid}.json" in a for a in proc.cmdline()):
                return proc.memory_info().rss / 2**20
        except psutil.NoSuchProcess:
            continue
    return None


def bench_pages(tmp: Path) -> dict:
    server = start_server(tmp, OUTPUT, "bench")
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for name, notebook, exercises in (("start", "00_start.ipynb", 0), ("m1", "01_why_innovate.ipynb", 5)):
                link = server.page_link("demo-learner", notebook, "sv")
                times, memory = [], []
                for _ in range(LOADS):
                    page = browser.new_context().new_page()
                    started = time.monotonic()
                    page.goto(link)
                    wait_interactive(page, exercises=exercises)
                    times.append(time.monotonic() - started)
                    rss = kernel_rss_mb(server, kernel_id(page))
                    if rss:
                        memory.append(rss)
                    page.close(run_before_unload=True)
                    page.context.close()
                    time.sleep(3)  # a visitor every few seconds, so the preheated pool can refill
                results[name] = {
                    "loads": LOADS,
                    "interactive_s_median": round(statistics.median(times), 2),
                    "interactive_s_max": round(max(times), 2),
                    "kernel_rss_mb_median": round(statistics.median(memory), 1) if memory else None,
                }
            browser.close()
    finally:
        stop_server(server)
    return results


def bench_facilitator(tmp: Path) -> dict:
    os.environ["INNOKRAFT_HOME"] = str(tmp / "home")
    settings = Settings.from_env()
    course, texts = course_and_texts(settings.config_dir)
    store = Store.open(settings.db_url)
    store.upsert_learners("bench", [{"learner_id": f"l{i:03d}"} for i in range(LEARNERS)])
    grading = GradingCourse(settings, course)
    grading.prepare(texts)
    module = course.modules[0]
    for i in range(LEARNERS):
        submit(grading, store, f"l{i:03d}", module, Texts("sv", texts["sv"]),
               {r.id: f"Svar {i} på {r.id}. " * 40 for r in module.reflections})
    env = {"INNOKRAFT_HOME": str(settings.home)}
    started = time.monotonic()
    innokraft("collect", env=env)
    collect = time.monotonic() - started
    from nbgrader.api import Gradebook

    with Gradebook(grading.gradebook_url, course.id) as gb:
        for i in range(LEARNERS):
            for r in module.reflections:
                cell = gb.find_grade(r.id, module.assignment, module.assignment, f"l{i:03d}")
                cell.manual_score, cell.needs_manual_grade = r.points, False
        gb.db.commit()
    started = time.monotonic()
    innokraft("feedback", env=env)
    feedback = time.monotonic() - started
    return {"learners": LEARNERS, "collect_s": round(collect, 1), "feedback_s": round(feedback, 1)}


def main() -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        results = {"pages": bench_pages(Path(tmp) / "pages"),
                   "facilitator": bench_facilitator(Path(tmp) / "facilitator")}
    (OUTPUT / "bench.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
