"""M7 in a real browser against the shared `innokraft serve`: a leader whose initiative was named in
M1 (driven through the learner service) finds it on M7's page and in the diffusion simulator,
makes the hook's locked guess and rates the initiative by keyboard alone (Tab, Space, the arrow
keys, typed digits), and gets back the month half would use it and the attribute that saves most,
with the formula's p and q for their ratings; the Kotter audit (saved through the learner service)
names where to start. The answered page has no axe-core violations and does
not scroll sideways at 390×844, and its charts' text reads at 390 and 320 px. (The untouched page
in both languages: test_every_page.py.)"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from innokraft.course.load import course_and_texts, exercise_data
from innokraft.course.model import THREAD_KEY
from tests.browser.a11y import check_layout
from tests.browser.conftest import initiative_heading, open_module, poll
from tests.browser.page_checks import charts_at, text_problems
from tests.conftest import REPO
from tests.helpers.keyboard import choose_by_keyboard, guess_by_keyboard, tab_to
from tests.helpers.learners import Cohort
from widgets.compute import diffusion as dm
from widgets.compute.change_stages import STAGES
from widgets.numbers import fmt

COURSE, TEXTS = course_and_texts(REPO / "course_config")
M7 = COURSE.module("m7")
# The exercises on the page: the retrieval quiz, M7's two, the initiative, the quiz, two reflections.
INITIATIVE = "Digital signering av läkemedel i hemtjänsten"
# Easy to try but invisible (design-m7.md's worked example), in Rogers' order.
RATINGS = [2, 3, 3, 4, 1]
KOTTER = [4, 2, 4, 3, 1, 4, 0, 0]
FORMULA = dm.Formula(**exercise_data(REPO / "course_config", "m7", "diffusion_simulator")["formula"])


def test_m7_spreads_the_initiative_from_m1_by_keyboard(server, tabs, shots):
    who, t = "m7-keyboard", TEXTS["sv"]
    server.add_learner(who, lang="sv")
    cohort = Cohort(server.settings)
    cohort.call(who, "save", key=THREAD_KEY, value={"text": INITIATIVE, "module": "m1", "on": "2026-11-02",
                                                    "history": []})
    # The Kotter audit as its widget saves it, so that the answered page below shows its chart too.
    cohort.call(who, "save", key="m7.kotter_audit", value={"ratings": dict(zip(STAGES, KOTTER, strict=True))})
    page = open_module(server, tabs, who, M7)

    # The hook: a guess typed into an empty box and shown with Enter, then locked.
    hook = page.locator(".innokraft-key-m7\\.spread_guess")
    guess = hook.get_by_role("textbox", name=re.compile("Efter hur många månader"))
    guess_by_keyboard(page, hook, guess, "30", t["m7.spread_guess.reveal"])
    hook.get_by_text("Du gissade 30 månader, och modellen säger ungefär 13").wait_for()
    expect(guess).to_be_disabled()

    # The initiative from M1 heads the step, and the simulator asks about it.
    assert initiative_heading(page) == INITIATIVE
    sim = page.locator(".innokraft-key-m7\\.diffusion_simulator")
    assert f"”{INITIATIVE}”" in sim.inner_text()
    assert sim.locator("svg.ik-chart").count() == 0 or not sim.locator("svg.ik-chart").is_visible()
    for group, rating in zip(sim.locator(".widget-radio").all(), RATINGS, strict=True):
        choose_by_keyboard(page, group, rating - 1)
    sim.get_by_text("Hälften använder det efter ungefär 19 månader.").wait_for()
    sim.get_by_text("Mest skillnad gör synlighet").wait_for()
    assert "p = 0,0079" in sim.locator(".innokraft-formula").inner_text()
    chart = sim.locator("svg.ik-chart")
    assert "Hälften efter 19 månader" in chart.get_attribute("aria-label")
    # Four times as many who could use it: the same months, a taller curve.
    count = sim.get_by_role("spinbutton")
    tab_to(page, count)
    page.keyboard.press("Control+A")
    page.keyboard.type("160")
    page.keyboard.press("Tab")
    assert poll(lambda: server.store.answers(who).get("m7.diffusion_simulator", {}).get("n") == 160, seconds=30)
    s = dm.simulate(dict(zip(dm.ATTRIBUTES, RATINGS, strict=True)), 160, 36, FORMULA, 0.25)
    said = f"månad 36: {fmt(s.cumulative[36], 'sv')}"
    assert poll(lambda: said in chart.get_attribute("aria-label"), seconds=30), chart.get_attribute("aria-label")
    assert server.store.answers(who)["m7.diffusion_simulator"]["ratings"] == dict(
        zip(dm.ATTRIBUTES, RATINGS, strict=True))
    assert server.store.answers(who)["m7.spread_guess"]["prediction"] == 30
    # The formula is the leader's to change: visibility counts for nothing, by keyboard (a select
    # moved with the arrow keys), and the answer and the table are worked out again.
    weight = sim.get_by_role("combobox", name="Hur mycket räknas synlighet?")
    tab_to(page, weight)
    for _ in range(2):
        page.keyboard.press("ArrowUp")  # "Som vi har antagit" -> "Hälften så mycket" -> "Inte alls"
    sim.get_by_text("Flera egenskaper gör ungefär lika stor skillnad (relativ fördel, förenlighet, "
                    "komplexitet)").wait_for()
    sim.get_by_text("Du har ändrat vikterna.").wait_for()
    assert poll(lambda: server.store.answers(who)["m7.diffusion_simulator"].get("weights") == {"observability": 0},
                seconds=30)
    page.locator(".innokraft-key-m7\\.kotter_audit").get_by_text("Börja här: en styrande grupp.").wait_for()
    shots(page, "m7-answered")

    check_layout(page, "M7 answered (sv)")
    for width in (390, 320):
        charts = charts_at(page, width)
        assert len(charts) >= 3  # the hook's, the simulator's and the Kotter audit's
        assert not text_problems(charts), (width, text_problems(charts))
    page.close()
