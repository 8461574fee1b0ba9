"""The gradebook as a class list a facilitator opens in Excel: every learner of the cohort, one
row each, and per module where the grading stands (the same states as `innokraft status` and the
dashboard: grading.flow), the score only when every question is graded, and when the learner
handed in, in the course's time zone. "Not submitted" and "partly graded" are words, never 0."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from ..course.model import Course
from ..course.texts import Texts
from ..grading import flow
from ..grading.course import GradingCourse
from ..store.db import LearnerRow, Store

GRADED = (flow.TO_RELEASE, flow.RELEASED)
BOM = "\ufeff"  # Excel reads a file with it as UTF-8 (å, ä, ö), without it as the machine's code page


def state_words(t: Texts, state: flow.State | None) -> str:
    if state is None:
        return t("gradebook.state.not_submitted")
    if state.kind == flow.PARTLY_GRADED:
        return t("gradebook.state.partly_graded", graded=state.total - len(state.ungraded), total=state.total)
    return t(f"gradebook.state.{state.kind}")


def points(value: float, t: Texts) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if t.lang == "sv" else text


def gradebook_table(grading: GradingCourse, store: Store, course: Course, learners: list[LearnerRow],
                    t: Texts) -> tuple[list[str], list[list[str]]]:
    zone = ZoneInfo(course.timezone)
    states = flow.states(grading, store, [lr.id for lr in learners])
    head = [t("gradebook.column.learner_id"), t("gradebook.column.name"), t("gradebook.column.email")]
    for m in course.modules:
        head += [t(f"gradebook.column.{k}", module=m.id, zone=course.timezone)
                 for k in ("state", "score", "max_score", "submitted")]
    rows = []
    for learner in learners:
        row = [learner.id, learner.name, learner.email]
        for m in course.modules:
            state = states.get((learner.id, m.id))
            submission = store.latest_submission(learner.id, m.id)
            graded = state is not None and state.kind in GRADED
            row += [state_words(t, state), points(state.score, t) if graded else "",
                    points(sum(r.points for r in m.reflections), t),
                    submission.submitted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if submission else ""]
        rows.append(row)
    return head, rows


def gradebook_csv(grading: GradingCourse, store: Store, course: Course, learners: list[LearnerRow], t: Texts,
                  delimiter: str = ",", bom: bool = False) -> str:
    """The class list as CSV; with `bom` and `;` as Swedish Excel opens it."""
    head, rows = gradebook_table(grading, store, course, learners, t)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(head)
    writer.writerows(rows)
    return (BOM if bom else "") + buf.getvalue()
