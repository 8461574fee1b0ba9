"""RatedItems: an exercise whose answer is one radio group per item, none preset (M7's Kotter audit,
M8's capability profile): what the leader gave, saved as {"ratings": {item: value}}, restored from
a stored value that is read, never trusted (a bool or a float is no rating), done when every item
is rated. The exercise sets `self.ratings` (item -> RadioButtons) and `scale` (the values allowed).
With `keeps_first`, the ratings as they stood when every item was first rated are kept beside them
("first": a first attempt is data; the course's wrap-up compares with it) and never change."""

from __future__ import annotations


class RatedItems:
    scale: range
    keeps_first = False
    first: dict[str, int] | None = None

    def given(self) -> dict[str, int]:
        return {k: r.value for k, r in self.ratings.items() if r.value is not None}

    def keep_first(self) -> None:
        """Called as the exercise updates: the first complete ratings, once (after a restore of an
        answer saved complete before first ratings were kept, the earliest known)."""
        if self.keeps_first and self.first is None and self.is_done():
            self.first = self.given()

    def state(self) -> dict:
        return {"ratings": self.given(), **({"first": self.first} if self.first is not None else {})}

    def restore(self, value: dict) -> None:
        saved = value.get("ratings") if isinstance(value, dict) and isinstance(value.get("ratings"), dict) else {}
        for k, radio in self.ratings.items():
            v = saved.get(k)
            if type(v) is int and v in self.scale:
                radio.value = v
        first = value.get("first") if self.keeps_first and isinstance(value, dict) else None
        if isinstance(first, dict) and set(first) == set(self.ratings) and \
                all(type(v) is int and v in self.scale for v in first.values()):
            self.first = dict(first)

    def is_done(self) -> bool:
        return len(self.given()) == len(self.ratings)
