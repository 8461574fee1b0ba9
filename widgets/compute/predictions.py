"""Predictions checked against sourced values (E1.1 "Myth or data?")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Target:
    """A sourced value. bound ">" means the source only says "more than value"."""

    value: float
    bound: Literal["=", ">", "<"] = "="


def signed_error(prediction: float, target: Target) -> float:
    """Prediction minus the sourced value, in percentage points; 0 inside a bound.

    "More than half" is met by any guess above 50: a guess of 70 is not 20 points off.
    """
    gap = float(prediction) - target.value
    if target.bound == ">":
        return min(gap, 0.0)
    if target.bound == "<":
        return max(gap, 0.0)
    return gap


@dataclass(frozen=True)
class Score:
    errors: dict[str, float]        # signed, per item
    mean_error: float               # mean absolute error
    bias: float                     # mean signed error: < 0 under-, > 0 overestimated
    closest: str
    farthest: str


def score_predictions(predictions: dict[str, float], targets: dict[str, Target]) -> Score:
    """Signed and absolute error per item, their means, and the best and worst guess.

    Ties go to the item listed first, so the feedback is stable.
    """
    errors = {k: signed_error(predictions[k], t) for k, t in targets.items()}
    order = {k: i for i, k in enumerate(targets)}
    ranked = sorted(errors, key=lambda k: (abs(errors[k]), order[k]))
    farthest = max(errors, key=lambda k: (abs(errors[k]), -order[k]))
    n = len(errors)
    return Score(errors, sum(abs(e) for e in errors.values()) / n, sum(errors.values()) / n,
                 ranked[0], farthest)
