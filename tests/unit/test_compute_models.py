"""The simulations exercises name in course_config (widgets/compute/models.py), and the
point map's guard against malformed front-end data."""

from __future__ import annotations

import pytest

from widgets.compute.models import ANSWERS, MODELS
from widgets.point_map import clean_items

PORTFOLIO = {"core_success": 0.9, "core_payoff": 1.25, "core_delay": 0, "adjacent_success": 0.5,
             "adjacent_payoff": 2.6, "adjacent_delay": 2, "transformational_success": 0.12,
             "transformational_payoff": 14, "transformational_delay": 4, "shock_year": 4,
             "shock_factor": 0.7, "horizon": 10, "shock": 1}
MIXES = [{"core": 100, "adjacent": 0, "transformational": 0}, {"core": 70, "adjacent": 20, "transformational": 10},
         {"core": 34, "adjacent": 33, "transformational": 33}, {"core": 10, "adjacent": 20, "transformational": 70}]


def test_portfolio_run_reports_spread_and_shares():
    run = MODELS["portfolio"]({**PORTFOLIO, "core": 70, "adjacent": 20, "transformational": 10}, 1000, 1)
    n = run.numbers
    assert n["p10"] <= n["median"] <= n["p90"]
    assert 0 <= n["p_loss"] <= 100
    assert (n["share_core"], n["share_adjacent"], n["share_transformational"]) == pytest.approx((70, 20, 10))
    assert len(run.fan["p50"]) == 10 and all(a <= b for a, b in zip(run.fan["p10"], run.fan["p90"], strict=True))
    again = MODELS["portfolio"]({**PORTFOLIO, "core": 70, "adjacent": 20, "transformational": 10}, 1000, 1)
    assert (run.series["net"] == again.series["net"]).all() and run.numbers == again.numbers


def test_the_riskiest_mix_under_a_shock_is_all_core():
    answer = ANSWERS["riskiest_mix"](PORTFOLIO, MIXES, 1000, 2026)
    assert answer.value == 0
    assert answer.bars[0] == max(answer.bars) and answer.numbers["p_loss"] == answer.bars[0]
    calm = ANSWERS["riskiest_mix"]({**PORTFOLIO, "shock": 0}, MIXES, 1000, 2026)
    assert calm.value != 0  # without the shock, core is the safe choice


def test_testing_run_compares_two_strategies():
    v = {"assumptions": 5, "p_true": 0.8, "accuracy": 0.8, "build_cost": 100, "test_cost": 5, "benefit": 300}
    run = MODELS["testing"](v, 1000, 1)
    assert set(run.series) == {"build_first", "test_first"}
    assert run.numbers["test_first_mean"] > run.numbers["build_first_mean"]
    assert run.numbers["build_first_worked"] == pytest.approx(run.numbers["all_true"])


def test_chance_all_hold_is_exact_and_counted():
    answer = ANSWERS["chance_all_hold"]({"assumptions": 5, "p_true": 0.8}, [], 1000, 3)
    assert answer.value == pytest.approx(32.768)
    assert abs(answer.numbers["count"] - 328) < 60  # 4 standard errors of a binomial(1000, 0.33)


def test_team_missing_counts_every_team_and_agrees_with_the_exact_share():
    from widgets.compute.coverage import exact_share_missing

    answer = ANSWERS["team_missing"]({"skills": 6, "team_size": 6, "strengths": 2}, [], 4000, 2017)
    assert len(answer.distribution) == 7 and sum(answer.distribution) == pytest.approx(100)
    # The guess is held to the exact share (46.7 %, content review), the simulation beside it.
    assert answer.value == pytest.approx(46.66, abs=0.01) == exact_share_missing(6, 2) * 100
    simulated = answer.numbers["simulated"]
    assert simulated == pytest.approx(100 - answer.distribution[0])
    # 4,000 runs: the standard error of a share near 47 % is 0.8 points; 4 of them is a clear miss.
    assert simulated == pytest.approx(answer.value, abs=3.2)
    assert answer.numbers == {"answer": answer.value, "simulated": simulated, "runs": 4000}
    bigger = ANSWERS["team_missing"]({"skills": 6, "team_size": 10, "strengths": 2}, [], 4000, 2017)
    assert bigger.value < answer.value  # a larger team lacks a skill less often


def test_clean_items_drops_what_the_front_end_should_never_send():
    good = {"id": "p1", "name": "  Digital signering  ", "x": 2, "y": 9.5, "size": 300}
    hostile = [good, {"id": "p1", "name": "dupe", "x": 1, "y": 1, "size": 1},
               {"id": "<script>", "name": "x", "x": 1, "y": 1, "size": 1},
               {"id": "p2", "name": "", "x": 1, "y": 1, "size": 1},
               {"id": "p3", "name": "far", "x": 11, "y": 1, "size": 1},
               {"id": "p4", "name": "neg", "x": 1, "y": 1, "size": -5},
               {"id": "p5", "name": "nan", "x": "a", "y": 1, "size": 1},
               {"id": "p6", "name": "<b>" * 40, "x": 0, "y": 10, "size": 0}, "junk", None]
    out = clean_items(hostile, max_items=12, sized=True)
    assert [o["id"] for o in out] == ["p1", "p6"]
    assert out[0]["name"] == "Digital signering" and len(out[1]["name"]) == 60
    assert clean_items("not a list", 5, False) == []
    assert len(clean_items([{**good, "id": f"p{i}"} for i in range(20)], 12, True)) == 12
    assert "size" not in clean_items([good], 5, sized=False)[0]
