"""E6.2 The team pulse: the leader's guess first, then the team's answers.

The leader guesses, for each of seven statements on the team's safety, what a typical member of
their team answers (1-5, none preset), and locks the guess: it is kept as it was, so the
comparison says what the leader believed before they knew. Then the team answers the same
statements on their phones through the team link (course.yaml team_sessions: the statements and
the scale are its entry for this exercise, widgets.team_session the machinery), and once enough
have answered the page sets the guess beside the team's medians, both as a safety index 0-100
(two statements are worded the other way round and count reversed). widgets/compute/safety.py
computes.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.safety import compare, median_of_counts, safety_index, towards_safety
from .exercise import NOTHING, Exercise, auto_width, button, html_widget, labelled
from .numbers import fmt
from .svg_chart import GREY, ORANGE
from .team_session import team_part, value_label


class PulseParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    reverse: list[str] = Field(default_factory=list)
    gap: float = Field(default=1, gt=0)


class TeamPulse(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: PulseParams = validated(
            PulseParams, exercise_data(self.page.settings.config_dir, self.page.id, self.name), where)
        self.p = p = f"{self.page.id}.{self.name}"
        self.form = form = self.page.course.team_sessions.find(self.key)
        if form is None:
            raise ValueError(f"course.yaml: team_sessions lists no {self.key} (its statements and scale)")
        unknown = set(self.params.reverse) - set(form.items)
        if unknown:
            raise ValueError(f"{where}: reverse names {sorted(unknown)}, not statements of the team form")
        self.reverse = {i: i in self.params.reverse for i in form.items}
        t = self.t
        self.locked = False
        self.locked_guess: dict[str, int] = {}
        self.radios = {item: labelled(
            widgets.RadioButtons, options=[(value_label(t, form, n, v), v) for n, v in enumerate(form.values)],
            value=None, layout=auto_width(), description=f"{n}. {t(form.item_key(item))}")
            for n, item in enumerate(form.items, start=1)}
        for radio in self.radios.values():
            radio.observe(self._chose, "value")
        self.hint = html_widget(css="innokraft-hint")
        self.lock_button = button(t(f"{p}.lock"), button_style="primary", disabled=True)
        self.lock_button.on_click(self._lock)
        self.feedback = html_widget(css="innokraft-feedback")
        self.team = team_part(self)  # course.yaml: team_sessions
        self._before = [self.title(f"{p}.title"),
                        self.text(f"{p}.intro", min=self.page.course.team_sessions.min_answers),
                        *self.radios.values(), self.hint, self.lock_button, self.status, self.feedback]
        self.children = self._before

    # -- the guess -------------------------------------------------------------------------------
    def guess(self) -> dict[str, int]:
        return {i: r.value for i, r in self.radios.items() if r.value is not None}

    def _chose(self, _change=None) -> None:
        if self.locked and not self._restoring:
            # Locked: a change after the lock (a stale browser, a script) is undone, not saved.
            for i, r in self.radios.items():
                if r.value != self.locked_guess.get(i):
                    r.value = self.locked_guess.get(i)
            return
        self.changed()

    def _lock(self, _button=None) -> None:
        if self.locked or len(self.guess()) < len(self.radios):
            return
        self.locked = True
        self.locked_guess = self.guess()
        self.decided()

    def state(self) -> dict:
        return {"guess": self.guess(), "locked": self.locked}

    def restore(self, value: dict) -> None:
        if not isinstance(value, dict):
            return
        saved = value.get("guess") if isinstance(value.get("guess"), dict) else {}
        for i, radio in self.radios.items():
            if type(saved.get(i)) is int and saved[i] in self.form.values:
                radio.value = saved[i]
        self.locked = bool(value.get("locked")) and len(self.guess()) == len(self.radios)
        self.locked_guess = self.guess() if self.locked else {}

    def is_done(self) -> bool:
        return self.locked

    # -- the comparison ----------------------------------------------------------------------------
    def medians(self) -> dict[str, float]:
        """The team's median per statement (only once the result may be shown)."""
        result = self.team.result if self.team is not None else None
        out = {}
        for item in (result or {}).get("items", []):
            m = median_of_counts(item["counts"], self.form.values)
            if m is not None:
                out[item["id"]] = m
        return out

    def guess_index(self) -> float:
        low, high = self.form.scale.min, self.form.scale.max
        return safety_index([towards_safety(v, self.reverse[i], low, high) for i, v in self.locked_guess.items()],
                            low, high)

    def comparison(self):
        low, high = self.form.scale.min, self.form.scale.max
        return compare(self.locked_guess, self.medians(), self.reverse, low, high)

    def update(self) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        for radio in self.radios.values():
            radio.disabled = self.locked
        left = len(self.radios) - len(self.guess())
        self.lock_button.disabled = self.locked or bool(left)
        if self.locked and self.lock_button.description != t("exercise_kinds.prediction.locked"):
            self.lock_button.description = t("exercise_kinds.prediction.locked")
        self.hint.value = (Markup("<p>{}</p>").format(t(f"{p}.predict_hint", count=fmt(left, lang)))
                           if left and not self.locked else NOTHING)
        wanted = [*self._before, *([self.team] if self.locked and self.team is not None else [])]
        if list(self.children) != wanted:
            self.children = wanted
        if not self.locked:
            self.feedback.value = NOTHING
            return
        parts = [t.html(f"{p}.locked"), t.html(f"{p}.guess_index", guess=fmt(self.guess_index(), lang))]
        if self.team is not None:
            if self.team.result is not None and self.medians():
                parts += self._team_feedback(self.team.result)
            self.team.refresh()
        self.feedback.value = Markup("").join(parts)

    def _label(self, value: float) -> str:
        """A value in the scale's words: a median between two answers names both."""
        f = self.form
        if float(value).is_integer():
            return value_label(self.t, f, f.values.index(int(value)), int(value))
        lo, hi = int(value), int(value) + 1
        return f"{value_label(self.t, f, f.values.index(lo), lo)}–{value_label(self.t, f, f.values.index(hi), hi)}"

    def _team_feedback(self, result: dict) -> list[Markup]:
        p, t, lang = self.p, self.t, self.t.lang
        c = self.comparison()
        medians = self.medians()
        parts = [t.html(f"{p}.summary", team=fmt(c.team_index, lang), guess=fmt(c.guess_index, lang),
                        count=fmt(result["count"], lang))]
        widest = c.widest
        if widest is None or abs(c.gaps[widest]) < self.params.gap:
            parts.append(t.html(f"{p}.even"))
        else:
            words = {"item": t(self.form.item_key(widest)), "guess": self._label(self.locked_guess[widest]),
                     "team": self._label(medians[widest])}
            over = [i for i in c.over if c.gaps[i] >= self.params.gap]
            if c.gaps[widest] > 0:
                parts.append(t.html(f"{p}.over", over=fmt(len(over), lang), items=fmt(len(c.gaps), lang), **words))
            else:
                parts.append(t.html(f"{p}.under", **words))
        parts += [t.html(f"{p}.reverse_note"), t.html(f"{p}.rerun")]
        return parts

    def team_chart(self, result: dict) -> tuple[dict, str]:
        """The leader's guess and the team's median, per statement, on the statements' own scale."""
        p, t, lang = self.p, self.t, self.t.lang
        medians = self.medians()
        ids = [i for i in self.form.items if i in medians and i in self.locked_guess]
        labels = [t(self.form.item_key(i)) for i in ids]
        low, high = self.form.scale.min, self.form.scale.max
        guess_name, team_name = t(f"{p}.legend_guess"), t(f"{p}.legend_team")
        spec = {"kind": "hbar", "title": t(f"{p}.chart_title"), "categories": labels, "min": 0, "max": high,
                "labels_above": True, "ticks": [{"value": v, "label": fmt(v, lang)} for v in range(low, high + 1)],
                "series": [{"name": guess_name, "color": ORANGE, "values": [float(self.locked_guess[i]) for i in ids],
                            "labels": [fmt(self.locked_guess[i], lang) for i in ids]},
                           {"name": team_name, "color": GREY, "pattern": "hatch",
                            "values": [medians[i] for i in ids],
                            "labels": [self._number(medians[i]) for i in ids]}],
                "x_label": t(f"{p}.x_label"), "source": t("team.leader.source", count=result["count"])}
        alt = self.series_alt(labels, [(guess_name, [fmt(self.locked_guess[i], lang) for i in ids]),
                                       (team_name, [self._number(medians[i]) for i in ids])])
        return spec, self.chart_alt(t(f"{p}.chart_title"), alt)

    def _number(self, value: float) -> str:
        return fmt(value, self.t.lang, 0 if float(value).is_integer() else 1)

    def team_reflection(self, result: dict) -> Markup:
        c, lang = self.comparison(), self.t.lang
        return self.t.html(f"{self.p}.reflection", count=fmt(result["count"], lang), team=fmt(c.team_index, lang),
                           guess=fmt(c.guess_index, lang))
