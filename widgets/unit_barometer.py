"""E1.3 Unit barometer: rate ten factors from -3 (hinders) to +3 (helps)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.ratings import profile
from .exercise import Exercise, html_widget
from .numbers import signed
from .svg_chart import BLUE, InputValue, SvgChart

__all__ = ["UnitBarometer", "profile"]


class Factor(BaseModel):
    id: str
    national: str | None = Field(default=None, pattern="^(barrier|driver)$")
    source: str | None = None  # an id under sources: in facts.yaml, for a national mark


class Params(BaseModel):
    factors: list[Factor] = Field(min_length=2)


class UnitBarometer(Exercise):
    """Ten ratings on range inputs drawn by the chart itself: a move redraws in the browser."""

    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        data = exercise_data(self.page.settings.config_dir, self.page.id, self.name)
        self.params: Params = validated(Params, data, where)
        p = f"{self.page.id}.unit_barometer"
        self.chart = SvgChart(
            inputs=[{"id": f.id, "label": self.t(f"{p}.factors.{f.id}"), "min": -3, "max": 3, "step": 1,
                     "signed": True} for f in self.params.factors],
            values={f.id: 0 for f in self.params.factors},
        )
        self.sliders = {f.id: InputValue(self.chart, f.id) for f in self.params.factors}
        self.chart.observe(self.changed, "values")
        self.feedback = html_widget(css="innokraft-feedback")
        self.children = [
            self.text_block(f"{p}.title", f"{p}.intro", f"{p}.scale_hint"),
            self.chart,
            self.status,
            self.feedback,
        ]

    def state(self) -> dict:
        return {k: s.value for k, s in self.sliders.items()}

    def restore(self, value: dict) -> None:
        self.chart.values = {k: max(-3, min(3, int(value.get(k, s.value)))) for k, s in self.sliders.items()}

    def is_done(self) -> bool:
        return any(s.value != 0 for s in self.sliders.values())

    def _source_line(self) -> str:
        from innokraft.course.facts import registry

        reg = registry(str(self.page.settings.config_dir))
        cites = "; ".join(dict.fromkeys(f"{reg.cite(f.source)}, {self.t('facts.country.SE')}"
                                        for f in self.params.factors if f.source))
        return self.t("facts.source_line", sources=cites) if cites else ""

    def update(self) -> None:
        p = f"{self.page.id}.unit_barometer"
        ordered, barrier, driver = profile(self.state())
        symbols = {"barrier": "●", "driver": "○"}
        # Diverging bars from zero, smallest first, drawn from the inputs' values in the browser.
        self.chart.draw(
            {"kind": "hbar", "title": self.t(f"{p}.chart_title"), "min": -3, "max": 3, "unit": "", "signed": True,
             "sort": "value", "labels_above": True,
             "ticks": [{"value": v, "label": signed(v, self.t.lang)} for v in range(-3, 4)],
             "categories": [{"id": f.id, "label": self.t(f"{p}.factors.{f.id}"),
                             "symbol": symbols.get(f.national or "", "")} for f in self.params.factors],
             "series": [{"name": self.t(f"{p}.chart_title"), "color": BLUE, "from_inputs": True}],
             "x_label": f"← {self.t(f'{p}.legend_barrier')}   ·   {self.t(f'{p}.legend_driver')} →",
             "legend_extra": [{"symbol": "●", "label": self.t(f"{p}.national_barrier")},
                              {"symbol": "○", "label": self.t(f"{p}.national_driver")}],
             "source": self._source_line()},
            alt=self.chart_alt(self.t(f"{p}.chart_title"), "; ".join(
                f"{self.t(f'{p}.factors.{k}')}: {signed(v, self.t.lang)}" for k, v in ordered)),
        )
        parts = []
        if barrier:
            parts.append(self.t.html(f"{p}.top_barrier", factor=self.t(f"{p}.factors.{barrier}"),
                                     advice=self.t(f"{p}.advice.{barrier}")))
        else:
            parts.append(self.t.html(f"{p}.no_barrier"))
        if driver:
            parts.append(self.t.html(f"{p}.top_driver", factor=self.t(f"{p}.factors.{driver}")))
        self.feedback.value = "".join(parts)
