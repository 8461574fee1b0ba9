"""E8.1 Who decides on your initiative? For five decisions about the leader's initiative (course.yaml
thread) the leader marks the level that decides today (or "don't know") and the level that ought to,
in a click grid (MandateGrid: front/mandate_grid.js, two radio groups per decision, none preset).
They get back the escalation distance (how many levels higher the decisions sit today than they
ought to), what it costs in weeks with the hook's meeting times, which test decisions sit far from
the work, and a legal note when scaling up is put below the committee (KL 6 kap. 38 §), drawn as
one diverging bar per decision. The arithmetic is in widgets/compute/mandate.py.
"""

from __future__ import annotations

import anywidget
import traitlets
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from . import front_files
from .compute import mandate as md
from .compute.models import approval_levels
from .exercise import Exercise, html_widget
from .numbers import fmt, signed
from .svg_chart import BLUE, GREY, ORANGE, SvgChart

KINDS = {"today": (*md.LEVELS, md.DONT_KNOW), "should": md.LEVELS}


def clean_value(value: object) -> dict[str, dict[str, str]]:
    """Only known decisions and levels: the browser is not trusted, anything else is dropped."""
    out: dict[str, dict[str, str]] = {"today": {}, "should": {}}
    if not isinstance(value, dict):
        return out
    for kind, allowed in KINDS.items():
        given = value.get(kind)
        if isinstance(given, dict):
            out[kind] = {d: given[d] for d in md.DECISIONS if given.get(d) in allowed}
    return out


class MandateGrid(anywidget.AnyWidget):
    _esm = front_files.module("mandate_grid.js")
    _css = front_files.FOLDER / "mandate_grid.css"

    config = traitlets.Dict(help="decisions [{id, label}], today_levels, should_levels, the two group names.").tag(
        sync=True)
    value = traitlets.Dict(help="{'today': {decision: level}, 'should': {decision: level}}").tag(sync=True)

    @traitlets.validate("value")
    def _valid(self, proposal):
        return clean_value(proposal["value"])


class MatrixParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    spend_limit_sek: int = Field(gt=0)
    test_weeks: int = Field(ge=1, le=52)
    waits_from: str


class MandateMatrix(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        data = exercise_data(self.page.settings.config_dir, self.page.id, self.name)
        self.params: MatrixParams = validated(MatrixParams, data, where)
        hook = exercise_data(self.page.settings.config_dir, self.page.id, self.params.waits_from)["values"]
        self.waits = md.level_waits(*approval_levels(hook))
        self.p = p = f"{self.page.id}.{self.name}"
        t, lang = self.t, self.t.lang
        words = {"test_weeks": fmt(self.params.test_weeks, lang), "amount": fmt(self.params.spend_limit_sek, lang)}
        self.names = {d: t(f"{p}.decisions.{d}", **words) for d in md.DECISIONS}
        self.levels = {lv: t(f"{p}.levels.{lv}") for lv in KINDS["today"]}
        self.grid = MandateGrid(config={
            "decisions": [{"id": d, "label": self.names[d]} for d in md.DECISIONS],
            "today_label": t(f"{p}.today"), "should_label": t(f"{p}.should"),
            "today_levels": [{"id": lv, "label": self.levels[lv]} for lv in KINDS["today"]],
            "should_levels": [{"id": lv, "label": self.levels[lv]} for lv in KINDS["should"]],
        }, value=clean_value(None))
        self.grid.observe(self.changed, "value")
        self.hint = html_widget(css="innokraft-hint")
        self.feedback = html_widget(css="innokraft-feedback")
        self.chart = SvgChart()
        self.children = [self.title(f"{p}.title"), self.text(f"{p}.intro", initiative=self.page.initiative_text()),
                         self.grid, self.hint, self.status, self.feedback, self.chart, self.text(f"{p}.formula")]

    def chosen(self) -> dict[str, dict[str, str]]:
        return clean_value(self.grid.value)

    def left(self) -> int:
        v = self.chosen()
        return 2 * len(md.DECISIONS) - len(v["today"]) - len(v["should"])

    def state(self) -> dict:
        return self.chosen()

    def restore(self, value: object) -> None:
        self.grid.value = clean_value(value)

    def is_done(self) -> bool:
        return not self.left()

    def result(self) -> md.Mandate:
        v = self.chosen()
        return md.mandate(v["today"], v["should"], self.waits)

    def _list(self, decisions: list[str]) -> str:
        named = [self.t(f"{self.p}.named.{d}") for d in decisions]
        return named[0] if len(named) == 1 else ", ".join(named[:-1]) + f" {self.t(f'{self.p}.and')} {named[-1]}"

    def update(self) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        if self.rating_left(self.left()):
            return
        r = self.result()
        weeks = lambda w: fmt(w, lang, 0 if float(w).is_integer() else 1)  # noqa: E731
        out = t.html(f"{p}.summary", escalation=fmt(r.escalation, lang))
        if r.weeks_to_start is not None:
            out += t.html(f"{p}.weeks_start", today=weeks(r.weeks_to_start[0]), should=weeks(r.weeks_to_start[1]))
        if r.weeks_to_stop is not None:
            out += t.html(f"{p}.weeks_stop", today=weeks(r.weeks_to_stop[0]), should=weeks(r.weeks_to_stop[1]))
        if r.far_from_work:
            out += t.html(f"{p}.far_from_work", decisions=self._list(r.far_from_work))
        if r.under:
            out += t.html(f"{p}.under", decisions=self._list(r.under))
        if r.unknown:
            out += t.html(f"{p}.dont_know", decisions=self._list(r.unknown))
        if r.legal_note:
            out += t.html(f"{p}.legal_note")
        self.feedback.value = out
        v = self.chosen()
        shorts = [t(f"{p}.short.{d}") for d in md.DECISIONS]
        values = [r.distance.get(d) for d in md.DECISIONS]
        labels = [t(f"{p}.levels.dont_know").lower() if x is None else signed(x, lang) for x in values]
        colours = [GREY if not x else (ORANGE if x > 0 else BLUE) for x in values]
        title = t(f"{p}.distance_title")
        top = max([3, *(abs(x) for x in values if x is not None)])
        self.chart.layout.display = ""
        self.chart.draw({
            "kind": "hbar", "title": title, "categories": shorts,
            # A decision not known today has no distance: no bar, only the words at zero.
            "series": [{"name": "", "values": [0.0 if x is None else float(x) for x in values],
                        "colors": colours, "labels": labels}],
            "min": -top, "max": top, "signed": True,
            "ticks": [{"value": k, "label": signed(k, lang)} for k in range(-top, top + 1)],
            "x_label": t(f"{p}.distance_axis"),
        }, self.chart_alt(title, "; ".join(
            t(f"{p}.alt_item", decision=s, today=self.levels[v["today"][d]].lower(),
              should=self.levels[v["should"][d]].lower(), distance=lab)
            for s, d, lab in zip(shorts, md.DECISIONS, labels, strict=True)) + ". " + Markup(out).striptags()))
