"""E8.3 Your capacity to renew: the leader rates eight statements about their unit, two for each of
the four building blocks of the study of Swedish agencies (purpose and focus, prerequisites, ways
of working, benefits realisation), 1-5 as radio groups with none preset, and gets back each
block's mean as a bar and the weakest block with one step to take. The same statements, word for
word, are what the course's wrap-up asks again. The arithmetic is in widgets/compute/mandate.py.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from .compute.mandate import BLOCKS, ITEMS, SCALE, capability
from .exercise import Exercise, auto_width, html_widget, labelled
from .numbers import fmt
from .rated_items import RatedItems
from .svg_chart import BLUE, ORANGE, SvgChart, ticks

VALUES = range(SCALE[0], SCALE[1] + 1)


class CapabilityProfile(RatedItems, Exercise):
    scale = VALUES
    keeps_first = True  # the wrap-up asks the same statements again and compares with these

    def _build(self) -> None:
        self.p = p = f"{self.page.id}.{self.name}"
        self.ratings = {i: labelled(widgets.RadioButtons, options=[(str(v), v) for v in VALUES], value=None,
                                    layout=auto_width(), _dom_classes=("innokraft-scale",),
                                    description=f"{n}. {self.t(f'{p}.items.{i}')}")
                        for n, i in enumerate(ITEMS, start=1)}
        for radio in self.ratings.values():
            radio.observe(self.changed, "value")
        self.hint = html_widget(css="innokraft-hint")
        self.feedback = html_widget(css="innokraft-feedback")
        self.chart = SvgChart()
        self.children = [self.title(f"{p}.title"), self.text(f"{p}.intro"), self.text(f"{p}.scale_hint"),
                         *self.ratings.values(), self.hint, self.status, self.feedback, self.chart]

    def update(self) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        self.keep_first()
        if self.rating_left(len(ITEMS) - len(self.given())):
            return
        result = capability(self.given())
        names = {b: t(f"{p}.blocks.{b}") for b in BLOCKS}
        weakest = [names[b].lower() for b in result.weakest]
        joined = weakest[0] if len(weakest) == 1 else ", ".join(weakest[:-1]) + f" {t(f'{p}.and')} {weakest[-1]}"
        out = t.html(f"{p}.weakest", block=joined) + t.html(f"{p}.advice.{result.weakest[0]}")
        self.feedback.value = out
        self.chart.layout.display = ""
        title = t(f"{p}.chart_title")
        values = [result.means[b] for b in BLOCKS]
        self.chart.draw({
            "kind": "hbar", "title": title, "categories": [names[b] for b in BLOCKS],
            "series": [{"name": "", "values": values,
                        "colors": [ORANGE if b in result.weakest else BLUE for b in BLOCKS],
                        "hatched": [b in result.weakest for b in BLOCKS],
                        "labels": [fmt(v, lang, 1) for v in values]}],
            "min": 0, "max": 5.5, "ticks": ticks(0, 5, lang, most=6), "x_label": t(f"{p}.x_label"),
        }, self.chart_alt(title, "; ".join(t(f"{p}.alt_item", block=names[b], value=fmt(result.means[b], lang, 1))
                                           for b in BLOCKS) + ". " + Markup(out).striptags()))
