"""M3's computations: the OPSI facets of a portfolio and the explore/exploit Monte Carlo."""

from __future__ import annotations

import math

import numpy as np
import pytest

from widgets.compute.portfolio import Initiative, change_kind, facet, summarise
from widgets.compute.portfolio_sim import CATEGORIES, Category, PortfolioModel, histogram, normalise, simulate

MODEL = PortfolioModel(Category(0.9, 1.25, 0), Category(0.5, 2.6, 2), Category(0.12, 14, 4),
                       shock_year=4, shock_factor=0.7)


@pytest.mark.parametrize("u,d,expected", [
    (1, 5, "enhancement"), (9, 5, "anticipatory"), (5, 9, "mission"), (5, 1, "adaptive"),
    (2, 7, "enhancement"), (6, 9, "mission"), (5.3, 5.4, None),
])
def test_facet_is_the_nearest_corner(u, d, expected):
    assert facet(u, d) == expected


def test_change_kind_between_facets():
    assert change_kind(2, 8) == "sustaining"
    assert change_kind(2, 2) == "optimising"
    assert change_kind(8, 8) == "transformative"
    assert change_kind(8, 2) == "disruptive"
    assert change_kind(5, 8) is None


def test_summary_shares_flags_and_gaps():
    items = [Initiative("a", 600, 1, 5), Initiative("b", 200, 2, 6), Initiative("c", 200, 9, 4)]
    s = summarise(items, limit=0.7, ambition={"enhancement": 50, "mission": 20, "adaptive": 10,
                                              "anticipatory": 20})
    assert s.total == 1000
    assert s.shares == pytest.approx({"enhancement": 0.8, "mission": 0.0, "adaptive": 0.0,
                                      "anticipatory": 0.2})
    assert s.dominant == "enhancement"
    assert s.empty == ["mission", "adaptive"]
    assert s.effective_facets == pytest.approx(1 / (0.8 ** 2 + 0.2 ** 2))
    assert s.explore_share == pytest.approx(0.2)
    assert s.mean_uncertainty == pytest.approx(0.6 * 1 + 0.2 * 2 + 0.2 * 9)
    assert s.gaps["enhancement"] == pytest.approx(0.3)
    assert s.largest_gap == "enhancement"


def test_summary_of_nothing_and_of_an_even_portfolio():
    empty = summarise([], limit=0.7)
    assert empty.total == 0 and empty.dominant is None and empty.empty == [] and empty.largest_gap is None
    even = summarise([Initiative(str(i), 1, u, d) for i, (u, d) in
                      enumerate([(0, 5), (10, 5), (5, 10), (5, 0)])], limit=0.7)
    assert even.effective_facets == pytest.approx(4.0)
    assert even.dominant is None and even.empty == []


def test_normalise():
    assert normalise({"core": 2, "adjacent": 1, "transformational": 1}) == {
        "core": 0.5, "adjacent": 0.25, "transformational": 0.25}
    assert normalise({"core": 0, "adjacent": -3}) == {"core": 1.0, "adjacent": 0.0, "transformational": 0.0}


def test_simulation_is_deterministic_under_a_seed():
    mix = {"core": 70, "adjacent": 20, "transformational": 10}
    a = simulate(mix, 10, True, MODEL, seed=7)
    b = simulate(mix, 10, True, MODEL, seed=7)
    c = simulate(mix, 10, True, MODEL, seed=8)
    assert np.array_equal(a.net, b.net)
    assert not np.array_equal(a.net, c.net)
    assert a.cumulative.shape == (1000, 10)
    assert np.array_equal(a.cumulative[:, -1], a.net)


def test_all_core_mean_matches_the_model_within_sampling_error():
    """Statistical check: with no shock, all-core earns success*payoff - 1 per year."""
    runs, horizon = 4000, 10
    out = simulate({"core": 1}, horizon, False, MODEL, runs=runs, seed=11)
    p, g = MODEL.core.success, MODEL.core.payoff
    expected = horizon * (p * g - 1)
    se = math.sqrt(horizon * p * (1 - p)) * g / math.sqrt(runs)
    assert abs(out.net.mean() - expected) < 4 * se


def test_transformational_successes_are_binomial():
    """Statistical check: paid-back years follow Binomial(horizon - delay, success)."""
    runs, horizon = 4000, 10
    cat = MODEL.transformational
    out = simulate({"transformational": 1}, horizon, False, MODEL, runs=runs, seed=3)
    hits = np.rint((out.net + horizon) / cat.payoff)
    n = horizon - cat.delay
    assert abs(hits.mean() - n * cat.success) < 4 * math.sqrt(n * cat.success * (1 - cat.success) / runs)
    assert abs(np.mean(hits == 0) - (1 - cat.success) ** n) < 4 * math.sqrt(0.25 / runs)


def test_shock_hits_core_only_and_all_core_then_loses():
    mixes = {"core": (1, 0, 0), "even": (1, 1, 1), "explore": (1, 2, 7)}
    shocked = {k: simulate(dict(zip(CATEGORIES, v, strict=True)), 10, True, MODEL, seed=1) for k, v in mixes.items()}
    calm = {k: simulate(dict(zip(CATEGORIES, v, strict=True)), 10, False, MODEL, seed=1) for k, v in mixes.items()}
    assert shocked["core"].p_loss > 0.95 and calm["core"].p_loss < 0.2
    assert max(shocked, key=lambda k: shocked[k].p_loss) == "core"
    # Transformational work is untouched by the shock: same seed, same draws.
    pure = {"transformational": 1}
    assert np.array_equal(simulate(pure, 10, True, MODEL, seed=2).net, simulate(pure, 10, False, MODEL, seed=2).net)


def test_short_horizons_punish_exploration():
    explore = simulate({"transformational": 1}, 3, False, MODEL, seed=1)
    assert explore.p_loss == 1.0  # nothing pays back within three years
    assert explore.band(50) == pytest.approx([-1, -2, -3])


def test_histogram_counts_every_run():
    out = simulate({"core": 1, "adjacent": 1}, 5, False, MODEL, seed=1)
    edges, counts = histogram(out.net, bins=10)
    assert len(edges) == 11 and sum(counts) == 1000


def test_horizon_must_be_positive():
    with pytest.raises(ValueError):
        simulate({"core": 1}, 0, False, MODEL)
