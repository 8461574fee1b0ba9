"""A simulator with visible parameters: the leader sets inputs, may change the model's
assumptions, and sees the spread of outcomes of many runs (histogram, and a fan over time
where the model has one). The model is named in course_config/exercises/mN.yaml and lives
in widgets/compute/models.py; the page says its parameters are pedagogical, not empirical.
"""

from __future__ import annotations

import html
import textwrap
from typing import Literal

import ipywidgets as widgets
from pydantic import BaseModel, ConfigDict, Field, model_validator

from innokraft.config import exercise_data, validated

from .chart import BLUE, GREY, MIN_FONT_PT, ORANGE, Chart
from .compute.models import MODELS
from .exercise import Exercise, stacked
from .numbers import fmt

COLOURS = [BLUE, ORANGE, GREY]
HATCHES = ["", "//", ".."]


class Control(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    kind: Literal["slider", "choice", "toggle", "fixed"] = "slider"
    min: float = 0
    max: float = 1
    step: float = 1
    value: float
    options: list[float] = Field(default_factory=list)
    decimals: int = 0

    @model_validator(mode="after")
    def _value_fits(self) -> Control:
        if self.kind == "slider" and not self.min <= self.value <= self.max:
            raise ValueError(f"value {self.value} is outside {self.min}-{self.max}")
        if self.kind == "choice" and self.value not in self.options:
            raise ValueError(f"value {self.value} is not one of the options {self.options}")
        return self


class Lesson(BaseModel):
    """Feedback shown when one of the run's numbers is above or below a limit."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    number: str
    above: float | None = None
    below: float | None = None
    say: str  # text key under <module>.<exercise>.lessons

    def holds(self, numbers: dict[str, float]) -> bool:
        value = numbers.get(self.number)
        if value is None:
            return False
        return (self.above is None or value > self.above) and (self.below is None or value < self.below)


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    model: str
    runs: int = Field(default=1000, ge=100, le=20000)
    seed: int = 0
    inputs: list[Control] = Field(min_length=1)
    parameters: list[Control] = Field(min_length=1)
    series: list[str] = Field(min_length=1)
    lessons: list[Lesson] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_model(self) -> Params:
        if self.model not in MODELS:
            raise ValueError(f"model {self.model!r} is not one of {sorted(MODELS)}")
        return self


def wrap(text: str, width: int = 32) -> str:
    """Lines that fit the 360 px figure at 13 pt (about 32 characters; a title, larger, 28)."""
    return "\n".join(textwrap.wrap(text, width)) or text


def control(spec: Control, label: str, lang: str) -> widgets.Widget | None:
    if spec.kind == "fixed":
        return None
    if spec.kind == "toggle":
        return widgets.Checkbox(value=bool(spec.value), description=label, indent=False)
    if spec.kind == "choice":
        return stacked(widgets.Dropdown(options=[(fmt(o, lang), o) for o in spec.options],
                                        value=spec.value, description=label))
    cls = widgets.IntSlider if spec.decimals == 0 and float(spec.step).is_integer() else widgets.FloatSlider
    extra = {} if cls is widgets.IntSlider else {"readout_format": f".{spec.decimals}f"}
    return stacked(cls(value=spec.value, min=spec.min, max=spec.max, step=spec.step,
                       continuous_update=False, description=label, **extra))


class Simulator(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: Params = validated(Params, exercise_data(self.page.settings.config_dir, self.page.id,
                                                              self.name), where)
        self.p = f"{self.page.id}.{self.name}"
        self.controls: dict[str, widgets.Widget] = {}
        self.fixed: dict[str, float] = {}
        for group in ("inputs", "parameters"):
            for spec in getattr(self.params, group):
                w = control(spec, self.t(f"{self.p}.{group}.{spec.id}"), self.t.lang)
                if w is None:
                    self.fixed[spec.id] = spec.value
                    continue
                w.observe(self.changed, "value")
                self.controls[spec.id] = w
        self.tried = 0
        self.chart = Chart(height=6.0)
        self.feedback = widgets.HTML()
        self.feedback.add_class("innokraft-feedback")
        note = widgets.HTML(f'<p class="innokraft-note" role="note">'
                            f'{html.escape(self.t("exercise_kinds.simulator.pedagogical"))}</p>')
        inputs = [self.controls[s.id] for s in self.params.inputs if s.id in self.controls]
        params = [self.controls[s.id] for s in self.params.parameters if s.id in self.controls]
        fixed = [s for s in self.params.parameters if s.kind == "fixed"]
        fixed_html = ""
        if fixed:
            fixed_html = "<ul>" + "".join(
                f"<li>{html.escape(self.t(f'{self.p}.parameters.{s.id}'))}: "
                f"{html.escape(fmt(s.value, self.t.lang, s.decimals))}</li>" for s in fixed) + "</ul>"
        self.children = [
            self.title(f"{self.p}.title"),
            self.text(f"{self.p}.intro"),
            note,
            *inputs,
            widgets.HTML(f"<h3>{html.escape(self.t('exercise_kinds.simulator.parameters_title'))}</h3>"
                         f"{self.t.html(f'{self.p}.parameters_intro')}{fixed_html}"),
            *params,
            self.status,
            self.chart,
            self.feedback,
        ]

    def values(self) -> dict[str, float]:
        out = dict(self.fixed)
        for k, w in self.controls.items():
            out[k] = float(w.value)
        return out

    def state(self) -> dict:
        return {"values": {k: w.value for k, w in self.controls.items()}, "tried": self.tried}

    def restore(self, value: dict) -> None:
        specs = {s.id: s for s in [*self.params.inputs, *self.params.parameters]}
        for k, v in (value.get("values") or {}).items():
            w, spec = self.controls.get(k), specs.get(k)
            if w is None or spec is None:
                continue
            try:
                v = float(v)
            except (TypeError, ValueError):
                continue
            if spec.kind == "toggle":
                w.value = bool(v)
            elif spec.kind == "choice":
                if v in spec.options:
                    w.value = v
            elif spec.min <= v <= spec.max:
                w.value = int(v) if isinstance(w, widgets.IntSlider) else v
        self.tried = int(value.get("tried") or 0)

    def changed(self, *args) -> None:
        if not self._restoring:
            self.tried += 1
        super().changed(*args)

    def is_done(self) -> bool:
        return self.tried > 0

    def run(self):
        return MODELS[self.params.model](self.values(), self.params.runs, self.params.seed)

    def update(self) -> None:
        result = self.run()
        lang = self.t.lang
        with self.chart.style():
            self._draw(result)
        numbers = {k: fmt(v, lang, 1 if abs(v) < 10 and not k.startswith(("p_", "share_")) else 0)
                   for k, v in result.numbers.items()}
        summary = self.t(f"{self.p}.summary", **numbers)
        self.chart.redraw(f"{self.t('ui.chart_alt_prefix')} {self.t(f'{self.p}.chart_title')}. {summary}")
        self.feedback.value = self.t.html(f"{self.p}.summary", **numbers) + self.lesson(result.numbers)

    def _draw(self, result) -> None:
        """The runs' histogram (and, over time, their middle band) for a phone-wide figure."""
        fig = self.chart.figure
        fig.clear()
        axes = fig.subplots(2 if result.fan else 1, 1, squeeze=False)[:, 0]
        ax = axes[0]
        data = [result.series[s] for s in self.params.series]
        low = min(float(d.min()) for d in data)
        high = max(float(d.max()) for d in data)
        bins = 24 if high > low else 1
        for i, (sid, d) in enumerate(zip(self.params.series, data, strict=True)):
            ax.hist(d, bins=bins, range=(low, high if high > low else low + 1), alpha=0.65 if len(data) > 1 else 0.9,
                    color=COLOURS[i % 3], hatch=HATCHES[i % 3], edgecolor="white",
                    label=wrap(self.t(f"{self.p}.series.{sid}")))
        ax.axvline(0, color="black", linewidth=1)
        ax.set_xlabel(wrap(self.t(f"{self.p}.x_label")))
        ax.set_ylabel(wrap(self.t("exercise_kinds.simulator.runs_axis", runs=self.params.runs), 24))
        ax.set_title(wrap(self.t(f"{self.p}.chart_title"), 28))
        ax.spines[["top", "right"]].set_visible(False)
        if result.fan:
            steps = list(range(1, len(result.fan["p50"]) + 1))
            fan = axes[1]
            fan.fill_between(steps, result.fan["p10"], result.fan["p90"], color=BLUE, alpha=0.25,
                             label=wrap(self.t("exercise_kinds.simulator.band")))
            fan.plot(steps, result.fan["p50"], color=BLUE, linewidth=2,
                     label=wrap(self.t("exercise_kinds.simulator.median")))
            fan.axhline(0, color="black", linewidth=1)
            fan.set_xlabel(wrap(self.t(f"{self.p}.step_label")))
            fan.set_ylabel(wrap(self.t(f"{self.p}.x_label"), 24))
            fan.set_xticks(steps)
            fan.spines[["top", "right"]].set_visible(False)
        # One block under the plots, placed by constrained layout (never over the bars, never
        # over an axis label): the model's caveat, then what each colour is.
        handles, labels = [], []
        for a in axes if len(data) > 1 else axes[1:]:
            for h, label in zip(*a.get_legend_handles_labels(), strict=True):
                handles.append(h)
                labels.append(label)
        fig.legend(handles, labels, loc="outside lower center", frameon=False,
                   title=wrap(self.t("exercise_kinds.simulator.pedagogical_short")),
                   title_fontsize=MIN_FONT_PT)

    def lesson(self, numbers: dict[str, float]) -> str:
        """Every feedback rule of the exercise whose condition holds, in config order."""
        return "".join(self.t.html(f"{self.p}.lessons.{rule.say}") for rule in self.params.lessons
                       if rule.holds(numbers))
