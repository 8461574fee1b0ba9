"""E1.1 Myth or data? Guess five shares, then compare them with the surveys."""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets
from pydantic import BaseModel, Field

from innokraft.config import exercise_data, validated

from .chart import BLUE, GREY, Chart
from .exercise import Exercise, stacked


class Fact(BaseModel):
    id: str
    value: float = Field(ge=0, le=100)
    source: str


class Params(BaseModel):
    facts: list[Fact] = Field(min_length=1)


@dataclass(frozen=True)
class Score:
    errors: dict[str, float]
    mean_error: float
    closest: str
    farthest: str


def score_predictions(predictions: dict[str, float], facts: dict[str, float]) -> Score:
    """Absolute error per fact (percentage points), their mean, and the best and worst guess."""
    errors = {k: abs(float(predictions[k]) - float(v)) for k, v in facts.items()}
    ordered = sorted(errors, key=lambda k: (errors[k], k))
    return Score(errors, sum(errors.values()) / len(errors), ordered[0], ordered[-1])


class MythOrData(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        data = exercise_data(self.page.settings.config_dir, self.page.id, self.name)
        self.params: Params = validated(Params, data, where)
        self.sliders = {
            f.id: stacked(widgets.IntSlider(
                value=50, min=0, max=100, step=5, continuous_update=False,
                description=f"{i}. " + self.t(f"{self.page.id}.myth_or_data.facts.{f.id}"),
            ))
            for i, f in enumerate(self.params.facts, start=1)
        }
        for slider in self.sliders.values():
            slider.observe(self.changed, "value")
        self.revealed = False
        self.reveal_button = widgets.Button(
            description=self.t(f"{self.page.id}.myth_or_data.reveal"), button_style="primary",
            tooltip=self.t(f"{self.page.id}.myth_or_data.reveal"),
        )
        self.reveal_button.on_click(self._reveal)
        self.feedback = widgets.HTML()
        self.feedback.add_class("innokraft-feedback")
        self.chart = Chart()
        self.children = [
            self.title(f"{self.page.id}.myth_or_data.title"),
            self.text(f"{self.page.id}.myth_or_data.intro"),
            *self.sliders.values(),
            self.reveal_button,
            self.status,
            self.chart,
            self.feedback,
        ]

    def _reveal(self, _button=None) -> None:
        self.revealed = True
        self.changed()

    def state(self) -> dict:
        return {"predictions": {k: s.value for k, s in self.sliders.items()},
                "revealed": self.revealed}

    def restore(self, value: dict) -> None:
        for k, v in (value.get("predictions") or {}).items():
            if k in self.sliders:
                self.sliders[k].value = int(v)
        self.revealed = bool(value.get("revealed"))

    def is_done(self) -> bool:
        return self.revealed

    def update(self) -> None:
        p = f"{self.page.id}.myth_or_data"
        predictions = {k: s.value for k, s in self.sliders.items()}
        facts = {f.id: f.value for f in self.params.facts}
        labels = [f"{i}" for i in range(1, len(facts) + 1)]
        fig = self.chart.figure
        fig.clear()
        ax = fig.add_subplot()
        ys = range(len(facts))
        ax.barh([y + 0.2 for y in ys], list(predictions.values()), height=0.4, color=BLUE,
                label=self.t(f"{p}.your_guess"))
        if self.revealed:
            ax.barh([y - 0.2 for y in ys], list(facts.values()), height=0.4, color=GREY,
                    hatch="//", edgecolor="white", label=self.t(f"{p}.source_value"))
            for y, f in zip(ys, self.params.facts, strict=True):
                ax.text(f.value + 1, y - 0.2, f"{f.value:.0f} [{f.source}]", va="center",
                        fontsize=8)
        ax.set_yticks(list(ys), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 110)
        ax.set_xlabel("%")
        ax.set_title(self.t(f"{p}.chart_title"), fontsize=11)
        ax.legend(loc="lower right", fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        alt_parts = [f"{i}. {self.t(f'{p}.facts.{k}')}: {predictions[k]}"
                     + (f" / {facts[k]:.0f}" if self.revealed else "")
                     for i, k in enumerate(facts, start=1)]
        self.chart.redraw(f"{self.t('ui.chart_alt_prefix')} {self.t(f'{p}.chart_title')}. "
                          + "; ".join(alt_parts))
        if not self.revealed:
            self.feedback.value = f"<p>{html.escape(self.t(f'{p}.unrevealed'))}</p>"
            return
        score = score_predictions(predictions, facts)
        self.feedback.value = "".join([
            f"<p><strong>{html.escape(self.t(f'{p}.mean_error', error=round(score.mean_error)))}</strong></p>",
            f"<p>{html.escape(self.t(f'{p}.closest', fact=self.t(f'{p}.facts.{score.closest}')))}<br>",
            f"{html.escape(self.t(f'{p}.farthest', fact=self.t(f'{p}.facts.{score.farthest}')))}</p>",
            self.t.html(f"{p}.caveat"),
        ])
