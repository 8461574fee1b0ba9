"""The kernel's side of the store: calls `innokraft serve`'s store API over its kernel socket.

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
import socket
import threading
from typing import Protocol

from ..core.settings import API_KEY_HEADER, KERNEL_HEADER, KernelEnv, Settings

TIMEOUT_S = 10


class StoreUnavailable(Exception):
    """The store could not be reached or failed; the call may succeed if tried again."""


class StoreRefused(Exception):
    """The store refused the call (a revoked link, a value too large, a bad key); `kind` says which."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class UnixConnection(http.client.HTTPConnection):
    """HTTP over the server's kernel socket (a Unix socket: never on the network)."""

    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.unix_path)
        self.sock = sock


def socket_path(api: str) -> str:
    """The path of the server's kernel socket, from KernelEnv.api ("unix:/…/kernels-<pid>.sock")."""
    if not api.startswith("unix:"):
        raise ValueError(f"the store API is reached over the server's kernel socket, not {api!r}")
    return api.removeprefix("unix:")


class HttpStore:
    """One keep-alive connection to the server's store API (a page's calls come one at a time),
    over the server's kernel socket, with this kernel's name and key."""

    def __init__(self, api: str, key: str, kernel_id: str):
        self.socket = socket_path(api)
        self.path = "/innokraft/api/"
        self.headers = {"Content-Type": "application/json", API_KEY_HEADER: key, KERNEL_HEADER: kernel_id}
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()

    def call(self, op: str, token: str | None, **args) -> dict:
        body = json.dumps({"token": token, "args": args})
        with self._lock:
            for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
                try:
                    if self._conn is None:
                        self._conn = UnixConnection(self.socket, TIMEOUT_S)
                    self._conn.request("POST", self.path + op, body, self.headers)
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
        which: tuple = (env.api, env.api_key, env.kernel_id)
    else:
        settings = Settings.from_env()
        which = (str(settings.home), settings.db_url, settings.secret, str(settings.config_dir))
    if which not in _clients:
        if env.api and env.api_key:
            _clients[which] = HttpStore(env.api, env.api_key, env.kernel_id or "")
        else:
            _clients[which] = importlib.import_module(env.local_store).LocalStore()
    return _clients[which]


def client_kinds() -> list[str]:
    """The kinds of store client this kernel has made (tests: HttpStore only, under serve)."""
    return sorted({type(c).__name__ for c in _clients.values()})
