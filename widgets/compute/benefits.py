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


# What may follow the number: a unit the leader writes out of habit.
UNIT = re.compile(r"\s*(?:%|procent|per\s*cent|percent|kr|kronor|sek|st|dagar|days|veckor|weeks|min)\.?$",
                  re.IGNORECASE)


def a_number(text: object, lang: str = "sv") -> float | None:
    """A number as a leader types it in the page's language: "14", "9,5", "1 200", "−3" (a real
    minus), "45 %", "500 kr". In English a comma between groups of three separates thousands
    ("1,200"); anywhere else, and always in Swedish, a comma is the decimal mark (a text typed on
    the Swedish page reads the same after a switch to English)."""
    typed = UNIT.sub("", str(text or "").strip()).replace("\u2212", "-")
    typed = typed.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if lang == "en" and re.fullmatch(r"-?\d{1,3}(?:,\d{3})+(?:\.\d{1,4})?", typed):
        return float(typed.replace(",", ""))
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


def check_goal(goal: dict, lang: str = "sv") -> GoalCheck:
    missing = [f for f in PLAN if not (a_date(goal.get(f)) if f == "measure_on" else str(goal.get(f) or "").strip())]
    numbers = {f: v for f in NUMBERS if (v := a_number(goal.get(f), lang)) is not None}
    share = progress(numbers["baseline"], numbers["target"], numbers["latest"]) if len(numbers) == len(NUMBERS) \
        else None
    return GoalCheck(output=goal.get("kind") == "output", missing=missing, numbers=numbers, progress=share)
