"""Quiz kind: multiple choice, each answer checked with a button, then locked and explained.

Used twice per module page: the module's own quiz (`page.exercise(Quiz)`) and, from the
second module on, the retrieval questions from earlier modules (`page.retrieval()`).
A choice is only a choice until the learner presses "Kontrollera svaret": then it is their
answer, kept as the first attempt (widgets/compute/quiz.py), the options lock, and the
feedback names their answer and the right one with a mark and in words.
"""

from __future__ import annotations

from markupsafe import Markup

from .compute.quiz import Attempts, first_attempt_score, quiz_score
from .exercise import Exercise, html_widget
from .quiz_item import QuizItem

__all__ = ["Quiz", "quiz_score"]


class Quiz(Exercise):
    def __init__(self, page, name: str = "quiz", items=None, **kwargs):
        # items: [(text prefix, course QuizItem)]; by default the page module's own quiz.
        self._items = items
        super().__init__(page, name, **kwargs)

    def _build(self) -> None:
        module = self.page.module
        items = self._items or [(f"{module.id}.quiz.{q.id}", q) for q in module.quiz]
        self.key_ = {item.id: item.correct for _prefix, item in items}
        self.attempts = Attempts()
        self.items: dict[str, QuizItem] = {}
        kind = "parts.retrieval" if self._items else "ui.quiz"
        for n, (prefix, item) in enumerate(items, start=1):
            options = self.t.items(f"{prefix}.options")
            if len(options) != item.options:
                raise ValueError(
                    f"course_config/text/{self.t.lang}: {prefix} lists {len(options)} options, "
                    f"course.yaml says {item.options}"
                )
            self.items[item.id] = QuizItem(self.t, n, self.t(f"{prefix}.question"), options, item.correct,
                                           self.t.html_inline(f"{prefix}.explanation"),
                                           on_check=lambda choice, q=item.id: self.check(q, choice))
        self.questions = {q: item.radio for q, item in self.items.items()}
        self.checks = {q: item.check for q, item in self.items.items()}
        self.explanations = {q: item.feedback for q, item in self.items.items()}
        self.score = html_widget()
        self.children = [self.title(f"{kind}.title"), self.text(f"{kind}.intro"), *self.items.values(),
                         self.score, self.status]

    def check(self, item: str, choice: int) -> None:
        """The learner's answer to one question: kept as their first, locked and explained."""
        if item in self.attempts.first:
            return
        self.attempts.answer(item, choice)
        self.decided()

    def state(self) -> dict:
        return self.attempts.as_dict(self.key_)

    def restore(self, value: dict) -> None:
        self.attempts = Attempts.from_dict(value)

    def is_done(self) -> bool:
        return all(q in self.attempts.first for q in self.key_)

    def update(self) -> None:
        for q, item in self.items.items():
            if q in self.attempts.first and item.answer is None:
                item.lock(self.attempts.first[q])
        correct, answered = first_attempt_score(self.attempts, self.key_)
        score = self.t("ui.quiz.first_score", correct=correct, total=len(self.key_))
        self.score.value = Markup("<p><strong>{}</strong></p>").format(score) if answered else Markup("")
