"""No visitor stalls a page or reads what is not theirs, tried against a real `innokraft serve`:

- kernel websockets speak v1 only and every frame is checked (issue 6, below);
- Voilà's request socket (how a preheated kernel gets its visitor's request) is not on the public
  port; on the kernel socket it opens only to a kernel showing its own key; two sockets under a
  made-up id around a pool refill (the attack that left pages hanging) change nothing, three
  rounds in a row; a kernel that never gets its request is ended and its page reloads;
- a learner kernel's environment holds no database URL, no server key and no other visitor's
  URL; the store API answers only this server's kernels, each with its own key;
- no link (?t=) is written into any file the server keeps, for any refused or missing page.

Issue 6: a client that opened a page's kernel websocket without the v1 subprotocol got
jupyter_server's legacy binary framing, which Voilà 0.5 misreads as v1 (a part count of
~10**17): the server's only thread spun and its memory grew ~40 MB/s. A forged v1 frame
sent *to* the server hit the same loop in jupyter_server's parser.

Each test watches the server's memory while it waits for it to answer a page request, and
gives up (failing) as soon as the memory balloons, so a regression cannot take the machine
down with it. The bound is a hang detector, not a speed check.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psutil
import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClosedError, websocket_connect

from benchmarks.kernel_protocol import encode
from tests.browser.conftest import poll, start_server, stop_server, wait_interactive
from tests.helpers import kernel_modules

V1 = "v1.kernel.websocket.jupyter.org"
# A frozen server: no answer within this many seconds, or this much more memory.
HANG_SECONDS = 60
BALLOON_MB = 200


@pytest.fixture(scope="module")
def server(tmp_path_factory, output_dir):
    # A short bound for a kernel that never gets its visitor's request (default 30 s).
    tmp = tmp_path_factory.mktemp("ws")
    environs = tmp_path_factory.mktemp("environs")
    kernel_modules.install_environ(tmp / "home", environs)
    srv = start_server(tmp, output_dir, "ws", wait=240, extra_env={"INNOKRAFT_REQUEST_BOUND_S": "8"})
    srv.environs = environs
    yield srv
    stop_server(srv)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def answers_while_calm(server, path: str = "voila/render/no-such-page.ipynb") -> str | None:
    """Request a page; None if it answered, else why the server is judged frozen.

    The course's "not found" page: an answer that needs no kernel, so a slow machine
    starting kernels is not mistaken for a frozen server.
    """
    before = rss_mb(server.proc.pid)
    result: dict = {}

    def fetch():
        try:
            with urllib.request.urlopen(server.url + path, timeout=HANG_SECONDS) as resp:
                result["status"] = resp.status
                resp.read()
        except urllib.error.HTTPError as exc:
            result["status"] = exc.code
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            result["error"] = repr(exc)

    worker = threading.Thread(target=fetch, daemon=True)
    worker.start()
    waited = 0.0
    while worker.is_alive() and waited < HANG_SECONDS:
        worker.join(0.2)
        waited += 0.2
        grown = rss_mb(server.proc.pid) - before
        if grown > BALLOON_MB:
            server.proc.kill()  # ours; stop it before it eats the shared machine
            return f"server memory grew {grown:.0f} MB while a page request waited"
    if worker.is_alive():
        server.proc.kill()
        return f"no answer to a page request within {HANG_SECONDS} s"
    if result.get("status") != 404:
        return f"page request failed: {result}"
    return None


def render(server, notebook: str) -> str:
    """Render a page (as a demo visitor: no link needed) and return its kernel id."""
    with urllib.request.urlopen(f"{server.url}voila/render/{notebook}", timeout=120) as resp:
        page = resp.read().decode()
    start = page.index('id="jupyter-config-data"')
    body = page[page.index(">", start) + 1: page.index("</script>", start)]
    return json.loads(body)["kernelId"]


def header(msg_type: str) -> dict:
    return {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": "hostile",
            "username": "", "date": "2026-01-01T00:00:00Z", "version": "5.3"}


def legacy(msg_type: str, content: dict, metadata: dict | None = None) -> str:
    return json.dumps({"header": header(msg_type), "parent_header": {}, "metadata": metadata or {},
                       "content": content, "channel": "shell"})


def v1(channel: str, msg_type: str, content: dict) -> bytes:
    return encode(channel, {"header": header(msg_type), "parent_header": {}, "metadata": {}, "content": content})


def ws_request(server, kernel: str, subprotocols: list[str] | None) -> HTTPRequest:
    url = server.url.replace("http://", "ws://") + f"api/kernels/{kernel}/channels?session_id=x"
    headers = {"Sec-WebSocket-Protocol": ", ".join(subprotocols)} if subprotocols else {}
    return HTTPRequest(url, headers=headers)


async def legacy_client_asks_for_widget_state(server, kernel: str) -> str:
    """What an old or hand-written client does: no subprotocol, then the widgets' state.

    It first opens an Image widget of its own (any page's kernel has ipywidgets): its empty
    `value` is a binary buffer, so the answer to `request_states` is a binary frame, the
    one Voilà 0.5 misreads, whatever the page itself shows.
    """
    try:
        conn = await websocket_connect(ws_request(server, kernel, None))
    except HTTPClientError as exc:
        return f"refused with HTTP {exc.code}"
    controls = {"_model_module": "@jupyter-widgets/controls", "_model_module_version": "2.0.0",
                "_view_module": "@jupyter-widgets/controls", "_view_module_version": "2.0.0"}
    image = {"_model_name": "ImageModel", "_view_name": "ImageView", **controls}
    await conn.write_message(legacy("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget",
                                                  "data": {"state": image, "buffer_paths": []}},
                                    {"version": "2.1.0"}))
    comm = uuid.uuid4().hex
    await conn.write_message(legacy("comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control",
                                                  "data": {}}, {"version": "1.0.0"}))
    await conn.write_message(legacy("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}))
    # Read until the binary answer arrives (or a short while passes); the server stays ours.
    try:
        for _ in range(50):
            msg = await asyncio.wait_for(conn.read_message(), 5)
            if msg is None or isinstance(msg, bytes):
                break
    except (TimeoutError, WebSocketClosedError):
        pass
    conn.close()
    return "accepted"


async def forged_v1_frame(server, kernel: str) -> tuple[bool, bool]:
    """A v1 client whose frame claims 10**17 parts; (kernel answered first, socket closed)."""
    conn = await websocket_connect(ws_request(server, kernel, [V1]))
    await conn.write_message(v1("shell", "kernel_info_request", {}), binary=True)
    answered = False
    for _ in range(20):
        msg = await asyncio.wait_for(conn.read_message(), 30)
        if isinstance(msg, bytes) and b"kernel_info_reply" in msg:
            answered = True
            break
    await conn.write_message((10**17).to_bytes(8, "little") + b"\0" * 64, binary=True)
    closed = False
    for _ in range(50):  # messages already on their way arrive first, then the close
        if await asyncio.wait_for(conn.read_message(), 30) is None:
            closed = True
            break
    return answered, closed


def run_apart(coro):
    # Playwright's sync API keeps an event loop running in this thread once a browser test
    # ran in the same worker, and asyncio.run refuses to nest: run the client in its own thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_a_client_without_the_v1_subprotocol_cannot_freeze_the_server(server):
    kernel = render(server, "01_why_innovate.ipynb")
    outcome = run_apart(legacy_client_asks_for_widget_state(server, kernel))
    frozen = answers_while_calm(server)
    assert frozen is None, f"legacy client {outcome}; then {frozen}"
    assert outcome == "refused with HTTP 400"


def test_a_forged_v1_frame_closes_that_socket_and_nothing_else(server):
    kernel = render(server, "01_why_innovate.ipynb")
    answered, closed = run_apart(forged_v1_frame(server, kernel))
    assert answered, "a well-formed v1 kernel_info_request got no reply"
    assert answers_while_calm(server) is None
    assert closed, "the socket that sent a malformed frame stays open"


def connections(server, kernel: str) -> int:
    with urllib.request.urlopen(f"{server.url}api/kernels/{kernel}", timeout=30) as resp:
        return json.loads(resp.read())["connections"]


def opened_and_dropped(server, kernel: str, session: str) -> None:
    """A page that goes away while its kernel socket is still opening: the upgrade request is
    sent and the connection closed before any answer (a phone losing its network)."""
    host, port = server.url.split("//")[1].rstrip("/").split(":")
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall((f"GET /api/kernels/{kernel}/channels?session_id={session} HTTP/1.1\r\n"
                      f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                      f"Sec-WebSocket-Protocol: {V1}\r\n\r\n").encode())


async def connected_count(server, kernel: str) -> int:
    conn = await websocket_connect(ws_request(server, kernel, [V1]))
    await conn.write_message(v1("shell", "kernel_info_request", {}), binary=True)
    await asyncio.wait_for(conn.read_message(), 30)
    count = connections(server, kernel)
    conn.close()
    return count


def test_a_socket_dropped_while_opening_leaves_its_kernel_free_to_cull(server):
    """jupyter_server counted such a socket as -1 (CI: a closed start page kept its kernel past
    the culling bound, as the culler skips a kernel whose count is not 0)."""
    kernel = render(server, "00_start.ipynb")
    assert connections(server, kernel) == 0
    for i in range(5):
        opened_and_dropped(server, kernel, f"dropped-{i}")
    time.sleep(2)  # the server sees the drops within milliseconds
    assert connections(server, kernel) == 0
    assert run_apart(connected_count(server, kernel)) == 1  # a real page still connects
    assert poll(lambda: connections(server, kernel) == 0, seconds=30)
    assert "object has no attribute 'connect'" not in server.log.read_text()


async def asks_and_vanishes(server, kernel: str) -> None:
    """A page that asks for every widget's state (M1's answer is large) and vanishes at once:
    the connection is reset, not closed, as when a phone drops a tab."""
    import struct

    conn = await websocket_connect(ws_request(server, kernel, [V1]))
    comm = uuid.uuid4().hex
    await conn.write_message(v1("shell", "comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control",
                                                       "data": {}}), binary=True)
    for _ in range(20):
        await conn.write_message(v1("shell", "comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}),
                                 binary=True)
    await asyncio.wait_for(conn.read_message(), 30)  # the kernel is answering
    conn.stream.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.stream.close()  # with SO_LINGER 0: a reset


def test_a_page_that_vanishes_while_its_kernel_answers_leaves_no_traceback(server):
    """CI: the server logged "Task exception was never retrieved … WebSocketClosedError" for a
    frame it was still writing to a closed tab; a facilitator reads the log for real faults."""
    for _ in range(3):
        kernel = render(server, "01_why_innovate.ipynb")
        run_apart(asks_and_vanishes(server, kernel))
        assert poll(lambda k=kernel: connections(server, k) == 0, seconds=30)
    time.sleep(2)  # what the kernel still sends reaches the closed socket
    log = server.log.read_text()
    assert "never retrieved" not in log and "WebSocketClosedError" not in log, log[-3000:]


# -- the request door ---------------------------------------------------------------------------
def ws_open(url: str, headers: dict | None = None, unix: str | None = None):
    """A websocket handshake's HTTP status (101 when it opened), over TCP or a Unix socket."""
    import websockets

    async def go():
        try:
            if unix:
                async with websockets.unix_connect(unix, url, additional_headers=headers or {}, open_timeout=10):
                    return 101
            async with websockets.connect(url, additional_headers=headers or {}, open_timeout=10):
                return 101
        except websockets.exceptions.InvalidStatus as exc:
            return exc.response.status_code

    return run_apart(go())


def kernel_socket(server) -> str:
    return next(str(p) for p in (server.home / "run").glob("kernels-*.sock"))


def made_up_id() -> str:
    return str(uuid.uuid4())


def test_the_request_door_is_not_on_the_public_port_and_wants_a_kernels_key(server):
    public = server.url.replace("http://", "ws://") + f"voila/query/{made_up_id()}"
    assert ws_open(public) == 404
    door = "ws://localhost/voila/query/" + made_up_id()
    assert ws_open(door, unix=kernel_socket(server)) == 403
    assert ws_open(door, {"X-Innokraft-Key": "guess", "X-Innokraft-Kernel": door.rsplit("/", 1)[1]},
                   unix=kernel_socket(server)) == 403


def page_arrives(server, seconds: float) -> None:
    """A leader's M1 with a valid personal link arrives whole; a page that hangs (its kernel never
    got the request) fails the read after `seconds` (a bound for a busy machine, not a speed check)."""
    with urllib.request.urlopen(server.page_link("demo-learner", "01_why_innovate.ipynb", "sv"),
                                timeout=seconds) as resp:
        body = resp.read().decode()
    assert "innokraft-intro" in body  # the page itself, for this leader (not a refusal, not a retry)


def test_two_sockets_under_a_made_up_id_around_a_refill_stall_no_page(server):
    """The attack of design.md: socket A and B under one made-up id, a refill between them, A
    closed. Voilà deleted the newest pooled kernel's waiter; the next leader's page hung."""
    import websockets

    public = server.url.replace("http://", "ws://") + "voila/query/"

    async def attack(kernel: str) -> list[int]:
        codes = []
        for _ in range(2):
            try:
                async with websockets.connect(public + kernel, open_timeout=10):
                    codes.append(101)
            except websockets.exceptions.InvalidStatus as exc:
                codes.append(exc.response.status_code)
        return codes

    for _ in range(3):
        kernel = made_up_id()
        first = run_apart(attack(kernel))
        render(server, "01_why_innovate.ipynb")  # a visitor takes a pooled kernel: a refill follows
        time.sleep(server.settings.refill_delay_s + 1)
        second = run_apart(attack(kernel))
        assert first == second == [404, 404]
        page_arrives(server, seconds=30)  # the page came: its kernel got the request


def pooled_kernels(server) -> list[psutil.Process]:
    out = []
    for proc in psutil.Process(server.proc.pid).children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(proc.cmdline()):
                out.append(proc)
        except psutil.NoSuchProcess:
            continue
    return out


def test_a_kernel_that_never_gets_its_request_is_ended_and_its_page_reloads(server, browser):
    """Every waiting kernel frozen (SIGSTOP): a leader's page takes one, is told that the page
    reloads, and reloads onto a fresh kernel; the frozen one is gone within the bound."""
    frozen = pooled_kernels(server)
    for proc in frozen:
        proc.suspend()
    try:
        page = browser.new_page()
        page.set_default_timeout(120_000)
        page.goto(server.page_link("demo-learner", "01_why_innovate.ipynb", "sv"), wait_until="commit")
        page.locator(".innokraft-retry").wait_for()  # said, in the page's language
        assert "laddas om" in page.locator(".innokraft-retry").inner_text()
        page.wait_for_url("**/01_why_innovate.ipynb*")
        wait_interactive(page, timeout_ms=120_000, exercises=4)  # reloaded onto a working kernel
        page.close()
    finally:
        for proc in frozen:
            if proc.is_running():
                proc.resume()
    bound = server.settings.request_bound_s + 60
    # The kernel the page took (one of the frozen) was ended; the others wait on for visitors.
    assert poll(lambda: any(gone(p) for p in frozen), seconds=bound), "a kernel that never got its request runs"
    assert "did not get its visitor's request in time" in server.log.read_text()


# -- what a kernel holds, who reaches the store API --------------------------------------------
def gone(proc: psutil.Process) -> bool:
    try:
        return not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def environ_of(server, kernel: psutil.Process) -> dict | None:
    """The kernel's environment as it started (tests.helpers.kernel_modules.install_environ); None
    for a kernel that ended before it recorded one (one an earlier test froze while it started,
    which the request door then ends). A kernel that runs on must have recorded it."""
    path = server.environs / f"{kernel.pid}.environ.json"
    assert poll(lambda: path.exists() or gone(kernel), seconds=60), f"kernel {kernel.pid} recorded no environment"
    return json.loads(path.read_text()) if path.exists() else None


def test_a_learner_kernels_environment_holds_only_its_own_key(server):
    kernels = pooled_kernels(server)
    assert len(kernels) >= 2
    # What each kernel runs with, and what its process shows (the fork server's first environment
    # for a forked kernel): neither holds the store's URL, the secret or another visitor's URL.
    environs = [env for k in kernels if (env := environ_of(server, k)) is not None]
    assert len(environs) >= 2
    read = 0
    for kernel in kernels:
        try:
            shown = kernel.environ()
        except psutil.NoSuchProcess:
            continue  # ended since it was listed (the request door ends a kernel an earlier test froze)
        read += 1
        assert not {"INNOKRAFT_DB_URL", "INNOKRAFT_HOME", "INNOKRAFT_SECRET", "VOILA_REQUEST_URL"} & set(shown)
        assert all("secret.key" not in v and "postgresql" not in v for v in shown.values())
    assert read >= 2
    keys = set()
    for env in environs:
        assert not {"INNOKRAFT_DB_URL", "INNOKRAFT_HOME", "INNOKRAFT_SECRET", "VOILA_REQUEST_URL"} & set(env), env
        assert env["INNOKRAFT_API"].startswith("unix:")
        keys.add(env["INNOKRAFT_API_KEY"])
        for name, value in env.items():
            assert "secret.key" not in value and "postgresql" not in value, name
    assert len(keys) == len(environs)  # each kernel its own key


def api_status(server, headers: dict, unix: str | None = None) -> int:
    import http.client

    from innokraft.kernel.client import UnixConnection

    conn = UnixConnection(unix, 10) if unix else http.client.HTTPConnection(
        "127.0.0.1", int(server.url.rsplit(":", 1)[1].strip("/")), timeout=10)
    conn.request("POST", "/innokraft/api/open", json.dumps({"token": None, "args": {"page": "m1"}}),
                 {"Content-Type": "application/json", **headers})
    return conn.getresponse().status


def test_the_store_api_answers_only_this_servers_kernels(server):
    kernel = environ_of(server, pooled_kernels(server)[0])
    own = {"X-Innokraft-Key": kernel["INNOKRAFT_API_KEY"], "X-Innokraft-Kernel": kernel["VOILA_KERNEL_ID"]}
    unix = kernel_socket(server)
    assert api_status(server, own, unix) == 200  # a kernel, as it calls
    assert api_status(server, own) == 404  # the public port has no store API
    assert api_status(server, {**own, "X-Innokraft-Kernel": made_up_id()}, unix) == 403  # another kernel's name
    assert api_status(server, {}, unix) == 403
    # Another user of the machine cannot even open the socket (mode 0600, its folder 0700).
    code = ("import socket; s = socket.socket(socket.AF_UNIX); "
            f"s.connect({unix!r})")
    other = subprocess.run(["runuser", "-u", "nobody", "--", sys.executable, "-c", code],
                           capture_output=True, text=True)
    assert other.returncode != 0 and "Permission denied" in other.stderr, other


# -- links in logs ---------------------------------------------------------------------------------
def test_no_link_is_written_to_any_file_the_server_keeps(server):
    link = server.page_link("demo-learner", "01_why_innovate.ipynb", "sv")
    token = link.split("t=")[1].split("&")[0]
    facilitator = server.cli("facilitator-link", "--cohort", "demo").stdout.strip().splitlines()[-1]
    facilitator_token = facilitator.split("t=")[1].split("&")[0]
    base = server.url
    for path in (f"voila/render/no_such_page.ipynb?t={token}", f"innokraft/feedback/m9?t={token}",
                 f"innokraft/feedback/m1?t={token}x", f"innokraft/facilitator/export/research.csv?t={token}",
                 f"no/such/path?t={token}&lang=sv", f"innokraft/facilitator/export/xapi.jsonl?t={facilitator_token}x"):
        try:
            urllib.request.urlopen(base + path, timeout=60).read()
        except urllib.error.HTTPError as exc:
            assert exc.code in (403, 404), (path, exc.code)
    time.sleep(1)  # the log line is written after the answer
    kept = [server.log, *[p for p in server.home.rglob("*") if p.is_file()]]
    found = [str(p) for p in kept for secret in (token, facilitator_token)
             if secret.encode() in p.read_bytes()]
    assert found == [], found
    assert "[redacted]" in server.log.read_text()
