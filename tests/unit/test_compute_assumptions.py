"""M4's computations: the assumption map and the test-first Monte Carlo."""

from __future__ import annotations

import math

import numpy as np
import pytest

from widgets.compute.assumptions import Assumption, counts, priority, quadrant, rank, suggested_test
from widgets.compute.testing_sim import all_hold, simulate


@pytest.mark.parametrize("importance,evidence,expected", [
    (9, 1, "test_first"), (9, 8, "build_on"), (2, 2, "watch"), (2, 9, "set_aside"), (5, 5, "build_on"),
])
def test_quadrant(importance, evidence, expected):
    assert quadrant(importance, evidence) == expected


def test_priority_and_suggested_test():
    assert priority(10, 0) == 10 and priority(0, 0) == 0 and priority(8, 5) == 4
    assert [suggested_test(e) for e in (0, 3, 4, 6, 7, 10)] == [
        "talk", "talk", "prototype", "prototype", "pilot", "pilot"]


def test_rank_puts_important_unknowns_first_and_keeps_order_on_ties():
    items = [Assumption("known", 9, 9), Assumption("risky", 9, 1), Assumption("minor", 2, 1),
             Assumption("risky too", 9, 1)]
    ranked = rank(items)
    assert [r.name for r in ranked] == ["risky", "risky too", "minor", "known"]
    assert ranked[0].quadrant == "test_first" and ranked[0].test == "talk"
    assert counts(items) == {"test_first": 2, "build_on": 1, "watch": 1, "set_aside": 0}


def test_all_hold():
    assert all_hold(0.8, 5) == pytest.approx(0.32768)
    assert all_hold(1.0, 9) == 1.0


def test_simulation_is_deterministic_under_a_seed():
    a = simulate(5, 0.8, 0.8, 100, 5, 300, seed=4)
    b = simulate(5, 0.8, 0.8, 100, 5, 300, seed=4)
    assert all(np.array_equal(a.net[s], b.net[s]) for s in a.net)
    assert not np.array_equal(a.net["test_first"], simulate(5, 0.8, 0.8, 100, 5, 300, seed=5).net["test_first"])


def test_share_of_ideas_that_work_is_p_to_the_k():
    """Statistical check: build first works exactly when all assumptions hold (p^k)."""
    runs = 5000
    ideas = simulate(5, 0.8, 0.8, 100, 5, 300, runs=runs, seed=1)
    p = all_hold(0.8, 5)
    tolerance = 4 * math.sqrt(p * (1 - p) / runs)
    assert abs(ideas.all_true - p) < tolerance
    assert ideas.worked["build_first"] == ideas.all_true
    assert ideas.mean("build_first") == pytest.approx(300 * ideas.all_true - 100)


def test_test_first_kills_good_ideas_at_the_expected_rate():
    """Statistical check: a good idea survives only if every test says yes (accuracy^k)."""
    runs, k, p, acc = 5000, 4, 0.9, 0.85
    ideas = simulate(k, p, acc, 100, 5, 300, runs=runs, seed=2)
    expected = p ** k * (1 - acc ** k)
    assert abs(ideas.good_killed - expected) < 4 * math.sqrt(expected * (1 - expected) / runs)
    assert ideas.worked["test_first"] + ideas.good_killed == pytest.approx(ideas.all_true)


def test_every_idea_ends_in_one_outcome_that_agrees_with_the_shares():
    runs = 2000
    ideas = simulate(5, 0.8, 0.85, 100, 5, 300, runs=runs, seed=6)
    for s in ("build_first", "test_first"):
        ends = ideas.outcomes[s]
        assert sum(ends.values()) == runs
        assert ends["worked"] == round(ideas.worked[s] * runs)
        assert ends["built_in_vain"] == round(ideas.wasted_builds[s] * runs)
    # Building first stops nothing; testing first stops exactly the good ideas it kills.
    assert ideas.outcomes["build_first"]["good_stopped"] == ideas.outcomes["build_first"]["bad_stopped"] == 0
    assert ideas.outcomes["test_first"]["good_stopped"] == round(ideas.good_killed * runs)
    assert ideas.outcomes["test_first"]["bad_stopped"] > 0


def test_perfect_tests_never_waste_a_build():
    ideas = simulate(3, 0.7, 1.0, 100, 5, 300, seed=3)
    assert ideas.wasted_builds["test_first"] == 0 and ideas.good_killed == 0
    assert ideas.mean("test_first") > ideas.mean("build_first")
    # What test first pays: only tests up to the first "no", then the build if all said yes.
    assert ideas.net["test_first"].min() >= -(3 * 5 + 100)


def test_needs_an_assumption():
    with pytest.raises(ValueError):
        simulate(0, 0.8, 0.8, 100, 5, 300)
