"""The pages `innokraft serve` answers itself, beside Voilà's notebooks: the root's redirect to
the start page, a learner's full feedback, a facilitator's exports, and readiness for a load
balancer. Each checks its link before it reads anything."""

from __future__ import annotations

import tornado.web
from tornado.ioloop import IOLoop

from ..core.secret import load_secret
from ..core.settings import Settings
from ..core.tokens import FacilitatorSigner, TokenError
from ..course.load import course_and_texts
from ..course.markdown import answer_html, comment_html
from ..course.model import Course
from ..course.texts import Texts, choose_language
from ..learner.auth import authenticate, authenticate_facilitator
from ..learner.service import LearnerService
from ..store.db import Store
from ..store.feedback import feedback_for_learner
from . import store_api
from .security import SecureHeaders
from .templates import render


def refuse_facilitator_page(handler: tornado.web.RequestHandler, settings: Settings, course: Course,
                            store: Store):
    """Facilitator pages open only with a facilitator link of the cohort's current generation,
    checked before any kernel runs. Returns the identity, or None after writing a translated 403."""
    signer = FacilitatorSigner(load_secret(settings), course.evaluation.facilitator_link_days)
    try:
        return authenticate_facilitator(store, signer, handler.get_argument("t", None))
    except TokenError:
        refused(handler, settings, course)
        return None


def refused(handler: tornado.web.RequestHandler, settings: Settings, course: Course) -> None:
    """The translated 403 of a facilitator page asked for without a valid facilitator link."""
    _course, texts = course_and_texts(settings.config_dir)
    lang = choose_language(course, handler.get_argument("lang", None), None)
    handler.set_status(403)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(render("refused.html.j2", t=Texts(lang, texts[lang])))


class StartPageRedirect(SecureHeaders, tornado.web.RequestHandler):
    """The root URL (and Voilà's file tree) opens the course start page, keeping ?t= and ?lang=."""

    def initialize(self, target: str):
        self.target = target

    def get(self, *_args):
        query = self.request.query
        self.redirect(self.target + (f"?{query}" if query else ""))


class FeedbackPage(SecureHeaders, tornado.web.RequestHandler):
    """The full feedback on the holder's latest submission, for their link only, in their
    language, readable on a phone. Read from the course store (copied there by
    `innokraft feedback`), never from nbgrader's gradebook; answers and comments are
    rendered escaped, and the page runs no script and makes no request off the machine.
    """

    def initialize(self, settings: Settings, course: Course, service: LearnerService):
        self.course_settings = settings
        self.course = course
        self.service = service

    async def get(self, module_id: str):
        try:
            module = self.course.module(module_id)
        except KeyError:
            raise tornado.web.HTTPError(404) from None
        store = self.service.store
        token = self.get_argument("t", None)

        def read():  # the database's part, off the event loop that relays every page's messages
            session = authenticate(store, self.service.signer, token)
            found = feedback_for_learner(store, session.learner.id, module.id) if session.kind == "learner" else None
            return session, found

        session, feedback = await IOLoop.current().run_in_executor(None, read)
        if session.kind != "learner":
            raise tornado.web.HTTPError(403)
        _course, texts = course_and_texts(self.course_settings.config_dir)
        lang = choose_language(self.course, self.get_argument("lang", None), session.learner.lang)
        t = Texts(lang, texts[lang])
        title = t("grading.page_title", module=module.title[lang])
        questions = [] if feedback is None else [
            # The answer was escaped when submitted: rendered, it reads exactly as typed.
            {"prompt": reflection.prompt[lang], "answer": answer_html(feedback.answers.get(reflection.id, "")),
             "comment": comment_html(feedback.comments.get(reflection.id, "").strip())
             if feedback.comments.get(reflection.id, "").strip() else None}
            for reflection in module.reflections]
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy",
                        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        self.write(render("feedback.html.j2", t=t, lang=lang, title=title, feedback=feedback, questions=questions))


class FacilitatorExport(tornado.web.RequestHandler):
    """The dashboard's download buttons: one cohort's export, for its facilitator link only."""

    def initialize(self, settings: Settings, course: Course, service: LearnerService):
        self.course_settings = settings
        self.course = course
        self.service = service

    async def get(self, kind: str):
        from ..facilitator.exports import export

        store = self.service.store  # the server's one engine
        token = self.get_argument("t", None)
        signer = FacilitatorSigner(load_secret(self.course_settings), self.course.evaluation.facilitator_link_days)
        lang = choose_language(self.course, self.get_argument("lang", None), None)

        def made():  # the database and nbgrader's part, off the event loop
            identity = authenticate_facilitator(store, signer, token)
            # A download is a file for Excel: the gradebook with a BOM, in Swedish with ';'.
            return identity, export(kind, self.course_settings, self.course, store, lang, identity.cohort_id,
                                    delimiter=";" if lang == "sv" else ",", bom=True)

        try:
            identity, body = await IOLoop.current().run_in_executor(None, made)
        except TokenError:
            refused(self, self.course_settings, self.course)
            return
        kinds = {".csv": "text/csv", ".md": "text/markdown", ".jsonl": "application/x-ndjson"}
        self.set_header("Content-Type", kinds[kind[kind.rindex("."):]] + "; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{identity.cohort_id}-{kind}"')
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.write(body)


def warm_pools(kernel_manager) -> dict[str, dict[str, int]]:
    """Per notebook: preheated kernels that wait for a visitor with their page executed up to the
    visitor's request (they said so through the store API), and those still warming."""
    state = {}
    for notebook, items in getattr(kernel_manager, "_pools", {}).items():
        warm = sum(1 for item in items if item.done() and not item.cancelled() and item.exception() is None
                   and item.result()["kernel_id"] in store_api.WAITING_KERNELS)
        state[notebook] = {"warm": warm, "warming": len(items) - warm}
    return state


class ReadyPage(SecureHeaders, tornado.web.RequestHandler):
    """For a load balancer and for scripts: 200 once every page has had a warm kernel waiting, else 503.

    Right after start-up every pool executes its page at once; a visitor then waits for that
    execution on two busy cores. Once warm the node stays ready: a pool refilling after a
    visit is normal work, not a reason to take the node out of rotation.
    """

    warmed = False

    def get(self):
        pools = warm_pools(self.settings["kernel_manager"])
        if not ReadyPage.warmed:
            # A page with no pool (a facilitator's) is ready as it is: its kernel starts on a visit.
            ReadyPage.warmed = all(p["warming"] == 0 and p["warm"] > 0 for p in pools.values()
                                   if p["warm"] or p["warming"])
        self.set_status(200 if ReadyPage.warmed else 503)
        self.set_header("Cache-Control", "no-store")
        self.write({"ready": ReadyPage.warmed, "pools": pools})


