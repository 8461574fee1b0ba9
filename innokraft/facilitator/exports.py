"""The facilitator's exports, shared by the `innokraft export-…` commands and the dashboard's
download buttons: research CSV + codebook, xAPI statements, the gradebook as a class list."""

from __future__ import annotations

from ..core.secret import load_secret
from ..core.settings import Settings
from ..course.load import course_and_texts
from ..course.model import Course
from ..course.texts import Texts
from ..grading.course import GradingCourse
from ..store.db import Store
from .gradebook import gradebook_csv
from .research import research_export
from .xapi import json_lines, statements


def export(kind: str, settings: Settings, course: Course, store: Store, lang: str,
           cohort_id: str | None, free_text: bool = False, stable: bool = False, delimiter: str = ",",
           bom: bool = False) -> str:
    """One export as text: research.csv | codebook.md | xapi.jsonl | gradebook.csv.

    research.csv's pids are keyed for this export alone unless `stable`; its codebook.md asked for
    on its own describes an export made the same way. `delimiter` and `bom` shape the gradebook
    for Excel."""
    _course, texts = course_and_texts(settings.config_dir)
    t = Texts(lang, texts[lang])
    if kind in ("research.csv", "codebook.md"):
        data, book = research_export(store, course, t, load_secret(settings), cohort_id, free_text, stable)
        return data if kind == "research.csv" else book
    if kind == "xapi.jsonl":
        return json_lines(statements(store, course, load_secret(settings), settings.url, cohort_id))
    if kind == "gradebook.csv":
        learners = [lr for lr in store.learners(cohort_id) if cohort_id or lr.cohort_id != "demo"]
        return gradebook_csv(GradingCourse(settings, course), store, course, learners, t, delimiter, bom)
    raise KeyError(kind)


KINDS = ("research.csv", "codebook.md", "xapi.jsonl", "gradebook.csv")
