"""E8.2 An effect goal for the leader's initiative, checked by rules they can read: is it an effect
or an output, how far has the latest value moved from the baseline towards the target, and does it
have what a benefits plan needs (ESV: how it is measured, who is responsible, when it is followed
up)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cards import a_date

KINDS = ("output", "effect")
# What a benefits plan needs besides the goal itself, in the order the page names them.
PLAN = ("indicator", "owner", "measure_on")
NUMBERS = ("baseline", "target", "latest")


def a_number(text: object) -> float | None:
    """A number as a leader types it: "14", "9,5", "1 200", "-3" or "−3" (a real minus)."""
    typed = str(text or "").strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"-?\d{1,9}(?:[.,]\d{1,4})?", typed):
        return None
    return float(typed.replace(",", "."))


def progress(baseline: float, target: float, latest: float) -> float | None:
    """The share of the planned change achieved, (latest − baseline) / (target − baseline): it works
    for goals that should fall as well as rise; None when baseline and target are the same."""
    if target == baseline:
        return None
    return (latest - baseline) / (target - baseline)


@dataclass(frozen=True)
class GoalCheck:
    output: bool                  # classified as an output: ask what gets better for whom
    missing: list[str]            # of PLAN, not given (measure_on: not a date)
    numbers: dict[str, float]     # those of NUMBERS that parse
    progress: float | None        # once all three numbers are in and target differs from baseline

    @property
    def no_change(self) -> bool:
        return len(self.numbers) == len(NUMBERS) and self.numbers["target"] == self.numbers["baseline"]

    @property
    def wrong_way(self) -> bool:
        return self.progress is not None and self.progress < 0


def check_goal(goal: dict) -> GoalCheck:
    missing = [f for f in PLAN if not (a_date(goal.get(f)) if f == "measure_on" else str(goal.get(f) or "").strip())]
    numbers = {f: v for f in NUMBERS if (v := a_number(goal.get(f))) is not None}
    share = progress(numbers["baseline"], numbers["target"], numbers["latest"]) if len(numbers) == len(NUMBERS) \
        else None
    return GoalCheck(output=goal.get("kind") == "output", missing=missing, numbers=numbers, progress=share)
