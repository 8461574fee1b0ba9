"""A learner's certificate through their personal link, from a real `innokraft serve` (plain HTTP: the
route has no page to click through). Progress is made through the learner service on the server's
own store, as the learner's pages make it; the code in the downloaded PDF then passes
`innokraft verify`, and no link reaches the server's log."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from urllib.parse import urlencode

from pypdf import PdfReader

from innokraft.core.certificate_codes import pretty
from innokraft.core.tokens import certificate_url
from innokraft.course.load import course_and_texts
from innokraft.course.model import WRAPUP
from innokraft.course.progress import module_items
from innokraft.store.certificates import certificates_of
from tests.browser.conftest import wait_interactive
from tests.conftest import REPO, innokraft
from tests.helpers.learners import Cohort

COURSE, TEXTS = course_and_texts(REPO / "course_config")


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_the_certificate_comes_through_the_link_once_every_module_is_done(server, browser):
    server.add_learner("cert-done", name="Dana Ek", lang="sv")
    server.add_learner("cert-half", name="Hugo Berg", lang="en")
    leaders = Cohort(server.settings)
    for learner, modules in (("cert-done", COURSE.modules), ("cert-half", COURSE.modules[:2])):
        for module in modules:
            for item in module_items(module):
                leaders.call(learner, "done", page=module.id, item=item)
    done, half = leaders.token("cert-done"), leaders.token("cert-half")

    # Not done yet: a page in the learner's language naming what is missing, and no certificate.
    status, headers, body = fetch(certificate_url(server.url, half))
    page = body.decode()
    assert status == 409 and headers["Content-Type"].startswith("text/html")
    assert headers["Cache-Control"] == "no-store" and headers["Referrer-Policy"] == "no-referrer"
    assert TEXTS["en"]["certificate.page.missing_title"] in page
    for module in COURSE.modules[2:]:
        assert module.title["en"] in page
    assert COURSE.modules[0].title["en"] not in page
    status, _headers, body = fetch(certificate_url(server.url, half, "sv"))
    assert status == 409 and TEXTS["sv"]["certificate.page.missing_title"] in body.decode()
    assert certificates_of(server.store, "cert-half") == []

    # Done: the PDF, a page per language, with the code the store recorded.
    status, headers, body = fetch(certificate_url(server.url, done, "sv"))
    assert status == 200 and headers["Content-Type"] == "application/pdf", body[:300]
    assert headers["Content-Disposition"] == 'attachment; filename="intyg-cert-done.pdf"'
    assert headers["Cache-Control"] == "no-store"
    (row,) = certificates_of(server.store, "cert-done")
    pdf = PdfReader(io.BytesIO(body))
    assert len(pdf.pages) == len(COURSE.languages)
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Dana Ek" in first and pretty(row.code) in first
    assert all(module.title["sv"] in first for module in COURSE.modules)
    # A second download is the same certificate; verify accepts its code and refuses it changed.
    status, _headers, again = fetch(certificate_url(server.url, done, "en"))
    assert status == 200 and certificates_of(server.store, "cert-done") == [row]
    assert pretty(row.code) in PdfReader(io.BytesIO(again)).pages[1].extract_text()
    verified = server.cli("verify", pretty(row.code))
    assert verified.returncode == 0 and "Namn: Dana Ek" in verified.stdout
    changed = row.code[:-1] + ("0" if row.code[-1] != "0" else "1")
    assert innokraft("verify", changed, env=server.env, check=False).returncode == 2

    # The start page's one action, once every module and the wrap-up are done, is the certificate
    # (with the wrap-up still open it leads there: test_wrapup.py).
    for part in COURSE.wrapup.parts:
        leaders.call("cert-done", "done", page=WRAPUP, item=part)
    page = browser.new_page(accept_downloads=True)
    page.set_default_timeout(90_000)
    page.goto(server.page_link("cert-done", COURSE.start_notebook, "sv"), wait_until="commit")
    wait_interactive(page)
    action = page.locator(".innokraft-next a.innokraft-primary")
    assert action.inner_text() == TEXTS["sv"]["start.next.certificate"]
    with page.expect_download() as download:
        action.click()
    assert download.value.suggested_filename == "intyg-cert-done.pdf"
    assert pretty(row.code) in PdfReader(download.value.path()).pages[0].extract_text()
    page.close()

    # A link that is not this server's opens nothing; and no link reached the server's log.
    forged = done[:-2] + ("AA" if not done.endswith("AA") else "BB")
    status, _headers, body = fetch(f"{server.url}innokraft/certificate?{urlencode({'t': forged, 'lang': 'sv'})}")
    assert status == 403 and b"%PDF" not in body
    log = server.log.read_text()
    assert "innokraft/certificate?" in log  # the refusals were logged, with their links redacted
    for token in (done, half, forged):
        assert token not in log
