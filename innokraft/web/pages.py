"""The pages `innokraft serve` answers itself, beside Voilà's notebooks: the root's redirect to
the start page, a learner's full feedback, a facilitator's exports, and readiness for a load
balancer. Each checks its link before it reads anything."""

from __future__ import annotations

import html

import tornado.web

from ..core.secret import load_secret
from ..core.settings import Settings
from ..core.tokens import FacilitatorSigner, TokenError
from ..course.load import course_and_texts
from ..course.markdown import answer_html, comment_html
from ..course.model import Course
from ..course.texts import Texts, choose_language
from ..learner.auth import authenticate
from ..learner.service import LearnerService
from ..store.feedback import feedback_for_learner
from . import store_api
from .security import SecureHeaders


def refuse_facilitator_page(handler: tornado.web.RequestHandler, settings: Settings, course: Course):
    """Facilitator pages open only with a facilitator link, checked before any kernel runs.

    Returns the facilitator identity, or None after writing a translated 403 page.
    """
    signer = FacilitatorSigner(load_secret(settings), course.evaluation.facilitator_link_days)
    try:
        return signer.verify(handler.get_argument("t", None))
    except TokenError:
        _course, texts = course_and_texts(settings.config_dir)
        lang = choose_language(course, handler.get_argument("lang", None), None)
        t = Texts(lang, texts[lang])
        handler.set_status(403)
        handler.set_header("Content-Type", "text/html; charset=utf-8")
        handler.set_header("Cache-Control", "no-store")
        handler.finish(
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(t('dashboard.refused.title'))}</title></head>"
            f'<body><main><h1>{html.escape(t("dashboard.refused.title"))}</h1>'
            f'<div class="innokraft-refused">{t.html("dashboard.refused.body")}</div></main></body></html>'
        )
        return None


class StartPageRedirect(SecureHeaders, tornado.web.RequestHandler):
    """The root URL (and Voilà's file tree) opens the course start page, keeping ?t= and ?lang=."""

    def initialize(self, target: str):
        self.target = target

    def get(self, *_args):
        query = self.request.query
        self.redirect(self.target + (f"?{query}" if query else ""))


FEEDBACK_CSS = """
body{margin:0;font:1.0625rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;
background:#fff}main{max-width:42rem;margin:0 auto;padding:1rem 1rem 3rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.75rem 0 .5rem}
.score{font-size:1.15rem;font-weight:600}.answer,.comment{padding:.75rem 1rem;border-radius:.4rem;
overflow-wrap:anywhere}.answer{background:#f3f3f3}.comment{background:#eef5ee;border-left:4px solid #2e7d32}
h3{font-size:1rem;margin:1rem 0 .35rem}p{margin:.4rem 0}
"""


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

    def get(self, module_id: str):
        try:
            module = self.course.module(module_id)
        except KeyError:
            raise tornado.web.HTTPError(404) from None
        store = self.service.store
        session = authenticate(store, self.service.signer, self.get_argument("t", None))
        if session.kind != "learner":
            raise tornado.web.HTTPError(403)
        _course, texts = course_and_texts(self.course_settings.config_dir)
        lang = choose_language(self.course, self.get_argument("lang", None), session.learner.lang)
        t = Texts(lang, texts[lang])
        feedback = feedback_for_learner(store, session.learner.id, module.id)
        title = t("grading.page_title", module=module.title[lang])
        body = [f"<h1>{html.escape(title)}</h1>"]
        if feedback is None:
            body.append(f"<p>{html.escape(t('grading.not_yet'))}</p>")
        else:
            score = t("grading.score", score=feedback.score, max_score=feedback.max_score)
            body.append(f'<p class="score">{html.escape(score)}</p>')
            for number, reflection in enumerate(module.reflections, start=1):
                comment = feedback.comments.get(reflection.id, "").strip()
                body += [
                    f'<section><h2>{html.escape(t("grading.question", number=number))}</h2>',
                    f"<p>{html.escape(reflection.prompt[lang])}</p>",
                    f'<h3>{html.escape(t("grading.your_answer"))}</h3>',
                    # The answer was escaped when submitted: rendered, it reads exactly as typed.
                    f'<div class="answer">{answer_html(feedback.answers.get(reflection.id, ""))}</div>',
                    f'<h3>{html.escape(t("grading.comment"))}</h3>',
                    f'<div class="comment">{comment_html(comment)}</div>' if comment
                    else f'<p>{html.escape(t("grading.no_comment"))}</p>',
                    "</section>",
                ]
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy",
                        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        self.write(
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{FEEDBACK_CSS}</style></head>"
            f'<body><main>{"".join(body)}</main></body></html>'
        )


class FacilitatorExport(tornado.web.RequestHandler):
    """The dashboard's download buttons: one cohort's export, for its facilitator link only."""

    def initialize(self, settings: Settings, course: Course, service: LearnerService):
        self.course_settings = settings
        self.course = course
        self.service = service

    def get(self, kind: str):
        from ..facilitator.exports import export

        identity = refuse_facilitator_page(self, self.course_settings, self.course)
        if identity is None:
            return
        lang = choose_language(self.course, self.get_argument("lang", None), None)
        store = self.service.store  # the server's one engine
        body = export(kind, self.course_settings, self.course, store, lang, identity.cohort_id)
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
            ReadyPage.warmed = all(p["warming"] == 0 and p["warm"] > 0 for p in pools.values())
        self.set_status(200 if ReadyPage.warmed else 503)
        self.set_header("Cache-Control", "no-store")
        self.write({"ready": ReadyPage.warmed, "pools": pools})


