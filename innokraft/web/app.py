"""`innokraft serve`: standalone Voilà on the course notebooks, with safe settings.

Learners only ever reach standalone Voilà: no file browser, no raw notebooks, no
terminals, no code sent to kernels.
"""

from __future__ import annotations

import asyncio
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

from ..core.settings import KernelEnv, Settings
from ..course.load import compile_config, course_and_texts
from ..course.model import Course
from ..course.notebooks import opens_page
from ..learner.service import LearnerService
from . import store_api
from .pages import FacilitatorExport, FeedbackPage, ReadyPage, StartPageRedirect, refuse_facilitator_page
from .security import COOKIE_KWARGS, HEADERS, CourseKernelWebsocket
from .static import CourseStaticFiles, WidgetFrontFiles
from .templates import template_texts, use_in_voila

FACILITATOR_PAGES = "facilitator/"  # notebooks/facilitator/: opened with a facilitator link only
# A page whose tab vanished without closing (a phone losing its network) stops answering the
# server's websocket pings within two ping intervals (Settings.ping_s); its kernel, then
# unconnected, is culled once idle for cull_idle_s, checked every cull_every_s: with the
# defaults, freed within 3 minutes. A connected page keeps its kernel however long the leader reads.


class CellTimeout:
    """No limit for the cell where a preheated kernel waits for its visitor; `limit` elsewhere."""

    def __init__(self, limit: int, preheat: bool):
        self.limit, self.preheat = limit, preheat

    def __call__(self, cell) -> int | None:
        return None if self.preheat and opens_page(cell) else self.limit


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
        settings["websocket_ping_interval"] = self.course_settings.ping_s
        settings["websocket_ping_timeout"] = self.course_settings.ping_s
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
                     {"settings": self.course_settings, "course": self.course, "service": self.service}),
                    (url_path_join(self.server_url, r"innokraft/facilitator/export/"
                                                    r"(research\.csv|codebook\.md|xapi\.jsonl|gradebook\.csv)"),
                     FacilitatorExport,
                     {"settings": self.course_settings, "course": self.course, "service": self.service}),
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
        course, _texts = course_and_texts(settings.config_dir)
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
    c.VoilaExecutor.timeout_func = CellTimeout(settings.cell_timeout_s, preheat=any(pools.values()))
    c.HTMLExporter.language_code = course.default_language
    # A closed page frees its kernel at once (the beacon); culling is the backstop for
    # pages that vanish without one (a phone losing its network). A preheated kernel waits
    # inside a running cell (busy), so culling never empties the pool.
    c.MappingKernelManager.cull_idle_timeout = settings.cull_idle_s
    c.MappingKernelManager.cull_interval = settings.cull_every_s
    c.MappingKernelManager.cull_connected = False
    c.MappingKernelManager.cull_busy = False
    # A taken kernel's replacement starts (a Python process, the page run up to the visitor)
    # once the visitor's page has come up, not beside it on the same two cores: M1 on a
    # quiet 2-core machine was interactive at 3.3-3.7 s with a 0.5 s delay, 2.7-2.9 s with 3 s.
    c.VoilaKernelManager.fill_delay = settings.refill_delay_s
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
    os.environ.update(settings.child_environ())
    # The course template is found through the Jupyter data path.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(settings.config_dir)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    )
    os.environ["IPYTHONDIR"] = str(kernel_ipython_dir(settings))
    # Kernels get the course compiled once, and the store through this process's API.
    CourseVoila.api_key = store_api.new_api_key()
    loopback = ip if ip not in ("", "0.0.0.0", "::") else "127.0.0.1"
    compiled = compile_config(settings.config_dir, settings.home / "run" / f"course-{os.getpid()}.json")
    kernel_env = KernelEnv(
        compiled_config=str(compiled),
        api=f"http://{loopback}:{port}/", api_key=CourseVoila.api_key, preheat=pool_size > 0,
        # Served to learners, a page without its link says so (Binder, without it, is a demo).
        require_link=True,
        # The pages name the widgets' browser modules (served below) instead of carrying them.
        front_served=True)
    os.environ.update(kernel_env.environ("compiled_config", "api", "api_key", "preheat", "require_link",
                                         "front_served"))
    CourseVoila.service = LearnerService.open(settings, migrate=False)
    CourseVoila.start_notebook = course.start_notebook
    CourseVoila.course_settings = settings
    CourseVoila.course = course
    use_in_voila()  # the page templates compiled once, not for every page (web.templates)
    app = CourseVoila.instance(config=voila_config(settings, course, ip, port, pool_size))
    app.initialize([])
    app.log.addFilter(_not_trusted_is_not_news)
    app.start()
