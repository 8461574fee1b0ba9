"""A learner's data under GDPR: everything the course holds about one person, exported or erased."""

from __future__ import annotations

import json
import shutil

from ..grading.course import GradingCourse, nbgrader_tools_on_path
from ..grading.exchange import feedback_file
from ..grading.flow import gradebook
from ..store.certificates import certificates_of
from ..store.db import Store, scrub_sqlite_file
from ..teams.sessions import TeamStore


def _submitted_answers(grading: GradingCourse, folder: str, assignment: str) -> dict[str, str]:
    """The reflections as handed in (escaped Markdown), from the submission in the exchange."""
    path = grading.inbound / folder / f"{assignment}.ipynb"
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


def export_learner(grading: GradingCourse, store: Store, learner_id: str) -> dict:
    """Everything: profile, answers, events, submissions (with their text), the grades and
    comments in nbgrader's gradebook, the feedback released, link revocations and certificates."""
    learner = store.learner(learner_id)
    if learner is None:
        raise KeyError(learner_id)
    modules = {m.id: m for m in grading.course.modules}
    teams = TeamStore(store)
    grades = {}
    for module in grading.course.modules:
        graded = gradebook(grading, module).get(learner_id)
        if graded is not None:
            grades[module.id] = {"score": graded.score, "max_score": graded.max_score,
                                 "not_graded_yet": list(graded.ungraded), "comments": graded.comments}
    return {
        "learner": {"id": learner.id, "cohort": learner.cohort_id, "name": learner.name,
                    "email": learner.email, "lang": learner.lang},
        "answers": store.answers(learner_id),
        "events": [{"page": page, "kind": kind, "detail": detail, "at": at.isoformat()}
                   for _, page, kind, detail, at in store.events(learner_id)],
        "submissions": [{"module": s.module_id, "timestamp": s.timestamp, "lang": s.lang,
                         "submitted_at": s.submitted_at.isoformat(),
                         "answers": _submitted_answers(grading, s.folder, modules[s.module_id].assignment)
                         if s.module_id in modules else {}}
                        for s in store.submissions(learner_id)],
        "grades": grades,
        "feedback": [{"module": f.module_id, "submission_timestamp": f.submission_timestamp,
                      "score": f.score, "max_score": f.max_score, "comments": f.comments,
                      "released_at": f.released_at.isoformat()} for f in store.feedback_rows(learner_id)],
        # Links are withdrawn by raising their generation (no time is kept): one entry per raise.
        "revocations": [{"link_generation": g} for g in range(1, learner.link_generation + 1)],
        # The leader's team sessions; their team's answers name nobody, so only how many came.
        "team_sessions": [{"exercise": t.exercise, "opened_at": t.opened_at.isoformat(),
                           "closes_at": t.closes_at.isoformat(),
                           "closed_at": t.closed_at.isoformat() if t.closed_at else None,
                           "answers": teams.count(t.id)} for t in teams.sessions_of(learner_id)],
        # The certificates issued, as printed, and when one was withdrawn.
        "certificates": [{"code": c.code, "edition": c.edition, "name": c.name,
                          "modules": [[m, day.isoformat()] for m, day in c.modules],
                          "issued_on": c.issued_on.isoformat(), "issued_at": c.issued_at.isoformat(),
                          "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None}
                         for c in certificates_of(store, learner_id)],
    }


def erase_learner(grading: GradingCourse, store: Store, learner_id: str) -> list[tuple[str, str]]:
    """Remove the learner from the store, the nbgrader exchange, course root and gradebook,
    and leave nothing of theirs readable in the database files.

    Returns what was removed, for the facilitator's record: (kind, what) with kind "file" (a path),
    "gradebook" or "store" (the learner's id), for the command line to say in words.
    """
    removed = []
    modules = {m.id: m for m in grading.course.modules}
    for submission in store.submissions(learner_id):
        module = modules.get(submission.module_id)
        targets = [grading.inbound / submission.folder]
        if module is not None:
            targets.append(feedback_file(grading, submission, module))
        for path in targets:
            if path.is_dir():
                shutil.rmtree(path)
                removed.append(("file", str(path)))
            elif path.is_file():
                path.unlink()
                removed.append(("file", str(path)))
    for stage in ("submitted", "autograded", "feedback"):
        folder = grading.root / stage / learner_id
        if folder.is_dir():
            shutil.rmtree(folder)
            removed.append(("file", str(folder)))
    database = grading.root / "gradebook.db"
    if database.exists():
        nbgrader_tools_on_path()
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(grading.gradebook_url, grading.course.id) as gb:
            try:
                gb.remove_student(learner_id)
                removed.append(("gradebook", learner_id))
            except MissingEntry:
                pass
        scrub_sqlite_file(database)
    store.delete_learner(learner_id)
    removed.append(("store", learner_id))
    return removed
