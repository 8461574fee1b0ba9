"""The facilitator's charts (dashboard and evaluation report), drawn with matplotlib in the course's
chart style: the colours of widgets/svg_chart.py (at least 4.5:1 on white, apart under
colour-blindness), dark text, light grid lines. Each chart is an image with its text alternative;
the numbers are in a table beside it."""

from __future__ import annotations

import base64
import io

import matplotlib
from markupsafe import Markup

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402

# widgets/svg_chart.py's three colours (a learner's kernel module; not imported here).
BLUE = "#1f5f99"
ORANGE = "#b34700"
GREY = "#5c5c5c"
INK = "#1a1a1a"
GRID = "#c8c8c8"
LIGHT_BLUE = "#8fb3d9"  # BLUE on white, lighter: a third series beside BLUE and ORANGE
SERIES = (BLUE, ORANGE, GREY)
# From nothing done (a pale blue, still visible on white) to all done (BLUE).
SHADES = LinearSegmentedColormap.from_list("innokraft", ["#eef3f8", BLUE])

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": GRID,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID,
    "grid.linewidth": 0.7,
    "axes.axisbelow": True,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.frameon": False,
    "hatch.color": "white",
}


def figure(width: float, height: float):
    with plt.rc_context(STYLE):
        return plt.subplots(figsize=(width, height))


def subplots(rows: int, cols: int, width: float, height: float, **kwargs):
    with plt.rc_context(STYLE):
        return plt.subplots(rows, cols, figsize=(width, height), **kwargs)


def styled(draw):
    """Run a drawing function under the chart style (ticks and text made inside it)."""
    def run(*args, **kwargs):
        with plt.rc_context(STYLE):
            return draw(*args, **kwargs)
    return run


def image(fig, alt: str, dpi: int = 110) -> Markup:
    """The figure as an <img> with its alternative text (a PNG inside the page: no file beside it)."""
    buf = io.BytesIO()
    with plt.rc_context(STYLE):
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return Markup('<img class="innokraft-figure" src="data:image/png;base64,{}" alt="{}">').format(data, alt)
