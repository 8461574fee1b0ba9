"""E7.1 How will your initiative spread? The leader rates their initiative (course.yaml thread) on
Rogers' five attributes (radio groups, none preset) and says how many could use it. The formula
that turns the ratings into Bass's p and q is on the page with their own numbers in it, and its
weights are theirs to change (how much each attribute counts, from not at all to twice the course's
assumption: a leader who doubts the model tries their own); the leader gets back the curve, the
month when half would use it, and the attribute whose one step of improvement brings that month
closest. The arithmetic is in widgets/compute/diffusion.py.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, model_validator

from innokraft.course.facts import registry
from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute import diffusion as dm
from .exercise import Exercise, auto_width, html_widget, labelled
from .numbers import fmt
from .svg_chart import BLUE, GREY, ORANGE, SvgChart, ticks


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    p0: float = Field(gt=0)
    q0: float = Field(ge=0)
    wp: dict[str, float]
    wq: dict[str, float]
    p_min: float = Field(gt=0)
    q_min: float = Field(ge=0)

    @model_validator(mode="after")
    def _every_attribute(self) -> Weights:
        for name in ("wp", "wq"):
            if set(getattr(self, name)) != set(dm.ATTRIBUTES):
                raise ValueError(f"formula.{name}: one weight for each of {list(dm.ATTRIBUTES)}")
        return self


class Count(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min: int = Field(ge=2)
    max: int
    value: int


class Attribute(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str


class DiffusionParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    attributes: list[Attribute]
    n: Count
    horizon_months: int = Field(ge=6, le=120)
    formula: Weights
    tie_months: float = Field(ge=0)
    # How much an attribute may count, as a multiple of the course's weights (1: as the course assumes).
    weight_choices: list[float] = Field(min_length=2)
    # Rogers' adopter categories: fact ids whose values are their shares in per cent.
    bands: list[str] = Field(min_length=5, max_length=5)

    @model_validator(mode="after")
    def _rogers(self) -> DiffusionParams:
        if [a.id for a in self.attributes] != list(dm.ATTRIBUTES):
            raise ValueError(f"attributes: Rogers' five, in this order: {list(dm.ATTRIBUTES)}")
        if 1 not in self.weight_choices or any(c < 0 for c in self.weight_choices):
            raise ValueError("weight_choices: multiples of the course's weights, 0 or more, with 1 among them")
        return self


class DiffusionSimulator(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: DiffusionParams = validated(
            DiffusionParams, exercise_data(self.page.settings.config_dir, self.page.id, self.name), where)
        w = self.params.formula
        facts = registry(str(self.page.settings.config_dir))
        self.shares = [float(facts.fact(b).value) for b in self.params.bands]
        self.course_formula = dm.Formula(w.p0, w.q0, w.wp, w.wq, w.p_min, w.q_min)
        self.p = p = f"{self.page.id}.{self.name}"
        scale = [(str(v), v) for v in range(dm.SCALE[0], dm.SCALE[1] + 1)]
        self.ratings = {a: labelled(widgets.RadioButtons, options=scale, value=None, layout=auto_width(),
                                    _dom_classes=("innokraft-scale",),
                                    description=self.t(f"{p}.attributes.{a}")) for a in dm.ATTRIBUTES}
        for radio in self.ratings.values():
            radio.observe(self.changed, "value")
        c = self.params.n
        self.count = labelled(widgets.BoundedIntText, value=c.value, min=c.min, max=c.max,
                              _dom_classes=("innokraft-number",),
                              description=self.t(f"{p}.n_label", min=fmt(c.min, self.t.lang),
                                                 max=fmt(c.max, self.t.lang)))
        self.count.observe(self.changed, "value")
        self.hint = html_widget(css="innokraft-hint")
        self.feedback = html_widget(css="innokraft-feedback")
        self.formula_box = html_widget(css="innokraft-formula")
        labels = self.t.items(f"{p}.weight_choices")
        if len(labels) != len(self.params.weight_choices):
            raise ValueError(f"course_config/text/{self.t.lang}/{self.page.id}.yaml: {self.name}.weight_choices "
                             f"names {len(labels)} choices, exercises/{self.page.id}.yaml has "
                             f"{len(self.params.weight_choices)}")
        choices = list(zip(labels, self.params.weight_choices, strict=True))
        self.weights = {a: labelled(widgets.Dropdown, options=choices, value=1, description=self.t(
                            f"{p}.weight_label", attribute=self.t(f"{p}.attributes.{a}").lower()))
                        for a in dm.ATTRIBUTES}
        for weight in self.weights.values():
            weight.observe(self.changed, "value")
        self.chart = SvgChart()
        self.children = [self.title(f"{p}.title"),
                         self.text(f"{p}.intro", initiative=self.page.initiative_text()),
                         self.text(f"{p}.scale_hint"), *self.ratings.values(), self.count, self.hint,
                         self.status, self.feedback, self.chart, self.formula_box,
                         self.text(f"{p}.weights_intro"), *self.weights.values()]

    # -- what the leader gave --------------------------------------------------------------------
    def given(self) -> dict[str, int]:
        return {a: r.value for a, r in self.ratings.items() if r.value is not None}

    def units(self) -> int:
        c = self.params.n
        return min(c.max, max(c.min, int(self.count.value or c.value)))

    def multiples(self) -> dict[str, float]:
        """How much each attribute counts, as the leader set it (1: the course's weight)."""
        return {a: float(w.value) for a, w in self.weights.items()}

    @property
    def formula(self) -> dm.Formula:
        """The course's formula with each attribute's weights times the leader's multiple."""
        f, m = self.course_formula, self.multiples()
        return dm.Formula(f.p0, f.q0, {a: f.wp[a] * m[a] for a in dm.ATTRIBUTES},
                          {a: f.wq[a] * m[a] for a in dm.ATTRIBUTES}, f.p_min, f.q_min)

    def state(self) -> dict:
        changed = {a: m for a, m in self.multiples().items() if m != 1}
        return {"ratings": self.given(), "n": self.units(), **({"weights": changed} if changed else {})}

    def restore(self, value: dict) -> None:
        if not isinstance(value, dict):
            return
        saved = value.get("ratings") if isinstance(value.get("ratings"), dict) else {}
        for a, radio in self.ratings.items():
            if saved.get(a) in range(dm.SCALE[0], dm.SCALE[1] + 1):
                radio.value = saved[a]
        try:
            self.count.value = min(self.params.n.max, max(self.params.n.min, int(value.get("n"))))
        except (TypeError, ValueError):
            pass
        weights = value.get("weights") if isinstance(value.get("weights"), dict) else {}
        for a, weight in self.weights.items():
            if weights.get(a) in self.params.weight_choices:
                weight.value = weights[a]

    def is_done(self) -> bool:
        return len(self.given()) == len(dm.ATTRIBUTES)

    # -- what the leader gets back ---------------------------------------------------------------
    def spread(self) -> dm.Spread:
        return dm.simulate(self.given(), self.units(), self.params.horizon_months, self.formula,
                           self.params.tie_months)

    def update(self) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        self.formula_box.value = self._formula_table()
        if self.rating_left(len(dm.ATTRIBUTES) - len(self.given())):
            return
        s = self.spread()
        horizon = self.params.horizon_months
        names = {a: t(f"{p}.attributes.{a}") for a in dm.ATTRIBUTES}
        saved = {a: (fmt(v, lang, 1) if v is not None else t(f"{p}.at_best")) for a, v in s.saved.items()}
        half = fmt(s.months_to_half, lang)
        out = (t.html(f"{p}.half", months=half) if s.months_to_half <= horizon
               else t.html(f"{p}.never", horizon=fmt(horizon, lang), months=half))
        if len(s.fastest) == 1:
            a = s.fastest[0]
            out += t.html(f"{p}.fastest", attribute=names[a].lower(), saved=saved[a]) + t.html(f"{p}.advice.{a}")
        elif s.fastest:
            out += t.html(f"{p}.tie", attributes=", ".join(names[a].lower() for a in s.fastest))
        self.feedback.value = out
        self.chart.layout.display = ""
        self._draw(s, names, saved, half)

    def _formula_table(self) -> Markup:
        """The formula in words and as a table of weights, with the leader's p and q once rated."""
        p, t, lang, f = self.p, self.t, self.t.lang, self.formula
        x = self.given()
        rows = Markup("").join(
            Markup("<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>").format(
                t(f"{p}.attributes.{a}"), fmt(x[a], lang) if a in x else "–",
                fmt(f.wp[a], lang, 4), fmt(f.wq[a], lang, 2)) for a in dm.ATTRIBUTES)
        head = Markup("").join(Markup("<th scope=\"col\">{}</th>").format(c) for c in t.items(f"{p}.formula_columns"))
        numbers = {"p0": fmt(f.p0, lang, 4), "q0": fmt(f.q0, lang, 2), "p_min": fmt(f.p_min, lang, 3),
                   "q_min": fmt(f.q_min, lang, 2)}
        result = Markup("")
        if self.is_done():
            pp, qq = f.pq(x)
            result = t.html(f"{p}.formula_result", p=fmt(pp, lang, 4), q=fmt(qq, lang, 3))
        if any(m != 1 for m in self.multiples().values()):
            result += t.html(f"{p}.weights_changed")
        return (Markup("<h3>{}</h3>").format(t(f"{p}.formula_title")) + t.html(f"{p}.formula", **numbers)
                + Markup('<table class="innokraft-table"><caption>{}</caption><thead><tr>{}</tr></thead>'
                         "<tbody>{}</tbody></table>").format(t(f"{p}.formula_caption"), head, rows) + result)

    def _draw(self, s: dm.Spread, names: dict[str, str], saved: dict[str, str], half: str) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        n = self.units()
        # A label each half year: 37 of them do not fit side by side on a phone.
        months = [fmt(m, lang) if m % 6 == 0 else "" for m in range(len(s.cumulative))]
        bands = dm.rogers_bands(n, self.shares)
        curve = {
            "kind": "band", "title": t(f"{p}.curve_title"), "categories": months,
            "series": [{"name": t(f"{p}.legend_total"), "kind": "line", "color": BLUE, "values": s.cumulative},
                       {"name": t(f"{p}.legend_new"), "kind": "line", "color": ORANGE, "values": s.new_per_month}],
            "min": 0, "max": n, "ticks": ticks(0, n, lang, most=5),
            "lines": [{"value": hi, "name": t(f"{p}.bands_line") if i == 0 else "", "style": "dotted"}
                      for i, (_lo, hi) in enumerate(bands[:-1])],
            "x_label": t(f"{p}.x_label"), "y_label": t(f"{p}.y_label"),
        }
        values = [v if v is not None else 0.0 for v in s.saved.values()]
        top = max([1.0, *values])
        sens = {
            "kind": "hbar", "title": t(f"{p}.sensitivity_title"), "categories": list(names.values()),
            "series": [{"name": "", "values": values, "labels": list(saved.values()),
                        "colors": [ORANGE if a in s.fastest else GREY for a in dm.ATTRIBUTES],
                        "hatched": [a not in s.fastest for a in dm.ATTRIBUTES]}],
            "min": 0, "max": top * 1.2, "ticks": ticks(0, top, lang, most=4),
            "x_label": t(f"{p}.sensitivity_axis"),
        }
        title = t(f"{p}.chart_title")
        steps = ", ".join(f"{names[a].lower()} {saved[a]}" for a in dm.ATTRIBUTES)
        at = [0, 6, 12, 18, 24, 30, 36]
        path = ", ".join(t(f"{p}.alt_point", month=fmt(m, lang), count=fmt(s.cumulative[m], lang))
                         for m in at if m < len(s.cumulative))
        self.chart.draw({"kind": "panels", "title": title, "panels": [curve, sens],
                         "note": t("exercise_kinds.simulator.pedagogical_short")},
                        self.chart_alt(title, t(f"{p}.alt", months=half, path=path, steps=steps)))
