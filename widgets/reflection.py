"""The module's written reflections: one autosaved draft per prompt, with a word count."""

from __future__ import annotations

import re

import ipywidgets as widgets
from markupsafe import Markup

from innokraft.course.markdown import comment_html

from .exercise import Exercise, button, full_width, html_widget, labelled, plain_layout
from .submit import SubmitControl
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
        # Another device's text, when this page's save replaced it: kept and offered, never lost.
        self.conflict = widgets.VBox([], layout=plain_layout(), _dom_classes=("innokraft-conflict",))
        self.children = [
            html_widget(Markup('<h3>{}.</h3><p class="innokraft-prompt">{}</p>{}').format(
                self.number, self.reflection.prompt[self.t.lang], self.rubric_html())),
            self.box,
            widgets.HBox([self.words, self.status], layout=plain_layout()),
            self.conflict,
        ]
        self._shown_other: str | None = None

    def rubric_html(self) -> Markup:
        """The levels the facilitator grades by, folded under the prompt, so the leader can read
        them before writing (content review: rubrics hidden)."""
        levels = Markup("").join(Markup("<li>{}</li>").format(text)
                                 for _points, text in self.reflection.rubric_levels(self.t.lang))
        return Markup('<details class="innokraft-rubric"><summary>{}</summary><ul>{}</ul></details>').format(
            self.t("ui.reflection.rubric"), levels)

    def state(self) -> dict:
        return {"text": self.box.value}

    def restore(self, value: dict) -> None:
        # A stored value is read, not trusted: anything but text restores an empty box, never "None".
        text = value.get("text") if isinstance(value, dict) else None
        self.box.value = text if isinstance(text, str) else ""

    def is_done(self) -> bool:
        return word_count(self.box.value) >= self.page.course.reflection_min_words

    def update(self) -> None:
        self.words.value = Markup.escape(self.t("ui.reflection.words", count=word_count(self.box.value),
                                                min=self.page.course.reflection_min_words))

    def _saved(self, state: str) -> None:
        super()._saved(state)
        other = self.page.session.other_text(self.key) if state == "replaced" else None
        if other is not None and other != self._shown_other:
            self._offer(other)

    def _offer(self, other: str) -> None:
        """Show the other device's text, with a way to take it instead of this one."""
        self._shown_other = other
        use = button(self.t("saving.use_other"), css="innokraft-secondary")
        use.on_click(lambda _b: self._take(other))
        self.conflict.children = [
            html_widget(Markup('<div role="status"><p><strong>{}</strong> {}</p><blockquote class="innokraft-other">'
                               '{}</blockquote></div>').format(self.t("saving.conflict_title"),
                                                               self.t("saving.conflict_text"), other)),
            use,
        ]

    def _take(self, other: str) -> None:
        mine = self.box.value
        self.box.value = other  # saved as this page's text; the one it replaces is offered back
        self._offer(mine)


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
        self.submit_control = SubmitControl(
            texts={"submit": self.t("grading.submit"), "sending": self.t("saving.submitting"),
                   **{k: self.t(f"grading.submit_control.{k}")
                      for k in ("offline", "lost", "no_answer", "submit_anyway", "keep_writing")}},
            on_submit=self.submit_from_page, layout=plain_layout())
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
            self.submit_control,
            self.submit_status,
            self.feedback,
        ]
        self._busy = False
        if not page.session.can_save:
            self.submit_control.disabled = True
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

    def submit_from_page(self, texts: dict[str, str], confirmed: bool) -> dict:
        """A click on the page, with the texts on its screen by answer key: those are handed in (and
        become the drafts). Answers under the minimum words are handed in once the leader confirms."""
        mine = {p.key: p for p in self.prompts}
        answers = {mine[k].reflection.id: v for k, v in texts.items() if k in mine}
        if set(answers) != {p.reflection.id for p in self.prompts}:
            self._status("submit_failed")
            return {"event": "failed"}
        for prompt in self.prompts:
            if prompt.box.value != answers[prompt.reflection.id]:
                prompt.box.value = answers[prompt.reflection.id]
        minimum = self.page.course.reflection_min_words
        short = [(n, word_count(answers[p.reflection.id])) for n, p in enumerate(self.prompts, start=1)
                 if word_count(answers[p.reflection.id]) < minimum]
        if short and not confirmed and any(a.strip() for a in answers.values()) and self.page.session.can_save:
            lines = " ".join(self.t("grading.short_answer", number=n, count=c) for n, c in short)
            return {"event": "short", "message": f"{lines} {self.t('grading.short_confirm', min=minimum)}"}
        self.submit(answers=answers)
        return {"event": "done"}

    def submit(self, _button=None, answers: dict[str, str] | None = None) -> None:
        """Hand in `answers` (by reflection id), or the drafts as they are."""
        if self._busy:
            return  # a click that was on its way while the last one was being handed in
        self._busy = True
        try:
            self._submit(answers if answers is not None else {p.reflection.id: p.box.value for p in self.prompts})
        finally:
            self._busy = False

    def _submit(self, answers: dict[str, str]) -> None:
        from innokraft.core.errors import SubmitError

        # At once, so the page knows the server heard the click.
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
        counts = Markup("").join(
            Markup("<li>{}</li>").format(self.t("grading.words_in_answer", number=n,
                                                count=word_count(answers.get(p.reflection.id, ""))))
            for n, p in enumerate(self.prompts, start=1))
        self.submit_status.value = Markup(
            '<div class="innokraft-confirmation" role="status"><p><strong>{}</strong></p><ul>{}</ul><p>{}</p></div>'
        ).format(self.t("grading.submitted_now", time=self.page.local_time(row.submitted_at)), counts,
                 self.t("grading.what_next"))
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
