"""M2's hook: predict how often a randomly composed team lacks a skill, then simulate it.

The prediction is locked once the simulation is shown (a first attempt). Afterwards the
leader may change the team size and the strengths per person and see the simulation
again; the parameters are on screen and labelled pedagogical. The computation is
widgets/compute/coverage.py (seeded, so every learner sees the same runs).
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from pydantic import BaseModel, Field

from innokraft.config import exercise_data, validated

from .compute.coverage import simulate_teams
from .exercise import Exercise, stacked
from .numbers import fmt
from .svg_chart import SvgChart


class Params(BaseModel):
    skills: int = Field(ge=2, le=10)
    team_size: int = Field(ge=1, le=20)
    strengths: int = Field(ge=1)
    runs: int = Field(ge=100, le=20000)
    seed: int


class TeamLottery(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: Params = validated(
            Params, exercise_data(self.page.settings.config_dir, self.page.id, self.name), where)
        self.p = p = f"{self.page.id}.{self.name}"
        t, par = self.t, self.params
        self.prediction = stacked(widgets.IntSlider(
            value=50, min=0, max=100, step=5, continuous_update=False,
            description=t(f"{p}.question", size=par.team_size, strengths=par.strengths,
                          skills=par.skills)))
        self.prediction.observe(self._predicted, "value")
        self.touched = False
        self.revealed = False
        self.first: int | None = None
        self.reveal_button = widgets.Button(description=t(f"{p}.reveal"), button_style="primary",
                                            disabled=True)
        self.reveal_button.on_click(self._reveal)
        self.team_size = stacked(widgets.IntSlider(value=par.team_size, min=2, max=12,
                                                   continuous_update=False,
                                                   description=t(f"{p}.team_size")))
        self.strengths = stacked(widgets.IntSlider(value=par.strengths, min=1, max=par.skills - 1,
                                                   continuous_update=False,
                                                   description=t(f"{p}.strengths")))
        for control in (self.team_size, self.strengths):
            control.observe(self.changed, "value")
        self.explore = widgets.VBox([self.text(f"{p}.explore"), self.team_size, self.strengths])
        self.hint = widgets.HTML()
        self.feedback = widgets.HTML()
        self.feedback.add_class("innokraft-feedback")
        self.chart = SvgChart()
        self.children = [self.title(f"{p}.title"), self.text(f"{p}.intro"), self.prediction,
                         self.hint, self.reveal_button, self.status, self.feedback, self.chart,
                         self.explore, self.text(f"{p}.pedagogical")]

    def _predicted(self, _change=None) -> None:
        if self.revealed:
            return
        if not self._restoring:
            self.touched = True
        self.changed()

    def _reveal(self, _button=None) -> None:
        if self.revealed or not self.touched:
            return
        self.first = self.prediction.value
        self.revealed = True
        self.prediction.disabled = True
        self.changed()

    def state(self) -> dict:
        return {"prediction": self.first if self.revealed else self.prediction.value,
                "touched": self.touched, "revealed": self.revealed, "first": self.first,
                "team_size": self.team_size.value, "strengths": self.strengths.value}

    def restore(self, value: dict) -> None:
        if value.get("prediction") is not None:
            self.prediction.value = max(0, min(100, int(value["prediction"])))
        self.touched = bool(value.get("touched"))
        for name in ("team_size", "strengths"):
            control = getattr(self, name)
            if value.get(name) is not None:
                control.value = max(control.min, min(control.max, int(value[name])))
        if value.get("revealed"):
            self.first = int(value.get("first", self.prediction.value))
            self.revealed = self.touched = True
            self.prediction.disabled = True

    def is_done(self) -> bool:
        return self.revealed

    def update(self) -> None:
        p, t, par = self.p, self.t, self.params
        self.reveal_button.disabled = self.revealed or not self.touched
        self.explore.layout.display = None if self.revealed else "none"
        self.chart.layout.display = None if self.revealed else "none"
        if not self.revealed:
            self.hint.value = "" if self.touched else f"<p>{html.escape(t(f'{p}.move_first'))}</p>"
            self.feedback.value = ""
            return
        self.hint.value = f"<p><em>{html.escape(t(f'{p}.locked'))}</em></p>"
        # The first answer is compared with the question as asked, whatever is explored later.
        asked = simulate_teams(par.team_size, par.strengths, par.skills, par.runs, par.seed)
        shown = simulate_teams(self.team_size.value, self.strengths.value, par.skills, par.runs,
                               par.seed)
        share = round(asked.share_missing * 100)
        gap = self.first - share
        verdict = "under" if gap < -10 else ("over" if gap > 10 else "close")
        self.feedback.value = (
            f"<p><strong>{html.escape(t(f'{p}.result', share=share, runs=fmt(par.runs, t.lang)))}</strong> "
            f"{html.escape(t(f'{p}.verdict.{verdict}', guess=self.first))}</p>" + t.html(f"{p}.lesson"))
        self._draw(shown)

    def _draw(self, result) -> None:
        p, t = self.p, self.t
        ks = list(range(len(result.missing_counts)))
        shares = [100 * c / result.runs for c in result.missing_counts]
        title = t(f"{p}.chart_title", size=self.team_size.value, strengths=self.strengths.value)
        self.chart.draw({
            "kind": "vbar", "title": title, "categories": [str(k) for k in ks],
            "series": [{"name": t(f"{p}.axis_y"), "values": shares, "first_grey": True}],
            "min": 0, "max": 100, "ticks": [{"value": v, "label": f"{v} %"} for v in (0, 25, 50, 75, 100)],
            "x_label": t(f"{p}.axis_x"), "y_label": t(f"{p}.axis_y"),
            "note": t(f"{p}.chart_note", runs=fmt(result.runs, t.lang)),
        }, f"{t('ui.chart_alt_prefix')} {title}. " + "; ".join(
            f"{t(f'{p}.alt_missing', k=k)}: {round(s)} %" for k, s in zip(ks, shares, strict=True)))
