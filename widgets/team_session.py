"""The part under an exercise where the leader runs it with their team (course.yaml: team_sessions).

The leader picks a closing time and opens a team session: the page shows the team link and its
QR code for the screen, the closing time and a close button. While it is open the page says how
many have answered ("Waiting for answers (4 of 5)") and, from `min_answers` on, the team's result
beside the leader's own: a chart and how many chose each value per item.

What an exercise with a team part does: it builds it with `team_part(self)`; in its `update()` it
reads `team.result` / `team.means()` for its own feedback and calls `team.refresh()` (a move of
the leader's own rating redraws the comparison); it gives `team_chart(result)` (a chart spec and
its words, the leader's values beside the team's) and `team_reflection(result)` (what the page's
reflections say of it: the page's "team_note", widgets.reflection). The part calls the
exercise's `update()` whenever the session changed.

The session is watched by innokraft.kernel.team (asked every second while open, never once
closed); this part changes the page only when the session did.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import ipywidgets as widgets
from markupsafe import Markup

from innokraft.course.model import TeamExercise
from innokraft.kernel.client import StoreRefused, StoreUnavailable
from innokraft.kernel.team import TeamWatch

from .exercise import NOTHING, button, html_widget, labelled, plain_layout
from .numbers import signed
from .svg_chart import SvgChart

NOTE = "team_note"  # what the page's reflections hear: {exercise key: Markup}


def team_part(exercise) -> TeamSession | None:
    """The team part of this exercise, if course.yaml lets it run with a team."""
    form = exercise.page.course.team_sessions.find(exercise.key)
    return TeamSession(exercise, form) if form is not None else None


def value_label(t, form: TeamExercise, index: int, value: int) -> str:
    """A scale value's words (<form>.scale.<index>), or the value, signed on a scale around zero."""
    if t.has(f"{form.texts}.scale.{index}"):
        return t(f"{form.texts}.scale.{index}")
    return signed(value, t.lang) if form.scale.min < 0 else str(value)


class TeamSession(widgets.VBox):
    def __repr__(self) -> str:  # short, as Exercise's
        return f"{type(self).__name__}({self.form.key!r})"

    def __init__(self, exercise, form: TeamExercise):
        super().__init__(layout=plain_layout(), _dom_classes=("innokraft-team",))
        self.exercise, self.form = exercise, form
        self.page, self.t = exercise.page, exercise.t
        config = self.page.course.team_sessions
        self.min_answers = config.min_answers
        t = self.t
        self.intro = html_widget(Markup("<h3>{}</h3>{}").format(
            t("team.leader.title"), t.html("team.leader.intro", min=self.min_answers)))
        self.watch: TeamWatch | None = None
        self.result: dict | None = None  # the team's result, once it may be shown
        self._ready = False
        if not self.page.session.can_save:
            self.children = [self.intro, html_widget(Markup('<p class="innokraft-team-demo">{}</p>').format(
                t("team.leader.demo")))]
            return
        self.minutes = labelled(widgets.Dropdown, description=t("team.leader.minutes_label"),
                                options=[(t("team.leader.minutes", minutes=m), m) for m in config.minutes],
                                value=config.default_minutes)
        self.open_button = button(t("team.leader.open"), css="innokraft-team-open")
        self.open_button.on_click(self._open)
        # Made when first shown: a page that never opens a session syncs none of them.
        self.status = self.panel = self.close_button = self.chart = self.table = None
        self.watch = TeamWatch(self.page.session.token, form.key, self._changed)
        try:
            self.watch.load()
        except (StoreUnavailable, StoreRefused):
            self.children = [self.intro]
            self._failed()
        else:
            self._show(self.watch.state)
        self._ready = True

    # -- the leader's two buttons ------------------------------------------------------------
    def _open(self, _button=None) -> None:
        try:
            self.watch.open(self.minutes.value, self.page.lang)
        except (StoreUnavailable, StoreRefused):
            self._failed()

    def _close(self, _button=None) -> None:
        try:
            self.watch.close()
        except (StoreUnavailable, StoreRefused):
            self._failed()

    def _failed(self) -> None:
        self._say(self.t("team.leader.failed"))
        if self.status not in self.children:
            self.children = [*self.children, self.status]

    # -- showing the session ------------------------------------------------------------------
    def _changed(self, state: dict | None) -> None:
        if not self._ready:
            return  # the first look: shown once built, and the exercise is not built yet
        self._show(state)
        self.exercise.update()  # its feedback says what the team's result says

    def _show(self, state: dict | None) -> None:
        t = self.t
        if state is None:
            self.result = None
            self.children = [self.intro, self.minutes, self.open_button]
            return
        found = state.get("result") or {}
        self.result = found if found.get("visible") else None
        count = found.get("count", 0)
        if state["open"]:
            status = t("team.leader.waiting", count=count, min=self.min_answers) if self.result is None else \
                t("team.leader.answers", count=count)
            self._say(status)
            parts = [self.intro, self._panel(state), self.status]
            if self.close_button is None:
                self.close_button = button(t("team.leader.close"), css="innokraft-team-close")
                self.close_button.on_click(self._close)
            parts.insert(2, self.close_button)
        else:
            text = Markup("{}").format(t("team.leader.closed", count=count))
            if self.result is None:
                text += Markup(" ") + t("team.leader.too_few", min=self.min_answers)
            self.status.value = Markup('<p role="status">{}</p>').format(text)
            self.open_button.description = t("team.leader.new")
            parts = [self.intro, self.status]
        if self.result is not None:
            parts += self._result_widgets()
        if not state["open"]:
            parts += [self.minutes, self.open_button]
        self.children = parts

    def _say(self, text: str) -> None:
        """The session's state in a sentence, for everyone (a status: screen readers hear it)."""
        if self.status is None:
            self.status = html_widget(css="innokraft-team-status")
        self.status.value = Markup('<p role="status">{}</p>').format(text)

    def _panel(self, state: dict) -> widgets.HTML:
        if self.panel is None:
            self.panel = html_widget(css="innokraft-team-panel")
        link = state.get("link", "")
        closes = datetime.fromisoformat(state["closes_at"]).astimezone(ZoneInfo(self.page.course.timezone))
        qr = NOTHING
        if link:
            import segno  # only where a session is shown

            title = self.t("team.leader.qr_title")
            qr = Markup('<div class="innokraft-team-qr" role="img" aria-label="{}">{}</div>').format(
                title, Markup(segno.make(link, error="m").svg_inline(scale=5, omitsize=True)))
        self.panel.value = Markup(
            '<p>{show}</p><p class="innokraft-team-link">{label} <a href="{link}" target="_blank" rel="noopener">'
            '{link}</a></p>{qr}<p class="innokraft-team-closes"><strong>{closes}</strong></p>').format(
            show=self.t("team.leader.show"), label=self.t("team.leader.link_label"), link=link, qr=qr,
            closes=self.t("team.leader.closes", time=closes.strftime("%H:%M")))
        return self.panel

    def _result_widgets(self) -> list[widgets.Widget]:
        if self.chart is None:
            self.chart = SvgChart()
            self.table = html_widget(css="innokraft-team-table")
        if self._ready:
            self.refresh()  # else the exercise's first update draws it
        return [self.chart, self.table]

    def refresh(self) -> None:
        """The team's result drawn beside the leader's own, as the exercise has it now (the
        exercise calls this from its update: a move of the leader's own rating redraws it)."""
        notes = dict(self.page.told(NOTE) or {})
        if self.result is None:
            notes.pop(self.form.key, None)
        else:
            notes[self.form.key] = self.exercise.team_reflection(self.result)
            if self.chart is not None:
                self.chart.draw(*self.exercise.team_chart(self.result))
                self.table.value = self._table(self.result)
        if notes != (self.page.told(NOTE) or {}):
            self.page.tell(NOTE, notes)

    def _table(self, result: dict) -> Markup:
        """How many chose each value, per item: the distribution in numbers, under its source."""
        t, form = self.t, self.form
        head = Markup("").join(Markup('<th scope="col">{}</th>').format(value_label(t, form, i, v))
                               for i, v in enumerate(form.values))
        rows = Markup("").join(
            Markup('<tr><th scope="row">{}</th>{}</tr>').format(
                t(form.item_key(item["id"])),
                Markup("").join(Markup("<td>{}</td>").format(n) for n in item["counts"]))
            for item in result.get("items", []))
        return Markup('<table><caption>{caption}</caption><thead><tr><th scope="col">{item}</th>{head}</tr>'
                      '</thead><tbody>{rows}</tbody></table><p class="innokraft-source">{source}</p>').format(
            caption=t("team.leader.table_caption"), item=t("team.leader.item"), head=head, rows=rows,
            source=t("team.leader.source", count=result["count"]))

    def means(self) -> dict[str, float]:
        """The team's mean per item (only once the result may be shown)."""
        return {item["id"]: item["mean"] for item in (self.result or {}).get("items", [])}
