"""The team lottery (M2's hook): if each member is strong in a few skills at random, how
often does a team lack a skill altogether? A Monte Carlo run and its exact value.

The model is pedagogical, not empirical: real teams are not recruited at random, which is
the point the exercise makes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from math import comb


@dataclass(frozen=True)
class LotteryResult:
    runs: int
    missing_counts: list[int]   # index k: teams that lack exactly k skills
    share_missing: float        # teams that lack at least one skill


def simulate_teams(team_size: int, strengths: int, skills: int = 6, runs: int = 1000,
                   seed: int = 2017) -> LotteryResult:
    """Draw `runs` teams; each member is strong in `strengths` distinct skills at random."""
    if not 1 <= strengths <= skills or team_size < 1 or runs < 1:
        raise ValueError("need 1 <= strengths <= skills, team_size >= 1 and runs >= 1")
    rng = random.Random(seed)
    counts = [0] * (skills + 1)
    pool = range(skills)
    for _ in range(runs):
        covered: set[int] = set()
        for _member in range(team_size):
            covered.update(rng.sample(pool, strengths))
        counts[skills - len(covered)] += 1
    return LotteryResult(runs, counts, 1 - counts[0] / runs)


def exact_share_missing(team_size: int, strengths: int, skills: int = 6) -> float:
    """P(at least one skill uncovered), by inclusion–exclusion over the uncovered skills."""
    total = comb(skills, strengths)
    p = 0.0
    for k in range(1, skills + 1):
        avoid = comb(skills - k, strengths) / total  # one member misses k given skills
        p += (-1) ** (k + 1) * comb(skills, k) * avoid ** team_size
    return p
