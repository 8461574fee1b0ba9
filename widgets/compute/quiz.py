"""Quiz answers as first attempts: the first choice per item is kept; later changes are retries."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Attempts:
    """Per item: the first choice and whether it was right; the latest choice; how many tries."""

    first: dict[str, int] = field(default_factory=dict)
    latest: dict[str, int] = field(default_factory=dict)
    tries: dict[str, int] = field(default_factory=dict)

    def answer(self, item: str, choice: int | None) -> None:
        if choice is None:
            return
        self.first.setdefault(item, choice)
        if self.latest.get(item) != choice:
            self.tries[item] = self.tries.get(item, 0) + 1
        self.latest[item] = choice

    def as_dict(self, key: dict[str, int]) -> dict:
        return {
            "first": {q: {"choice": c, "correct": c == key.get(q)} for q, c in self.first.items()},
            "latest": dict(self.latest),
            "tries": dict(self.tries),
        }

    @classmethod
    def from_dict(cls, value: dict) -> Attempts:
        """Reads the saved form, and the older {item: choice} form (taken as first answers)."""
        if "first" not in value:
            plain = {q: int(v) for q, v in value.items() if v is not None}
            return cls(dict(plain), dict(plain), {q: 1 for q in plain})
        first = {q: int(v["choice"]) for q, v in (value.get("first") or {}).items()}
        return cls(first, {q: int(v) for q, v in (value.get("latest") or {}).items()},
                   {q: int(v) for q, v in (value.get("tries") or {}).items()})


def first_attempt_score(attempts: Attempts, key: dict[str, int]) -> tuple[int, int]:
    """(right at the first attempt, answered) — the score a learner is shown and compared on."""
    answered = [q for q in key if q in attempts.first]
    return sum(attempts.first[q] == key[q] for q in answered), len(answered)


def quiz_score(answers: dict[str, int | None], key: dict[str, int]) -> tuple[int, int]:
    """(correct, answered) for a learner's chosen option indexes."""
    answered = [q for q in key if answers.get(q) is not None]
    return sum(answers[q] == key[q] for q in answered), len(answered)
