"""M8: how long a test waits for its approvals, and how far the decisions about an initiative sit
from the work (the mandate matrix). Plain functions; the widgets only show what they return.

Levels are numbered from the work upwards: 1 the team, 2 the unit manager, 3 the department's
management, 4 the committee (nämnden).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LEVELS = ("team", "unit_manager", "management", "committee")
RANK = {level: n for n, level in enumerate(LEVELS, start=1)}
DONT_KNOW = "dont_know"
DECISIONS = ("start_test", "spend", "involve_users", "stop_pilot", "scale_up")
# The decisions a test lives by: who starts it, pays for it, stops it.
TEST_DECISIONS = ("start_test", "spend", "stop_pilot")
# Everything that must be decided before a test can begin.
START_DECISIONS = ("start_test", "spend", "involve_users")
# The decision the Local Government Act (6 kap. 38 §) may keep with the committee.
SCALE_UP = "scale_up"
# A test decision this many levels above the team is "far from the work".
FAR = 2
# The grid the wait's distribution is computed on (weeks): exact up to it, no sampling noise.
STEP = 0.01


@dataclass(frozen=True)
class Wait:
    mean: float                 # weeks, on average
    p_over: float               # the chance (0-1) that the wait is longer than the test
    weeks: list[float]          # the chance (0-1) that it ends in week 0, 1, 2 … (whole weeks)
    low: float                  # the shortest and longest possible wait
    high: float


def approval_wait(cycles: tuple[float, ...], leads: tuple[float, ...], test_weeks: float,
                  step: float = STEP) -> Wait:
    """The wait (weeks) to pass the levels in turn when the proposal is ready at a random moment.

    At each level the proposal waits for the next meeting after its papers are in: uniform on
    [lead, lead + cycle]. The sum's distribution is the uniforms' convolution on a grid of `step`
    weeks (cell midpoints), so the page shows one number per quantity, not a sample's.
    """
    if len(cycles) != len(leads) or not cycles:
        raise ValueError("one lead time per meeting cycle")
    if any(c <= 0 for c in cycles) or any(v < 0 for v in leads):
        raise ValueError("cycles must be positive and lead times not negative")
    density = np.array([1.0])
    for c in cycles:
        cells = max(1, round(c / step))
        density = np.convolve(density, np.full(cells, 1.0 / cells))
    x = sum(leads) + (np.arange(len(density)) + 0.5 * len(cycles)) * step
    low, high = float(sum(leads)), float(sum(leads) + sum(cycles))
    mean = float((x * density).sum())
    whole = np.floor(x).astype(int)
    weeks = np.bincount(whole, weights=density)
    return Wait(mean=mean, p_over=float(density[x > test_weeks].sum()), weeks=[float(w) for w in weeks],
                low=low, high=high)


def simulate_wait(cycles: tuple[float, ...], leads: tuple[float, ...], runs: int, seed: int) -> np.ndarray:
    """The same wait drawn `runs` times (the check on approval_wait's arithmetic)."""
    rng = np.random.default_rng(seed)
    return sum(lead + rng.uniform(0, c, runs) for c, lead in zip(cycles, leads, strict=True))


def level_waits(cycles: tuple[float, ...], leads: tuple[float, ...]) -> dict[int, float]:
    """Mean weeks until a decision at each level: the team decides at once; each level above adds
    its lead time and half its meeting cycle (cycles and leads of levels 2, 3, 4 in turn)."""
    out, total = {1: 0.0}, 0.0
    for level, (c, lead) in enumerate(zip(cycles, leads, strict=True), start=2):
        total += lead + c / 2
        out[level] = total
    return out


@dataclass(frozen=True)
class Mandate:
    distance: dict[str, int]             # today − ought, per decision known today
    escalation: int                      # Σ max(0, today − ought): decided higher than it ought
    under: list[str]                     # decided lower today than it ought
    far_from_work: list[str]             # test decisions made FAR or more levels above the team
    unknown: list[str]                   # "don't know" today
    weeks_to_start: tuple[float, float] | None   # (today, ought); None while a start decision is unknown
    weeks_to_stop: tuple[float, float] | None
    legal_note: bool                     # scaling up placed below the committee: check KL 6:38


def mandate(today: dict[str, str], ought: dict[str, str], waits: dict[int, float]) -> Mandate:
    """The escalation distance and what it costs in weeks, from level ids per decision (today may
    also be DONT_KNOW: no distance for it)."""
    if set(today) != set(DECISIONS) or set(ought) != set(DECISIONS):
        raise ValueError(f"every decision needs a level today and ought: {DECISIONS}")
    if any(v not in RANK for v in ought.values()) or any(v not in RANK and v != DONT_KNOW for v in today.values()):
        raise ValueError(f"levels are {LEVELS} (and {DONT_KNOW!r} today)")
    known = [d for d in DECISIONS if today[d] != DONT_KNOW]
    dist = {d: RANK[today[d]] - RANK[ought[d]] for d in known}

    def weeks(ds) -> tuple[float, float] | None:
        if any(today[d] == DONT_KNOW for d in ds):
            return None
        return waits[max(RANK[today[d]] for d in ds)], waits[max(RANK[ought[d]] for d in ds)]

    return Mandate(
        distance=dist,
        escalation=sum(max(0, v) for v in dist.values()),
        under=[d for d in known if dist[d] < 0],
        far_from_work=[d for d in TEST_DECISIONS if d in dist and RANK[today[d]] - 1 >= FAR],
        unknown=[d for d in DECISIONS if today[d] == DONT_KNOW],
        weeks_to_start=weeks(START_DECISIONS),
        weeks_to_stop=weeks(("stop_pilot",)),
        legal_note=RANK[ought[SCALE_UP]] < RANK["committee"],
    )


# The capability profile: two course-written statements per building block of Implement & KTH's
# study of Swedish agencies, rated 1-5. The wrap-up asks the same statements again.
BLOCKS = {"purpose": ("why_renew", "tied_to_goals"), "prerequisites": ("time_mandate", "where_to_go"),
          "ways_of_working": ("small_tests", "with_users"), "benefits": ("effect_goals", "follow_up")}
ITEMS = tuple(i for items in BLOCKS.values() for i in items)
SCALE = (1, 5)


@dataclass(frozen=True)
class Capability:
    means: dict[str, float]      # block -> the mean of its statements
    weakest: list[str]           # the block(s) with the lowest mean, in the blocks' order


def capability(ratings: dict[str, int]) -> Capability:
    if set(ratings) != set(ITEMS) or any(not SCALE[0] <= r <= SCALE[1] for r in ratings.values()):
        raise ValueError(f"rate every statement {SCALE[0]}-{SCALE[1]}: {ITEMS}")
    means = {b: sum(ratings[i] for i in items) / len(items) for b, items in BLOCKS.items()}
    low = min(means.values())
    return Capability(means, [b for b in BLOCKS if means[b] == low])
