"""A learner's kernel does the page and nothing else, under a real `innokraft serve`.

- What a page's kernel imported in its whole life (loaded, used, submitted, closed), read
  from the kernel process itself: no database stack, no nbgrader or nbformat, no pandas,
  no matplotlib (M3's simulator computes in the kernel, the browser draws its charts); it
  reached the store through the server's API.
- A tab that vanishes without unloading (a phone losing its network) frees its kernel
  within 3 minutes, while a connected page keeps its own.
- A preheated kernel serves the visitor who opened it, never the previous one
  (VOILA_REQUEST_URL holds the previous visitor's URL; nothing may read it).
- Text typed just before the tab closes is in the store.
- A second visitor's kernel holds nothing of the first's (kernels are forked from one clean parent).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import time
from pathlib import Path

import psutil
import pytest

from tests.browser.conftest import (
    hand_in,
    kernel_id,
    kernel_process,
    poll,
    start_server,
    stop_server,
    wait_interactive,
    wait_still,
)
from tests.conftest import REPO
from tests.helpers import kernel_modules

FORBIDDEN = ("sqlalchemy", "alembic", "nbgrader", "nbformat", "pandas", "matplotlib", "weasyprint", "psycopg",
             "innokraft.store", "innokraft.learner", "innokraft.grading", "innokraft.facilitator",
             "innokraft.web", "innokraft.cli", "innokraft.teams", "tornado.web", "jupyter_server", "voila")
REFLECTION = "Vi provade en ny mötesform i förvaltningen och lärde oss att fråga invånarna först. " * 3


@pytest.fixture(scope="module")
def lean_server(tmp_path_factory, output_dir):
    modules = tmp_path_factory.mktemp("modules")
    tmp = tmp_path_factory.mktemp("lean")
    kernel_modules.install(tmp / "home", modules, REPO)
    srv = start_server(tmp, output_dir, "lean", pool_size=1, wait=300)
    srv.modules = modules
    yield srv
    stop_server(srv)


def slow_context(browser):
    """A browser context that waits as long as a busy 2-core machine needs (a bound, not a speed check)."""
    context = browser.new_context()
    context.set_default_timeout(180_000)
    return context


def imported(server, pid: int) -> dict:
    path = Path(server.modules) / f"{pid}.json"
    assert poll(path.exists, seconds=60), f"the kernel (pid {pid}) wrote no module list at exit"
    return json.loads(path.read_text())


def leaked(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]


def test_a_learner_kernel_imports_only_what_the_page_shows(lean_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(180_000)
    page = context.new_page()
    page.goto(lean_server.page_link("demo-learner", "01_why_innovate.ipynb", "sv"))
    wait_interactive(page, exercises=4, timeout_ms=180_000)
    m1_kernel = kernel_process(lean_server, kernel_id(page)).pid
    # Use the page: a guess, a reflection, a submission (nbgrader runs in the server).
    guess = page.locator(".ik-chart input[type=range]").first
    guess.focus()
    page.keyboard.press("ArrowRight")
    box = page.get_by_label("Ditt svar på fråga 1")
    box.fill(REFLECTION)
    page.locator(".innokraft-save-saved").first.wait_for()
    hand_in(page, "sv")
    page.close(run_before_unload=True)

    start = context.new_page()
    start.goto(lean_server.page_link("demo-learner", "00_start.ipynb", "sv"))
    wait_interactive(start, timeout_ms=180_000)
    start_kernel = kernel_process(lean_server, kernel_id(start)).pid
    start.close(run_before_unload=True)

    # M3 computes: a simulator and a prediction run their models in the kernel; the browser
    # draws their charts (no matplotlib).
    m3 = context.new_page()
    m3.goto(lean_server.page_link("demo-learner", "03_portfolio.ipynb", "sv"))
    wait_interactive(m3, timeout_ms=180_000)
    m3.locator(".ik-chart").first.wait_for()
    m3_kernel = kernel_process(lean_server, kernel_id(m3)).pid
    m3.close(run_before_unload=True)
    context.close()

    for pid, must in ((m1_kernel, ("widgets.myth_or_data", "widgets.svg_chart", "anywidget")),
                      (start_kernel, ()),
                      (m3_kernel, ("widgets.simulator", "widgets.prediction", "widgets.svg_chart", "numpy"))):
        record = imported(lean_server, pid)
        modules = record["modules"]
        # Not by accident: this is the page's kernel, it ran the page, and used the server's API.
        assert "ipykernel" in modules and "innokraft.kernel.page" in modules and "innokraft.kernel.client" in modules
        assert all(m in modules for m in must)
        assert record["store_clients"] == ["HttpStore"]
        assert leaked(modules) == [], f"kernel {pid} imported {leaked(modules)}"
    # The kernels used the course's own IPython profile (made there as they started), not the
    # server user's, and kept no input history.
    profile = lean_server.home / "run" / "ipython" / "profile_default"
    assert (profile / "security").is_dir() and (profile / "ipython_kernel_config.py").is_file()
    assert not list(profile.parent.rglob("history.sqlite"))
    store = lean_server.store
    assert store.answers("demo-learner")["m1.reflection.latest_change"]["text"] == REFLECTION
    assert store.latest_submission("demo-learner", "m1") is not None


def test_a_vanished_tab_frees_its_kernel_and_a_connected_one_keeps_its(lean_server, browser):
    kept = slow_context(browser).new_page()
    kept.goto(lean_server.page_link("demo-learner", "01_why_innovate.ipynb", "sv"))
    wait_interactive(kept, exercises=4, timeout_ms=180_000)
    kept_kernel = kernel_process(lean_server, kernel_id(kept))

    vanished = slow_context(browser)
    page = vanished.new_page()
    page.goto(lean_server.page_link("demo-learner", "01_why_innovate.ipynb", "sv"))
    wait_interactive(page, exercises=4, timeout_ms=180_000)
    gone = kernel_process(lean_server, kernel_id(page))
    vanished.close()  # no unload, no shutdown beacon: the tab is simply gone
    closed_at = time.monotonic()

    bound = lean_server.culled_within()
    assert poll(lambda: not gone.is_running() or gone.status() == psutil.STATUS_ZOMBIE, seconds=bound,
                interval=1), f"a vanished tab still holds its kernel after {bound:.0f} s"
    print(f"vanished tab's kernel freed after {time.monotonic() - closed_at:.0f} s")
    # The connected page, idle all this time, still has its kernel and still saves.
    assert kept_kernel.is_running() and kept_kernel.status() != psutil.STATUS_ZOMBIE
    guess = kept.locator(".ik-chart input[type=range]").nth(1)
    guess.focus()
    kept.keyboard.press("ArrowRight")
    kept.locator(".innokraft-save-saved").first.wait_for()
    kept.context.close()


def test_each_visitor_gets_their_own_page_from_the_preheated_pool(lean_server, browser, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("learner_id,name,email,lang\nbritt,Britt Besökare,,sv\n", encoding="utf-8")
    lean_server.cli("cohort", "import", str(roster), "--cohort", "demo")
    links = {who: lean_server.page_link(who, "00_start.ipynb", "sv") for who in ("demo-learner", "britt")}
    # Four visits in a row: the later ones get kernels preheated while earlier visitors' pages
    # were opening, the ones whose VOILA_REQUEST_URL names an earlier visitor.
    for who in ("demo-learner", "britt", "demo-learner", "britt"):
        page = slow_context(browser).new_page()
        page.goto(links[who])
        wait_interactive(page, timeout_ms=180_000)
        token = re.search(r"[?&]t=([^&]+)", links[who]).group(1)
        hrefs = page.locator(".innokraft-open").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert hrefs and all(f"t={token}" in h for h in hrefs), (who, hrefs)
        if who == "britt":
            assert "Britt Besökare" in page.locator(".innokraft-welcome").inner_text()
        page.close(run_before_unload=True)
        page.context.close()


def test_text_typed_just_before_the_tab_closes_is_stored(lean_server, browser):
    page = slow_context(browser).new_page()
    page.goto(lean_server.page_link("demo-learner", "01_why_innovate.ipynb", "sv"))
    wait_interactive(page, exercises=4, timeout_ms=180_000)
    box = page.get_by_label("Ditt svar på fråga 2")
    box.click()
    text = "Nästa steg: en försöksverksamhet i två enheter, med uppföljning efter sex veckor."
    page.keyboard.type(text, delay=5)
    page.close(run_before_unload=True)  # within a few ms of the last key
    store = lean_server.store
    key = "m1.reflection.weekly_routines"
    assert poll(lambda: (store.answers("demo-learner").get(key) or {}).get("text") == text, seconds=30), \
        store.answers("demo-learner").get(key)


HOSTILE = '</script><script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> <!-- \u2028'


def test_the_widgets_are_drawn_from_the_page_and_a_learners_text_in_it_stays_text(lean_server, browser):
    """The kernel's last cell writes every widget's state into the page (issue 7): the page asks
    the kernel for none of it, and a learner's saved text, written there too, stays inert."""
    lean_server.store.upsert_learners("demo", [{"learner_id": "hostile-text", "name": "H", "email": "",
                                                "lang": "sv"}])
    lean_server.store.save_answer("hostile-text", "m1.reflection.latest_change", {"text": HOSTILE})
    context = slow_context(browser)
    page = context.new_page()
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on(
        "framesent", lambda frame: sent.append(frame if isinstance(frame, str) else frame.decode("utf-8", "replace"))))
    page.goto(lean_server.page_link("hostile-text", "01_why_innovate.ipynb", "sv"))
    wait_interactive(page, exercises=4, timeout_ms=180_000)
    wait_still(page)
    shown = page.get_by_label("Ditt svar på fråga 1").input_value()
    xss = page.evaluate("window.__xss ?? null")
    context.close()
    assert shown == HOSTILE
    assert xss is None
    assert sent and not [f for f in sent if "request_states" in f]


def test_no_code_reads_voila_request_url():
    """Voilà gives a preheated kernel the *previous* visitor's URL in VOILA_REQUEST_URL."""
    readers = []
    for folder in ("innokraft", "widgets", "notebooks"):
        for path in (REPO / folder).rglob("*"):
            if "node_modules" in path.parts or not path.is_file():
                continue  # the front-end's build tools, not code a page runs
            if path.suffix in (".py", ".ipynb", ".js") and "VOILA_REQUEST_URL" in path.read_text(errors="ignore"):
                readers.append(str(path.relative_to(REPO)))
    assert readers == []


def test_text_is_gzipped_and_the_page_loads_one_widget_bundle_cached_for_good(lean_server):
    import gzip
    import urllib.request

    def get(url: str):
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            return response.headers, body

    headers, body = get(lean_server.page_link("demo-learner", "00_start.ipynb", "sv"))
    assert headers["Content-Encoding"] == "gzip"
    html_text = body.decode()
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html_text)
    styles = re.findall(r'<link rel="stylesheet"[^>]*href="([^"]+)"', html_text)
    # The widget front-end is one bundle (widgets/page_front), loaded async; nothing of Voilà's
    # JupyterLab front-end (voila.js and its chunks, the labextensions, voila-style.js).
    bundle = [s for s in scripts if "/static/innokraft-widgets.js?v=" in s]
    assert len(bundle) == 1 and f'<script async src="{bundle[0]}"' in html_text, scripts
    assert not [s for s in scripts + styles if re.search(r"voila\.js|voila-style|labextensions|/voila/static/", s)]
    assert len(re.findall(r'<script id="jupyter-config-data"', html_text)) == 1  # Voilà's, with the kernel
    # The widgets' own modules (widgets/front) are preloaded beside the bundle: the widgets name
    # them by URL instead of carrying their source in every widget's state.
    front = REPO / "widgets" / "front"
    preloads = re.findall(r'<link rel="modulepreload" href="([^"]+)"', html_text)
    assert sorted(p.split("?")[0].rsplit("/", 1)[1] for p in preloads) == sorted(p.name for p in front.glob("*.js"))
    _headers, m1 = get(lean_server.page_link("demo-learner", "01_why_innovate.ipynb", "sv"))
    chart_source = (front / "svg_chart.js").read_text().splitlines()[0]
    assert chart_source and chart_source not in m1.decode() and "/innokraft/front/svg_chart.js?v=" in m1.decode()
    static = REPO / "course_config" / "voila" / "templates" / "innokraft" / "static"
    for asset in scripts + styles + preloads:  # every file named by its content's hash: a browser keeps it
        url = lean_server.url.rstrip("/") + html.unescape(asset)
        for _ in range(2):  # the server gzips a file once (innokraft.static_files), then serves that
            headers, content = get(url)
            assert "?v=" in asset and headers["Cache-Control"] == "max-age=315360000", asset
            assert headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding", asset
            name = asset.split("?")[0].rsplit("/", 1)[1]
            folder = front if "/innokraft/front/" in asset else static
            if (folder / name).exists():
                assert content == (folder / name).read_bytes(), asset
        with urllib.request.urlopen(url, timeout=120) as plain:  # a client that takes no gzip gets the file
            assert plain.headers.get("Content-Encoding") is None
            assert len(plain.read()) == int(plain.headers["Content-Length"]), asset


# -- one visitor's kernel holds nothing of another's ----------------------------------------------
def memory_holds(pid: int, needles: list[bytes]) -> set[bytes]:
    """Which of `needles` are anywhere in the process's readable memory (read from /proc)."""
    found: set[bytes] = set()
    tail = max(len(n) for n in needles)
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            if not fields[1].startswith("r") or (len(fields) > 5 and fields[5] in ("[vvar]", "[vsyscall]")):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            previous = b""
            for at in range(start, end, 1 << 22):
                try:
                    mem.seek(at)
                    chunk = previous + mem.read(min(1 << 22, end - at))
                except (OSError, ValueError):
                    break
                found |= {n for n in needles if n in chunk}
                previous = chunk[-tail:]
    return found


@contextlib.contextmanager
def protocol_visit(server, learner_id: str, text: str | None = None):
    """A leader's M1 at the protocol level (benchmarks.kernel_protocol), open while in the block:
    the page, its kernel's websocket, and `text` typed into the first reflection and flushed to
    the store. Yields the link and the kernel's id."""
    import uuid

    import requests
    import websockets.sync.client as ws_client

    from benchmarks.kernel_protocol import V1, KernelChannel, parse_page

    link = server.page_link(learner_id, "01_why_innovate.ipynb", "sv")
    session = requests.Session()
    page = parse_page(session.get(link, timeout=120).text)
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    with ws_client.connect(server.url.replace("http", "ws", 1) + f"api/kernels/{page.kernel_id}/channels"
                           f"?session_id={uuid.uuid4()}", subprotocols=[V1],
                           additional_headers={"Cookie": cookie}, open_timeout=60, max_size=None) as ws:
        channel = KernelChannel(ws)
        if text is not None:
            _key, box = sorted(page.reflection_keys().items())[0]
            channel.idle_after(channel.update(box, {"value": text}), 60)
            channel.idle_after(channel.comm_msg(page.page_hooks(), {
                "method": "custom", "content": {"event": "flush", "leaving": False}}), 60)
        yield link, page.kernel_id


def test_a_second_visitors_kernel_holds_nothing_of_the_firsts(lean_server):
    """Kernels are forked from one parent that has imported the pages' modules (issue 25): each
    visitor's kernel is a fresh fork of that parent, which never ran a page, never another's."""
    import uuid

    lean_server.store.upsert_learners("demo", [{"learner_id": who, "name": who, "email": "", "lang": "sv"}
                                               for who in ("first-visitor", "second-visitor")])
    marker = f"first-visitor-wrote-{uuid.uuid4().hex}"
    with protocol_visit(lean_server, "first-visitor", marker) as (first_link, first_kernel):
        token = re.search(r"[?&]t=([^&]+)", first_link).group(1).encode()
        assert lean_server.store.answers("first-visitor")["m1.reflection.latest_change"]["text"] == marker
        first_process = kernel_process(lean_server, first_kernel)
        # The search finds what is there: the first visitor's own kernel holds their text and link.
        assert memory_holds(first_process.pid, [marker.encode(), token]) == {marker.encode(), token}
        with protocol_visit(lean_server, "second-visitor") as (_link, second_kernel):
            second_process = kernel_process(lean_server, second_kernel)
            fork_server = second_process.parent()
            # Forked, not started anew: the kernel's parent is the fork server, as the first's is.
            assert "innokraft.kernel.forkserver" in " ".join(fork_server.cmdline())
            assert first_process.parent().pid == fork_server.pid != lean_server.proc.pid
            assert memory_holds(second_process.pid, [marker.encode(), token]) == set()
            assert memory_holds(fork_server.pid, [marker.encode(), token]) == set()
