"""Evaluation instruments on the course pages: the module pulse, the self-assessments, the
delayed retrieval quiz and the workplace follow-up. Saved under "eval.<instrument>" into their
own table (innokraft.evaluations); texts in course_config/text/<lang>/evaluation.yaml.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from innokraft.course.instruments import PRE

from .exercise import Exercise, auto_width, full_width, html_widget, labelled
from .numbers import fmt
from .quiz_item import QuizItem


def rating(description: str, options: list[str]) -> widgets.RadioButtons:
    return labelled(widgets.RadioButtons, options=[(o, i) for i, o in enumerate(options)], value=None,
                    description=description, layout=auto_width())


def _part(saved: object, key: str) -> dict | None:
    """saved[key] when both are what a page saves (a dict), else None: stored answers are read,
    never trusted to have a shape."""
    part = saved.get(key) if isinstance(saved, dict) else None
    return part if isinstance(part, dict) else None


def _restore_choice(radio: widgets.RadioButtons, value) -> None:
    if isinstance(value, int) and 0 <= value < len(radio.options):
        radio.value = value


class Instrument(Exercise):
    """An exercise saved as an evaluation instrument ("eval.<instrument>")."""

    instrument = ""

    def css_classes(self, page, name: str) -> tuple[str, ...]:
        # by name, and by kind alone ("innokraft-follow-up"), whatever module it follows
        return ("innokraft-instrument", f"innokraft-key-{page.id}.{name}", f"innokraft-{name.replace('_', '-')}",
                "innokraft-" + self.instrument.rsplit(".", 1)[-1].replace("_", "-"))

    def _build(self) -> None:
        self.key = f"eval.{self.instrument}"  # set before the saved answer is loaded
        self._build_items()

    def _build_items(self) -> None:
        raise NotImplementedError


class Pulse(Instrument):
    """Three quick ratings at the end of a module: relevance, clarity, time."""

    def __init__(self, page, **kwargs):
        self.instrument = f"{page.id}.pulse"
        super().__init__(page, "pulse", **kwargs)

    def _build_items(self) -> None:
        self.items: dict[str, widgets.RadioButtons] = {}
        for n, item in enumerate(self.page.course.evaluation.pulse, start=1):
            options = self.t.items(f"evaluation.pulse.{item.id}.options")
            radio = rating(f"{n}. {self.t(f'evaluation.pulse.{item.id}.question')}", options)
            radio.observe(self.changed, "value")
            self.items[item.id] = radio
        self.thanks = html_widget()
        self.children = [self.title("evaluation.pulse.title"), self.text("evaluation.pulse.intro"),
                         *self.items.values(), self.thanks, self.status]

    def state(self) -> dict:
        return {k: r.value for k, r in self.items.items()}

    def restore(self, value: dict) -> None:
        for k, v in (value or {}).items():
            if k in self.items:
                _restore_choice(self.items[k], v)

    def is_done(self) -> bool:
        return all(r.value is not None for r in self.items.values())

    def update(self) -> None:
        done = self.is_done()
        self.thanks.value = Markup('<p class="innokraft-thanks">{}</p>').format(
            self.t("evaluation.pulse.thanks")) if done else ""


class SelfAssessment(Instrument):
    """The skills before the course; at the end, now and a retrospective "then" per skill."""

    def __init__(self, page, when: str, **kwargs):
        self.when = when  # pre | post
        self.instrument = f"{when}.skills"
        super().__init__(page, f"skills_{when}", **kwargs)

    def _build_items(self) -> None:
        ev = self.page.course.evaluation
        scale = self.t.items("evaluation.skills.scale")
        if len(scale) != ev.skill_scale:
            raise ValueError(f"course_config/text/{self.t.lang}/evaluation.yaml: skills.scale lists "
                             f"{len(scale)} options, course.yaml says skill_scale {ev.skill_scale}")
        self.now: dict[str, widgets.RadioButtons] = {}
        self.then: dict[str, widgets.RadioButtons] = {}
        rows = [self.title(f"evaluation.skills.{self.when}_title"), self.text(f"evaluation.skills.{self.when}_intro")]
        for n, skill in enumerate(ev.skills, start=1):
            statement = self.t(f"evaluation.skills.items.{skill}")
            rows.append(html_widget(Markup('<h3 class="innokraft-skill">{}. {}</h3>').format(n, statement)))
            now = rating(self.t("evaluation.skills.now_label", number=n), scale)
            now.observe(self.changed, "value")
            self.now[skill] = now
            rows.append(now)
            if self.when == "post":
                then = rating(self.t("evaluation.skills.then_label", number=n), scale)
                then.observe(self.changed, "value")
                self.then[skill] = then
                rows.append(then)
        # At the end, what the leader gets back: the same statements at the start, seen again in
        # hindsight and now, beside their first profile in module 2.
        self.growth = html_widget(css="innokraft-feedback")
        self.children = [*rows, self.status, *([self.growth] if self.when == "post" else [])]

    def state(self) -> dict:
        out = {"now": {k: r.value for k, r in self.now.items()}}
        if self.then:
            out["then"] = {k: r.value for k, r in self.then.items()}
        return out

    def restore(self, value: dict) -> None:
        for part, radios in (("now", self.now), ("then", self.then)):
            for k, v in ((value or {}).get(part) or {}).items():
                if k in radios:
                    _restore_choice(radios[k], v)

    def is_done(self) -> bool:
        return all(r.value is not None for r in [*self.now.values(), *self.then.values()])

    def update(self) -> None:
        if self.when != "post":
            return
        if not self.is_done():
            self.growth.value = Markup("")
            return
        self.growth.value = self._growth_table()

    def _growth_table(self) -> Markup:
        """Per skill: the rating when the course began (pre.skills, the same statement), the
        retrospective "then", now, and the first profile of the exercise the course names
        (evaluation.compare_profile: two other statements per skill, their mean)."""
        t, lang, ev = self.t, self.t.lang, self.page.course.evaluation
        before = _part(self.page.session.load(f"eval.{PRE}"), "now") or {}
        kept = self.page.session.load(ev.compare_profile) if ev.compare_profile else None
        profile = _part(_part(kept, "first"), "means")
        columns = t.items("evaluation.skills.growth_columns") + ([t("evaluation.skills.growth_profile")]
                                                                 if profile else [])
        def shown(value) -> str:  # noqa: E306
            return fmt(value + 1, lang) if isinstance(value, int) else t("evaluation.skills.growth_missing")
        rows = []
        for skill in ev.skills:
            cells = [shown(before.get(skill)), shown(self.then[skill].value), shown(self.now[skill].value)]
            if profile:
                mean = profile.get(skill)
                cells.append(fmt(mean, lang, 1) if isinstance(mean, (int, float)) else
                             t("evaluation.skills.growth_missing"))
            rows.append(Markup('<tr><th scope="row">{}</th>{}</tr>').format(
                t(f"evaluation.skills.names.{skill}"), Markup("").join(Markup("<td>{}</td>").format(c) for c in cells)))
        changes = {k: self.now[k].value - before[k] for k in ev.skills if isinstance(before.get(k), int)}
        largest = max(changes, key=lambda k: (abs(changes[k]), -ev.skills.index(k))) if changes else None
        said = Markup("")
        if largest is not None and changes[largest]:
            said = t.html("evaluation.skills.growth_largest", skill=t(f"evaluation.skills.names.{largest}"),
                          before=shown(before[largest]), now=shown(self.now[largest].value))
        return (Markup("<h3>{}</h3>").format(t("evaluation.skills.growth_title"))
                + t.html("evaluation.skills.growth_intro") + said
                + Markup('<table class="innokraft-table"><caption>{}</caption><thead><tr>{}</tr></thead>'
                         "<tbody>{}</tbody></table>").format(
                    t("evaluation.skills.growth_caption"),
                    Markup("").join(Markup('<th scope="col">{}</th>').format(c) for c in columns),
                    Markup("").join(rows))
                + (t.html("evaluation.skills.growth_profile_note") if profile else Markup("")))


class DelayedQuiz(Instrument):
    """The module's retrieval questions again, weeks later; the first answers are kept."""

    def __init__(self, page, module, **kwargs):
        self.module = module
        self.instrument = f"{module.id}.delayed_quiz"
        super().__init__(page, f"delayed_quiz_{module.id}", **kwargs)

    def _build_items(self) -> None:
        p = f"{self.module.id}.quiz"
        number = self.page.course.modules.index(self.module) + 1
        self.answers: dict[str, int] = {}
        self.items: dict[str, QuizItem] = {}
        for n, item in enumerate(self.module.quiz, start=1):
            self.items[item.id] = QuizItem(self.t, n, self.t(f"{p}.{item.id}.question"),
                                           self.t.items(f"{p}.{item.id}.options"), item.correct,
                                           self.t.html_inline(f"{p}.{item.id}.explanation"),
                                           on_check=lambda choice, q=item.id: self.check(q, choice))
        self.questions = {q: item.radio for q, item in self.items.items()}
        self.checks = {q: item.check for q, item in self.items.items()}
        title = self.t("evaluation.delayed_quiz.title", number=number)
        self.children = [html_widget(Markup("<h2>{}</h2>").format(title)),
                         self.text("evaluation.delayed_quiz.intro", module=self.module.title[self.t.lang]),
                         *self.items.values(), self.status]

    def check(self, item: str, choice: int) -> None:
        """The first answer is the measure of what stayed: kept, locked, then explained."""
        if item not in self.answers:
            self.answers[item] = choice
            self.decided()

    def state(self) -> dict:
        return {q: self.answers.get(q) for q in self.items}

    def restore(self, value: dict) -> None:
        for q, v in (value or {}).items():
            if q in self.items and isinstance(v, int) and 0 <= v < len(self.items[q].options):
                self.answers[q] = v

    def is_done(self) -> bool:
        return all(q in self.answers for q in self.items)

    def update(self) -> None:
        for q, item in self.items.items():
            if q in self.answers and item.answer is None:
                item.lock(self.answers[q])


class FollowUp(Instrument):
    """Weeks after a module: did the leader change anything at work, and what."""

    def __init__(self, page, module, **kwargs):
        self.module = module
        self.instrument = f"{module.id}.follow_up"
        super().__init__(page, f"follow_up_{module.id}", **kwargs)

    def _build_items(self) -> None:
        number = self.page.course.modules.index(self.module) + 1
        self.changed_choice = rating(self.t("evaluation.follow_up.question"),
                                     self.t.items("evaluation.follow_up.options"))
        self.changed_choice.observe(self.changed, "value")
        self.box = labelled(widgets.Textarea, value="", rows=5, description=self.t("evaluation.follow_up.text_label"),
                            layout=full_width())
        self.box.observe(self.changed, "value")
        self.children = [
            html_widget(Markup("<h2>{}</h2>").format(self.t("evaluation.follow_up.title", number=number))),
            self.text("evaluation.follow_up.intro", module=self.module.title[self.t.lang]),
            self.changed_choice, self.box, self.status,
        ]

    def state(self) -> dict:
        return {"changed": self.changed_choice.value, "text": self.box.value}

    def restore(self, value: dict) -> None:
        _restore_choice(self.changed_choice, (value or {}).get("changed"))
        self.box.value = str((value or {}).get("text") or "")

    def is_done(self) -> bool:
        return self.changed_choice.value is not None
