"""Released feedback as a learner's pages show it: read from the course store only.

`innokraft feedback` copies score, comments and the graded answers from nbgrader's gradebook
into the store; nothing here opens the gradebook or imports nbgrader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .db import FeedbackRow, Store, SubmissionRow


@dataclass(frozen=True)
class Feedback:
    score: float
    max_score: float
    comments: dict[str, str]  # reflection id -> the facilitator's comment
    answers: dict[str, str] = field(default_factory=dict)  # reflection id -> graded answer (escaped Markdown)


def feedback_for_learner(store: Store, learner_id: str, module_id: str) -> Feedback | None:
    """Feedback on the learner's latest submission of the module, if it has been released.

    Feedback on an earlier submission is not shown as if it were about the newest one.
    """
    submission = store.latest_submission(learner_id, module_id)
    row = store.feedback(learner_id, module_id)
    if not is_current(row, submission):
        return None
    return Feedback(row.score, row.max_score, row.comments, row.answers)


def is_current(row: FeedbackRow | None, submission: SubmissionRow | None) -> bool:
    """Released feedback counts only when it is about the learner's latest submission."""
    return submission is not None and row is not None and row.submission_timestamp == submission.timestamp
