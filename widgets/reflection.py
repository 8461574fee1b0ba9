"""The module's written reflections: one autosaved draft per prompt, with a word count."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets

from innokraft.course.markdown import comment_html

from .exercise import Exercise, button, full_width, html_widget, labelled, plain_layout


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
        prompt = html.escape(self.reflection.prompt[self.t.lang])
        self.children = [
            html_widget(f'<h3>{self.number}.</h3><p class="innokraft-prompt">{prompt}</p>'),
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
        self.words.value = html.escape(self.t("ui.reflection.words", count=word_count(self.box.value),
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
        self.children = [
            html_widget(f"<h2>{html.escape(self.t('ui.reflection.title'))}</h2>"
                         f"{self.t.html('ui.reflection.intro')}"),
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

    def _status(self, key: str, **values) -> None:
        self.submit_status.value = (f'<p role="status">{html.escape(self.t("grading." + key, **values))}</p>')

    def submit(self, _button=None) -> None:
        from innokraft.core.errors import SubmitError

        answers = {p.reflection.id: p.box.value for p in self.prompts}
        # At once, so the page knows the server heard the click (innokraft-saving.js).
        self.submit_status.value = f'<p role="status">{html.escape(self.t("saving.submitting"))}</p>'
        try:
            row = self.page.submit_reflections(answers)
        except SubmitError as exc:
            if exc.kind == "too_long":
                self.submit_status.value = (f'<p role="status">'
                                            f'{html.escape(self.page.status_text("too_long"))}</p>')
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
            self.feedback.value = f'<p class="innokraft-waiting">{html.escape(self.t("grading.waiting"))}</p>'
            return
        parts = [
            f'<section aria-labelledby="innokraft-feedback-h"><h3 id="innokraft-feedback-h">'
            f'{html.escape(self.t("grading.feedback_title"))}</h3>',
            f'<p class="innokraft-score"><strong>'
            f'{html.escape(self.t("grading.score", score=feedback.score, max_score=feedback.max_score))}'
            f"</strong></p>",
        ]
        for number, reflection in enumerate(self.page.module.reflections, start=1):
            comment = feedback.comments.get(reflection.id, "").strip()
            if comment:
                # The facilitator's Markdown, with any HTML in it shown as text: the same
                # rendering as on the full feedback page.
                label = html.escape(self.t("grading.comment_for", number=number))
                parts.append(f'<div class="innokraft-comment"><p><em>{label}:</em></p>'
                             f'{comment_html(comment)}</div>')
        parts.append(f'<p><a href="{html.escape(self.page.feedback_url())}" target="_blank" rel="noopener">'
                     f'{html.escape(self.t("grading.full_feedback"))}</a></p></section>')
        self.feedback.value = "".join(parts)
