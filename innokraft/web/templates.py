"""The page templates: compiled once per server, not once per page, and given their own words.

Voilà makes a new nbconvert exporter, and with it a new Jinja environment, for every page it
writes: each preheated kernel's page, each visitor's. Jinja keeps compiled templates per
environment, so every page compiled the course template and the templates it extends anew, on
the thread that also relays every learner's kernel messages (issue 7: py-spy found it; the
server's CPU per M1 visit, with its pool refill, fell from 227-278 ms to 205 ms). Jinja's
bytecode cache, one per server and in memory, keeps them across environments (CourseExporter,
the pages' exporter); a template whose source changed is compiled anew (the cache compares the
source's checksum).
"""

from __future__ import annotations

import functools

import jinja2
from voila.exporter import VoilaExporter

from ..core.settings import Settings
from ..course.load import course_and_texts
from ..course.model import Course, load_course
from ..course.texts import Texts


class _InMemory(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[tuple, bytes] = {}

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple:
        # Compiled code depends on the environment's settings as well as on the source.
        env = bucket.environment
        return (bucket.key, env.is_async, tuple(sorted(env.extensions)),
                env.block_start_string, env.variable_start_string)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(self._key(bucket))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[self._key(bucket)] = bucket.bytecode_to_string()


SHARED = _InMemory()


class CourseExporter(VoilaExporter):
    """Voilà's exporter, with the server's one bytecode cache in every environment it makes."""

    @property
    def environment(self):
        env = super().environment
        env.bytecode_cache = SHARED
        return env


# The pages `innokraft serve` writes itself (web/page_templates): autoescaped, compiled once.
_pages = jinja2.Environment(loader=jinja2.PackageLoader("innokraft.web", "page_templates"),
                            autoescape=True, undefined=jinja2.StrictUndefined, bytecode_cache=SHARED)


def render(name: str, **context) -> str:
    """One of web/page_templates, every value escaped unless it is markupsafe.Markup."""
    return _pages.get_template(name).render(**context)


def use_in_voila() -> None:
    """Voilà has no setting for the exporter its page renderer makes: the renderer's module
    names VoilaExporter, and from now on that name is ours."""
    import voila.notebook_renderer

    voila.notebook_renderer.VoilaExporter = CourseExporter


# The page template's own words (skip link, loading note) from course_config. The template
# writes them before any cell has run, when the visitor's ?lang= is not yet known (a preheated
# kernel renders the page in advance), so it gets every language: the default one as text, each
# as data-text-<lang> for the template's script and innokraft.js to switch to. Voilà hands them
# to the template in page_config (its page_config_hook): `innokraft serve` sets them in
# app.course_page_config, Binder's Jupyter server through binder_page_config.
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
