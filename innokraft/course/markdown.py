"""Markdown as the course shows it: course texts, a facilitator's comments, a graded answer.

One renderer (mistune), escaping any HTML in its input, in two settings: course texts keep a
line break inside a paragraph as a space (the YAML wraps long lines), a facilitator's comment
keeps it as a line break (formgrader's text box is typed, not wrapped).
"""

from __future__ import annotations

import html
from functools import lru_cache

import mistune

_course = mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])
_typed = mistune.create_markdown(escape=True, hard_wrap=True, plugins=["strikethrough", "table"])


@lru_cache(maxsize=2048)
def course_html(text: str) -> str:
    """A course text as HTML. A page's texts are the same on every visit: a preheated kernel
    renders its own before the visitor comes (widgets.pages.before_the_visitor)."""
    return _course(text)


def course_html_once(text: str) -> str:
    """course_html for a text made for one visit (a learner's name in it): not kept."""
    return _course(text)


def comment_html(text: str) -> str:
    """A facilitator's comment as HTML; any HTML in it is shown as text."""
    return _typed(text or "")


def answer_html(escaped: str) -> str:
    """A graded answer as HTML. It was stored escaped (grading.exchange.escape_answer: entities
    for & < ", backslashes before Markdown punctuation); the renderer escapes HTML itself, so
    undo the entities first or the learner would read `&lt;`."""
    return _typed(html.unescape(escaped or ""))
