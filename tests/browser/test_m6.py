"""M6 in a real browser against the shared `innokraft serve`: a leader whose initiative was named in
M1 (driven through the learner service) finds it on M6's page and in the first scenario card,
makes the hook's locked guess and answers the six cards by keyboard alone (Tab, Space, the arrow
keys, Enter), and gets back the two indices drawn card by card and the zone, as
widgets/compute/safety.py computes them. Their team pulse guess is locked and its team link open
(through the learner service); the link serves the team's form with M6's statements, six phones
answer (through the team store, no browser each), and the page sets the guess beside the team's
medians. After a reload everything is as it was. The answered page has no axe-core violations
and does not scroll sideways at 390×844, and its charts' text reads at 390 and 320 px; nor has
the team's form at 390×844, whose every control is a 44 px target. (The
untouched page in both languages: test_every_page.py.)"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from innokraft.core import clock
from innokraft.course.load import course_and_texts, exercise_data
from innokraft.course.model import THREAD_KEY
from innokraft.teams.sessions import TeamStore
from tests.browser.a11y import PHONE, check_layout, small_targets
from tests.browser.conftest import initiative_heading, module_parts, open_module, poll, wait_interactive, wait_still
from tests.browser.page_checks import charts_at, text_problems
from tests.conftest import REPO
from tests.helpers.keyboard import choose_by_keyboard, focused_inside
from tests.helpers.learners import Cohort
from widgets.compute import safety as sm
from widgets.numbers import fmt

COURSE, TEXTS = course_and_texts(REPO / "course_config")
M6 = COURSE.module("m6")
# The exercises on the page: the retrieval quiz, M6's three, the initiative, the quiz, two reflections.
INITIATIVE = "Digital signering av läkemedel i hemtjänsten"
CARDS = exercise_data(REPO / "course_config", "m6", "safety_cards")
TYPES = {k: (v["safety"], v["accountability"]) for k, v in CARDS["types"].items()}
# The answers a leader gives, one per card: blame first, then the best of the rest.
ANSWERS = [2, 2, 2, 0, 1, 2]
GUESS = {"mistake_held": 1, "raise_problems": 5, "ask_help": 4, "new_idea_risky": 2,
         "failed_test_talk": 4, "disagree_manager": 4, "skills_used": 4}
# Six phones' answers (design-m6.md's example): team index 55, the guess 82.
TEAM = {"mistake_held": [2, 3, 4, 2, 3, 4], "raise_problems": [4, 3, 4, 2, 4, 3],
        "ask_help": [5, 4, 4, 4, 3, 5], "new_idea_risky": [3, 4, 2, 3, 4, 3],
        "failed_test_talk": [2, 3, 2, 3, 3, 2], "disagree_manager": [2, 3, 3, 2, 4, 2],
        "skills_used": [4, 4, 3, 5, 4, 3]}


def test_m6_by_keyboard_with_the_initiative_and_the_team_pulse(server, tabs, shots):
    who, t = "m6-keyboard", TEXTS["sv"]
    server.add_learner(who, lang="sv")
    cohort = Cohort(server.settings)
    cohort.call(who, "save", key=THREAD_KEY, value={"text": INITIATIVE, "module": "m1", "on": "2026-11-02",
                                                    "history": []})
    # The pulse's guess as its widget locks it, and the team link opened as its button does.
    cohort.call(who, "save", key="m6.team_pulse", value={"guess": GUESS, "locked": True})
    opened = cohort.call(who, "team_open", exercise="m6.team_pulse", minutes=60, lang="sv")["team"]
    page = open_module(server, tabs, who, M6)

    # The hook: a choice, none preset, shown with Enter and then locked.
    hook = page.locator(".innokraft-key-m6\\.error_reports")
    hook.locator(".widget-radio").wait_for()
    reveal = hook.get_by_role("button", name=t["m6.error_reports.reveal"])
    expect(reveal).to_be_disabled()
    choose_by_keyboard(page, hook.locator(".widget-radio"), 1)  # fewer: the intuitive, wrong guess
    expect(reveal).to_be_enabled()
    page.keyboard.press("Tab")
    assert focused_inside(reveal)
    page.keyboard.press("Enter")
    hook.get_by_text("inte färre").wait_for()
    expect(hook.locator("input[type=radio]").first).to_be_disabled()

    # The initiative from M1 heads the step, and the first card is about it.
    assert initiative_heading(page) == INITIATIVE
    cards = page.locator(".innokraft-key-m6\\.safety_cards")
    groups = cards.locator(".widget-radio").all()
    assert len(groups) == len(CARDS["cards"]) and f"”{INITIATIVE}”" in groups[0].inner_text()
    assert "Skuldbelägger eller förlöjligar" in cards.locator("table caption + thead + tbody").inner_text()
    for group, answer in zip(groups, ANSWERS, strict=True):
        choose_by_keyboard(page, group, answer)
    show = cards.get_by_role("button", name=t["m6.safety_cards.show"])
    expect(show).to_be_enabled()  # the kernel has all six
    page.keyboard.press("Tab")
    assert focused_inside(show)
    page.keyboard.press("Enter")
    run = sm.play([c["responses"][a] for c, a in zip(CARDS["cards"], ANSWERS, strict=True)], TYPES,
                  (CARDS["start"], CARDS["start"]), CARDS["zone_line"])
    said = (f"Ditt team hamnade i zonen ”{t[f'm6.safety_cards.zones.{run.zone}']}”: trygghet "
            f"{fmt(run.safety[-1], 'sv')} och tydliga krav {fmt(run.accountability[-1], 'sv')}")
    feedback = cards.locator(".innokraft-feedback")
    expect(feedback).to_contain_text(said)
    expect(feedback).to_contain_text("Mest trygghet kostade situationen ”Testet gick sämre”")
    chart = cards.locator("svg.ik-chart")
    expect(chart).to_have_attribute("aria-label", re.compile(
        f"efter 6: trygghet {fmt(run.safety[-1], 'sv')}, tydliga krav {fmt(run.accountability[-1], 'sv')}"))
    first = {c["id"]: a for c, a in zip(CARDS["cards"], ANSWERS, strict=True)}
    assert poll(lambda: server.store.answers(who).get("m6.safety_cards", {}).get("first") == first, seconds=30)
    answers = server.store.answers(who)
    assert answers["m6.error_reports"]["prediction"] == 1 and answers["m6.error_reports"]["revealed"]

    # The team pulse: the link serves the team's form with M6's statements; six phones answer.
    pulse = page.locator(".innokraft-key-m6\\.team_pulse")
    status = pulse.locator(".innokraft-team-status")
    expect(status).to_have_text("Väntar på svar (0 av 5)")
    link = pulse.locator(".innokraft-team-link a").get_attribute("href")
    form = page.request.get(link)
    assert form.status == 200 and t["m6.team_pulse.team.items.disagree_manager"] in form.text()
    teams = TeamStore(server.store)
    for n in range(6):
        teams.answer(opened["id"], f"phone-{n}", {i: v[n] for i, v in TEAM.items()}, clock.now(server.settings))
    expect(status).to_have_text("6 svar har kommit in.")
    medians = {i: sm.median_of_counts([v.count(k) for k in range(1, 6)], list(range(1, 6))) for i, v in TEAM.items()}
    c = sm.compare(GUESS, medians, {i: i in ("mistake_held", "new_idea_risky") for i in GUESS})
    summary = f"Teamets trygghet: {fmt(c.team_index, 'sv')} av 100. Din gissning: {fmt(c.guess_index, 'sv')} av 100."
    expect(pulse.locator(".innokraft-feedback")).to_contain_text(summary)
    expect(pulse.locator(".innokraft-team svg.ik-chart")).to_have_attribute(
        "aria-label", re.compile("Din gissning 1, Teamets median 3"))

    # After a reload: the hook locked, the cards as answered, the comparison.
    page.reload(wait_until="commit")
    wait_interactive(page, timeout_ms=180_000, exercises=module_parts(M6))
    wait_still(page)
    hook.get_by_text("inte färre").wait_for()
    expect(hook.locator("input[type=radio]").nth(1)).to_be_checked()
    for group, answer in zip(cards.locator(".widget-radio").all(), ANSWERS, strict=True):
        expect(group.locator("input[type=radio]").nth(answer)).to_be_checked()
    expect(feedback).to_contain_text(said)
    expect(pulse.locator(".innokraft-feedback")).to_contain_text(summary)
    shots(page, "m6-answered")

    check_layout(page, "M6 answered (sv)")
    for width in (390, 320):
        charts = charts_at(page, width)
        assert len(charts) >= 2  # the cards' and the team pulse's
        assert not text_problems(charts), (width, text_problems(charts))

    # The team's own form, as a phone opens the link: M6's statements on the five-step scale.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(t["m6.team_pulse.team.title"])
    assert page.locator('input[name="mistake_held"]').count() == 5
    check_layout(page, "M6 team form (sv)", sizes=(PHONE,))
    assert small_targets(page) == []
    page.close()
