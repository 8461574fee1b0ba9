"""The exercises' computations, without widgets (widgets/compute/)."""

from __future__ import annotations

import pytest

from widgets.compute.predictions import Target, score_predictions, signed_error
from widgets.compute.quiz import Attempts, first_attempt_score, quiz_score
from widgets.compute.ratings import profile


def test_score_predictions_signed_and_absolute():
    score = score_predictions({"a": 70, "b": 50, "c": 10},
                              {"a": Target(80), "b": Target(50), "c": Target(79)})
    assert score.errors == {"a": -10, "b": 0, "c": -69}
    assert score.mean_error == pytest.approx(79 / 3)
    assert score.bias == pytest.approx(-79 / 3)
    assert (score.closest, score.farthest) == ("b", "c")


@pytest.mark.parametrize("guess,error", [(40, -10), (50, 0), (51, 0), (90, 0)])
def test_more_than_half_is_met_by_any_guess_above_half(guess, error):
    assert signed_error(guess, Target(50, ">")) == error


def test_less_than_is_a_bound_too():
    assert signed_error(10, Target(30, "<")) == 0 and signed_error(40, Target(30, "<")) == 10


def test_overestimates_give_a_positive_bias():
    score = score_predictions({"a": 90, "b": 60}, {"a": Target(80), "b": Target(50)})
    assert score.bias == 10 and score.mean_error == 10
    assert score.closest == "a" and score.farthest == "a"  # ties go to the first item


def test_profile_orders_and_picks_barrier_and_driver():
    ordered, barrier, driver = profile({"time": -3, "money": -3, "tools": 2, "rules": 0, "citizens": 3})
    assert ordered[0] == ("time", -3) and ordered[-1] == ("citizens", 3)
    assert barrier == "time"  # ties keep the exercise's order
    assert driver == "citizens"
    assert profile({"a": 0, "b": 1})[1:] == (None, "b")
    assert profile({"a": 0, "b": 0})[1:] == (None, None)


def test_quiz_score():
    assert quiz_score({"q1": 1, "q2": None, "q3": 0}, {"q1": 1, "q2": 0, "q3": 2}) == (1, 2)


def test_first_attempt_is_kept_through_retries():
    key = {"q1": 1, "q2": 0}
    a = Attempts()
    a.answer("q1", 0)
    a.answer("q1", 1)
    a.answer("q1", 1)  # the same choice again is not a new try
    a.answer("q2", None)  # no choice yet
    assert a.first == {"q1": 0} and a.latest == {"q1": 1} and a.tries == {"q1": 2}
    assert first_attempt_score(a, key) == (0, 1)
    saved = a.as_dict(key)
    assert saved["first"]["q1"] == {"choice": 0, "correct": False}
    back = Attempts.from_dict(saved)
    assert (back.first, back.latest, back.tries) == (a.first, a.latest, a.tries)


def test_older_saved_quiz_answers_count_as_first_attempts():
    a = Attempts.from_dict({"q1": 1, "q2": None})
    assert a.first == {"q1": 1} and a.latest == {"q1": 1}


# -- E1.2 sorting cases by the three Ns ---------------------------------------------------------
from widgets.compute.sorter import implied, score_sorting  # noqa: E402

N3 = ["new", "useful", "used"]


def test_a_choice_implies_yes_or_no_per_criterion():
    assert implied("none", N3) == {"new": True, "useful": True, "used": True}
    assert implied("used", N3) == {"new": True, "useful": True, "used": False}


def test_sorting_scores_per_criterion_and_names_the_weakest():
    key = {"a": "none", "b": "used", "c": "new", "d": "used"}
    score = score_sorting({"a": "none", "b": "none", "c": "useful", "d": "used"}, key, N3)
    assert score.right_cases == ["a", "d"]
    # b: said all hold, but "used" fails -> wrong on used. c: said useful fails, new does -> wrong on both.
    assert score.per_criterion == {"new": (3, 1), "useful": (3, 1), "used": (3, 1)}
    assert score.weakest == "new"  # a three-way tie goes to the first criterion
    assert score_sorting(key, key, N3).weakest is None
    assert score_sorting({}, key, N3).per_criterion == {c: (0, 0) for c in N3}


# -- M2: the team lottery, rating grids -------------------------------------------------------
from widgets.compute.coverage import exact_share_missing, simulate_teams  # noqa: E402
from widgets.compute.ratings import coverage, group_means, lowest  # noqa: E402


def test_exact_share_missing_by_hand():
    # One member strong in one of two skills always leaves the other uncovered.
    assert exact_share_missing(1, 1, 2) == pytest.approx(1.0)
    # Two members, one of two skills each: uncovered unless they differ -> 1/2.
    assert exact_share_missing(2, 1, 2) == pytest.approx(0.5)
    assert exact_share_missing(6, 2) == pytest.approx(0.4666, abs=1e-4)


@pytest.mark.parametrize("size,strengths", [(6, 2), (4, 2), (8, 3), (10, 1)])
def test_simulation_agrees_with_the_exact_value(size, strengths):
    """Statistical check: 4,000 seeded runs lie within four standard errors of the exact share."""
    runs = 4000
    result = simulate_teams(size, strengths, runs=runs, seed=11)
    p = exact_share_missing(size, strengths)
    se = (p * (1 - p) / runs) ** 0.5
    assert abs(result.share_missing - p) <= 4 * se + 1e-9
    assert sum(result.missing_counts) == runs


def test_simulation_is_deterministic_under_a_seed():
    assert simulate_teams(6, 2, seed=5) == simulate_teams(6, 2, seed=5)
    assert simulate_teams(6, 2, seed=5) != simulate_teams(6, 2, seed=6)
    with pytest.raises(ValueError):
        simulate_teams(6, 7)


def test_group_means_and_lowest():
    groups = {"a1": "a", "a2": "a", "b1": "b", "c1": "c"}
    means = group_means({"a1": 1, "a2": 4, "b1": 2, "c1": None}, groups)
    assert means == {"a": 2.5, "b": 2.0}  # c has no rating yet
    assert lowest({"a": 2.0, "b": 2.0, "c": 1.0}, 2) == ["c", "a"]  # ties keep the order


def test_coverage_holds_the_leader_to_their_own_scale():
    # Own means on the profile's 1-5 scale; weak at 2.5 or below ("stämmer delvis", 3, is not).
    own = {"a": 3.0, "b": 1.0, "d": 2.5}
    gaps, fragile, critical = coverage({"a": 0, "b": 1, "c": 3, "d": 0}, own, own_low=2.5)
    assert gaps == ["a", "d"] and fragile == ["b"] and critical == ["d", "b"]
    assert coverage({"a": 0}, None, own_low=2.5)[2] == []
