"""The store's team tables: a leader's sessions and their members' anonymous answers.

Everything a session is lives in the database, so any `innokraft serve` sharing it (several
processes on one PostgreSQL) takes a member's answer and shows the leader's result alike; no
process keeps a session of its own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from ..store.db import Store
from ..store.models import TeamAnswer, TeamSession

# The most answers one session takes: a meeting room, not a survey (and a link passed around
# cannot fill the table).
MAX_ANSWERS = 200


@dataclass(frozen=True)
class SessionRow:
    id: str
    learner_id: str
    exercise: str
    lang: str
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    revision: int

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and now < self.closes_at


class _NotTaken(Exception):
    """Why an answer was not stored; raised inside its transaction, which is rolled back."""


def _row(row: TeamSession) -> SessionRow:
    return SessionRow(row.id, row.learner_id, row.exercise, row.lang, row.opened_at, row.closes_at,
                      row.closed_at, row.revision)


class TeamStore:
    def __init__(self, store: Store):
        self.store = store

    def open(self, learner_id: str, exercise: str, lang: str, closes_at: datetime, now: datetime) -> SessionRow:
        """A new session; the leader's earlier open session of the exercise closes (one link per exercise)."""
        row = TeamSession(id=secrets.token_hex(16), learner_id=learner_id, exercise=exercise, lang=lang,
                          opened_at=now, closes_at=closes_at, revision=0)
        with self.store.session() as s, s.begin():
            s.execute(update(TeamSession).where(
                TeamSession.learner_id == learner_id, TeamSession.exercise == exercise,
                TeamSession.closed_at.is_(None)).values(closed_at=now))
            s.add(row)
            s.flush()
            return _row(row)

    def close(self, learner_id: str, session_id: str, now: datetime) -> SessionRow | None:
        """The leader closes their session (another leader's is not theirs to close)."""
        with self.store.session() as s, s.begin():
            s.execute(update(TeamSession).where(
                TeamSession.id == session_id, TeamSession.learner_id == learner_id,
                TeamSession.closed_at.is_(None)).values(closed_at=now))
            row = s.get(TeamSession, session_id)
            return _row(row) if row is not None and row.learner_id == learner_id else None

    def get(self, session_id: str) -> SessionRow | None:
        with self.store.session() as s:
            row = s.get(TeamSession, session_id)
            return _row(row) if row else None

    def latest(self, learner_id: str, exercise: str) -> SessionRow | None:
        """The leader's newest session of the exercise: one indexed row (the leader's page asks
        it every second while a session is open)."""
        with self.store.session() as s:
            row = s.scalars(select(TeamSession).where(
                TeamSession.learner_id == learner_id, TeamSession.exercise == exercise)
                .order_by(TeamSession.opened_at.desc(), TeamSession.id).limit(1)).first()
            return _row(row) if row else None

    def sessions_of(self, learner_id: str) -> list[SessionRow]:
        with self.store.session() as s:
            return [_row(r) for r in s.scalars(select(TeamSession).where(TeamSession.learner_id == learner_id)
                                               .order_by(TeamSession.opened_at))]

    def answer(self, session_id: str, device: str, value: dict, now: datetime) -> str:
        """Store a member's answer ("saved"), replacing this device's earlier one; "closed" when
        the session no longer takes answers, "full" at MAX_ANSWERS.

        The session's row is written first in the same transaction (its revision raised, only
        while it is open): a close that comes meanwhile waits for it or wins, never half.
        """
        try:
            with self.store.engine.begin() as conn:
                opened = conn.execute(update(TeamSession).where(
                    TeamSession.id == session_id, TeamSession.closed_at.is_(None), TeamSession.closes_at > now)
                    .values(revision=TeamSession.revision + 1)).rowcount
                if not opened:
                    raise _NotTaken("closed")
                known = conn.execute(select(TeamAnswer.device).where(
                    TeamAnswer.session_id == session_id, TeamAnswer.device == device)).first()
                if known is None and conn.execute(select(func.count()).select_from(TeamAnswer).where(
                        TeamAnswer.session_id == session_id)).scalar_one() >= MAX_ANSWERS:
                    raise _NotTaken("full")  # rolled back: the revision stays
                statement = self.store.insert(TeamAnswer).values(session_id=session_id, device=device, value=value)
                conn.execute(statement.on_conflict_do_update(
                    index_elements=[TeamAnswer.session_id, TeamAnswer.device],
                    set_={"value": statement.excluded.value}))
        except _NotTaken as why:
            return why.args[0]
        return "saved"

    def answer_of(self, session_id: str, device: str) -> dict | None:
        """This device's answer in the session (its own form shows it again), if any."""
        with self.store.session() as s:
            row = s.get(TeamAnswer, (session_id, device))
            return dict(row.value) if row is not None and isinstance(row.value, dict) else None

    def count(self, session_id: str) -> int:
        with self.store.session() as s:
            return s.scalar(select(func.count()).select_from(TeamAnswer).where(TeamAnswer.session_id == session_id))

    def values(self, session_id: str) -> list[object]:
        with self.store.session() as s:
            return list(s.scalars(select(TeamAnswer.value).where(TeamAnswer.session_id == session_id)))
