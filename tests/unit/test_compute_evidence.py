"""M5's computations: binomial pilots (exact and simulated), the test card's rules, and the value
of piloting first. Each simulation is checked against its exact counterpart under a fixed seed,
within four standard errors: a miss that size happens by chance about once in 16,000 checks,
so a failure means the simulation is wrong, not unlucky (and the seed keeps it repeatable)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from widgets.compute import testing_sim
from widgets.compute.cards import ALL_MISSING, check_card, whole_number
from widgets.compute.evidence import (
    binomial_pmf,
    curve,
    distribution,
    evidence,
    flip_chance,
    minimum_participants,
    pass_probability,
    simulate_pilots,
    threshold,
)
from widgets.compute.models import ANSWERS, MODELS

SE_LIMIT = 4  # standard errors a simulated frequency may stray from the exact one


def brute_force_pass(n: int, p: float, k: int) -> float:
    """Every one of the 2^n pilots, each person a success or not: the sum of the pilots that pass."""
    return math.fsum(p ** sum(o) * (1 - p) ** (n - sum(o)) for o in itertools.product((0, 1), repeat=n)
                     if sum(o) >= k)


@pytest.mark.parametrize("n,p,k", [(10, 0.7, 8), (10, 0.5, 8), (12, 0.3, 0), (9, 0.55, 5), (6, 0.9, 6), (8, 0.2, 9)])
def test_pass_probability_is_the_sum_over_every_possible_pilot(n, p, k):
    assert pass_probability(n, p, k) == pytest.approx(brute_force_pass(n, p, k), abs=1e-12)


def test_the_hooks_pilot_passes_in_38_per_cent_and_a_no_better_idea_in_5():
    # design-m5: C(10,8)·0.7⁸·0.3² + C(10,9)·0.7⁹·0.3 + 0.7¹⁰ = 0.2335 + 0.1211 + 0.0282.
    assert pass_probability(10, 0.7, 8) == pytest.approx(0.2335 + 0.1211 + 0.0282, abs=5e-4)
    assert pass_probability(10, 0.5, 8) == pytest.approx(56 / 1024)


def test_the_distribution_adds_up_and_holds_for_pilots_of_thousands():
    assert math.fsum(distribution(40, 0.35)) == pytest.approx(1)
    assert binomial_pmf(30, 0.4, 12) == pytest.approx(math.comb(30, 12) * 0.4**12 * 0.6**18, rel=1e-12)
    assert binomial_pmf(5, 0.0, 0) == 1 and binomial_pmf(5, 1.0, 5) == 1 and binomial_pmf(5, 1.0, 4) == 0
    # C(5000, 2500) is far beyond a float: the logarithms keep it finite.
    assert pass_probability(5000, 0.7, 3000) == pytest.approx(1) and pass_probability(5000, 0.5, 3000) < 1e-40


@pytest.mark.parametrize("n,criterion,k", [(10, 0.6, 6), (10, 0.8, 8), (7, 0.5, 4), (3, 0.34, 2), (20, 0.0, 0)])
def test_the_criterion_as_a_share_becomes_a_count(n, criterion, k):
    assert threshold(n, criterion) == k


def test_the_explore_defaults_of_the_design_note():
    e = evidence(10, 6, 0.5, 0.7)
    assert (round(e.power, 2), round(e.false_pass, 2), round(e.flip, 2), e.min_n) == (0.85, 0.38, 0.26, 19)
    bigger = evidence(30, 18, 0.5, 0.7)
    assert (round(bigger.power, 2), round(bigger.false_pass, 2)) == (0.92, 0.18)
    assert flip_chance(0.5) == 0.5 and flip_chance(1) == 0


def test_the_minimum_is_the_first_size_that_meets_both_goals():
    found = minimum_participants(0.5, 0.7, 0.6)
    assert found == 19
    for n in range(5, found + 1):
        k = threshold(n, 0.6)
        meets = pass_probability(n, 0.7, k) >= 0.8 and pass_probability(n, 0.5, k) <= 0.2
        assert meets == (n == found), n
    # A criterion above what a good idea reaches: more people only make it fail more surely.
    assert minimum_participants(0.5, 0.7, 0.8) is None
    assert curve(0.7, 0.8, [10, 50, 200]) == sorted(curve(0.7, 0.8, [10, 50, 200]), reverse=True)


@pytest.mark.parametrize("n,p,k,seed", [(10, 0.7, 8, 2026), (40, 0.35, 15, 5), (3, 0.9, 2, 11)])
def test_simulated_pilots_agree_with_the_exact_binomial(n, p, k, seed):
    runs = 20_000
    pilots = simulate_pilots(n, p, k, runs=runs, seed=seed)
    exact = distribution(n, p)
    for x, share in enumerate(pilots.shares()):
        se = math.sqrt(exact[x] * (1 - exact[x]) / runs)
        assert abs(share - exact[x]) <= SE_LIMIT * se + 1e-12, (x, share, exact[x])
    p_pass = pass_probability(n, p, k)
    assert abs(pilots.passed / runs - p_pass) <= SE_LIMIT * math.sqrt(p_pass * (1 - p_pass) / runs)
    again = simulate_pilots(n, p, k, runs=runs, seed=seed)
    assert (again.successes == pilots.successes).all()  # a seed gives the same pilots


def test_the_hook_answer_is_exact_and_its_chart_simulated():
    answer = ANSWERS["pilot_pass"]({"n": 10, "criterion": 80, "p_true": 70, "p_today": 50}, [], 2000, 2026)
    assert answer.value == pytest.approx(38.278, abs=1e-3)
    assert answer.numbers["k"] == 8 and answer.numbers["answer_today"] == pytest.approx(5.47, abs=0.01)
    assert len(answer.distribution) == 11 and math.fsum(answer.distribution) == pytest.approx(100)
    # The passing pilots of the chart are the count the text gives.
    assert sum(answer.distribution[8:]) == pytest.approx(100 * answer.numbers["count"] / 2000)
    assert abs(answer.numbers["count"] - 0.38278 * 2000) <= SE_LIMIT * math.sqrt(2000 * 0.38278 * 0.61722)


@pytest.mark.parametrize("text,low,high,expected", [
    ("40", 1, 100, 40), (" 70 % ", 0, 100, 70), ("40 st", 1, 100, 40), ("0", 1, 100, None),
    ("4O", 1, 100, None), ("-3", 0, 100, None), ("101", 0, 100, None), (None, 0, 9, None),
])
def test_a_typed_whole_number(text, low, high, expected):
    assert whole_number(text, low, high) == expected


GOOD_CARD = {"hypothesis": "föräldrar registrerar hämtningen själva", "test": "två avdelningar i tre veckor",
             "metric": "antal registrerade hämtningar", "criterion": "familjen registrerar sig själv vecka tre",
             "participants": "40", "at_least": "30", "p_today": "50", "p_true": "80", "decide_on": "2026-05-29",
             "if_pass": "vi inför det på alla avdelningar", "if_fail": "vi byter påminnelse och prövar igen",
             "evidence": "observed_behaviour"}


def test_a_full_card_holds_and_says_how_reliable_it_is():
    check = check_card(GOOD_CARD)
    assert check.holds and check.started and check.advice == ()
    e = check.evidence
    # design-m5, the preschool: 40 families, at least 30, today 50 %, the idea 80 %.
    assert (e.n, e.k, round(e.power, 2), round(e.false_pass, 3)) == (40, 30, 0.84, 0.001)


@pytest.mark.parametrize("change,problem", [
    ({"hypothesis": "bra idé"}, "hypothesis_missing"), ({"participants": "många"}, "participants_missing"),
    ({"at_least": "41"}, "at_least_above"), ({"at_least": "0"}, "at_least_missing"),
    ({"p_true": "50"}, "rates_order"), ({"p_today": ""}, "rates_missing"),
    ({"decide_on": "nästa vecka"}, "no_date"), ({"decide_on": "2026-02-30"}, "no_date"),
    ({"if_fail": ""}, "no_stop_rule"), ({"if_pass": "kör"}, "if_pass_missing"),
    ({"evidence": None}, "evidence_missing"),
])
def test_each_gap_in_a_card_is_named(change, problem):
    check = check_card({**GOOD_CARD, **change})
    assert check.problems == (problem,) and not check.holds


def test_an_empty_card_has_not_started_and_opinions_are_weak_evidence():
    empty = check_card({})
    assert not empty.started and empty.problems == ALL_MISSING and empty.evidence is None
    said = check_card({**GOOD_CARD, "evidence": "stated_intent"})
    assert said.holds and said.advice == ("weak_evidence",)


def test_the_routes_of_the_design_note():
    r = testing_sim.expected_values(0.5, 900, 500, 40, 0.8, 0.2)
    assert (r.scale_now, r.pilot_first, r.drop, r.value_of_pilot) == pytest.approx((-50, 70, 0, 70))
    assert r.best == "pilot_first"
    sure = testing_sim.expected_values(0.9, 900, 500, 40, 0.8, 0.2)
    assert (round(sure.scale_now), round(sure.pilot_first), sure.best) == (310, 238, "scale_now")
    hopeless = testing_sim.expected_values(0.2, 900, 500, 40, 0.8, 0.2)
    assert hopeless.best == "drop" and hopeless.value_of_pilot < 0


@pytest.mark.parametrize("prior,good,bad,seed", [(0.5, 0.8, 0.2, 2026), (0.3, 0.95, 0.4, 7), (0.9, 0.6, 0.05, 99)])
def test_simulated_ideas_agree_with_the_exact_routes(prior, good, bad, seed):
    runs = 20_000
    ideas = testing_sim.simulate(1, prior, good, 500, 40, 900, runs=runs, seed=seed, specificity=1 - bad)
    exact = testing_sim.expected_values(prior, 900, 500, 40, good, bad)
    for strategy, value in (("build_first", exact.scale_now), ("test_first", exact.pilot_first)):
        net = ideas.net[strategy]
        assert abs(net.mean() - value) <= SE_LIMIT * net.std() / math.sqrt(runs), strategy
    # What happened to the piloted ideas, against its exact chance.
    chances = {"worked": prior * good, "built_in_vain": (1 - prior) * bad,
               "good_stopped": prior * (1 - good), "bad_stopped": (1 - prior) * (1 - bad)}
    for outcome, chance in chances.items():
        seen = ideas.outcomes["test_first"][outcome] / runs
        assert abs(seen - chance) <= SE_LIMIT * math.sqrt(chance * (1 - chance) / runs), outcome


def test_m4s_test_first_model_is_unchanged_by_the_pilots_specificity():
    a = testing_sim.simulate(5, 0.8, 0.9, 100, 5, 300, runs=1000, seed=2026)
    b = testing_sim.simulate(5, 0.8, 0.9, 100, 5, 300, runs=1000, seed=2026, specificity=0.9)
    assert all(np.array_equal(a.net[s], b.net[s]) for s in testing_sim.STRATEGIES) and a.outcomes == b.outcomes


def test_the_value_of_testing_run_names_the_routes_and_their_exact_values():
    v = {"prior": 0.5, "pass_if_good": 0.8, "pass_if_bad": 0.2, "benefit": 900, "rollout_cost": 500, "pilot_cost": 40}
    run = MODELS["pilot_value"](v, 1000, 2026)
    assert set(run.series) == set(run.outcomes) == {"scale_now", "pilot_first"}
    n = run.numbers
    assert (n["scale_now"], n["pilot_first"], n["value_of_pilot"], n["best_value"]) == pytest.approx((-50, 70, 70, 70))
    assert n["scale_margin"] == pytest.approx(-120) and n["p_catches"] == pytest.approx(80)
    assert sum(run.outcomes["scale_now"].values()) == sum(run.outcomes["pilot_first"].values()) == 1000
    assert run.outcomes["scale_now"]["good_stopped"] == run.outcomes["scale_now"]["bad_stopped"] == 0
