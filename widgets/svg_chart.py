"""SvgChart: the course's one chart widget, drawn by the browser as SVG from a spec (anywidget).

Python computes the numbers and the words, front/svg_chart.js only draws, so the kernel needs
no plotting library and a redraw is one small message. The spec:

    {"kind": "hbar" | "vbar" | "radar" | "hist" | "band" | "panels", "title": str,
     "categories": [str],            # hbar also: [{"id": str, "label": str, "symbol": str}]
     "series": [{"name": str, "values": [float | None], "pattern": "solid" | "hatch",
                 "color": str, "colors": [str], "hatched": [bool],   # per bar, optional
                 "labels": [str], "notes": [str],                     # per bar, optional
                 "kind": "bar" | "line" | "marker", "from_inputs": bool,
                 "style": "solid" | "dotted" | "dashed"}],   # a line's dash (band)
     "min": float, "max": float, "ticks": [{"value": float, "label": str}],
     "lines": [{"value": float, "name": str, "style": "solid" | "dotted" | "dashed"}],
     "x_label": str, "y_label": str, "note": str, "source": str,
     # hbar only:
     "unit": str, "signed": bool, "sort": "value", "labels_above": bool,
     "legend_extra": [{"symbol": str, "label": str}]}

"hbar" draws a row of bars per category, the series side by side (paired bars); with
`min` < 0 the bars grow left or right of a zero line (diverging bars), and `sort: "value"`
orders the rows by the first series. A series of kind "marker" is a diamond at its value,
its values written under the row. `labels` are the values as text ("> 50 %"); without them
a spec with a `unit` writes each value as its number ("65 %", "+2" when `signed`); `notes`
follow a value in brackets. A category given as {id, label, symbol} carries an id (for
inputs) and a symbol after its label, explained in the legend by `legend_extra`.
`labels_above` puts each category's label over its bars, which then get the whole width.
"vbar" draws vertical bars; "radar" a web; "hist" counts over numeric `bins` (edges) with
`y_ticks`; "band" draws `band: {"low": [...], "high": [...], "name": str}` and line series
over the steps in `categories`; "panels" stacks the specs in `panels` under one title,
legend and note.

`alt` is the chart in words (the SVG's accessible name); `note` (a caveat) and `source` (the
source line) are drawn on the image. Redrawing changes one trait, so the kernel sends one
message.

With `inputs` ({"id", "label", "min", "max", "step", "signed"}), the chart shows labelled
range inputs above the drawing. Series with `from_inputs` take their values from them, by
category id: a move redraws the chart in the browser at once (no trip to the kernel), then
`values` syncs to Python. `InputValue` reads and sets one input like a slider's `.value`.
"""

from __future__ import annotations

import math

import anywidget
import traitlets

from . import front_files
from .numbers import fmt

__all__ = ["BLUE", "GREY", "ORANGE", "InputValue", "SvgChart", "ticks"]

# Colours with at least 4.5:1 contrast on white, distinguishable with colour-blindness
# (front/svg_chart.js uses the same three when a series names none).
BLUE = "#1f5f99"
ORANGE = "#b34700"
GREY = "#5c5c5c"


def ticks(low: float, high: float, lang: str, most: int = 6, unit: str = "") -> list[dict]:
    """Round tick values from low to high, at most `most` of them, as the page's language writes them."""
    span = high - low
    if span <= 0:
        return [{"value": low, "label": fmt(low, lang) + unit}]
    raw = span / max(1, most - 1)
    step = min(m * 10 ** math.floor(math.log10(raw)) for m in (1, 2, 2.5, 5, 10)
               if m * 10 ** math.floor(math.log10(raw)) >= raw)
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else (1 if step % 1 else 0)
    first = math.ceil(low / step - 1e-9) * step
    out = []
    v = first
    while v <= high + 1e-9:
        out.append({"value": round(v, 10), "label": fmt(v, lang, decimals) + unit})
        v += step
    return out


class SvgChart(anywidget.AnyWidget):
    _esm = front_files.module("svg_chart.js")
    _css = front_files.FOLDER / "svg_chart.css"

    spec = traitlets.Dict(help="What to draw; see the module docstring.").tag(sync=True)
    alt = traitlets.Unicode("", help="The chart in words, for screen readers.").tag(sync=True)
    inputs = traitlets.List(help="Range inputs above the chart: id, label, min, max, step, signed.").tag(sync=True)
    values = traitlets.Dict(help="The inputs' values by id (set in the browser, or from Python).").tag(sync=True)
    disabled = traitlets.Bool(False, help="Inputs shown but not movable.").tag(sync=True)

    @property
    def alt_text(self) -> str:
        return self.alt

    def draw(self, spec: dict, alt: str) -> None:
        # One message: both traits in one hold_sync.
        with self.hold_sync():
            self.alt = alt
            self.spec = spec


class InputValue:
    """One input's value as an attribute (`chart_inputs["a"].value = 3`), like a slider's."""

    def __init__(self, chart: SvgChart, input_id: str):
        self._chart, self._id = chart, input_id

    @property
    def value(self):
        return self._chart.values.get(self._id)

    @value.setter
    def value(self, new) -> None:
        self._chart.values = {**self._chart.values, self._id: new}

    @property
    def disabled(self) -> bool:
        return self._chart.disabled
