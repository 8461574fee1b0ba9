"""A module a leader can finish between meetings (issue 22): the start page's one action is on its
first screen, a started module opens at its first unfinished step, and the language switch keeps
the step. (No step longer than five phone screens: test_every_page.py.)"""

from __future__ import annotations

import pytest

from innokraft.course.load import course_and_texts
from tests.browser.conftest import wait_interactive, wait_still
from tests.conftest import REPO
from tests.helpers.learners import Cohort

COURSE, TEXTS = course_and_texts(REPO / "course_config")
PHONE = {"width": 390, "height": 844}


def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(90_000)
    return context, context.new_page()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_start_pages_one_action_is_on_its_first_screen(server, browser, lang):
    context, page = phone(browser)
    who = f"steps-start-{lang}"
    server.add_learner(who, lang=lang)
    page.goto(server.page_link(who, COURSE.start_notebook, lang))
    wait_interactive(page)
    wait_still(page)
    action = page.locator(".innokraft-next a.innokraft-primary")
    assert action.count() == 1
    box = action.bounding_box()
    assert box["y"] + box["height"] <= 600, box
    # Before the baseline: the action leads to it, the first thing due.
    assert action.inner_text() == TEXTS[lang]["start.next.baseline"]
    action.click()
    page.wait_for_function("() => location.hash === '#due-pre-skills'")
    assert page.locator("#due-pre-skills").bounding_box()["y"] < 100
    # Every module's button, and the wrap-up's after them, says what it does for this leader: nothing
    # begun yet.
    buttons = page.locator(".innokraft-module .innokraft-open")
    assert buttons.count() == len(COURSE.modules) + 1
    for i in range(len(COURSE.modules)):
        assert buttons.nth(i).inner_text().startswith(TEXTS[lang]["ui.open_module.not_started"])
    assert buttons.last.inner_text().startswith(TEXTS[lang]["start.wrapup.open.not_started"])
    context.close()


def test_a_started_module_opens_at_its_first_unfinished_step_and_the_start_page_continues(server, browser):
    who, lang = "steps-resume", "sv"
    server.add_learner(who, lang=lang)
    cohort = Cohort(server.settings)
    m1 = COURSE.modules[0]
    # Steps 1 (the prediction), 2 (to read) and 3 (the sorter) done; step 4 (the barometer) next.
    cohort.call(who, "done", page="m1", item="myth_or_data")
    cohort.call(who, "done", page="m1", item="three_n")
    context, page = phone(browser)
    page.goto(server.page_link(who, COURSE.start_notebook, lang))
    wait_interactive(page)
    action = page.locator(".innokraft-next a.innokraft-primary")
    # The baseline is due first; once answered the start page leads on to the module.
    assert action.inner_text() == TEXTS[lang]["start.next.baseline"]
    cohort.call(who, "save", key="eval.pre.skills", value={"now": {s: 3 for s in COURSE.evaluation.skills}})
    page.reload()
    wait_interactive(page)
    expected = TEXTS[lang]["start.next.continue"].format(number=1, module=m1.title[lang])
    assert action.inner_text() == expected
    assert page.locator(".innokraft-module[data-module=m1] .innokraft-open").inner_text().startswith(
        TEXTS[lang]["ui.open_module.in_progress"])
    action.click()
    page.wait_for_url("**/01_why_innovate.ipynb*")
    wait_interactive(page, exercises=3)
    wait_still(page)
    states = page.locator(".innokraft-steps li").evaluate_all("(items) => items.map(i => i.dataset.state)")
    assert states[:4] == ["done", "done", "done", "todo"], states
    head = page.locator("#steg-4-h").bounding_box()
    assert 0 <= head["y"] < 120, head  # the unfinished step at the top of the screen
    assert page.locator(".innokraft-resume").inner_text() == TEXTS[lang]["ui.steps.resume"].format(
        number=4, step=TEXTS[lang]["parts.steps.your_unit"])

    # The language switch, up at the top, opens the other language at the step the leader last
    # worked in (a question of the quiz, step 5).
    page.locator("#steg-5 input[type=radio]").first.focus()
    page.locator("a.innokraft-lang").click()
    page.wait_for_url("**lang=en#steg-5")
    wait_interactive(page, exercises=3)
    wait_still(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert -2 <= page.locator("#steg-5-h").bounding_box()["y"] < 120
    context.close()
