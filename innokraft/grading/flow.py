"""The facilitator's grading loop: collect -> grade in formgrader -> feedback, and where each
learner's reflections stand in it.

Every step runs for every learner and reports who failed or was skipped and why, instead of
stopping at the first problem. `release_feedback` copies what a learner's page needs into
the course store, so learner pages never open nbgrader's gradebook.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass, field

from sqlalchemy.exc import SAWarning

from ..course.model import Module
from ..store.db import Store
from .course import GradingCourse, nbgrader_tools_on_path

# Where a learner's reflections of one module stand. The last four wait for the facilitator.
DRAFTED, RELEASED = "drafted", "released"
TO_COLLECT, TO_GRADE, PARTLY_GRADED, TO_RELEASE = "to_collect", "to_grade", "partly_graded", "to_release"
WAITING = (TO_COLLECT, TO_GRADE, PARTLY_GRADED, TO_RELEASE)


@dataclass(frozen=True)
class Graded:
    """One learner's autograded submission as nbgrader's gradebook holds it."""

    ungraded: tuple[str, ...]  # reflection ids still without a grade
    total: int
    score: float
    max_score: float
    comments: dict[str, str]


@dataclass(frozen=True)
class State:
    kind: str
    ungraded: tuple[str, ...] = ()
    total: int = 0
    score: float | None = None
    max_score: float | None = None

    @property
    def waits_for_facilitator(self) -> bool:
        return self.kind in WAITING


@dataclass
class Report:
    """What one command did, per learner: done, unchanged, skipped (with a reason), failed."""

    done: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, State]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


STEPS = ("collect", "grade", "release")  # the loop's next steps, in order


def next_steps(states: dict[tuple[str, str], State]) -> dict[str, int]:
    """How many submissions wait for each step of the loop: `innokraft collect`, grading in
    formgrader (not graded or partly graded), `innokraft feedback`. The one count `innokraft status`
    and the dashboard both show."""
    out = dict.fromkeys(STEPS, 0)
    step = {TO_COLLECT: "collect", TO_GRADE: "grade", PARTLY_GRADED: "grade", TO_RELEASE: "release"}
    for state in states.values():
        if state.kind in step:
            out[step[state.kind]] += 1
    return out


def state_label(t, state: State | None) -> str:
    """The state in the facilitator's words (course_config: cli.status.<kind>)."""
    if state is None:
        return "-"
    if state.kind == PARTLY_GRADED:
        return t("cli.status.partly_graded", graded=state.total - len(state.ungraded), total=state.total)
    if state.kind == RELEASED:
        return t("cli.status.released", score=state.score, max_score=state.max_score)
    return t(f"cli.status.{state.kind}")


def gradebook(grading: GradingCourse, module: Module) -> dict[str, Graded]:
    """learner id -> their autograded submission of the module, from nbgrader's gradebook."""
    if not (grading.root / "gradebook.db").exists():
        return {}
    nbgrader_tools_on_path()
    from nbgrader.api import Gradebook, MissingEntry

    out: dict[str, Graded] = {}
    with Gradebook(grading.gradebook_url, grading.course.id) as gb:
        try:
            submissions = gb.find_assignment(module.assignment).submissions
        except MissingEntry:
            return {}
        for submission in submissions:
            grades = [g for nb in submission.notebooks for g in nb.grades]
            comments = {c.name: (c.comment or "") for nb in submission.notebooks for c in nb.comments}
            out[submission.student_id] = Graded(
                ungraded=tuple(g.name for g in grades if g.needs_manual_grade),
                total=len(grades), score=float(submission.score), max_score=float(submission.max_score),
                comments=comments)
    return out


def _stamp(grading: GradingCourse, stage: str, learner_id: str, module: Module) -> str | None:
    path = grading.root / stage / learner_id / module.assignment / "timestamp.txt"
    return path.read_text().strip() if path.is_file() else None


def _digest(timestamp: str, graded: Graded) -> str:
    body = json.dumps([timestamp, graded.score, graded.max_score, graded.comments], sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def state_of(grading: GradingCourse, store: Store, learner_id: str, module: Module,
             graded: dict[str, Graded]) -> State | None:
    """Where the learner's latest submission stands; None when there is nothing at all."""
    submission = store.latest_submission(learner_id, module.id)
    if submission is None:
        drafts = store.answers(learner_id, f"{module.id}.reflection.")
        if any(str((v or {}).get("text", "")).strip() for v in drafts.values() if isinstance(v, dict)):
            return State(DRAFTED)
        return None
    # A newer submission than the one collected and autograded waits to be collected,
    # whatever the gradebook says about the earlier one.
    if _stamp(grading, "submitted", learner_id, module) != submission.timestamp or \
            _stamp(grading, "autograded", learner_id, module) != submission.timestamp or \
            learner_id not in graded:
        return State(TO_COLLECT)
    g = graded[learner_id]
    if g.ungraded:
        kind = TO_GRADE if len(g.ungraded) == g.total else PARTLY_GRADED
        return State(kind, g.ungraded, g.total)
    released = store.feedback(learner_id, module.id)
    if released is not None and released.digest == _digest(submission.timestamp, g):
        return State(RELEASED, (), g.total, g.score, g.max_score)
    return State(TO_RELEASE, (), g.total, g.score, g.max_score)


def states(grading: GradingCourse, store: Store, learner_ids: list[str]) -> dict[tuple[str, str], State]:
    """(learner, module) -> State, for every learner who has drafted or submitted something."""
    out = {}
    for module in grading.course.modules:
        graded = gradebook(grading, module)
        for learner_id in learner_ids:
            state = state_of(grading, store, learner_id, module, graded)
            if state is not None:
                out[(learner_id, module.id)] = state
    return out


def _split_name(name: str) -> tuple[str | None, str | None]:
    parts = name.split()
    if not parts:
        return None, None
    return " ".join(parts[:-1]) or None, parts[-1]


def collect(grading: GradingCourse, store: Store, module: Module, api) -> Report:
    """Collect new submissions and autograde each; the roster's names go to the gradebook
    so formgrader shows who wrote what."""
    report = Report()
    result = api.collect(module.assignment)
    if not result["success"]:
        report.failed.append(("*", result.get("error") or result.get("log") or ""))
        return report
    todo = grading.needs_autograde(module)
    if todo:
        nbgrader_tools_on_path()
        from nbgrader.api import Gradebook

        with Gradebook(grading.gradebook_url, grading.course.id) as gb:
            for learner_id in todo:
                learner = store.learner(learner_id)
                first, last = _split_name(learner.name if learner else "")
                gb.update_or_create_student(learner_id, first_name=first, last_name=last,
                                            email=(learner.email or None) if learner else None)
    for learner_id in todo:
        with warnings.catch_warnings():
            # nbgrader's autograde trips SQLAlchemy's "not in session" warning for every
            # learner (its own session handling, harmless): not the facilitator's concern.
            warnings.simplefilter("ignore", SAWarning)
            result = api.autograde(module.assignment, learner_id)
        if result["success"]:
            report.done.append(learner_id)
        else:
            report.failed.append((learner_id, result.get("error") or result.get("log") or ""))
    return report


def _graded_answers(grading: GradingCourse, learner_id: str, module: Module) -> dict[str, str]:
    path = grading.root / "autograded" / learner_id / module.assignment / f"{module.assignment}.ipynb"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for cell in nb.get("cells", []):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            source = cell.get("source", "")
            out[grade_id] = "".join(source) if isinstance(source, list) else source
    return out


def release_feedback(grading: GradingCourse, store: Store, module: Module, api,
                     learner_ids: list[str]) -> Report:
    """Release feedback to every learner whose latest submission is fully graded and whose
    grades changed since the last release; report everyone else with the reason."""
    report = Report()
    graded = gradebook(grading, module)
    for learner_id in learner_ids:
        state = state_of(grading, store, learner_id, module, graded)
        if state is None or state.kind == DRAFTED:
            continue
        if state.kind == RELEASED:
            report.unchanged.append(learner_id)
            continue
        if state.kind != TO_RELEASE:
            report.skipped.append((learner_id, state))
            continue
        error = None
        for step in (api.generate_feedback, api.release_feedback):
            result = step(module.assignment, learner_id)
            if not result["success"]:
                error = result.get("error") or result.get("log") or ""
                break
        if error is not None:
            report.failed.append((learner_id, error))
            continue
        submission = store.latest_submission(learner_id, module.id)
        g = graded[learner_id]
        store.save_feedback(learner_id, module.id, submission.timestamp, g.score, g.max_score,
                            g.comments, _graded_answers(grading, learner_id, module),
                            _digest(submission.timestamp, g))
        report.done.append(learner_id)
    return report
