"""The store API that `innokraft serve` offers its own kernels on its kernel socket.

POST /innokraft/api/<op> with {"token": ..., "args": {...}}, served only on the server's kernel
socket (a Unix socket under INNOKRAFT_HOME/run, never on the network), only to a peer of the
server's own user that names its kernel and shows that kernel's key (web.kernels.kernel_key):
a browser, even one holding a valid link, cannot reach it. Database work runs on a small thread
pool, so the server's event loop never waits on the database, and the whole process holds one
engine whose pool is bounded (`POOL_SIZE` connections).

The page's closing beacon (`PageBeaconHandler`) is the one store call a browser makes, on the
public port: it carries the learner's link and may only save reflection texts.
"""

from __future__ import annotations

import json
import secrets
from concurrent.futures import ThreadPoolExecutor

import tornado.web
from tornado.ioloop import IOLoop

from ..core.ids import REFLECTION_KEY
from ..core.settings import KERNEL_HEADER
from ..learner.service import LearnerService, ServiceError
from .request_info import KernelPeer
from .team_pages import TeamFormPage

# Connections the server process may hold to the database (and threads that use them).
# PostgreSQL sees at most this many from one `innokraft serve`, however many pages are open.
POOL_SIZE = 4
MAX_BODY = 1_000_000
# Preheated kernels that have run their page up to the visitor's request (serve.ReadyPage).
WAITING_KERNELS: set[str] = set()


def new_api_key() -> str:
    return secrets.token_urlsafe(32)


class StoreApiHandler(KernelPeer, tornado.web.RequestHandler):
    def initialize(self, service: LearnerService, executor: ThreadPoolExecutor):
        self.service = service
        self.executor = executor

    def check_xsrf_cookie(self) -> None:
        """Kernels have no cookie; the kernel's own key is the check."""

    async def post(self, op: str):
        kernel_id = self.request.headers.get(KERNEL_HEADER, "")
        self.kernel_peer(kernel_id)
        if len(self.request.body) > MAX_BODY:
            return self._reply(413, {"error": "too_large"})
        try:
            body = json.loads(self.request.body or b"{}")
            token, args = body.get("token"), body.get("args") or {}
            if not isinstance(args, dict) or not (token is None or isinstance(token, str)):
                raise ValueError
        except (ValueError, AttributeError):
            return self._reply(400, {"error": "bad_request"})
        if op == "waiting":  # this kernel (its key says which) runs its page up to its visitor
            WAITING_KERNELS.add(kernel_id)
            return self._reply(200, {})
        try:
            result = await IOLoop.current().run_in_executor(
                self.executor, self.service.call, op, token, args)
        except ServiceError as exc:
            status = {"refused": 403, "too_large": 413}.get(exc.kind, 400)
            return self._reply(status, {"error": exc.kind})
        self._reply(200, result)

    def _reply(self, status: int, payload: dict) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(payload, default=str))


class PageBeaconHandler(tornado.web.RequestHandler):
    """A closing page's last words: the reflection texts as the browser holds them.

    Sent with navigator.sendBeacon on pagehide, straight from the browser to the store, so
    keystrokes still on their way to the kernel (which a closing tab shuts down first) are
    kept. Authenticated by the learner's own link; only reflection texts are accepted.
    """

    def initialize(self, service: LearnerService, executor: ThreadPoolExecutor):
        self.service = service
        self.executor = executor

    def check_xsrf_cookie(self) -> None:
        """A beacon carries no XSRF header; the learner's token is the check."""

    async def post(self):
        if len(self.request.body) > MAX_BODY:
            raise tornado.web.HTTPError(413)
        try:
            body = json.loads(self.request.body or b"{}")
            token, texts = body["t"], body["texts"]
            if not isinstance(token, str) or not isinstance(texts, dict) or len(texts) > 20:
                raise ValueError
        except (ValueError, KeyError, TypeError):
            raise tornado.web.HTTPError(400) from None
        for key, text in texts.items():
            if not isinstance(key, str) or not REFLECTION_KEY.fullmatch(key) or not isinstance(text, str):
                raise tornado.web.HTTPError(400)
        try:
            for key, text in texts.items():
                await IOLoop.current().run_in_executor(
                    self.executor, self.service.call, "save", token, {"key": key, "value": {"text": text}})
        except ServiceError as exc:
            raise tornado.web.HTTPError(403 if exc.kind == "refused" else 400) from None
        self.set_status(204)
        self.finish()


def api_handlers(service: LearnerService) -> tuple[list[tuple], list[tuple]]:
    """(the kernel socket's handlers, the public port's): the store API; the page's beacon and
    the team link's member form."""
    executor = ThreadPoolExecutor(POOL_SIZE, thread_name_prefix="innokraft-store")
    kernel_side = [(r"/innokraft/api/([a-z_]+)", StoreApiHandler, {"service": service, "executor": executor})]
    public = [(r"innokraft/beacon", PageBeaconHandler, {"service": service, "executor": executor}),
              (r"innokraft/team/([A-Za-z0-9_.-]{1,200})", TeamFormPage, {"service": service, "executor": executor})]
    return kernel_side, public
