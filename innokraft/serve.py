"""`innokraft serve`: standalone Voilà on the course notebooks, with safe settings.

Learners only ever reach standalone Voilà: no file browser, no raw notebooks, no
terminals, no code sent to kernels.
"""

from __future__ import annotations

import asyncio
import html
import os
import shutil
from pathlib import Path

import tornado.web
from jupyter_core.utils import ensure_async, run_sync
from jupyter_server.utils import url_path_join
from traitlets.config import Config
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from widgets import front_files

from . import compiled, store_api, store_client
from .compiled_templates import use_in_voila
from .config import Course
from .request import OPEN_PAGE_TAG
from .settings import Settings
from .static_files import CourseStaticFiles, WidgetFrontFiles
from .template_texts import template_texts
from .web_security import COOKIE_KWARGS, HEADERS, CourseKernelWebsocket, SecureHeaders

FACILITATOR_PAGES = "facilitator/"  # notebooks/facilitator/: opened with a facilitator link only
CELL_TIMEOUT_SECONDS = 60
# A page whose tab vanished without closing (a phone losing its network) stops answering
# the server's websocket pings within PING_S + PING_S; its kernel, then unconnected, is
# culled once idle for CULL_IDLE_S, checked every CULL_EVERY_S: freed within 3 minutes.
# A connected page keeps its kernel however long the leader reads.
PING_S = 20
CULL_IDLE_S = 90
CULL_EVERY_S = 30
POOL_REFILL_DELAY_S = 3.0  # see voila_config


def cell_timeout(cell) -> int | None:
    """No limit for the cell where a preheated kernel waits for its visitor; 60 s elsewhere."""
    if OPEN_PAGE_TAG in cell.get("metadata", {}).get("tags", []) and \
            os.environ.get("INNOKRAFT_PREHEAT") == "1":
        return None
    return CELL_TIMEOUT_SECONDS


async def end_all_kernels(manager) -> None:
    """Every kernel at once, on the server's stop. A kernel may end by itself meanwhile (its
    page's shutdown beacon, the culler): the manager's 404 for it is no error, the rest still end."""
    for attempt in range(3):
        try:
            await ensure_async(manager.shutdown_all(now=True))
            return
        except tornado.web.HTTPError as error:
            if error.status_code != 404 or attempt == 2:
                raise
            await asyncio.sleep(0.2)  # the other kernels' shutdowns, already under way, finish


def refuse_facilitator_page(handler: tornado.web.RequestHandler, settings: Settings, course: Course):
    """Facilitator pages open only with a facilitator link, checked before any kernel runs.

    Returns the facilitator identity, or None after writing a translated 403 page.
    """
    from .config import course_and_texts
    from .facilitator_link import FacilitatorSigner
    from .i18n import Texts, choose_language
    from .links import TokenError, load_secret

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


class CoursePageHandler(TornadoVoilaHandler):
    async def get(self, path=None):
        if (path or "").startswith(FACILITATOR_PAGES) and \
                refuse_facilitator_page(self, CourseVoila.course_settings, CourseVoila.course) is None:
            return None
        # Voilà's page sends its kernel-shutdown beacon with the `_xsrf` cookie's value, but
        # standalone Voilà never sets that cookie, so the shutdown is refused and every visit
        # leaks a kernel (voila#1458). Reading the token sets the cookie; XSRF checks stay on.
        self.xsrf_token  # noqa: B018
        return await super().get(path)

    def write_error(self, status_code: int, **kwargs) -> None:
        from .service_pages import write_error_page

        write_error_page(self, status_code, CourseVoila.course_settings, CourseVoila.course)


def course_page_config(page_config: dict, base_url: str, settings: dict, **_kwargs) -> dict:
    """Voilà's page_config_hook: the page template's few words (skip link, loading note) in
    every language, and the widgets' browser modules to preload (a page's widgets name them,
    widgets.front_files: fetched beside the bundle, not after it has made the models)."""
    page_config["innokraftTexts"] = settings.get("innokraft_template_texts", {})
    page_config["innokraftModules"] = [front_files.url(name, base_url) for name in front_files.modules()]
    return page_config


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

    def initialize(self, settings: Settings, course: Course):
        self.course_settings = settings
        self.course = course

    def get(self, module_id: str):
        import html

        from .config import course_and_texts
        from .feedback import answer_html, comment_html, feedback_for_learner
        from .i18n import Texts, choose_language
        from .session import authenticate

        try:
            module = self.course.module(module_id)
        except KeyError:
            raise tornado.web.HTTPError(404) from None
        service = CourseVoila.service
        store = service.store
        session = authenticate(store, service.signer, self.get_argument("t", None))
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

    def initialize(self, settings: Settings, course: Course):
        self.course_settings = settings
        self.course = course

    def get(self, kind: str):
        from .exports import export
        from .i18n import choose_language

        identity = refuse_facilitator_page(self, self.course_settings, self.course)
        if identity is None:
            return
        lang = choose_language(self.course, self.get_argument("lang", None), None)
        store = CourseVoila.service.store  # the server's one engine
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


class CourseVoila(Voila):
    start_notebook = "00_start.ipynb"
    course_settings: Settings | None = None
    course: Course | None = None
    service = None  # the LearnerService: one store, one bounded pool for the whole process
    api_key = ""

    def init_settings(self):
        settings = super().init_settings()
        # Tornado reads compress_response when the Application is made, before Voilà applies
        # tornado_settings: only here does gzip reach every text response.
        settings["compress_response"] = True
        settings["websocket_ping_interval"] = PING_S
        settings["websocket_ping_timeout"] = PING_S
        settings["innokraft_template_texts"] = template_texts(self.course_settings, self.course)
        return settings

    def stop(self):
        # A course kernel holds nothing (every answer is in the store), so end kernels at once.
        # Asked politely, a preheated kernel waiting for its visitor is stopped mid-execution
        # and ipykernel logs a ZMQ traceback ("Socket operation on non-socket") on every stop.
        shutil.rmtree(self.connection_dir, ignore_errors=True)
        run_sync(end_all_kernels)(self.kernel_manager)

    def init_handlers(self):
        start = url_path_join(self.server_url, "voila/render", self.start_notebook)
        handlers = [(url_path_join(self.server_url, "innokraft/ready"), ReadyPage),
                    (url_path_join(self.server_url, r"innokraft/feedback/([a-z0-9_]+)"), FeedbackPage,
                     {"settings": self.course_settings, "course": self.course}),
                    (url_path_join(self.server_url, r"innokraft/facilitator/export/"
                                                    r"(research\.csv|codebook\.md|xapi\.jsonl|gradebook\.csv)"),
                     FacilitatorExport, {"settings": self.course_settings, "course": self.course}),
                    (url_path_join(self.server_url, front_files.URL_PATH, "(.*)"), WidgetFrontFiles,
                     {"path": str(front_files.FOLDER)})]
        handlers += store_api.api_handlers(self.server_url, self.service, self.api_key)
        for pattern, handler, *rest in super().init_handlers():
            if handler is TornadoVoilaTreeHandler:
                handlers.append((pattern, StartPageRedirect, {"target": start}))
            elif handler is TornadoVoilaHandler:
                handlers.append((pattern, CoursePageHandler, *rest))
            elif handler is VoilaKernelWebsocketHandler:
                handlers.append((pattern, CourseKernelWebsocket, *rest))
            elif handler is TemplateStaticFileHandler:
                handlers.append((pattern, CourseStaticFiles, *rest))
            elif "api/contents" in pattern:
                continue  # no listing of the course's files
            else:
                handlers.append((pattern, handler, *rest))
        # The accessibility statement and privacy notice; anything unknown gets a 404 that
        # names a contact and the way back (last: tornado takes the first match).
        from .service_pages import AboutPage, NotFoundPage

        pages = {"settings": self.course_settings, "course": self.course}
        handlers.insert(0, (url_path_join(self.server_url, r"innokraft/about/(accessibility|privacy)"),
                            AboutPage, pages))
        handlers.append((url_path_join(self.server_url, r"(?!voila/|api/|static/).*"), NotFoundPage, pages))
        return handlers


def pool_sizes(settings: Settings, course: Course | None = None, default: int = 1) -> dict[str, int]:
    """Preheated kernels per notebook: course.yaml's `kernel_pools`, else `default` each."""
    if course is None:
        course, _texts = compiled.course_and_texts(settings.config_dir)
    notebooks = sorted(p.name for p in settings.notebooks_dir.glob("*.ipynb"))
    pools = dict(course.kernel_pools) if default > 0 else {}
    return {nb: (pools.get(nb, pools.get("default", default)) if default > 0 else 0) for nb in notebooks}


def voila_config(settings: Settings, course: Course, ip: str, port: int, pool_size: int) -> Config:
    c = Config()
    c.Voila.root_dir = str(settings.notebooks_dir)
    c.Voila.ip = ip
    c.Voila.port = port
    c.Voila.port_retries = 0
    c.Voila.open_browser = False
    c.VoilaConfiguration.template = "innokraft"
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.allow_template_override = "NO"
    c.VoilaConfiguration.allow_theme_override = "NO"
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.file_allowlist = []
    c.VoilaConfiguration.page_config_hook = course_page_config
    # The pages load no JupyterLab extension (widgets/page_front draws the widgets); this keeps
    # the list Voilà writes into every page short.
    c.VoilaConfiguration.extension_allowlist = [
        "@jupyter-widgets/jupyterlab-manager",
        "@voila-dashboards/widgets-manager8",
        "anywidget",
    ]
    pools = pool_sizes(settings, course, pool_size)
    c.VoilaConfiguration.preheat_kernel = any(pools.values())
    c.VoilaConfiguration.default_pool_size = pool_size
    c.VoilaKernelManager.kernel_pools_config = {
        "default": {"pool_size": pool_size}, **{nb: {"pool_size": n} for nb, n in pools.items()}}
    c.VoilaExecutor.timeout_func = cell_timeout
    c.HTMLExporter.language_code = course.default_language
    # A closed page frees its kernel at once (the beacon); culling is the backstop for
    # pages that vanish without one (a phone losing its network). A preheated kernel waits
    # inside a running cell (busy), so culling never empties the pool.
    c.MappingKernelManager.cull_idle_timeout = CULL_IDLE_S
    c.MappingKernelManager.cull_interval = CULL_EVERY_S
    c.MappingKernelManager.cull_connected = False
    c.MappingKernelManager.cull_busy = False
    # A taken kernel's replacement starts (a Python process, the page run up to the visitor)
    # once the visitor's page has come up, not beside it on the same two cores: M1 on a
    # quiet 2-core machine was interactive at 3.3-3.7 s with a 0.5 s delay, 2.7-2.9 s with 3 s.
    c.VoilaKernelManager.fill_delay = POOL_REFILL_DELAY_S
    # Kernels talk to the server over Unix sockets, not TCP ports on 127.0.0.1: no port races
    # between kernels starting at once (ZMQError "Address already in use") and no plain-TCP
    # warning from every kernel.
    c.KernelManager.transport = "ipc"
    # Security headers on every page Voilà serves (its handlers read settings["headers"]).
    c.Voila.tornado_settings = {"headers": HEADERS, "xsrf_cookie_kwargs": COOKIE_KWARGS}
    # jupyter_server's anonymous-identity cookie (HttpOnly already) gets the same SameSite.
    c.IdentityProvider.cookie_options = COOKIE_KWARGS
    return c


# A course kernel reads no person's IPython profile (a server user's startup files would run in
# every learner's kernel) and keeps no input history: its cells are the course's, and a hundred
# kernels would all write to one SQLite history file.
KERNEL_PROFILE = "c.HistoryManager.enabled = False\n"


def kernel_ipython_dir(settings: Settings) -> Path:
    """The IPython directory the course's kernels use, with their one setting."""
    folder = settings.home / "run" / "ipython"
    config = folder / "profile_default" / "ipython_kernel_config.py"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(KERNEL_PROFILE)
    return folder


def _not_trusted_is_not_news(record) -> bool:
    """Voilà warns that each course notebook "is not trusted" on every page open; trust only
    matters where a person opens notebooks, and here the service runs its own."""
    return "is not trusted" not in record.getMessage()


def serve(settings: Settings, course: Course, ip: str = "127.0.0.1", port: int = 8866,
          pool_size: int = 1) -> None:
    os.environ.update(settings.environ())
    # The course template is found through the Jupyter data path.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(settings.config_dir)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    )
    os.environ["INNOKRAFT_PREHEAT"] = "1" if pool_size > 0 else "0"
    os.environ["IPYTHONDIR"] = str(kernel_ipython_dir(settings))
    # Kernels get the course compiled once, and the store through this process's API.
    from .learner_service import LearnerService

    os.environ[compiled.ENV] = str(compiled.compile_config(
        settings.config_dir, settings.home / "run" / f"course-{os.getpid()}.json"))
    CourseVoila.api_key = store_api.new_api_key()
    loopback = ip if ip not in ("", "0.0.0.0", "::") else "127.0.0.1"
    os.environ[store_client.API_ENV] = f"http://{loopback}:{port}/"
    os.environ[store_client.KEY_ENV] = CourseVoila.api_key
    CourseVoila.service = LearnerService.open(settings, migrate=False)
    # Served to learners, a page without its link says so (Binder, without it, is a demo).
    os.environ["INNOKRAFT_REQUIRE_LINK"] = "1"
    # The pages name the widgets' browser modules (served below) instead of carrying them.
    os.environ[front_files.SERVED] = "1"
    CourseVoila.start_notebook = course.start_notebook
    CourseVoila.course_settings = settings
    CourseVoila.course = course
    use_in_voila()  # the page templates compiled once, not for every page (compiled_templates)
    app = CourseVoila.instance(config=voila_config(settings, course, ip, port, pool_size))
    app.initialize([])
    app.log.addFilter(_not_trusted_is_not_news)
    app.start()

