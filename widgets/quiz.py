"""Quiz kind: multiple choice with explained feedback; the first answer to each item is kept.

Used twice per module page: the module's own quiz (`page.exercise(Quiz)`) and, from the
second module on, the retrieval questions from earlier modules (`page.retrieval()`).
The learner may change an answer after the feedback (it explains, and invites a retry),
but the score shown and stored is the first attempt (widgets/compute/quiz.py).
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from .compute.quiz import Attempts, first_attempt_score, quiz_score
from .exercise import Exercise, auto_width, html_widget, labelled

__all__ = ["Quiz", "quiz_score"]


class Quiz(Exercise):
    def __init__(self, page, name: str = "quiz", items=None, **kwargs):
        # items: [(text prefix, QuizItem)]; by default the page module's own quiz.
        self._items = items
        super().__init__(page, name, **kwargs)

    def _build(self) -> None:
        module = self.page.module
        items = self._items or [(f"{module.id}.quiz.{q.id}", q) for q in module.quiz]
        self.key_ = {item.id: item.correct for _prefix, item in items}
        self.prefixes = {item.id: prefix for prefix, item in items}
        self.attempts = Attempts()
        self.questions: dict[str, widgets.RadioButtons] = {}
        self.explanations: dict[str, widgets.HTML] = {}
        kind = "parts.retrieval" if self._items else "ui.quiz"
        rows = [self.title(f"{kind}.title"), self.text(f"{kind}.intro")]
        for n, (prefix, item) in enumerate(items, start=1):
            options = self.t.items(f"{prefix}.options")
            if len(options) != item.options:
                raise ValueError(
                    f"course_config/text/{self.t.lang}: {prefix} lists {len(options)} options, "
                    f"course.yaml says {item.options}"
                )
            radio = labelled(widgets.RadioButtons, options=[(o, i) for i, o in enumerate(options)], value=None,
                             description=f"{n}. {self.t(f'{prefix}.question')}", layout=auto_width())
            radio.observe(lambda change, q=item.id: self._answered(q, change["new"]), "value")
            explanation = html_widget(css="innokraft-feedback")
            self.questions[item.id] = radio
            self.explanations[item.id] = explanation
            rows += [radio, explanation]
        self.score = html_widget()
        self.children = [*rows, self.score, self.status]

    def _answered(self, item: str, choice: int | None) -> None:
        if not self._restoring:
            self.attempts.answer(item, choice)
        self.changed()

    def state(self) -> dict:
        return self.attempts.as_dict(self.key_)

    def restore(self, value: dict) -> None:
        self.attempts = Attempts.from_dict(value)
        for q, v in self.attempts.latest.items():
            if q in self.questions and 0 <= v < len(self.questions[q].options):
                self.questions[q].value = v

    def is_done(self) -> bool:
        return all(q in self.attempts.first for q in self.questions)

    def update(self) -> None:
        for q, radio in self.questions.items():
            if radio.value is None:
                self.explanations[q].value = ""
                continue
            right = radio.value == self.key_[q]
            verdict = "correct" if right else "wrong"
            retry = "" if right else " " + self.t("ui.quiz.try_again")
            self.explanations[q].value = Markup(
                '<div class="innokraft-{}" role="status"><strong>{}</strong> {}{}</div>').format(
                verdict, self.t(f"ui.quiz.{verdict}"), self.t.html_inline(f"{self.prefixes[q]}.explanation"), retry)
        correct, answered = first_attempt_score(self.attempts, self.key_)
        score = self.t("ui.quiz.first_score", correct=correct, total=len(self.key_))
        self.score.value = Markup("<p><strong>{}</strong></p>").format(score) if answered else ""
