"""A part of a page that cannot be shown takes nothing else with it: an answer saved in a shape
the exercise no longer reads (as after a course update) makes M1's hook fail as the page opens.
The page says so calmly in its place, in the learner's language, and the quiz, the reflections
and the footer below it still work; the server's log names the part and the learner's
pseudonym, never their link or id."""

from __future__ import annotations

from innokraft.course.load import course_and_texts
from tests.browser.conftest import poll, returning_page, wait_interactive, wait_still
from tests.conftest import REPO
from tests.helpers.answering import answer_quiz

COURSE, TEXTS = course_and_texts(REPO / "course_config")
LEARNER = "broken-part"


def test_a_part_that_fails_leaves_the_rest_of_the_page_working(server, tabs):
    server.add_learner(LEARNER)
    server.store.save_answer(LEARNER, "m1.myth_or_data", "an answer saved in another shape")
    t = TEXTS["sv"]
    page = returning_page(tabs, server.url, {"width": 390, "height": 844})
    page.goto(server.page_link(LEARNER, "01_why_innovate.ipynb", "sv"))
    wait_interactive(page, exercises=3)
    wait_still(page)
    failed = page.locator(".innokraft-part-error")
    assert failed.count() == 1 and t["ui.part_error.title"] in failed.inner_text()
    assert page.locator(".innokraft-exercise.innokraft-key-m1\\.myth_or_data").count() == 0
    # Below it: the quiz answers and saves, a reflection saves, the footer is there.
    m1 = COURSE.modules[0]
    item = m1.quiz[0]
    answer_quiz(page, t[f"m1.quiz.{item.id}.question"], t[f"m1.quiz.{item.id}.options.{item.correct}"],
                t["ui.quiz.check"])
    page.get_by_label(t["ui.reflection.answer_label"].format(number=1)).fill("Vi provade ett nytt intag.")
    assert poll(lambda: "m1.quiz" in server.store.answers(LEARNER)
                and server.store.answers(LEARNER).get("m1.reflection.latest_change", {}).get("text"))
    assert page.locator(".innokraft-footer").count() == 1
    page.close()
    # The broken answer is still there, untouched: nothing of the learner's was lost.
    assert server.store.answers(LEARNER)["m1.myth_or_data"] == "an answer saved in another shape"
    log = server.log.read_text()
    assert "part MythOrData could not be shown for " in log
    line = next(ln for ln in log.splitlines() if "part MythOrData could not be shown for " in ln)
    assert LEARNER not in line and "t=" not in line
