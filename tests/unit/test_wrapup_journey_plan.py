"""The wrap-up's journey and ninety-day plan on a real page and store: what a leader who answered
every module is shown, what one who answered nothing is shown, what odd stored shapes give, and
how the plan is filled in, saved, restored and taken away."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from innokraft.cli.context import DEMO_COHORT
from innokraft.core import clock
from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner
from innokraft.course.model import THREAD_KEY
from innokraft.learner.service import LearnerService
from innokraft.teams.sessions import TeamStore
from tests.unit.conftest import INITIATIVE
from widgets.compute import mandate as md
from widgets.journey import journey_html
from widgets.plan import FIELDS, NinetyDayPlan

TODAY = dict(zip(md.DECISIONS, ["management", "management", "committee", "committee", "committee"], strict=True))
OUGHT = dict(zip(md.DECISIONS, ["team", "unit_manager", "team", "unit_manager", "committee"], strict=True))
SKILLS = ["iteration", "data_literacy", "user_centricity", "curiosity", "storytelling", "insurgency"]
GUESS = {"mistake_held": 1, "raise_problems": 5, "ask_help": 4, "new_idea_risky": 2, "failed_test_talk": 4,
         "disagree_manager": 4, "skills_used": 4}
# Every module answered, as each module's page saves it (learner text with markup in it).
ANSWERS = {
    "m1.unit_barometer": {"time": -2, "money": -3, "rules": -3, "leader_support": 2},
    "m2.team_coverage": {"ratings": dict.fromkeys(SKILLS, 2) | {"data_literacy": 1, "curiosity": 0},
                         "moved": SKILLS, "means": {}},
    "m3.portfolio_mapper": {"items": [{"id": "a", "name": "Ett", "x": 2, "y": 5, "size": 300},
                                      {"id": "b", "name": "Två", "x": 8, "y": 5, "size": 100}]},
    "m4.assumption_map": {"items": [{"id": "a", "name": "Personalen vill <i>byta</i>", "x": 2, "y": 9},
                                    {"id": "b", "name": "Känt", "x": 8, "y": 9}]},
    "m5.test_card": {"card": {"hypothesis": "Vi tror att signeringar sparar tid.", "test": "Prova",
                              "criterion": "minst 8 av 10", "decide_on": "2027-02-15"}, "first": None},
    "m6.team_pulse": {"guess": GUESS, "locked": True},
    "m7.diffusion_simulator": {"ratings": {"relative_advantage": 3, "compatibility": 3, "complexity": 3,
                                           "trialability": 5, "observability": 1}, "n": 40},
    "m8.mandate_matrix": {"today": TODAY, "should": OUGHT},
    "m8.benefit_map": {"goal": "Fler brukare känner sig trygga", "kind": "effect", "indicator": "Andel trygga",
                       "baseline": "60", "target": "80", "latest": "65", "owner": "Enhetschefen",
                       "measure_on": "2027-03-01"},
}


@pytest.fixture
def wrapup(module_pages, monkeypatch):
    """Anna's wrap-up page on 8 December 2026, `make(lang)`, and the store."""
    monkeypatch.setenv("INNOKRAFT_NOW", "2026-12-08T09:00:00+01:00")
    open_module, store = module_pages(initiative=True)
    return (lambda lang="sv": open_module("wrapup", lang)), store


def answer_all(store) -> None:
    for key, value in ANSWERS.items():
        store.save_answer("anna", key, value)


def team_answers(count: int) -> None:
    """Anna opens M6's team link through the learner service; each answer is one phone's."""
    settings = Settings.from_env()
    token = LinkSigner(load_secret(settings), 30).issue("anna", DEMO_COHORT)
    service = LearnerService.open(settings)
    session = service.call("team_open", token, {"exercise": "m6.team_pulse", "minutes": 60})["team"]["id"]
    team = {"mistake_held": [2, 3, 4, 2, 3, 4], "raise_problems": [4, 3, 4, 2, 4, 3], "ask_help": [5, 4, 4, 4, 3, 5],
            "new_idea_risky": [3, 4, 2, 3, 4, 3], "failed_test_talk": [2, 3, 2, 3, 3, 2],
            "disagree_manager": [2, 3, 3, 2, 4, 2], "skills_used": [4, 4, 3, 5, 4, 3]}
    for n in range(count):
        TeamStore(service.store).answer(session, f"phone-{n}", {i: v[n] for i, v in team.items()}, clock.now(settings))


def lines(html: Markup) -> dict[str, str]:
    """Each station's line as a reader sees it (tags dropped, the escapes kept)."""
    return {m: re.sub(r"<[^>]+>", "", body) for m, body in re.findall(r'<li data-module="(m\d)">(.*?)</li>', html)}


# -- the journey ------------------------------------------------------------------------------------
def test_the_journey_names_what_each_module_did_with_the_initiative(wrapup):
    make, store = wrapup
    answer_all(store)
    team_answers(6)
    html = journey_html(make())
    assert html.startswith('<section class="innokraft-journey" aria-labelledby="innokraft-journey-h">')
    said = lines(html)
    assert list(said) == ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"] and "<ol>" in html
    # The leader's words are escaped: markup they typed shows as typed.
    assert said["m1"] == ("Modul 1 – varför. Initiativet: Digitala signeringar i hemtjänsten &lt;b&gt;nu&lt;/b&gt;. "
                          "Största hindret i barometern: Pengar och andra resurser.")
    assert said["m2"] == "Modul 2 – vilka. Förmågan ni behövde låna in: Vara nyfiken."
    assert said["m3"] == ("Modul 3 – var i portföljen. Du placerade 2 initiativ. Störst andel av budgeten, "
                          "75 procent, gick till förbättringsorienterad innovation.")
    assert said["m4"] == ("Modul 4 – antaganden. Antagandet att testa först: "
                          "Personalen vill &lt;i&gt;byta&lt;/i&gt;.")
    assert said["m5"] == ("Modul 5 – test. Hypotes: Vi tror att signeringar sparar tid. Kriterium: minst 8 av 10. "
                          "Beslutsdatum: 15 februari 2027.")
    # M6's example (test_m6_exercises): the team 55, the guess 82.
    assert said["m6"] == "Modul 6 – trygghet. Teamets trygghet: 55 av 100. Din gissning: 82 av 100."
    assert said["m7"] == ("Modul 7 – spridning. Hälften använder det efter ungefär 15 månader. "
                          "Förbättra först: synlighet.")
    # (3-1) + (3-2) + (4-1) + (4-2) + 0 levels.
    assert said["m8"].startswith("Modul 8 – mandat. Eskaleringsavståndet är 8: så många nivåer högre upp")
    assert said["m8"].endswith("Effektmål: Fler brukare känner sig trygga.")
    assert "<i>" not in html and "<b>nu" not in html

    english = lines(journey_html(make("en")))
    assert english["m5"].endswith("Decision date: 15 February 2027.")
    assert english["m6"] == "Module 6 – safety. The team's safety: 55 out of 100. Your guess: 82 out of 100."


def test_a_leader_who_answered_nothing_sees_not_filled_in_on_every_line(module_pages):
    open_module, _store = module_pages()
    page = open_module("wrapup")
    said = lines(journey_html(page))
    assert said == {m: f"Modul {m[1]} – {word}. Inte ifyllt." for m, word in zip(
        said, ["varför", "vilka", "var i portföljen", "antaganden", "test", "trygghet", "spridning", "mandat"],
        strict=True)}
    assert len(said) == 8
    page.journey()  # shown on the page, not as a part that failed
    assert page.course_answers() == {}


def test_odd_stored_shapes_read_as_not_filled_in_and_a_half_answer_says_what_is_missing(wrapup):
    make, store = wrapup
    odd = {THREAD_KEY: ["not", "a", "thread"], "m1.unit_barometer": {"time": "−3", "money": True},
           "m2.team_coverage": {"ratings": "all", "moved": "all"}, "m3.portfolio_mapper": {"items": {"a": 1}},
           "m4.assumption_map": [{"name": "x"}], "m5.test_card": {"card": {"hypothesis": 5}},
           "m6.team_pulse": {"guess": {"mistake_held": 9}, "locked": True}, "m7.diffusion_simulator": "fast",
           "m8.mandate_matrix": {"today": {"spend": "king"}}, "m8.benefit_map": {"goal": None}}
    for key, value in odd.items():
        store.save_answer("anna", key, value)
    page = make()
    said = lines(journey_html(page))
    assert all(line.endswith(". Inte ifyllt.") for line in said.values()), said
    # Half of a station: its other half says what is missing; the locked guess with no team yet.
    store.save_answer("anna", "m5.test_card", {"card": {"hypothesis": "Vi tror att X.", "decide_on": "snart"}})
    store.save_answer("anna", "m6.team_pulse", {"guess": GUESS, "locked": True})
    team_answers(2)  # fewer than five: the team's result is not shown
    said = lines(journey_html(make()))
    assert said["m5"] == "Modul 5 – test. Hypotes: Vi tror att X. Kriterium: Inte ifyllt. Beslutsdatum: snart."
    assert said["m6"] == "Modul 6 – trygghet. Teamets trygghet: visas när minst 5 har svarat. Din gissning: 82 av 100."


# -- the plan -----------------------------------------------------------------------------------------
def test_the_plan_starts_with_what_the_course_knows_and_saves_only_the_leaders_words(wrapup):
    make, store = wrapup
    answer_all(store)
    plan = NinetyDayPlan(make(), "plan")
    assert plan.key == "wrapup.plan" and not plan.is_done()
    v = plan.values()
    assert v["initiative"] == INITIATIVE and v["goal_90"] == "Fler brukare känner sig trygga"
    assert v["next_test"] == "Vi tror att signeringar sparar tid.\nBeslutsdatum: 15 februari 2027"
    assert v["mandate"] == ("Arbetslaget beslutar: Starta ett test på 4 veckor inom ordinarie budget; "
                            "Be brukare, elever eller invånare att pröva lösningen\n"
                            "Enhetschefen beslutar: Använda högst 20\u00a0000 kronor till testet; "
                            "Avsluta ett test som inte når sitt kriterium\n"
                            "Nämnden beslutar: Införa lösningen i hela förvaltningen")
    assert v["effect_goals"] == ("Effektmål: Fler brukare känner sig trygga\nMått: Andel trygga\nMålvärde: 80\n"
                                 "Ansvarig: Enhetschefen\nNästa mätning: 1 mars 2027")
    assert v["follow_up"] == "Dag 30: 7 januari 2027\nDag 60: 6 februari 2027\nDag 90: 8 mars 2027"
    assert v["pulse_again"] == "2 mars 2027"  # twelve weeks (exercises/wrapup.yaml)
    assert v["commitments"] == v["stop_doing"] == v["support"] == ""
    # Each field is labelled with its visible text.
    assert [a.description for a in plan.areas.values()][:2] == [
        "Initiativet", "Det här vill vi ha uppnått om nittio dagar (ett effektmål)"]
    assert "wrapup.plan" not in store.answers("anna")  # nothing of the leader's yet

    plan.areas["commitments"].value = "1. Testa <script>x</script> i januari"
    plan.areas["goal_90"].value = ""  # emptied on purpose: stays empty
    plan.page.autosaver.flush()
    saved = store.answers("anna")["wrapup.plan"]
    assert saved == {"made_on": "2026-12-08", "fields": {"commitments": "1. Testa <script>x</script> i januari",
                                                          "goal_90": ""}}
    assert plan.is_done()

    # The course's answers change later: the untouched fields follow them, the leader's stay.
    store.save_answer("anna", "m8.benefit_map", {**ANSWERS["m8.benefit_map"], "goal": "Kortare väntetid"})
    again = NinetyDayPlan(make(), "plan")
    v = again.values()
    assert v["commitments"] == "1. Testa <script>x</script> i januari" and v["goal_90"] == ""
    assert v["effect_goals"].startswith("Effektmål: Kortare väntetid\n")
    assert again.is_done()

    # A long answer is kept whole: no learner's words are cut off.
    long = "Vi ska pröva en sak i taget. " * 120
    again.areas["support"].value = long
    again.page.autosaver.flush()
    assert store.answers("anna")["wrapup.plan"]["fields"]["support"] == long
    assert NinetyDayPlan(make(), "plan").values()["support"] == long


def test_the_plans_dates_stay_with_the_day_it_was_made(wrapup, monkeypatch):
    make, store = wrapup
    store.save_answer("anna", "wrapup.plan", {"made_on": "2026-11-02", "fields": {"support": "Tid"}})
    monkeypatch.setenv("INNOKRAFT_NOW", "2027-01-20T09:00:00+01:00")
    plan = NinetyDayPlan(make("en"), "plan")
    v = plan.values()
    assert v["follow_up"] == "Day 30: 2 December 2026\nDay 60: 1 January 2027\nDay 90: 31 January 2027"
    assert v["pulse_again"] == "25 January 2027" and v["support"] == "Tid"
    assert "The plan was made on 2 November 2026." in plan.download.plan["lines"]
    # A plan never saved counts from today.
    store.save_answer("anna", "wrapup.plan", {"fields": {}})
    assert NinetyDayPlan(make("en"), "plan").values()["pulse_again"] == "14 April 2027"


@pytest.mark.parametrize("value", ["plan", [1, 2], {"made_on": "soon", "fields": ["x"]},
                                   {"made_on": 20261102, "fields": {"initiative": 5, "nobody": "x"}}])
def test_a_plan_stored_in_an_odd_shape_opens_with_the_courses_words(wrapup, value):
    make, store = wrapup
    store.save_answer("anna", "wrapup.plan", value)
    plan = NinetyDayPlan(make(), "plan")
    assert plan.values()["initiative"] == INITIATIVE and plan.own == set()
    assert plan.values()["follow_up"].startswith("Dag 30: 7 januari 2027")


def test_the_plan_goes_home_as_plain_text_and_never_as_markup(wrapup):
    make, store = wrapup
    answer_all(store)
    plan = NinetyDayPlan(make(), "plan")
    plan.areas["stop_doing"].value = "Möten utan <em>syfte</em>\nRapporter ingen läser"
    doc = plan.download.plan
    assert doc["file_name"] == "90-dagarsplan.txt" and doc["download_label"] == "Ladda ned planen som textfil"
    assert doc["print_label"] == "Skriv ut planen eller spara den som pdf"
    text = doc["text"]
    assert text.startswith("Din plan för de kommande nittio dagarna\n=======")
    assert "Planen gjordes 8 december 2026." in text
    # As written, in the fields' order; empty fields say so.
    stop = "Det här slutar jag göra\n-----------------------\nMöten utan <em>syfte</em>\nRapporter ingen läser\n"
    assert stop in text
    assert "Stöd jag behöver, och från vem\n------------------------------\n–\n" in text
    assert [s["label"] for s in doc["sections"]] == [plan.t(f"wrapup.plan.fields.{f}") for f in FIELDS]
    assert text.index("Initiativet") < text.index("Mina tre åtaganden") < text.index("Datum för ny teampuls")
    text.encode("utf-8")
    # The page's own HTML never carries the leader's markup as markup.
    shown = "".join(str(getattr(c, "value", "")) for c in plan.children if not hasattr(c, "rows"))
    assert "<em>" not in shown and "<b>nu" not in shown
