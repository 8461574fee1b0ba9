"""Evaluation instruments: what a learner has answered, and what falls due when.

Kirkpatrick levels 1-3 (curriculum brief, "Evaluating the pedagogical concept"):
- `<module>.pulse`: relevance, clarity, time, at the end of each module;
- `pre.skills` before the course, `post.skills` at the end with a retrospective "then" rating;
- `<module>.delayed_quiz`: the module's quiz again, N weeks after the module was completed;
- `<module>.follow_up`: what the leader changed at work, 6-8 weeks after the module.

Answers live in their own table (`evaluation_responses`), apart from the course answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from .config import Course
from .models import EvaluationResponse, Event, utcnow
from .store import Store

PREFIX = "eval."  # a page saves an instrument under "eval.<instrument>"
PRE, POST = "pre.skills", "post.skills"


def instrument_of(key: str) -> str | None:
    return key.removeprefix(PREFIX) if key.startswith(PREFIX) else None


def _merge_first(first: object, value: object) -> object:
    """Per item, the first answer given: later changes never overwrite it."""
    if isinstance(first, dict) and isinstance(value, dict):
        merged = dict(first)
        for key, item in value.items():
            if key not in merged or merged[key] in (None, "", {}):
                merged[key] = item
            elif isinstance(merged[key], dict) and isinstance(item, dict):
                merged[key] = _merge_first(merged[key], item)
        return merged
    return first if first not in (None, "", {}) else value


def save_response(store: Store, learner_id: str, instrument: str, value: object) -> None:
    with store.session() as s, s.begin():
        row = s.get(EvaluationResponse, (learner_id, instrument))
        if row is None:
            s.add(EvaluationResponse(learner_id=learner_id, instrument=instrument, value=value,
                                     first_value=value))
        else:
            row.first_value = _merge_first(row.first_value, value)
            row.value = value
            row.updated_at = utcnow()


def responses(store: Store, learner_id: str) -> dict[str, object]:
    with store.session() as s:
        rows = s.scalars(select(EvaluationResponse).where(EvaluationResponse.learner_id == learner_id))
        return {r.instrument: r.value for r in rows}


@dataclass(frozen=True)
class Due:
    instrument: str  # pre.skills | post.skills | <module>.delayed_quiz | <module>.follow_up
    module_id: str | None
    opens: datetime
    closes: datetime | None = None


def completed_at(store: Store, learner_id: str) -> dict[str, datetime]:
    """module id -> when the learner first completed it (one query)."""
    with store.session() as s:
        rows = s.execute(
            select(Event.page, Event.at).where(Event.learner_id == learner_id,
                                               Event.kind == "module_completed").order_by(Event.at)
        )
        out: dict[str, datetime] = {}
        for page, at in rows:
            out.setdefault(page, at)
        return out


def due(course: Course, completed: dict[str, datetime], answered: dict[str, object],
        now: datetime) -> list[Due]:
    """What is open for the learner now and not answered yet, in the order to do it."""
    ev = course.evaluation
    out: list[Due] = []
    epoch = datetime.min.replace(tzinfo=now.tzinfo)
    if PRE not in answered and not completed:
        out.append(Due(PRE, None, epoch))
    if POST not in answered and all(m.id in completed for m in course.modules):
        out.append(Due(POST, None, max(completed.values())))
    for module in course.modules:
        done = completed.get(module.id)
        if done is None:
            continue
        opens = done + timedelta(weeks=ev.delayed_quiz_weeks)
        key = f"{module.id}.delayed_quiz"
        if key not in answered and now >= opens:
            out.append(Due(key, module.id, opens))
        opens = done + timedelta(weeks=ev.follow_up_weeks)
        closes = done + timedelta(weeks=ev.follow_up_closes_weeks)
        key = f"{module.id}.follow_up"
        if key not in answered and opens <= now <= closes:
            out.append(Due(key, module.id, opens, closes))
    return out


def instrument_problems(config_dir, course: Course, notebooks_dir) -> list[str]:
    """`innokraft check`: the instruments' texts match course.yaml in every language, and every
    module notebook ends with `page.module_end()` (the pulse)."""
    import json

    from .config import load_texts

    ev = course.evaluation
    problems = []
    def listed(table: dict[str, str], prefix: str) -> int:
        n = 0
        while f"{prefix}.{n}" in table:
            n += 1
        return n

    for lang in course.languages:
        table = load_texts(config_dir, lang)
        count = lambda prefix, table=table: listed(table, prefix)  # noqa: E731

        where = f"text/{lang}/evaluation.yaml"
        for item in ev.pulse:
            if count(f"evaluation.pulse.{item.id}.options") != item.options:
                problems.append(f"{where}: pulse.{item.id}.options must list {item.options} answers "
                                "(course.yaml: evaluation.pulse) -> make them agree")
            if f"evaluation.pulse.{item.id}.question" not in table:
                problems.append(f"{where}: pulse.{item.id}.question is missing -> write the question")
        if count("evaluation.skills.scale") != ev.skill_scale:
            problems.append(f"{where}: skills.scale must list {ev.skill_scale} answers -> make them agree")
        for skill in ev.skills:
            for part in ("items", "names"):
                if f"evaluation.skills.{part}.{skill}" not in table:
                    problems.append(f"{where}: skills.{part}.{skill} is missing -> write it")
    for m in course.modules:
        path = notebooks_dir / m.notebook
        if not path.exists():
            continue
        cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        last = "".join(cells[-1]["source"]).strip() if cells else ""
        if not last.endswith("page.module_end()"):
            problems.append(f"notebooks/{m.notebook}: the last cell must call page.module_end() "
                            "(the module pulse) -> add it")
    return problems
