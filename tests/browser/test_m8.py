"""M8 in a real browser against the shared `innokraft serve`, in one page load and one reload: a
leader whose initiative was named in M1 (saved through the learner service) finds it on M8's page
and in the mandate matrix, makes the hook's locked guess by keyboard, fills the whole matrix by
keyboard alone (Tab into each radio group, Space, the arrow keys), changes two choices by mouse,
and gets back the escalation distance and its weeks as widgets/compute/mandate.py computes them.
After a reload the matrix and the locked guess are as they were, and the effect goal and the
capability profile (saved through the learner service) show how far the goal has come and the
weakest block. The answered page has no axe-core violations at desktop and 390×844 and does not
scroll sideways. (The untouched page in both languages: test_accessibility.py and
test_charts_read.py.)"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from innokraft.course.load import course_and_texts, exercise_data
from innokraft.course.model import THREAD_KEY
from tests.browser.a11y import check_layout
from tests.browser.conftest import initiative_heading, module_parts, open_module, poll, wait_interactive, wait_still
from tests.conftest import REPO
from tests.helpers.keyboard import choose_by_keyboard, guess_by_keyboard
from tests.helpers.learners import Cohort
from widgets.compute import mandate as md
from widgets.compute.models import approval_levels
from widgets.numbers import fmt

COURSE, TEXTS = course_and_texts(REPO / "course_config")
M8 = COURSE.module("m8")
# The exercises on the page: the retrieval quiz, M8's two, the initiative, the quiz, two reflections.
INITIATIVE = "Digital signering av läkemedel i hemtjänsten"
WAITS = md.level_waits(*approval_levels(exercise_data(REPO / "course_config", "m8", "approval_wait")["values"]))
KINDS = {"today": (*md.LEVELS, md.DONT_KNOW), "should": md.LEVELS}
# design-m8.md's worked example, typed by keyboard; then two choices changed by mouse.
TODAY = dict(zip(md.DECISIONS, ["management", "management", "committee", "committee", "committee"], strict=True))
OUGHT = dict(zip(md.DECISIONS, ["team", "unit_manager", "unit_manager", "unit_manager", "committee"], strict=True))
BY_MOUSE = {("today", "start_test"): md.DONT_KNOW, ("should", "scale_up"): "management"}
PROFILE = dict(zip(md.ITEMS, [4, 3, 2, 2, 3, 4, 2, 3], strict=True))
GOAL = {"goal": "Brukarna möter färre olika medarbetare per vecka", "kind": "effect", "indicator": "Planeringen",
        "baseline": "14", "target": "9", "latest": "11", "owner": "Enhetschefen", "measure_on": "2027-03-01"}


def said(t: dict, today: dict, ought: dict) -> str:
    """The summary's first sentence as the page should put it, from the computation itself."""
    r = md.mandate(today, ought, WAITS)
    return t["m8.mandate_matrix.summary"].split("**")[1].replace("{escalation}", fmt(r.escalation, "sv"))


def test_m8_mandate_matrix_by_keyboard_and_mouse_is_kept_after_a_reload(server, tabs, shots):
    who, t = "m8-keyboard", TEXTS["sv"]
    server.add_learner(who, lang="sv")
    cohort = Cohort(server.settings)
    cohort.call(who, "save", key=THREAD_KEY, value={"text": INITIATIVE, "module": "m1", "on": "2026-11-02",
                                                    "history": []})
    # The capability profile as its widget saves it, so that the answered page shows its chart too.
    cohort.call(who, "save", key="m8.capability_profile", value={"ratings": PROFILE})
    cohort.call(who, "save", key="m8.benefit_map", value=GOAL)
    page = open_module(server, tabs, who, M8)

    # The hook: a guess typed into an empty box and shown with Enter, then locked.
    hook = page.locator(".innokraft-key-m8\\.approval_wait")
    guess = hook.get_by_role("textbox", name=re.compile("Hur många veckor"))
    guess_by_keyboard(page, hook, guess, "3", t["m8.approval_wait.reveal"])
    hook.get_by_text("Du gissade 3 veckor, men det blir i genomsnitt 6,5 veckor.").wait_for()
    expect(guess).to_be_disabled()

    # The initiative from M1 heads the step, and the matrix asks about it.
    assert initiative_heading(page) == INITIATIVE
    matrix = page.locator(".innokraft-key-m8\\.mandate_matrix")
    assert f"”{INITIATIVE}”" in matrix.inner_text()
    chart = matrix.locator("svg.ik-chart")
    assert chart.count() == 0 or not chart.is_visible()

    # Every choice by keyboard alone: Tab into each group, Space on its first option, arrows on.
    for d in md.DECISIONS:
        for kind, chosen in (("today", TODAY[d]), ("should", OUGHT[d])):
            group = matrix.locator(f'fieldset[data-decision="{d}"][data-kind="{kind}"]')
            choose_by_keyboard(page, group, KINDS[kind].index(chosen))
    summary = matrix.get_by_text(said(t, TODAY, OUGHT))
    summary.wait_for()
    matrix.get_by_text("Ett test kan börja efter i genomsnitt 6,5 veckor i dag och efter 0,5 veckor").wait_for()
    assert poll(lambda: server.store.answers(who).get("m8.mandate_matrix", {}).get("should") == OUGHT, seconds=30)
    assert "Starta test: i dag förvaltningsledningen, borde arbetslaget, +2" in chart.get_attribute("aria-label")

    # Two choices changed by mouse: the label (the visible cell) is what a pointer clicks.
    today, ought = dict(TODAY), dict(OUGHT)
    for (kind, d), level in BY_MOUSE.items():
        group = matrix.locator(f'fieldset[data-decision="{d}"][data-kind="{kind}"]')
        group.locator("label", has_text=t[f"m8.mandate_matrix.levels.{level}"]).click()
        (today if kind == "today" else ought)[d] = level
    matrix.get_by_text(said(t, today, ought)).wait_for()
    matrix.get_by_text("kan nämnden inte delegera beslutet enligt kommunallagen").wait_for()
    assert poll(lambda: server.store.answers(who)["m8.mandate_matrix"]["should"] == ought, seconds=30)
    saved = server.store.answers(who)["m8.mandate_matrix"]
    assert saved == {"today": today, "should": ought}
    assert server.store.answers(who)["m8.approval_wait"]["prediction"] == 3
    chart.scroll_into_view_if_needed()
    shots(page, "m8-answered")

    # A reload finds the matrix, its result and the locked guess as they were.
    page.reload(wait_until="commit")
    wait_interactive(page, timeout_ms=180_000, exercises=module_parts(M8))
    wait_still(page)
    matrix = page.locator(".innokraft-key-m8\\.mandate_matrix")
    for kind, chosen in (("today", today), ("should", ought)):
        for d in md.DECISIONS:
            group = matrix.locator(f'fieldset[data-decision="{d}"][data-kind="{kind}"]')
            expect(group.locator(f'input[value="{chosen[d]}"]')).to_be_checked()
    matrix.get_by_text(said(t, today, ought)).wait_for()
    hook = page.locator(".innokraft-key-m8\\.approval_wait")
    expect(hook.get_by_role("textbox", name=re.compile("Hur många veckor"))).to_be_disabled()
    page.locator(".innokraft-key-m8\\.capability_profile").get_by_text("Svagast är förutsättningar.").wait_for()
    page.locator(".innokraft-key-m8\\.benefit_map").get_by_text("60 procent av vägen från nuläge till mål").wait_for()
    check_layout(page, "M8 answered (sv)")
    page.close()
