"""Retrieval quiz with immediate, explained feedback."""

from __future__ import annotations

import html

import ipywidgets as widgets

from .exercise import Exercise, stacked


def quiz_score(answers: dict[str, int | None], key: dict[str, int]) -> tuple[int, int]:
    """(correct, answered) for a learner's chosen option indexes."""
    answered = [q for q in key if answers.get(q) is not None]
    return sum(answers[q] == key[q] for q in answered), len(answered)


class Quiz(Exercise):
    def __init__(self, page, name: str = "quiz", **kwargs):
        super().__init__(page, name, **kwargs)

    def _build(self) -> None:
        module = self.page.module
        self.key_ = {item.id: item.correct for item in module.quiz}
        self.questions: dict[str, widgets.RadioButtons] = {}
        self.explanations: dict[str, widgets.HTML] = {}
        p = f"{module.id}.quiz"
        rows = [self.title("ui.quiz.title"), self.text("ui.quiz.intro")]
        for n, item in enumerate(module.quiz, start=1):
            options = self.t.items(f"{p}.{item.id}.options")
            if len(options) != item.options:
                raise ValueError(
                    f"course_config/text/{self.t.lang}/{module.id}.yaml: quiz {item.id} lists "
                    f"{len(options)} options, course.yaml says {item.options}"
                )
            radio = stacked(widgets.RadioButtons(
                options=[(o, i) for i, o in enumerate(options)], value=None,
                description=f"{n}. {self.t(f'{p}.{item.id}.question')}",
                layout=widgets.Layout(width="auto"),
            ))
            radio.observe(self.changed, "value")
            explanation = widgets.HTML()
            explanation.add_class("innokraft-feedback")
            self.questions[item.id] = radio
            self.explanations[item.id] = explanation
            rows += [radio, explanation]
        self.score = widgets.HTML()
        self.children = [*rows, self.score, self.status]

    def state(self) -> dict:
        return {q: r.value for q, r in self.questions.items()}

    def restore(self, value: dict) -> None:
        for q, v in value.items():
            if q in self.questions and v is not None and 0 <= int(v) < len(self.questions[q].options):
                self.questions[q].value = int(v)

    def is_done(self) -> bool:
        return all(r.value is not None for r in self.questions.values())

    def update(self) -> None:
        p = f"{self.page.id}.quiz"
        for q, radio in self.questions.items():
            if radio.value is None:
                self.explanations[q].value = ""
                continue
            verdict = "correct" if radio.value == self.key_[q] else "wrong"
            self.explanations[q].value = (
                f'<div class="innokraft-{verdict}" role="status"><strong>'
                f'{html.escape(self.t(f"ui.quiz.{verdict}"))}</strong> '
                f'{self.t.html(f"{p}.{q}.explanation")}</div>'
            )
        correct, answered = quiz_score(self.state(), self.key_)
        score = self.t("ui.quiz.score", correct=correct, total=len(self.key_))
        self.score.value = f"<p><strong>{html.escape(score)}</strong></p>" if answered else ""
