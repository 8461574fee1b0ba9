"""A forged, revoked or unknown link shows a clear translated message and writes nothing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import returning_page, wait_interactive


def snapshot(store):
    return (store.learners(), store.answers("demo-learner"), store.events(), store.link_generation("demo-learner"))


@pytest.mark.parametrize("lang,title,detail", [
    ("sv", "Länken fungerar inte", "Länken är ofullständig eller har ändrats"),
    ("en", "This link does not work", "The link is incomplete or has been changed"),
])
def test_forged_link_shows_the_error_and_changes_nothing(server, tabs, shots, lang, title, detail):
    link = server.page_link("demo-learner", "01_why_innovate.ipynb", lang)
    token = link.split("t=")[1].split("&")[0]
    forged = link.replace(token, token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))
    before = snapshot(server.store)
    page = returning_page(tabs, server.url)
    page.goto(forged)
    wait_interactive(page)
    alert = page.get_by_role("alert")
    assert title in alert.inner_text() and detail in alert.inner_text()
    assert page.locator(".innokraft-exercise").count() == 0
    assert page.evaluate("document.documentElement.lang") == lang
    shots(page, f"forged-{lang}")
    page.close()
    assert snapshot(server.store) == before


def test_revoked_link_is_refused(server, tabs, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("learner_id,name,email,lang\ncarl,Carl,,sv\n")
    server.cli("cohort", "import", str(roster), "--cohort", "demo")
    link = server.link("carl")
    server.cli("revoke", "carl")
    before = server.store.events("carl")
    page = returning_page(tabs, server.url)
    page.goto(link)
    wait_interactive(page)
    assert "Länken har dragits tillbaka" in page.get_by_role("alert").inner_text()
    page.close()
    assert server.store.events("carl") == before


def test_an_unknown_page_is_a_calm_bilingual_404(server, tabs):
    page = returning_page(tabs, server.url)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    response = page.goto(server.url + "voila/render/no_such_page.ipynb")
    assert response.status == 404
    text = page.locator("main").inner_text()
    # In the course's default language without ?lang= (test_service checks English, the
    # contact and the way back).
    assert "Sidan finns inte" in text and "kursledning@example.org" in text
    assert all(u.startswith(server.url) for u in requests), requests
    page.close()
