"""The page template's own words (skip link, loading note) from course_config.

The template writes them before any cell has run, when the visitor's ?lang= is not yet known
(a preheated kernel renders the page in advance), so it gets every language: the default one
as text, each as data-text-<lang> for the template's script and innokraft.js to switch to.
Voilà hands them to the template in page_config (its page_config_hook): `innokraft serve` sets
them in serve.course_page_config, Binder's Jupyter server through binder_page_config.
"""

from __future__ import annotations

import functools

from .config import Course, course_and_texts, load_course
from .i18n import Texts
from .settings import Settings

KEYS = ("skip_link", "loading")  # ui.<key> in course_config/text/<lang>/ui.yaml


def template_texts(settings: Settings, course: Course) -> dict[str, dict[str, str]]:
    """{lang: {key: text}}, the course's default language first."""
    _course, texts = course_and_texts(settings.config_dir)
    order = [course.default_language] + [lang for lang in course.languages if lang != course.default_language]
    return {lang: {key: Texts(lang, texts[lang])(f"ui.{key}") for key in KEYS} for lang in order}


@functools.cache
def _from_env() -> dict[str, dict[str, str]]:
    settings = Settings.from_env()
    return template_texts(settings, load_course(settings.config_dir))


def binder_page_config(page_config: dict, **_kwargs) -> dict:
    """Voilà's page_config_hook on Binder (binder/jupyter_server_config.py)."""
    page_config["innokraftTexts"] = _from_env()
    return page_config
