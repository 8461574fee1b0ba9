"""A simulator with visible parameters: the leader sets inputs, may change the model's
assumptions, and sees the spread of outcomes of many runs (histogram, and a fan over time
where the model has one; bars per kind of outcome where the model counts a few kinds).
The model is named in course_config/exercises/mN.yaml and lives in widgets/compute/models.py;
the page says its parameters are pedagogical, not empirical.
"""

from __future__ import annotations

from typing import Literal

import ipywidgets as widgets
import numpy as np
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, model_validator

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.models import MODELS
from .exercise import Exercise, html_widget, labelled
from .numbers import fmt
from .svg_chart import BLUE, GREY, ORANGE, SvgChart, ticks

COLOURS = [BLUE, ORANGE, GREY]
BINS = 20


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
    # A share (0-1) the leader sets in whole per cent: a slider's readout is not localised, and
    # "0.80" with a point reads as a foreign number in a Swedish page.
    percent: bool = False

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
    # The run's numbers that are sums of money, which the model counts in thousand kronor: the
    # text says them in kronor, to the hundred ("3 200 kronor", not "3,2 tusen kronor").
    kronor: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_model(self) -> Params:
        if self.model not in MODELS:
            raise ValueError(f"model {self.model!r} is not one of {sorted(MODELS)}")
        return self


def control(spec: Control, label: str, lang: str) -> widgets.Widget | None:
    if spec.kind == "fixed":
        return None
    if spec.kind == "toggle":
        return widgets.Checkbox(value=bool(spec.value), description=label, indent=False)
    if spec.kind == "choice":
        return labelled(widgets.Dropdown, options=[(fmt(o, lang), o) for o in spec.options],
                        value=spec.value, description=label)
    if spec.percent:
        return labelled(widgets.IntSlider, value=round(spec.value * 100), min=round(spec.min * 100),
                        max=round(spec.max * 100), step=round(spec.step * 100), continuous_update=False,
                        description=label)
    cls = widgets.IntSlider if spec.decimals == 0 and float(spec.step).is_integer() else widgets.FloatSlider
    extra = {} if cls is widgets.IntSlider else {"readout_format": f".{spec.decimals}f"}
    return labelled(cls, value=spec.value, min=spec.min, max=spec.max, step=spec.step,
                    continuous_update=False, description=label, **extra)


class Simulator(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: Params = validated(Params, exercise_data(self.page.settings.config_dir, self.page.id,
                                                              self.name), where)
        self.p = f"{self.page.id}.{self.name}"
        self.specs = {s.id: s for s in [*self.params.inputs, *self.params.parameters]}
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
        self.chart = SvgChart()
        self.feedback = html_widget(css="innokraft-feedback")
        note = html_widget(Markup('<p class="innokraft-note" role="note">{}</p>').format(
            self.t("exercise_kinds.simulator.pedagogical")))
        inputs = [self.controls[s.id] for s in self.params.inputs if s.id in self.controls]
        params = [self.controls[s.id] for s in self.params.parameters if s.id in self.controls]
        fixed = [s for s in self.params.parameters if s.kind == "fixed"]
        fixed_html = Markup("")
        if fixed:
            fixed_html = Markup("<ul>{}</ul>").format(Markup("").join(
                Markup("<li>{}: {}</li>").format(self.t(f"{self.p}.parameters.{s.id}"),
                                                 fmt(s.value, self.t.lang, s.decimals))
                for s in fixed))
        self.children = [
            self.title(f"{self.p}.title"),
            self.text(f"{self.p}.intro"),
            note,
            *inputs,
            html_widget(Markup("<h3>{}</h3>{}{}").format(self.t("exercise_kinds.simulator.parameters_title"),
                                                          self.t.html(f"{self.p}.parameters_intro"), fixed_html)),
            *params,
            self.status,
            self.chart,
            self.feedback,
        ]

    def value_of(self, k: str):
        """A control's value as the model takes it (a share set in per cent as a share)."""
        w = self.controls[k]
        return w.value / 100 if self.specs[k].percent else w.value

    def values(self) -> dict[str, float]:
        out = dict(self.fixed)
        for k in self.controls:
            out[k] = float(self.value_of(k))
        return out

    def state(self) -> dict:
        return {"values": {k: self.value_of(k) for k in self.controls}, "tried": self.tried}

    def restore(self, value: dict) -> None:
        specs = self.specs
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
                w.value = round(v * 100) if spec.percent else int(v) if isinstance(w, widgets.IntSlider) else v
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
        numbers = {k: fmt(round(v * 1000, -2), lang) if k in self.params.kronor
                   else fmt(v, lang, 1 if abs(v) < 10 and not k.startswith(("p_", "share_")) else 0)
                   for k, v in result.numbers.items()}
        summary = self.t(f"{self.p}.summary", **numbers).replace("**", "")
        self.chart.draw(self.spec(result),
                        self.chart_alt(self.t(f"{self.p}.chart_title"), summary))
        self.feedback.value = self.t.html(f"{self.p}.summary", **numbers) + self.lesson(result.numbers, numbers)

    def spec(self, result) -> dict:
        """The runs' histogram (and, over time, their middle band) with the model's caveat on
        the image, so a screenshot of the chart carries it."""
        t, p, lang = self.t, self.p, self.t.lang
        spec = {"title": t(f"{p}.chart_title"), "note": t("exercise_kinds.simulator.pedagogical_short")}
        if result.outcomes and result.means:
            # The decision first (each route's expected value), then what happened in the runs.
            return {**spec, "kind": "panels", "panels": [self._means(result.means), self._per_outcome(result.outcomes)]}
        if result.outcomes:
            return {**spec, **self._per_outcome(result.outcomes)}
        data = [np.asarray(result.series[s], dtype=float) for s in self.params.series]
        low = min(float(d.min()) for d in data)
        high = max(float(d.max()) for d in data)
        if high <= low:
            high = low + 1
        edges = np.linspace(low, high, BINS + 1)
        series = [{"name": t(f"{p}.series.{sid}"), "color": COLOURS[i % 3], "hatched": [i % 3 == 1] * BINS,
                   "values": [int(c) for c in np.histogram(d, bins=edges)[0]]}
                  for i, (sid, d) in enumerate(zip(self.params.series, data, strict=True))]
        most = max(max(s["values"]) for s in series)
        hist = {"kind": "hist", "bins": [float(e) for e in edges], "series": series,
                "ticks": ticks(low, high, lang, most=5), "y_ticks": ticks(0, most, lang, most=4),
                "lines": [{"value": 0, "style": "solid"}] if low < 0 < high else [],
                "x_label": t(f"{p}.x_label"),
                "y_label": t("exercise_kinds.simulator.runs_axis", runs=fmt(self.params.runs, lang))}
        if not result.fan:
            return {**spec, **hist}
        fan = {k: [float(v) for v in vs] for k, vs in result.fan.items()}
        lo, hi = min(min(fan["p10"]), 0), max(max(fan["p90"]), 0)
        band = {"kind": "band", "categories": [fmt(i, lang) for i in range(1, len(fan["p50"]) + 1)],
                "band": {"low": fan["p10"], "high": fan["p90"], "name": t("exercise_kinds.simulator.band")},
                "series": [{"name": t("exercise_kinds.simulator.median"), "kind": "line", "color": BLUE,
                            "values": fan["p50"]}],
                "legend_single": True, "min": lo, "max": hi if hi > lo else lo + 1,
                "ticks": ticks(lo, hi, lang, most=4), "lines": [{"value": 0, "style": "solid"}],
                "x_label": t(f"{p}.step_label"), "y_label": t(f"{p}.x_label")}
        return {**spec, "kind": "panels", "panels": [hist, band]}

    def _means(self, means: dict[str, float]) -> dict:
        """Each route's expected value as a bar, left of zero when it loses (M5: introduce now,
        try first, do not do it)."""
        t, p, lang = self.t, self.p, self.t.lang
        values = [float(v) for v in means.values()]
        low, high = min(0.0, *values), max(0.0, *values)
        # Room beyond the ends for the values as text; a loss's value is written left of its bar.
        room = (high - low) * 0.25 or 1
        return {"kind": "hbar", "title": t(f"{p}.means_title"), "categories": [t(f"{p}.means.{k}") for k in means],
                "series": [{"name": "", "values": values, "colors": [COLOURS[i % 3] for i in range(len(values))],
                            "hatched": [i % 3 == 1 for i in range(len(values))],
                            "labels": [fmt(v, lang) for v in values]}],
                "min": low - (2 * room if low < 0 else 0), "max": high + room,
                "ticks": ticks(low, high, lang, most=4), "x_label": t(f"{p}.means_axis")}

    def _per_outcome(self, outcomes: dict[str, dict[str, int]]) -> dict:
        """How many runs of each series ended in each kind of outcome (M4: what happened to the
        ideas); a histogram of their values would be a few bars among empty bins."""
        t, p, lang = self.t, self.p, self.t.lang
        kinds = list(outcomes[self.params.series[0]])
        counts = [[outcomes[sid][k] for k in kinds] for sid in self.params.series]
        most = max(max(c) for c in counts)
        # Under a panel of its own the outcomes carry their own title (M5), else the chart's is theirs.
        title = {"title": t(f"{p}.outcomes_title")} if t.has(f"{p}.outcomes_title") else {}
        return {**title, "kind": "hbar", "categories": [t(f"{p}.outcomes.{k}") for k in kinds],
                "series": [{"name": t(f"{p}.series.{sid}"), "color": COLOURS[i % 3], "hatched": [i % 3 == 1] * len(c),
                            "values": c, "labels": [fmt(n, lang) for n in c]}
                           for i, (sid, c) in enumerate(zip(self.params.series, counts, strict=True))],
                "min": 0, "max": most * 1.2, "ticks": ticks(0, most, lang, most=4),
                "x_label": t(f"{p}.outcomes_axis", runs=fmt(self.params.runs, lang))}

    def lesson(self, numbers: dict[str, float], shown: dict[str, str] | None = None) -> Markup:
        """Every feedback rule of the exercise whose condition holds, in config order; a rule's
        words may quote the run's numbers as the summary does ({name})."""
        return Markup("").join(self.t.html(f"{self.p}.lessons.{rule.say}", **(shown or {}))
                               for rule in self.params.lessons if rule.holds(numbers))
