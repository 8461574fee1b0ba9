"""The browser's share of a visit: the M1 page exactly as `innokraft serve` wrote it for the
demo learner, served whole at once by a server that does nothing else. Its styles and scripts
are `innokraft serve`'s own, passed through with their headers. Its time to rendered is what
this machine's browser needs with the server's part at zero: the floor under our figures.

The page's widgets are drawn from the state in it; its kernel connection is refused (there is
no kernel behind this server), which happens after the page is rendered.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = "/m1-as-a-file"
PASSED = ("accept-encoding", "if-none-match", "if-modified-since")
NOT_PASSED = ("content-length", "transfer-encoding", "connection", "content-encoding")


def capture(url: str) -> tuple[bytes, list[tuple[str, str]]]:
    with urllib.request.urlopen(url, timeout=120) as response:  # no gzip asked: the page as written
        return response.read(), [(k, v) for k, v in response.getheaders() if k.lower() not in NOT_PASSED]


def serve_page(origin: str, page: bytes, headers: list[tuple[str, str]]) -> tuple[ThreadingHTTPServer, str]:
    """Serve `page` at PAGE and pass every other GET to `origin`; returns the server and the page's URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == PAGE:
                return self._send(200, headers, page)
            if self.path.startswith("/api/kernels/"):
                return self._send(404, [], b"")
            request = urllib.request.Request(origin.rstrip("/") + self.path, headers={
                k: v for k, v in self.headers.items() if k.lower() in PASSED})
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    status, passed, body = response.status, response.getheaders(), response.read()
            except urllib.error.HTTPError as error:
                status, passed, body = error.code, list(error.headers.items()), error.read()
            encoding = [(k, v) for k, v in passed if k.lower() == "content-encoding"]
            self._send(status, [(k, v) for k, v in passed if k.lower() not in NOT_PASSED] + encoding, body)

        def _send(self, status: int, sent: list[tuple[str, str]], body: bytes) -> None:
            self.send_response(status)
            for name, value in sent:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the page closed before its last request was answered: nobody to tell

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{PAGE}"
