"""E1.1 Myth or data? Guess five shares and one finding, then compare them with the surveys.

The guesses are a first attempt: the answers can be shown only once every guess is made,
and then the guesses are locked and stored as they were (`first`), never overwritten.
The values come from course_config/facts.yaml by id; the computation is
widgets/compute/predictions.py.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup
from pydantic import BaseModel, Field

from innokraft.course.facts import registry
from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.predictions import Target, score_predictions
from .exercise import Exercise, auto_width, button, html_widget, labelled
from .svg_chart import BLUE, GREY, InputValue, SvgChart, ticks


class Item(BaseModel):
    id: str
    fact: str


class Finding(BaseModel):
    """A prediction with options, e.g. "did a strategy make workplaces more innovative?"."""

    id: str
    options: int = Field(ge=2, le=5)
    correct: int = Field(ge=0)
    source: str


class Params(BaseModel):
    facts: list[Item] = Field(min_length=1)
    finding: Finding | None = None


class MythOrData(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        data = exercise_data(self.page.settings.config_dir, self.page.id, self.name)
        self.params: Params = validated(Params, data, where)
        self.registry = registry(str(self.page.settings.config_dir))
        self.p = p = f"{self.page.id}.{self.name}"
        # The guesses are range inputs drawn by the chart itself: a move redraws the chart in
        # the browser at once, and reaches the kernel (to be saved) after.
        self.chart = SvgChart(
            # No preset guess: a 50 anchors (content review D4); an input says it has none yet.
            inputs=[{"id": f.id, "label": f"{i}. " + self.t(f"{p}.facts.{f.id}"), "min": 0, "max": 100, "step": 5,
                     "unset": self.t("exercise_kinds.prediction.no_guess")}
                    for i, f in enumerate(self.params.facts, start=1)],
            values={},
        )
        self.sliders = {f.id: InputValue(self.chart, f.id) for f in self.params.facts}
        self.moved: set[str] = set()
        self.chart.observe(self._values_moved, "values")
        self.finding = None
        if self.params.finding is not None:
            options = self.t.items(f"{p}.finding.options")
            if len(options) != self.params.finding.options:
                raise ValueError(f"text {p}.finding.options lists {len(options)} options, "
                                 f"exercises/{self.page.id}.yaml says {self.params.finding.options}")
            self.finding = labelled(
                widgets.RadioButtons, options=[(o, i) for i, o in enumerate(options)], value=None,
                description=f"{len(self.sliders) + 1}. " + self.t(f"{p}.finding.question"), layout=auto_width())
            self.finding.observe(lambda change: self._moved("finding"), "value")
        self.revealed = False
        self.first: dict | None = None
        self.reveal_button = button(self.t(f"{p}.reveal"), button_style="primary", disabled=True)
        self.reveal_button.on_click(self._reveal)
        self.hint = html_widget()
        self.feedback = html_widget(css="innokraft-feedback")
        self.children = [
            self.text_block(f"{p}.title", f"{p}.intro"),
            self.chart,
            *([self.finding] if self.finding else []),
            self.hint,
            self.reveal_button,
            self.status,
            self.feedback,
        ]

    # -- answers ----------------------------------------------------------------------------
    @property
    def _needed(self) -> set[str]:
        return set(self.sliders) | ({"finding"} if self.finding else set())

    def _values_moved(self, change) -> None:
        old, new = change["old"] or {}, change["new"] or {}
        for key in new:
            if old.get(key) != new[key]:
                self._moved(key)

    def _moved(self, key: str) -> None:
        if self.revealed:
            return
        if not self._restoring:
            self.moved.add(key)
        self.changed()

    def _current(self) -> dict:
        out = {"predictions": {k: s.value for k, s in self.sliders.items()}}
        if self.finding is not None:
            out["finding"] = self.finding.value
        return out

    def _reveal(self, _button=None) -> None:
        if self.revealed or not self._needed <= self.moved:
            return
        self.first = self._current()
        self.revealed = True
        self._lock()
        self.decided()

    def _lock(self) -> None:
        self.chart.disabled = True
        if self.finding is not None:
            self.finding.disabled = True
        self.reveal_button.disabled = True

    def state(self) -> dict:
        shown = self.first if self.revealed else self._current()
        return {**shown, "moved": sorted(self.moved), "revealed": self.revealed,
                "first": self.first}

    def restore(self, value: dict) -> None:
        saved = value.get("first") if value.get("revealed") else value
        saved = saved or value
        for k, v in (saved.get("predictions") or {}).items():
            if k in self.sliders and isinstance(v, int | float):
                self.sliders[k].value = max(0, min(100, int(v)))
        if self.finding is not None and saved.get("finding") is not None:
            choice = int(saved["finding"])
            if 0 <= choice < len(self.finding.options):
                self.finding.value = choice
        self.moved = set(value.get("moved") or []) & self._needed
        if value.get("revealed"):
            # Older saves (before the lock) have no "first": their predictions are the first.
            self.first = value.get("first") or self._current()
            self.revealed = True
            self.moved = set(self._needed)
            self._lock()

    def is_done(self) -> bool:
        return self.revealed

    # -- showing ----------------------------------------------------------------------------
    def _targets(self) -> dict[str, Target]:
        out = {}
        for item in self.params.facts:
            fact = self.registry.fact(item.fact)
            out[item.id] = Target(fact.value, fact.comparator if fact.lower_bound else "=")
        return out

    def update(self) -> None:
        p = self.p
        t = self.t
        answers = self.first if self.revealed else self._current()
        predictions = answers["predictions"]
        targets = self._targets()
        facts = {item.id: item.fact for item in self.params.facts}
        if not self.revealed:
            missing = len(self._needed - self.moved)
            self.reveal_button.disabled = missing > 0
            self.hint.value = Markup("<p>{}</p>").format(t(f"{p}.reveal_hint", count=missing)) if missing else ""
        else:
            self.hint.value = Markup("<p><em>{}</em></p>").format(t(f"{p}.locked"))
        self._draw(predictions, facts)
        if not self.revealed:
            self.feedback.value = Markup("<p>{}</p>").format(t(f"{p}.unrevealed"))
            return
        score = score_predictions(predictions, targets)
        bias = round(score.bias)
        bias_key = "bias_under" if bias < -2 else ("bias_over" if bias > 2 else "bias_none")
        parts = [
            Markup("<p><strong>{}</strong> {}</p>").format(t(f"{p}.mean_error", error=round(score.mean_error)),
                                                          t(f"{p}.{bias_key}", points=abs(bias))),
            Markup("<p>{}<br>{}</p>").format(t(f"{p}.closest", fact=t(f"{p}.short.{score.closest}")),
                                             t(f"{p}.farthest", fact=t(f"{p}.short.{score.farthest}"))),
        ]
        if self.finding is not None:
            f = self.params.finding
            verdict = "finding_right" if answers.get("finding") == f.correct else "finding_wrong"
            parts.append(Markup("<p><strong>{}</strong> {}</p>").format(
                t(f"{p}.{verdict}"), t.html_inline(f"{p}.finding.explanation")))
        parts.append(t.html(f"{p}.caveat"))
        self.feedback.value = Markup("").join(parts)

    def _draw(self, predictions: dict, facts: dict[str, str]) -> None:
        p, t, reg = self.p, self.t, self.registry
        keys = list(facts)
        series = [{"name": t(f"{p}.your_guess"), "color": BLUE, "from_inputs": True}]
        if self.revealed:
            # "More than half" is drawn to 50 with an arrow onwards, labelled "> 50 %".
            series.append({
                "name": t(f"{p}.source_value"), "color": GREY, "pattern": "hatch",
                "values": [reg.fact(facts[k]).value for k in keys],
                "labels": [reg.short(facts[k], t) + (" →" if reg.fact(facts[k]).comparator == ">" else "")
                           for k in keys]})
        source = reg.source_line(facts.values(), t)
        none = t("exercise_kinds.prediction.no_guess")
        alt = [f"{t(f'{p}.short.{k}')}: {t(f'{p}.your_guess')} {none if predictions.get(k) is None else predictions[k]}"
               + (f", {t(f'{p}.source_value')} {reg.short(facts[k], t)} ({reg.where(facts[k], t)})"
                  if self.revealed else "")
               for k in keys]
        self.chart.draw(
            {"kind": "hbar", "title": t(f"{p}.chart_title"), "unit": "%", "min": 0, "max": 100,
             "ticks": ticks(0, 100, t.lang, most=3, unit=" %"), "labels_above": True,
             "categories": [{"id": k, "label": t(f"{p}.short.{k}")} for k in keys], "series": series,
             "source": source if self.revealed else ""},
            alt=self.chart_alt(t(f"{p}.chart_title"), "; ".join(alt) + (f". {source}" if self.revealed else "")),
        )
