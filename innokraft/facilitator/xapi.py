"""Learning events as xAPI 1.0.3 statements (JSON lines), and sending them to an LRS.

Every learning event in the store becomes one statement; every evaluation answer one more.
Actors are pseudonymous accounts (the research export's keyed hash), never names or
e-mails. Statement ids are derived from the event, so sending twice sends the same ids.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from sqlalchemy import select

from ..core.pseudonyms import pseudonym
from ..course.model import Course
from ..store.db import Store
from ..store.models import EvaluationResponse, Event, Learner

VERSION = "1.0.3"
NAMESPACE = uuid.UUID("6f1c9a52-6c1e-4f7e-9a55-2b1f4c2d7e10")  # Innokraft's statement-id namespace
VERBS = {
    "opened": "http://adlnet.gov/expapi/verbs/launched",
    "exercise_done": "http://adlnet.gov/expapi/verbs/completed",
    "module_completed": "http://adlnet.gov/expapi/verbs/completed",
    "submitted": "http://activitystrea.ms/schema/1.0/submit",
    "answered": "http://adlnet.gov/expapi/verbs/responded",
}
VERB_NAMES = {"opened": "launched", "exercise_done": "completed", "module_completed": "completed",
              "submitted": "submitted", "answered": "responded"}
ACTIVITY_TYPES = {"module": "http://adlnet.gov/expapi/activities/module",
                  "exercise": "http://adlnet.gov/expapi/activities/interaction",
                  "page": "http://activitystrea.ms/schema/1.0/page",
                  "assessment": "http://adlnet.gov/expapi/activities/assessment",
                  "survey": "http://id.tincanapi.com/activitytype/survey"}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _base(course_url: str) -> str:
    return course_url if course_url.endswith("/") else course_url + "/"


def _activity(base: str, path: str, kind: str, name: str) -> dict:
    return {"objectType": "Activity", "id": f"{base}xapi/activities/{path}",
            "definition": {"type": ACTIVITY_TYPES[kind], "name": {"en": name}}}


def statements(store: Store, course: Course, secret: str, course_url: str,
               cohort_id: str | None = None) -> Iterator[dict]:
    """xAPI statements for the learning events and evaluation answers (demo learners left out)."""
    base = _base(course_url)
    modules = {m.id: m for m in course.modules}
    course_activity = _activity(base, course.id, "page", course.title["en"])
    with store.session() as s:
        who = select(Learner.id).where(Learner.cohort_id == cohort_id) if cohort_id else \
            select(Learner.id).where(Learner.cohort_id != "demo")
        ids = list(s.scalars(who))
        events = list(s.execute(select(Event.id, Event.learner_id, Event.page, Event.kind, Event.detail, Event.at)
                                .where(Event.learner_id.in_(ids)).order_by(Event.id)))
        answers = list(s.execute(select(EvaluationResponse.learner_id, EvaluationResponse.instrument,
                                        EvaluationResponse.answered_at)
                                 .where(EvaluationResponse.learner_id.in_(ids))
                                 .order_by(EvaluationResponse.answered_at)))
    actors = {lid: {"objectType": "Agent", "account": {"homePage": base, "name": pseudonym(secret, lid)}}
              for lid in ids}
    for event_id, learner_id, page, kind, detail, at in events:
        if kind not in VERBS:
            continue
        module = modules.get(page)
        page_name = module.title["en"] if module else page
        if kind == "exercise_done":
            obj = _activity(base, f"{page}/{detail}", "exercise", f"{page_name}: {detail}")
        elif kind == "submitted":
            obj = _activity(base, f"{page}/reflections", "assessment", f"{page_name}: reflections")
        else:
            obj = _activity(base, page, "module" if module else "page", page_name)
        yield {
            "id": str(uuid.uuid5(NAMESPACE, f"event:{event_id}")),
            "actor": actors[learner_id],
            "verb": {"id": VERBS[kind], "display": {"en-US": VERB_NAMES[kind]}},
            "object": obj,
            "context": {"platform": "Innokraft", "contextActivities": {"parent": [course_activity]}},
            "timestamp": _iso(at),
            "version": VERSION,
        }
    for learner_id, instrument, at in answers:
        yield {
            "id": str(uuid.uuid5(NAMESPACE, f"evaluation:{learner_id}:{instrument}")),
            "actor": actors[learner_id],
            "verb": {"id": VERBS["answered"], "display": {"en-US": VERB_NAMES["answered"]}},
            "object": _activity(base, f"evaluation/{instrument}", "survey", f"evaluation: {instrument}"),
            "context": {"platform": "Innokraft", "contextActivities": {"parent": [course_activity]}},
            "timestamp": _iso(at),
            "version": VERSION,
        }


def json_lines(items: Iterable[dict]) -> str:
    return "".join(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n" for item in items)


class LrsError(Exception):
    pass


def send(items: list[dict], lrs_url: str, username: str | None, password: str | None,
         batch: int = 200, timeout: float = 30) -> int:
    """POST the statements to <lrs_url>/statements in batches; returns how many the LRS holds.

    Statements the LRS already holds (same ids) count too: sending again is harmless.
    """
    url = lrs_url.rstrip("/") + "/statements"
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": VERSION}
    if username:
        token = base64.b64encode(f"{username}:{password or ''}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    sent = 0
    for start in range(0, len(items), batch):
        chunk = items[start:start + batch]
        request = urllib.request.Request(url, data=json.dumps(chunk).encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                sent += len(chunk)  # stored now, or already held under the same ids
        except urllib.error.HTTPError as exc:
            if exc.code == 409:
                sent += len(chunk)
                continue
            detail = exc.read().decode("utf-8", "replace")[:500]
            raise LrsError(f"{url} answered {exc.code}: {detail}") from None
        except urllib.error.URLError as exc:
            raise LrsError(f"{url} is not reachable: {exc.reason}") from None
    return sent
