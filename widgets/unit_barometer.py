"""E1.3 Unit barometer: rate ten factors from -3 (hinders) to +3 (helps)."""

from __future__ import annotations

import ipywidgets as widgets
from pydantic import BaseModel, Field

from innokraft.config import exercise_data, validated

from .chart import BLUE, ORANGE, Chart
from .compute.ratings import profile
from .exercise import Exercise, stacked

__all__ = ["UnitBarometer", "profile"]


class Factor(BaseModel):
    id: str
    national: str | None = Field(default=None, pattern="^(barrier|driver)$")
    source: str | None = None  # an id under sources: in facts.yaml, for a national mark


class Params(BaseModel):
    factors: list[Factor] = Field(min_length=2)


class UnitBarometer(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        data = exercise_data(self.page.settings.config_dir, self.page.id, self.name)
        self.params: Params = validated(Params, data, where)
        p = f"{self.page.id}.unit_barometer"
        self.sliders = {
            f.id: stacked(widgets.IntSlider(value=0, min=-3, max=3, step=1,
                                            continuous_update=False,
                                            description=self.t(f"{p}.factors.{f.id}")))
            for f in self.params.factors
        }
        for slider in self.sliders.values():
            slider.observe(self.changed, "value")
        self.feedback = widgets.HTML()
        self.feedback.add_class("innokraft-feedback")
        self.chart = Chart(height=4.2)
        self.children = [
            self.title(f"{p}.title"),
            self.text(f"{p}.intro"),
            self.text(f"{p}.scale_hint"),
            *self.sliders.values(),
            self.status,
            self.chart,
            self.feedback,
        ]

    def state(self) -> dict:
        return {k: s.value for k, s in self.sliders.items()}

    def restore(self, value: dict) -> None:
        for k, v in value.items():
            if k in self.sliders:
                self.sliders[k].value = max(-3, min(3, int(v)))

    def is_done(self) -> bool:
        return any(s.value != 0 for s in self.sliders.values())

    def update(self) -> None:
        p = f"{self.page.id}.unit_barometer"
        ordered, barrier, driver = profile(self.state())
        national = {f.id: f.national for f in self.params.factors}
        fig = self.chart.figure
        fig.clear()
        ax = fig.add_subplot()
        names, values = [], []
        for k, v in ordered:
            mark = " ●" if national[k] == "barrier" else (" ○" if national[k] == "driver" else "")
            names.append(self.t(f"{p}.factors.{k}") + mark)
            values.append(v)
        colours = [ORANGE if v < 0 else BLUE for v in values]
        hatches = ["//" if v < 0 else "" for v in values]
        bars = ax.barh(range(len(values)), values, color=colours, edgecolor="white")
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(range(len(names)), names, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(-3.2, 3.2)
        ax.set_xticks(range(-3, 4))
        ax.set_xlabel(f"← {self.t(f'{p}.legend_barrier')}   ·   {self.t(f'{p}.legend_driver')} →")
        ax.set_title(self.t(f"{p}.chart_title"), fontsize=11)
        ax.spines[["top", "right"]].set_visible(False)
        # A figure-level x label, so constrained layout keeps it clear of the axis label.
        from innokraft.facts import registry

        reg = registry(str(self.page.settings.config_dir))
        cites = "; ".join(dict.fromkeys(f"{reg.cite(f.source)}, {self.t('facts.country.SE')}"
                                        for f in self.params.factors if f.source))
        fig.supxlabel(f"● {self.t(f'{p}.national_barrier')}   ○ {self.t(f'{p}.national_driver')}   "
                      + self.t("facts.source_line", sources=cites), fontsize=7, x=0.01, ha="left")
        self.chart.redraw(
            f"{self.t('ui.chart_alt_prefix')} {self.t(f'{p}.chart_title')}. "
            + "; ".join(f"{self.t(f'{p}.factors.{k}')}: {v:+d}" for k, v in ordered)
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
