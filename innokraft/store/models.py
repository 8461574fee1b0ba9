"""The store's tables. Schema changes go through alembic (innokraft/migrations)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, TypeDecorator, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Cohort(Base):
    __tablename__ = "cohorts"
    id: Mapped[str] = mapped_column(String(63), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Links of this cohort open pages until then even when older than token_max_age_days.
    links_valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)


class Learner(Base):
    __tablename__ = "learners"
    id: Mapped[str] = mapped_column(String(63), primary_key=True)
    cohort_id: Mapped[str] = mapped_column(ForeignKey("cohorts.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Answer(Base):
    """One row per learner x exercise; `version` counts saves."""

    __tablename__ = "answers"
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), primary_key=True)
    exercise_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[object | None] = mapped_column(JSON, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Events that happen once per learner, page and detail: a part done, a module completed.
ONCE_KINDS = ("exercise_done", "module_completed")


class Event(Base):
    """Learning events: opened, exercise_done, module_completed, submitted."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_page_kind", "page", "kind"),
        # A once-event is written with INSERT … ON CONFLICT DO NOTHING against this index: two
        # pages recording the same part at once cannot both write it.
        Index("uq_events_once", "learner_id", "page", "kind", "detail", unique=True,
              sqlite_where=text(f"kind IN {ONCE_KINDS}"), postgresql_where=text(f"kind IN {ONCE_KINDS}")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), index=True)
    page: Mapped[str] = mapped_column(String(63))
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoreMeta(Base):
    """Settings of the store itself (the salt of link-generation keys)."""

    __tablename__ = "store_meta"
    name: Mapped[str] = mapped_column(String(63), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class LinkGeneration(Base):
    """Only links of a learner's current generation open pages; revoke and erase raise it.

    Keyed by a salted hash of the learner id, so the row can outlive the learner (erase
    keeps it as a tombstone) without keeping who it was.
    """

    __tablename__ = "link_generations"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)


class Submission(Base):
    """One nbgrader submission of a module's reflections; the newest one is graded."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), index=True)
    module_id: Mapped[str] = mapped_column(String(63))
    folder: Mapped[str] = mapped_column(String(255))
    timestamp: Mapped[str] = mapped_column(String(64), doc="nbgrader's timestamp.txt")
    secret: Mapped[str] = mapped_column(String(200), doc="submission_secret.txt: names the feedback file")
    lang: Mapped[str] = mapped_column(String(8))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvaluationResponse(Base):
    """One learner's answer to one evaluation instrument (pulse, self-assessment, delayed quiz,
    follow-up), kept apart from course answers: its own export, pseudonymised for research.

    `first_value` keeps each item's first answer: first attempts are data.
    """

    __tablename__ = "evaluation_responses"
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), primary_key=True)
    instrument: Mapped[str] = mapped_column(String(100), primary_key=True,
                                            doc="<module>.pulse, pre.skills, post.skills, <module>.delayed_quiz, "
                                                "<module>.follow_up")
    value: Mapped[object] = mapped_column(JSON)
    first_value: Mapped[object] = mapped_column(JSON)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReleasedFeedback(Base):
    """What a learner's pages show of released feedback, copied from nbgrader's gradebook by
    `innokraft feedback`, so learner pages never open the gradebook or import nbgrader."""

    __tablename__ = "feedback"
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), primary_key=True)
    module_id: Mapped[str] = mapped_column(String(63), primary_key=True)
    submission_timestamp: Mapped[str] = mapped_column(String(64), doc="the graded submission's timestamp.txt")
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    comments: Mapped[object] = mapped_column(JSON, doc="reflection id -> the facilitator's comment")
    answers: Mapped[object] = mapped_column(JSON, doc="reflection id -> the graded answer (escaped Markdown)")
    digest: Mapped[str] = mapped_column(String(64), doc="of what was released: a regrade changes it")
    released_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamSession(Base):
    """A leader's team session for one exercise (innokraft.teams): its link opens the member form
    until `closes_at` or until the leader closes it. `revision` counts the answers written, so the
    leader's page asks one row whether anything changed."""

    __tablename__ = "team_sessions"
    __table_args__ = (Index("ix_team_sessions_leader", "learner_id", "exercise", "opened_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, doc="random; the team link signs it")
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), doc="the leader who opened it")
    exercise: Mapped[str] = mapped_column(String(100), doc="<module>.<exercise>")
    lang: Mapped[str] = mapped_column(String(8), doc="the member form's language unless a member picks another")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class TeamAnswer(Base):
    """One team member's answers in one session. No person, no time, no address: `device` is a
    keyed hash of a random cookie that lives in that session's path only, so a member's second
    send replaces the first and nothing links two sessions' answers."""

    __tablename__ = "team_answers"
    session_id: Mapped[str] = mapped_column(ForeignKey("team_sessions.id"), primary_key=True)
    device: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON, doc="item id -> the scale value chosen")


class IssuedCertificate(Base):
    """A certificate as it was issued (innokraft.facilitator.certificate): what it says is kept, so
    every later copy of the PDF and `innokraft verify` say the same, whatever changes after. A
    withdrawn one keeps its row with `revoked_at`: verify says it was withdrawn, and when."""

    __tablename__ = "certificates"
    code: Mapped[str] = mapped_column(String(24), primary_key=True, doc="the verification code (signed)")
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), index=True)
    edition: Mapped[int] = mapped_column(Integer, doc="how many certificates the learner had before")
    name: Mapped[str] = mapped_column(String(200), doc="the name printed on it")
    modules: Mapped[object] = mapped_column(JSON, doc="[[module id, ISO date completed], ...] in course order")
    minutes: Mapped[int] = mapped_column(Integer, doc="the modules' minutes (course.yaml)")
    task_minutes: Mapped[int] = mapped_column(Integer, doc="the workplace tasks' minutes (course.yaml)")
    issuer: Mapped[object] = mapped_column(JSON, doc="language -> the issuer's name (course.yaml)")
    issued_on: Mapped[date] = mapped_column(Date, doc="the issue date printed, in the course's time zone")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)
