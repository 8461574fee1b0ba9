"""A bar chart drawn in the browser (anywidget + SVG): the course's reusable chart.

    chart = BarChart(
        title="Your guesses and the surveys",
        categories=[Category("innovative", "1. Share of municipalities ..."), ...],
        series=[Series("Your guess", BLUE, from_inputs=True),
                Series("Survey", GREY, values=[80, ...], pattern="hatch", notes=["SCB 2023", ...])],
        domain=(0, 100), unit="%", source="Sources: SCB 2023; SKR 2024",
        inputs=[Input("innovative", "1. Share of ...", 0, 100, 5), ...],   # optional
    )

Kinds: "bars" (one or more series side by side per category, i.e. paired bars) and
"diverging" (bars from a zero line, `sort="value"` orders them; `Category.symbol` marks a
category, explained by `legend_extra`). A series of kind "marker" draws a marker at its value.
Every value is shown as text beside its bar, the legend sits outside the plot, the source
line under it, and `alt` is a text alternative for screen readers.

With `inputs`, the chart shows labelled range inputs above the plot; moving one redraws
the chart in the browser at once (no trip to the kernel), then `values` syncs to Python.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import anywidget
from traitlets import Bool, Dict, List

# Colours with at least 4.5:1 contrast on white, distinguishable with colour-blindness.
BLUE = "#1f5f99"
ORANGE = "#b34700"
GREY = "#5c5c5c"


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    symbol: str = ""  # e.g. "●", explained by the chart's legend_extra


@dataclass(frozen=True)
class Series:
    name: str
    color: str = BLUE
    values: list[float | None] = field(default_factory=list)
    pattern: str = "solid"  # solid | hatch | dots
    kind: str = "bar"  # bar | marker
    from_inputs: bool = False  # values come from the chart's inputs, by category id
    notes: list[str] = field(default_factory=list)  # shown after each value, e.g. its source
    labels: list[str] = field(default_factory=list)  # the values as text, if not the numbers ("> 50 %")


@dataclass(frozen=True)
class Input:
    id: str
    label: str
    min: float
    max: float
    step: float = 1
    signed: bool = False  # show "+2" rather than "2"


class BarChart(anywidget.AnyWidget):
    _esm = Path(__file__).with_name("bar_chart.js")
    _css = Path(__file__).with_name("bar_chart.css")

    spec = Dict(help="What to draw: title, kind, categories, series, domain, unit, source, alt.").tag(sync=True)
    inputs = List(help="Range inputs shown above the chart: id, label, min, max, step.").tag(sync=True)
    values = Dict(help="The inputs' values by id (set in the browser, or from Python).").tag(sync=True)
    disabled = Bool(False, help="Inputs shown but not movable.").tag(sync=True)

    def __init__(self, *, title: str, categories: list[Category], series: list[Series],
                 kind: str = "bars", domain: tuple[float, float] = (0, 100), unit: str = "",
                 source: str = "", alt: str = "", axis_label: str = "", sort: str = "",
                 legend_extra: list[dict] | None = None, inputs: list[Input] | None = None,
                 values: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.inputs = [asdict(i) for i in inputs or []]
        self.values = dict(values or {})
        self.draw(title=title, categories=categories, series=series, kind=kind, domain=domain,
                  unit=unit, source=source, alt=alt, axis_label=axis_label, sort=sort,
                  legend_extra=legend_extra)

    def draw(self, *, title: str, categories: list[Category], series: list[Series], kind: str = "bars",
             domain: tuple[float, float] = (0, 100), unit: str = "", source: str = "", alt: str = "",
             axis_label: str = "", sort: str = "", legend_extra: list[dict] | None = None) -> None:
        """Replace what the chart shows (one sync to the browser)."""
        if kind not in ("bars", "diverging"):
            raise ValueError(f"unknown chart kind {kind!r}: use 'bars' or 'diverging'")
        for s in series:
            if not s.from_inputs and len(s.values) != len(categories):
                raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories")
        self.spec = {
            "title": title, "kind": kind, "domain": list(domain), "unit": unit, "source": source,
            "alt": alt, "axis_label": axis_label, "sort": sort, "legend_extra": legend_extra,
            "categories": [asdict(c) for c in categories], "series": [asdict(s) for s in series],
        }

    @property
    def alt_text(self) -> str:
        return self.spec.get("alt", "")


class InputValue:
    """One input's value as an attribute (`chart_inputs["a"].value = 3`), like a slider's."""

    def __init__(self, chart: BarChart, input_id: str):
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
