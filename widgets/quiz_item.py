"""One multiple-choice question that behaves like a question on paper: choosing is not yet
answering. The learner presses "Kontrollera svaret"; from then on the choice is their answer,
the options lock, and the feedback names their answer and the right one, with a mark and in
words (a colour alone says nothing to a screen reader or to someone who cannot tell red from
green). Used by the module quiz, the retrieval questions and the delayed quiz.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
from markupsafe import Markup

from .exercise import auto_width, button, html_widget, labelled, plain_layout

RIGHT, WRONG = "\u2713", "\u2717"


class QuizItem(widgets.VBox):
    def __init__(self, t, number: int, question: str, options: list[str], correct: int,
                 explanation: Markup, on_check: Callable[[int], None]):
        self.t = t
        self.options = options
        self.correct = correct
        self.explanation = explanation
        self.answer: int | None = None
        self.radio = labelled(widgets.RadioButtons, options=[(o, i) for i, o in enumerate(options)], value=None,
                              description=f"{number}. {question}", layout=auto_width())
        self.check = button(t("ui.quiz.check"), css="innokraft-check", disabled=True)
        self.feedback = html_widget(css="innokraft-feedback")
        self.radio.observe(lambda _change: self._show(), "value")
        self.check.on_click(lambda _button: self._checked(on_check))
        super().__init__([self.radio, self.check, self.feedback], layout=plain_layout(),
                         _dom_classes=("innokraft-quiz-item",))

    def _checked(self, on_check: Callable[[int], None]) -> None:
        if self.answer is None and self.radio.value is not None:
            on_check(self.radio.value)

    def lock(self, answer: int) -> None:
        """The learner's answer, checked now or on an earlier visit: shown, locked, explained."""
        if 0 <= answer < len(self.options):
            self.answer = answer
            self.radio.value = answer
            self._show()

    def _show(self) -> None:
        locked = self.answer is not None
        self.radio.disabled = locked
        self.check.disabled = locked or self.radio.value is None
        classes = ("innokraft-check", "innokraft-done") if locked else ("innokraft-check",)
        if self.check._dom_classes != classes:
            self.check._dom_classes = classes
        if not locked:
            if self.feedback.value:
                self.feedback.value = Markup("")
            return
        right = self.answer == self.correct
        verdict = "correct" if right else "wrong"
        answers = Markup("{}").format(self.t("ui.quiz.your_answer", option=self.options[self.answer]))
        if not right:
            answers += Markup(" {}").format(self.t("ui.quiz.right_answer", option=self.options[self.correct]))
        self.feedback.value = Markup(
            '<div class="innokraft-{}" role="status"><p><strong><span aria-hidden="true">{}</span> {}</strong> '
            '{}</p><p>{}</p></div>').format(verdict, RIGHT if right else WRONG, self.t(f"ui.quiz.{verdict}"),
                                            answers, self.explanation)
