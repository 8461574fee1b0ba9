"""A cohort at a glance, for the facilitator's dashboard and the exports.

Every figure comes from a few aggregated queries per cohort (no query per learner).
Facilitator-side: never imported by a learner's page.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from ..course.model import Course
from ..course.progress import module_items
from ..store.db import LearnerRow, Store
from ..store.models import Answer, EvaluationResponse, Event, Learner, Submission

ACTIVE_GAP = timedelta(minutes=15)  # a longer pause between two events is not time spent


@dataclass
class CohortReport:
    cohort_id: str
    learners: list[LearnerRow]
    # (learner, module) -> (done, total)
    progress: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    # module -> active minutes per learner who opened it
    minutes: dict[str, list[float]] = field(default_factory=dict)
    # (module, quiz item) -> (correct at first attempt, answered)
    difficulty: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    # (module, pulse item) -> counts per option
    pulse: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    # "pre" | "post" | "then" -> skill -> ratings (0-based option indexes)
    skills: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    # latest submission per (learner, module): (submitted_at, timestamp)
    submissions: dict[tuple[str, str], tuple[datetime, str]] = field(default_factory=dict)


def active_minutes(moments: list[datetime]) -> float:
    """Time between consecutive events, leaving out pauses longer than ACTIVE_GAP."""
    moments = sorted(moments)
    total = sum(((b - a) for a, b in zip(moments, moments[1:], strict=False) if b - a <= ACTIVE_GAP), timedelta())
    return total.total_seconds() / 60


def first_quiz_answers(value: object) -> dict[str, int]:
    """A saved quiz's first choice per item.

    Reads widgets.quiz's form {"first": {item: {"choice": c, "correct": b}}, ...} and the older
    plain {item: choice}.
    """
    if not isinstance(value, dict):
        return {}
    first = value.get("first") if isinstance(value.get("first"), dict) else value
    out = {}
    for item, v in first.items():
        choice = v.get("choice") if isinstance(v, dict) else v
        if isinstance(choice, int):
            out[item] = choice
    return out


def cohort_report(store: Store, course: Course, cohort_id: str) -> CohortReport:
    report = CohortReport(cohort_id, store.learners(cohort_id))
    in_cohort = select(Learner.id).where(Learner.cohort_id == cohort_id).scalar_subquery()
    modules = {m.id: m for m in course.modules}
    with store.session() as s:
        done: dict[tuple[str, str], set[str]] = defaultdict(set)
        moments: dict[tuple[str, str], list[datetime]] = defaultdict(list)
        rows = s.execute(select(Event.learner_id, Event.page, Event.kind, Event.detail, Event.at)
                         .where(Event.learner_id.in_(in_cohort), Event.page.in_(list(modules))))
        for learner_id, page, kind, detail, at in rows:
            moments[(learner_id, page)].append(at)
            if kind == "exercise_done":
                done[(learner_id, page)].add(detail)
        for learner in report.learners:
            for module in course.modules:
                items = set(module_items(module))
                report.progress[(learner.id, module.id)] = (len(done[(learner.id, module.id)] & items),
                                                            len(items))
        for (_learner, page), times in moments.items():
            report.minutes.setdefault(page, []).append(active_minutes(times))

        quiz_keys = [f"{m.id}.quiz" for m in course.modules]
        rows = s.execute(select(Answer.exercise_id, Answer.value)
                         .where(Answer.learner_id.in_(in_cohort), Answer.exercise_id.in_(quiz_keys)))
        for key, value in rows:
            module = modules[key.removesuffix(".quiz")]
            first = first_quiz_answers(value)
            for item in module.quiz:
                if item.id in first:
                    right, answered = report.difficulty.get((module.id, item.id), (0, 0))
                    report.difficulty[(module.id, item.id)] = (right + (first[item.id] == item.correct),
                                                               answered + 1)

        rows = s.execute(select(EvaluationResponse.instrument, EvaluationResponse.value,
                                EvaluationResponse.first_value)
                         .where(EvaluationResponse.learner_id.in_(in_cohort)))
        ev = course.evaluation
        for instrument, value, _first in rows:
            kind = instrument.rsplit(".", 1)[-1]
            if kind == "pulse" and instrument.split(".")[0] in modules:
                for item in ev.pulse:
                    choice = (value or {}).get(item.id)
                    counts = report.pulse.setdefault((instrument.split(".")[0], item.id), [0] * item.options)
                    if isinstance(choice, int) and 0 <= choice < item.options:
                        counts[choice] += 1
            elif instrument in ("pre.skills", "post.skills"):
                parts = {"pre": (value or {}).get("now")} if instrument == "pre.skills" else \
                    {"post": (value or {}).get("now"), "then": (value or {}).get("then")}
                for part, ratings in parts.items():
                    for skill, choice in (ratings or {}).items():
                        if isinstance(choice, int):
                            report.skills.setdefault(part, {}).setdefault(skill, []).append(choice)

        rows = s.execute(select(Submission.learner_id, Submission.module_id, Submission.submitted_at,
                                Submission.timestamp)
                         .where(Submission.learner_id.in_(in_cohort)).order_by(Submission.id))
        for learner_id, module_id, at, timestamp in rows:
            report.submissions[(learner_id, module_id)] = (at, timestamp)
    return report


def respondents(report: CohortReport, part: str) -> int:
    """How many learners gave at least one rating in a part of the self-assessment."""
    return max((len(v) for v in report.skills.get(part, {}).values()), default=0)


def median_minutes(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else 0.0
