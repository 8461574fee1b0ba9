"""Handing reflections in to nbgrader, and finding the feedback that comes back."""

from __future__ import annotations

import base64
import os
import re
import secrets
import shutil
from datetime import UTC, datetime

from ..core.errors import SubmitError
from ..course.model import Module
from ..course.texts import Texts
from ..store.db import Store, SubmissionRow
from .course import GradingCourse, assignment_notebook

# nbgrader's own timestamp format (Exchange.timestamp_format), in UTC.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~=$:>])")


def escape_answer(text: str) -> str:
    """A learner's text as Markdown that renders exactly as typed and never as markup.

    nbgrader renders answer cells without sanitising HTML (design.md), so HTML becomes
    entities and every Markdown punctuation mark is backslash-escaped: no tags, links,
    images or headings survive. Line breaks stay line breaks; blank lines, paragraphs.
    """
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    out = []
    for paragraph in paragraphs:
        lines = []
        for line in paragraph.split("\n"):
            line = _MARKDOWN_PUNCTUATION.sub(r"\\\1", line.strip())
            lines.append(line.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;"))
        out.append("  \n".join(lines))  # two spaces: a Markdown line break
    return "\n\n".join(p for p in out if p)


def submit(grading: GradingCourse, store: Store, learner_id: str, module: Module, texts: Texts,
           answers: dict[str, str]) -> SubmissionRow:
    """Write one nbgrader submission atomically: built in a dot-folder, then renamed."""
    import nbformat

    if not any(a.strip() for a in answers.values()):
        raise SubmitError("empty")
    escaped = {k: escape_answer(v) for k, v in answers.items()}
    nb = assignment_notebook(module, texts, escaped)
    timestamp = datetime.now(UTC).strftime(TIMESTAMP_FORMAT)
    random = base64.urlsafe_b64encode(os.urandom(9)).decode("ascii")
    folder = f"{learner_id}+{module.assignment}+{timestamp}+{random}"
    secret = secrets.token_hex(64)
    grading.inbound.mkdir(parents=True, exist_ok=True)
    building = grading.inbound / f".{folder}"
    try:
        building.mkdir()
        (building / f"{module.assignment}.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
        (building / "timestamp.txt").write_text(timestamp)
        (building / "submission_secret.txt").write_text(secret)
        os.rename(building, grading.inbound / folder)
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
        raise SubmitError("failed") from None
    return store.add_submission(learner_id, module.id, folder, timestamp, secret, texts.lang)


def feedback_file(grading: GradingCourse, submission: SubmissionRow, module: Module):
    """nbgrader names released feedback md5(submission secret + notebook id).html."""
    from nbgrader.utils import notebook_hash

    name = notebook_hash(secret=submission.secret, notebook_id=module.assignment)
    return grading.feedback_dir / f"{name}.html"
