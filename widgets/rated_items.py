"""RatedItems: an exercise whose answer is one radio group per item, none preset (M7's Kotter audit,
M8's capability profile): what the leader gave, saved as {"ratings": {item: value}}, restored from
a stored value that is read, never trusted (a bool or a float is no rating), done when every item
is rated. The exercise sets `self.ratings` (item -> RadioButtons) and `scale` (the values allowed)."""

from __future__ import annotations


class RatedItems:
    scale: range

    def given(self) -> dict[str, int]:
        return {k: r.value for k, r in self.ratings.items() if r.value is not None}

    def state(self) -> dict:
        return {"ratings": self.given()}

    def restore(self, value: dict) -> None:
        saved = value.get("ratings") if isinstance(value, dict) and isinstance(value.get("ratings"), dict) else {}
        for k, radio in self.ratings.items():
            v = saved.get(k)
            if type(v) is int and v in self.scale:
                radio.value = v

    def is_done(self) -> bool:
        return len(self.given()) == len(self.ratings)
