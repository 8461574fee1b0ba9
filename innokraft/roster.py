"""Cohort rosters: reading a CSV of learners, writing a CSV of personal links."""

from __future__ import annotations

import csv
from pathlib import Path

from .config import Course
from .links import InvalidId, LinkSigner, page_url, validate_id

COLUMNS = ("learner_id", "name", "email", "lang")


class RosterError(ValueError):
    pass


def read_roster(path: Path, course: Course) -> list[dict]:
    """Validate every row before anything is written; the error names the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"{path}: no such file") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("learner_id",) if c not in (reader.fieldnames or [])]
    if missing:
        raise RosterError(f"{path}: the header must have the columns {', '.join(COLUMNS)}")
    rows, seen = [], set()
    for line, raw in enumerate(reader, start=2):
        try:
            learner_id = validate_id(raw.get("learner_id", ""))
        except InvalidId as exc:
            raise RosterError(f"{path}, line {line}: {exc}") from None
        if learner_id in seen:
            raise RosterError(f"{path}, line {line}: learner id {learner_id!r} appears twice")
        seen.add(learner_id)
        lang = (raw.get("lang") or "").strip() or None
        if lang is not None and lang not in course.languages:
            raise RosterError(f"{path}, line {line}: lang {lang!r} is not one of "
                              f"{', '.join(course.languages)}")
        rows.append({"learner_id": learner_id, "name": (raw.get("name") or "").strip(),
                     "email": (raw.get("email") or "").strip(), "lang": lang})
    return rows


def link_rows(learners, signer: LinkSigner, base_url: str, course: Course) -> list[dict]:
    out = []
    for learner in learners:
        token = signer.issue(learner.id, learner.cohort_id)
        lang = learner.lang or course.default_language
        out.append({"learner_id": learner.id, "name": learner.name, "email": learner.email,
                    "lang": lang, "url": page_url(base_url, course.start_notebook, token, lang)})
    return out


def write_links(rows: list[dict], out) -> None:
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, "url"])
    writer.writeheader()
    writer.writerows(rows)
