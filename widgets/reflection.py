"""The module's written reflections: one autosaved draft per prompt, with a word count."""

from __future__ import annotations

import re

import ipywidgets as widgets
from markupsafe import Markup

from innokraft.course.markdown import comment_html

from .exercise import Exercise, button, full_width, html_widget, labelled, plain_layout
from .team_session import NOTE


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:[-'’]\w+)*", text or ""))


class _Prompt(Exercise):
    """One reflection prompt's draft."""

    def __init__(self, page, reflection, number: int):
        self.reflection = reflection
        self.number = number
        super().__init__(page, f"reflection.{reflection.id}")

    def _build(self) -> None:
        self.box = labelled(widgets.Textarea, value="", rows=8, continuous_update=True,
                            description=self.t("ui.reflection.answer_label", number=self.number),
                            layout=full_width(),
                            _dom_classes=(f"ik-key-{self.key}",))  # the page's pagehide beacon sends it by key
        self.box.observe(self.changed, "value")
        self.words = html_widget()
        self.children = [
            html_widget(Markup('<h3>{}.</h3><p class="innokraft-prompt">{}</p>').format(
                self.number, self.reflection.prompt[self.t.lang])),
            self.box,
            widgets.HBox([self.words, self.status], layout=plain_layout()),
        ]

    def state(self) -> dict:
        return {"text": self.box.value}

    def restore(self, value: dict) -> None:
        self.box.value = str(value.get("text", ""))

    def is_done(self) -> bool:
        return word_count(self.box.value) >= self.page.course.reflection_min_words

    def update(self) -> None:
        self.words.value = Markup.escape(self.t("ui.reflection.words", count=word_count(self.box.value),
                                                min=self.page.course.reflection_min_words))


class Reflections(widgets.VBox):
    """All reflection prompts of the page's module, their submission and its feedback."""

    def __repr__(self) -> str:  # short, as Exercise's
        return f"{type(self).__name__}({self.page.id!r})"

    def __init__(self, page, **kwargs):
        kwargs.setdefault("layout", plain_layout())
        kwargs["_dom_classes"] = (*kwargs.get("_dom_classes", ()), "innokraft-reflections")
        super().__init__(**kwargs)
        self.page = page
        self.t = page.t
        self.prompts = [_Prompt(page, r, n) for n, r in enumerate(page.module.reflections, start=1)]
        self.submit_button = button(self.t("grading.submit"), css="innokraft-submit", button_style="primary")
        self.submit_button.on_click(self.submit)
        self.submit_status = html_widget(css="innokraft-submit-status")
        self.feedback = html_widget(css="innokraft-feedback-panel")
        # What the module's team sessions found, to write about (widgets.team_session tells it).
        team = page.course.team_sessions.for_module(page.module.id) and page.session.can_save
        self.team_note = html_widget(css="innokraft-team-note") if team else None
        if self.team_note is not None:
            self._team_noted(page.told(NOTE))
            page.hear(NOTE, self._team_noted)
        self.children = [
            html_widget(Markup("<h2>{}</h2>{}").format(self.t("ui.reflection.title"),
                                                       self.t.html("ui.reflection.intro"))),
            *([self.team_note] if self.team_note is not None else []),
            *self.prompts,
            html_widget(self.t.html("grading.submit_help")),
            self.submit_button,
            self.submit_status,
            self.feedback,
        ]
        if not page.session.can_save:
            self.submit_button.disabled = True
            self._status("demo_cannot_submit")
        else:
            latest = page.latest_submission()
            if latest is not None:
                self._status("submitted", time=page.local_time(latest.submitted_at))
            self.show_feedback()

    def _team_noted(self, notes: dict | None) -> None:
        self.team_note.value = Markup("").join((notes or {}).values())

    def _status(self, key: str, **values) -> None:
        self.submit_status.value = Markup('<p role="status">{}</p>').format(self.t("grading." + key, **values))

    def submit(self, _button=None) -> None:
        if self.submit_button.disabled:
            return  # a click that was on its way while the last one was being handed in
        self.submit_button.disabled = True
        try:
            self._submit()
        finally:
            self.submit_button.disabled = not self.page.session.can_save

    def _submit(self) -> None:
        from innokraft.core.errors import SubmitError

        answers = {p.reflection.id: p.box.value for p in self.prompts}
        # At once, so the page knows the server heard the click (innokraft-saving.js).
        self.submit_status.value = Markup('<p role="status">{}</p>').format(self.t("saving.submitting"))
        try:
            row = self.page.submit_reflections(answers)
        except SubmitError as exc:
            if exc.kind == "too_long":
                self.submit_status.value = Markup('<p role="status">{}</p>').format(self.page.status_text("too_long"))
                return
            self._status({"empty": "submit_empty", "demo": "demo_cannot_submit",
                          "refused": "submit_refused"}.get(exc.kind, "submit_failed"))
            return
        self._status("submitted", time=self.page.local_time(row.submitted_at))
        self.show_feedback()

    def show_feedback(self) -> None:
        latest = self.page.latest_submission()
        if latest is None:
            self.feedback.value = ""
            return
        feedback = self.page.feedback()
        if feedback is None:
            self.feedback.value = Markup('<p class="innokraft-waiting">{}</p>').format(self.t("grading.waiting"))
            return
        parts = [Markup('<section aria-labelledby="innokraft-feedback-h"><h3 id="innokraft-feedback-h">{}</h3>'
                        '<p class="innokraft-score"><strong>{}</strong></p>').format(
            self.t("grading.feedback_title"),
            self.t("grading.score", score=feedback.score, max_score=feedback.max_score))]
        for number, reflection in enumerate(self.page.module.reflections, start=1):
            comment = feedback.comments.get(reflection.id, "").strip()
            if comment:
                # The facilitator's Markdown, with any HTML in it shown as text: the same
                # rendering as on the full feedback page.
                parts.append(Markup('<div class="innokraft-comment"><p><em>{}:</em></p>{}</div>').format(
                    self.t("grading.comment_for", number=number), comment_html(comment)))
        parts.append(Markup('<p><a href="{}" target="_blank" rel="noopener">{}</a></p></section>').format(
            self.page.feedback_url(), self.t("grading.full_feedback")))
        self.feedback.value = Markup("").join(parts)
