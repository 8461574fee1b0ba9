"""The team link's door on the public port: the member form of one team session (innokraft.teams).

Written by the server itself: a member's phone costs no kernel, and the page needs no script.
The link's token names the session; the device cookie lives under this one link's path, so no
course page and no other session ever receives it. A form posted from another site is refused
(its Origin says so): the link is the only credential, and it is needed to post at all.
"""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import tornado.web
from tornado.ioloop import IOLoop

from ..core import clock
from ..course.load import course_and_texts
from ..learner.service import LearnerService
from ..teams.member import COOKIE, COOKIE_VALUE, MemberForms, Reply
from .security import SecureHeaders
from .service_pages import write_error_page

MAX_FORM_BYTES = 10_000
COOKIE_DAYS = 1  # a session closes within hours; its cookie is worth nothing after


class TeamFormPage(SecureHeaders, tornado.web.RequestHandler):
    def initialize(self, service: LearnerService, executor: ThreadPoolExecutor):
        self.service = service
        self.executor = executor

    def check_xsrf_cookie(self) -> None:
        """No XSRF cookie: a member has no session to protect; the link is the credential, and a
        post from another site is refused by its Origin (post)."""

    def write_error(self, status_code: int, **kwargs) -> None:
        write_error_page(self, status_code, self.service.settings, self.service.course)

    def forms(self) -> MemberForms:
        settings = self.service.settings
        _course, texts = course_and_texts(settings.config_dir)
        return MemberForms(self.service.store, self.service.course, texts, self.service.signer_secret,
                           self.settings.get("base_url", "/"))

    async def get(self, token: str) -> None:
        reply = await IOLoop.current().run_in_executor(
            self.executor, self.forms().get, token, self.get_cookie(COOKIE), self.get_query_argument("lang", None),
            self.get_query_argument("sent", None) == "1", clock.now(self.service.settings))
        self._send(reply)

    async def post(self, token: str) -> None:
        origin = self.request.headers.get("Origin")
        if origin and origin != "null" and urlparse(origin).netloc != self.request.host:
            raise tornado.web.HTTPError(403)
        if len(self.request.body) > MAX_FORM_BYTES:
            raise tornado.web.HTTPError(413)
        fields = {name: values[-1].decode("utf-8", "replace")
                  for name, values in self.request.body_arguments.items() if values}
        cookie = self.get_cookie(COOKIE)
        if not cookie or not COOKIE_VALUE.fullmatch(cookie):
            cookie = secrets.token_urlsafe(24)
        reply = await IOLoop.current().run_in_executor(
            self.executor, self.forms().post, token, cookie, fields, self.get_query_argument("lang", None),
            clock.now(self.service.settings))
        if reply.status == 303:  # stored: this device's cookie, for this link's path only
            self.set_cookie(COOKIE, cookie, path=self.request.path, httponly=True, samesite="Lax",
                            secure=self.request.protocol == "https", expires_days=COOKIE_DAYS)
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        self.set_header("Cache-Control", "no-store")
        if reply.redirect is not None:
            self.redirect(reply.redirect, status=303)
            return
        self.set_status(reply.status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(reply.html)
