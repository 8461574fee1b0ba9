"""E5.1 and E5.2 How reliable a pilot is: binomial pilots, exactly and simulated.

A pilot tries a new way with `n` people and passes if it works for at least `k` of them. If
it truly works for a share `p` of people, the number it works for is Binomial(n, p), so the
chance of passing is P(X >= k). A pilot "reads right" when a good idea (it works for `p_true`)
passes and an idea no better than today (`p_today`) fails. The shares are the leader's own
assumptions (or the page's pedagogical example), never measured facts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# The course's rule of thumb for "enough people" (shown on the page as a rule of thumb): a good
# idea passes at least four times in five, and an idea no better than today at most once in five.
POWER_GOAL = 0.8
FALSE_PASS_GOAL = 0.2
# The least and most participants the simulator suggests or draws.
FEWEST, MOST = 5, 200


def binomial_pmf(n: int, p: float, x: int) -> float:
    """P(X = x) for X ~ Binomial(n, p)."""
    if not 0 <= x <= n:
        return 0.0
    if p in (0.0, 1.0):
        return float(x == (n if p == 1.0 else 0))
    # In logarithms: C(n, x) of a pilot of thousands is too large for a float.
    return math.exp(math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1)
                    + x * math.log(p) + (n - x) * math.log1p(-p))


def distribution(n: int, p: float) -> list[float]:
    """P(X = x) for x = 0 … n: how often a pilot of n people works for exactly x of them."""
    return [binomial_pmf(n, p, x) for x in range(n + 1)]


def pass_probability(n: int, p: float, k: int) -> float:
    """P(X >= k): the chance that a pilot of n people meets "it works for at least k"."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    return min(1.0, math.fsum(binomial_pmf(n, p, x) for x in range(k, n + 1)))


def threshold(n: int, criterion: float) -> int:
    """"At least a share `criterion` of n" as a count, k = ceil(criterion * n); the small
    allowance keeps 0.6 * 10 at 6, not 7, despite binary fractions."""
    return max(0, math.ceil(criterion * n - 1e-9))


def flip_chance(p_pass: float) -> float:
    """The chance that two identical, independent pilots give opposite verdicts: 2 P (1 - P)."""
    return 2 * p_pass * (1 - p_pass)


# Asked again at each keystroke of a test card and each move of a range: remembered.
@lru_cache(maxsize=256)
def minimum_participants(p_today: float, p_true: float, criterion: float, power_goal: float = POWER_GOAL,
                         false_goal: float = FALSE_PASS_GOAL, fewest: int = FEWEST, most: int = MOST) -> int | None:
    """The fewest participants (fewest … most) with which a good idea passes at least `power_goal`
    of the time and an idea no better than today at most `false_goal`, the criterion kept as a
    share; None when not even `most` are enough (the criterion is above what a good idea reaches,
    or today and the idea are too close)."""
    for n in range(fewest, most + 1):
        k = threshold(n, criterion)
        if pass_probability(n, p_true, k) >= power_goal and pass_probability(n, p_today, k) <= false_goal:
            return n
    return None


@dataclass(frozen=True)
class Evidence:
    """How a pilot of n people with the criterion "at least k" reads, exactly."""
    n: int
    k: int
    power: float        # P(pass) if the idea works (p_true)
    false_pass: float   # P(pass) if the idea is no better than today (p_today)
    flip: float         # two identical pilots of a good idea give opposite verdicts
    min_n: int | None   # minimum_participants for the same criterion share


def evidence(n: int, k: int, p_today: float, p_true: float, criterion: float | None = None) -> Evidence:
    """The pilot "at least k of n"; its fewest participants keep the criterion (default k / n)."""
    if n < 1:
        raise ValueError("a pilot has at least one participant")
    power = pass_probability(n, p_true, k)
    return Evidence(n, k, power, pass_probability(n, p_today, k), flip_chance(power),
                    minimum_participants(p_today, p_true, k / n if criterion is None else criterion))


@dataclass(frozen=True)
class Pilots:
    """Many simulated pilots of the same kind: how many people it worked for in each."""
    successes: np.ndarray
    n: int
    k: int

    @property
    def runs(self) -> int:
        return len(self.successes)

    @property
    def passed(self) -> int:
        return int(np.count_nonzero(self.successes >= self.k))

    def shares(self) -> list[float]:
        """The share of pilots (0-1) that worked for exactly x people, x = 0 … n."""
        return [float(c) / self.runs for c in np.bincount(self.successes, minlength=self.n + 1)]


def simulate_pilots(n: int, p: float, k: int, runs: int = 2000, seed: int = 0) -> Pilots:
    """`runs` pilots of n people, each person's outcome drawn independently with chance p."""
    rng = np.random.default_rng(seed)
    return Pilots(rng.binomial(n, p, size=runs), n, k)


def curve(p: float, criterion: float, sizes: list[int]) -> list[float]:
    """P(pass) for each pilot size, the criterion kept as a share: a line of the explore chart."""
    return [pass_probability(n, p, threshold(n, criterion)) for n in sizes]
