"""Picking the page's language and looking up its texts."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .markdown import course_html, course_html_once

if TYPE_CHECKING:
    from .model import Course


class Texts:
    """One language's texts: texts("ui.saved", time="10:42")."""

    def __init__(self, lang: str, table: Mapping[str, str]):
        self.lang = lang
        self._table = table

    def __call__(self, key: str, **values: object) -> str:
        try:
            text = self._table[key]
        except KeyError:
            raise KeyError(f"no text {key!r} for language {self.lang!r} in course_config") from None
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self._table

    def ids(self, prefix: str) -> list[str]:
        """The names one level under prefix (glossary.<id>.… gives each id once), in file order."""
        start = f"{prefix}."
        return list(dict.fromkeys(k[len(start):].split(".", 1)[0] for k in self._table if k.startswith(start)))

    def items(self, prefix: str) -> list[str]:
        """The list stored under prefix (keys prefix.0, prefix.1, ...)."""
        out, i = [], 0
        while f"{prefix}.{i}" in self._table:
            out.append(self._table[f"{prefix}.{i}"])
            i += 1
        return out

    def html(self, key: str, **values: object) -> Markup:
        """A course text written in Markdown, as HTML (any raw HTML in it is escaped).

        Values are text, never Markup: each goes in as a placeholder that Markdown leaves
        alone, and comes out HTML-escaped, so a learner's name like `[x](javascript:…)` or
        `<img>` shows as typed.
        """
        if not values:
            return course_html(self(key))
        marks = {name: f"ikvalue{secrets.token_hex(8)}x" for name in values}
        out = str(course_html_once(self(key, **marks)))
        for name, mark in marks.items():
            out = out.replace(mark, escape(str(values[name])))
        return Markup(out)

    def html_inline(self, key: str, **values: object) -> Markup:
        """Like html(), without the paragraph around a one-line text (list items, labels)."""
        out = str(self.html(key, **values)).strip()
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        return Markup(out)

    @staticmethod
    def render_markdown(text: str) -> Markup:
        return course_html(text)

    def __getitem__(self, key: str) -> str:
        """The raw text, as a Mapping (facts.py reads its words this way)."""
        return self._table[key]


def choose_language(course: Course, requested: str | None, saved: str | None) -> str:
    """?lang= first, then the learner's saved choice, then the course default."""
    for candidate in (requested, saved):
        if candidate and candidate in course.languages:
            return candidate
    return course.default_language
