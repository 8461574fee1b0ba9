"""The kernel's side of the store: calls `innokraft serve`'s store API over loopback.

Under `innokraft serve` a learner's kernel reaches the store only through here (http.client,
no database stack imported). Outside it (papermill, unit tests, JupyterLab) there is no
server to ask, and the same calls run in-process against the store: the LocalStore of the
module KernelEnv.local_store names (innokraft.learner.local), loaded by name so that this
room never imports the learner service's.
"""

from __future__ import annotations

import http.client
import importlib
import json
import threading
from typing import Protocol
from urllib.parse import urlsplit

from ..core.settings import API_KEY_HEADER, KernelEnv, Settings

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
        headers = {"Content-Type": "application/json", API_KEY_HEADER: self.key}
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


class StoreClient(Protocol):
    def call(self, op: str, token: str | None, **args) -> dict: ...


_clients: dict[tuple, StoreClient] = {}


def store_client() -> StoreClient:
    """The server's store API when this kernel runs under `innokraft serve`, else in-process.

    One client per setting (tests switch INNOKRAFT_HOME between cases).
    """
    env = KernelEnv.from_env()
    if env.api and env.api_key:
        which: tuple = (env.api, env.api_key)
    else:
        settings = Settings.from_env()
        which = (str(settings.home), settings.db_url, settings.secret, str(settings.config_dir))
    if which not in _clients:
        if env.api and env.api_key:
            _clients[which] = HttpStore(env.api, env.api_key)
        else:
            _clients[which] = importlib.import_module(env.local_store).LocalStore()
    return _clients[which]


def client_kinds() -> list[str]:
    """The kinds of store client this kernel has made (tests: HttpStore only, under serve)."""
    return sorted({type(c).__name__ for c in _clients.values()})
