"""The research dataset: one row per learner, pseudonymised, with a codebook made from the
same column list, so the CSV and its codebook always match column for column.

Learners appear only as a keyed hash (HMAC-SHA256): by default with a key made for this export
and then forgotten, so pids match nothing outside it; with `stable=True` with the course
secret's key, the same in every export and in the xAPI statements. Rows are sorted by pid: their
order carries no information (learner ids are made from names). The columns that could single a
person out with what others know (language, cohort) are suppressed when a group in them is
smaller than `min_group`; the codebook says what was done. Names and e-mails are never exported;
free text (follow-up answers) only with `free_text=True`.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from ..core.pseudonyms import pseudonym
from ..course.model import Course
from ..course.progress import module_items
from ..course.texts import Texts
from ..store.db import Store
from ..store.models import Answer, EvaluationResponse, Event, Learner, Submission
from .cohort_report import active_minutes, first_quiz_answers


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text | integer | number | 0/1 | 1..k
    description: str


def columns(course: Course, t: Texts, free_text: bool = False, stable: bool = False) -> list[Column]:
    """Every column, in order, described from course_config (the codebook's source)."""
    ev = course.evaluation
    d = lambda key, **v: t(f"research.{key}", **v)  # noqa: E731
    cols = [Column("pid", "text", d("pid_stable" if stable else "pid")), Column("cohort", "text", d("cohort")),
            Column("lang", "text", d("lang"))]
    for _n, m in enumerate(course.modules, start=1):
        title = m.title[t.lang]
        cols += [
            Column(f"{m.id}_opened", "0/1", d("opened", module=title)),
            Column(f"{m.id}_items_done", f"0..{len(module_items(m))}", d("items_done", module=title,
                                                                          items=", ".join(module_items(m)))),
            Column(f"{m.id}_completed", "0/1", d("completed", module=title)),
            Column(f"{m.id}_active_minutes", "number", d("active_minutes", module=title)),
            Column(f"{m.id}_submitted", "integer", d("submitted", module=title)),
        ]
        for q in m.quiz:
            question = t(f"{m.id}.quiz.{q.id}.question")
            cols.append(Column(f"{m.id}_quiz_{q.id}_first_correct", "0/1", d("quiz_first", question=question)))
        for item in ev.pulse:
            options = "; ".join(f"{i} = {o}" for i, o in enumerate(t.items(f"evaluation.pulse.{item.id}.options"),
                                                                    start=1))
            cols.append(Column(f"{m.id}_pulse_{item.id}", f"1..{item.options}",
                               d("pulse", module=title, question=t(f"evaluation.pulse.{item.id}.question"),
                                 options=options)))
        for q in m.quiz:
            cols.append(Column(f"{m.id}_delayed_quiz_{q.id}_first_correct", "0/1",
                               d("delayed_quiz", weeks=ev.delayed_quiz_weeks,
                                 question=t(f"{m.id}.quiz.{q.id}.question"))))
        choices = t.items("evaluation.follow_up.options")
        options = "; ".join(f"{i} = {o}" for i, o in enumerate(choices, start=1))
        cols.append(Column(f"{m.id}_follow_up_changed", f"1..{len(choices)}", d("follow_up", weeks=ev.follow_up_weeks,
                                                                  module=title, options=options)))
        if free_text:
            cols.append(Column(f"{m.id}_follow_up_text", "text", d("follow_up_text", module=title)))
    scale = "; ".join(f"{i} = {o}" for i, o in enumerate(t.items("evaluation.skills.scale"), start=1))
    for part in ("pre", "post", "then"):
        for skill in ev.skills:
            cols.append(Column(f"{part}_{skill}", f"1..{ev.skill_scale}",
                               d(f"skill_{part}", statement=t(f"evaluation.skills.items.{skill}"), scale=scale)))
    return cols


@dataclass
class Disclosure:
    """What was done to the rows so that no one is singled out: the codebook says it."""

    stable: bool  # pids keyed with the course secret (else with a key of this export's own)
    min_group: int
    suppressed: list[str] = field(default_factory=list)  # columns emptied in every row
    merged_cohorts: int = 0  # cohorts under min_group shown as one "other" cohort


def rows(store: Store, course: Course, secret: str, cohort_id: str | None = None,
         free_text: bool = False) -> list[dict[str, object]]:
    """One row per learner (of one cohort, or all but the demo), read in five queries, with the
    pid keyed by `secret` (rows in the order of the learners' ids: `dataset` sorts them)."""
    modules = {m.id: m for m in course.modules}
    with store.session() as s:
        learners = select(Learner.id, Learner.cohort_id, Learner.lang).order_by(Learner.id)
        learners = learners.where(Learner.cohort_id == cohort_id) if cohort_id else \
            learners.where(Learner.cohort_id != "demo")
        people = list(s.execute(learners))
        ids = [p[0] for p in people]
        events: dict[tuple[str, str], list] = defaultdict(list)
        for learner_id, page, kind, detail, at in s.execute(
                select(Event.learner_id, Event.page, Event.kind, Event.detail, Event.at)
                .where(Event.learner_id.in_(ids), Event.page.in_(list(modules)))):
            events[(learner_id, page)].append((kind, detail, at))
        quizzes = {(lid, key.removesuffix(".quiz")): first_quiz_answers(value) for lid, key, value in s.execute(
            select(Answer.learner_id, Answer.exercise_id, Answer.value)
            .where(Answer.learner_id.in_(ids), Answer.exercise_id.in_([f"{m}.quiz" for m in modules])))}
        evaluations = {(lid, inst): (value, first) for lid, inst, value, first in s.execute(
            select(EvaluationResponse.learner_id, EvaluationResponse.instrument, EvaluationResponse.value,
                   EvaluationResponse.first_value).where(EvaluationResponse.learner_id.in_(ids)))}
        submitted: dict[tuple[str, str], int] = defaultdict(int)
        for lid, module_id in s.execute(select(Submission.learner_id, Submission.module_id)
                                        .where(Submission.learner_id.in_(ids))):
            submitted[(lid, module_id)] += 1
    ev = course.evaluation
    out = []
    for learner_id, cohort, lang in people:
        row: dict[str, object] = {"pid": pseudonym(secret, learner_id), "cohort": cohort, "lang": lang or ""}
        for m in course.modules:
            mine = events[(learner_id, m.id)]
            done = {d for k, d, _ in mine if k == "exercise_done"} & set(module_items(m))
            row[f"{m.id}_opened"] = int(any(k == "opened" for k, _, _ in mine))
            row[f"{m.id}_items_done"] = len(done)
            row[f"{m.id}_completed"] = int(any(k == "module_completed" for k, _, _ in mine))
            row[f"{m.id}_active_minutes"] = round(active_minutes([at for _, _, at in mine]), 1) if mine else ""
            row[f"{m.id}_submitted"] = submitted[(learner_id, m.id)]
            first = quizzes.get((learner_id, m.id), {})
            for q in m.quiz:
                row[f"{m.id}_quiz_{q.id}_first_correct"] = int(first[q.id] == q.correct) if q.id in first else ""
            pulse = (evaluations.get((learner_id, f"{m.id}.pulse")) or ({}, {}))[0] or {}
            for item in ev.pulse:
                v = pulse.get(item.id)
                row[f"{m.id}_pulse_{item.id}"] = v + 1 if isinstance(v, int) else ""
            delayed = (evaluations.get((learner_id, f"{m.id}.delayed_quiz")) or ({}, {}))[1] or {}
            for q in m.quiz:
                v = delayed.get(q.id)
                row[f"{m.id}_delayed_quiz_{q.id}_first_correct"] = int(v == q.correct) if isinstance(v, int) else ""
            follow = (evaluations.get((learner_id, f"{m.id}.follow_up")) or ({}, {}))[0] or {}
            v = follow.get("changed")
            row[f"{m.id}_follow_up_changed"] = v + 1 if isinstance(v, int) else ""
            if free_text:
                row[f"{m.id}_follow_up_text"] = follow.get("text") or ""
        for part, instrument, key in (("pre", "pre.skills", "now"), ("post", "post.skills", "now"),
                                      ("then", "post.skills", "then")):
            ratings = ((evaluations.get((learner_id, instrument)) or ({}, {}))[0] or {}).get(key) or {}
            for skill in ev.skills:
                v = ratings.get(skill)
                row[f"{part}_{skill}"] = v + 1 if isinstance(v, int) else ""
        out.append(row)
    return out


QUASI_IDENTIFIERS = ("cohort", "lang")


def dataset(store: Store, course: Course, t: Texts, secret: str, cohort_id: str | None = None,
            free_text: bool = False, stable: bool = False) -> tuple[list[dict[str, object]], Disclosure]:
    """The rows as they leave: pids keyed per export (or stable), sorted by pid, and the
    quasi-identifiers suppressed where a group is under min_group."""
    k = course.evaluation.min_group
    key = secret if stable else secrets.token_hex(32)  # a key nobody keeps: pids match nothing else
    out = sorted(rows(store, course, key, cohort_id, free_text), key=lambda r: r["pid"])
    done = Disclosure(stable, k)
    sizes = Counter(r["cohort"] for r in out)
    small = {c for c, n in sizes.items() if n < k}
    if small and len(sizes) > 1 and sum(sizes[c] for c in small) >= k:
        for r in out:
            r["cohort"] = t("research.other_cohort") if r["cohort"] in small else r["cohort"]
        done.merged_cohorts = len(small)
    for column in QUASI_IDENTIFIERS:
        if out and min(Counter(r[column] for r in out).values()) < k:
            for r in out:
                r[column] = ""
            done.suppressed.append(column)
    return out, done


def research_csv(store: Store, course: Course, t: Texts, secret: str, cohort_id: str | None = None,
                 free_text: bool = False, stable: bool = False) -> str:
    return research_export(store, course, t, secret, cohort_id, free_text, stable)[0]


def research_export(store: Store, course: Course, t: Texts, secret: str, cohort_id: str | None = None,
                    free_text: bool = False, stable: bool = False) -> tuple[str, str]:
    """The CSV and its codebook, from one reading of the data (the codebook says what was done to it)."""
    cols = columns(course, t, free_text)
    out, done = dataset(store, course, t, secret, cohort_id, free_text, stable)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[c.name for c in cols], lineterminator="\n")
    writer.writeheader()
    for row in out:
        writer.writerow(row)
    return buf.getvalue(), codebook(course, t, free_text, done)


def codebook(course: Course, t: Texts, free_text: bool = False, done: Disclosure | None = None) -> str:
    """codebook.md: every column of the research CSV, in order, from the same list, and what was
    done so that no row points at a person."""
    done = done or Disclosure(False, course.evaluation.min_group)
    cols = columns(course, t, free_text, done.stable)
    k = done.min_group
    privacy = [t("research.privacy.stable" if done.stable else "research.privacy.per_export"),
               t("research.privacy.order")]
    if done.merged_cohorts:
        privacy.append(t("research.privacy.merged", count=done.merged_cohorts, min=k,
                         other=t("research.other_cohort")))
    privacy += [t(f"research.privacy.suppressed_{c}", min=k) for c in done.suppressed]
    privacy.append(t("research.privacy.rule", min=k))
    lines = [f"# {t('research.codebook_title')}", "", t("research.codebook_intro"), "",
             f"## {t('research.privacy.title')}", "", *[f"- {p}" for p in privacy], "",
             f"| # | {t('research.column')} | {t('research.type')} | {t('research.description')} |",
             "|---|---|---|---|"]
    for n, c in enumerate(cols, start=1):
        lines.append(f"| {n} | `{c.name}` | {c.kind} | {c.description.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def codebook_columns(text: str) -> list[str]:
    """The column names listed in a codebook, in order (what the tests compare with the CSV)."""
    return [line.split("|")[2].strip().strip("`") for line in text.splitlines()
            if line.startswith("| ") and line.split("|")[2].strip().startswith("`")]
