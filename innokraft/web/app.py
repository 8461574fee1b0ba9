"""`innokraft serve`: standalone Voilà on the course notebooks, with safe settings.

Learners only ever reach standalone Voilà: no file browser, no raw notebooks, no
terminals, no code sent to kernels.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.web
from jupyter_core.utils import ensure_async, run_sync
from jupyter_server.utils import url_path_join
from traitlets.config import Config
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from widgets import front_files

from ..core.settings import KernelEnv, Settings
from ..core.tokens import CERTIFICATE_PATH
from ..course.load import compile_config, course_and_texts
from ..course.model import Course
from ..course.notebooks import opens_page
from ..course.texts import Texts, choose_language
from ..learner.service import LearnerService
from . import admission, request_info, store_api
from .certificate_page import CertificateDownload
from .kernels import CourseKernelManager, allowed_environ
from .logs import log_request, redact_logs
from .pages import FacilitatorExport, FeedbackPage, ReadyPage, StartPageRedirect, refuse_facilitator_page
from .security import COOKIE_KWARGS, HEADERS, CourseKernelWebsocket
from .service_pages import write_error_page
from .static import CourseStaticFiles, WidgetFrontFiles
from .templates import render, template_texts, use_in_voila

FACILITATOR_PAGES = "facilitator/"  # notebooks/facilitator/: opened with a facilitator link only
KERNEL_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
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
        if (path or "").startswith(FACILITATOR_PAGES):
            if refuse_facilitator_page(self, CourseVoila.course_settings, CourseVoila.course,
                                       CourseVoila.service.store) is None:
                return None
        elif admission.full(self.kernel_manager, CourseVoila.kernel_cap) or admission.TURNS.crowded():
            # Past the cap a page would take memory the machine does not have, past the queue longer
            # than a browser waits: a calm page that retries.
            return admission.write_busy_page(self, CourseVoila.course_settings, CourseVoila.course)
        # Voilà's page sends its kernel-shutdown beacon with the `_xsrf` cookie's value, but
        # standalone Voilà never sets that cookie, so the shutdown is refused and every visit
        # leaks a kernel (voila#1458). Reading the token sets the cookie; XSRF checks stay on.
        self.xsrf_token  # noqa: B018
        async with admission.TURNS.turn():
            return await super().get(path)

    def write_error(self, status_code: int, **kwargs) -> None:
        # Voilà's own error pages hold no contact and no way back; ours do, in the page's language.
        write_error_page(self, status_code, CourseVoila.course_settings, CourseVoila.course)

    async def get_generator(self, path=None):
        """Voilà's page, given up when its preheated kernel does not get the request in time: the
        page then says so and reloads onto another kernel, and this one is ended (give_up)."""
        pages = super().get_generator(path)
        while True:
            kernel_id = request_info.TAKEN.get(None)
            if kernel_id is None or kernel_id not in request_info.PENDING:
                try:
                    yield await pages.__anext__()
                except StopAsyncIteration:
                    return
                continue
            step = asyncio.ensure_future(pages.__anext__())
            late = asyncio.ensure_future(request_info.given_up_event(kernel_id).wait())
            await asyncio.wait({step, late}, return_when=asyncio.FIRST_COMPLETED)
            late.cancel()
            if not step.done():
                step.cancel()
                with contextlib.suppress(BaseException):
                    await step
                with contextlib.suppress(BaseException):
                    await pages.aclose()
                yield retry_html(self)
                return
            try:
                yield step.result()
            except StopAsyncIteration:
                return


def retry_html(handler) -> str:
    """What a page says when its kernel could not be prepared: that it reloads, and it does."""
    settings, course = CourseVoila.course_settings, CourseVoila.course
    _course, texts = course_and_texts(settings.config_dir)
    lang = choose_language(course, handler.get_argument("lang", None), None)
    return render("retry.html.j2", t=Texts(lang, texts[lang]), seconds=3)


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
    kernel_socket = ""  # the Unix socket of the store API and the request door (listen)
    fork_server: subprocess.Popen | None = None  # forks the kernels (innokraft.kernel.forkserver)
    kernel_cap = 1_000_000  # the most kernels at once (web.admission); set by `innokraft serve`

    def init_settings(self):
        settings = super().init_settings()
        # Tornado reads compress_response when the Application is made, before Voilà applies
        # tornado_settings: only here does gzip reach every text response.
        settings["compress_response"] = True
        settings["websocket_ping_interval"] = self.course_settings.ping_s
        settings["websocket_ping_timeout"] = self.course_settings.ping_s
        settings["innokraft_template_texts"] = template_texts(self.course_settings, self.course)
        return settings

    def listen(self):
        """The public port (Voilà's), and the kernel socket: the store API and the request door,
        on a Unix socket only this server's user can open, for its own kernels."""
        kernel_side, _public = store_api.api_handlers(self.service)
        door = [(rf"/voila/query/({KERNEL_ID})", request_info.RequestDoor)]
        self.kernel_app = tornado.web.Application(kernel_side + door, log_function=log_request)
        server = tornado.httpserver.HTTPServer(self.kernel_app, max_body_size=store_api.MAX_BODY)
        server.add_socket(tornado.netutil.bind_unix_socket(self.kernel_socket, mode=0o600))
        interval = max(1.0, min(5.0, self.course_settings.request_bound_s / 4))
        tornado.ioloop.PeriodicCallback(self.give_up_late_kernels, interval * 1000).start()
        super().listen()

    async def give_up_late_kernels(self) -> None:
        """End every kernel that did not get its visitor's request within the bound; its page reloads."""
        for kernel_id in request_info.given_up(self.course_settings.request_bound_s):
            self.log.warning("kernel %s did not get its visitor's request in time: ended, its page reloads",
                             kernel_id)
            try:
                await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id, now=True))
            except (KeyError, tornado.web.HTTPError):
                pass  # gone already
        store_api.WAITING_KERNELS.intersection_update(self.kernel_manager.list_kernel_ids())

    def stop(self):
        # A course kernel holds nothing (every answer is in the store), so end kernels at once.
        # Asked politely, a preheated kernel waiting for its visitor is stopped mid-execution
        # and ipykernel logs a ZMQ traceback ("Socket operation on non-socket") on every stop.
        shutil.rmtree(self.connection_dir, ignore_errors=True)
        run_sync(end_all_kernels)(self.kernel_manager)
        Path(self.kernel_socket).unlink(missing_ok=True)
        if self.fork_server is not None:
            stop_fork_server(self.fork_server, CourseKernelManager.fork_socket)

    def init_handlers(self):
        start = url_path_join(self.server_url, "voila/render", self.start_notebook)
        handlers = [(url_path_join(self.server_url, "innokraft/ready"), ReadyPage),
                    (url_path_join(self.server_url, "innokraft/room"), admission.RoomPage,
                     {"cap": lambda: CourseVoila.kernel_cap}),
                    (url_path_join(self.server_url, "innokraft/busy.js"), admission.BusyScript),
                    (url_path_join(self.server_url, r"innokraft/feedback/([a-z0-9_]+)"), FeedbackPage,
                     {"settings": self.course_settings, "course": self.course, "service": self.service}),
                    (url_path_join(self.server_url, CERTIFICATE_PATH), CertificateDownload,
                     {"settings": self.course_settings, "course": self.course, "service": self.service}),
                    (url_path_join(self.server_url, r"innokraft/facilitator/export/"
                                                    r"(research\.csv|codebook\.md|xapi\.jsonl|gradebook\.csv)"),
                     FacilitatorExport,
                     {"settings": self.course_settings, "course": self.course, "service": self.service}),
                    (url_path_join(self.server_url, front_files.URL_PATH, "(.*)"), WidgetFrontFiles,
                     {"path": str(front_files.FOLDER)})]
        _kernel_side, public = store_api.api_handlers(self.service)
        handlers += [(url_path_join(self.server_url, pattern), *rest) for pattern, *rest in public]
        # Voilà's handlers, each of the kinds below replaced by the course's (or left out). Their
        # classes are matched by identity: should a Voilà release register another class, the
        # server refuses to start rather than serve a door the course meant to close.
        replaced = {TornadoVoilaTreeHandler: (StartPageRedirect, {"target": start}),
                    TornadoVoilaHandler: (CoursePageHandler, None),
                    VoilaKernelWebsocketHandler: (CourseKernelWebsocket, None),
                    TemplateStaticFileHandler: (CourseStaticFiles, None),
                    RequestInfoSocketHandler: (None, None),  # served on the kernel socket only
                    VoilaContentsHandler: (None, None)}  # no listing of the course's files
        seen = set()
        for pattern, handler, *rest in super().init_handlers():
            if handler in replaced:
                seen.add(handler)
                course_handler, kwargs = replaced[handler]
                if course_handler is not None:
                    handlers.append((pattern, course_handler, *([kwargs] if kwargs else rest)))
            else:
                handlers.append((pattern, handler, *rest))
        # Voilà registers its request socket only when it preheats (`--pool-size 0` does not).
        optional = {VoilaContentsHandler} | (set() if self.voila_configuration.preheat_kernel
                                             else {RequestInfoSocketHandler})
        missing = set(replaced) - seen - optional
        if missing:
            raise RuntimeError(f"Voilà registered none of {sorted(c.__name__ for c in missing)}: the course's "
                               "guards would not apply; refusing to start (innokraft/web/app.py)")
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
    # The course's own pages only: a facilitator page (notebooks/facilitator/) reads the store
    # itself, so its kernel holds the store's settings and is started for a facilitator's visit.
    c.VoilaConfiguration.default_pool_size = 0
    c.VoilaKernelManager.kernel_pools_config = {
        "default": {"pool_size": 0}, **{nb: {"pool_size": n} for nb, n in pools.items()}}
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
    c.Voila.tornado_settings = {"headers": HEADERS, "xsrf_cookie_kwargs": COOKIE_KWARGS,
                                # No link (?t=) in any request line a log keeps.
                                "log_function": log_request}
    # Every kernel starts with an allow-listed environment and a key of its own (web.kernels).
    c.MappingKernelManager.kernel_manager_class = "innokraft.web.kernels.CourseKernelManager"
    # A cell that fails says so in the learner's words, without code (a page is one cell).
    c.VoilaExecutor.cell_error_instruction = cell_error_text(settings)
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


def start_fork_server(settings: Settings, seconds: float = 120) -> tuple[subprocess.Popen, str]:
    """The fork server every kernel is forked from, with the kernels' allow-listed environment and
    no kernel's key; returns it and its socket once it listens (its imports done)."""
    path = private_socket_path(settings, "forkserver")
    proc = subprocess.Popen([sys.executable, "-m", "innokraft.kernel.forkserver", path],
                            env=allowed_environ(os.environ), cwd=settings.notebooks_dir, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + seconds
    while not Path(path).exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("the kernels' fork server did not start (innokraft.kernel.forkserver)")
        time.sleep(0.05)
    return proc, path


def stop_fork_server(proc: subprocess.Popen, path: str) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    Path(path).unlink(missing_ok=True)


def serve(settings: Settings, course: Course, ip: str = "127.0.0.1", port: int = 8866,
          pool_size: int = 1, fork_kernels: bool = True, max_kernels: int | None = None) -> None:
    os.environ.update(settings.child_environ())
    # The course template is found through the Jupyter data path.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(settings.config_dir)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    )
    os.environ["IPYTHONDIR"] = str(kernel_ipython_dir(settings))
    redact_logs()
    # Kernels get the course compiled once, and the store and their visitor's request through
    # this process's kernel socket, with a key of their own derived from the server's.
    server_key = store_api.new_api_key()
    CourseKernelManager.server_key = request_info.KernelPeer.server_key = server_key
    CourseVoila.kernel_socket = kernel_socket_path(settings)
    request_info.install()
    compiled = compile_config(settings.config_dir, settings.home / "run" / f"course-{os.getpid()}.json")
    kernel_env = KernelEnv(
        compiled_config=str(compiled), api=f"unix:{CourseVoila.kernel_socket}", preheat=pool_size > 0,
        # Served to learners, a page without its link says so (Binder, without it, is a demo).
        require_link=True,
        # The pages name the widgets' browser modules (served below) instead of carrying them.
        front_served=True)
    os.environ.update(kernel_env.environ("compiled_config", "api", "preheat", "require_link", "front_served"))
    if fork_kernels:
        CourseVoila.fork_server, CourseKernelManager.fork_socket = start_fork_server(settings)
    CourseVoila.service = LearnerService.open(settings, migrate=False)
    CourseVoila.start_notebook = course.start_notebook
    CourseVoila.course_settings = settings
    CourseVoila.course = course
    CourseVoila.kernel_cap = admission.kernel_cap(settings, max_kernels)
    admission.TURNS.configure(settings.pages_at_once, settings.pages_waiting)
    use_in_voila()  # the page templates compiled once, not for every page (web.templates)
    app = CourseVoila.instance(config=voila_config(settings, course, ip, port, pool_size))
    app.initialize([])
    app.log.addFilter(_not_trusted_is_not_news)
    redact_logs(app.log)
    # SIGHUP (the terminal closed) stops the server as SIGTERM does: its kernels are ended.
    signal.signal(signal.SIGHUP, app._handle_signal_stop)
    app.start()


def kernel_socket_path(settings: Settings) -> str:
    """The kernel socket's path (see private_socket_path)."""
    return private_socket_path(settings, "kernels")


def private_socket_path(settings: Settings, name: str) -> str:
    """A Unix socket's path: in the home's run folder (private), or a private temporary
    folder where that path would be too long for a Unix socket (108 bytes)."""
    path = settings.home / "run" / f"{name}-{os.getpid()}.sock"
    if len(str(path)) > 100:
        path = Path(tempfile.mkdtemp(prefix="innokraft-")) / f"{name}.sock"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return str(path)


def cell_error_text(settings: Settings) -> str:
    """Voilà's line for a cell that failed, in every language of the course (no code, no trace)."""
    course, texts = course_and_texts(settings.config_dir)
    return " / ".join(texts[lang]["ui.page_error"] for lang in course.languages)
