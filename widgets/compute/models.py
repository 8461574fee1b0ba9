"""The simulations an exercise can name in course_config/exercises/mN.yaml (`model:`).

Each takes the values of the exercise's controls and parameters (a flat dict of numbers)
and returns a Run: the outcomes per series, an optional fan (percentiles over time) or
count of runs per kind of outcome, and the numbers its feedback text shows. The Simulator
and Prediction widgets only show them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import coverage, diffusion, evidence, mandate, portfolio_sim, testing_sim


@dataclass(frozen=True)
class Run:
    series: dict[str, np.ndarray]                       # series id -> one outcome per run
    numbers: dict[str, float]                           # what the feedback text fills in
    fan: dict[str, list[float]] = field(default_factory=dict)  # "p10"/"p50"/"p90" -> per step
    # series id -> how many runs ended in each outcome, where a model's outcomes are a few kinds
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    # route id -> its exact expected value, where a model compares routes (drawn beside the runs)
    means: dict[str, float] = field(default_factory=dict)


def _portfolio_model(v: dict[str, float]) -> portfolio_sim.PortfolioModel:
    cat = portfolio_sim.Category
    return portfolio_sim.PortfolioModel(
        core=cat(v["core_success"], v["core_payoff"], int(v["core_delay"])),
        adjacent=cat(v["adjacent_success"], v["adjacent_payoff"], int(v["adjacent_delay"])),
        transformational=cat(v["transformational_success"], v["transformational_payoff"],
                             int(v["transformational_delay"])),
        shock_year=int(v["shock_year"]), shock_factor=v["shock_factor"],
    )


def portfolio(v: dict[str, float], runs: int, seed: int) -> Run:
    mix = {c: v[c] for c in portfolio_sim.CATEGORIES}
    out = portfolio_sim.simulate(mix, int(v["horizon"]), bool(v["shock"]), _portfolio_model(v),
                                 runs=runs, seed=seed)
    shares = portfolio_sim.normalise(mix)
    # Everything in the core under the same settings and luck: a mix that loses often may still
    # lose less often than the familiar alone (content review D1: 70/20/10 under the shock).
    all_core = {c: (100.0 if c == "core" else 0.0) for c in portfolio_sim.CATEGORIES}
    numbers = {"median": out.median, "p10": out.percentile(10), "p90": out.percentile(90),
               "p_loss": out.p_loss * 100, "spread": out.percentile(90) - out.percentile(10),
               "p_loss_all_core": portfolio_risk(v, [all_core], runs, seed)[0],
               "horizon": float(v["horizon"]), **{f"share_{c}": shares[c] * 100 for c in shares}}
    return Run({"net": out.net}, numbers, {q: out.band(int(q[1:])) for q in ("p10", "p50", "p90")})


def portfolio_risk(v: dict[str, float], mixes: list[dict[str, float]], runs: int, seed: int) -> list[float]:
    """P(loss), 0-100, of each of several mixes under the same settings and luck."""
    model = _portfolio_model(v)
    return [portfolio_sim.simulate(m, int(v["horizon"]), bool(v["shock"]), model, runs=runs,
                                   seed=seed).p_loss * 100 for m in mixes]


def testing(v: dict[str, float], runs: int, seed: int) -> Run:
    ideas = testing_sim.simulate(int(v["assumptions"]), v["p_true"], v["accuracy"], v["build_cost"],
                                 v["test_cost"], v["benefit"], runs=runs, seed=seed)
    numbers = {"all_true": ideas.all_true * 100, "good_killed": ideas.good_killed * 100,
               "advantage": ideas.mean("test_first") - ideas.mean("build_first")}
    for s in testing_sim.STRATEGIES:
        numbers |= {f"{s}_mean": ideas.mean(s), f"{s}_p_loss": ideas.p_loss(s) * 100,
                    f"{s}_worked": ideas.worked[s] * 100, f"{s}_wasted": ideas.wasted_builds[s] * 100}
    return Run(dict(ideas.net), numbers, outcomes=ideas.outcomes)


def pilot_value(v: dict[str, float], runs: int, seed: int) -> Run:
    """M5: introduce an idea everywhere now, or pilot it first and introduce it only if the pilot
    passes. M4's test-first model with one assumption and a pilot that may pass a bad idea; the
    feedback gives the exact expected values, the chart what happened to the simulated ideas."""
    ideas = testing_sim.simulate(1, v["prior"], v["pass_if_good"], v["rollout_cost"], v["pilot_cost"],
                                 v["benefit"], runs=runs, seed=seed, specificity=1 - v["pass_if_bad"])
    exact = testing_sim.expected_values(v["prior"], v["benefit"], v["rollout_cost"], v["pilot_cost"],
                                        v["pass_if_good"], v["pass_if_bad"])
    routes = {"scale_now": "build_first", "pilot_first": "test_first"}
    numbers = {"scale_now": exact.scale_now, "pilot_first": exact.pilot_first,
               "value_of_pilot": exact.value_of_pilot, "best_value": max(exact.scale_now, exact.pilot_first),
               "scale_margin": exact.scale_now - max(exact.pilot_first, exact.drop),
               "p_catches": (1 - v["pass_if_bad"]) * 100, "p_good_stopped": (1 - v["pass_if_good"]) * 100}
    return Run({r: ideas.net[s] for r, s in routes.items()}, numbers,
               outcomes={r: ideas.outcomes[s] for r, s in routes.items()},
               means={"scale_now": exact.scale_now, "pilot_first": exact.pilot_first, "drop": exact.drop})


MODELS: dict[str, Callable[..., Run]] = {"portfolio": portfolio, "testing": testing, "pilot_value": pilot_value}


@dataclass(frozen=True)
class Answer:
    """What a prediction is checked against."""
    value: float                 # choice: the right option's index; number: the true value
    bars: list[float]            # choice: the value behind each option; number: []
    numbers: dict[str, float]    # what the feedback text fills in
    distribution: list[float] = field(default_factory=list)  # share of runs (%) per outcome 0, 1, 2 …
    # choice: the same values in the other world (M3: without the shock), drawn beside the bars
    other_bars: list[float] = field(default_factory=list)
    # number id -> decimals it is shown with (M8's 6.5 weeks); whole numbers otherwise
    decimals: dict[str, int] = field(default_factory=dict)


def riskiest_mix(v: dict[str, float], mixes: list[dict[str, float]], runs: int, seed: int) -> Answer:
    """Which budget mix most often ends in a loss (P(loss) 0-100 per mix, same luck for all)."""
    risks = portfolio_risk(v, mixes, runs, seed)
    best = max(range(len(risks)), key=lambda i: (risks[i], -i))
    # The trade-off is the lesson (content review D1): the same mixes and luck without the shock.
    calm = portfolio_risk({**v, "shock": 0}, mixes, runs, seed) if v.get("shock") else []
    numbers = {"p_loss": risks[best], **({"calm_p_loss": calm[best], "calm_least": min(calm)} if calm else {})}
    return Answer(best, risks, numbers, other_bars=calm)


def chance_all_hold(v: dict[str, float], mixes: list, runs: int, seed: int) -> Answer:
    """The chance, 0-100, that every assumption holds: exact, and counted in simulated ideas."""
    ideas = testing_sim.simulate(int(v["assumptions"]), v["p_true"], 1.0, 0, 0, 1, runs=runs, seed=seed)
    exact = testing_sim.all_hold(v["p_true"], int(v["assumptions"])) * 100
    return Answer(exact, [], {"answer": exact, "count": round(ideas.all_true * runs), "runs": runs})


def team_missing(v: dict[str, float], mixes: list, runs: int, seed: int) -> Answer:
    """How often (0-100) a team drawn at random lacks a skill: exact (the guess is held to it), and
    in the simulated teams the chart draws, with the share of them lacking 0, 1, 2 … skills."""
    size, strengths, skills = int(v["team_size"]), int(v["strengths"]), int(v["skills"])
    teams = coverage.simulate_teams(size, strengths, skills, runs, seed)
    exact = coverage.exact_share_missing(size, strengths, skills) * 100
    return Answer(exact, [], {"answer": exact, "simulated": teams.share_missing * 100, "runs": runs},
                  [100 * c / runs for c in teams.missing_counts])


def pilot_pass(v: dict[str, float], mixes: list, runs: int, seed: int) -> Answer:
    """M5: the chance, 0-100, that a pilot of `n` people passes "at least `criterion` per cent",
    when the idea works for `p_true` per cent (and if it is no better than today, `p_today`):
    exact, with the pilots simulated for the chart (their share per outcome 0 … n)."""
    n = int(v["n"])
    k = evidence.threshold(n, v["criterion"] / 100)
    good = evidence.pass_probability(n, v["p_true"] / 100, k)
    same = evidence.pass_probability(n, v["p_today"] / 100, k)
    pilots = evidence.simulate_pilots(n, v["p_true"] / 100, k, runs, seed)
    return Answer(good * 100, [], {"answer": good * 100, "answer_today": same * 100, "count": pilots.passed,
                                   "runs": runs, "k": k, "n": n, "flip": evidence.flip_chance(good) * 100},
                  [100 * s for s in pilots.shares()])


def bass_half(v: dict[str, float], mixes: list, runs: int, seed: int) -> Answer:
    """M7: the month when half of `units` use a routine that spreads as Bass's model with `p` and
    `q`, and when a straight line through the first `months_now` would say."""
    half = diffusion.time_to_half(v["p"], v["q"])
    line = diffusion.straight_line(v["adopters_now"], v["months_now"], v["units"] / 2)
    return Answer(half, [], {"answer": round(half), "linear": round(line), "units": v["units"]})


def finding(v: dict[str, float], mixes: list, runs: int, seed: int) -> Answer:
    """A study's finding, the option at `correct`: nothing to compute and nothing to draw (M6's
    hook: what Edmondson found in eight hospital units)."""
    return Answer(int(v["correct"]), [], {})


def approval_wait(v: dict[str, float], mixes: list, runs: int, seed: int) -> Answer:
    """M8: the mean wait (weeks) before a `test_weeks` test may start when the unit manager, the
    management team and the committee approve it in turn (their meeting cycles, and the committee's
    lead time for papers), the chance (0-100) that it waits longer than it runs, and the share of
    cases per whole week for the chart. Exact up to a 0.01-week grid, no sampling."""
    wait = mandate.approval_wait(*approval_levels(v), v["test_weeks"])
    return Answer(wait.mean, [], {"answer": wait.mean, "p_over": round(100 * wait.p_over),
                                  "low": wait.low, "high": wait.high},
                  [100 * w for w in wait.weeks], decimals={"answer": 1})


def approval_levels(v: dict[str, float]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The approval hook's values as (meeting cycles, lead times) of levels 2, 3 and 4."""
    return ((v["unit_manager"], v["management_team"], v["committee"]), (0.0, 0.0, v["committee_lead"]))


ANSWERS: dict[str, Callable[..., Answer]] = {"riskiest_mix": riskiest_mix, "chance_all_hold": chance_all_hold,
                                             "team_missing": team_missing, "pilot_pass": pilot_pass,
                                             "bass_half": bass_half, "finding": finding,
                                             "approval_wait": approval_wait}
