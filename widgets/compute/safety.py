"""M6: psychological safety. The scenario cards' two indices (how each sort of response moves the
team's safety and the clarity of what is expected, by rules the page shows), Edmondson's four
zones, and the team pulse: the leader's guess beside the team's answers, both as a safety index.

The rules are the course's pedagogical reading of Edmondson's work, not measured effects;
exercises/m6.yaml holds them and the page shows them in a table before the first card.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

LOW, HIGH = 0.0, 100.0
# Edmondson's four states by (safety high, expectations high).
ZONES = {(True, True): "learning", (True, False): "comfort", (False, True): "anxiety", (False, False): "apathy"}


def clamp(x: float) -> float:
    return max(LOW, min(HIGH, x))


@dataclass(frozen=True)
class Run:
    safety: list[float]            # after 0, 1, ..., n cards
    accountability: list[float]
    zone: str                      # learning | comfort | anxiety | apathy
    used: dict[str, int]           # response type -> how often chosen
    biggest_drop: int | None       # the card (0-based) whose answer cost most safety, if any did


def zone(safety: float, accountability: float, line: float) -> str:
    return ZONES[(safety >= line, accountability >= line)]


def play(choices: list[str], types: dict[str, tuple[float, float]], start: tuple[float, float] = (50, 50),
         line: float = 60) -> Run:
    """Each chosen type's (safety, accountability) change in turn, each index kept within 0-100.
    The biggest drop is the first card with the largest safety loss (none when nothing lost any)."""
    s, a = [float(start[0])], [float(start[1])]
    used: dict[str, int] = {}
    worst, worst_at = 0.0, None
    for i, t in enumerate(choices):
        ds, da = types[t]
        s.append(clamp(s[-1] + ds))
        a.append(clamp(a[-1] + da))
        used[t] = used.get(t, 0) + 1
        if ds < worst:
            worst, worst_at = ds, i
    return Run(s, a, zone(s[-1], a[-1], line), used, worst_at)


def moves(used: dict[str, int], groups: dict[str, list[str]]) -> dict[str, int]:
    """How often each of Edmondson's three leader moves was used (a move is a set of types)."""
    return {m: sum(used.get(t, 0) for t in ts) for m, ts in groups.items()}


def expected_end(cards: list[list[str]], types: dict[str, tuple[float, float]],
                 start: tuple[float, float] = (50, 50)) -> tuple[float, float]:
    """The mean end point over every way of answering the cards, each answer equally likely
    (exact: all 3^6 paths, clamping included)."""
    paths = list(itertools.product(*cards))
    ends = [play(list(p), types, start) for p in paths]
    return (sum(r.safety[-1] for r in ends) / len(ends), sum(r.accountability[-1] for r in ends) / len(ends))


def random_runs(cards: list[list[str]], types: dict[str, tuple[float, float]], runs: int, seed: int,
                start: tuple[float, float] = (50, 50), line: float = 60) -> list[Run]:
    """Leaders answering at random (each response equally likely), under a fixed seed."""
    rng = random.Random(seed)
    return [play([rng.choice(c) for c in cards], types, start, line) for _ in range(runs)]


# -- the team pulse -------------------------------------------------------------------------------
def median_of_counts(counts: list[int], values: list[int]) -> float | None:
    """The median of answers given as how many chose each value (lowest first); the mean of the
    two middle answers when their number is even."""
    given = [v for v, c in zip(values, counts, strict=True) for _ in range(c)]
    if not given:
        return None
    mid = len(given) // 2
    return float(given[mid]) if len(given) % 2 else (given[mid - 1] + given[mid]) / 2


def towards_safety(x: float, reverse: bool, low: int = 1, high: int = 5) -> float:
    """An answer on the item's own wording as a value where higher means safer: a reverse-worded
    item ("a mistake here is held against me") counts the other way round."""
    return low + high - x if reverse else x


def safety_index(values: list[float], low: int = 1, high: int = 5) -> float:
    """The mean of safety-direction values on the scale, as 0-100."""
    return (sum(values) / len(values) - low) / (high - low) * 100


@dataclass(frozen=True)
class Comparison:
    gaps: dict[str, float]       # item -> guess minus team, towards safety: > 0 the leader thought it safer
    guess_index: float           # 0-100
    team_index: float            # 0-100
    over: list[str]              # items where the leader thought it safer, largest gap first
    widest: str | None           # the item with the largest gap either way (the first of ties)


def compare(guess: dict[str, int], medians: dict[str, float], reverse: dict[str, bool],
            low: int = 1, high: int = 5) -> Comparison:
    """The leader's guess against the team's medians, item by item, over the items both have."""
    items = [i for i in reverse if i in guess and i in medians]
    g = {i: towards_safety(guess[i], reverse[i], low, high) for i in items}
    m = {i: towards_safety(medians[i], reverse[i], low, high) for i in items}
    gaps = {i: g[i] - m[i] for i in items}
    over = sorted((i for i in items if gaps[i] > 0), key=lambda i: (-gaps[i], items.index(i)))
    widest = max(items, key=lambda i: (abs(gaps[i]), -items.index(i))) if items and any(gaps.values()) else None
    return Comparison(gaps, safety_index(list(g.values()), low, high) if items else 0.0,
                      safety_index(list(m.values()), low, high) if items else 0.0, over, widest)
