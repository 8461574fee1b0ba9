"""One cohort through M1 and the whole grading loop, shared by the dashboard's and the feedback
loop's tests (one server, one nbgrader flow, instead of one each): six leaders answer M1's quiz
and pulse, three hand in their reflections (anna and bert in real browsers, with an answer
holding script and Markdown; cissi through the learner service). Formgrader runs beside the
course (`innokraft lab`, as a session runs it); before `collect` the facilitator's dashboard and
`innokraft status` are read as they were then. The facilitator collects, grades anna and bert
and half of cissi's (through the Gradebook API, as formgrader does) and releases feedback.

The tests that use it are in one file (tests/facilitator/test_graded_cohort.py): under
`--dist loadfile` one worker builds it, once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from nbgrader.api import Gradebook

from innokraft.course.load import course_and_texts
from tests.helpers.answering import answer_quiz, choose
from tests.helpers.learners import Cohort
from tests.helpers.paths import REPO

COURSE, TEXTS = course_and_texts(REPO / "course_config")
M1 = COURSE.modules[0]

XSS = ("Vi provade <script>window.__xss='script'</script> och "
       "<img src=x onerror=\"window.__xss='img'\"> samt [länken](javascript:window.__xss='link') "
       "med **markdown**.\nNy rad.")
ANNA = [XSS, "Vi inför en stående punkt om tester på varje APT från och med vecka 3."]
BERT = ["We started a weekly test slot for the care team.", "I will protect Friday mornings."]
GRADES = {"anna": ((4, "Tydlig beskrivning; utveckla hindret."), (3, "Bra åtgärd.")),
          "bert": ((5, "Excellent, concrete."), (5, "Clear action <b>plan</b>.")),
          "cissi": ((3, "Konkret."), (0, ""))}  # only the first is graded: cissi stays partly graded
IN_THE_BROWSER = ("anna", "bert")
# who, language, quiz answers right?, hands in reflections
COHORT = [("anna", "sv", True, ANNA), ("bert", "en", False, BERT), ("cissi", "sv", True, ANNA[1:] * 2),
          ("david", "en", True, None), ("eva", "sv", False, None), ("fredrik", "en", True, None)]


def new_page(tabs, url: str, viewport: dict | None = None):
    """A page for url's server in Chromium's own profile (tests/browser/conftest.py:
    returning_page), with patient timeouts: six learners and nbgrader share two busy cores."""
    from tests.browser.conftest import returning_page

    page = returning_page(tabs, url, viewport)
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(180_000)
    return page


def work_through_m1(page, lang: str, right: bool, pulse: tuple[int, int, int]) -> None:
    t = TEXTS[lang]
    for item in M1.quiz:
        options = [t[f"m1.quiz.{item.id}.options.{i}"] for i in range(item.options)]
        choice = item.correct if right else (item.correct + 1) % item.options
        answer_quiz(page, t[f"m1.quiz.{item.id}.question"], options[choice], t["ui.quiz.check"])
    for item, choice in zip(COURSE.evaluation.pulse, pulse, strict=True):
        choose(page, t[f"evaluation.pulse.{item.id}.question"], t[f"evaluation.pulse.{item.id}.options.{choice}"])
    page.locator(".innokraft-pulse .innokraft-thanks").wait_for()


def grade(home, learner: str, questions: int = 2) -> None:
    """What formgrader does when a facilitator types a score and a comment (on the first `questions`)."""
    with Gradebook(f"sqlite:///{home / 'nbgrader' / 'course' / 'gradebook.db'}", "innokraft") as gb:
        for reflection_id, (score, comment) in list(zip(("latest_change", "weekly_routines"), GRADES[learner],
                                                        strict=True))[:questions]:
            cell = gb.find_grade(reflection_id, "m1", "m1", learner)
            cell.manual_score = score
            cell.needs_manual_grade = False
            gb.find_comment(reflection_id, "m1", "m1", learner).manual_comment = comment
        gb.db.commit()


def start_formgrader(server, output_dir) -> tuple[subprocess.Popen, int]:
    """`innokraft lab` on a port of its own, as `innokraft session` starts it beside the course."""
    from tests.conftest import free_port

    port = free_port()
    log = output_dir / f"formgrader-cohort-{os.getpid()}.log"
    proc = subprocess.Popen([sys.executable, "-m", "innokraft.cli", "lab", "--port", str(port)],
                            env={**os.environ, **server.env}, stdout=log.open("a"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    return proc, port


def dashboard_as_it_is(server, tabs, lang: str = "sv") -> dict:
    """The dashboard's waiting section (its words, its formgrader link) and `innokraft status`, now."""
    link = server.cli("facilitator-link", "--cohort", "hbg", "--lang", lang).stdout.strip().splitlines()[-1]
    page = new_page(tabs, link, viewport={"width": 1280, "height": 900})
    page.goto(link)
    page.locator(".innokraft-dash-downloads").wait_for(timeout=180_000)
    page.wait_for_selector("#loading", state="detached")
    waiting = page.locator(".innokraft-dash-waiting")
    rows = waiting.locator("tbody tr")
    seen = {"text": waiting.inner_text(),
            "links": [a.get_attribute("href") for a in waiting.get_by_role("link").all()],
            "rows": [[c.strip() for c in rows.nth(i).locator("th, td").all_text_contents()]
                     for i in range(rows.count())],
            "status": server.cli("status", "--cohort", "hbg", "--lang", lang).stdout,
            "status_json": server.cli("status", "--cohort", "hbg", "--json").stdout}
    page.close()
    return seen


@pytest.fixture(scope="session")
def graded_cohort(tmp_path_factory, output_dir, tabs):
    from tests.browser.conftest import hand_in, start_server, stop_server, wait_interactive
    from tests.conftest import wait_for_port

    server = start_server(tmp_path_factory.mktemp("cohort"), output_dir, "cohort", wait=180)
    formgrader, formgrader_port = start_formgrader(server, output_dir)  # starts while learners work
    try:
        roster = tmp_path_factory.mktemp("roster") / "roster.csv"
        roster.write_text("learner_id,name,email,lang\n" + "".join(
            f"{who},{who.capitalize()} Testsson,{who}@example.se,{lang}\n" for who, lang, *_ in COHORT))
        server.cli("cohort", "import", str(roster), "--cohort", "hbg")
        links = {who: server.page_link(who, M1.notebook, lang, cohort="hbg") for who, lang, *_ in COHORT}
        cohort = Cohort(server.settings)
        for n, (who, lang, right, reflections) in enumerate(COHORT):
            pulse = (4 - n % 3, 3, n % 3)
            if who not in IN_THE_BROWSER:
                cohort.open(who, M1.id, lang)
                cohort.quiz(who, M1.id, cohort.right_or_wrong(M1.id, right))
                cohort.pulse(who, M1.id, pulse)
                if reflections:
                    cohort.reflections(who, M1.id, reflections, lang)
                continue
            t = TEXTS[lang]
            page = new_page(tabs, links[who])
            page.goto(links[who])
            wait_interactive(page, timeout_ms=180_000)
            work_through_m1(page, lang, right, pulse)
            for number, text in enumerate(reflections, start=1):
                page.get_by_label(t["ui.reflection.answer_label"].format(number=number)).fill(text)
            page.locator(".innokraft-reflections .innokraft-save-saved").nth(len(reflections) - 1).wait_for()
            hand_in(page, lang)
            page.locator(".innokraft-save-saving").first.wait_for(state="detached")
            page.close()
        inbound = server.home / "nbgrader" / "exchange" / "innokraft" / "inbound"
        submitted = sorted(p.name for p in inbound.iterdir())
        wait_for_port(formgrader_port, formgrader, output_dir / f"formgrader-cohort-{os.getpid()}.log")
        before_collect = dashboard_as_it_is(server, tabs)
        times = {}
        started = time.monotonic()
        collect = server.cli("collect")
        times["collect"] = time.monotonic() - started
        for who in ("anna", "bert"):
            grade(server.home, who)
        grade(server.home, "cissi", questions=1)
        started = time.monotonic()
        feedback = server.cli("feedback")
        times["feedback"] = time.monotonic() - started
        (output_dir / "facilitator-times.txt").write_text(
            "".join(f"innokraft {k} (3 learners, whole command): {v:.1f}s\n" for k, v in times.items())
            + collect.stdout + feedback.stdout)
        yield {"server": server, "links": links, "submitted": submitted, "collect": collect,
               "feedback": feedback, "before_collect": before_collect, "formgrader_port": formgrader_port}
    finally:
        stop_server(server)
        os.killpg(formgrader.pid, signal.SIGTERM)
        try:
            formgrader.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(formgrader.pid, signal.SIGKILL)
            formgrader.wait()
