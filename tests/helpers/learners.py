"""Leaders who work through modules by the learner service itself: the calls a page's kernel
makes to the server's store API (`open`, `save`, `done`, `submit`), with the answers in the shapes
the widgets save. Faster than a browser for a cohort, and the same code on the server's side."""

from __future__ import annotations

from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner
from innokraft.learner.service import LearnerService
from widgets.compute.quiz import Attempts


class Cohort:
    """The learner service of a home (a test's, or a running server's), and links to call it with."""

    def __init__(self, settings: Settings):
        self.service = LearnerService.open(settings, migrate=False)
        self.course = self.service.course
        self.signer = LinkSigner(load_secret(settings), self.course.token_max_age_days)

    def token(self, learner_id: str) -> str:
        learner = self.service.store.learner(learner_id)
        return self.signer.issue(learner.id, learner.cohort_id, learner.link_generation)

    def call(self, learner_id: str, op: str, **args) -> dict:
        return self.service.call(op, self.token(learner_id), args)

    def quiz(self, learner_id: str, module_id: str, choices: dict[str, int]) -> None:
        """The quiz answered with these first choices (as widgets.quiz saves it), and marked done."""
        module = self.course.module(module_id)
        attempts = Attempts()
        for item, choice in choices.items():
            attempts.answer(item, choice)
        self.call(learner_id, "save", key=f"{module_id}.quiz",
                  value=attempts.as_dict({q.id: q.correct for q in module.quiz}))
        self.call(learner_id, "done", page=module_id, item="quiz")

    def right_or_wrong(self, module_id: str, right: bool) -> dict[str, int]:
        return {q.id: q.correct if right else (q.correct + 1) % q.options for q in self.course.module(module_id).quiz}

    def pulse(self, learner_id: str, module_id: str, choices: tuple[int, ...]) -> None:
        items = self.course.evaluation.pulse
        self.call(learner_id, "save", key=f"eval.{module_id}.pulse",
                  value={item.id: c for item, c in zip(items, choices, strict=True)})

    def reflections(self, learner_id: str, module_id: str, texts: list[str], lang: str, submit: bool = True) -> dict:
        module = self.course.module(module_id)
        answers = {}
        for reflection, text in zip(module.reflections, texts, strict=False):
            self.call(learner_id, "save", key=f"{module_id}.reflection.{reflection.id}", value={"text": text})
            answers[reflection.id] = text
        return self.call(learner_id, "submit", page=module_id, answers=answers, lang=lang) if submit else {}

    def open(self, learner_id: str, module_id: str, lang: str) -> dict:
        return self.call(learner_id, "open", page=module_id, lang=lang)
