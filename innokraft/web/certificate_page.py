"""A learner's certificate through their personal link (`core.tokens.certificate_url`): the PDF
once every module is done, else a page in their language that says why not (what is missing, a
withdrawn certificate, a name the roster lacks). The first download issues it (recorded in the
store); every later one prints the same certificate.

The link's token arrives as `?t=`, which the server's logs redact (web.logs). The PDF is made
here, on the server (WeasyPrint), off the event loop; never in a learner's kernel.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import tornado.web
from markupsafe import Markup
from tornado.ioloop import IOLoop

from ..core import clock
from ..core.settings import Settings
from ..course.load import course_and_texts
from ..course.model import Course
from ..course.service import need_help, start_link
from ..course.texts import Texts, choose_language
from ..facilitator.certificate import certificate_pdf, codes, file_name, missing_modules, obtain
from ..learner.auth import authenticate
from ..learner.service import LearnerService
from .security import SecureHeaders
from .service_pages import write_error_page, write_page

# The status of each page that says why there is no PDF: not yet (409: the learner's progress
# decides), withdrawn (410), no certificate in this course (404).
STATUS = {"missing": 409, "no_name": 409, "withdrawn": 410, "none": 404}


class CertificateDownload(SecureHeaders, tornado.web.RequestHandler):
    def initialize(self, settings: Settings, course: Course, service: LearnerService):
        self.course_settings = settings
        self.course = course
        self.service = service

    def write_error(self, status_code: int, **kwargs) -> None:
        write_error_page(self, status_code, self.course_settings, self.course)

    async def get(self) -> None:
        store = self.service.store
        token = self.get_argument("t", None)
        _course, texts = course_and_texts(self.course_settings.config_dir)

        def made():  # the database and WeasyPrint, off the event loop that relays every page's messages
            session = authenticate(store, self.service.signer, token)
            if session.kind != "learner":
                return session, None, None
            today = clock.now(self.course_settings).astimezone(ZoneInfo(self.course.timezone)).date()
            outcome = obtain(self.course, store, codes(self.course_settings, self.course), session.learner, today)
            pdf = certificate_pdf(self.course, texts, outcome.certificate) if outcome.certificate else None
            return session, outcome, pdf

        session, outcome, pdf = await IOLoop.current().run_in_executor(None, made)
        if session.kind != "learner":
            raise tornado.web.HTTPError(403)
        lang = choose_language(self.course, self.get_argument("lang", None), session.learner.lang)
        t = Texts(lang, texts[lang])
        self.set_header("Cache-Control", "no-store")
        if pdf is not None:
            self.set_header("Content-Type", "application/pdf")
            self.set_header("Content-Disposition", f'attachment; filename="{file_name(t, outcome.certificate)}"')
            self.finish(pdf)
            return
        title = t(f"certificate.page.{outcome.kind}_title")
        reason = t(f"certificate.page.{outcome.kind}",
                   **({"modules": missing_modules(self.course, t, outcome.missing)} if outcome.missing else {}))
        body = Markup('<h1>{}</h1><p>{}</p><p class="innokraft-help">{}</p>{}').format(
            title, reason, need_help(t), start_link(t, self.settings.get("base_url", "/"), self.course.start_notebook,
                                                   token))
        write_page(self, STATUS[outcome.kind], t, title, body, self.course_settings, self.course)
