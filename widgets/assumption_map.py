"""E4.1 Assumption map: importance x evidence; what to test first, and how.

Shows and collects only: the map is a PointMap (front/point_map.js);
widgets/compute/assumptions.py ranks the assumptions.
"""

from __future__ import annotations

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.assumptions import Assumption, counts, quadrant, rank
from .exercise import html_widget
from .numbers import fmt
from .portfolio_mapper import MapExercise, map_config
from .svg_chart import BLUE, GREY, ORANGE, SvgChart, ticks

COLOURS = {"test_first": ORANGE, "build_on": BLUE, "watch": GREY, "set_aside": GREY}


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    max_items: int = Field(default=10, ge=1, le=30)
    min_items: int = Field(default=5, ge=1)
    show_first: int = Field(default=3, ge=1)


def short(name: str, most: int = 40) -> str:
    """A name cut to `most` characters with … (the chart's alt text keeps it whole)."""
    return name if len(name) <= most else name[: most - 1].rstrip() + "…"


class AssumptionMap(MapExercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: Params = validated(Params, exercise_data(self.page.settings.config_dir, self.page.id,
                                                              self.name), where)
        self.p = p = f"{self.page.id}.{self.name}"
        t = self.t
        # Each quadrant named at its outer corner, outside the square the points live in.
        regions = [
            {"label": t(f"{p}.quadrants.{q}"), "at": at, "strong": q == "test_first"}
            for q, at in (("test_first", "top-left"), ("build_on", "top-right"), ("watch", "bottom-left"),
                          ("set_aside", "bottom-right"))
        ]
        self._map(map_config(t, p, regions, "quadrants", self.params.max_items, sized=False))
        self.chart = SvgChart()
        self.feedback = html_widget(css="innokraft-feedback")
        self.children = [self.title(f"{p}.title"), self.text(f"{p}.intro"), self.map, self.status,
                         self.chart, self.feedback]

    def state(self) -> dict:
        return {"items": list(self.map.items)}

    def restore(self, value: dict) -> None:
        self.restore_items(value.get("items"))

    def is_done(self) -> bool:
        return len(self.map.items) >= self.params.min_items

    def assumptions(self) -> list[Assumption]:
        # x is evidence (left: little), y is importance (up: matters most).
        return [Assumption(it["name"], it["y"], it["x"]) for it in self.map.items]

    def update(self) -> None:
        t, p, lang = self.t, self.p, self.t.lang
        items = self.map.items
        self.map.places = {it["id"]: t(f"{p}.quadrants.{quadrant(it['y'], it['x'])}") for it in items}
        moved = self.moved()
        if moved is not None and not self._restoring:
            self.map.status = t(f"{p}.moved", name=moved["name"], place=self.map.places[moved["id"]])
        ranked = rank(self.assumptions())
        shown = ranked[:8]
        # The assumptions to test first; the browser wraps long names onto lines of their own.
        self.chart.draw({
            "kind": "hbar", "title": t(f"{p}.chart_title"), "categories": [short(r.name) for r in shown],
            "series": [{"name": "", "values": [r.priority for r in shown],
                        "colors": [COLOURS[r.quadrant] for r in shown],
                        "hatched": [r.quadrant == "test_first" for r in shown],
                        "labels": [fmt(r.priority, lang, 1) for r in shown]}],
            "min": 0, "max": 10, "ticks": ticks(0, 10, lang, most=6), "x_label": t(f"{p}.priority_axis"),
        }, self.chart_alt(t(f"{p}.chart_title"), "; ".join(
            f"{r.name}: {fmt(r.priority, lang, 1)} ({t(f'{p}.quadrants.{r.quadrant}')})" for r in ranked)))
        if len(items) < self.params.min_items:
            self.feedback.value = t.html(f"{p}.too_few", min=self.params.min_items, count=len(items))
            return
        first = [r for r in ranked if r.quadrant == "test_first"][: self.params.show_first]
        n = counts(self.assumptions())
        parts = [t.html(f"{p}.counts", **{k: v for k, v in n.items()})]
        if first:
            # Learner text is untrusted: escaped, never rendered as Markdown or HTML.
            lines = Markup("").join(Markup("<li><strong>{}</strong> – {}</li>").format(r.name, t(f"{p}.tests.{r.test}"))
                                    for r in first)
            parts.append(t.html(f"{p}.test_first_intro") + Markup("<ol>{}</ol>").format(lines))
        else:
            parts.append(t.html(f"{p}.none_to_test"))
        self.feedback.value = "".join(parts)

