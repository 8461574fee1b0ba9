"""The module's written reflections: one autosaved draft per prompt, with a word count."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets

from .exercise import Exercise


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:[-'’]\w+)*", text or ""))


class _Prompt(Exercise):
    """One reflection prompt's draft."""

    def __init__(self, page, reflection, number: int):
        self.reflection = reflection
        self.number = number
        super().__init__(page, f"reflection.{reflection.id}")

    def _build(self) -> None:
        self.box = widgets.Textarea(
            value="", rows=8, continuous_update=True,
            description=self.t("ui.reflection.answer_label", number=self.number),
            layout=widgets.Layout(width="100%"),
        )
        self.box.style.description_width = "initial"
        self.box.add_class("innokraft-stacked")
        self.box.observe(self.changed, "value")
        self.words = widgets.HTML()
        prompt = html.escape(self.reflection.prompt[self.t.lang])
        self.children = [
            widgets.HTML(f'<h3>{self.number}.</h3><p class="innokraft-prompt">{prompt}</p>'),
            self.box,
            widgets.HBox([self.words, self.status]),
        ]

    def state(self) -> dict:
        return {"text": self.box.value}

    def restore(self, value: dict) -> None:
        self.box.value = str(value.get("text", ""))

    def is_done(self) -> bool:
        return word_count(self.box.value) >= self.page.course.reflection_min_words

    def update(self) -> None:
        self.words.value = html.escape(self.t("ui.reflection.words", count=word_count(self.box.value)))


class Reflections(widgets.VBox):
    """All reflection prompts of the page's module."""

    def __init__(self, page, **kwargs):
        super().__init__(**kwargs)
        self.page = page
        self.add_class("innokraft-reflections")
        self.prompts = [_Prompt(page, r, n) for n, r in enumerate(page.module.reflections, start=1)]
        self.children = [
            widgets.HTML(f"<h2>{html.escape(page.t('ui.reflection.title'))}</h2>"
                         f"{page.t.html('ui.reflection.intro')}"),
            *self.prompts,
        ]
