"""M6's computations: the scenario cards' two indices and zones (design-m6.md's worked examples,
the rules in exercises/m6.yaml), leaders answering at random under a fixed seed against the exact
mean over every path, and the team pulse's medians, reversal and indices."""

from __future__ import annotations

import statistics

import pytest

from innokraft.core.settings import Settings
from innokraft.course.load import exercise_data
from widgets.compute import safety as sm
from widgets.compute.models import ANSWERS


@pytest.fixture(scope="module")
def cards():
    data = exercise_data(Settings.from_env().config_dir, "m6", "safety_cards")
    types = {k: (v["safety"], v["accountability"]) for k, v in data["types"].items()}
    return data, types


def test_the_best_answers_end_in_the_learning_zone(cards):
    data, types = cards
    run = sm.play(["thank", "fallible", "invite", "thank", "boundary", "frame_test"], types, (50, 50), 60)
    assert run.safety == [50, 58, 63, 69, 77, 77, 81]
    assert run.accountability == [50, 52, 52, 52, 54, 60, 64]
    assert run.zone == "learning" and run.biggest_drop is None
    assert sm.moves(run.used, data["moves"]) == {"frame_learning": 1, "fallibility": 1, "curiosity": 3}


def test_nice_answers_are_comfortable_not_a_learning_zone(cards):
    _data, types = cards
    run = sm.play(["thank", "lower_bar", "invite", "thank", "lower_bar", "lower_bar"], types)
    assert (run.safety[-1], run.accountability[-1], run.zone) == (78, 36, "comfort")


def test_blame_and_silence_end_apathetic_with_the_first_blame_as_the_biggest_drop(cards):
    _data, types = cards
    run = sm.play(["blame", "dismiss", "dismiss", "take_over", "lower_bar", "dismiss"], types)
    assert (run.safety[-1], run.accountability[-1], run.zone) == (23, 35, "apathy")
    assert run.biggest_drop == 0
    # Two equal worst drops: the first one is named.
    assert sm.play(["dismiss", "blame", "blame"], types).biggest_drop == 1


def test_the_indices_stay_within_0_and_100():
    types = {"up": (30, 30), "down": (-30, -30)}
    up = sm.play(["up"] * 4, types)
    down = sm.play(["down"] * 4, types)
    assert up.safety[-1] == 100 and down.safety[-1] == 0 and up.zone == "learning" and down.zone == "apathy"
    assert sm.play(["down", "up"], types).safety == [50, 20, 50]


@pytest.mark.parametrize(("s", "a", "zone"), [(60, 60, "learning"), (60, 59.9, "comfort"), (59.9, 60, "anxiety"),
                                              (10, 10, "apathy")])
def test_the_zone_line_counts_as_high(s, a, zone):
    assert sm.zone(s, a, 60) == zone


def test_random_answers_under_a_fixed_seed_match_the_exact_mean_over_every_path(cards):
    """4,000 leaders answering at random: their mean end point lies within four standard errors of
    the exact mean over all 3^6 equally likely paths, and that mean is not the start (the cards are
    not neutral: answering at random costs safety)."""
    data, types = cards
    options = [c["responses"] for c in data["cards"]]
    exact_s, exact_a = sm.expected_end(options, types)
    runs = sm.random_runs(options, types, 4000, seed=2026)
    for values, exact in (([r.safety[-1] for r in runs], exact_s), ([r.accountability[-1] for r in runs], exact_a)):
        se = statistics.stdev(values) / len(values) ** 0.5
        assert abs(statistics.mean(values) - exact) < 4 * se
    # Without clamping the mean would be the start plus the mean change per card, summed.
    unclamped = 50 + sum(statistics.mean(types[t][0] for t in c) for c in options)
    assert exact_s == pytest.approx(unclamped, abs=0.5) and exact_s < 50
    # The zones a random leader lands in: the learning zone is the rarest.
    zones = {z: sum(r.zone == z for r in runs) for z in sm.ZONES.values()}
    assert zones["learning"] == min(zones.values()) and sum(zones.values()) == 4000


def test_median_of_counts():
    values = [1, 2, 3, 4, 5]
    assert sm.median_of_counts([0, 1, 3, 1, 0], values) == 3
    assert sm.median_of_counts([0, 3, 0, 3, 0], values) == 3      # 2 2 2 4 4 4
    assert sm.median_of_counts([1, 0, 2, 3, 0], values) == 3.5    # 1 3 3 4 4 4
    assert sm.median_of_counts([0, 0, 0, 0, 0], values) is None
    given = [2, 3, 4, 2, 3, 4, 5]
    assert sm.median_of_counts([given.count(v) for v in values], values) == statistics.median(given)


def test_the_pulse_compares_the_guess_with_the_team_towards_safety():
    """design-m6.md's worked example: guess index 82, team index 55, the widest gap on the reversed
    "a mistake is held against me" (guessed 1, team median 3: +2 towards safety)."""
    reverse = {"mistake_held": True, "raise_problems": False, "ask_help": False, "new_idea_risky": True,
               "failed_test_talk": False, "disagree_manager": False, "skills_used": False}
    answers = {"mistake_held": [2, 3, 4, 2, 3, 4], "raise_problems": [4, 3, 4, 2, 4, 3],
               "ask_help": [5, 4, 4, 4, 3, 5], "new_idea_risky": [3, 4, 2, 3, 4, 3],
               "failed_test_talk": [2, 3, 2, 3, 3, 2], "disagree_manager": [2, 3, 3, 2, 4, 2],
               "skills_used": [4, 4, 3, 5, 4, 3]}
    guess = {"mistake_held": 1, "raise_problems": 5, "ask_help": 4, "new_idea_risky": 2,
             "failed_test_talk": 4, "disagree_manager": 4, "skills_used": 4}
    medians = {i: sm.median_of_counts([v.count(k) for k in range(1, 6)], list(range(1, 6)))
               for i, v in answers.items()}
    assert medians["raise_problems"] == 3.5 and medians["failed_test_talk"] == 2.5
    c = sm.compare(guess, medians, reverse)
    assert round(c.guess_index) == 82 and round(c.team_index) == 55
    assert c.gaps["mistake_held"] == 2 and c.gaps["new_idea_risky"] == 1 and c.gaps["ask_help"] == 0
    assert c.widest == "mistake_held" and c.over[0] == "mistake_held" and "ask_help" not in c.over
    assert len(c.over) == 5
    # A guess that matches the team has no widest gap; reversing twice is the identity.
    same = sm.compare({i: int(m) for i, m in {"ask_help": 4}.items()}, {"ask_help": 4.0}, {"ask_help": False})
    assert same.widest is None and same.guess_index == same.team_index == 75
    assert sm.towards_safety(sm.towards_safety(2, True), True) == 2 and sm.towards_safety(1, True) == 5


def test_the_hook_is_a_finding_with_nothing_to_draw():
    answer = ANSWERS["finding"]({"correct": 0}, [{}, {}, {}], 1000, 0)
    assert answer.value == 0 and answer.bars == []
