"""The kernel's side of the store: calls `innokraft serve`'s store API over loopback.

Under `innokraft serve` a learner's kernel reaches the store only through here (http.client,
no database stack imported). Outside it (papermill, unit tests, JupyterLab) there is no
server to ask, and the same calls run in-process against the store.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
from urllib.parse import urlsplit

API_ENV = "INNOKRAFT_API"
KEY_ENV = "INNOKRAFT_API_KEY"
KEY_HEADER = "X-Innokraft-Key"  # store_api.KEY_HEADER (not imported: that module is the server's)
TIMEOUT_S = 10


class StoreUnavailable(Exception):
    """The store could not be reached or failed; the call may succeed if tried again."""


class StoreRefused(Exception):
    """The store refused the call (a revoked link, a value too large, a bad key); `kind` says which."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class HttpStore:
    """One keep-alive connection to the server's store API (a page's calls come one at a time)."""

    def __init__(self, base_url: str, key: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.path = parts.path.rstrip("/") + "/innokraft/api/"
        self.key = key
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()

    def call(self, op: str, token: str | None, **args) -> dict:
        body = json.dumps({"token": token, "args": args})
        headers = {"Content-Type": "application/json", KEY_HEADER: self.key}
        with self._lock:
            for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
                try:
                    if self._conn is None:
                        self._conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
                    self._conn.request("POST", self.path + op, body, headers)
                    response = self._conn.getresponse()
                    status, payload = response.status, response.read()
                    break
                except (OSError, http.client.HTTPException) as exc:
                    self._close()
                    if attempt == 2:
                        raise StoreUnavailable(str(exc)) from None
        if status >= 500:
            raise StoreUnavailable(f"HTTP {status}")
        try:
            data = json.loads(payload)
        except ValueError:
            raise StoreUnavailable(f"HTTP {status}: not JSON") from None
        if status != 200:
            raise StoreRefused(data.get("error", f"http_{status}"))
        return data

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class LocalStore:
    """The same calls in-process: the store opened here (papermill, tests, JupyterLab)."""

    def __init__(self):
        from .learner_service import LearnerService
        from .settings import Settings

        self.service = LearnerService.open(Settings.from_env())

    def call(self, op: str, token: str | None, **args) -> dict:
        from .learner_service import ServiceError

        try:
            return self.service.call(op, token, args)
        except ServiceError as exc:
            raise StoreRefused(exc.kind) from None
        except OSError as exc:
            raise StoreUnavailable(str(exc)) from None
        except Exception as exc:
            # SQLAlchemy's OperationalError (a locked or stopped database) and the like
            if type(exc).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
                raise StoreUnavailable(str(exc)) from None
            raise


_clients: dict[tuple, HttpStore | LocalStore] = {}


def store_client() -> HttpStore | LocalStore:
    """The server's store API when this kernel runs under `innokraft serve`, else in-process.

    One client per setting (tests switch INNOKRAFT_HOME between cases).
    """
    api, key = os.environ.get(API_ENV), os.environ.get(KEY_ENV)
    which = (api, key) if api and key else tuple(
        os.environ.get(name) for name in ("INNOKRAFT_HOME", "INNOKRAFT_DB_URL", "INNOKRAFT_SECRET",
                                          "INNOKRAFT_CONFIG"))
    if which not in _clients:
        _clients[which] = HttpStore(api, key) if api and key else LocalStore()
    return _clients[which]
