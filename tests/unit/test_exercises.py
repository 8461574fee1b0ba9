"""Exercises driven from Python, as ipywidgets' own tests do: set a trait, read the result."""

from __future__ import annotations

import pytest

from innokraft.cli import DEMO_COHORT
from innokraft.links import LinkSigner, load_secret
from innokraft.page import open_page
from innokraft.settings import Settings
from innokraft.store import Store
from widgets import MythOrData, Quiz, Reflections, UnitBarometer
from widgets.myth_or_data import score_predictions
from widgets.quiz import quiz_score
from widgets.reflection import word_count
from widgets.unit_barometer import profile


# -- the computations ---------------------------------------------------------------------------
def test_score_predictions():
    score = score_predictions({"a": 70, "b": 50, "c": 10}, {"a": 80, "b": 50, "c": 79})
    assert score.errors == {"a": 10, "b": 0, "c": 69}
    assert score.mean_error == pytest.approx(79 / 3)
    assert (score.closest, score.farthest) == ("b", "c")


def test_profile_orders_and_picks_barrier_and_driver():
    ordered, barrier, driver = profile({"time": -3, "money": -3, "tools": 2, "rules": 0, "citizens": 3})
    assert ordered[0] == ("time", -3) and ordered[-1] == ("citizens", 3)
    assert barrier == "time"  # ties keep the exercise's order
    assert driver == "citizens"
    assert profile({"a": 0, "b": 1})[1:] == (None, "b")
    assert profile({"a": 0, "b": 0})[1:] == (None, None)


def test_quiz_score():
    assert quiz_score({"q1": 1, "q2": None, "q3": 0}, {"q1": 1, "q2": 0, "q3": 2}) == (1, 2)


@pytest.mark.parametrize("text,count", [("", 0), ("En två tre", 3), ("self-reliant, it's fine", 3),
                                         ("Förskolans  nya\nrutin", 3)])
def test_word_count(text, count):
    assert word_count(text) == count


# -- widgets on a real page and store -----------------------------------------------------------
@pytest.fixture
def learner_page(home):
    settings = Settings.from_env()
    store = Store.open(settings.db_url)
    store.upsert_learners(DEMO_COHORT, [{"learner_id": "anna", "name": "Anna"}])
    token = LinkSigner(load_secret(settings), 30).issue("anna", DEMO_COHORT)

    def make(lang="sv"):
        return open_page("m1", lang=lang, token=token)

    return make, store


def test_myth_or_data_saves_and_restores(learner_page):
    make, store = learner_page
    page = make()
    ex = MythOrData(page, "myth_or_data")
    assert "Gissa först" in ex.feedback.value
    ex.sliders["innovative"].value = 70
    ex.reveal_button.click()
    assert "10 procentenheter" not in ex.feedback.value  # mean error over all five facts
    assert "procentenheter" in ex.feedback.value
    assert bytes(ex.chart.image.value).startswith(b"\x89PNG")
    assert "70 / 80" in ex.chart.alt_text
    assert store.answers("anna")["m1.myth_or_data"]["predictions"]["innovative"] == 70
    assert store.has_event("anna", "m1", "exercise_done", "myth_or_data")

    again = MythOrData(make("en"), "myth_or_data")
    assert again.sliders["innovative"].value == 70 and again.revealed
    assert "percentage points" in again.feedback.value


def test_barometer_feedback_names_the_top_barrier(learner_page):
    make, store = learner_page
    ex = UnitBarometer(make(), "unit_barometer")
    assert "inte markerat något hinder" in ex.feedback.value
    ex.sliders["testing_uncertainty"].value = -3
    ex.sliders["leader_support"].value = 2
    assert "Osäkerhet om vad vi får testa" in ex.feedback.value
    assert "Modul 5" in ex.feedback.value
    assert "Stöd från chefer" in ex.feedback.value
    assert store.answers("anna")["m1.unit_barometer"]["testing_uncertainty"] == -3


def test_quiz_explains_at_once_and_restores(learner_page):
    make, store = learner_page
    quiz = Quiz(make())
    quiz.questions["share_innovative"].value = 1
    assert "Rätt." in quiz.explanations["share_innovative"].value
    quiz.questions["main_trigger"].value = 2
    assert "Inte riktigt." in quiz.explanations["main_trigger"].value
    assert "1 av 3 rätt" in quiz.score.value
    assert Quiz(make()).questions["main_trigger"].value == 2


def test_reflection_drafts_are_kept_verbatim(learner_page):
    make, store = learner_page
    page = make()
    reflections = Reflections(page)
    text = "Vi testade <script>alert('x')</script> och\nlärde oss mycket."
    reflections.prompts[0].box.value = text
    assert "10 ord" in reflections.prompts[0].words.value
    assert reflections.prompts[0].save_state == "saved"
    assert "Sparat" in reflections.prompts[0].status.value
    assert store.answers("anna")["m1.reflection.latest_change"] == {"text": text}
    assert Reflections(make()).prompts[0].box.value == text


def test_module_completes_when_every_part_is_done(learner_page):
    make, store = learner_page
    page = make()
    ex = MythOrData(page, "myth_or_data")
    ex.reveal_button.click()
    UnitBarometer(page, "unit_barometer").sliders["time"].value = -1
    quiz = Quiz(page)
    for q in quiz.questions.values():
        q.value = 0
    assert not store.has_event("anna", "m1", "module_completed")
    for prompt in Reflections(page).prompts:
        prompt.box.value = " ".join(["ord"] * 25)
    assert store.has_event("anna", "m1", "module_completed")


def test_demo_page_saves_nothing(home):
    page = open_page("m1", lang="sv")
    assert page.session.kind == "demo"
    ex = MythOrData(page, "myth_or_data")
    ex.sliders["strategy"].value = 30
    assert "Demoläge" in ex.status.value
    store = Store.open(Settings.from_env().db_url)
    assert store.learners() == [] and store.events() == []


def test_refused_link_shows_no_exercises_and_writes_nothing(home):
    page = open_page("m1", lang="en", token="not-a-token")
    assert page.session.kind == "refused" and page.session.error == "tampered"
    assert page.exercise(MythOrData, "myth_or_data") is None
    store = Store.open(Settings.from_env().db_url)
    assert store.events() == []
