"""The pilot's evaluation in figures (Kirkpatrick levels 1-3), for the report and the dashboard.

`records` reads each learner's raw data of one cohort from the store (a few queries);
`evaluation` turns the records into figures and is pure: the same records give the same
figures, and a test can recompute every one by hand from the answers it gave.

One rule for every figure: a figure made from answers (evaluation instruments, quiz answers,
logged time) is shown only when at least `min_group` people stand behind it; below that its
value is None and the page says "fewer than N answers" (`Figure.shown`). Counts of how many
took part (response rates, completion) rest on the whole cohort and are always shown.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from ..course.instruments import POST, PRE
from ..course.model import Course
from ..course.progress import module_items
from ..store.db import Store
from ..store.models import Answer, EvaluationResponse, Event, Learner
from .cohort_report import active_minutes, first_quiz_answers

# The follow-up's categories (text/<lang>/evaluation.yaml, follow_up.options): changed, started, not yet.
FOLLOW_UP_CATEGORIES = 3
CONFIDENCE = 95  # percent: the changes' intervals
ALL_SKILLS = "all"  # the skills' row for each person's mean over the skills they rated

# -- one learner's raw data ---------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerRecord:
    """What one learner gave, as stored; option indexes are 0-based, as the pages save them."""

    learner_id: str
    opened: frozenset[str] = frozenset()
    completed: dict[str, datetime] = field(default_factory=dict)  # module -> first completed
    minutes: dict[str, float] = field(default_factory=dict)  # module -> active minutes
    quiz_first: dict[str, dict[str, bool]] = field(default_factory=dict)  # module -> item -> right
    pulse: dict[str, dict[str, int]] = field(default_factory=dict)  # module -> pulse item -> option
    pre: dict[str, int] = field(default_factory=dict)  # skill -> option, before the course
    post: dict[str, int] = field(default_factory=dict)  # skill -> option, at the end
    then: dict[str, int] = field(default_factory=dict)  # skill -> option, at the end, of before
    delayed: dict[str, dict[str, bool]] = field(default_factory=dict)  # module -> item -> right
    follow_up: dict[str, int] = field(default_factory=dict)  # module -> category


def records(store: Store, course: Course, cohort_id: str) -> list[LearnerRecord]:
    """Every learner of the cohort with their raw evaluation data, in four queries."""
    modules = {m.id: m for m in course.modules}
    with store.session() as s:
        ids = [i for (i,) in s.execute(select(Learner.id).where(Learner.cohort_id == cohort_id)
                                       .order_by(Learner.id))]
        events: dict[str, list] = defaultdict(list)
        for learner_id, page, kind, detail, at in s.execute(
                select(Event.learner_id, Event.page, Event.kind, Event.detail, Event.at)
                .where(Event.learner_id.in_(ids), Event.page.in_(list(modules)))):
            events[learner_id].append((page, kind, detail, at))
        quizzes: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
        for learner_id, key, value in s.execute(
                select(Answer.learner_id, Answer.exercise_id, Answer.value)
                .where(Answer.learner_id.in_(ids), Answer.exercise_id.in_([f"{m}.quiz" for m in modules]))):
            quizzes[learner_id][key.removesuffix(".quiz")] = first_quiz_answers(value)
        answers: dict[str, dict[str, tuple]] = defaultdict(dict)
        for learner_id, instrument, value, first in s.execute(
                select(EvaluationResponse.learner_id, EvaluationResponse.instrument, EvaluationResponse.value,
                       EvaluationResponse.first_value).where(EvaluationResponse.learner_id.in_(ids))):
            answers[learner_id][instrument] = (value or {}, first or {})
    return [_record(course, i, events[i], quizzes[i], answers[i]) for i in ids]


def _options(value: object, count: int) -> dict[str, int]:
    """The items of an answer that are a valid option index."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < count}


def _record(course: Course, learner_id: str, events: list, quizzes: dict, answers: dict) -> LearnerRecord:
    ev = course.evaluation
    opened, completed, moments = set(), {}, defaultdict(list)
    done: dict[str, set[str]] = defaultdict(set)
    for page, kind, detail, at in sorted(events, key=lambda e: e[3]):
        moments[page].append(at)
        opened.add(page)
        if kind == "module_completed":
            completed.setdefault(page, at)
        elif kind == "exercise_done":
            done[page].add(detail)
    for module in course.modules:  # completed by its parts, whether or not the event was logged
        if module.id not in completed and set(module_items(module)) <= done[module.id]:
            completed[module.id] = max(moments[module.id])
    quiz_first, pulse, delayed, follow_up = {}, {}, {}, {}
    for module in course.modules:
        key = {q.id: q for q in module.quiz}
        first = {item: choice == key[item].correct for item, choice in quizzes.get(module.id, {}).items()
                 if item in key}
        if first:
            quiz_first[module.id] = first
        given = {item.id: item.options for item in ev.pulse}
        value = answers.get(f"{module.id}.pulse", ({}, {}))[0]
        chosen = {i: c for i, c in (value.items() if isinstance(value, dict) else ())
                  if i in given and isinstance(c, int) and not isinstance(c, bool) and 0 <= c < given[i]}
        if chosen:
            pulse[module.id] = chosen
        # The delayed quiz counts its first answers (a retry after seeing the key is not recall).
        first_delayed = answers.get(f"{module.id}.delayed_quiz", ({}, {}))[1]
        right = {item: choice == key[item].correct
                 for item, choice in (first_delayed.items() if isinstance(first_delayed, dict) else ())
                 if item in key and isinstance(choice, int) and not isinstance(choice, bool)}
        if right:
            delayed[module.id] = right
        changed = answers.get(f"{module.id}.follow_up", ({}, {}))[0]
        changed = changed.get("changed") if isinstance(changed, dict) else None
        if isinstance(changed, int) and not isinstance(changed, bool) and 0 <= changed < FOLLOW_UP_CATEGORIES:
            follow_up[module.id] = changed
    pre_value = answers.get(PRE, ({}, {}))[0]
    post_value = answers.get(POST, ({}, {}))[0]
    scale = ev.skill_scale
    return LearnerRecord(
        learner_id, frozenset(opened), completed,
        {page: active_minutes(times) for page, times in moments.items()}, quiz_first, pulse,
        {k: v for k, v in _options(pre_value.get("now"), scale).items() if k in ev.skills},
        {k: v for k, v in _options(post_value.get("now"), scale).items() if k in ev.skills},
        {k: v for k, v in _options(post_value.get("then"), scale).items() if k in ev.skills},
        delayed, follow_up)


# -- statistics --------------------------------------------------------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta function (Lentz's method)."""
    tiny, c, d = 1e-300, 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for num in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                    -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + num * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1 - front * _betacf(b, a, 1 - x) / b


def t_cdf(t: float, df: int) -> float:
    """Student's t distribution function."""
    tail = 0.5 * _incomplete_beta(df / 2, 0.5, df / (df + t * t))
    return 1 - tail if t >= 0 else tail


def t_quantile(p: float, df: int) -> float:
    """The t value below which a share p of Student's t distribution with df degrees lies."""
    low, high = -1e3, 1e3
    for _ in range(200):  # bisection: t_cdf is monotone, 200 halvings reach float precision
        mid = (low + high) / 2
        low, high = (mid, high) if t_cdf(mid, df) < p else (low, mid)
    return (low + high) / 2


@dataclass(frozen=True)
class Paired:
    """Two measures of the same n people: their means, the mean change with its 95 % interval
    (t distribution) and the effect size d_z (mean change / standard deviation of the changes).
    Everything but n is None under min_group; d_z is None when every change is the same."""

    n: int
    before: float | None = None
    after: float | None = None
    change: float | None = None
    low: float | None = None
    high: float | None = None
    effect: float | None = None

    @property
    def shown(self) -> bool:
        return self.change is not None


def paired(pairs: list[tuple[float, float]], min_group: int) -> Paired:
    n = len(pairs)
    if n < max(min_group, 2):
        return Paired(n)
    changes = [b - a for a, b in pairs]
    mean = statistics.fmean(changes)
    sd = statistics.stdev(changes)
    half = t_quantile(1 - (1 - CONFIDENCE / 100) / 2, n - 1) * sd / math.sqrt(n)
    return Paired(n, statistics.fmean(a for a, _ in pairs), statistics.fmean(b for _, b in pairs), mean,
                  mean - half, mean + half, mean / sd if sd > 0 else None)


@dataclass(frozen=True)
class Distribution:
    """How many chose each option, and the mean on the 1..k scale; None under min_group."""

    n: int
    counts: tuple[int, ...] | None = None
    mean: float | None = None

    @property
    def shown(self) -> bool:
        return self.counts is not None


def distribution(choices: list[int], options: int, min_group: int) -> Distribution:
    if len(choices) < min_group:
        return Distribution(len(choices))
    counts = tuple(sum(1 for c in choices if c == i) for i in range(options))
    return Distribution(len(choices), counts, statistics.fmean(c + 1 for c in choices))


@dataclass(frozen=True)
class Share:
    """A share of n people (0..1), None under min_group."""

    n: int
    value: float | None = None

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Minutes:
    """Active minutes per learner who opened a module: median and quartiles, None under min_group."""

    n: int
    median: float | None = None
    q1: float | None = None
    q3: float | None = None

    @property
    def shown(self) -> bool:
        return self.median is not None


def minutes(values: list[float], min_group: int) -> Minutes:
    if len(values) < min_group:
        return Minutes(len(values))
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Minutes(len(values), median, q1, q3)


@dataclass(frozen=True)
class Rate:
    """How many of those invited to an instrument answered it (always shown: it names no answer)."""

    answered: int
    invited: int

    @property
    def percent(self) -> float | None:
        return 100 * self.answered / self.invited if self.invited else None


# -- the figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleFigures:
    module_id: str
    opened: int
    completed: int
    minutes: Minutes
    stated_minutes: int
    pulse: dict[str, Distribution]  # pulse item -> its answers
    quiz_first: Share  # per learner: share of items right at the first attempt, averaged
    quiz_items: dict[str, Share]  # quiz item -> share right at the first attempt
    delayed: Paired  # per learner: share right at the first attempt -> in the delayed quiz
    follow_up: Distribution  # changed / started / not yet


@dataclass(frozen=True)
class Evaluation:
    cohort_id: str
    learners: int
    started: int  # opened at least one module
    completed_all: int  # completed every module
    min_group: int
    rates: dict[str, Rate]  # pre.skills, post.skills, <module>.pulse, .delayed_quiz, .follow_up
    modules: list[ModuleFigures]
    skills: dict[str, Paired]  # skill -> before the course -> at the end (and "all": each person's mean)
    retrospective: dict[str, Paired]  # skill -> "then" (rated at the end) -> at the end
    follow_up_total: Distribution  # every follow-up answer of every module

    def module(self, module_id: str) -> ModuleFigures:
        return next(m for m in self.modules if m.module_id == module_id)


def _share(values: list[float], min_group: int) -> Share:
    return Share(len(values), statistics.fmean(values) if len(values) >= min_group else None)


def _skill_pairs(records: list[LearnerRecord], skills: list[str], a: str, b: str, min_group: int) -> dict:
    out = {}
    for skill in skills:
        pairs = [(getattr(r, a)[skill] + 1, getattr(r, b)[skill] + 1) for r in records
                 if skill in getattr(r, a) and skill in getattr(r, b)]
        out[skill] = paired(pairs, min_group)
    # One score per person: the mean of the skills they rated both times.
    means = []
    for r in records:
        both = [s for s in skills if s in getattr(r, a) and s in getattr(r, b)]
        if both:
            means.append((statistics.fmean(getattr(r, a)[s] + 1 for s in both),
                          statistics.fmean(getattr(r, b)[s] + 1 for s in both)))
    out[ALL_SKILLS] = paired(means, min_group)
    return out


def evaluation(records: list[LearnerRecord], course: Course, cohort_id: str, now: datetime,
               min_group: int | None = None) -> Evaluation:
    """Every figure of the report from the cohort's records, as of `now`."""
    ev = course.evaluation
    k = ev.min_group if min_group is None else min_group
    n = len(records)
    rates = {PRE: Rate(sum(1 for r in records if r.pre), n),
             POST: Rate(sum(1 for r in records if r.post or r.then),
                        sum(1 for r in records if all(m.id in r.completed for m in course.modules)))}
    modules = []
    for m in course.modules:
        opened = [r for r in records if m.id in r.opened]
        completed = [r for r in records if m.id in r.completed]
        quiz_weeks, follow_weeks = timedelta(weeks=ev.delayed_quiz_weeks), timedelta(weeks=ev.follow_up_weeks)
        rates[f"{m.id}.pulse"] = Rate(sum(1 for r in records if m.id in r.pulse), len(opened))
        rates[f"{m.id}.delayed_quiz"] = Rate(sum(1 for r in records if m.id in r.delayed),
                                             sum(1 for r in completed if now >= r.completed[m.id] + quiz_weeks))
        rates[f"{m.id}.follow_up"] = Rate(sum(1 for r in records if m.id in r.follow_up),
                                          sum(1 for r in completed if now >= r.completed[m.id] + follow_weeks))
        firsts = [r.quiz_first[m.id] for r in records if r.quiz_first.get(m.id)]
        delayed_pairs = []
        for r in records:
            first, later = r.quiz_first.get(m.id, {}), r.delayed.get(m.id, {})
            items = [q.id for q in m.quiz if q.id in first and q.id in later]
            if items:  # the same items, first attempt against delayed recall
                delayed_pairs.append((100 * statistics.fmean(first[i] for i in items),
                                      100 * statistics.fmean(later[i] for i in items)))
        modules.append(ModuleFigures(
            m.id, len(opened), len(completed), minutes([r.minutes[m.id] for r in opened if m.id in r.minutes], k),
            m.minutes,
            {item.id: distribution([r.pulse[m.id][item.id] for r in records if item.id in r.pulse.get(m.id, {})],
                                   item.options, k) for item in ev.pulse},
            _share([statistics.fmean(f.values()) for f in firsts], k),
            {q.id: _share([f[q.id] for f in firsts if q.id in f], k) for q in m.quiz},
            paired(delayed_pairs, k),
            distribution([r.follow_up[m.id] for r in records if m.id in r.follow_up], FOLLOW_UP_CATEGORIES, k)))
    every_follow_up = [c for r in records for c in r.follow_up.values()]
    started = sum(1 for r in records if r.opened)
    completed_all = sum(1 for r in records if all(m.id in r.completed for m in course.modules))
    return Evaluation(cohort_id, n, started, completed_all, k, rates, modules,
                      _skill_pairs(records, ev.skills, "pre", "post", k),
                      _skill_pairs(records, ev.skills, "then", "post", k),
                      distribution(every_follow_up, FOLLOW_UP_CATEGORIES, k))
