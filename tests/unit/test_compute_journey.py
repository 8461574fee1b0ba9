"""The wrap-up's look-ups in stored answers (widgets/compute/journey.py) and the plan's dates and
text (widgets/compute/plan.py): what each module's answer gives, and nothing but None from a shape
no page saves."""

from __future__ import annotations

from datetime import date

import pytest

from innokraft.course.load import exercise_data
from tests.conftest import REPO
from widgets.compute import diffusion as dm
from widgets.compute import journey as jy
from widgets.compute import mandate as md
from widgets.compute.plan import check_ins, plan_text, pulse_on

CONFIG = REPO / "course_config"
FACTORS = [f["id"] for f in exercise_data(CONFIG, "m1", "unit_barometer")["factors"]]
SKILLS = [i["id"] for i in exercise_data(CONFIG, "m2", "team_coverage")["items"]]
_m7 = exercise_data(CONFIG, "m7", "diffusion_simulator")
FORMULA = dm.Formula(**_m7["formula"])
CHOICES = _m7["weight_choices"]
PULSE_ITEMS = ["a", "b", "c"]
REVERSE = {"a": False, "b": True, "c": False}
TODAY = dict(zip(md.DECISIONS, ["management", "management", "committee", "committee", "committee"], strict=True))
OUGHT = dict(zip(md.DECISIONS, ["team", "unit_manager", "unit_manager", "unit_manager", "committee"], strict=True))

ODD = [None, "", "text", 3, True, [], [1, 2], {"items": "nope"}, {"ratings": [1]}, {"card": "x"},
       {"guess": [1], "locked": "yes"}, {"today": "x", "should": None}, {"goal": 7}, {"x": float("nan")}]


@pytest.mark.parametrize("value", ODD)
def test_a_shape_no_page_saves_reads_as_not_filled_in(value):
    assert jy.top_barrier(value, FACTORS) is None
    assert jy.skill_to_borrow(value, SKILLS) is None
    assert jy.portfolio_focus(value) is None
    assert jy.assumption_to_test(value) is None
    assert jy.card_of(value) is None
    assert jy.guess_index(value, PULSE_ITEMS, REVERSE, 1, 5) is None
    assert jy.team_index(value, PULSE_ITEMS, [1, 2, 3, 4, 5], REVERSE, 1, 5) is None
    assert jy.spread(value, FORMULA, CHOICES, 0.25) is None
    assert jy.escalation(value) is None
    assert jy.benefit_goal(value) is None


@pytest.mark.parametrize("value,low,high,expected", [
    (3, 1, 5, 3), (3.0, 1, 5, 3), (2.5, 1, 5, None), (True, 0, 5, None), ("3", 1, 5, None),
    (6, 1, 5, None), (float("inf"), 1, 5, None), (-3, -3, 3, -3)])
def test_a_whole_number_is_a_number_within_its_scale_and_nothing_else(value, low, high, expected):
    assert jy.whole(value, low, high) == expected


def test_the_barometer_names_the_most_hindering_factor_first_in_its_order():
    assert jy.top_barrier({"rules": -3, "time": -2, "money": -3, "tools": 2}, FACTORS) == "money"
    # Rated, nothing hinders: "" (answered, nothing to name), not None (not filled in).
    assert jy.top_barrier({"time": 0, "tools": 3}, FACTORS) == ""
    # Unknown factors, out-of-scale and boolean ratings are no ratings.
    assert jy.top_barrier({"gossip": -3, "time": -9, "money": True}, FACTORS) is None


def test_the_team_coverage_names_a_skill_nobody_has_before_one_only_one_person_has():
    ratings = dict.fromkeys(SKILLS, 2) | {"data_literacy": 1, "curiosity": 0}
    assert jy.skill_to_borrow({"ratings": ratings, "moved": SKILLS}, SKILLS) == "curiosity"
    assert jy.skill_to_borrow({"ratings": ratings | {"curiosity": 3}, "moved": SKILLS}, SKILLS) == "data_literacy"
    assert jy.skill_to_borrow({"ratings": dict.fromkeys(SKILLS, 2), "moved": SKILLS}, SKILLS) == ""
    # A slider never moved stands at 0 without being an answer; half rated without a gap says nothing.
    assert jy.skill_to_borrow({"ratings": dict.fromkeys(SKILLS, 0), "moved": []}, SKILLS) is None
    assert jy.skill_to_borrow({"ratings": dict.fromkeys(SKILLS, 3), "moved": SKILLS[:3]}, SKILLS) is None


def test_the_portfolio_names_the_facet_with_most_of_the_cost():
    items = [{"id": "a", "name": "Ett", "x": 2, "y": 5, "size": 300}, {"id": "b", "name": "Två", "x": 8, "y": 5,
                                                                        "size": 100},
             {"id": "c", "name": "Trasig", "x": 12, "y": 5, "size": 900}, {"id": "d", "name": "", "x": 1, "y": 1}]
    focus = jy.portfolio_focus({"items": items})
    assert focus == jy.Focus("enhancement", 0.75, 2)
    # Points without cost, or only in the unclear middle, name no facet.
    assert jy.portfolio_focus({"items": [{"name": "Noll", "x": 2, "y": 5, "size": 0}]}) is None
    assert jy.portfolio_focus({"items": [{"name": "Mitten", "x": 5, "y": 5.5, "size": 10}]}) is None


def test_the_assumption_to_test_is_the_most_urgent_in_test_first_else_the_most_urgent():
    items = [{"name": "Viktig men känd", "x": 9, "y": 9}, {"name": "Lite viktig, okänd", "x": 0, "y": 4.9},
             {"name": "Viktig och okänd", "x": 4.9, "y": 5}]
    # 4.9 × 10 / 10 = 4.9 outranks 5 × 5.1 / 10 = 2.55, but only the last is in "test first".
    assert jy.assumption_to_test({"items": items}) == "Viktig och okänd"
    assert jy.assumption_to_test({"items": items[:2]}) == "Lite viktig, okänd"


def test_the_test_card_gives_its_three_fields_as_written():
    card = {"hypothesis": " Vi tror att X. ", "criterion": "minst 8 av 10", "decide_on": 20270215, "test": "t"}
    assert jy.card_of({"card": card}) == {"hypothesis": "Vi tror att X.", "criterion": "minst 8 av 10", "decide_on": ""}
    assert jy.card_of({"card": {"test": "only the test"}}) is None


def test_the_pulse_indices_need_a_locked_whole_guess_and_a_visible_team_result():
    guess = {"guess": {"a": 5, "b": 1, "c": 5}, "locked": True}
    assert jy.guess_index(guess, PULSE_ITEMS, REVERSE, 1, 5) == 100  # b is worded the other way round
    assert jy.guess_index({**guess, "locked": False}, PULSE_ITEMS, REVERSE, 1, 5) is None
    assert jy.guess_index({"guess": {"a": 5, "b": 1}, "locked": True}, PULSE_ITEMS, REVERSE, 1, 5) is None
    # Medians 3, 4 (reversed: 2) and 5: (2 + 1 + 4) / 3 / 4 × 100.
    items = [{"id": "a", "counts": [0, 0, 1, 0, 0]}, {"id": "b", "counts": [0, 0, 0, 3, 0]},
             {"id": "c", "counts": [0, 0, 0, 0, 2]}, {"id": "zz", "counts": [9, 0, 0, 0, 0]}]
    result = {"visible": True, "count": 5, "items": items}
    assert jy.team_index(result, PULSE_ITEMS, [1, 2, 3, 4, 5], REVERSE, 1, 5) == pytest.approx(700 / 12)
    assert jy.team_index({**result, "visible": False}, PULSE_ITEMS, [1, 2, 3, 4, 5], REVERSE, 1, 5) is None
    bad = {"visible": True, "items": [{"id": "a", "counts": [1, 2]}, {"id": "b", "counts": ["x"] * 5}]}
    assert jy.team_index(bad, PULSE_ITEMS, [1, 2, 3, 4, 5], REVERSE, 1, 5) is None


def test_the_spread_is_the_simulators_with_the_leaders_own_weights():
    ratings = dict.fromkeys(dm.ATTRIBUTES, 3) | {"trialability": 5, "observability": 1}
    found = jy.spread({"ratings": ratings, "n": 40}, FORMULA, CHOICES, 0.25)
    same = dm.simulate(ratings, 40, 36, FORMULA, 0.25)
    assert found == jy.SpreadSummary(same.months_to_half, ["observability"])
    assert round(found.months_to_half) == 15
    # Observability made to count for nothing: four attributes tie for the most months saved.
    flat = dict.fromkeys(dm.ATTRIBUTES, 3)
    own = jy.spread({"ratings": flat, "weights": {"observability": 0}}, FORMULA, CHOICES, 0.25)
    assert own.fastest == ["relative_advantage", "compatibility", "complexity", "trialability"]
    # A weight that is no choice of the page's counts as the course's own.
    assert jy.spread({"ratings": flat, "weights": {"observability": 7}}, FORMULA, CHOICES, 0.25).fastest == \
        ["relative_advantage", "complexity", "observability"]
    assert jy.spread({"ratings": {**flat, "complexity": 6}}, FORMULA, CHOICES, 0.25) is None


def test_the_mandate_gives_the_escalation_distance_once_every_choice_is_made():
    # design-m8.md's worked example: (3-1) + (3-2) + (4-2) + (4-2) + 0.
    assert jy.escalation({"today": TODAY, "should": OUGHT}) == 7
    assert jy.escalation({"today": {**TODAY, "spend": "dont_know"}, "should": OUGHT}) == 6
    assert jy.escalation({"today": TODAY, "should": {**OUGHT, "spend": "dont_know"}}) is None
    today, should = jy.mandate_columns({"today": {"spend": "king"}, "should": {"spend": "team", "x": "team"}})
    assert today == {} and should == {"spend": "team"}


def test_the_benefit_goal_needs_a_goal():
    goal = {"goal": " Fler känner sig trygga ", "indicator": "Enkät", "target": 80, "owner": "Chefen", "kind": "effect"}
    assert jy.benefit_goal(goal) == {"goal": "Fler känner sig trygga", "indicator": "Enkät", "target": "",
                                     "owner": "Chefen", "measure_on": ""}
    assert jy.benefit_goal({**goal, "goal": "  "}) is None


def test_the_plans_dates_count_from_the_day_it_was_made():
    made = date(2026, 12, 8)
    assert check_ins(made, [30, 60, 90]) == [(30, date(2027, 1, 7)), (60, date(2027, 2, 6)), (90, date(2027, 3, 8))]
    assert pulse_on(made, 12) == date(2027, 3, 2)
    assert pulse_on(date(2027, 12, 20), 2) == date(2028, 1, 3)


def test_the_plans_text_is_plain_text_as_written():
    text = plan_text("Plan", ["Kurs", "Gjord"], [("Initiativet", "<b>Ett</b>  \n  andra raden"), ("Tomt", " ")], "–")
    assert text == ("Plan\n====\nKurs\nGjord\n\nInitiativet\n-----------\n<b>Ett</b>\n  andra raden\n\n"
                    "Tomt\n----\n–\n")
