"""The page request as the notebook sees it, in Voilà (preheated or not) and outside it.

`voila.utils.get_query_string` does this too, but importing the `voila` package loads
jupyter_server and nbformat into the learner's kernel; this is the same protocol without them.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from urllib.parse import parse_qs

# The tag of a page's cell that calls open_page, where a preheated kernel waits for its visitor
# (serve: that cell has no time limit; checks: the whole page is the one cell after it).
OPEN_PAGE_TAG = "innokraft-open-page"


def in_voila() -> bool:
    return "VOILA_PREHEAT" in os.environ


def preheated() -> bool:
    """A kernel Voilà started ahead, which waits for its visitor (else it was started for one)."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


def _wait_for_request() -> None:
    """A preheated kernel waits here for its visitor: Voilà sends the request over a websocket
    (voila/query/<kernel id>) and we put it into the environment, as Voilà's helper does."""
    if not preheated():
        return  # started for this request: the environment already holds it
    import websockets

    server = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    url = (f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://{os.environ.get('VOILA_APP_IP', '127.0.0.1')}:"
           f"{os.environ.get('VOILA_APP_PORT', '8866')}{server}voila/query/{os.environ.get('VOILA_KERNEL_ID')}")
    received: list[str] = []
    _announce_waiting()

    async def receive() -> None:
        try:
            async with websockets.connect(url, open_timeout=5) as socket:
                received.append(await socket.recv())
        except (OSError, TimeoutError):
            pass  # as Voilà's helper: no request info, the page opens as without a link

    # The kernel's own event loop is running: wait in a thread with a loop of its own.
    thread = threading.Thread(target=lambda: asyncio.new_event_loop().run_until_complete(receive()))
    thread.start()
    thread.join()
    for key, value in json.loads(received[0]).items() if received else ():
        os.environ[key] = value


def _announce_waiting() -> None:
    """Tell `innokraft serve` this preheated kernel has run its page up to the visitor's request.

    The server counts a node ready (GET /innokraft/ready) once every pooled kernel said so:
    at start-up every pool executes its page at once, and a visitor let in before that waits.
    """
    from . import store_client

    kernel = os.environ.get("VOILA_KERNEL_ID")
    if not kernel or not os.environ.get(store_client.API_ENV):
        return  # not under `innokraft serve`: nobody counts
    try:
        store_client.store_client().call("waiting", None, kernel=kernel)
    except (store_client.StoreUnavailable, store_client.StoreRefused):
        pass  # readiness is a hint for the load balancer; the page works without it


def query() -> dict[str, str]:
    """The request's query parameters; {} outside Voilà (papermill, JupyterLab)."""
    if not in_voila():
        return {}
    _wait_for_request()  # a preheated kernel waits here until a visitor's request arrives
    raw = os.environ.get("QUERY_STRING") or ""
    return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
