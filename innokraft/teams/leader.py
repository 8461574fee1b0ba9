"""What a leader's page asks of its team sessions (through the learner service, which has
checked the leader's link): open one, see how it stands, close it.

The page asks `state` every second while its session is open; when nothing was answered since
it last asked (`since`, the session's revision) that is one indexed row and no answers read.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urljoin

from ..core.tokens import TeamSigner
from ..course.model import Course, TeamExercise
from ..store.db import Store
from .aggregate import aggregate
from .sessions import SessionRow, TeamStore

# Where the member form answers, under the server's root (innokraft.web.team_pages).
FORM_PATH = "innokraft/team/"


class NotAllowed(Exception):
    """The exercise allows no team session, or the minutes are not a closing time offered."""


class TeamLeader:
    def __init__(self, store: Store, course: Course, secret: str, url: str):
        self.sessions = TeamStore(store)
        self.course = course
        self.config = course.team_sessions
        self.signer = TeamSigner(secret)
        self.url = url

    def form(self, exercise: str) -> TeamExercise:
        found = self.config.find(exercise) if isinstance(exercise, str) else None
        if found is None:
            raise NotAllowed(f"{exercise!r} allows no team session (course.yaml: team_sessions)")
        return found

    def link(self, session_id: str) -> str:
        """The team link: the form of this one session, at the course's public address."""
        return urljoin(self.url if self.url.endswith("/") else self.url + "/",
                       FORM_PATH + self.signer.issue(session_id))

    def open(self, learner_id: str, exercise: str, minutes: object, lang: str, now: datetime) -> dict:
        self.form(exercise)
        if type(minutes) is not int or minutes not in self.config.minutes:
            raise NotAllowed(f"minutes must be one of {self.config.minutes}")
        lang = lang if lang in self.course.languages else self.course.default_language
        row = self.sessions.open(learner_id, exercise, lang, now + timedelta(minutes=minutes), now)
        return {"team": self._describe(row, now, since=None, link=True)}

    def close(self, learner_id: str, session_id: object, now: datetime) -> dict:
        row = self.sessions.close(learner_id, session_id, now) if isinstance(session_id, str) else None
        if row is None:
            raise NotAllowed("no such session of this leader")
        return {"team": self._describe(row, now, since=None)}

    def state(self, learner_id: str, exercise: str, since: object, now: datetime) -> dict:
        """The leader's newest session of the exercise (None: never opened one); its result
        only when answers came since the revision `since` the page last saw."""
        form = self.form(exercise)
        row = self.sessions.latest(learner_id, form.key)
        if row is None:
            return {"team": None}
        return {"team": self._describe(row, now, since if type(since) is int else None, link=since is None)}

    def _describe(self, row: SessionRow, now: datetime, since: int | None, link: bool = False) -> dict:
        out = {"id": row.id, "exercise": row.exercise, "open": row.is_open(now),
               "closes_at": row.closes_at.isoformat(),
               "closed_at": row.closed_at.isoformat() if row.closed_at else None, "revision": row.revision}
        if link:
            out["link"] = self.link(row.id)
        if since != row.revision:
            out["result"] = self.result(row)
        return out

    def result(self, row: SessionRow) -> dict:
        """The team's result as the leader may see it: below the threshold, the count alone
        (their answers are not even read)."""
        form, least = self.form(row.exercise), self.config.min_answers
        count = self.sessions.count(row.id)
        if count < least:
            return aggregate([{}] * count, form, least).as_dict()
        return aggregate(self.sessions.values(row.id), form, least).as_dict()
