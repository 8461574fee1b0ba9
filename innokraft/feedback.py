"""Released feedback as a learner's pages show it: read from the course store only.

`innokraft feedback` copies score, comments and the graded answers from nbgrader's
gradebook into the store; nothing here opens the gradebook or imports nbgrader.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import mistune

if TYPE_CHECKING:  # a learner's kernel imports this module (comment_html): no database code
    from .store import Store

# A facilitator's comment is Markdown (formgrader says so); any HTML in it is shown as text,
# and a line break stays a line break, on the module page and the feedback page alike.
_comment_markdown = mistune.create_markdown(escape=True, hard_wrap=True, plugins=["strikethrough"])


def comment_html(text: str) -> str:
    return _comment_markdown(text or "")


def answer_html(escaped: str) -> str:
    """A graded answer as HTML. It was stored escaped (`submissions.escape_answer`: entities
    for & < ", backslashes before Markdown punctuation); the renderer escapes HTML itself, so
    undo the entities first or the learner would read `&lt;`."""
    return _comment_markdown(html.unescape(escaped or ""))


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


def is_current(row, submission) -> bool:
    """Released feedback counts only when it is about the learner's latest submission."""
    return submission is not None and row is not None and row.submission_timestamp == submission.timestamp
