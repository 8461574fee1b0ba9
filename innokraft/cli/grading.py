"""The grading loop's commands: the assignments, collect, feedback, and where everyone stands."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..core import running
from ..course.load import course_and_texts
from ..course.progress import progress
from ..course.texts import Texts
from ..grading import flow
from ..grading.course import GradingCourse
from .context import (
    DEMO_COHORT,
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_NOT_READY,
    EXIT_OK,
    context,
    known_cohort,
    lang_option,
    say,
    say_error,
    say_line,
)


def prepared(settings, course, t: Texts) -> GradingCourse:
    """nbgrader's course, with each module's assignment generated and released if it changed."""
    grading = GradingCourse(settings, course)
    _course, texts = course_and_texts(settings.config_dir)
    made = grading.prepare(texts)
    if made:
        say_line(t("cli.assignments.made", modules=", ".join(made)))
    return grading


class UnknownModule(ValueError):
    pass


def _modules(course, module_id: str | None):
    if module_id is None:
        return course.modules
    for module in course.modules:
        if module_id.lower() in (module.id, module.assignment):
            return [module]
    raise UnknownModule(module_id)


def cmd_assignments(args) -> int:
    settings, course, store = context(args)
    t = say(args)
    grading = prepared(settings, course, t)
    say_line(t("cli.assignments.where", root=grading.root, exchange=grading.exchange))
    return 0


def _report_failures(t: Texts, failed: list[tuple[str, str]]) -> None:
    for learner_id, error in failed:
        say_error(t("cli.failed_learner", learner=learner_id, error=(error or "").strip().splitlines()[-1:] or ""))


def cmd_collect(args) -> int:
    """Collect new submissions and autograde them; a failing learner does not stop the rest."""
    settings, course, store = context(args)
    t = say(args)
    modules = _modules(course, args.module)
    grading = prepared(settings, course, t)
    api = grading.api()
    failed, to_grade = [], 0
    for module in modules:
        report = flow.collect(grading, store, module, api)
        failed += report.failed
        if report.done:
            say_line(t("cli.collect.collected", module=module.id, count=len(report.done),
                     learners=", ".join(report.done)))
        elif not any(store.latest_submission(lr.id, module.id) for lr in store.learners()):
            say_line(t("cli.collect.nobody_submitted", module=module.id))
        else:
            say_line(t("cli.collect.nothing_new", module=module.id))
        learners = [lr.id for lr in store.learners()]
        waiting = [s for s in flow.states(grading, store, learners).values()
                   if s.kind in (flow.TO_GRADE, flow.PARTLY_GRADED)]
        if waiting:
            say_line(t("cli.collect.next", count=len(waiting), module=module.id))
        to_grade += len(waiting)
    grading.lock_exchange()
    _report_failures(t, failed)
    if failed:
        say_error(t("cli.failed_summary", count=len(failed)))
        return EXIT_FAILED
    return EXIT_OK


def cmd_feedback(args) -> int:
    """Release feedback on every fully graded submission that changed since the last release,
    copy it into the course store for the learner's pages, and say who was skipped and why."""
    settings, course, store = context(args)
    t = say(args)
    modules = _modules(course, args.module)
    grading = prepared(settings, course, t)
    api = grading.api()
    learners = [lr.id for lr in store.learners()]
    failed, not_ready, released = [], False, False
    for module in modules:
        report = flow.release_feedback(grading, store, module, api, learners)
        released = released or bool(report.done or report.unchanged)
        failed += report.failed
        if report.done:
            say_line(t("cli.feedback.released", module=module.id, count=len(report.done),
                     learners=", ".join(report.done)))
        if report.unchanged:
            say_line(t("cli.feedback.unchanged", module=module.id, count=len(report.unchanged)))
        if report.skipped:
            say_line(t("cli.feedback.skipped", module=module.id, count=len(report.skipped)))
            for learner_id, state in report.skipped:
                if state.kind == flow.TO_COLLECT:
                    say_line(t("cli.feedback.skipped_to_collect", learner=learner_id, module=module.id))
                else:
                    numbers = [str(i) for i, r in enumerate(module.reflections, start=1) if r.id in state.ungraded]
                    say_line(t("cli.feedback.skipped_ungraded", learner=learner_id,
                             questions=", ".join(t("cli.feedback.question", number=n) for n in numbers),
                             graded=state.total - len(state.ungraded), total=state.total))
        if report.done or report.unchanged or report.failed:
            continue
        not_ready = True
        kinds = {state.kind for _, state in report.skipped}
        if not report.skipped:
            say_line(t("cli.feedback.nobody_submitted", module=module.id))
        elif flow.TO_COLLECT in kinds:
            say_line(t("cli.feedback.collect_first", module=module.id))
        else:
            say_line(t("cli.feedback.grade_first", module=module.id))
    grading.lock_exchange()
    _report_failures(t, failed)
    if failed:
        say_error(t("cli.failed_summary", count=len(failed)))
        return EXIT_FAILED
    # Exit 3 says nothing was done; modules nobody has reached yet do not make a release "not ready".
    return EXIT_NOT_READY if not_ready and not released else EXIT_OK


def cmd_status(args) -> int:
    """Progress per learner and module, and what waits for the facilitator (marked ●)."""
    settings, course, store = context(args)
    t = say(args)
    if args.cohort is not None and known_cohort(store, t, args.cohort) is None:
        return EXIT_BAD_INPUT
    learners = [lr for lr in store.learners(args.cohort)
                if args.cohort is not None or lr.cohort_id != DEMO_COHORT]
    grading = GradingCourse(settings, course)
    states = flow.states(grading, store, [lr.id for lr in learners])
    table = Table(title=t("cli.status.title", course=course.title[t.lang]))
    for key in ("learner", "name", "cohort"):
        table.add_column(t(f"cli.status.{key}"))
    for module in course.modules:
        table.add_column(t("cli.status.exercises", module=module.id))
        table.add_column(t("cli.status.reflections", module=module.id))
    rows = []
    for learner in learners:
        revoked = learner.link_generation > 0  # links withdrawn at least once
        row = {"learner": learner.id, "name": learner.name, "email": learner.email,
               "cohort": learner.cohort_id, "revoked": revoked}
        cells = []
        for p in progress(course, store.marks(learner.id)):
            done = {"completed": t("cli.status.completed"), "not_started": "-"}.get(p.state, f"{p.done}/{p.total}")
            state = states.get((learner.id, p.module_id))
            row[p.module_id] = {"completed": "completed", "not_started": "-"}.get(p.state, f"{p.done}/{p.total}")
            row[f"{p.module_id}_reflections"] = state.kind if state else "-"
            if state is not None and state.score is not None:
                row[f"{p.module_id}_score"] = [state.score, state.max_score]
            cells += [done, flow.state_label(t, state)]
        rows.append(row)
        name = learner.name + (f" {t('cli.status.revoked')}" if revoked else "")
        table.add_row(escape(learner.id), escape(name), escape(learner.cohort_id), *map(escape, cells))
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    # Piped or captured (not a terminal), print the whole table rather than wrap it at 80 columns.
    Console(width=Console().width if sys.stdout.isatty() else 400).print(table)
    say_line(t("cli.status.waits"))
    waiting = flow.next_steps(states)
    for step in flow.STEPS:
        if waiting[step]:
            say_line(t(f"cli.status.next_{step}", count=waiting[step]))
    formgrader = running.running(settings.home, running.FORMGRADER)
    if waiting["grade"]:
        say_line(t("cli.status.formgrader", url=formgrader.url) if formgrader else t("cli.status.no_formgrader"))
    if not any(waiting.values()):
        say_line(t("cli.status.nothing_waits"))
    return EXIT_OK


def register(sub) -> None:
    lang = lang_option()
    p = sub.add_parser("assignments", help="generate and release the nbgrader assignments")
    p.set_defaults(func=cmd_assignments)

    p = sub.add_parser("collect", parents=[lang], help="collect and autograde new submissions")
    p.add_argument("module", nargs="?", help="a module id such as m1 (default: all)")
    p.set_defaults(func=cmd_collect)

    p = sub.add_parser("feedback", parents=[lang], help="generate and release feedback for graded submissions")
    p.add_argument("module", nargs="?")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("status", parents=[lang], help="progress per learner and module, and what waits for you")
    p.add_argument("--cohort")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)
