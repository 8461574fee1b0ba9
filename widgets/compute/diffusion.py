"""M7: how a solution spreads. Bass's model (1969) of adoption, Rogers' five attributes mapped
to its two parameters by a linear formula the page shows, and the months each attribute saves.

p is how many start of their own accord each month, q how strongly those who already use the
solution draw others in. The weights are the course's reasoning about Rogers' attributes, not
estimates from data; exercises/m7.yaml holds them and the page shows them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

ATTRIBUTES = ("relative_advantage", "compatibility", "complexity", "trialability", "observability")
# Complexity is Rogers' one attribute where less is better: a step of improvement is -1 there.
IMPROVE = {"complexity": -1}
SCALE = (1, 5)


def bass_share(t: float, p: float, q: float) -> float:
    """The share that has adopted by time t: F(t) = (1 - e^-(p+q)t) / (1 + (q/p) e^-(p+q)t)."""
    x = math.exp(-(p + q) * t)
    return (1 - x) / (1 + (q / p) * x)


def time_to_half(p: float, q: float) -> float:
    """F(t) = 1/2 solved for t: ln((2p + q) / p) / (p + q)."""
    return math.log((2 * p + q) / p) / (p + q)


def straight_line(adopters: float, months: float, target: float) -> float:
    """When a straight line through (0, 0) and (months, adopters) reaches target."""
    return target * months / adopters


@dataclass(frozen=True)
class Formula:
    """p = p0 + sum(wp[a] (x[a] - 3)), q = q0 + sum(wq[a] (x[a] - 3)), kept at p_min and q_min."""
    p0: float
    q0: float
    wp: dict[str, float]
    wq: dict[str, float]
    p_min: float
    q_min: float

    def pq(self, x: dict[str, int]) -> tuple[float, float]:
        p = self.p0 + sum(self.wp[a] * (x[a] - 3) for a in ATTRIBUTES)
        q = self.q0 + sum(self.wq[a] * (x[a] - 3) for a in ATTRIBUTES)
        return max(p, self.p_min), max(q, self.q_min)


@dataclass(frozen=True)
class Spread:
    p: float
    q: float
    months_to_half: float
    cumulative: list[float]            # how many of n use it at month 0 … horizon
    new_per_month: list[float]         # how many start in each month (0 at month 0)
    saved: dict[str, float | None]     # months sooner to half, one step better (None: at its best)
    fastest: list[str]                 # the attribute saving most, or those within `tie` of it


def one_step(x: dict[str, int], a: str) -> dict[str, int] | None:
    """The ratings with attribute a one step better, or None if it is at its best already."""
    value = x[a] + IMPROVE.get(a, 1)
    return {**x, a: value} if SCALE[0] <= value <= SCALE[1] else None


def simulate(x: dict[str, int], n: int, horizon: int, f: Formula, tie: float) -> Spread:
    p, q = f.pq(x)
    cumulative = [n * bass_share(t, p, q) for t in range(horizon + 1)]
    new = [0.0] + [cumulative[t] - cumulative[t - 1] for t in range(1, horizon + 1)]
    half = time_to_half(p, q)
    saved: dict[str, float | None] = {}
    for a in ATTRIBUTES:
        better = one_step(x, a)
        saved[a] = None if better is None else half - time_to_half(*f.pq(better))
    known = {a: s for a, s in saved.items() if s is not None}
    top = max(known.values(), default=None)
    fastest = [] if top is None or top <= 0 else [a for a, s in known.items() if top - s < tie]
    return Spread(p, q, half, cumulative, new, saved, fastest)


def rogers_bands(n: int, shares: list[float]) -> list[tuple[float, float]]:
    """Rogers' adopter categories as ranges of how many have adopted, from their shares in per cent."""
    out, low = [], 0.0
    for s in shares:
        out.append((low, low + n * s / 100))
        low += n * s / 100
    return out


def simulate_adopters(n: int, p: float, q: float, months: int, seed: int, steps: int = 20) -> np.ndarray:
    """The same process as n people, each not yet using it starting with hazard p + q * (share
    using it) per month, in small time steps: how many use it at month 0 … months. A check of the
    closed form (and of the reader's sense that it is people, not a curve, who adopt)."""
    rng = np.random.default_rng(seed)
    dt = 1 / steps
    adopted = 0
    out = [0]
    for _month in range(months):
        for _ in range(steps):
            hazard = (p + q * adopted / n) * dt
            adopted += int(rng.binomial(n - adopted, min(1.0, hazard)))
        out.append(adopted)
    return np.array(out)
