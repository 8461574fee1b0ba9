"""Case sorter kind: short cases, each judged against criteria (M1: the three Ns).

Per case the learner picks the criterion that fails, or "all hold". The answers are
checked once every case is judged; they are then locked and kept as the first attempt.
Configured in course_config/exercises/<module>.yaml:

    three_n:
      criteria: [new, useful, used]
      cases:
        - {id: school_schedule, key: none}   # all three hold
        - {id: permit_pilot, key: used}      # "used" fails

The scoring is widgets/compute/sorter.py; texts are <module>.<exercise>.* in text/<lang>/.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup
from pydantic import BaseModel, Field, model_validator

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.sorter import NONE, score_sorting
from .exercise import Exercise, auto_width, button, html_widget, labelled
from .svg_chart import BLUE, ORANGE, SvgChart, ticks


class Case(BaseModel):
    id: str
    key: str


class Params(BaseModel):
    criteria: list[str] = Field(min_length=1)
    cases: list[Case] = Field(min_length=3)

    @model_validator(mode="after")
    def _keys_are_criteria(self) -> Params:
        for case in self.cases:
            if case.key != NONE and case.key not in self.criteria:
                raise ValueError(f"case {case.id}: key {case.key!r} is neither 'none' nor a criterion")
        return self


class CaseSorter(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: Params = validated(
            Params, exercise_data(self.page.settings.config_dir, self.page.id, self.name), where)
        self.p = p = f"{self.page.id}.{self.name}"
        choices = [(self.t(f"{p}.choices.{NONE}"), NONE)] + [
            (self.t(f"{p}.choices.{c}"), c) for c in self.params.criteria]
        self.radios: dict[str, widgets.RadioButtons] = {}
        self.explanations: dict[str, widgets.HTML] = {}
        rows = [self.title(f"{p}.title"), self.text(f"{p}.intro")]
        for n, case in enumerate(self.params.cases, start=1):
            radio = labelled(widgets.RadioButtons, options=choices, value=None, layout=auto_width(),
                             description=f"{n}. {self.t(f'{p}.cases.{case.id}.title')}")
            radio.observe(self.changed, "value")
            story = html_widget(Markup('<p class="innokraft-case">{}</p>').format(
                self.t.html_inline(f"{p}.cases.{case.id}.text")))
            explanation = html_widget(css="innokraft-feedback")
            self.radios[case.id] = radio
            self.explanations[case.id] = explanation
            rows += [story, radio, explanation]
        self.checked = False
        self.first: dict[str, str] | None = None
        self.check_button = button(self.t(f"{p}.check"), button_style="primary", disabled=True)
        self.check_button.on_click(self._check)
        self.hint = html_widget()
        self.feedback = html_widget(css="innokraft-feedback")
        self.chart = SvgChart()
        self.children = [*rows, self.hint, self.check_button, self.status, self.feedback, self.chart]

    # -- answers ----------------------------------------------------------------------------
    def _choices(self) -> dict[str, str]:
        return {k: r.value for k, r in self.radios.items() if r.value is not None}

    def _check(self, _button=None) -> None:
        if self.checked or len(self._choices()) < len(self.radios):
            return
        self.first = self._choices()
        self.checked = True
        self._lock()
        self.decided()

    def _lock(self) -> None:
        for radio in self.radios.values():
            radio.disabled = True
        self.check_button.disabled = True

    def state(self) -> dict:
        return {"choices": self.first if self.checked else self._choices(), "checked": self.checked,
                "first": self.first}

    def restore(self, value: dict) -> None:
        for k, v in (value.get("choices") or {}).items():
            if k in self.radios and v in [o[1] for o in self.radios[k].options]:
                self.radios[k].value = v
        if value.get("checked"):
            self.first = value.get("first") or self._choices()
            self.checked = True
            self._lock()

    def is_done(self) -> bool:
        return self.checked

    # -- showing ----------------------------------------------------------------------------
    def update(self) -> None:
        p, t = self.p, self.t
        if not self.checked:
            missing = len(self.radios) - len(self._choices())
            self.check_button.disabled = missing > 0
            self.hint.value = Markup("<p>{}</p>").format(t(f"{p}.check_hint", count=missing)) if missing else ""
            self.feedback.value = ""
            self.chart.layout.display = "none"
            return
        self.hint.value = Markup("<p><em>{}</em></p>").format(t(f"{p}.locked"))
        key = {c.id: c.key for c in self.params.cases}
        score = score_sorting(self.first, key, self.params.criteria)
        for case in self.params.cases:
            verdict = "correct" if case.id in score.right_cases else "wrong"
            self.explanations[case.id].value = Markup('<div class="innokraft-{}"><strong>{}</strong> {}</div>').format(
                verdict, t(f"ui.quiz.{verdict}"), t.html_inline(f"{p}.cases.{case.id}.explanation"))
        parts = [Markup("<p><strong>{}</strong></p>").format(
            t(f"{p}.result", right=len(score.right_cases), total=len(key)))]
        parts.append(t.html(f"{p}.weakest.{score.weakest}") if score.weakest else t.html(f"{p}.all_right"))
        self.feedback.value = Markup("").join(parts)
        self._draw(score)

    def _draw(self, score) -> None:
        p, t = self.p, self.t
        self.chart.layout.display = None
        names = [t(f"{p}.criteria.{c}") for c in self.params.criteria]
        right = [score.per_criterion[c][0] for c in self.params.criteria]
        wrong = [score.per_criterion[c][1] for c in self.params.criteria]
        # Drawn in the browser (no matplotlib in the kernel): right and wrong side by side.
        cases = len(self.params.cases)
        self.chart.draw(
            {"kind": "hbar", "title": t(f"{p}.chart_title"), "min": 0, "max": cases, "unit": "",
             "ticks": ticks(0, cases, t.lang), "x_label": t(f"{p}.axis"), "labels_above": True,
             "categories": names,
             "series": [{"name": t(f"{p}.legend_right"), "color": BLUE, "values": right},
                        {"name": t(f"{p}.legend_wrong"), "color": ORANGE, "values": wrong, "pattern": "hatch"}]},
            alt=self.chart_alt(t(f"{p}.chart_title"), "; ".join(
                f"{n}: {t(f'{p}.legend_right')} {r}, {t(f'{p}.legend_wrong')} {w}"
                for n, r, w in zip(names, right, wrong, strict=True))),
        )
