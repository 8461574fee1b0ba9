"""Computed figures as ipywidgets.Image values rendered from a matplotlib figure the widget keeps.

For a figure only matplotlib can draw. Bar charts, and anything that redraws as a leader
moves a control, use `widgets.bar_chart.BarChart` (drawn in the browser; no matplotlib in
the kernel, no round trip per move). matplotlib is imported only when a Chart is made.

Redrawing inside an Output widget with clear_output() hung kernels (design.md); setting
an Image's PNG bytes did not.
"""

from __future__ import annotations

import html
import io

import ipywidgets as widgets

from .bar_chart import BLUE, GREY, ORANGE

__all__ = ["BLUE", "GREY", "ORANGE", "Chart"]


class Chart(widgets.VBox):
    """A PNG image of `figure` plus its text alternative; call redraw() after drawing.

    The text sits in a visually hidden element that innokraft.js copies into the image's
    alt (an Image's own `tooltip` breaks its view in ipywidgets 8.1).
    """

    def __init__(self, width: float = 6.4, height: float = 3.6, **kwargs):
        from matplotlib.figure import Figure

        super().__init__(**kwargs)
        self.figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            width="100%", max_width="720px", height="auto"))
        self.alt = widgets.HTML()
        self.alt.add_class("innokraft-alt")
        self.add_class("innokraft-chart")
        self.children = [self.image, self.alt]

    @property
    def alt_text(self) -> str:
        return html.unescape(self.alt.value.removeprefix("<p>").removesuffix("</p>"))

    def redraw(self, alt: str) -> None:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=100)
        self.alt.value = f"<p>{html.escape(alt)}</p>"
        self.image.value = buffer.getvalue()
