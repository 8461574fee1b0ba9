"""The course store: cohorts, learners, answers, learning events, revoked links."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, delete, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..core.ids import validate_id
from .models import (
    ONCE_KINDS,
    Answer,
    Cohort,
    EvaluationResponse,
    Event,
    IssuedCertificate,
    Learner,
    LinkGeneration,
    ReleasedFeedback,
    StoreMeta,
    Submission,
    TeamAnswer,
    TeamSession,
    utcnow,
)

MIGRATIONS = Path(__file__).parent / "migrations"
# The events progress is made of (innokraft.progress).
PROGRESS_KINDS = ("opened", "exercise_done")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: many kernels read while one writes; busy_timeout: writers queue instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten, not left readable in free pages (GDPR erase).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(db_url: str, pool_size: int = 4) -> Engine:
    if db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # One engine per process with a bounded pool: `innokraft serve` holds at most
    # store_api.POOL_SIZE connections however many pages are open (kernels hold none).
    bounded = {} if db_url in ("sqlite://", "sqlite:///:memory:") else {
        "pool_size": pool_size, "max_overflow": 0, "pool_timeout": 30}
    if not db_url.startswith("sqlite"):
        # A connection PostgreSQL closed (a restart, a failover) is noticed before a write meets it.
        bounded["pool_pre_ping"] = True
    engine = create_engine(db_url, future=True, **bounded)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def head_revision() -> str:
    # Read once per process: every page open checks the schema against it.
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


@dataclass(frozen=True)
class LearnerRow:
    id: str
    cohort_id: str
    name: str
    email: str
    lang: str | None
    # The generation of the learner's links: `innokraft links` issues links of this one.
    link_generation: int = 0


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._session = sessionmaker(engine, expire_on_commit=False)
        self._link_salt: str | None = None

    @classmethod
    def open(cls, db_url: str, migrate: bool = True, pool_size: int = 4) -> Store:
        store = cls(make_engine(db_url, pool_size))
        if migrate:
            store.migrate()
        return store

    # -- schema -----------------------------------------------------------------------------
    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def migrate(self) -> None:
        """Bring the schema to the newest migration (a no-op when it is there already)."""
        if self.revision() == head_revision():
            return
        cfg = _alembic_config()
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def session(self) -> Session:
        return self._session()

    # -- cohorts and learners ---------------------------------------------------------------
    def add_cohort(self, cohort_id: str) -> None:
        cohort_id = validate_id(cohort_id, "cohort id")
        with self.session() as s, s.begin():
            if s.get(Cohort, cohort_id) is None:
                s.add(Cohort(id=cohort_id))

    def upsert_learners(self, cohort_id: str, rows: Iterable[dict]) -> tuple[int, int]:
        """Add or update learners in one transaction; returns (added, updated)."""
        added = updated = 0
        with self.session() as s, s.begin():
            if s.get(Cohort, cohort_id) is None:
                s.add(Cohort(id=validate_id(cohort_id, "cohort id")))
            for row in rows:
                learner = s.get(Learner, row["learner_id"])
                if learner is None:
                    s.add(
                        Learner(
                            id=row["learner_id"],
                            cohort_id=cohort_id,
                            name=row.get("name", ""),
                            email=row.get("email", ""),
                            lang=row.get("lang") or None,
                        )
                    )
                    added += 1
                else:
                    if learner.cohort_id != cohort_id:
                        raise ValueError(
                            f"learner {learner.id!r} already belongs to cohort {learner.cohort_id!r}"
                        )
                    learner.name = row.get("name") or learner.name
                    learner.email = row.get("email") or learner.email
                    learner.lang = row.get("lang") or learner.lang
                    updated += 1
        return added, updated

    def plan_learners(self, cohort_id: str, rows: Iterable[dict]) -> ImportPlan:
        """What upsert_learners would do with rows, without doing it (a dry run)."""
        plan = ImportPlan([], [], [], [])
        with self.session() as s:
            for row in rows:
                learner = s.get(Learner, row["learner_id"])
                if learner is None:
                    plan.added.append(row)
                elif learner.cohort_id != cohort_id:
                    plan.conflicts.append((learner.id, learner.cohort_id))
                else:
                    changes = {key: (getattr(learner, key), row.get(key))
                               for key in ("name", "email", "lang")
                               if row.get(key) and row.get(key) != getattr(learner, key)}
                    (plan.changed.append((learner.id, changes)) if changes else plan.unchanged.append(learner.id))
        return plan

    def learner(self, learner_id: str) -> LearnerRow | None:
        with self.session() as s:
            row = s.get(Learner, learner_id)
            return self._learner_rows(s, [row])[0] if row else None

    def learners(self, cohort_id: str | None = None) -> list[LearnerRow]:
        with self.session() as s:
            query = select(Learner).order_by(Learner.cohort_id, Learner.id)
            if cohort_id is not None:
                query = query.where(Learner.cohort_id == cohort_id)
            return self._learner_rows(s, list(s.scalars(query)))

    def _learner_rows(self, s: Session, rows: list[Learner]) -> list[LearnerRow]:
        keys = {row.id: self._link_key(s, row.id) for row in rows}
        generations = dict(s.execute(
            select(LinkGeneration.key, LinkGeneration.generation)
            .where(LinkGeneration.key.in_(list(keys.values())))
        ).all()) if keys else {}
        return [LearnerRow(r.id, r.cohort_id, r.name, r.email, r.lang, generations.get(keys[r.id], 0))
                for r in rows]

    def cohort_links_until(self, cohort_id: str) -> datetime | None:
        """Until when the cohort's links open pages whatever their age (None: their age decides)."""
        with self.session() as s:
            row = s.get(Cohort, cohort_id)
            return row.links_valid_until if row else None

    def extend_cohort_links(self, cohort_id: str, until: datetime) -> None:
        with self.session() as s, s.begin():
            row = s.get(Cohort, cohort_id)
            if row is None:
                raise KeyError(cohort_id)
            row.links_valid_until = until

    def revoke_cohort(self, cohort_id: str) -> list[str]:
        """Refuse every link issued to the cohort's learners so far, in one transaction."""
        with self.session() as s, s.begin():
            ids = list(s.scalars(select(Learner.id).where(Learner.cohort_id == cohort_id).order_by(Learner.id)))
            for learner_id in ids:
                self._raise_generation(s, learner_id)
            return ids

    def cohort_exists(self, cohort_id: str) -> bool:
        with self.session() as s:
            return s.get(Cohort, cohort_id) is not None

    def set_language(self, learner_id: str, lang: str) -> None:
        with self.session() as s, s.begin():
            learner = s.get(Learner, learner_id)
            if learner is not None and learner.lang != lang:
                learner.lang = lang

    # -- links ------------------------------------------------------------------------------
    def _link_key(self, s: Session, learner_id: str) -> str:
        if self._link_salt is None:
            self._link_salt = s.get(StoreMeta, "link_salt").value
        return hashlib.sha256(f"{self._link_salt}:{learner_id}".encode()).hexdigest()

    def link_generation(self, learner_id: str) -> int:
        """The generation a link must carry to open this learner's pages."""
        with self.session() as s:
            row = s.get(LinkGeneration, self._link_key(s, learner_id))
            return row.generation if row else 0

    def _raise_generation(self, s: Session, learner_id: str) -> int:
        key = self._link_key(s, learner_id)
        row = s.get(LinkGeneration, key, with_for_update=True)
        if row is None:
            row = LinkGeneration(key=key, generation=1)
            s.add(row)
        else:
            row.generation += 1
        return row.generation

    # A cohort's facilitator links have a generation of their own, under a subject no learner id
    # can be (ids have no ':'): revoking them touches no learner's links.
    def facilitator_generation(self, cohort_id: str) -> int:
        """The generation a facilitator link of the cohort must carry to open its dashboard."""
        return self.link_generation(f"facilitator:{cohort_id}")

    def revoke_facilitator_links(self, cohort_id: str) -> int:
        """Refuse every facilitator link of the cohort issued so far; returns the new generation."""
        with self.session() as s, s.begin():
            return self._raise_generation(s, f"facilitator:{cohort_id}")

    def revoke(self, learner_id: str) -> int:
        """Refuse every link issued to the learner so far; returns the new generation."""
        with self.session() as s, s.begin():
            return self._raise_generation(s, learner_id)

    # -- answers ----------------------------------------------------------------------------
    def save_answer(self, learner_id: str, exercise_id: str, value: object,
                    expect_version: int | None = None) -> int | None:
        """Write one answer with a single upsert (no read first); returns its new version.

        Two pages saving the same key at once cannot both read the old row and lose a
        version: the database serialises the one statement (SQLite and PostgreSQL alike).
        With `expect_version` (0: no row yet) the write happens only if the stored version is
        still that one, else nothing is written and None is returned: never over newer text.
        """
        now = utcnow()
        statement = self.insert(Answer).values(learner_id=learner_id, exercise_id=exercise_id, value=value,
                                          version=1, updated_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=[Answer.learner_id, Answer.exercise_id],
            set_={"value": statement.excluded.value, "version": Answer.version + 1, "updated_at": now},
            where=None if expect_version is None else Answer.version == expect_version,
        ).returning(Answer.version)
        with self.engine.begin() as conn:
            return conn.execute(statement).scalar_one_or_none()

    def answers(self, learner_id: str, prefix: str = "") -> dict[str, object]:
        with self.session() as s:
            query = select(Answer).where(Answer.learner_id == learner_id)
            if prefix:
                query = query.where(Answer.exercise_id.startswith(prefix))
            return {a.exercise_id: a.value for a in s.scalars(query)}

    def answer_versions(self, learner_id: str, prefix: str = "") -> dict[str, int]:
        """How many times each answer was saved: a page sends it back with its next save, so a
        save over another device's newer one is noticed (and said)."""
        with self.session() as s:
            query = select(Answer.exercise_id, Answer.version).where(Answer.learner_id == learner_id)
            if prefix:
                query = query.where(Answer.exercise_id.startswith(prefix))
            return dict(s.execute(query).all())

    # -- learning events --------------------------------------------------------------------
    def log_event(self, learner_id: str, page: str, kind: str, detail: str = "") -> None:
        if kind in ONCE_KINDS:
            self.log_event_once(learner_id, page, kind, detail)
            return
        with self.session() as s, s.begin():
            s.add(Event(learner_id=learner_id, page=page, kind=kind, detail=detail))

    def insert(self, model):
        """INSERT for this store's database, with its ON CONFLICT (SQLite and PostgreSQL alike)."""
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(model)

    def log_event_once(self, learner_id: str, page: str, kind: str, detail: str = "") -> bool:
        """Record a once-event (models.ONCE_KINDS) unless it is there; True if this call wrote it.
        One statement against a unique index: two pages at once cannot both record it."""
        assert kind in ONCE_KINDS, kind
        statement = self.insert(Event).values(learner_id=learner_id, page=page, kind=kind, detail=detail,
                                                 at=utcnow())
        statement = statement.on_conflict_do_nothing(
            index_elements=[Event.learner_id, Event.page, Event.kind, Event.detail],
            index_where=Event.kind.in_(ONCE_KINDS)).returning(Event.id)
        with self.engine.begin() as conn:
            return conn.execute(statement).scalar_one_or_none() is not None

    def has_event(self, learner_id: str, page: str, kind: str, detail: str = "") -> bool:
        with self.session() as s:
            query = select(func.count()).select_from(Event).where(
                Event.learner_id == learner_id,
                Event.page == page,
                Event.kind == kind,
                Event.detail == detail,
            )
            return s.scalar(query) > 0

    def marks(self, learner_id: str) -> set[tuple[str, str, str]]:
        """What progress counts of a learner's events: each (page, kind, detail) of a page opened
        or a part done, once. Every page open asks this, and a learner's events grow by one each
        visit: only these columns, made distinct by the database."""
        with self.session() as s:
            query = select(Event.page, Event.kind, Event.detail).distinct().where(
                Event.learner_id == learner_id, Event.kind.in_(PROGRESS_KINDS))
            return {tuple(row) for row in s.execute(query)}

    def events(self, learner_id: str | None = None) -> list[tuple[str, str, str, str, datetime]]:
        with self.session() as s:
            query = select(Event).order_by(Event.id)
            if learner_id:
                query = query.where(Event.learner_id == learner_id)
            return [(e.learner_id, e.page, e.kind, e.detail, e.at) for e in s.scalars(query)]

    # -- submissions ------------------------------------------------------------------------
    def add_submission(self, learner_id: str, module_id: str, folder: str, timestamp: str,
                       secret: str, lang: str) -> SubmissionRow:
        with self.session() as s, s.begin():
            row = Submission(learner_id=learner_id, module_id=module_id, folder=folder,
                             timestamp=timestamp, secret=secret, lang=lang)
            s.add(row)
            s.flush()
            return _submission_row(row)

    def latest_submission(self, learner_id: str, module_id: str) -> SubmissionRow | None:
        with self.session() as s:
            row = s.scalars(
                select(Submission)
                .where(Submission.learner_id == learner_id, Submission.module_id == module_id)
                .order_by(Submission.id.desc())
                .limit(1)
            ).first()
            return _submission_row(row) if row else None

    def submissions(self, learner_id: str) -> list[SubmissionRow]:
        with self.session() as s:
            query = select(Submission).where(Submission.learner_id == learner_id).order_by(Submission.id)
            return [_submission_row(r) for r in s.scalars(query)]

    # -- released feedback (copied from nbgrader by `innokraft feedback`) ----------------------
    def save_feedback(self, learner_id: str, module_id: str, submission_timestamp: str, score: float,
                      max_score: float, comments: dict, answers: dict, digest: str) -> None:
        with self.session() as s, s.begin():
            row = s.get(ReleasedFeedback, (learner_id, module_id))
            if row is None:
                row = ReleasedFeedback(learner_id=learner_id, module_id=module_id)
                s.add(row)
            row.submission_timestamp = submission_timestamp
            row.score, row.max_score = score, max_score
            row.comments, row.answers, row.digest = comments, answers, digest
            row.released_at = utcnow()

    def feedback(self, learner_id: str, module_id: str) -> FeedbackRow | None:
        with self.session() as s:
            row = s.get(ReleasedFeedback, (learner_id, module_id))
            return _feedback_row(row) if row else None

    def feedback_rows(self, learner_id: str | None = None) -> list[FeedbackRow]:
        with self.session() as s:
            query = select(ReleasedFeedback).order_by(ReleasedFeedback.learner_id, ReleasedFeedback.module_id)
            if learner_id is not None:
                query = query.where(ReleasedFeedback.learner_id == learner_id)
            return [_feedback_row(r) for r in s.scalars(query)]

    def delete_learner(self, learner_id: str) -> None:
        """GDPR: remove everything stored about one learner.

        What stays is the tombstone of their links' generation (a salted hash and a number),
        raised here: links issued before the erase stay dead when the id is reused.
        """
        with self.session() as s, s.begin():
            # The leader's team sessions go with them, and their team's anonymous answers too.
            sessions = select(TeamSession.id).where(TeamSession.learner_id == learner_id)
            s.execute(delete(TeamAnswer).where(TeamAnswer.session_id.in_(sessions)))
            s.execute(delete(TeamSession).where(TeamSession.learner_id == learner_id))
            for model in (Answer, Event, Submission, ReleasedFeedback, EvaluationResponse, IssuedCertificate):
                for row in s.scalars(select(model).where(model.learner_id == learner_id)):
                    s.delete(row)
            row = s.get(Learner, learner_id)
            if row is not None:
                s.delete(row)
            self._raise_generation(s, learner_id)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            scrub_sqlite_file(Path(self.engine.url.database))
        elif self.engine.dialect.name == "postgresql":
            self._scrub_postgres_tables()

    def _scrub_postgres_tables(self) -> None:
        # PostgreSQL keeps deleted rows as dead tuples in the table files until they are
        # rewritten; VACUUM FULL rewrites them, so the erased text is no longer on disk there.
        tables = [m.__table__.name for m in (Answer, Event, Submission, ReleasedFeedback, EvaluationResponse,
                                                 IssuedCertificate, TeamAnswer, TeamSession, Learner)]
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in tables:
                conn.exec_driver_sql(f'VACUUM FULL "{table}"')


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    learner_id: str
    module_id: str
    folder: str
    timestamp: str
    secret: str
    lang: str
    submitted_at: datetime


def scrub_sqlite_file(path: Path) -> None:
    """Leave nothing deleted readable in an SQLite file: overwrite free space, empty the WAL."""
    import sqlite3

    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:  # a reader held on; once more after it let go
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


@dataclass(frozen=True)
class ImportPlan:
    added: list[dict]
    changed: list[tuple[str, dict]]  # learner id -> {field: (old, new)}
    unchanged: list[str]
    conflicts: list[tuple[str, str]]  # learner id, the cohort they already belong to


@dataclass(frozen=True)
class FeedbackRow:
    learner_id: str
    module_id: str
    submission_timestamp: str
    score: float
    max_score: float
    comments: dict
    answers: dict
    digest: str
    released_at: datetime


def _feedback_row(row: ReleasedFeedback) -> FeedbackRow:
    return FeedbackRow(row.learner_id, row.module_id, row.submission_timestamp, row.score, row.max_score,
                       dict(row.comments or {}), dict(row.answers or {}), row.digest, row.released_at)


def _submission_row(row: Submission) -> SubmissionRow:
    return SubmissionRow(row.id, row.learner_id, row.module_id, row.folder, row.timestamp,
                         row.secret, row.lang, row.submitted_at)


