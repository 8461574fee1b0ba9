"""Evaluation instruments: what they are and when each falls due for a learner.

Kirkpatrick levels 1-3 (curriculum brief, "Evaluating the pedagogical concept"):
- `<module>.pulse`: relevance, clarity, time, at the end of each module;
- `pre.skills` before the course, `post.skills` at the end with a retrospective "then" rating;
- `<module>.delayed_quiz`: the module's quiz again, N weeks after the module was completed;
- `<module>.follow_up`: what the leader changed at work, 6-8 weeks after the module.

Answers live in their own table (store.evaluations), apart from the course answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .model import Course

PREFIX = "eval."  # a page saves an instrument under "eval.<instrument>"
PRE, POST = "pre.skills", "post.skills"


def instrument_of(key: str) -> str | None:
    return key.removeprefix(PREFIX) if key.startswith(PREFIX) else None


def merge_first(first: object, value: object) -> object:
    """Per item, the first answer given: later changes never overwrite it."""
    if isinstance(first, dict) and isinstance(value, dict):
        merged = dict(first)
        for key, item in value.items():
            if key not in merged or merged[key] in (None, "", {}):
                merged[key] = item
            elif isinstance(merged[key], dict) and isinstance(item, dict):
                merged[key] = merge_first(merged[key], item)
        return merged
    return first if first not in (None, "", {}) else value


@dataclass(frozen=True)
class Due:
    instrument: str  # pre.skills | post.skills | <module>.delayed_quiz | <module>.follow_up
    module_id: str | None
    opens: datetime
    closes: datetime | None = None


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
