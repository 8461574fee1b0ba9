"""M5 in a real browser against the shared `innokraft serve`: a leader whose initiative was named
in M1 (driven through the learner service) completes the whole module by keyboard alone – Tab,
Space, Enter, the arrow keys and typed text, never a click and never a placed focus – and
finds their initiative on the page and in the test card; every part is then done in the store
and the start page lists M5 as completed. The page with every exercise answered (the simulator
explored, the card's verdict and chart shown) has no axe-core violations and does not scroll
sideways at 390×844, in both languages, and its charts' text reads at 390 and 320 px. (The
untouched page: test_every_page.py.)"""

from __future__ import annotations

import re

from innokraft.course.load import course_and_texts
from innokraft.course.model import THREAD_KEY
from innokraft.course.progress import module_items
from tests.browser.a11y import DESKTOP, check_layout
from tests.browser.conftest import initiative_heading, module_parts, open_module, poll, wait_interactive, wait_still
from tests.browser.page_checks import charts_at, text_problems
from tests.conftest import REPO
from tests.helpers.keyboard import answer_items, choose_by_keyboard, guess_by_keyboard, tab_to
from tests.helpers.learners import Cohort

COURSE, TEXTS = course_and_texts(REPO / "course_config")
M5 = COURSE.module("m5")
# The exercises on the page: the retrieval quiz, M5's three, the initiative, the quiz, two reflections.
INITIATIVE = "Digital signering av läkemedel i hemtjänsten"
REFLECTION = ("Förra året prövade vi nyckelfria lås hos några brukare och ingen bestämde någonsin om det "
              "skulle fortsätta. Det kändes tungt för gruppen som drev det. Det saknades ett kriterium och "
              "ett datum, och ingen ägde beslutet. Därför skriver jag nu in ett krav på minst trettio av "
              "fyrtio, ett beslutsdatum i maj och att jag själv fattar beslutet tillsammans med gruppen.")
CARD = {  # label key under m5.test_card.fields -> what the leader types
    "hypothesis": "personalen signerar direkt i mobilen om listan visas vid varje besök",
    "test": "två hemtjänstgrupper i tre veckor",
    "metric": "andelen läkemedelsbesök som signeras på plats",
    "criterion": "besöket signeras innan personalen lämnar brukaren",
    "participants": "40",
    "at_least": "30",
    "p_today": "50",
    "p_true": "80",
    "decide_on": "2027-05-28",
    "if_pass": "vi inför arbetssättet i alla grupper",
    "if_fail": "vi frågar personalen vad som hindrar och prövar igen",
}


def exercise(page, name: str):
    return page.locator(f".innokraft-key-m5\\.{name}")


def test_m5_completed_by_keyboard_alone_carries_the_initiative(server, tabs, shots):
    who, t = "m5-keyboard", TEXTS["sv"]
    server.add_learner(who, lang="sv")
    cohort = Cohort(server.settings)
    # M1 as the leader left it: the initiative named there (what its widget saves).
    cohort.call(who, "save", key=THREAD_KEY, value={"text": INITIATIVE, "module": "m1", "on": "2026-11-02",
                                                    "history": []})
    page = open_module(server, tabs, who, M5)

    # Retrieval: three questions from M4 and M3.
    answer_items(page, exercise(page, "retrieval"), t,
                 [next(q for q in COURSE.module(r.module).quiz if q.id == r.item) for r in M5.retrieval])

    # The hook: a guess typed into an empty box, the answer shown with Enter, then the pilots
    # explored with the arrow keys on the chart's own range inputs.
    hook = exercise(page, "small_pilot")
    guess = hook.get_by_role("textbox", name=re.compile("Hur stor är chansen"))
    guess_by_keyboard(page, hook, guess, "40", t["m5.small_pilot.reveal"])
    hook.get_by_text("Du gissade 40 procent").wait_for()
    size = hook.locator(".ik-chart-inputs input[data-input=n]")
    tab_to(page, size)
    page.keyboard.press("ArrowRight")  # 10 -> 15 participants
    hook.get_by_text("Med 15 deltagare och kravet minst 9").wait_for()
    hook.get_by_text("behövs minst 19 deltagare").wait_for()
    chart = hook.locator("svg.ik-chart").last
    assert "Så pålitlig är piloten" in chart.get_attribute("aria-label")
    shots(page, "m5-explored")

    # The initiative from M1 heads the test card's step, and the card is about it.
    assert initiative_heading(page) == INITIATIVE
    card = exercise(page, "test_card")
    assert f"”{INITIATIVE}”" in card.inner_text()
    for field in ("hypothesis", "test", "metric"):
        tab_to(page, card.get_by_label(t[f"m5.test_card.fields.{field}"], exact=True))
        page.keyboard.type(CARD[field])
    choose_by_keyboard(page, card.locator(".widget-radio"), 2)  # what people do
    for field in ("criterion", "participants", "at_least", "p_today", "p_true", "decide_on", "if_pass", "if_fail"):
        tab_to(page, card.get_by_label(t[f"m5.test_card.fields.{field}"], exact=True))
        page.keyboard.type(CARD[field])
    card.get_by_text("Testkortet håller.").wait_for()
    card.get_by_text("med 40 deltagare och kriteriet minst 30").wait_for()
    assert card.locator("svg.ik-chart").count() == 1

    # Introduce now or try first: a slider moved with the arrow keys.
    decide = exercise(page, "value_of_testing")
    decide.get_by_text("att pröva först 70\u00a0000 kronor").wait_for()
    tab_to(page, decide.locator(".widget-slider").first)
    page.keyboard.press("ArrowRight")
    decide.get_by_text("att pröva först 91\u00a0000 kronor").wait_for()  # the idea's chance 50 -> 55 per cent
    assert decide.locator(".widget-readout").first.inner_text() == "55"

    answer_items(page, page.locator(".innokraft-key-m5\\.quiz"), t, M5.quiz)
    for n in (1, 2):
        tab_to(page, page.get_by_label(t["ui.reflection.answer_label"].format(number=n), exact=True))
        page.keyboard.type(REFLECTION)
    for group in page.locator(".innokraft-key-m5\\.pulse .widget-radio").all():
        choose_by_keyboard(page, group, 1)

    # Every part is done in the store, every step on the page; the start page says completed.
    def marks():
        return {d for p, kind, d in server.store.marks(who) if p == "m5" and kind == "exercise_done"}
    assert poll(lambda: set(module_items(M5)) <= marks(), seconds=30), marks()
    answers = server.store.answers(who)
    assert answers["m5.small_pilot"]["prediction"] == 40
    assert answers["m5.small_pilot"]["explored"] == {"n": 15, "criterion": 60, "p_true": 70, "p_today": 50}
    assert answers["m5.test_card"]["first"]["card"]["evidence"] == "observed_behaviour"
    assert answers["m5.value_of_testing"]["values"]["prior"] == 0.55
    check_layout(page, "M5 answered (sv)")
    shots(page, "m5-answered-390")
    page.set_viewport_size(DESKTOP)
    page.reload()
    wait_interactive(page, timeout_ms=180_000, exercises=module_parts(M5))
    wait_still(page)
    states = page.locator(".innokraft-steps li").evaluate_all("(items) => items.map(i => i.dataset.state)")
    assert states == ["done"] * len(M5.steps), states
    page.goto(server.page_link(who, COURSE.start_notebook, "sv"))
    wait_interactive(page)
    listed = page.locator('.innokraft-module[data-module="m5"]')
    assert listed.get_attribute("data-state") == "completed"
    assert M5.title["sv"] in listed.inner_text()
    thread = page.locator(".innokraft-thread")
    assert thread.locator(".innokraft-initiative-text").inner_text().strip() == INITIATIVE
    assert t["m5.thread_use"] in thread.inner_text()
    page.close()


def test_m5_answered_in_english_reads_on_desktop_and_phone(server, tabs):
    """The answered page in English: answers given as the widgets save them (learner service)."""
    who = "m5-answered-en"
    server.add_learner(who, lang="en")
    cohort = Cohort(server.settings)
    cohort.call(who, "save", key=THREAD_KEY, value={"text": "Digital signing in home care", "module": "m1",
                                                    "on": "2026-11-02", "history": []})
    cohort.call(who, "save", key="m5.small_pilot", value={
        "prediction": 60, "answered": True, "revealed": True,
        "explored": {"n": 30, "criterion": 60, "p_true": 70, "p_today": 50}})
    card = {**CARD, "evidence": "stated_intent"}
    cohort.call(who, "save", key="m5.test_card", value={"card": card, "first": {"card": card, "on": "2026-12-01"}})
    page = open_module(server, tabs, who, M5, "en")
    page.get_by_text("With 30 participants and a requirement of at least 18").wait_for()
    page.get_by_text("The test card holds.").wait_for()
    page.get_by_text("Could you count what they do or invest instead?").wait_for()
    check_layout(page, "M5 answered (en)")
    # The drawn charts (the pilots, the chance by size, the card's verdict) read on a phone.
    for width in (390, 320):
        charts = charts_at(page, width)
        assert len(charts) >= 4  # the hook's, the explorer's, the card's, the routes'
        assert not text_problems(charts), (width, text_problems(charts))
    page.close()
