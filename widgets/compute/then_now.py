"""The wrap-up's "then and now": the same statements rated in a module and again at the end of the
course, compared item by item and by group (a skill, a building block). Plain functions over
ratings; stored answers are read, never trusted to have a shape.
"""

from __future__ import annotations

from dataclasses import dataclass


def ratings_in(value: object, items: list[str], scale: range) -> dict[str, int]:
    """The whole-number ratings on `scale` that a stored value holds for `items` (a bool, a float
    or a number off the scale is no rating)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if k in items and type(v) is int and v in scale}


def first_ratings(stored: object, items: list[str], scale: range) -> dict[str, int]:
    """A rating grid's first complete profile (`first.ratings`), else its ratings if every item was
    rated (saved before first profiles were kept), else nothing: a half-rated grid is no "then"."""
    if not isinstance(stored, dict):
        return {}
    first = stored.get("first")
    if isinstance(first, dict):
        found = ratings_in(first.get("ratings"), items, scale)
        if len(found) == len(items):
            return found
    moved = stored.get("moved")
    if isinstance(moved, list) and set(items) <= set(moved):
        found = ratings_in(stored.get("ratings"), items, scale)
        if len(found) == len(items):
            return found
    return {}


@dataclass(frozen=True)
class Row:
    item: str
    then: float | None
    now: float

    @property
    def change(self) -> float | None:
        return None if self.then is None else self.now - self.then


def compare(order: list[str], then: dict[str, float], now: dict[str, float]) -> list[Row]:
    """One row per item or group rated now, in the given order (never re-sorted: the leader finds
    each where it was), with its earlier value where there is one."""
    return [Row(k, then.get(k), now[k]) for k in order if k in now]


def largest_change(rows: list[Row]) -> Row | None:
    """The row that moved most either way (ties: the first on the page); None if nothing moved."""
    moved = [r for r in rows if r.change]
    return max(moved, key=lambda r: abs(r.change)) if moved else None


def weakest(now: dict[str, float], then: dict[str, float], k: int = 2) -> list[str]:
    """The k groups lowest now; a tie goes to the one that was lower before, then page order."""
    order = {g: i for i, g in enumerate(now)}
    return sorted(now, key=lambda g: (now[g], then.get(g, float("inf")), order[g]))[:k]
