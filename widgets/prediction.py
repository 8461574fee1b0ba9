"""Predict first, then see: a hook whose first answer is kept.

The leader picks an option or types a number, then presses the reveal button (enabled
only once they have answered). Neither starts with a value: a preset guess anchors the
leader's own (content review D4), so the number is a text box that starts empty. The answer
is computed by a model in widgets/compute/models.py; once revealed, the prediction is locked
and stored as the first answer, so pre/post comparisons mean something.

Afterwards the leader may explore: `explore` lists model values they can change with a
slider. The chart then redraws for those values ("distribution": the share of runs per
outcome, as M2's team lottery), while the verdict stays with the question as asked.
"""

from __future__ import annotations

from typing import Literal

import ipywidgets as widgets
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, model_validator

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.models import ANSWERS, Answer
from .exercise import Exercise, auto_width, button, html_widget, labelled
from .numbers import fmt
from .svg_chart import BLUE, GREY, ORANGE, SvgChart, ticks


class NumberInput(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min: float = 0
    max: float = 100


class ExploreInput(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    min: int
    max: int
    step: int = 1


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
    close_within: float = Field(default=5, ge=0)  # a number guess this near the answer is "close"
    chart: Literal["guess", "distribution"] = "guess"
    explore: list[ExploreInput] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Params:
        if self.model not in ANSWERS:
            raise ValueError(f"model {self.model!r} is not one of {sorted(ANSWERS)}")
        if self.kind == "choice" and len(self.options) < 2:
            raise ValueError("a choice needs at least two options")
        if self.kind == "choice" and (self.explore or self.chart != "guess"):
            raise ValueError("only a number prediction can be explored or drawn as a distribution")
        for e in self.explore:
            if e.id not in self.values:
                raise ValueError(f"explore: {e.id!r} is not one of the model's values {sorted(self.values)}")
            if not e.min <= self.values[e.id] <= e.max:
                raise ValueError(f"explore: {e.id} = {self.values[e.id]} is outside {e.min}-{e.max}")
        return self


class Prediction(Exercise):
    # A kind of prediction that shows more afterwards takes more settings (widgets.evidence_simulator).
    params_class: type[Params] = Params

    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: Params = validated(self.params_class, exercise_data(self.page.settings.config_dir, self.page.id,
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
            self.input = labelled(widgets.RadioButtons, options=[(o, i) for i, o in enumerate(labels)],
                                  value=None, description=self.t(f"{self.p}.question"), layout=auto_width())
        else:
            # Sent as typed, so the reveal button is ready by the time the finger reaches it.
            self.input = labelled(widgets.Text, value="", continuous_update=True, _dom_classes=("innokraft-number",),
                                  description=self.t(f"{self.p}.question", **self.shown()))
        self.input.observe(self._answered, "value")
        self.hint = html_widget(css="innokraft-hint")
        self.reveal_button = button(self.t(f"{self.p}.reveal"), button_style="primary", disabled=True)
        self.reveal_button.on_click(self._reveal)
        self.chart = SvgChart()
        self.chart.layout.display = "none"
        self.feedback = html_widget(css="innokraft-feedback")
        self.sliders = {e.id: labelled(
            widgets.IntSlider, value=int(self.params.values[e.id]), min=e.min, max=e.max, step=e.step,
            continuous_update=False, description=self.t(f"{self.p}.inputs.{e.id}")) for e in self.params.explore}
        for slider in self.sliders.values():
            slider.observe(self.changed, "value")
        self.children = [self.title(f"{self.p}.title"), self.text(f"{self.p}.intro", **self.shown()), self.input,
                         self.hint, self.reveal_button, self.status, self.feedback, self.chart]
        if self.sliders:
            self.explore = widgets.VBox([self.text(f"{self.p}.explore"), *self.sliders.values()])
            self.children += (self.explore,)
        if self.t.has(f"{self.p}.pedagogical"):
            self.children += (self.text(f"{self.p}.pedagogical"),)

    def shown(self) -> dict[str, str]:
        """The model's settings as the intro may quote them: {name}, {name_pct} (0-1 as per cent)
        and, for a whole number up to twelve, {name_words} ("sex medarbetare": running text
        writes small numbers in words)."""
        lang = self.t.lang
        words = self.t.items("ui.number_words")
        out = {}
        for k, v in self.params.values.items():
            out[k] = fmt(v, lang, 0 if float(v).is_integer() else 2)
            out[f"{k}_pct"] = fmt(v * 100, lang)
            if float(v).is_integer() and 0 <= v < len(words):
                out[f"{k}_words"] = words[int(v)]
        return out

    @property
    def guess(self) -> int | None:
        """The leader's answer: an option's index, or the typed number if it is a whole number in range."""
        value = self.input.value
        if self.params.kind == "choice":
            return value
        typed = str(value).replace("%", "").replace("\u00a0", "").replace(" ", "").strip()
        n = self.params.number
        try:
            number = int(typed)
        except ValueError:
            return None
        return number if n.min <= number <= n.max else None

    def _answered(self, change=None) -> None:
        if self.revealed and not self._restoring:
            # Locked: a change after the reveal (a stale browser, a script) is undone, not saved.
            if self.input.value != self.locked_value:
                self.input.value = self.locked_value
            return
        if not self._restoring:
            self.answered = self.guess is not None
        self.changed()

    def _reveal(self, _button=None) -> None:
        if not self.answered or self.revealed or self.guess is None:
            return
        self.revealed = True
        self.locked_value = self.input.value
        self.decided()

    def answer(self, values: dict[str, float] | None = None) -> Answer:
        return ANSWERS[self.params.model](values or self.params.values, self.params.options, self.params.runs,
                                          self.params.seed)

    def explored(self) -> dict[str, float]:
        return {**self.params.values, **{k: s.value for k, s in self.sliders.items()}}

    def state(self) -> dict:
        return {"prediction": self.guess, "answered": self.answered, "revealed": self.revealed,
                **{k: s.value for k, s in self.sliders.items()}}

    def restore(self, value: dict) -> None:
        # M2's team lottery saved {"first", "touched", ...} before it became a Prediction.
        value = {**value, "answered": value.get("answered", value.get("touched"))}
        if value.get("revealed") and value.get("first") is not None:
            value["prediction"] = value["first"]
        for k, slider in self.sliders.items():
            try:
                slider.value = max(slider.min, min(slider.max, int(value[k])))
            except (KeyError, TypeError, ValueError):
                pass
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
                self.input.value = str(v)
        self.answered = bool(value.get("answered")) and self.guess is not None
        self.revealed = bool(value.get("revealed")) and self.answered
        self.locked_value = self.input.value

    def is_done(self) -> bool:
        return self.revealed

    def update(self) -> None:
        # The first answer is data: once revealed, nothing can change it.
        self.input.disabled = self.revealed
        self.reveal_button.disabled = self.revealed or not self.answered
        if self.params.kind == "number":
            typed = str(self.input.value).strip()
            n, lang = self.params.number, self.t.lang
            wrong = typed and self.guess is None and not self.revealed
            self.hint.value = (Markup("<p>{}</p>").format(self.t("exercise_kinds.prediction.not_a_number",
                                                                 min=fmt(n.min, lang), max=fmt(n.max, lang)))
                               if wrong else Markup(""))
        if self.sliders:
            self.explore.layout.display = None if self.revealed else "none"
        if not self.revealed:
            self.feedback.value = Markup("<p>{}</p>").format(self.t(f"{self.p}.unrevealed"))
            return
        if self.reveal_button.description != self.t("exercise_kinds.prediction.locked"):
            self.reveal_button.description = self.t("exercise_kinds.prediction.locked")
        answer = self.answer()
        lang = self.t.lang
        guess = self.guess
        other = []
        if self.params.kind == "choice" and not answer.bars:
            # A study's finding (model `finding`): the verdict and why, with nothing to draw.
            verdict = "right" if guess == int(answer.value) else "wrong"
            self.feedback.value = (self.t.html(f"{self.p}.result.{verdict}")
                                   + self.t.html(f"{self.p}.explanation"))
            return
        if self.params.kind == "choice":
            labels = self.t.items(f"{self.p}.short")
            values = list(answer.bars)
            colours = [ORANGE if i == guess else BLUE for i in range(len(labels))]
            hatched = [i == guess for i in range(len(labels))]
            if answer.other_bars:
                other = [{"name": self.t(f"{self.p}.other_name"), "values": [float(v) for v in answer.other_bars],
                          "color": GREY, "pattern": "hatch", "labels": [fmt(v, lang) for v in answer.other_bars]}]
            verdict = "right" if guess == int(answer.value) else "wrong"
            numbers = {"guess": labels[guess], "answer": labels[int(answer.value)],
                       **{k: fmt(v, lang, answer.decimals.get(k, 0)) for k, v in answer.numbers.items()}}
        else:
            values = [guess, answer.value]
            labels = [self.t("exercise_kinds.prediction.your_guess"), self.t("exercise_kinds.prediction.computed")]
            colours, hatched = [ORANGE, GREY], [True, False]
            diff = guess - answer.value
            verdict = ("close" if abs(diff) <= self.params.close_within else ("over" if diff > 0 else "under"))
            numbers = {"guess": fmt(guess, lang), "diff": fmt(abs(diff), lang),
                       **{k: fmt(v, lang, answer.decimals.get(k, 0)) for k, v in answer.numbers.items()}}
        self.chart.layout.display = ""
        self.feedback.value = (self.t.html(f"{self.p}.result.{verdict}", **numbers)
                               + (self.t.html(f"{self.p}.result.calm", **numbers) if other else Markup(""))
                               + self.t.html(f"{self.p}.explanation", **numbers))
        if self.params.chart == "distribution":
            self._draw_distribution()
            return
        alt = "; ".join(f"{lab}: {fmt(v, lang)}" for lab, v in zip(labels, values, strict=True))
        if other:
            alt = "; ".join(f"{lab}: {self.t(f'{self.p}.series_name')} {fmt(v, lang)}, {other[0]['name']} {o}"
                            for lab, v, o in zip(labels, values, other[0]["labels"], strict=True))
        top = max(100.0, *values)  # room after the longest bar for its value
        title = self.t(f"{self.p}.chart_title")
        self.chart.draw({
            "kind": "hbar", "title": title, "categories": labels,
            "series": [{"name": self.t(f"{self.p}.series_name") if other else "", "values": [float(v) for v in values],
                        "colors": colours, "hatched": hatched, "labels": [fmt(v, lang) for v in values]}, *other],
            "min": 0, "max": top * 1.1, "ticks": ticks(0, top, lang, most=5),
            "x_label": self.t(f"{self.p}.x_label"), "note": self.t("exercise_kinds.simulator.pedagogical_short"),
        }, self.chart_alt(title, alt))

    def _draw_distribution(self) -> None:
        """The share of runs per outcome (0, 1, 2 …) for the values the leader explores."""
        p, t = self.p, self.t
        shown = self.answer(self.explored())
        ks = range(len(shown.distribution))
        title = t(f"{p}.chart_title", **{k: fmt(v, t.lang) for k, v in self.explored().items()})
        self.chart.draw({
            "kind": "vbar", "title": title, "categories": [str(k) for k in ks],
            "series": [{"name": t(f"{p}.y_label"), "values": shown.distribution, "first_grey": True}],
            "min": 0, "max": 100, "ticks": ticks(0, 100, t.lang, most=5, unit=" %"),
            "x_label": t(f"{p}.x_label"), "y_label": t(f"{p}.y_label"),
            "note": t(f"{p}.chart_note", runs=fmt(self.params.runs, t.lang)),
        }, self.chart_alt(title, "; ".join(f"{t(f'{p}.alt_item', k=k)}: {round(s)} %"
                                         for k, s in zip(ks, shown.distribution, strict=True))))
