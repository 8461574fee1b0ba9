"""The pages `innokraft serve` answers with outside the notebooks: the accessibility statement,
the privacy notice and every error, each naming a contact and the way back (server side only:
learner kernels never import tornado's web layer for this)."""

from __future__ import annotations

from urllib.parse import urlencode

import tornado.web
from markupsafe import Markup

from ..course.load import course_and_texts
from ..course.service import contact, footer, need_help, service_bar, start_link
from ..course.texts import Texts, choose_language
from .templates import render


def _texts_for(handler, settings, course) -> Texts:
    _course, texts = course_and_texts(settings.config_dir)
    lang = choose_language(course, handler.get_argument("lang", None), None)
    return Texts(lang, texts[lang])


def write_page(handler, status: int, t: Texts, title: str, body: Markup, settings, course) -> None:
    """A whole page in the course's look (service line, language switch, footer) around `body`."""
    token = handler.get_argument("t", None)
    base = handler.settings.get("base_url", "/")
    _course, texts = course_and_texts(settings.config_dir)
    other_langs = [(lang, texts[t.lang]["ui.language_switch"], "?" + urlencode({"lang": lang, **({"t": token}
                                                                                               if token else {})}))
                   for lang in course.languages if lang != t.lang]
    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("Referrer-Policy", "no-referrer")
    handler.finish(render("frame.html.j2", t=t, title=title, body=body, prefix=base, other_langs=other_langs,
                          service_bar=service_bar(t), footer=footer(t, base, token)))


def write_error_page(handler, status: int, settings, course) -> None:
    """Every error names whom to contact and offers the way back, in the page's language."""
    t = _texts_for(handler, settings, course)
    kind = "not_found" if status == 404 else "error"
    title = t(f"service.{kind}_title")
    body = Markup("<h1>{}</h1><p>{}</p><p class=\"innokraft-help\">{}</p>{}").format(
        title, t(f"service.{kind}_text", status=status), need_help(t),
        start_link(t, handler.settings.get("base_url", "/"), course.start_notebook, handler.get_argument("t", None)))
    write_page(handler, status, t, title, body, settings, course)


class ServicePage(tornado.web.RequestHandler):
    def initialize(self, settings, course):
        self.course_settings = settings
        self.course = course

    def write_error(self, status_code: int, **kwargs) -> None:
        write_error_page(self, status_code, self.course_settings, self.course)


class AboutPage(ServicePage):
    """The accessibility statement and the privacy notice, for anyone, in either language."""

    def get(self, kind: str) -> None:
        t = _texts_for(self, self.course_settings, self.course)
        title = t(f"service.{kind}_title")
        body = Markup("<h1>{}</h1>{}{}").format(
            title, t.html(f"service.{kind}_body", **contact(t)),
            start_link(t, self.settings.get("base_url", "/"), self.course.start_notebook, self.get_argument("t", None)))
        write_page(self, 200, t, title, body, self.course_settings, self.course)


class NotFoundPage(ServicePage):
    """Anything the server does not know: a calm 404 with a contact and the way back."""

    def prepare(self) -> None:
        write_error_page(self, 404, self.course_settings, self.course)
