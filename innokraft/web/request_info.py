"""The door through which a preheated kernel gets its visitor's request, closed to everyone else.

Voilà 0.5.13 serves `voila/query/<kernel id>` on its public port to anyone, keeps one waiter per
id, and its `on_close` deletes the *last* waiter of all when the closing socket is not the
registered one: two sockets under one made-up id, the first closed around a pool refill, took
the newest pooled kernel's waiter away, and the next visitor of that page waited forever (the
kernel waits inside its page's cell, which has no time limit and is never culled).

Here the door is served on the server's kernel socket only (a Unix socket in INNOKRAFT_HOME/run,
never on the network; `internal_app` in web.app), and it opens only to a peer of the server's
own user that shows the key of the kernel it names (web.kernels.kernel_key). A socket's close
removes its own registration, never another's; a request is delivered once and then forgotten.
A kernel confirms that it got its request; one that has not within `Settings.request_bound_s`
of its visitor's arrival is given up: its page says so and reloads, and the kernel is ended.
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import os
import socket
import struct
import time

from tornado.web import HTTPError
from voila.request_info_handler import RequestInfoSocketHandler

from ..core.settings import API_KEY_HEADER
from .kernels import kernel_key

# Kernels whose visitor arrived (their request sent or cached) and that have not yet said they
# got it: kernel id -> when the visitor arrived.
PENDING: dict[str, float] = {}
# Set for the kernel a visitor's page was given: its handler races the page against GIVEN_UP.
TAKEN: contextvars.ContextVar[str | None] = contextvars.ContextVar("innokraft_taken_kernel", default=None)
GIVEN_UP: dict[str, asyncio.Event] = {}


def given_up_event(kernel_id: str) -> asyncio.Event:
    """Set when `kernel_id` is given up (given_up); already set if it was."""
    return GIVEN_UP.setdefault(kernel_id, asyncio.Event())


def peer_uid(stream) -> int | None:
    """The user id of the process at the other end of a Unix socket (SO_PEERCRED), else None."""
    sock = getattr(stream, "socket", None)
    if sock is None or sock.family != socket.AF_UNIX:
        return None
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


class KernelPeer:
    """Checks that a request on the kernel socket comes from this server's own kernels."""

    server_key = ""  # set by `innokraft serve`

    def kernel_peer(self, kernel_id: str) -> None:
        """403 unless the peer runs as this server's user and shows `kernel_id`'s key."""
        uid = peer_uid(self.request.connection.stream)
        shown = self.request.headers.get(API_KEY_HEADER, "")
        if uid != os.getuid() or not self.server_key or \
                not hmac.compare_digest(shown, kernel_key(self.server_key, kernel_id)):
            raise HTTPError(403)


class RequestDoor(KernelPeer, RequestInfoSocketHandler):
    """Voilà's request socket, for the named kernel only; its close removes only itself."""

    kernel_id = ""

    async def get(self, kernel_id: str, *args, **kwargs):
        self.kernel_peer(kernel_id)
        return await super().get(kernel_id, *args, **kwargs)

    def check_origin(self, origin: str) -> bool:
        return True  # a kernel is no browser: it sends no Origin, and its key is the check

    def open(self, kernel_id: str) -> None:
        self.kernel_id = kernel_id
        self._waiters[kernel_id] = self
        payload = self._cache.pop(kernel_id, None)  # delivered once, then forgotten
        if payload is not None:
            self.write_message(payload)

    def on_message(self, message) -> None:
        if message == "received":
            PENDING.pop(self.kernel_id, None)
            GIVEN_UP.pop(self.kernel_id, None)

    def on_close(self) -> None:
        if self._waiters.get(self.kernel_id) is self:
            del self._waiters[self.kernel_id]


def send_updates(cls, msg: dict) -> None:
    """Voilà's RequestInfoSocketHandler.send_updates, counting the kernel as pending until it
    confirms, and delivering to its waiter or keeping the request for its next connection."""
    kernel_id, payload = msg["kernel_id"], msg["payload"]
    PENDING[kernel_id] = time.monotonic()
    TAKEN.set(kernel_id)  # the visitor's page handler (the same task) learns its kernel
    waiter = cls._waiters.get(kernel_id)
    if waiter is not None:
        try:
            waiter.write_message(payload)
            return
        except Exception:  # closed meanwhile: kept for the kernel's next connection
            cls._waiters.pop(kernel_id, None)
    cls._cache[kernel_id] = payload


def given_up(bound_s: float) -> list[str]:
    """Kernels whose visitor arrived more than `bound_s` ago and that never said they got the
    request: they are dropped from the books here (the caller ends them)."""
    now = time.monotonic()
    late = [k for k, since in PENDING.items() if now - since > bound_s]
    for kernel_id in late:
        PENDING.pop(kernel_id, None)
        RequestInfoSocketHandler._cache.pop(kernel_id, None)
        RequestInfoSocketHandler._waiters.pop(kernel_id, None)
        given_up_event(kernel_id).set()
    for kernel_id in [k for k in GIVEN_UP if k not in PENDING and GIVEN_UP[k].is_set()]:
        GIVEN_UP.pop(kernel_id)  # its page has seen it by the next round
    return late


def install() -> None:
    """Voilà's handler delivers through our send_updates (its class method is called by name)."""
    RequestInfoSocketHandler.send_updates = classmethod(send_updates)
