"""Charts as ipywidgets.Image values rendered from a figure the widget keeps.

Redrawing inside an Output widget with clear_output() hung kernels (design.md); setting
an Image's PNG bytes did not.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
from matplotlib.figure import Figure

# Colours with at least 4.5:1 contrast on white, distinguishable with colour-blindness.
BLUE = "#1f5f99"
ORANGE = "#b34700"
GREY = "#5c5c5c"


class Chart(widgets.Image):
    """A PNG image of `figure`; call redraw() after changing the figure."""

    def __init__(self, width: float = 6.4, height: float = 3.6, **kwargs):
        self.figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
        super().__init__(format="png", layout=widgets.Layout(width="100%", max_width="720px",
                                                             height="auto"), **kwargs)
        self.add_class("innokraft-chart")

    def redraw(self, alt: str) -> None:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=100)
        # The tooltip becomes the image's title: its accessible name for screen readers.
        self.tooltip = alt
        self.value = buffer.getvalue()
