"""The facilitator's pages and documents as HTML: Jinja templates (facilitator/templates),
autoescaped, so no learner's text or name reaches a page unescaped."""

from __future__ import annotations

from functools import cache

import jinja2


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("innokraft.facilitator", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)


def render(name: str, **context) -> str:
    return _environment().get_template(name).render(**context)
