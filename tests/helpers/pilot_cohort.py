"""A pilot cohort of fourteen leaders driven through every module by the learner service (no browser):
the self-assessment before, every part of each module, the quiz, the pulse, the self-assessment
after, then — the clock moved weeks ahead — the delayed quiz and the follow-up. Some stop or skip,
so that some groups fall under min_group. `PLAN` says who gives what; the tests recompute every
figure from it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from innokraft.core.settings import Settings
from innokraft.course.progress import module_items
from innokraft.store.db import Store
from innokraft.store.models import Event
from tests.helpers.learners import Cohort

COHORT = "pilot"
SKILLS_SCALE = 5


@dataclass
class Leader:
    id: str
    name: str
    lang: str
    modules: tuple[str, ...]  # completed, in order
    pre: dict[str, int] | None = None
    post: dict[str, int] | None = None
    then: dict[str, int] | None = None
    quiz_right: dict[str, bool] = field(default_factory=dict)  # module -> every item right at first
    pulse: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    delayed_right: dict[str, bool] = field(default_factory=dict)
    follow_up: dict[str, int] = field(default_factory=dict)
    step_minutes: float = 2.0  # minutes between two of their events in a module


# Ids that sort like the names (the research export must not show that order).
NAMES = ["Anna Andersson", "Bo Berg", "Cecilia Ceder", "David Dahl", "Eva Ek", "Filip Fors", "Greta Gran",
         "Hans Holm", "Ida Isaksson", "Jonas Jansson", "Karin Kvist", "Lars Lund", "Maja Mört", "Nils Nord"]


def _plan(skills: list[str], modules: list[str]) -> list[Leader]:
    out = []
    for i, name in enumerate(NAMES):
        first, last = name.split()
        leader = Leader(f"{first.lower()}-{last.lower().replace('ö', 'o')}", name,
                        "en" if i == 4 else "sv", tuple(modules), step_minutes=1.0 + (i % 5))
        if i == 13:  # never starts
            leader.modules = ()
            out.append(leader)
            continue
        if i in (11, 12):  # stops after M2
            leader.modules = tuple(modules[:2])
        if i != 10:  # one never answers the self-assessment before
            leader.pre = {s: (i + j) % 3 for j, s in enumerate(skills)}
        for m in leader.modules:
            leader.quiz_right[m] = (i + modules.index(m)) % 3 != 0
            if m != modules[-1] or i < 4:  # the last module's pulse: four answers, under min_group
                leader.pulse[m] = ((i % 3) + 2, (i + 1) % 5, i % 3)
        if len(leader.modules) == len(modules) and i != 9:  # one of the eleven who finish skips it
            leader.post = {s: min(4, (i + j) % 3 + 1 + i % 2) for j, s in enumerate(skills)}
            leader.then = {s: max(0, (i + j) % 3 - (i % 2)) for j, s in enumerate(skills)}
        if i < 10:  # the review of M1 four weeks on: ten; of M2: three (under min_group)
            leader.delayed_right[modules[0]] = i % 4 != 0
        if i < 3:
            leader.delayed_right[modules[1]] = True
        if i < 9:  # the follow-up of M1: nine; of M2: six; of M3: two (under min_group)
            leader.follow_up[modules[0]] = i % 3
        if i < 6:
            leader.follow_up[modules[1]] = (i + 1) % 3
        if i < 2 and modules[2] in leader.modules:
            leader.follow_up[modules[2]] = 0
        out.append(leader)
    return out


@dataclass
class Pilot:
    settings: Settings
    leaders: list[Leader]
    started: datetime
    now: datetime  # the clock when the report is made: seven weeks after the course

    def env(self) -> dict[str, str]:
        return {"INNOKRAFT_HOME": str(self.settings.home), "INNOKRAFT_NOW": self.now.isoformat(),
                "INNOKRAFT_DB_URL": ""}


def drive(home) -> Pilot:
    """The whole pilot on a fresh home; returns what each leader gave."""
    settings = Settings.from_env({}, home=home)
    settings.ensure_home()
    store = Store.open(settings.db_url)
    cohort = Cohort(settings)
    course = cohort.course
    modules = [m.id for m in course.modules]
    leaders = _plan(course.evaluation.skills, modules)
    store.upsert_learners(COHORT, [{"learner_id": r.id, "name": r.name, "email": f"{r.id}@example.se",
                                    "lang": r.lang} for r in leaders])
    started = datetime.now(UTC)
    for r in leaders:
        if r.pre is not None:
            assert "pre.skills" in [d["instrument"] for d in cohort.call(r.id, "due")["due"]]
            cohort.call(r.id, "save", key="eval.pre.skills", value={"now": r.pre})
        for m in r.modules:
            module = course.module(m)
            cohort.open(r.id, m, r.lang)
            for item in module_items(module):
                if item == "quiz":
                    cohort.quiz(r.id, m, cohort.right_or_wrong(m, r.quiz_right[m]))
                else:
                    cohort.call(r.id, "done", page=m, item=item)
            if m in r.pulse:
                cohort.pulse(r.id, m, r.pulse[m])
        if r.post is not None:
            assert "post.skills" in [d["instrument"] for d in cohort.call(r.id, "due")["due"]]
            cohort.call(r.id, "save", key="eval.post.skills", value={"now": r.post, "then": r.then})
    _spread_events(store, leaders, started)
    # Five weeks on, the delayed quiz is due; seven weeks on, the follow-up.
    for weeks, kind in ((5, "delayed_quiz"), (7, "follow_up")):
        later = Cohort(Settings.from_env({}, home=home, now=(started + timedelta(weeks=weeks)).isoformat()))
        for r in leaders:
            given = r.delayed_right if kind == "delayed_quiz" else r.follow_up
            for m, value in given.items():
                assert f"{m}.{kind}" in [d["instrument"] for d in later.call(r.id, "due")["due"]]
                if kind == "delayed_quiz":
                    module = course.module(m)
                    answer = {q.id: q.correct if value else (q.correct + 1) % q.options for q in module.quiz}
                    later.call(r.id, "save", key=f"eval.{m}.delayed_quiz", value=answer)
                    # a second try after seeing the key: the first answer counts
                    later.call(r.id, "save", key=f"eval.{m}.delayed_quiz",
                               value={q.id: q.correct for q in module.quiz})
                else:
                    later.call(r.id, "save", key=f"eval.{m}.follow_up", value={"changed": value, "text": "APT"})
    return Pilot(settings, leaders, started, started + timedelta(weeks=7, days=1))


def _spread_events(store: Store, leaders: list[Leader], started: datetime) -> None:
    """Each leader's events in a module `step_minutes` apart (the service logged them within a
    second): so active time has something to measure. Completion stays at the course's start."""
    with store.session() as s, s.begin():
        for r in leaders:
            for m in r.modules:
                events = list(s.scalars(select(Event).where(Event.learner_id == r.id, Event.page == m)
                                        .order_by(Event.id)))
                for k, event in enumerate(events):
                    event.at = started + timedelta(minutes=r.step_minutes * k)


def module_events(store: Store, leader: Leader, module_id: str) -> int:
    with store.session() as s:
        return len(list(s.scalars(select(Event).where(Event.learner_id == leader.id, Event.page == module_id))))
