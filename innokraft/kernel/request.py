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

from ..core.settings import KernelEnv
from . import client


def in_voila() -> bool:
    return KernelEnv.from_env().in_voila


def preheated() -> bool:
    """A kernel Voilà started ahead, which waits for its visitor (else it was started for one)."""
    return KernelEnv.from_env().preheated


def _wait_for_request() -> None:
    """A preheated kernel waits here for its visitor: Voilà sends the request over a websocket
    (voila/query/<kernel id>) and we put it into the environment, as Voilà's helper does."""
    env = KernelEnv.from_env()
    if not env.preheated:
        return  # started for this request: the environment already holds it
    import websockets

    server = env.ws_base_url or env.server_url or "/"
    url = f"{env.ws_protocol}://{env.app_ip}:{env.app_port}{server}voila/query/{env.kernel_id}"
    received: list[str] = []
    _announce_waiting(env)

    async def receive() -> None:
        try:
            async with websockets.connect(url, open_timeout=5) as socket:
                received.append(await socket.recv())
        except (OSError, TimeoutError):
            pass  # as Voilà's helper: no request info, the page opens as without a link

    # The kernel's own event loop is running: wait in a thread with a loop of its own.
    thread = threading.Thread(target=lambda: asyncio.new_event_loop().run_until_complete(receive()),
                              daemon=True)
    thread.start()
    try:
        thread.join()
    except KeyboardInterrupt:
        # Only the server interrupts a kernel that waits for its visitor: jupyter_client does so
        # right before it kills the kernel (the server is stopping). It holds nothing; it goes
        # quietly, without a traceback in the server's log.
        os._exit(0)
    # Voilà's protocol: the request's environment, as Voilà's own helper sets it.
    for key, value in json.loads(received[0]).items() if received else ():
        os.environ[key] = value


def _announce_waiting(env: KernelEnv) -> None:
    """Tell `innokraft serve` this preheated kernel has run its page up to the visitor's request.

    The server counts a node ready (GET /innokraft/ready) once every pooled kernel said so:
    at start-up every pool executes its page at once, and a visitor let in before that waits.
    """
    if not env.kernel_id or not env.api:
        return  # not under `innokraft serve`: nobody counts
    try:
        client.store_client().call("waiting", None, kernel=env.kernel_id)
    except (client.StoreUnavailable, client.StoreRefused):
        pass  # readiness is a hint for the load balancer; the page works without it


def query() -> dict[str, str]:
    """The request's query parameters; {} outside Voilà (papermill, JupyterLab)."""
    if not in_voila():
        return {}
    _wait_for_request()  # a preheated kernel waits here until a visitor's request arrives
    raw = KernelEnv.from_env().query_string
    return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
