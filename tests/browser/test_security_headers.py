"""Every course page carries Referrer-Policy: no-referrer and a CSP allowing no request off
the machine; Voilà's one cookie is SameSite=Strict (issue 6).

The personal link is a bearer token in the URL: without no-referrer, any link a page follows
would hand it to another site. The pages themselves are checked in a browser for CSP
violations by test_every_page.py.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from innokraft.core.tokens import certificate_url
from innokraft.course.load import course_and_texts
from tests.conftest import REPO

COURSE, _TEXTS = course_and_texts(REPO / "course_config")
# Sources that stay on the machine; anything else (a host, a scheme like https:) is off it.
LOCAL_SOURCES = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}  # no 'unsafe-eval'


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=180) as resp:
            return resp.status, resp.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers


def pages(server) -> dict[str, tuple[str, int]]:
    link = server.page_link("demo-learner", COURSE.start_notebook, "sv")
    token = link.split("t=")[1].split("&")[0]
    out = {"start page": (link, 200), "root redirect": (server.url, 302),
           "not found": (server.url + "voila/render/nope.ipynb", 404),
           "refused link": (link.replace(token, token[:-4] + "AAAA"), 200),
           "demo (no link)": (server.url + f"voila/render/{COURSE.start_notebook}", 200),
           # Without a submission the page says, in the learner's language, that no feedback has come yet.
           "feedback without submission": (server.url + f"innokraft/feedback/{COURSE.modules[0].id}?t={token}", 200),
           "feedback, forged link": (server.url + f"innokraft/feedback/{COURSE.modules[0].id}?t=x", 403)}
    # The certificate before every module is done: a page saying what is missing.
    fresh = server.add_learner("headers-certificate").split("t=")[1].split("&")[0]
    out["certificate, not yet"] = (certificate_url(server.url, fresh, "sv"), 409)
    out["certificate, forged link"] = (certificate_url(server.url, "x"), 403)
    for module in COURSE.modules:
        out[module.id] = (server.page_link("demo-learner", module.notebook, "en"), 200)
    return out


def csp_off_machine(csp: str) -> list[str]:
    bad = []
    for directive in filter(None, (d.strip() for d in csp.split(";"))):
        name, *sources = directive.split()
        if name == "sandbox":
            continue
        bad += [f"{name} {s}" for s in sources if s not in LOCAL_SOURCES]
    return bad


def test_every_course_page_carries_the_headers(server):
    checked = {}
    for name, (url, expected) in pages(server).items():
        status, headers = fetch(url)
        assert status == expected, f"{name}: HTTP {status}"
        csp = headers.get("Content-Security-Policy", "")
        checked[name] = (headers.get("Referrer-Policy"), csp_off_machine(csp), "default-src" in csp)
    assert {n: c for n, c in checked.items() if c != ("no-referrer", [], True)} == {}


@pytest.mark.parametrize("csp,bad", [
    ("default-src 'self'; img-src https://cdn.example.org", ["img-src https://cdn.example.org"]),
    ("default-src *", ["default-src *"]),
    ("script-src 'self' https:", ["script-src https:"]),
])
def test_the_csp_check_itself_catches_a_source_off_the_machine(csp, bad):
    assert csp_off_machine(csp) == bad


def test_the_xsrf_cookie_is_samesite_strict(server):
    status, headers = fetch(server.page_link("demo-learner", COURSE.start_notebook, "sv"))
    cookies = headers.get_all("Set-Cookie") or []
    assert status == 200 and cookies, "Voilà's page sets its _xsrf cookie"
    assert all("samesite=strict" in c.lower() for c in cookies), cookies
