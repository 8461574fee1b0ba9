"""M3's computations: the OPSI facets of a portfolio and the explore/exploit Monte Carlo."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from widgets.compute.portfolio import Initiative, change_kind, facet, summarise
from widgets.compute.portfolio_sim import (
    CATEGORIES,
    Category,
    PortfolioModel,
    best_case_net,
    compare,
    cut_off_share,
    expected_net,
    histogram,
    normalise,
    simulate,
)

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


# --- the no-shock and shock outcomes side by side, and the model in closed form --------------

def test_compare_runs_the_same_luck_with_and_without_the_shock():
    mix = {"core": 70, "adjacent": 20, "transformational": 10}
    both = compare(mix, 10, MODEL, runs=500, seed=5)
    assert np.array_equal(both.calm.net, simulate(mix, 10, False, MODEL, runs=500, seed=5).net)
    assert np.array_equal(both.shock.net, simulate(mix, 10, True, MODEL, runs=500, seed=5).net)
    # Same draws: the shock can only take from core work, never add.
    assert (both.shock.net <= both.calm.net + 1e-12).all()
    n = both.numbers()
    assert set(n) == {f"{w}_{k}" for w in ("calm", "shock") for k in ("median", "mean", "p10", "p90", "p_loss")}
    assert n["calm_p_loss"] == pytest.approx(both.calm.p_loss * 100) and 0 <= n["shock_p_loss"] <= 100
    assert n["shock_mean"] < n["calm_mean"]
    pure = compare({"transformational": 1}, 10, MODEL, runs=500, seed=5)
    assert np.array_equal(pure.calm.net, pure.shock.net)


@pytest.mark.parametrize("shock", [False, True])
def test_the_simulated_mean_matches_the_closed_form(shock):
    """Statistical check: within four standard errors of the exact expectation."""
    mix, runs = {"core": 50, "adjacent": 30, "transformational": 20}, 4000
    out = simulate(mix, 10, shock, MODEL, runs=runs, seed=13)
    assert abs(out.mean - expected_net(mix, 10, shock, MODEL)) < 4 * out.net.std() / math.sqrt(runs)


def test_expected_and_best_case_in_closed_form():
    core = {"core": 1}
    # Without a shock: ten years of 0.9 * 1.25 - 1 each.
    assert expected_net(core, 10, False, MODEL) == pytest.approx(10 * (0.9 * 1.25 - 1))
    assert best_case_net(core, 10, False, MODEL) == pytest.approx(10 * 0.25)
    # With it (year 4 on): 3 * 1.25 + 7 * 1.25 * 0.7 = 9.875 < 10 budgets. With these values
    # all-core loses in every run whatever the luck: the flaw the content review found (D1).
    assert best_case_net(core, 10, True, MODEL) == pytest.approx(3 * 1.25 + 7 * 1.25 * 0.7 - 10)
    assert best_case_net(core, 10, True, MODEL) < 0
    assert simulate(core, 10, True, MODEL, seed=4).p_loss == 1.0
    # Transformational work pays back four years late: at a 3-year horizon, never.
    assert best_case_net({"transformational": 1}, 3, False, MODEL) == -3


def test_cut_off_share_is_the_budget_paid_back_after_the_horizon():
    assert cut_off_share({"core": 1}, 10, MODEL) == 0
    assert cut_off_share({"transformational": 1}, 10, MODEL) == pytest.approx(0.4)
    assert cut_off_share({"transformational": 1}, 3, MODEL) == 1.0
    assert cut_off_share({"core": 10, "adjacent": 20, "transformational": 70}, 10, MODEL) == pytest.approx(
        (0.2 * 2 + 0.7 * 4) / 10)
    with pytest.raises(ValueError):
        cut_off_share({"core": 1}, 0, MODEL)


# --- the course's own parameters keep what M3's texts say (text/*/m3.yaml) --------------------

EXERCISES = Path(__file__).resolve().parents[2] / "course_config" / "exercises" / "m3.yaml"


def _course_hook():
    data = yaml.safe_load(EXERCISES.read_text(encoding="utf-8"))
    hook = data["shock_test"]
    v = hook["values"]
    cat = {c: Category(v[f"{c}_success"], v[f"{c}_payoff"], int(v[f"{c}_delay"])) for c in CATEGORIES}
    model = PortfolioModel(cat["core"], cat["adjacent"], cat["transformational"],
                           shock_year=int(v["shock_year"]), shock_factor=v["shock_factor"])
    return model, hook["options"], int(v["horizon"]), hook["runs"], hook["seed"], data["explore_exploit"]


def test_the_hooks_answer_follows_from_the_trade_off_not_from_a_best_case_below_zero():
    model, mixes, horizon, runs, seed, _ = _course_hook()
    assert mixes[0] == {"core": 100, "adjacent": 0, "transformational": 0}
    for s in (seed, *range(10)):  # the ranking is the model's, not one seed's luck
        both = [compare(m, horizon, model, runs=runs, seed=s) for m in mixes]
        shock = [b.shock.p_loss for b in both]
        calm = [b.calm.p_loss for b in both]
        # With the shock, all-core loses most often – clearly, and not in every run.
        assert max(range(len(mixes)), key=lambda i: shock[i]) == 0
        assert shock[0] - sorted(shock)[-2] > 0.05 and shock[0] < 0.95
        # Without it, all-core loses least often and earns most on average.
        assert min(range(len(mixes)), key=lambda i: calm[i]) == 0
        assert max(range(len(mixes)), key=lambda i: both[i].calm.mean) == 0
    # "Efter chocken ger kärnan i snitt mindre tillbaka än den kostar. Bara de simuleringar där
    # varje års satsning lyckas klarar sig": luck can save all-core, but only full luck.
    core = model.core
    assert core.success * core.payoff * model.shock_factor < 1
    best = best_case_net(mixes[0], horizon, True, model)
    assert best > 0
    assert best - core.payoff * model.shock_factor < 0  # one failed year after the shock: a loss
    assert best - core.payoff < 0                        # one failed year before it: a loss
    shocked = compare(mixes[0], horizon, model, runs=runs, seed=seed).shock
    assert shocked.p_loss == pytest.approx(1 - core.success ** horizon, abs=0.04)
    # No split is best in both worlds (exact means, options ordered from most to least core).
    calm_means = [expected_net(m, horizon, False, model) for m in mixes]
    shock_means = [expected_net(m, horizon, True, model) for m in mixes]
    assert calm_means == sorted(calm_means, reverse=True)
    assert shock_means == sorted(shock_means)


def test_the_simulators_start_shows_a_loss_that_the_shock_explains():
    model, _mixes, _h, _runs, _seed, sim = _course_hook()
    start = {c["id"]: c["value"] for c in sim["inputs"]}
    mix = {c: start[c] for c in CATEGORIES}
    assert (mix, start["shock"], start["horizon"]) == ({"core": 70, "adjacent": 20, "transformational": 10}, 1, 10)
    params = {c["id"]: c["value"] for c in sim["parameters"]}
    assert Category(params["core_success"], params["core_payoff"], params["core_delay"]) == model.core
    assert params["shock_factor"] == model.shock_factor
    both = compare(mix, 10, model, runs=sim["runs"], seed=sim["seed"])
    # "Mer än hälften … slå av chocken": with the shock more than half lose, without it far fewer.
    assert both.shock.p_loss > 0.5 and both.calm.p_loss < 0.35
    # 70/20/10 gives up a little without the shock and loses less than all-core with it.
    core = compare({"core": 1}, 10, model, runs=sim["runs"], seed=sim["seed"])
    assert both.calm.mean < core.calm.mean and both.shock.p_loss < core.shock.p_loss
