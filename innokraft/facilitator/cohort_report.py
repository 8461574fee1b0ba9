"""A cohort at a glance, for the facilitator's dashboard: each learner's progress and latest
submissions, and the measures the evaluation and the exports share (active time, first quiz
answers). Two queries per cohort (no query per learner).
Facilitator-side: never imported by a learner's page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from ..course.model import Course
from ..course.progress import module_items
from ..store.db import LearnerRow, Store
from ..store.models import Event, Learner, Submission

ACTIVE_GAP = timedelta(minutes=15)  # a longer pause between two events is not time spent


@dataclass
class CohortReport:
    """Who is where, for the dashboard's progress and grading queue (the evaluation's figures
    are evaluation_figures', under min_group)."""

    cohort_id: str
    learners: list[LearnerRow]
    # (learner, module) -> (done, total)
    progress: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
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
    modules = [m.id for m in course.modules]
    with store.session() as s:
        done: dict[tuple[str, str], set[str]] = defaultdict(set)
        rows = s.execute(select(Event.learner_id, Event.page, Event.detail)
                         .where(Event.learner_id.in_(in_cohort), Event.page.in_(modules),
                                Event.kind == "exercise_done"))
        for learner_id, page, detail in rows:
            done[(learner_id, page)].add(detail)
        for learner in report.learners:
            for module in course.modules:
                items = set(module_items(module))
                report.progress[(learner.id, module.id)] = (len(done[(learner.id, module.id)] & items),
                                                            len(items))
        rows = s.execute(select(Submission.learner_id, Submission.module_id, Submission.submitted_at,
                                Submission.timestamp)
                         .where(Submission.learner_id.in_(in_cohort)).order_by(Submission.id))
        for learner_id, module_id, at, timestamp in rows:
            report.submissions[(learner_id, module_id)] = (at, timestamp)
    return report
