"""Predict first, then see: a hook whose first answer is kept.

The leader picks an option or sets a number, then presses the reveal button (enabled
only once they have answered). The answer is computed by a model in
widgets/compute/models.py; once revealed, the prediction is locked and stored as the
first answer, so pre/post comparisons mean something.
"""

from __future__ import annotations

import html
from typing import Literal

import ipywidgets as widgets
from pydantic import BaseModel, ConfigDict, Field, model_validator

from innokraft.config import exercise_data, validated

from .compute.models import ANSWERS, Answer
from .exercise import Exercise, stacked
from .numbers import fmt
from .svg_chart import BLUE, GREY, ORANGE, SvgChart, ticks


class NumberInput(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min: float = 0
    max: float = 100
    step: float = 1
    start: float = 50


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    model: str
    kind: Literal["choice", "number"]
    runs: int = Field(default=1000, ge=100, le=20000)
    seed: int = 0
    values: dict[str, float]
    # choice: one dict of model inputs per option (e.g. a budget mix)
    options: list[dict[str, float]] = Field(default_factory=list)
    number: NumberInput = NumberInput()

    @model_validator(mode="after")
    def _consistent(self) -> Params:
        if self.model not in ANSWERS:
            raise ValueError(f"model {self.model!r} is not one of {sorted(ANSWERS)}")
        if self.kind == "choice" and len(self.options) < 2:
            raise ValueError("a choice needs at least two options")
        return self


class Prediction(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: Params = validated(Params, exercise_data(self.page.settings.config_dir, self.page.id,
                                                              self.name), where)
        self.p = f"{self.page.id}.{self.name}"
        self.revealed = False
        self.answered = False
        self.locked_value = None
        if self.params.kind == "choice":
            labels = self.t.items(f"{self.p}.options")
            if len(labels) != len(self.params.options):
                raise ValueError(f"course_config/text/{self.t.lang}/{self.page.id}.yaml: {self.name}.options "
                                 f"lists {len(labels)} options, exercises/{self.page.id}.yaml has "
                                 f"{len(self.params.options)}")
            self.input = stacked(widgets.RadioButtons(options=[(o, i) for i, o in enumerate(labels)],
                                                      value=None, description=self.t(f"{self.p}.question"),
                                                      layout=widgets.Layout(width="auto")))
        else:
            n = self.params.number
            self.input = stacked(widgets.IntSlider(value=int(n.start), min=int(n.min), max=int(n.max),
                                                   step=int(n.step), continuous_update=False,
                                                   description=self.t(f"{self.p}.question")))
        self.input.observe(self._answered, "value")
        self.reveal_button = widgets.Button(description=self.t(f"{self.p}.reveal"), button_style="primary",
                                            disabled=True)
        self.reveal_button.on_click(self._reveal)
        self.chart = SvgChart()
        self.chart.layout.display = "none"
        self.feedback = widgets.HTML()
        self.feedback.add_class("innokraft-feedback")
        self.children = [self.title(f"{self.p}.title"), self.text(f"{self.p}.intro", **self.shown()), self.input,
                         self.reveal_button, self.status, self.chart, self.feedback]

    def shown(self) -> dict[str, str]:
        """The model's settings as the intro may quote them: {name} and {name_pct} (0-1 as per cent)."""
        lang = self.t.lang
        out = {}
        for k, v in self.params.values.items():
            out[k] = fmt(v, lang, 0 if float(v).is_integer() else 2)
            out[f"{k}_pct"] = fmt(v * 100, lang)
        return out

    def _answered(self, change=None) -> None:
        if self.revealed and not self._restoring:
            # Locked: a change after the reveal (a stale browser, a script) is undone, not saved.
            if self.input.value != self.locked_value:
                self.input.value = self.locked_value
            return
        if not self._restoring:
            self.answered = True
        self.changed()

    def _reveal(self, _button=None) -> None:
        if not self.answered or self.revealed:
            return
        self.revealed = True
        self.locked_value = self.input.value
        self.changed()

    def answer(self) -> Answer:
        return ANSWERS[self.params.model](self.params.values, self.params.options, self.params.runs,
                                          self.params.seed)

    def state(self) -> dict:
        return {"prediction": self.input.value, "answered": self.answered, "revealed": self.revealed}

    def restore(self, value: dict) -> None:
        v = value.get("prediction")
        if v is not None:
            try:
                v = int(v)
            except (TypeError, ValueError):
                v = None
        if v is not None:
            if self.params.kind == "choice" and 0 <= v < len(self.params.options):
                self.input.value = v
            elif self.params.kind == "number" and self.params.number.min <= v <= self.params.number.max:
                self.input.value = v
        self.answered = bool(value.get("answered")) and self.input.value is not None
        self.revealed = bool(value.get("revealed")) and self.answered
        self.locked_value = self.input.value

    def is_done(self) -> bool:
        return self.revealed

    def update(self) -> None:
        # The first answer is data: once revealed, nothing can change it.
        self.input.disabled = self.revealed
        self.reveal_button.disabled = self.revealed or not self.answered
        if not self.revealed:
            self.feedback.value = f"<p>{html.escape(self.t(f'{self.p}.unrevealed'))}</p>"
            return
        if self.reveal_button.description != self.t("exercise_kinds.prediction.locked"):
            self.reveal_button.description = self.t("exercise_kinds.prediction.locked")
        answer = self.answer()
        lang = self.t.lang
        guess = self.input.value
        if self.params.kind == "choice":
            labels = self.t.items(f"{self.p}.short")
            values = list(answer.bars)
            colours = [ORANGE if i == guess else BLUE for i in range(len(labels))]
            hatched = [i == guess for i in range(len(labels))]
            verdict = "right" if guess == int(answer.value) else "wrong"
            numbers = {"guess": labels[guess], "answer": labels[int(answer.value)],
                       **{k: fmt(v, lang) for k, v in answer.numbers.items()}}
        else:
            values = [guess, answer.value]
            labels = [self.t("exercise_kinds.prediction.your_guess"), self.t("exercise_kinds.prediction.computed")]
            colours, hatched = [ORANGE, GREY], [True, False]
            diff = guess - answer.value
            verdict = "close" if abs(diff) < 5 else ("over" if diff > 0 else "under")
            numbers = {"guess": fmt(guess, lang), "diff": fmt(abs(diff), lang),
                       **{k: fmt(v, lang) for k, v in answer.numbers.items()}}
        alt = "; ".join(f"{lab}: {fmt(v, lang)}" for lab, v in zip(labels, values, strict=True))
        top = max(100.0, *values)  # room after the longest bar for its value
        self.chart.draw({
            "kind": "hbar", "title": self.t(f"{self.p}.chart_title"), "categories": labels,
            "series": [{"name": "", "values": [float(v) for v in values], "colors": colours, "hatched": hatched,
                        "labels": [fmt(v, lang) for v in values]}],
            "min": 0, "max": top * 1.1, "ticks": ticks(0, top, lang, most=5),
            "x_label": self.t(f"{self.p}.x_label"), "note": self.t("exercise_kinds.simulator.pedagogical_short"),
        }, f"{self.t('ui.chart_alt_prefix')} {self.t(f'{self.p}.chart_title')}. {alt}")
        self.chart.layout.display = ""
        self.feedback.value = (self.t.html(f"{self.p}.result.{verdict}", **numbers)
                               + self.t.html(f"{self.p}.explanation", **numbers))
