"""What a learner's page may ask of the store, checked against the learner's link on every call.

`innokraft serve` runs this in its own process (one Store, one bounded connection pool) and
offers it to kernels over loopback (`store_api`); a kernel outside `innokraft serve`
(papermill, unit tests) calls it in-process. Either way each call carries the learner's
token and touches only that learner's rows: the page names no learner id of its own.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from dataclasses import dataclass
from datetime import datetime

from ..core import clock
from ..core.answers import ANSWER_LIMIT, answer_size, without_nul
from ..core.errors import SubmitError
from ..core.ids import ANSWER_KEY as KEY
from ..core.ids import PAGE
from ..core.pseudonyms import pseudonym
from ..core.secret import load_secret
from ..core.settings import Settings
from ..core.tokens import LinkSigner
from ..course.instruments import PREFIX as EVALUATION_PREFIX
from ..course.instruments import due
from ..course.load import course_and_texts
from ..course.model import WRAPUP, Course
from ..course.progress import progress, wrapup_progress
from ..course.texts import Texts
from ..grading.course import GradingCourse
from ..grading.exchange import submit
from ..store.db import Store
from ..store.evaluations import completed_at, responses
from ..store.feedback import feedback_for_learner, is_current
from ..teams.leader import NotAllowed, TeamLeader
from .auth import authenticate

log = logging.getLogger("innokraft.pages")
EVENT_KINDS = {"opened", "exercise_done", "module_completed", "submitted"}
MAX_JSON_CHARS = 200_000  # an answer's whole JSON (its text within ANSWER_LIMIT, plus its structure)


class ServiceError(Exception):
    """A refused call; `kind` is the reason the page can show (refused, bad_request, ...)."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@dataclass
class LearnerService:
    settings: Settings
    course: Course
    store: Store
    signer: LinkSigner

    signer_secret: str = ""

    @classmethod
    def open(cls, settings: Settings, migrate: bool = True) -> LearnerService:
        course, _texts = course_and_texts(settings.config_dir)
        store = Store.open(settings.db_url, migrate=migrate)
        secret = load_secret(settings)
        return cls(settings, course, store, LinkSigner(secret, course.token_max_age_days), secret)

    # -- the one entry point ------------------------------------------------------------------
    def call(self, op: str, token: str | None, args: dict) -> dict:
        handler = getattr(self, f"op_{op}", None)
        if handler is None:
            raise ServiceError("bad_request", f"unknown operation {op!r}")
        session = authenticate(self.store, self.signer, token)
        if op in ("open", "due", "report"):  # a demo visitor's page asks these too
            return handler(session, **args)
        if session.kind != "learner":
            raise ServiceError("refused", session.error or "demo")
        try:
            return handler(session, **args)
        except TypeError as exc:
            raise ServiceError("bad_request", str(exc)) from None

    # -- operations ---------------------------------------------------------------------------
    def op_open(self, session, page: str, lang: str | None = None, prefix: str | None = None) -> dict:
        """Who the visitor is, their saved answers for the page, and what the page shows."""
        if session.kind != "learner":
            return {"kind": session.kind, "error": session.error}
        learner = session.learner
        _page(page)
        if lang in self.course.languages and lang != learner.lang:
            self.store.set_language(learner.id, lang)
        session.log(page, "opened")
        marks = self.store.marks(learner.id)
        out = {
            "kind": "learner",
            "learner": {"id": learner.id, "cohort_id": learner.cohort_id, "name": learner.name,
                        "email": learner.email, "lang": learner.lang},
            "answers": self.store.answers(learner.id, prefix if prefix is not None else f"{page}."),
            "versions": self.store.answer_versions(learner.id, prefix if prefix is not None else f"{page}."),
            "done": sorted(d for p, kind, d in marks if p == page and kind == "exercise_done"),
            # The initiative the leader carries through the course: every page may show it.
            "thread": self.store.answers(learner.id, "thread."),
            "progress": self._progress(learner.id, marks),
        }
        if any(m.id == page for m in self.course.modules):
            out.update(self._submission_and_feedback(learner.id, page, lang or learner.lang))
        return out

    def op_report(self, session, page: str, part: str, detail: str = "") -> dict:
        """A part of a page could not be shown: logged with the learner's research pseudonym."""
        _page(page)
        who = pseudonym(self.signer_secret, session.learner.id) if session.kind == "learner" else session.kind
        log.warning("page %s: part %s could not be shown for %s: %s", page, str(part)[:100], who,
                    str(detail)[:500])
        return {}

    def op_answers(self, session, prefix: str = "") -> dict:
        return {"answers": self.store.answers(session.learner.id, prefix)}

    def op_save(self, session, key: str, value: object, base: int | None = None,
                only_if_unchanged: bool = False) -> dict:
        """One upsert; `replaced` says another device had saved in between (last write wins, visibly)."""
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise ServiceError("bad_request", "answer key")
        if answer_size(value) > ANSWER_LIMIT or len(_json(value)) > MAX_JSON_CHARS:
            raise ServiceError("too_large")
        value = without_nul(value)
        if key.startswith(EVALUATION_PREFIX):  # evaluation instruments keep their own table
            session.save(key, value)
            return {"version": None, "replaced": False}
        if only_if_unchanged:  # a closing page's last write: never over what the page's beacon sent
            version = self.store.save_answer(session.learner.id, key, value, expect_version=base or 0)
            return {"version": version, "replaced": version is None}
        if base is None:
            return {"version": self.store.save_answer(session.learner.id, key, value), "replaced": False}
        version = self.store.save_answer(session.learner.id, key, value, expect_version=base)
        if version is not None:
            return {"version": version, "replaced": False}
        # Another device saved this answer since this page last did: this page's text is written
        # (the leader's latest), and the other text goes back to the page, to be offered.
        other = self.store.answers(session.learner.id, key).get(key)
        out = {"version": self.store.save_answer(session.learner.id, key, value), "replaced": True}
        if isinstance(other, dict) and isinstance(other.get("text"), str) and other != value:
            out["other"] = other["text"]
        return out

    def op_load(self, session, key: str) -> dict:
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise ServiceError("bad_request", "answer key")
        return {"value": session.load(key)}

    def op_due(self, session) -> dict:
        """The evaluation instruments due now (for a demo visitor: the first one, never saved)."""
        if session.kind == "learner":
            learner = session.learner.id
            items = due(self.course, completed_at(self.store, learner), responses(self.store, learner),
                        clock.now(self.settings))
        else:
            items = due(self.course, {}, {}, clock.now(self.settings))
        return {"due": [{"instrument": d.instrument, "module_id": d.module_id} for d in items]}

    def op_log(self, session, page: str, kind: str, detail: str = "", once: bool = False) -> dict:
        _page(page)
        if kind not in EVENT_KINDS or not isinstance(detail, str) or len(detail) > 255:
            raise ServiceError("bad_request", "event")
        return {"recorded": session.log(page, kind, detail, once=once)}

    def op_done(self, session, page: str, item: str) -> dict:
        """A part of a module is done; the module is completed when all its parts are. A part of
        the wrap-up page is recorded the same way (the start page counts them)."""
        if page == WRAPUP and self.course.wrapup is not None:
            if item not in self.course.wrapup.parts:
                raise ServiceError("bad_request", "item")
            return {"recorded": session.log(page, "exercise_done", item, once=True), "completed": False}
        module = self._module(page)
        if not session.log(page, "exercise_done", item, once=True):
            return {"recorded": False, "completed": False}
        mine = next(p for p in self._progress_rows(session.learner.id) if p.module_id == module.id)
        completed = mine.state == "completed" and session.log(page, "module_completed", once=True)
        return {"recorded": True, "completed": completed}

    def op_progress(self, session) -> dict:
        return {"progress": self._progress(session.learner.id)}

    def op_submit(self, session, page: str, answers: dict, lang: str) -> dict:
        module = self._module(page)
        if lang not in self.course.languages or not isinstance(answers, dict):
            raise ServiceError("bad_request", "submission")
        answers = {str(k): str(v) for k, v in answers.items()}
        if any(answer_size(v) > ANSWER_LIMIT for v in answers.values()):
            raise ServiceError("too_large")
        answers = without_nul(answers)
        _course, texts = course_and_texts(self.settings.config_dir)
        try:
            row = submit(self.grading, self.store, session.learner.id, module, Texts(lang, texts[lang]), answers)
        except SubmitError as exc:
            return {"error": exc.kind}
        session.log(page, "submitted", row.folder)
        return {"submitted_at": _iso(row.submitted_at)}

    def op_feedback(self, session, page: str, lang: str | None = None) -> dict:
        self._module(page)
        return self._submission_and_feedback(session.learner.id, page, lang)

    # -- the leader's team sessions (innokraft.teams) -------------------------------------------
    def op_team_open(self, session, exercise: str, minutes: int, lang: str | None = None) -> dict:
        """A team session for the exercise, closing after `minutes` (one of course.yaml's)."""
        with _not_allowed():
            return self.teams.open(session.learner.id, exercise, minutes, lang or session.learner.lang or "",
                                   clock.now(self.settings))

    def op_team_close(self, session, team: str) -> dict:
        with _not_allowed():
            return self.teams.close(session.learner.id, team, clock.now(self.settings))

    def op_team_state(self, session, exercise: str, since: int | None = None) -> dict:
        """The leader's newest session of the exercise; its result only if answers came since `since`."""
        with _not_allowed():
            return self.teams.state(session.learner.id, exercise, since, clock.now(self.settings))

    @functools.cached_property
    def teams(self) -> TeamLeader:
        return TeamLeader(self.store, self.course, self.signer_secret, self.settings.url)

    # -- helpers ------------------------------------------------------------------------------
    @property
    def grading(self) -> GradingCourse:
        return GradingCourse(self.settings, self.course)

    def _module(self, page: str):
        try:
            return self.course.module(page)
        except KeyError:
            raise ServiceError("bad_request", "module") from None

    def _progress_rows(self, learner_id: str, marks=None):
        return progress(self.course, self.store.marks(learner_id) if marks is None else marks)

    def _progress(self, learner_id: str, marks=None) -> list[dict]:
        """Each module's parts done, and where its reflections are: handed in, with feedback."""
        # Two reads for all modules: this runs on every page's open.
        latest = {row.module_id: row for row in self.store.submissions(learner_id)}  # by id: last wins
        released = {row.module_id: row for row in self.store.feedback_rows(learner_id)}
        marks = self.store.marks(learner_id) if marks is None else marks
        closing = wrapup_progress(self.course, marks)
        return [{"module_id": p.module_id, "done": p.done, "total": p.total, "opened": p.opened,
                 "state": p.state, "submitted": p.module_id in latest,
                 "feedback": is_current(released.get(p.module_id), latest.get(p.module_id))}
                for p in [*self._progress_rows(learner_id, marks), *([closing] if closing else [])]]

    def _submission_and_feedback(self, learner_id: str, page: str, lang: str | None) -> dict:
        latest = self.store.latest_submission(learner_id, page)
        if latest is None:
            return {"submission": None, "feedback": None}
        out = {"submission": {"submitted_at": _iso(latest.submitted_at)}, "feedback": None}
        # From the course store only (`innokraft feedback` copies it there): never the gradebook.
        feedback = feedback_for_learner(self.store, learner_id, page)
        if feedback is not None:
            out["feedback"] = {"score": feedback.score, "max_score": feedback.max_score,
                               "comments": dict(feedback.comments)}
        return out


@contextlib.contextmanager
def _not_allowed():
    try:
        yield
    except NotAllowed as exc:
        raise ServiceError("bad_request", str(exc)) from None


def _page(page: object) -> str:
    if not isinstance(page, str) or not PAGE.fullmatch(page):
        raise ServiceError("bad_request", "page id")
    return page


def _json(value: object) -> str:
    import json

    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        raise ServiceError("bad_request", "value is not JSON") from None
