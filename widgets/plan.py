"""The wrap-up's ninety-day plan: ten fields the leader fills in and takes away.

Where the course has the answer a field starts with it (the initiative from M1, an effect goal from
M8's benefit map, the next test from M5's test card, the mandate from the "should" column of M8's
matrix), as do the check-in dates and the day for a new team pulse, counted from the day the plan
was made. A field holds the course's words only until the leader changes it: saved are the fields
they changed (their own words, even an emptied field), and the day the plan was made; the others
are filled in again from the course at each visit.

The plan goes home two ways (PlanDownload: front/plan_download.js): a plain-text file (UTF-8)
that the browser makes and saves itself, behind a real download link, and a printable copy that
the print dialog can save as a PDF (front/plan_download.css prints only the plan). Both are built
from the model as text: nothing the leader typed becomes markup.

Parameters: course_config/exercises/wrapup.yaml `plan`; texts wrapup.plan.*.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import anywidget
import ipywidgets as widgets
import traitlets
from pydantic import BaseModel, ConfigDict, Field

from innokraft.core import clock
from innokraft.course.load import exercise_data
from innokraft.course.model import THREAD_KEY
from innokraft.course.yaml_io import validated

from . import front_files
from .compute import journey as jy
from .compute import mandate as md
from .compute.plan import check_ins, plan_text, pulse_on
from .exercise import Exercise, full_width, labelled
from .initiative import initiative_of
from .numbers import fmt, typed_date, written_date

FIELDS = ("initiative", "goal_90", "next_test", "commitments", "stop_doing", "mandate", "effect_goals",
          "support", "follow_up", "pulse_again")


class PlanParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    check_in_days: list[int] = Field(min_length=1, max_length=6)
    pulse_weeks: int = Field(ge=1, le=52)


class PlanDownload(anywidget.AnyWidget):
    _esm = front_files.module("plan_download.js")
    _css = front_files.FOLDER / "plan_download.css"

    plan = traitlets.Dict(help="title, lines, sections [{label, text}], empty, text (the file's content), "
                               "file_name, download_label, print_label, hint").tag(sync=True)


def day_of(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class NinetyDayPlan(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: PlanParams = validated(
            PlanParams, exercise_data(self.page.settings.config_dir, self.page.id, self.name), where)
        self.p = p = f"{self.page.id}.{self.name}"
        course = self.page.course
        self.today = clock.now(self.page.settings).astimezone(ZoneInfo(course.timezone)).date()
        self.made_on: date | None = None  # the day the leader first changed the plan
        self.own: set[str] = set()
        # Short answers but the commitments (three of them): a few lines each, as on M5's test card.
        self.areas = {f: labelled(widgets.Textarea, value="", rows=3, continuous_update=True,
                                  _dom_classes=() if f == "commitments" else ("innokraft-short",),
                                  description=self.t(f"{p}.fields.{f}"), layout=full_width()) for f in FIELDS}
        for f, area in self.areas.items():
            area.observe(lambda _change, f=f: self._typed(f), "value")
        for f, value in self.course_values().items():
            self.areas[f].value = value  # while restoring: not the leader's words, not saved
        self.download = PlanDownload()
        self.children = [self.title(f"{p}.title"), self.text(f"{p}.intro"), *self.areas.values(), self.status,
                         self.download]

    # -- what the course already knows --------------------------------------------------------------
    def course_values(self) -> dict[str, str]:
        """Each field as the course's answers fill it ("" where they do not)."""
        answers = self.page.course_answers()
        t, p = self.t, self.p
        out = dict.fromkeys(FIELDS, "")
        out["initiative"] = initiative_of(answers.get(THREAD_KEY))["text"].strip()
        goal = jy.benefit_goal(answers.get("m8.benefit_map"))
        if goal:
            out["goal_90"] = goal["goal"]
            goal["measure_on"] = typed_date(goal["measure_on"], t)
            out["effect_goals"] = "\n".join(t(f"{p}.prefill.{f}", value=v) for f, v in goal.items() if v)
        card = jy.card_of(answers.get("m5.test_card"))
        if card:
            decide = card["decide_on"] and t(f"{p}.prefill.decide_on", date=typed_date(card["decide_on"], t))
            out["next_test"] = "\n".join(filter(None, [card["hypothesis"], decide]))
        out["mandate"] = self.mandate(jy.mandate_columns(answers.get("m8.mandate_matrix"))[1])
        out.update(self.dated(self.today))
        return out

    def mandate(self, should: dict[str, str]) -> str:
        """Who should decide what, a line per level from the team up (M8's matrix, its own words)."""
        if not should:
            return ""
        m8 = exercise_data(self.page.settings.config_dir, "m8", "mandate_matrix")
        words = {"test_weeks": fmt(m8["test_weeks"], self.t.lang), "amount": fmt(m8["spend_limit_sek"], self.t.lang)}
        lines = []
        for level in md.LEVELS:
            decisions = [self.t(f"m8.mandate_matrix.decisions.{d}", **words) for d in md.DECISIONS
                         if should.get(d) == level]
            if decisions:
                lines.append(self.t(f"{self.p}.prefill.mandate_level", decisions="; ".join(decisions),
                                    level=self.t(f"m8.mandate_matrix.levels.{level}")))
        return "\n".join(lines)

    def dated(self, start: date) -> dict[str, str]:
        t = self.t
        return {"follow_up": "\n".join(t(f"{self.p}.prefill.check_in", day=d, date=written_date(on, t))
                                       for d, on in check_ins(start, self.params.check_in_days)),
                "pulse_again": written_date(pulse_on(start, self.params.pulse_weeks), t)}

    # -- the leader's plan ---------------------------------------------------------------------------
    def _typed(self, field: str) -> None:
        if self._restoring:
            return
        self.own.add(field)
        self.made_on = self.made_on or self.today
        self.changed()

    def state(self) -> dict:
        return {"made_on": (self.made_on or self.today).isoformat(),
                "fields": {f: self.areas[f].value for f in FIELDS if f in self.own}}

    def restore(self, value: object) -> None:
        saved = value if isinstance(value, dict) else {}
        self.made_on = day_of(saved.get("made_on"))
        fields = saved.get("fields") if isinstance(saved.get("fields"), dict) else {}
        for f in FIELDS:
            if isinstance(fields.get(f), str):
                self.own.add(f)
                self.areas[f].value = fields[f]
        if self.made_on is not None:
            # Counted from the day the plan was made, not from this visit.
            for f, text in self.dated(self.made_on).items():
                if f not in self.own:
                    self.areas[f].value = text

    def is_done(self) -> bool:
        """The commitments are the leader's own: the one field the course cannot fill in."""
        return "commitments" in self.own and bool(self.areas["commitments"].value.strip())

    def values(self) -> dict[str, str]:
        return {f: self.areas[f].value for f in FIELDS}

    def update(self) -> None:
        t, p = self.t, self.p
        title = t(f"{p}.title")
        lines = [self.page.course.title[t.lang], t(f"{p}.made_on", date=written_date(self.made_on or self.today, t))]
        sections = [(t(f"{p}.fields.{f}"), v) for f, v in self.values().items()]
        self.download.plan = {
            "title": title, "lines": lines, "empty": t(f"{p}.empty"),
            "sections": [{"label": label, "text": text} for label, text in sections],
            "text": plan_text(title, lines, sections, t(f"{p}.empty")), "file_name": t(f"{p}.file_name"),
            "download_label": t(f"{p}.download_text"), "print_label": t(f"{p}.download"), "hint": t(f"{p}.print_hint"),
        }
