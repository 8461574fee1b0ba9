"""E7.2 Where is your initiative among Kotter's stages? The leader rates how far their initiative
(course.yaml thread) has come in each of the eight stages, 0-5 from what they have seen (radio
groups, none preset), and gets back where to start (the first stage below the threshold) and
which later ratings look optimistic given the order, drawn as bars with the threshold as a line.
The rule is in widgets/compute/change_stages.py.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.change_stages import STAGES, audit
from .exercise import Exercise, auto_width, html_widget, labelled
from .numbers import fmt
from .rated_items import RatedItems
from .svg_chart import BLUE, GREY, ORANGE, SvgChart, ticks

SCALE = range(0, 6)


class AuditParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    threshold: int = Field(ge=1, le=5)


class KotterAudit(RatedItems, Exercise):
    scale = SCALE

    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: AuditParams = validated(
            AuditParams, exercise_data(self.page.settings.config_dir, self.page.id, self.name), where)
        self.p = p = f"{self.page.id}.{self.name}"
        self.ratings = {s: labelled(widgets.RadioButtons, options=[(str(v), v) for v in SCALE], value=None,
                                    layout=auto_width(), _dom_classes=("innokraft-scale",),
                                    description=f"{n}. {self.t(f'{p}.stages.{s}')}")
                        for n, s in enumerate(STAGES, start=1)}
        for radio in self.ratings.values():
            radio.observe(self.changed, "value")
        self.hint = html_widget(css="innokraft-hint")
        self.feedback = html_widget(css="innokraft-feedback")
        self.chart = SvgChart()
        self.children = [self.title(f"{p}.title"), self.text(f"{p}.intro", initiative=self.page.initiative_text()),
                         *self.ratings.values(), self.hint, self.status, self.feedback, self.chart]

    def update(self) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        if self.rating_left(len(STAGES) - len(self.given())):
            return
        x = self.given()
        result = audit(x, self.params.threshold)
        names = {s: t(f"{p}.stages.{s}") for s in STAGES}
        threshold = fmt(self.params.threshold, lang)
        if result.start is None:
            out = t.html(f"{p}.all_done", threshold=threshold)
        else:
            out = t.html(f"{p}.start_here", stage=names[result.start].lower(), threshold=threshold)
            if result.skipped:
                out += t.html(f"{p}.skipped", stages=", ".join(names[s].lower() for s in result.skipped))
        self.feedback.value = out
        self.chart.layout.display = ""
        title = t(f"{p}.chart_title")
        colours = [ORANGE if s == result.start else (GREY if s in result.skipped else BLUE) for s in STAGES]
        self.chart.draw({
            "kind": "hbar", "title": title, "categories": [f"{n}. {names[s]}" for n, s in enumerate(STAGES, 1)],
            "series": [{"name": "", "values": [float(x[s]) for s in STAGES], "colors": colours,
                        "hatched": [s in result.skipped for s in STAGES],
                        "labels": [fmt(x[s], lang) for s in STAGES],
                        "notes": [t(f"{p}.start_note") if s == result.start else
                                  (t(f"{p}.skipped_note") if s in result.skipped else "") for s in STAGES]}],
            "min": 0, "max": 5.5, "ticks": ticks(0, 5, lang, most=6),
            "lines": [{"value": self.params.threshold, "name": t(f"{p}.threshold_line", threshold=threshold),
                       "style": "dashed"}],
            # Each stage's name over its bar: the bars and their notes get the whole width on a phone.
            "x_label": t(f"{p}.x_label"), "labels_above": True,
        }, self.chart_alt(title, "; ".join(t(f"{p}.alt_item", stage=names[s], value=fmt(x[s], lang))
                                           for s in STAGES) + ". " + Markup(out).striptags()))
