"""The store API that `innokraft serve` offers its own kernels over loopback.

POST /innokraft/api/<op> with {"token": ..., "args": {...}} and the header X-Innokraft-Key
(a random key made per server process and handed only to its kernels through their
environment): a browser, even one holding a valid link, cannot call it. Database work runs
on a small thread pool, so the server's event loop never waits on the database, and the
whole process holds one engine whose pool is bounded (`POOL_SIZE` connections).
"""

from __future__ import annotations

import hmac
import json
import secrets
from concurrent.futures import ThreadPoolExecutor

import tornado.web
from tornado.ioloop import IOLoop

from .learner_service import LearnerService, ServiceError

# Connections the server process may hold to the database (and threads that use them).
# PostgreSQL sees at most this many from one `innokraft serve`, however many pages are open.
POOL_SIZE = 4
KEY_HEADER = "X-Innokraft-Key"
MAX_BODY = 1_000_000


def new_api_key() -> str:
    return secrets.token_urlsafe(32)


class StoreApiHandler(tornado.web.RequestHandler):
    def initialize(self, service: LearnerService, key: str, executor: ThreadPoolExecutor):
        self.service = service
        self.key = key
        self.executor = executor

    def check_xsrf_cookie(self) -> None:
        """Kernels have no cookie; the per-process key is the check."""

    async def post(self, op: str):
        if not hmac.compare_digest(self.request.headers.get(KEY_HEADER, ""), self.key):
            raise tornado.web.HTTPError(403)
        if len(self.request.body) > MAX_BODY:
            return self._reply(413, {"error": "too_large"})
        try:
            body = json.loads(self.request.body or b"{}")
            token, args = body.get("token"), body.get("args") or {}
            if not isinstance(args, dict) or not (token is None or isinstance(token, str)):
                raise ValueError
        except (ValueError, AttributeError):
            return self._reply(400, {"error": "bad_request"})
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


def api_handlers(base_url: str, service: LearnerService, key: str) -> list[tuple]:
    from jupyter_server.utils import url_path_join

    executor = ThreadPoolExecutor(POOL_SIZE, thread_name_prefix="innokraft-store")
    return [(url_path_join(base_url, r"innokraft/api/([a-z_]+)"), StoreApiHandler,
             {"service": service, "key": key, "executor": executor})]
