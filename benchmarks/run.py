"""`make bench`: plain Voilà against `innokraft serve` on the M1 page (time to rendered with a
cold and a warm browser cache, slider -> chart, kernel USS), and how long the facilitator's
collect and feedback take. Speed is measured here, never asserted in tests.

Writes test-output/bench/ (bench.json, bench.md, bench.png) and prints the ratios.
INNOKRAFT_BENCH_ROUNDS (default 6) loads per server and cache state; INNOKRAFT_BENCH_PROFILE=private
measures in private browser contexts instead of new on-disk profiles; INNOKRAFT_BENCH_LEARNERS
(default 20) learners for the facilitator part; INNOKRAFT_BENCH_FACILITATOR=0 skips it.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.pages import bench
from benchmarks.phone import bench_phone
from benchmarks.report import write_report
from innokraft.core.settings import DevSettings, Settings
from innokraft.course.load import course_and_texts
from innokraft.course.texts import Texts
from innokraft.grading.course import GradingCourse
from innokraft.grading.exchange import submit
from innokraft.store.db import Store
from tests.conftest import OUTPUT, innokraft

ROUNDS = DevSettings.from_env().bench_rounds
LEARNERS = DevSettings.from_env().bench_learners


def bench_pages(tmp: Path) -> dict:
    with sync_playwright() as p:
        return bench(p, tmp, OUTPUT / "bench", ROUNDS)


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
    out = OUTPUT / "bench"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        results = {"pages": bench_pages(Path(tmp) / "pages")}
        if DevSettings.from_env().bench_facilitator:
            results["facilitator"] = bench_facilitator(Path(tmp) / "facilitator")
        results["phone"] = bench_phone(Path(tmp) / "phone")
    (out / "bench.json").write_text(json.dumps(results, indent=2))
    print(write_report(results, out))


if __name__ == "__main__":
    main()
