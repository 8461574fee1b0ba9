"""A team's result from its members' answers: how many answered, and per item how many chose
each value of the scale and the mean. Hidden until `min_answers` have answered, so no single
answer can be read from it (the small-cell rule of design.md); an item fewer answered than that
(a form changed after some answered) stays hidden on its own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from ..course.model import TeamExercise


@dataclass(frozen=True)
class ItemResult:
    id: str
    counts: list[int]  # per value of the scale, lowest first
    answered: int
    mean: float


@dataclass(frozen=True)
class TeamResult:
    count: int
    min_answers: int
    items: list[ItemResult]  # empty until the result may be shown

    @property
    def visible(self) -> bool:
        return self.count >= self.min_answers

    def as_dict(self) -> dict:
        """For the leader's page: below the threshold only the count and the threshold."""
        out = {"count": self.count, "min_answers": self.min_answers, "visible": self.visible}
        if self.visible:
            out["items"] = [asdict(item) for item in self.items]
        return out


def chosen(value: object, form: TeamExercise) -> dict[str, int]:
    """The items of an answer whose value is on the form's scale (anything else is left out)."""
    if not isinstance(value, dict):
        return {}
    out = {}
    for item in form.items:
        v = value.get(item)
        if type(v) is int and form.scale.min <= v <= form.scale.max:
            out[item] = v
    return out


def aggregate(answers: Iterable[object], form: TeamExercise, min_answers: int) -> TeamResult:
    """The team's result; `items` only when at least `min_answers` answered (each item too)."""
    answers = [chosen(a, form) for a in answers]
    count = len(answers)
    if count < min_answers:
        return TeamResult(count, min_answers, [])
    values = form.values
    items = []
    for item in form.items:
        given = [a[item] for a in answers if item in a]
        if len(given) < min_answers:
            continue
        counts = [given.count(v) for v in values]
        items.append(ItemResult(item, counts, len(given), round(sum(given) / len(given), 3)))
    return TeamResult(count, min_answers, items)
