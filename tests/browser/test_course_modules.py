"""The course modules in a real browser: M2 answered by keyboard and stored, the worksheets print
on one A4 page, a chart input moved by mouse is drawn and stored. (Every page on a 390×844 phone:
test_every_page.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from innokraft.course.load import exercise_data
from innokraft.course.model import load_course
from tests.browser.conftest import poll, returning_page, wait_interactive
from tests.browser.page_checks import charts_at, text_problems
from tests.conftest import REPO
from tests.helpers.answering import answer_quiz
from tests.helpers.learners import Cohort

COURSE = load_course(REPO / "course_config")
PHONE = {"width": 390, "height": 844}
# Generous bounds for a loaded machine (they bound correctness, they do not time anything).
LOAD_MS = 180_000


def open_page(tabs, server, notebook: str, lang: str, module=None):
    page = returning_page(tabs, server.url, PHONE)
    page.set_default_timeout(LOAD_MS)
    page.goto(server.page_link("demo-learner", notebook, lang))
    wait_interactive(page, timeout_ms=LOAD_MS, exercises=parts(module) if module else 0)
    return page


def parts(module) -> int:
    return len(module.exercises) + 1 + len(module.reflections) + (1 if module.retrieval else 0)


def test_m2_opens_and_an_answer_is_stored(server, tabs, shots):
    m2 = COURSE.module("m2")
    page = open_page(tabs, server, m2.notebook, "sv", m2)
    assert "Innovationsledarens förmågor" in page.locator("h1").inner_text()
    page.get_by_text("Efter modulen kan du").wait_for()
    page.get_by_text("Vad minns du från tidigare moduler?").wait_for()

    # The hook by keyboard alone: a guess typed into an empty box, then "Simulera".
    hook = page.locator(".innokraft-exercise").nth(1)
    simulate = hook.get_by_role("button", name="Simulera")
    assert simulate.is_disabled()
    guess = hook.get_by_role("textbox", name=re.compile("Hur stor är risken"))
    assert guess.input_value() == ""
    guess.press_sequentially("60")
    # The kernel enables the button once it has the guess: a round trip, so wait for it.
    expect(simulate).to_be_enabled()
    simulate.focus()
    page.keyboard.press("Enter")
    hook.get_by_text("Risken är 47 procent att teamet saknar minst en förmåga helt.").wait_for()
    hook.get_by_text("överskattade risken").wait_for()
    chart = hook.locator("svg.ik-chart")  # drawn by the browser from the simulation
    chart.wait_for()
    assert "Simulerade team: 6 medarbetare" in chart.get_attribute("aria-label")
    assert chart.locator("rect").count() >= 7 and "Källa: egen simulering" in chart.text_content()
    shots(page, "m2-hook-sv")

    answers = poll(lambda: server.store.answers("demo-learner").get("m2.team_lottery"), seconds=20)
    assert answers and answers["prediction"] == 60 and answers["revealed"] is True

    # A retrieval question: the first answer is kept.
    answer_quiz(page, "förslagspärm", "Nyttiggjort – ingen idé används", "Kontrollera svaret")
    page.get_by_text("Rätt.").first.wait_for()
    kept = poll(lambda: (server.store.answers("demo-learner").get("m2.retrieval") or {}).get("first"),
                seconds=20)
    assert kept["idea_box"] == {"choice": 1, "correct": True}

    # The start page lists every module, then the wrap-up; M2 shows as started.
    page.goto(server.page_link("demo-learner", COURSE.start_notebook, "sv"), timeout=LOAD_MS)
    wait_interactive(page, timeout_ms=LOAD_MS)
    listed = page.locator(".innokraft-module")
    assert listed.evaluate_all("items => items.map(i => i.dataset.module)") == [
        *(m.id for m in COURSE.modules), "wrapup"]
    assert page.locator('.innokraft-module[data-module="m2"]').get_attribute("data-state") == "in_progress"
    page.close()


def test_the_teams_coverage_and_the_leaders_profile_each_keep_their_own_scale(server, tabs):
    """M2's coverage chart beside the leader's profile (exercise 2): two panels, a count of people
    (Ingen … Många) and a 1–5 self-rating, never one rescaled onto the other; both read on a phone."""
    who = "coverage-learner"
    server.add_learner(who, lang="sv")
    cohort = Cohort(server.settings)
    profile = exercise_data(REPO / "course_config", "m2", "skills_profile")
    ratings = {item["id"]: 2 for item in profile["items"]}
    cohort.call(who, "save", key="m2.skills_profile", value={
        "ratings": ratings, "moved": sorted(ratings), "means": {g: 2.0 for g in profile["groups"]}})
    levels = {"iteration": 0, "data_literacy": 1, "user_centricity": 3, "curiosity": 2, "storytelling": 2,
              "insurgency": 3}
    cohort.call(who, "save", key="m2.team_coverage", value={"ratings": levels, "moved": sorted(levels)})
    page = returning_page(tabs, server.url, PHONE)
    page.set_default_timeout(LOAD_MS)
    page.goto(server.page_link(who, COURSE.module("m2").notebook, "sv"), timeout=LOAD_MS)
    wait_interactive(page, timeout_ms=LOAD_MS)
    part = page.locator('[class~="innokraft-key-m2.team_coverage"]')
    part.get_by_text("Här är både teamet och du själv svaga: Pröva i små steg, Använda data.").wait_for()
    chart = part.locator("svg.ik-chart")
    assert "Du själv (övning 2, skala 1–5)" in chart.text_content() and "Ingen" in chart.text_content()
    assert "Pröva i små steg: Teamet Ingen, Du själv (övning 2, skala 1–5) 2,0" in chart.get_attribute("aria-label")
    for width in (390, 320):
        charts = [c for c in charts_at(page, width) if "ik-chart" in c["cls"]]
        assert not text_problems(charts), (width, text_problems(charts))
    page.close()


# M1's sheet has the barometer's ten factors to rate; M2's the six skills, each in a sentence;
# M3's and M4's a drawing, eight blank rows and three or four questions; M5's the test card and
# learning card side by side, four rows; M6's where it feels safe and hard to speak up side by side,
# four rows; M7's Rogers' five attributes to rate and three questions; M8's a row per decision and
# three questions.
SHEETS = {"m1": {"rows": 10, "drawing": 0, "questions": 0}, "m2": {"rows": 6, "drawing": 0, "questions": 0},
          "m3": {"rows": 8, "drawing": 1, "questions": 3}, "m4": {"rows": 8, "drawing": 1, "questions": 4},
          "m5": {"rows": 4, "drawing": 0, "questions": 3}, "m6": {"rows": 4, "drawing": 0, "questions": 3},
          "m7": {"rows": 5, "drawing": 0, "questions": 3}, "m8": {"rows": 5, "drawing": 0, "questions": 3}}


@pytest.mark.parametrize("module", sorted(SHEETS))
def test_the_worksheet_prints_on_one_a4_page(server, tabs, output_dir, module):
    m = COURSE.module(module)
    for lang in COURSE.languages:
        page = open_page(tabs, server, m.notebook, lang, m)
        sheet = page.locator(".innokraft-sheet")
        sheet.wait_for()
        want = SHEETS[module]
        assert sheet.locator("tbody tr").count() == want["rows"]
        assert sheet.locator("svg.innokraft-sheet-drawing").count() == want["drawing"]
        assert sheet.locator(".innokraft-sheet-questions li").count() == want["questions"]
        assert page.get_by_role("button", name="Skriv ut arbetsbladet" if lang == "sv"
                                else "Print the worksheet").is_visible()
        pdf = page.pdf(format="A4")
        (output_dir / f"{module}-worksheet-{lang}.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert pages == 1, f"the {lang} worksheet of {module} prints on {pages} pages"
        page.close()


def test_a_chart_input_moved_by_mouse_is_drawn_and_stored(server, tabs):
    """M1's guesses are range inputs on the chart (SvgChart's front-end); the journey test moves
    them by keyboard, this one by mouse."""
    server.store.upsert_learners("demo", [{"learner_id": "mouse-learner"}])
    m1 = COURSE.module("m1")
    page = returning_page(tabs, server.url, {"width": 1280, "height": 900})
    page.set_default_timeout(LOAD_MS)
    page.goto(server.page_link("mouse-learner", m1.notebook, "sv"))
    wait_interactive(page, timeout_ms=LOAD_MS, exercises=parts(m1))
    hook = page.locator(".innokraft-exercise").first
    guess = hook.locator(".ik-chart input[type=range]").first
    before = int(guess.input_value())
    guess.scroll_into_view_if_needed()
    box = guess.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.85, box["y"] + box["height"] / 2)
    value = int(guess.input_value())
    assert value != before and 70 <= value <= 100, value
    # Drawn at once in the browser: the readout and the bar's value as text.
    assert hook.locator(".ik-chart-readout").first.inner_text() == f"{value} %"
    assert hook.locator(".ik-chart-value").first.text_content() == f"{value} %"
    stored = poll(lambda: ((server.store.answers("mouse-learner").get("m1.myth_or_data") or {})
                           .get("predictions") or {}).get("innovative") == value, seconds=30)
    assert stored, server.store.answers("mouse-learner").get("m1.myth_or_data")
    page.close()
