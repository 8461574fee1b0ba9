"""E5.2 The leader's test card for their own initiative (course.yaml thread).

Strategyzer's four fields (hypothesis, test, metric, criterion), what the metric counts on an
evidence ladder, the criterion in numbers (at least k of n), the leader's own guesses of how often
it works today and with the idea, a decision date and what the team does with each verdict. As
the leader writes, the card is checked by rules they can read (widgets/compute/cards.py) and, once
its numbers are in, run through the evidence simulator's model: how often this very test passes
a good idea and one no better than today, and how many participants the rule of thumb asks for.
The first card that holds is kept, with its date, beside later changes.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import ipywidgets as widgets
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute import evidence as ev
from .compute.cards import LADDER, check_card
from .exercise import Exercise, auto_width, full_width, html_widget, labelled
from .numbers import fmt, percent
from .svg_chart import BLUE, ORANGE, SvgChart, ticks

# The page's order of the card's fields (the ladder after the metric it describes).
TEXTS = ("hypothesis", "test", "metric")
NUMBERS = ("participants", "at_least", "p_today", "p_true")
LATER = ("decide_on", "if_pass", "if_fail")


class CardParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    max_chars: int = Field(default=400, ge=40, le=2000)


class TestCard(Exercise):
    __test__ = False  # a course exercise, not a pytest class

    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: CardParams = validated(CardParams, exercise_data(self.page.settings.config_dir, self.page.id,
                                                                      self.name), where)
        p, t = f"{self.page.id}.{self.name}", self.t
        self.p = p
        self.first: dict | None = None

        def area(field: str) -> widgets.Textarea:
            # A few lines each: the card is short answers, not a reflection.
            return labelled(widgets.Textarea, value="", rows=2, continuous_update=True,
                            _dom_classes=("innokraft-short",), description=t(f"{p}.fields.{field}"),
                            layout=full_width())

        def number(field: str) -> widgets.Text:
            return labelled(widgets.Text, value="", continuous_update=True, _dom_classes=("innokraft-number",),
                            description=t(f"{p}.fields.{field}"))

        self.fields: dict[str, widgets.Widget] = {}
        for field in TEXTS:
            self.fields[field] = area(field)
        self.ladder = labelled(widgets.RadioButtons, options=[(t(f"{p}.ladder.{s}"), s) for s in LADDER],
                               value=None, description=t(f"{p}.fields.evidence"), layout=auto_width())
        self.fields["criterion"] = area("criterion")
        for field in NUMBERS:
            self.fields[field] = number(field)
        self.fields["decide_on"] = labelled(widgets.Text, value="", continuous_update=True,
                                            _dom_classes=("innokraft-number",), description=t(f"{p}.fields.decide_on"))
        self.fields["if_pass"] = area("if_pass")
        self.fields["if_fail"] = area("if_fail")
        for w in (*self.fields.values(), self.ladder):
            w.observe(self.changed, "value")
        self.feedback = html_widget(css="innokraft-feedback")
        self.chart = SvgChart()
        self.chart.layout.display = "none"
        self.kept = html_widget(css="innokraft-note")
        order = [*(self.fields[f] for f in TEXTS), self.ladder, self.fields["criterion"],
                 *(self.fields[f] for f in NUMBERS), *(self.fields[f] for f in LATER)]
        self.children = [self.title(f"{p}.title"),
                         self.text(f"{p}.intro", initiative=self.page.initiative_text()),
                         *order, self.status, self.feedback, self.chart, self.kept]

    # -- the answer ----------------------------------------------------------------------------
    def card(self) -> dict:
        out = {f: w.value[: self.params.max_chars] for f, w in self.fields.items()}
        out["evidence"] = self.ladder.value
        return out

    def state(self) -> dict:
        return {"card": self.card(), "first": self.first}

    def restore(self, value: dict) -> None:
        card = value.get("card") if isinstance(value, dict) else None
        if not isinstance(card, dict):
            return
        for f, w in self.fields.items():
            if isinstance(card.get(f), str):
                w.value = card[f][: self.params.max_chars]
        if card.get("evidence") in LADDER:
            self.ladder.value = card["evidence"]
        first = value.get("first")
        if isinstance(first, dict) and isinstance(first.get("card"), dict):
            self.first = first

    def is_done(self) -> bool:
        return check_card(self.card()).holds

    # -- what the leader gets back ----------------------------------------------------------------
    def update(self) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        card = self.card()
        check = check_card(card)
        if check.holds and self.first is None and not self._restoring:
            # The first card that holds is data: kept as written, with the day.
            today = datetime.now(ZoneInfo(self.page.course.timezone)).date().isoformat()
            self.first = {"card": card, "on": today}
        self.kept.value = Markup("<p>{}</p>").format(t(f"{p}.locked")) if self.first else Markup("")
        if not check.started:
            self.feedback.value = Markup("<p>{}</p>").format(t(f"{p}.empty"))
            self.chart.layout.display = "none"
            return
        parts = []
        if check.problems:
            parts.append(Markup("<p><strong>{}</strong></p><ul>{}</ul>").format(
                t(f"{p}.problems_title"),
                Markup("").join(Markup("<li>{}</li>").format(t(f"{p}.problems.{k}")) for k in check.problems)))
        else:
            parts.append(t.html(f"{p}.holds"))
        parts += [t.html(f"{p}.{k}") for k in check.advice]
        e = check.evidence
        if e is None:
            self.feedback.value = Markup("").join(parts)
            self.chart.layout.display = "none"
            return
        under, over = t("exercise_kinds.share.under_one"), t("exercise_kinds.share.over_99")
        pct = lambda x: percent(x, lang, under, over)  # noqa: E731
        numbers = {"n": fmt(e.n, lang), "k": fmt(e.k, lang), "power": pct(e.power), "false_pass": pct(e.false_pass)}
        parts.append(t.html(f"{p}.evidence_result", **numbers))
        if e.min_n is None:
            parts.append(t.html(f"{p}.evidence_none", max_n=fmt(ev.MOST, lang)))
        else:
            parts.append(t.html(f"{p}.evidence_enough" if e.min_n <= e.n else f"{p}.evidence_more",
                                min_n=fmt(e.min_n, lang)))
        self.feedback.value = Markup("").join(parts)
        self._draw(e)

    def _draw(self, e: ev.Evidence) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        values = [100 * e.power, 100 * e.false_pass]
        labels = [f"{fmt(v, lang)} %" for v in values]
        names = [t(f"{p}.bar_good"), t(f"{p}.bar_same")]
        title = t(f"{p}.chart_title")
        self.chart.layout.display = ""
        self.chart.draw({
            "kind": "hbar", "title": title, "categories": names,
            "series": [{"name": "", "values": values, "colors": [BLUE, ORANGE], "hatched": [False, True],
                        "labels": labels}],
            "min": 0, "max": 110, "ticks": ticks(0, 100, lang, most=5),
            "lines": [{"value": 100 * ev.POWER_GOAL, "name": t(f"{p}.goal_lines"), "style": "dotted"},
                      {"value": 100 * ev.FALSE_PASS_GOAL, "style": "dotted"}],
            "x_label": t(f"{p}.x_label"), "note": t("exercise_kinds.simulator.pedagogical_short"),
        }, self.chart_alt(title, "; ".join(f"{n}: {lab}" for n, lab in zip(names, labels, strict=True))))

