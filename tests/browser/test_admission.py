"""Admission instead of collapse (issue 25): past the server's kernel cap a leader gets a calm,
translated page that says the course is busy, keeps their link and opens the page by itself once
there is room; never a broken page. Here the cap is one kernel (a memory budget of one kernel's
worth, no preheated pool), so the second leader is the one turned away."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
import requests

from tests.browser.a11y import axe_violations, format_violations
from tests.browser.conftest import poll, start_server, stop_server, wait_interactive

M1 = "01_why_innovate.ipynb"


@pytest.fixture(scope="module")
def full_server(tmp_path_factory, output_dir):
    srv = start_server(tmp_path_factory.mktemp("admission"), output_dir, "admission", pool_size=0,
                       extra_env={"INNOKRAFT_MEMORY_BUDGET_MB": "100", "INNOKRAFT_KERNEL_MB": "100"})
    srv.store.upsert_learners("demo", [{"learner_id": who, "name": who, "email": "", "lang": "sv"}
                                       for who in ("first-in", "turned-away")])
    yield srv
    stop_server(srv)


def kernel_of(body: str) -> str:
    start = body.index('id="jupyter-config-data"')
    return json.loads(body[body.index(">", start) + 1: body.index("</script>", start)])["kernelId"]


def gone(server, kernel: str) -> bool:
    try:
        urllib.request.urlopen(f"{server.url}api/kernels/{kernel}", timeout=30).close()
        return False
    except urllib.error.HTTPError as exc:
        return exc.code == 404


def leave(server, session: requests.Session, kernel: str) -> None:
    """The page closes: its shutdown request, as the page sends it."""
    session.post(f"{server.url}voila/api/shutdown/{kernel}", timeout=60,
                 headers={"X-XSRFToken": session.cookies.get("_xsrf", "")})
    assert poll(lambda: gone(server, kernel), seconds=60)


def test_past_the_cap_a_leader_gets_a_calm_busy_page_that_says_when_it_retries(full_server):
    first = requests.Session()
    page = first.get(full_server.page_link("first-in", M1, "sv"), timeout=120)
    assert page.status_code == 200 and "innokraft-intro" in page.text
    kernel = kernel_of(page.text)

    for lang, words in (("sv", "Många är inne i kursen just nu"), ("en", "Many people are in the course right now")):
        busy = requests.get(full_server.page_link("turned-away", M1, lang), timeout=60)
        assert busy.status_code == 503
        seconds = int(busy.headers["Retry-After"])
        assert f'data-seconds="{seconds}"' in busy.text and 'data-room="/innokraft/room"' in busy.text
        assert f'<html lang="{lang}">' in busy.text and words in busy.text
        assert "innokraft-intro" not in busy.text and "jupyter-config-data" not in busy.text  # no kernel was taken
    assert requests.get(full_server.url + "innokraft/room", timeout=30).json() == {"room": False}
    leave(full_server, first, kernel)
    assert requests.get(full_server.url + "innokraft/room", timeout=30).json() == {"room": True}
    again = requests.get(full_server.page_link("turned-away", M1, "sv"), timeout=120)
    assert again.status_code == 200 and "innokraft-intro" in again.text
    leave(full_server, requests.Session(), kernel_of(again.text))


def test_the_busy_page_opens_the_course_page_by_itself_once_there_is_room(full_server, browser):
    first = requests.Session()
    kernel = kernel_of(first.get(full_server.page_link("first-in", M1, "sv"), timeout=120).text)
    context = browser.new_context()
    context.set_default_timeout(180_000)
    page = context.new_page()
    page.goto(full_server.page_link("turned-away", M1, "sv"))
    busy = page.locator(".innokraft-busy")
    busy.wait_for()
    assert "Många är inne i kursen just nu" in busy.inner_text()
    assert axe_violations(page) == [], format_violations(axe_violations(page))
    leave(full_server, first, kernel)
    # Nobody touches the page: it asks for room, finds it, and the course page comes.
    wait_interactive(page, exercises=4, timeout_ms=120_000)
    assert M1 in page.url and "t=" in page.url  # the same link: the leader did nothing
    context.close()
