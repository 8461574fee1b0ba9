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

from ..core.settings import API_KEY_HEADER, KERNEL_HEADER, KernelEnv
from . import client


def in_voila() -> bool:
    return KernelEnv.from_env().in_voila


def preheated() -> bool:
    """A kernel Voilà started ahead, which waits for its visitor (else it was started for one)."""
    return KernelEnv.from_env().preheated


# A kernel waits for its visitor's request on the server's request door, reconnecting every so
# often: a registration the server lost (a restart of the door, a fault) heals by itself, and the
# server keeps a request that arrived meanwhile for the kernel's next connection.
RECONNECT_S = 10


def _wait_for_request() -> None:
    """A preheated kernel waits here for its visitor: the server sends the request over its
    request door (voila/query/<kernel id> on the kernel socket, this kernel's key shown), and we
    put it into the environment, as Voilà's helper does; then we say we got it."""
    env = KernelEnv.from_env()
    if not env.preheated:
        return  # started for this request: the environment already holds it
    import websockets

    received: list[str] = []
    _announce_waiting(env)

    async def receive() -> None:
        path = client.socket_path(env.api or "")
        headers = {API_KEY_HEADER: env.api_key or "", KERNEL_HEADER: env.kernel_id or ""}
        while not received:
            try:
                async with websockets.unix_connect(path, f"ws://localhost/voila/query/{env.kernel_id}",
                                                   additional_headers=headers, open_timeout=5) as socket:
                    received.append(await asyncio.wait_for(socket.recv(), RECONNECT_S))
                    await socket.send("received")
            except TimeoutError:
                continue  # no visitor yet: connect again (the server keeps what came meanwhile)
            except (OSError, websockets.exceptions.WebSocketException):
                await asyncio.sleep(1)  # the server is starting or going: try again

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
    for key, value in json.loads(received[0]).items():
        os.environ[key] = value


def _announce_waiting(env: KernelEnv) -> None:
    """Tell `innokraft serve` this preheated kernel has run its page up to the visitor's request.

    The server counts a node ready (GET /innokraft/ready) once every pooled kernel said so:
    at start-up every pool executes its page at once, and a visitor let in before that waits.
    """
    if not env.kernel_id or not env.api:
        return  # not under `innokraft serve`: nobody counts
    try:
        client.store_client().call("waiting", None)
    except (client.StoreUnavailable, client.StoreRefused):
        pass  # readiness is a hint for the load balancer; the page works without it


def _no_interrupts() -> None:
    """A kernel serving its visitor's page ignores SIGINT, also while it handles a message.

    Nothing on a page runs long enough to be interrupted, yet jupyter_client interrupts every
    kernel right before it asks it to shut down, and one caught mid-message logged "KeyboardInterrupt
    caught in kernel" as an error in the facilitator's log. ipykernel ignores SIGINT between
    messages; its hook that restores Python's handler for each message is what is switched off.
    The shutdown request still ends the kernel, and a kill follows if it does not.
    """
    from ipykernel.kernelbase import Kernel

    if Kernel.initialized():
        Kernel.instance().pre_handler_hook = lambda: None


def query() -> dict[str, str]:
    """The request's query parameters; {} outside Voilà (papermill, JupyterLab)."""
    if not in_voila():
        return {}
    _wait_for_request()  # a preheated kernel waits here until a visitor's request arrives
    _no_interrupts()
    raw = KernelEnv.from_env().query_string
    return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
