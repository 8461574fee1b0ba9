"""M7's computations: Bass's closed form against the same process run as people under a fixed
seed, the time to half against the curve, the hook's numbers, the formula that maps Rogers'
attributes to p and q, the months each attribute saves, and where Kotter's stages say to start."""

from __future__ import annotations

import math

import numpy as np
import pytest

from innokraft.core.settings import Settings
from innokraft.course.load import exercise_data
from widgets.compute import diffusion as dm
from widgets.compute.change_stages import STAGES, Audit, audit
from widgets.compute.models import ANSWERS

HOOK = {"units": 40, "adopters_now": 4, "months_now": 6, "p": 0.0064, "q": 0.30}


@pytest.fixture(scope="module")
def formula() -> dm.Formula:
    f = exercise_data(Settings.from_env().config_dir, "m7", "diffusion_simulator")["formula"]
    return dm.Formula(**f)


def test_closed_form_matches_people_adopting_under_a_fixed_seed():
    """2,000 people, each starting with hazard p + q·(share using it): the mean of 40 runs lies
    within four standard errors of n·F(t) at every month (plus one person: the small time step's
    bias), and the same runs are far from a curve with a q a tenth lower."""
    n, p, q, months, runs = 2000, 0.0064, 0.30, 36, 40
    counts = np.array([dm.simulate_adopters(n, p, q, months, seed) for seed in range(runs)])
    mean, se = counts.mean(axis=0), counts.std(axis=0, ddof=1) / math.sqrt(runs)
    exact = np.array([n * dm.bass_share(t, p, q) for t in range(months + 1)])
    assert counts[:, 0].tolist() == [0] * runs and (np.diff(counts, axis=1) >= 0).all()
    assert (np.abs(mean - exact)[1:] <= 4 * se[1:] + 1).all(), (mean - exact).round(1).tolist()
    other = np.array([n * dm.bass_share(t, p, 0.27) for t in range(months + 1)])
    assert not (np.abs(mean - other)[1:] <= 4 * se[1:] + 1).all()
    # The half is crossed in the simulation near where the formula says.
    crossed = [int(np.argmax(c >= n / 2)) for c in counts]
    assert abs(np.mean(crossed) - dm.time_to_half(p, q)) < 1.0


@pytest.mark.parametrize(("p", "q"), [(0.0064, 0.30), (0.03, 0.38), (0.001, 0.02), (0.05, 0.0)])
def test_time_to_half_is_where_the_curve_crosses_half(p, q):
    t = dm.time_to_half(p, q)
    assert dm.bass_share(t, p, q) == pytest.approx(0.5, abs=1e-12)
    assert dm.bass_share(t - 0.01, p, q) < 0.5 < dm.bass_share(t + 0.01, p, q)


def test_the_hook_is_four_of_forty_after_six_months_and_half_after_thirteen():
    assert 40 * dm.bass_share(6, 0.0064, 0.30) == pytest.approx(4, abs=0.05)
    answer = ANSWERS["bass_half"](HOOK, [], 100, 0)
    assert answer.value == pytest.approx(12.69, abs=0.01)
    assert answer.numbers["answer"] == 13 and answer.numbers["linear"] == 30


def test_a_profile_of_threes_is_the_hook_and_the_formula_is_linear(formula):
    threes = dict.fromkeys(dm.ATTRIBUTES, 3)
    assert formula.pq(threes) == pytest.approx((0.0064, 0.30))
    x = {**threes, "relative_advantage": 2, "trialability": 4, "observability": 1}
    assert formula.pq(x) == pytest.approx((0.0064 - 0.0015 + 0.0030, 0.30 - 0.03 - 2 * 0.06))
    # Kept at the floors: everything at its worst.
    worst = {**dict.fromkeys(dm.ATTRIBUTES, 1), "complexity": 5}
    assert formula.pq(worst) == (formula.p_min, formula.q_min)


def test_the_worked_example_names_observability(formula):
    """A home-care app that is easy to try but invisible (design-m7.md)."""
    x = {"relative_advantage": 2, "compatibility": 3, "complexity": 3, "trialability": 4, "observability": 1}
    s = dm.simulate(x, 40, 36, formula, 0.25)
    assert (s.p, s.q) == pytest.approx((0.0079, 0.15))
    assert s.months_to_half == pytest.approx(19.28, abs=0.01)
    assert {a: round(v, 1) for a, v in s.saved.items()} == {
        "relative_advantage": 3.2, "compatibility": 3.1, "complexity": 3.4, "trialability": 2.1, "observability": 3.9}
    assert s.fastest == ["observability"]
    # The curve is n·F(t) and the new adopters add up to it.
    assert s.cumulative[0] == 0 and s.cumulative[12] == pytest.approx(40 * dm.bass_share(12, s.p, s.q))
    assert sum(s.new_per_month) == pytest.approx(s.cumulative[-1])


def test_at_the_best_value_an_attribute_saves_nothing_and_ties_are_named_together(formula):
    x = {"relative_advantage": 5, "compatibility": 3, "complexity": 1, "trialability": 3, "observability": 3}
    s = dm.simulate(x, 100, 36, formula, 0.25)
    assert s.saved["relative_advantage"] is None and s.saved["complexity"] is None
    assert all(v > 0 for v in s.saved.values() if v is not None)
    wide = dm.simulate(x, 100, 36, formula, 100)
    assert sorted(wide.fastest) == ["compatibility", "observability", "trialability"]


def test_p_on_its_floor_makes_trialability_the_lever(formula):
    x = {"relative_advantage": 3, "compatibility": 4, "complexity": 3, "trialability": 1, "observability": 2}
    s = dm.simulate(x, 40, 36, formula, 0.25)
    assert s.p == formula.p_min and s.fastest == ["trialability"]


def test_rogers_bands_cover_everyone():
    bands = dm.rogers_bands(200, [2.5, 13.5, 34, 34, 16])
    assert bands[0] == (0, 5) and bands[1] == (5, 32) and bands[-1][1] == pytest.approx(200)
    assert all(a[1] == b[0] for a, b in zip(bands, bands[1:], strict=False))


def test_a_straight_line_through_the_first_months():
    assert dm.straight_line(4, 6, 20) == 30


def test_kotter_starts_at_the_first_weak_stage_and_names_the_later_strong_ones():
    """design-m7.md's worked example, and the two ends of the scale."""
    x = dict(zip(STAGES, [4, 2, 4, 3, 1, 4, 0, 0], strict=True))
    assert audit(x, 3) == Audit("coalition", ["vision", "communicate", "short_wins"])
    assert audit(dict.fromkeys(STAGES, 3), 3) == Audit(None, [])
    assert audit(dict.fromkeys(STAGES, 0), 3) == Audit("urgency", [])
    assert audit({**dict.fromkeys(STAGES, 5), "anchor": 2}, 3) == Audit("anchor", [])
