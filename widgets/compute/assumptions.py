"""E4.1 The assumption map: importance x evidence, and what to test first.

Both scales run 0-10. An assumption that matters a lot and rests on little evidence is
tested first (cf. Strategyzer's assumption mapping); the weaker its evidence, the cheaper
and earlier the suggested kind of test.
"""

from __future__ import annotations

from dataclasses import dataclass

MIDDLE = 5.0
QUADRANTS = ("test_first", "build_on", "watch", "set_aside")


@dataclass(frozen=True)
class Assumption:
    name: str
    importance: float
    evidence: float


def quadrant(importance: float, evidence: float) -> str:
    if importance >= MIDDLE:
        return "test_first" if evidence < MIDDLE else "build_on"
    return "watch" if evidence < MIDDLE else "set_aside"


def priority(importance: float, evidence: float) -> float:
    """0-10: high when it matters and little is known."""
    return round(importance * (10.0 - evidence) / 10.0, 2)


def suggested_test(evidence: float) -> str:
    """The kind of test that fits what is already known (the tests M5 covers)."""
    if evidence < 3.5:
        return "talk"        # observe and interview the people concerned
    if evidence < 6.5:
        return "prototype"   # a sketch, mock-up or role play people can react to
    return "pilot"           # a small, time-boxed pilot with a measure


@dataclass(frozen=True)
class Ranked:
    index: int
    name: str
    quadrant: str
    priority: float
    test: str


def rank(items: list[Assumption]) -> list[Ranked]:
    """All assumptions, most urgent to test first; ties keep the learner's order."""
    ranked = [Ranked(i, a.name, quadrant(a.importance, a.evidence),
                     priority(a.importance, a.evidence), suggested_test(a.evidence))
              for i, a in enumerate(items)]
    return sorted(ranked, key=lambda r: (-r.priority, r.index))


def counts(items: list[Assumption]) -> dict[str, int]:
    out = dict.fromkeys(QUADRANTS, 0)
    for a in items:
        out[quadrant(a.importance, a.evidence)] += 1
    return out
