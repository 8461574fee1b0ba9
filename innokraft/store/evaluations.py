"""Evaluation answers in the store: one row per learner and instrument, the first answer kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..course.instruments import merge_first
from .db import Store
from .models import EvaluationResponse, Event, utcnow


def save_response(store: Store, learner_id: str, instrument: str, value: object) -> None:
    with store.session() as s, s.begin():
        row = s.get(EvaluationResponse, (learner_id, instrument))
        if row is None:
            s.add(EvaluationResponse(learner_id=learner_id, instrument=instrument, value=value,
                                     first_value=value))
        else:
            row.first_value = merge_first(row.first_value, value)
            row.value = value
            row.updated_at = utcnow()


def responses(store: Store, learner_id: str) -> dict[str, object]:
    with store.session() as s:
        rows = s.scalars(select(EvaluationResponse).where(EvaluationResponse.learner_id == learner_id))
        return {r.instrument: r.value for r in rows}


def completed_at(store: Store, learner_id: str) -> dict[str, datetime]:
    """module id -> when the learner first completed it (one query)."""
    with store.session() as s:
        rows = s.execute(
            select(Event.page, Event.at).where(Event.learner_id == learner_id,
                                               Event.kind == "module_completed").order_by(Event.at)
        )
        out: dict[str, datetime] = {}
        for page, at in rows:
            out.setdefault(page, at)
        return out
