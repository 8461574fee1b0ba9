"""E5.2 The test card (Strategyzer's four fields, with a decision rule): checked by rules a
leader can see and fix, never by a model. The card's numbers then go through the evidence
simulator (widgets/compute/evidence.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .evidence import Evidence, evidence

# The four fields of the card, then what the team does with each verdict.
WORDED = ("hypothesis", "test", "metric", "criterion", "if_pass", "if_fail")
# What the metric counts, weakest evidence first (what people think … what they invest).
LADDER = ("opinion", "stated_intent", "observed_behaviour", "commitment")
WEAK = LADDER[:2]
# Fewer words than this cannot say who does what, or what is counted.
MIN_WORDS = 3


def whole_number(text: object, low: int, high: int) -> int | None:
    """A whole number typed by a leader ("40", "40 st", "70 %"), if it lies in low … high."""
    found = re.fullmatch(r"\s*(\d{1,6})\s*(?:%|st|st\.|pcs|people|personer)?\s*", str(text or ""), re.IGNORECASE)
    if not found:
        return None
    number = int(found.group(1))
    return number if low <= number <= high else None


def a_date(text: object) -> date | None:
    """A date written as the Swedish standard and ISO 8601 write it: 2026-03-15."""
    try:
        return date.fromisoformat(str(text or "").strip())
    except ValueError:
        return None


def words(text: object) -> int:
    return len(re.findall(r"\w+", str(text or "")))


@dataclass(frozen=True)
class CardCheck:
    problems: tuple[str, ...]     # what keeps the card from holding (text keys)
    advice: tuple[str, ...]       # what would make it stronger, though it holds
    participants: int | None
    at_least: int | None
    evidence: Evidence | None     # once the numbers and both shares are given

    @property
    def holds(self) -> bool:
        return not self.problems

    @property
    def started(self) -> bool:
        return bool(self.problems != ALL_MISSING)


def check_card(card: dict) -> CardCheck:
    """Problems and advice, in the order the card asks; evidence from its numbers once it has them."""
    problems: list[str] = []
    for field in WORDED[:4]:
        if words(card.get(field)) < MIN_WORDS:
            problems.append(f"{field}_missing")
    n = whole_number(card.get("participants"), 1, 10_000)
    k = whole_number(card.get("at_least"), 0, 10_000)
    if n is None:
        problems.append("participants_missing")
    if k is None or k == 0:
        problems.append("at_least_missing")
    elif n is not None and k > n:
        problems.append("at_least_above")
    p_today = whole_number(card.get("p_today"), 0, 100)
    p_true = whole_number(card.get("p_true"), 0, 100)
    if p_today is None or p_true is None:
        problems.append("rates_missing")
    elif p_true <= p_today:
        problems.append("rates_order")
    if a_date(card.get("decide_on")) is None:
        problems.append("no_date")
    if words(card.get("if_pass")) < MIN_WORDS:
        problems.append("if_pass_missing")
    if words(card.get("if_fail")) < MIN_WORDS:
        problems.append("no_stop_rule")
    if card.get("evidence") not in LADDER:
        problems.append("evidence_missing")
    advice = ("weak_evidence",) if card.get("evidence") in WEAK else ()
    ready = (n is not None and k is not None and 0 < k <= n and p_today is not None and p_true is not None)
    return CardCheck(tuple(problems), advice, n, k,
                     evidence(n, k, p_today / 100, p_true / 100) if ready else None)


ALL_MISSING = check_card({}).problems
