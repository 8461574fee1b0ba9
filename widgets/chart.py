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


# The figure is drawn for a phone: WIDTH_IN inches at DPI, shown at most that wide, and no
# text under MIN_FONT_PT points. 13 pt at 100 dpi is 18 px in the PNG, so still 12.9 px when
# the 360 px figure is squeezed into the 257 px a 320 px phone leaves it; a desktop shows it
# unscaled.
DPI = 100
WIDTH_IN = 3.6
MIN_FONT_PT = 13
STYLE = {"font.size": MIN_FONT_PT, "axes.titlesize": MIN_FONT_PT + 1, "axes.labelsize": MIN_FONT_PT,
         "xtick.labelsize": MIN_FONT_PT, "ytick.labelsize": MIN_FONT_PT, "legend.fontsize": MIN_FONT_PT,
         "figure.titlesize": MIN_FONT_PT + 1, "figure.labelsize": MIN_FONT_PT}


class Chart(widgets.VBox):
    """A PNG image of `figure` plus its text alternative: draw inside `with chart.style():`,
    then call redraw().

    The text sits in a visually hidden element that innokraft.js copies into the image's
    alt (an Image's own `tooltip` breaks its view in ipywidgets 8.1).
    """

    def __init__(self, width: float = WIDTH_IN, height: float = 3.6, **kwargs):
        from matplotlib.figure import Figure

        super().__init__(**kwargs)
        self.figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            width="100%", max_width=f"{round(width * DPI)}px", height="auto"))
        self.alt = widgets.HTML()
        self.alt.add_class("innokraft-alt")
        self.add_class("innokraft-chart")
        self.children = [self.image, self.alt]

    def style(self):
        """Font sizes for text drawn now: none under MIN_FONT_PT (matplotlib reads them as
        each title, label and legend is made)."""
        from matplotlib import rc_context

        return rc_context(STYLE)

    @property
    def alt_text(self) -> str:
        return html.unescape(self.alt.value.removeprefix("<p>").removesuffix("</p>"))

    def redraw(self, alt: str) -> None:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=100)
        self.alt.value = f"<p>{html.escape(alt)}</p>"
        self.image.value = buffer.getvalue()
