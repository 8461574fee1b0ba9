"""E3.2 Explore or exploit: a Monte Carlo of an innovation budget split three ways.

Each year the unit invests one budget unit, split over core, adjacent and transformational
work. A year's investment in a category pays back `payoff` times the amount with chance
`success`, `delay` years later (nothing if that is past the horizon). With a shock, core
work pays back only `shock_factor` of its payoff from `shock_year` on: what used to work
stops working as well. The parameters are pedagogical, not empirical; the page says so.

The horizon cuts the count off: an investment whose payback would come after the last year
is counted as cost only (`cut_off_share` says how much of the budget that is). `compare`
runs one split with and without the shock under the same luck, so a page can show March's
trade-off side by side; `expected_net` and `best_case_net` give the same model's mean and
its luckiest outcome in closed form (the hook's answer must not be decided by a best case
below zero).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CATEGORIES = ("core", "adjacent", "transformational")


@dataclass(frozen=True)
class Category:
    success: float  # chance that one year's investment pays back, 0-1
    payoff: float   # what it pays back per invested unit when it does
    delay: int      # years from investment to payback


@dataclass(frozen=True)
class PortfolioModel:
    core: Category
    adjacent: Category
    transformational: Category
    shock_year: int = 4
    shock_factor: float = 0.7


@dataclass(frozen=True)
class Outcome:
    """Net result (returns minus investment, in budget units) of every run."""
    net: np.ndarray            # shape (runs,)
    cumulative: np.ndarray     # shape (runs, horizon): net result at the end of each year

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.net, q))

    @property
    def mean(self) -> float:
        return float(np.mean(self.net))

    @property
    def median(self) -> float:
        return self.percentile(50)

    @property
    def p_loss(self) -> float:
        return float(np.mean(self.net < 0))

    def band(self, q: float) -> list[float]:
        """The q-th percentile of the running net result, year by year."""
        return [float(v) for v in np.percentile(self.cumulative, q, axis=0)]


def normalise(mix: dict[str, float]) -> dict[str, float]:
    """Budget weights as shares summing to 1 (all zero -> all core)."""
    clean = {c: max(0.0, float(mix.get(c, 0.0))) for c in CATEGORIES}
    total = sum(clean.values())
    if total <= 0:
        return {"core": 1.0, "adjacent": 0.0, "transformational": 0.0}
    return {c: v / total for c, v in clean.items()}


def _payback(name: str, model: PortfolioModel, pay_year: int, shock: bool) -> float:
    """What one unit invested in category `name` pays back when it succeeds, in year index
    `pay_year` (0 = year 1): the payoff, cut by the shock for core work from `shock_year` on."""
    cat: Category = getattr(model, name)
    factor = cat.payoff
    if shock and name == "core" and pay_year + 1 >= model.shock_year:
        factor *= model.shock_factor
    return factor


def _check_horizon(horizon: int) -> None:
    if horizon < 1:
        raise ValueError("horizon must be at least one year")


def simulate(mix: dict[str, float], horizon: int, shock: bool, model: PortfolioModel,
             runs: int = 1000, seed: int = 0) -> Outcome:
    _check_horizon(horizon)
    rng = np.random.default_rng(seed)
    shares = normalise(mix)
    returns = np.zeros((runs, horizon))
    for name in CATEGORIES:
        cat: Category = getattr(model, name)
        hits = rng.random((runs, horizon)) < cat.success  # drawn for every category: same seed, same luck
        for year in range(horizon):  # year index 0 = year 1
            pay_year = year + cat.delay
            if pay_year >= horizon:
                continue  # pays back after the horizon: counted as cost only
            returns[:, pay_year] += hits[:, year] * shares[name] * _payback(name, model, pay_year, shock)
    cumulative = np.cumsum(returns, axis=1) - np.arange(1, horizon + 1)
    return Outcome(cumulative[:, -1].copy(), cumulative)


@dataclass(frozen=True)
class Comparison:
    """One split under the same luck, without (`calm`) and with (`shock`) the shock."""
    calm: Outcome
    shock: Outcome

    def numbers(self) -> dict[str, float]:
        """calm_/shock_ median, mean, p10, p90 (budget units) and p_loss (0-100), for a text."""
        out: dict[str, float] = {}
        for name, o in (("calm", self.calm), ("shock", self.shock)):
            out |= {f"{name}_median": o.median, f"{name}_mean": o.mean, f"{name}_p10": o.percentile(10),
                    f"{name}_p90": o.percentile(90), f"{name}_p_loss": o.p_loss * 100}
        return out


def compare(mix: dict[str, float], horizon: int, model: PortfolioModel, runs: int = 1000,
            seed: int = 0) -> Comparison:
    """March's trade-off side by side: the same draws with and without the shock."""
    return Comparison(simulate(mix, horizon, False, model, runs, seed),
                      simulate(mix, horizon, True, model, runs, seed))


def _net(mix: dict[str, float], horizon: int, shock: bool, model: PortfolioModel, lucky: bool) -> float:
    _check_horizon(horizon)
    shares = normalise(mix)
    total = 0.0
    for name in CATEGORIES:
        cat: Category = getattr(model, name)
        chance = 1.0 if lucky else cat.success
        for year in range(horizon):
            pay_year = year + cat.delay
            if pay_year < horizon:
                total += shares[name] * chance * _payback(name, model, pay_year, shock)
    return total - horizon


def expected_net(mix: dict[str, float], horizon: int, shock: bool, model: PortfolioModel) -> float:
    """The mean net result the simulation estimates, in closed form."""
    return _net(mix, horizon, shock, model, lucky=False)


def best_case_net(mix: dict[str, float], horizon: int, shock: bool, model: PortfolioModel) -> float:
    """The net result when every investment succeeds: below zero, no luck can avoid a loss."""
    return _net(mix, horizon, shock, model, lucky=True)


def cut_off_share(mix: dict[str, float], horizon: int, model: PortfolioModel) -> float:
    """The share (0-1) of the whole budget invested so late that its payback would come after
    the horizon, and so counts as cost only."""
    _check_horizon(horizon)
    shares = normalise(mix)
    late = sum(shares[name] * min(horizon, getattr(model, name).delay) for name in CATEGORIES)
    return late / horizon


def histogram(values: np.ndarray, bins: int = 20) -> tuple[list[float], list[int]]:
    """Bin edges and counts, for a chart drawn elsewhere."""
    counts, edges = np.histogram(values, bins=bins)
    return [float(e) for e in edges], [int(c) for c in counts]
