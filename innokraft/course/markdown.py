"""Markdown as the course shows it: course texts, a facilitator's comments, a graded answer.

One renderer (mistune), escaping any HTML in its input (so its output is markupsafe.Markup), in
two settings: course texts keep a
line break inside a paragraph as a space (the YAML wraps long lines), a facilitator's comment
keeps it as a line break (formgrader's text box is typed, not wrapped).
"""

from __future__ import annotations

import html
from functools import lru_cache

import mistune
from markupsafe import Markup

_course = mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])
_typed = mistune.create_markdown(escape=True, hard_wrap=True, plugins=["strikethrough", "table"])


@lru_cache(maxsize=2048)
def course_html(text: str) -> Markup:
    """A course text as HTML. A page's texts are the same on every visit: a preheated kernel
    renders its own before the visitor comes (innokraft.kernel.page.open_page)."""
    return Markup(_course(text))


def course_html_once(text: str) -> Markup:
    """course_html for a text made for one visit (a learner's name in it): not kept."""
    return Markup(_course(text))


def comment_html(text: str) -> Markup:
    """A facilitator's comment as HTML; any HTML in it is shown as text."""
    return Markup(_typed(text or ""))


def answer_html(escaped: str) -> Markup:
    """A graded answer as HTML. It was stored escaped (grading.exchange.escape_answer: entities
    for & < ", backslashes before Markdown punctuation); the renderer escapes HTML itself, so
    undo the entities first or the learner would read `&lt;`."""
    return Markup(_typed(html.unescape(escaped or "")))
