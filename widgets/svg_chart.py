"""SvgChart: a chart drawn by the browser as SVG from a small spec (anywidget).

The course's computed charts: Python computes the numbers and the words, front/svg_chart.js
only draws, so the kernel needs no plotting library and a redraw is one small message.
The spec:

    {"kind": "hbar" | "vbar" | "radar" | "hist" | "band" | "panels", "title": str,
     "categories": [str],
     "series": [{"name": str, "values": [float], "pattern": "solid" | "hatch",
                 "color": str, "colors": [str], "hatched": [bool],   # per bar, optional
                 "labels": [str], "kind": "bar" | "line"}],            # labels: values as text
     "min": float, "max": float, "ticks": [{"value": float, "label": str}],
     "lines": [{"value": float, "name": str, "style": "solid" | "dotted" | "dashed"}],
     "x_label": str, "y_label": str, "note": str}

"hist" draws counts over numeric `bins` (edges) with `y_ticks`; "band" draws
`band: {"low": [...], "high": [...], "name": str}` and line series over the steps in
`categories`; "panels" stacks the specs in `panels` under one title, legend and note.

`alt` is the chart in words (the SVG's accessible name); `note` is drawn on the image
(its source line or caveat). Redrawing changes one trait, so the kernel sends one message.
"""

from __future__ import annotations

import math
from pathlib import Path

import anywidget
import traitlets

from .bar_chart import BLUE, GREY, ORANGE
from .numbers import fmt

__all__ = ["BLUE", "GREY", "ORANGE", "SvgChart", "ticks"]

FRONT = Path(__file__).parent / "front"


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
    _esm = FRONT / "svg_chart.js"
    _css = FRONT / "svg_chart.css"

    spec = traitlets.Dict(help="What to draw; see the module docstring.").tag(sync=True)
    alt = traitlets.Unicode("", help="The chart in words, for screen readers.").tag(sync=True)

    @property
    def alt_text(self) -> str:
        return self.alt

    def draw(self, spec: dict, alt: str) -> None:
        # One message: both traits in one hold_sync.
        with self.hold_sync():
            self.alt = alt
            self.spec = spec
