"""E3.2 Explore or exploit: a Monte Carlo of an innovation budget split three ways.

Each year the unit invests one budget unit, split over core, adjacent and transformational
work. A year's investment in a category pays back `payoff` times the amount with chance
`success`, `delay` years later (nothing if that is past the horizon). With a shock, core
work pays back only `shock_factor` of its payoff from `shock_year` on: what used to work
stops working as well. The parameters are pedagogical, not empirical; the page says so.
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


def simulate(mix: dict[str, float], horizon: int, shock: bool, model: PortfolioModel,
             runs: int = 1000, seed: int = 0) -> Outcome:
    if horizon < 1:
        raise ValueError("horizon must be at least one year")
    rng = np.random.default_rng(seed)
    shares = normalise(mix)
    returns = np.zeros((runs, horizon))
    for name in CATEGORIES:
        cat: Category = getattr(model, name)
        hits = rng.random((runs, horizon)) < cat.success  # drawn for every category: same seed, same luck
        for year in range(horizon):  # year index 0 = year 1
            pay_year = year + cat.delay
            if pay_year >= horizon:
                continue
            factor = cat.payoff
            if shock and name == "core" and pay_year + 1 >= model.shock_year:
                factor *= model.shock_factor
            returns[:, pay_year] += hits[:, year] * shares[name] * factor
    cumulative = np.cumsum(returns, axis=1) - np.arange(1, horizon + 1)
    return Outcome(cumulative[:, -1].copy(), cumulative)


def histogram(values: np.ndarray, bins: int = 20) -> tuple[list[float], list[int]]:
    """Bin edges and counts, for a chart drawn elsewhere."""
    counts, edges = np.histogram(values, bins=bins)
    return [float(e) for e in edges], [int(c) for c in counts]
