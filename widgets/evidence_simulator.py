"""E5.1 The evidence simulator: a prediction first, then pilots to explore.

The hook is a Prediction (typed guess, locked once revealed): how often does a small pilot of an
idea that truly works pass its requirement? After the answer the leader moves four range inputs
on a chart (pilot size, requirement, how often it works today and with the idea; the browser's
own inputs, so mouse, finger and arrow keys all work) and gets back the simulated pilots, the
chance of passing by size for a good idea and for one no better than today, the chance that a
rerun flips the verdict, and the fewest participants that are enough by the course's rule of
thumb. The arithmetic is in widgets/compute/evidence.py.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .compute import evidence as ev
from .exercise import html_widget
from .numbers import fmt, percent
from .prediction import Params, Prediction
from .svg_chart import BLUE, GREY, ORANGE, SvgChart, ticks

SETTINGS = ("n", "criterion", "p_true", "p_today")


class Range(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    min: int = Field(ge=0)
    max: int = Field(le=ev.MOST)
    step: int = Field(default=1, ge=1)


class EvidenceParams(Params):
    ranges: list[Range] = Field(min_length=1)
    curve_n: list[int] = Field(min_length=2)

    @model_validator(mode="after")
    def _ranges_fit(self) -> EvidenceParams:
        if set(self.values) != set(SETTINGS):
            raise ValueError(f"values: the pilot needs exactly {list(SETTINGS)}")
        for r in self.ranges:
            if r.id not in SETTINGS:
                raise ValueError(f"ranges: {r.id!r} is not one of {list(SETTINGS)}")
            if not r.min <= self.values[r.id] <= r.max:
                raise ValueError(f"ranges: {r.id} = {self.values[r.id]} is outside {r.min}-{r.max}")
        if not all(1 <= n <= ev.MOST for n in self.curve_n) or self.curve_n != sorted(set(self.curve_n)):
            raise ValueError(f"curve_n: increasing pilot sizes from 1 to {ev.MOST}")
        return self


class EvidenceSimulator(Prediction):
    params_class = EvidenceParams

    def _build(self) -> None:
        super()._build()
        p, t = self.p, self.t
        self.explorer = SvgChart(
            inputs=[{"id": r.id, "label": t(f"{p}.inputs.{r.id}"), "min": r.min, "max": r.max, "step": r.step}
                    for r in self.params.ranges],
            values=self._start())
        self.explorer.observe(self._moved, "values")
        self.reading = html_widget(css="innokraft-feedback")
        self.explore_box = widgets.VBox([self.text_block(f"{p}.explore_title", f"{p}.explore"),
                                         self.explorer, self.reading])
        self.children += (self.explore_box,)

    def _start(self) -> dict[str, int]:
        return {r.id: int(self.params.values[r.id]) for r in self.params.ranges}

    def shown(self) -> dict[str, str]:
        v = self.params.values
        return {**super().shown(), "k": fmt(ev.threshold(int(v["n"]), v["criterion"] / 100), self.t.lang)}

    # -- what the leader explores --------------------------------------------------------------
    def explored_values(self) -> dict[str, int]:
        """The pilot as the inputs set it, each kept in its range (the browser may send anything)."""
        out = {k: int(v) for k, v in self.params.values.items()}
        given = self.explorer.values or {}
        for r in self.params.ranges:
            try:
                value = int(round(float(given.get(r.id, out[r.id]))))
            except (TypeError, ValueError):
                continue
            out[r.id] = min(r.max, max(r.min, value))
        return out

    def _moved(self, change) -> None:
        kept = {r.id: self.explored_values()[r.id] for r in self.params.ranges}
        if kept != change["new"]:
            self.explorer.values = kept  # a value out of range, put back within it
            return
        self.changed()

    def state(self) -> dict:
        return {**super().state(), "explored": self.explored_values()}

    def restore(self, value: dict) -> None:
        super().restore(value)
        saved = value.get("explored")
        if isinstance(saved, dict):
            self.explorer.values = {**self._start(), **{k: v for k, v in saved.items() if k in self._start()}}
            kept = {r.id: self.explored_values()[r.id] for r in self.params.ranges}
            if kept != self.explorer.values:
                self.explorer.values = kept

    def update(self) -> None:
        super().update()
        self.explore_box.layout.display = None if self.revealed else "none"
        if self.revealed:
            self._explore()

    def _explore(self) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        v = self.explored_values()
        n, criterion = v["n"], v["criterion"] / 100
        p_true, p_today = v["p_true"] / 100, v["p_today"] / 100
        k = ev.threshold(n, criterion)
        e = ev.evidence(n, k, p_today, p_true, criterion)
        pilots = ev.simulate_pilots(n, p_true, k, self.params.runs, self.params.seed)
        under, over = t("exercise_kinds.share.under_one"), t("exercise_kinds.share.over_99")
        pct = lambda x: percent(x, lang, under, over)  # noqa: E731
        numbers = {"n": fmt(n, lang), "k": fmt(k, lang), "power": pct(e.power), "false_pass": pct(e.false_pass),
                   "flip": pct(e.flip), "runs": fmt(self.params.runs, lang),
                   "power_goal": pct(ev.POWER_GOAL), "false_goal": pct(ev.FALSE_PASS_GOAL)}
        advice = (t.html(f"{p}.enough", **numbers, min_n=fmt(e.min_n, lang)) if e.min_n is not None
                  else t.html(f"{p}.not_enough", **numbers, max_n=fmt(ev.MOST, lang)))
        self.reading.value = t.html(f"{p}.summary", **numbers) + advice

        shares = [100 * s for s in pilots.shares()]
        good = [100 * x for x in ev.curve(p_true, criterion, self.params.curve_n)]
        same = [100 * x for x in ev.curve(p_today, criterion, self.params.curve_n)]
        top = max(shares)
        dist = {
            "kind": "hist", "title": t(f"{p}.dist_title", n=fmt(n, lang)),
            "bins": [x - 0.5 for x in range(n + 2)],
            # The pilots that pass in the palette's blue, those that fail grey and hatched.
            "series": [{"name": "", "values": shares, "colors": [BLUE if x >= k else GREY for x in range(n + 1)],
                        "hatched": [x < k for x in range(n + 1)]}],
            "ticks": ticks(0, n, lang, most=6), "y_ticks": ticks(0, top, lang, most=4, unit=" %"),
            "lines": [{"value": k - 0.5, "name": t(f"{p}.threshold_line", k=fmt(k, lang)), "style": "dashed"}],
            "x_label": t(f"{p}.dist_x"), "y_label": t(f"{p}.dist_y", runs=fmt(self.params.runs, lang)),
        }
        sizes = [fmt(s, lang) for s in self.params.curve_n]
        curve = {
            "kind": "band", "title": t(f"{p}.curve_title"), "categories": sizes,
            "series": [{"name": t(f"{p}.legend_good"), "kind": "line", "color": BLUE, "values": good},
                       {"name": t(f"{p}.legend_same"), "kind": "line", "color": ORANGE, "values": same}],
            "min": 0, "max": 100, "ticks": ticks(0, 100, lang, most=5, unit=" %"),
            "lines": [{"value": 100 * ev.POWER_GOAL, "name": t(f"{p}.goal_lines"), "style": "dotted"},
                      {"value": 100 * ev.FALSE_PASS_GOAL, "style": "dotted"}],
            "x_label": t(f"{p}.curve_x"), "y_label": t(f"{p}.curve_y"),
        }
        title = t(f"{p}.explore_chart")
        lines = "; ".join(t(f"{p}.curve_alt", name=name, values=", ".join(
            f"{s}: {fmt(y, lang)} %" for s, y in zip(sizes, ys, strict=True)))
            for name, ys in ((t(f"{p}.legend_good"), good), (t(f"{p}.legend_same"), same)))
        summary = Markup(self.reading.value).striptags()
        self.explorer.draw({"kind": "panels", "title": title, "panels": [dist, curve],
                            "note": t("exercise_kinds.simulator.pedagogical_short")},
                           self.chart_alt(title, f"{summary} {lines}"))
