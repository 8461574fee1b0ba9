"""SvgChart: a chart drawn by the browser as SVG from a small spec (anywidget).

Used by M2's exercises until the shared chart component is on main. Python computes the
numbers and the words; front/svg_chart.js only draws. The spec:

    {"kind": "hbar" | "vbar" | "radar", "title": str, "categories": [str],
     "series": [{"name": str, "values": [float], "pattern": "solid" | "hatch"}],
     "min": float, "max": float, "ticks": [{"value": float, "label": str}],
     "x_label": str, "y_label": str, "note": str}

`alt` is the chart in words (the SVG's accessible name); `note` is drawn on the image
(its source line). Redrawing changes one trait, so the kernel sends one message.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

FRONT = Path(__file__).parent / "front"


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
