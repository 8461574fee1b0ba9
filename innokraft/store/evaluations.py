"""Evaluation answers in the store: one row per learner and instrument, the first answer kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..course.instruments import merge_first
from .db import Store
from .models import EvaluationResponse, Event, utcnow


def save_response(store: Store, learner_id: str, instrument: str, value: object) -> None:
    """The answer, with each item's first answer kept (first attempts are data). The row is made
    by one statement that does nothing if it exists, then updated under a row lock: two pages
    answering at once cannot both make it, nor lose the first answer."""
    now = utcnow()
    with store.session() as s, s.begin():
        made = s.execute(store.insert(EvaluationResponse).values(
            learner_id=learner_id, instrument=instrument, value=value, first_value=value, answered_at=now,
            updated_at=now).on_conflict_do_nothing(
            index_elements=[EvaluationResponse.learner_id, EvaluationResponse.instrument])
            .returning(EvaluationResponse.instrument)).scalar_one_or_none()
        if made is not None:
            return
        row = s.get(EvaluationResponse, (learner_id, instrument), with_for_update=True)
        row.first_value = merge_first(row.first_value, value)
        row.value = value
        row.updated_at = now


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
