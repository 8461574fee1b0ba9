"""M7: where a change stands among Kotter's eight stages (1995), from the leader's ratings.

The stages build on each other, so the place to work is the first stage rated below the threshold;
later stages rated at or above it while an earlier one is weak look further on than they can be
("skipping steps creates only the illusion of speed").
"""

from __future__ import annotations

from dataclasses import dataclass

STAGES = ("urgency", "coalition", "vision", "communicate", "empower", "short_wins", "consolidate", "anchor")


@dataclass(frozen=True)
class Audit:
    start: str | None        # the first stage below the threshold (None: every stage reaches it)
    skipped: list[str]       # later stages rated at or above it, although an earlier one is below


def audit(ratings: dict[str, int], threshold: int) -> Audit:
    start = next((s for s in STAGES if ratings[s] < threshold), None)
    if start is None:
        return Audit(None, [])
    return Audit(start, [s for s in STAGES[STAGES.index(start) + 1:] if ratings[s] >= threshold])
