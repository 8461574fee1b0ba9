"""The facilitator's exports, shared by the `innokraft export-…` commands and the dashboard's
download buttons: research CSV + codebook, xAPI statements, nbgrader's gradebook as CSV."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..core.secret import load_secret
from ..core.settings import Settings
from ..course.load import course_and_texts
from ..course.model import Course
from ..course.texts import Texts
from ..grading.course import GradingCourse, nbgrader_tools_on_path
from ..store.db import Store
from .research import codebook, research_csv
from .xapi import json_lines, statements


def gradebook_csv(grading: GradingCourse, learners: list[str] | None = None) -> str:
    """nbgrader's own CSV export of the gradebook (empty header only when nothing is graded)."""
    nbgrader_tools_on_path()
    from nbgrader.api import Gradebook
    from nbgrader.plugins.export import CsvExportPlugin

    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "grades.csv"
        plugin = CsvExportPlugin(to=str(dest), student=learners or [])
        if not (grading.root / "gradebook.db").exists():
            plugin_keys = "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score," \
                          "late_submission_penalty,score,max_score\n"
            return plugin_keys
        with Gradebook(grading.gradebook_url, grading.course.id) as gb:
            plugin.export(gb)
        return dest.read_text(encoding="utf-8")


def export(kind: str, settings: Settings, course: Course, store: Store, lang: str,
           cohort_id: str | None, free_text: bool = False) -> str:
    """One export as text: research.csv | codebook.md | xapi.jsonl | gradebook.csv."""
    _course, texts = course_and_texts(settings.config_dir)
    t = Texts(lang, texts[lang])
    if kind == "research.csv":
        return research_csv(store, course, t, load_secret(settings), cohort_id, free_text)
    if kind == "codebook.md":
        return codebook(course, t, free_text)
    if kind == "xapi.jsonl":
        return json_lines(statements(store, course, load_secret(settings), settings.url, cohort_id))
    if kind == "gradebook.csv":
        learners = [lr.id for lr in store.learners(cohort_id)] if cohort_id else None
        return gradebook_csv(GradingCourse(settings, course), learners)
    raise KeyError(kind)


KINDS = ("research.csv", "codebook.md", "xapi.jsonl", "gradebook.csv")
