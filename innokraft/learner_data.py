"""A learner's data under GDPR: everything the course holds about one person, exported or erased."""

from __future__ import annotations

import shutil

from .grading import GradingCourse, nbgrader_tools_on_path
from .store import Store
from .submissions import feedback_file


def export_learner(store: Store, learner_id: str) -> dict:
    learner = store.learner(learner_id)
    if learner is None:
        raise KeyError(learner_id)
    return {
        "learner": {"id": learner.id, "cohort": learner.cohort_id, "name": learner.name,
                    "email": learner.email, "lang": learner.lang},
        "answers": store.answers(learner_id),
        "events": [{"page": page, "kind": kind, "detail": detail, "at": at.isoformat()}
                   for _, page, kind, detail, at in store.events(learner_id)],
        "submissions": [{"module": s.module_id, "timestamp": s.timestamp, "lang": s.lang,
                         "submitted_at": s.submitted_at.isoformat()} for s in store.submissions(learner_id)],
    }


def erase_learner(grading: GradingCourse, store: Store, learner_id: str) -> list[str]:
    """Remove the learner from the store, the nbgrader exchange, course root and gradebook.

    Returns what was removed, for the facilitator's record.
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
                removed.append(str(path))
            elif path.is_file():
                path.unlink()
                removed.append(str(path))
    for stage in ("submitted", "autograded", "feedback"):
        folder = grading.root / stage / learner_id
        if folder.is_dir():
            shutil.rmtree(folder)
            removed.append(str(folder))
    if (grading.root / "gradebook.db").exists():
        nbgrader_tools_on_path()
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(grading.gradebook_url, grading.course.id) as gb:
            try:
                gb.remove_student(learner_id)
                removed.append(f"gradebook student {learner_id}")
            except MissingEntry:
                pass
    store.delete_learner(learner_id)
    removed.append(f"store rows of {learner_id}")
    return removed
