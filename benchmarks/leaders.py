"""A simulated leader for `make load` (a locust User that speaks the page's protocol).

Each leader opens their own personal link to a module page, as the e-mail's link does: the page's
HTML, then its kernel's websocket (v1), `jupyter.widget.control` (protocol 1.0.0, ipywidgets 8),
the widgets' states; the page counts as ready when those have arrived. Then they work as a leader
on the page would: choose an answer in an exercise, type into a reflection (a change per word,
as the text box sends them), and the page's flush (what a hidden tab sends) stores it. Then they
leave (the page's shutdown request, as the page sends it on closing) or stay with the page open.

A leader whose page's connection is lost (a replica stopped) reloads the page, onto whichever
server the balancer gives, and checks that it shows what they had saved. A page that says the
course is busy (or that it reloads) is loaded again after the seconds it names, as the browser
would: that leader counts as served once the page comes, as failed if it never does in the run.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from dataclasses import dataclass, field

import gevent
import requests
import websockets.sync.client as ws_client
from locust import User, task
from websockets.exceptions import ConnectionClosed, WebSocketException

from benchmarks.kernel_protocol import V1, KernelChannel, Page, parse_page

WORDS = ("Vi", "provar", "en", "ny", "rutin", "för", "uppföljning", "med", "medarbetarna", "varje", "vecka")
_REFRESH = re.compile(r'http-equiv="refresh" content="(\d+)')


@dataclass
class Plan:
    """What the leaders of one run do (set by benchmarks.load before they arrive)."""

    links: list[tuple[str, str]]  # (learner id, personal link to the module page), one each
    answer_key: str  # the exercise whose radio buttons a leader answers
    stay_share: float  # leaders who keep their page open until the run ends
    words: int  # words typed into the reflection, a change each
    run_until: float  # monotonic: every leader is done by then (the run is bounded)
    timeout: float = 60.0  # the most one step may wait
    reload_when_lost: bool = False  # a lost connection means: reload (a replica went away)
    seed: int = 25


@dataclass
class Visit:
    """What one leader's run recorded."""

    leader: str
    arrived: float  # seconds since the run started
    html_s: float | None = None
    ready_s: float | None = None
    busy_pages: int = 0  # "busy" or "reloads" pages seen before the page came
    interactions_ms: list[float] = field(default_factory=list)
    saved: dict[str, str] = field(default_factory=dict)  # answer key -> the text the page stored
    stayed: bool = False
    page_open: bool = False  # the page is open (its kernel held for this leader)
    reloads: list[dict] = field(default_factory=list)  # {ready_s, intact} per reload after a lost page
    error: str | None = None
    server: str | None = None  # the replica that served the page (a cookie of the balancer's)


RESULTS: list[Visit] = []
PLAN: Plan | None = None
STARTED = [0.0]
_ASSIGNED = [0]


def _cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


class Leader(User):
    """One leader, one visit (then they stay, or go and idle until the run ends)."""

    wait_time = staticmethod(lambda: 1.0)

    def on_start(self) -> None:
        index = _ASSIGNED[0]
        _ASSIGNED[0] += 1
        learner_id, self.link = PLAN.links[index % len(PLAN.links)]
        self.rng = random.Random(PLAN.seed * 1000 + index)
        self.session = requests.Session()
        self.visit = Visit(leader=learner_id, arrived=time.monotonic() - STARTED[0])
        RESULTS.append(self.visit)
        self.done = False

    @task
    def work(self) -> None:
        if self.done:
            gevent.sleep(max(0.0, min(5.0, PLAN.run_until - time.monotonic())))
            return
        self.done = True
        visit = self.visit
        try:
            page, channel, ready = self.open_page()
            visit.html_s, visit.ready_s = ready["html_s"], ready["ready_s"]
            visit.page_open = True
            self._fire("page ready", visit.ready_s)
            self.answer(page, channel)
            if self.rng.random() < PLAN.stay_share:
                visit.stayed = True
                self.stay(page, channel)
            else:
                self.leave(page, channel)
        except Exception as exc:  # noqa: BLE001 - every failure is a finding of the run
            visit.error = f"{type(exc).__name__}: {exc}"[:300]
            visit.page_open = False
            self._fire("page ready", 0.0, exc)

    def _fire(self, name: str, seconds: float, exc: Exception | None = None) -> None:
        self.environment.events.request.fire(request_type="leader", name=name, response_time=seconds * 1000,
                                             response_length=0, exception=exc, context={})

    # -- the page ------------------------------------------------------------------------------
    def get_page(self) -> tuple[Page, float]:
        """The page's HTML (again after a busy page's seconds, as its refresh asks); seconds taken."""
        started = time.monotonic()
        while True:
            response = self.session.get(self.link, timeout=PLAN.timeout)
            busy = response.status_code == 503 and "Retry-After" in response.headers  # the course is full
            if not busy:
                response.raise_for_status()
            page = parse_page(response.text)
            if page.kernel_id and not page.retry and not busy:
                self.visit.server = self.visit.server or self.session.cookies.get("SERVERID")  # the first page's
                return page, time.monotonic() - started
            self.visit.busy_pages += 1
            wait = int(response.headers["Retry-After"]) if busy else int((_REFRESH.search(response.text) or [0, 3])[1])
            if time.monotonic() + wait > PLAN.run_until:
                raise TimeoutError(f"still busy after {self.visit.busy_pages} tries")
            gevent.sleep(wait)

    def open_page(self) -> tuple[Page, KernelChannel, dict]:
        started = time.monotonic()
        page, html_s = self.get_page()
        base = self.link.split("/voila/")[0].replace("http", "ws", 1)
        ws = ws_client.connect(f"{base}/api/kernels/{page.kernel_id}/channels?session_id={uuid.uuid4()}",
                               subprotocols=[V1], additional_headers={"Cookie": _cookie_header(self.session)},
                               open_timeout=PLAN.timeout, max_size=None)
        channel = KernelChannel(ws)
        info = channel.send("kernel_info_request", {})
        channel.wait(lambda ch, m: m["parent_header"].get("msg_id") == info
                     and m["header"]["msg_type"] == "kernel_info_reply", PLAN.timeout)
        comm = uuid.uuid4().hex
        channel.send("comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
                     {"version": "1.0.0"})
        channel.comm_msg(comm, {"method": "request_states"})
        reply = channel.wait(lambda ch, m: m["header"]["msg_type"] == "comm_msg"
                             and m["content"]["data"].get("method") == "update_states", PLAN.timeout)
        page.states = {k: {**page.states.get(k, {}), **v} for k, v in reply["content"]["data"]["states"].items()}
        return page, channel, {"html_s": html_s, "ready_s": time.monotonic() - started}

    def timed(self, channel: KernelChannel, msg_id: str) -> None:
        started = time.monotonic()
        channel.idle_after(msg_id, PLAN.timeout)
        ms = (time.monotonic() - started) * 1000
        self.visit.interactions_ms.append(ms)
        self._fire("interaction", ms / 1000)

    def answer(self, page: Page, channel: KernelChannel) -> None:
        radios = page.exercise_models(PLAN.answer_key, "RadioButtonsModel")
        if not radios:
            raise RuntimeError(f"no radio buttons in {PLAN.answer_key} on the page")
        gevent.sleep(self.rng.uniform(0.5, 2.0))  # reading
        self.timed(channel, channel.update(radios[0], {"index": self.rng.randrange(2)}))
        key, box = sorted(page.reflection_keys().items())[0]
        text = ""
        for word in [self.visit.leader, *self.rng.sample(WORDS, min(PLAN.words, len(WORDS)))][:PLAN.words]:
            gevent.sleep(self.rng.uniform(0.15, 0.4))
            text = f"{text} {word}".strip()
            self.timed(channel, channel.update(box, {"value": text}))
        hooks = page.page_hooks()
        if hooks is None:
            raise RuntimeError("no page hooks widget on the page")
        # What a hidden tab sends: everything pending is written at once, before the kernel idles.
        self.timed(channel, channel.comm_msg(hooks, {"method": "custom",
                                                     "content": {"event": "flush", "leaving": False}}))
        self.visit.saved[key] = text

    def stay(self, page: Page, channel: KernelChannel) -> None:
        """The page stays open until the run ends; a lost connection is a reload (a replica went)."""
        while time.monotonic() < PLAN.run_until:
            try:
                channel.ws.recv(timeout=min(2.0, max(0.1, PLAN.run_until - time.monotonic())))
            except TimeoutError:
                continue
            except (ConnectionClosed, WebSocketException, OSError):
                if not PLAN.reload_when_lost:
                    raise
                page, channel = self.reload()
        channel.ws.close()
        self.visit.page_open = False

    def reload(self) -> tuple[Page, KernelChannel]:
        started = time.monotonic()
        for _attempt in range(20):  # until a server answers with the page (the balancer notices a gone one)
            try:
                page, channel, _ready = self.open_page()
                break
            except (requests.RequestException, WebSocketException, OSError, TimeoutError):
                if time.monotonic() > PLAN.run_until:
                    raise
                gevent.sleep(1.0)
        else:
            raise TimeoutError("no server took the reloaded page")
        shown = {key: page.states.get(model, {}).get("state", {}).get("value")
                 for key, model in page.reflection_keys().items()}
        intact = all(shown.get(key) == text for key, text in self.visit.saved.items())
        self.visit.reloads.append({"ready_s": time.monotonic() - started, "intact": intact,
                                   "server": self.session.cookies.get("SERVERID")})
        return page, channel

    def leave(self, page: Page, channel: KernelChannel) -> None:
        """The page closes: its shutdown request (as the page sends it, with the XSRF cookie's token)."""
        channel.ws.close()
        self.visit.page_open = False
        base = self.link.split("/voila/")[0]
        xsrf = self.session.cookies.get("_xsrf", "")
        self.session.post(f"{base}/voila/api/shutdown/{page.kernel_id}", headers={"X-XSRFToken": xsrf},
                          timeout=PLAN.timeout)
