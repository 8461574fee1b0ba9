"""What `innokraft serve` does so that no visitor can harm the others (issue 6).

- the page's kernel websocket speaks v1 only and every frame is checked before use;
- every course page carries headers that keep the personal link (a bearer token in the
  URL) out of Referer headers and allow no request off the machine.
"""

from __future__ import annotations

import json
from itertools import pairwise

from tornado.websocket import WebSocketClosedError
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

# No request leaves the machine: every source is the server itself (or data: / blob:, which the
# page's widget front-end and anywidget's ES modules need). No script is inline (the page's
# template includes its scripts from files: an injected inline handler or <script> never runs)
# and none is eval'd (the widget bundle, widgets/page_front, needs no eval).
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Voilà's one cookie is `_xsrf`; the page's shutdown beacon reads it, so it cannot be
# HttpOnly, and `Secure` would break plain-http installations on 127.0.0.1.
COOKIE_KWARGS = {"samesite": "Strict"}


class SecureHeaders:
    """For the course's own tornado handlers (Voilà's get HEADERS through tornado_settings)."""

    def set_default_headers(self) -> None:
        for name, value in HEADERS.items():
            self.set_header(name, value)


KERNEL_WS_V1 = "v1.kernel.websocket.jupyter.org"


def v1_parts(message: bytes) -> list[bytes] | None:
    """The parts of a v1 kernel-websocket message, or None when it is not well formed.

    A v1 message is: n (8 bytes, little-endian), n offsets (8 bytes each), then the parts
    between consecutive offsets. jupyter_server and Voilà trust n and loop up to it; a
    forged or legacy-framed message has n around 10**17 and froze the whole server.
    """
    if not isinstance(message, (bytes, bytearray, memoryview)):
        return None
    message = bytes(message)
    if len(message) < 8:
        return None
    count = int.from_bytes(message[:8], "little")
    if count < 2 or 8 * (count + 1) > len(message):
        return None
    offsets = [int.from_bytes(message[8 * (i + 1): 8 * (i + 2)], "little") for i in range(count)]
    if offsets[0] < 8 * (count + 1) or offsets[-1] > len(message) or \
            any(a > b for a, b in pairwise(offsets)):
        return None
    return [message[a:b] for a, b in pairwise(offsets)]


class CourseKernelWebsocket(VoilaKernelWebsocketHandler):
    """A page's kernel channel, in the v1 protocol only, every frame checked before use.

    Without the v1 subprotocol jupyter_server falls back to the legacy binary framing,
    which Voilà 0.5's `write_message` misreads as v1: one visitor's script froze the
    server for everyone (issue 6). The browser front-end always offers v1.
    """

    async def get(self, *args, **kwargs):
        offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
        if KERNEL_WS_V1 not in [p.strip() for p in offered.split(",")]:
            self.set_status(400)
            self.finish(f"kernel websockets speak {KERNEL_WS_V1} only")
            return
        return await super().get(*args, **kwargs)

    def select_subprotocol(self, subprotocols):
        return KERNEL_WS_V1 if KERNEL_WS_V1 in subprotocols else None

    # A page closed while its socket was still opening (a phone losing its network, a tab shut
    # at once): Tornado calls on_close before open. jupyter_server's on_close then counts a
    # disconnect for a connection it never counted in (and fails half-way), and open connects a
    # socket that is gone: the kernel's count never returns to 0, which the culler reads as
    # "connected", so the kernel was never freed (test_page_loads, CI).
    _counted = False

    async def open(self, *args, **kwargs):
        if self.connection is None:  # closed already: nothing to connect
            return
        self._counted = True  # open goes on to connect(), which counts it in at once
        await super().open(*args, **kwargs)

    def on_close(self):
        if not self._counted:  # nothing was counted in or set up: nothing to take down
            self.connection = None
            return
        super().on_close()

    def on_message(self, message):
        # Incoming frames go through jupyter_server's v1 parser, which trusts the count too.
        if v1_parts(message) is None:
            self.log.warning("kernel websocket: malformed frame refused, closing")
            self.close(1003, "malformed message")
            return None
        return super().on_message(message)

    def write_message(self, message, binary: bool = False):
        header = None
        if isinstance(message, bytes):
            parts = v1_parts(message)
            if parts is not None and len(parts) > 1:
                try:
                    header = json.loads(parts[1])
                except ValueError:
                    header = None
        elif isinstance(message, dict):
            header = message.get("header")
        if isinstance(header, dict) and header.get("msg_type") == "execute_input":
            return None  # Voilà hides the code of the cells it runs
        try:
            sent = super(VoilaKernelWebsocketHandler, self).write_message(message, binary)
        except WebSocketClosedError:
            return None  # the page went (its kernel is being freed): nobody to tell
        # A page that closes while a frame is on its way fails the write later; jupyter_server
        # never awaits it, so asyncio would log "Task exception was never retrieved".
        sent.add_done_callback(_closed_is_fine)
        return sent


def _closed_is_fine(sent) -> None:
    if sent.cancelled():
        return
    failure = sent.exception()  # read, so asyncio no longer reports it
    if failure is not None and not isinstance(failure, WebSocketClosedError):
        raise failure  # any other fault is still logged, by the loop's callback handler
