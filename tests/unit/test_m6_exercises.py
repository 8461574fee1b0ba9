"""M6's exercises driven from Python on a real page and store: set what the leader sets, read what
they get back and what was saved. The page's words are held to what widgets/compute/safety.py
computes; the team pulse's team answers through the learner service and the team store."""

from __future__ import annotations

import pytest

from innokraft.cli.context import DEMO_COHORT
from innokraft.core import clock
from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner
from innokraft.course.model import load_course
from innokraft.learner.service import LearnerService
from innokraft.teams.sessions import TeamStore
from tests.conftest import REPO
from tests.unit.conftest import INITIATIVE
from widgets.compute import safety as sm
from widgets.exercise import plain_layout
from widgets.prediction import Prediction
from widgets.print_sheet import build_sheet
from widgets.safety_cards import SafetyCards
from widgets.team_pulse import TeamPulse

COURSE = load_course(REPO / "course_config")
# The best answers (design-m6.md): thank, fallible, invite, thank, boundary, frame_test.
BEST = {"failed_test": 1, "new_question": 2, "silence": 2, "wrong_advice": 0, "data_leak": 1, "doubtful_idea": 2}
NICE = {"failed_test": 1, "new_question": 1, "silence": 2, "wrong_advice": 0, "data_leak": 0, "doubtful_idea": 1}


@pytest.fixture
def pages(module_pages):
    open_module, store = module_pages(initiative=True)
    return (lambda lang="sv": open_module("m6", lang)), store


def test_the_hook_starts_unchosen_locks_and_says_the_finding(pages):
    make, store = pages
    ex = Prediction(make(), "error_reports")
    assert "studerade 8 vårdavdelningar" in ex.children[1].value
    assert ex.input.value is None and ex.reveal_button.disabled
    ex.input.value = 1  # fewer: the intuitive, wrong guess
    ex.reveal_button.click()
    assert "rapporterade fler fel</strong>, inte färre" in ex.feedback.value
    assert "färre som berättar" in ex.feedback.value and ex.chart.layout.display == "none"
    ex.input.value = 0  # a stale browser: the first answer stays
    assert ex.input.value == 1 and ex.input.disabled
    assert store.answers("anna")["m6.error_reports"]["prediction"] == 1
    again = Prediction(make("en"), "error_reports")
    assert again.revealed and "reported more errors</strong>, not fewer" in again.feedback.value


def test_the_cards_move_the_indices_by_the_rules_shown(pages):
    make, store = pages
    ex = SafetyCards(make(), "safety_cards")
    first = ex.radios["failed_test"]
    assert INITIATIVE in first.description and first.description.startswith("Situation 1 av 6")
    assert all(r.value is None for r in ex.radios.values()) and ex.chart.layout.display == "none"
    rules = ex.children[2].value
    assert "<th scope=\"row\">Skuldbelägger eller förlöjligar</th><td>−12</td><td>0</td>" in rules
    ex.radios["failed_test"].value = 0  # dismiss, on the way to blame (a keyboard's arrow checks each)
    ex.radios["failed_test"].value = 2  # blame
    assert "5 kvar" in ex.hint.value and "Trygghet −12, tydliga krav 0" in ex.moved.value
    assert ex.chart.spec["series"][0]["values"] == [50, 38] and ex.show.disabled
    for card, choice in BEST.items():
        if card != "failed_test":
            ex.radios[card].value = choice
    # All six answered: no verdict until the leader asks for it, and then these are the first.
    assert ex.feedback.value == "" and not ex.show.disabled and not ex.is_done()
    ex.show.click()
    assert ex.show.disabled and ex.first == {**BEST, "failed_test": 2}
    ex.radios["failed_test"].value = 1  # thanks instead: a later try
    run = ex.run(BEST)
    assert run.safety[-1] == 81 and run.accountability[-1] == 64
    assert [s["values"] for s in ex.chart.spec["series"][:2]] == [run.safety, run.accountability]
    fb = ex.feedback.value
    assert "zonen ”lärzon”:</strong> trygghet 81 och tydliga krav 64" in fb
    assert "Inget av dina svar sänkte tryggheten" in fb and "vara nyfiken 3 gånger" in fb
    # The first answer to each card is kept: the blame, not the thanks that replaced it.
    assert ex.first["failed_test"] == 2 and ex.is_done()
    saved = store.answers("anna")["m6.safety_cards"]
    assert saved["first"]["failed_test"] == 2 and saved["choices"] == BEST
    first_run = ex.run(ex.first)
    assert "Dina första svar gav trygghet 61 och tydliga krav 62" in fb and first_run.safety[-1] == 61
    assert len(ex.chart.spec["series"]) == 4 and ex.chart.spec["series"][2]["values"] == first_run.safety


def test_trying_again_keeps_the_first_answers_and_a_comfortable_team_is_named(pages):
    make, store = pages
    ex = SafetyCards(make(), "safety_cards")
    for card, choice in NICE.items():
        ex.radios[card].value = choice
    ex.show.click()
    assert "zonen ”bekvämt”:</strong> trygghet 78 och tydliga krav 36" in ex.feedback.value
    assert "Trygghet betyder inte lägre krav" in ex.feedback.value
    assert ex.again in ex.children and plain_layout().display is None  # shown, nothing else hidden
    ex.again.click()
    assert ex.again not in ex.children
    assert all(r.value is None for r in ex.radios.values()) and ex.first == NICE
    ex.radios["failed_test"].value = 0  # dismiss: a drop this time
    assert store.answers("anna")["m6.safety_cards"] == {"choices": {"failed_test": 0}, "first": NICE}
    again = SafetyCards(make("en"), "safety_cards")
    assert again.first == NICE and again.radios["failed_test"].value == 0 and "5 to go" in again.hint.value
    for card, choice in list(NICE.items())[1:]:
        again.radios[card].value = choice
    fb = again.feedback.value
    assert "cost most safety was \"The test went worse\"" in str(fb).replace("&quot;", '"')
    assert "of the kind \"Stays silent, changes the subject or dismisses\"" in str(fb).replace("&quot;", '"')
    assert "Your first answers gave safety 78 and clear standards 36, the comfort zone" in fb


def test_the_worksheet_carries_the_initiative(pages):
    make, _store = pages
    sheet = build_sheet(make(), "m6").sheet
    assert INITIATIVE in sheet["intro"] and sheet["columns"] == ["Här känns det tryggt att säga ifrån",
                                                                 "Här känns det svårt att säga ifrån"]


def _team_answers(pulse_values: list[dict[str, int]]) -> None:
    """Anna opens the team link through the learner service; each answer is one phone's."""
    settings = Settings.from_env()
    token = LinkSigner(load_secret(settings), 30).issue("anna", DEMO_COHORT)
    service = LearnerService.open(settings)
    session = service.call("team_open", token, {"exercise": "m6.team_pulse", "minutes": 60})["team"]["id"]
    for n, value in enumerate(pulse_values):
        TeamStore(service.store).answer(session, f"phone-{n}", value, clock.now(settings))


def test_the_pulse_takes_the_guess_first_then_compares_it_with_the_team(pages):
    make, store = pages
    ex = TeamPulse(make(), "team_pulse")
    form = COURSE.team_sessions.find("m6.team_pulse")
    assert list(ex.radios) == form.items and all(r.value is None for r in ex.radios.values())
    assert ex.lock_button.disabled and ex.team not in ex.children  # no team link before the guess
    guess = {"mistake_held": 1, "raise_problems": 5, "ask_help": 4, "new_idea_risky": 2,
             "failed_test_talk": 4, "disagree_manager": 4, "skills_used": 4}
    for item, v in list(guess.items())[:6]:
        ex.radios[item].value = v
    assert "1 kvar" in ex.hint.value and ex.lock_button.disabled
    ex.radios["skills_used"].value = 4
    ex.lock_button.click()
    assert ex.locked and ex.team in ex.children and all(r.disabled for r in ex.radios.values())
    assert "Din gissning ger tryggheten 82 av 100" in ex.feedback.value
    ex.radios["ask_help"].value = 1  # a stale browser: the locked guess stays
    assert ex.radios["ask_help"].value == 4
    assert store.answers("anna")["m6.team_pulse"] == {"guess": guess, "locked": True}
    # Six phones answer (design-m6.md's example): the comparison appears on the page.
    team = {"mistake_held": [2, 3, 4, 2, 3, 4], "raise_problems": [4, 3, 4, 2, 4, 3],
            "ask_help": [5, 4, 4, 4, 3, 5], "new_idea_risky": [3, 4, 2, 3, 4, 3],
            "failed_test_talk": [2, 3, 2, 3, 3, 2], "disagree_manager": [2, 3, 3, 2, 4, 2],
            "skills_used": [4, 4, 3, 5, 4, 3]}
    _team_answers([{i: v[n] for i, v in team.items()} for n in range(6)])
    seen = TeamPulse(make(), "team_pulse")
    assert seen.locked and seen.team.result is not None
    c = sm.compare(guess, seen.medians(), seen.reverse)
    assert round(c.team_index) == 55 and seen.medians()["raise_problems"] == 3.5
    fb = seen.feedback.value
    assert "Teamets trygghet: 55 av 100. Din gissning: 82 av 100.</strong> 6 personer svarade" in fb
    assert "högre än teamet på 5 av 7 påståenden" in fb and "du gissade ”Stämmer inte alls”" in fb
    assert "teamets median är ”Stämmer delvis”" in fb
    spec = seen.team.chart.spec
    assert spec["series"][0]["values"] == [float(guess[i]) for i in form.items]
    assert spec["series"][1]["values"] == [seen.medians()[i] for i in form.items]


def test_the_retrieval_forms_have_their_right_answer_where_the_original_has_it():
    """A parallel form is marked by the original item's `correct`: its right answer must sit there."""
    from innokraft.course.load import course_and_texts

    course, texts = course_and_texts(REPO / "course_config")
    right = {"small_sample": "Pröva igen med fler familjer som inte väljs ut",
             "everyone_all_six": "Nej, teamet behöver ha dem tillsammans",
             "first_diamond": "I den första diamanten, där ni upptäcker och definierar"}
    for r in course.module("m6").retrieval:
        item = next(q for q in course.module(r.module).quiz if q.id == r.item)
        assert texts["sv"][f"m6.retrieval.{r.item}.options.{item.correct}"] == right[r.item]
        assert texts["en"][f"m6.retrieval.{r.item}.options.{item.correct}"] == {
            "small_sample": "Test again with more, unselected families",
            "everyone_all_six": "No, the team needs them together",
            "first_diamond": "In the first diamond, where you discover and define"}[r.item]
