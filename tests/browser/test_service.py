"""An accountable service: every page names who runs it and how to reach them, links the
accessibility statement and the privacy notice (both languages), every error page names a
contact and the way back, and a page opened without its link says so instead of a demo."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from tests.browser.a11y import axe_violations, format_violations
from tests.browser.conftest import returning_page, wait_interactive, wait_still
from tests.conftest import REPO

PHONE = {"width": 390, "height": 844}


def say(lang: str) -> dict:
    return yaml.safe_load((REPO / "course_config" / "text" / lang / "service.yaml").read_text())


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_pages_name_the_owner_and_link_statement_and_notice(server, tabs, shots, lang):
    s = say(lang)
    page = returning_page(tabs, server.url, PHONE)
    page.goto(server.page_link("demo-learner", "00_start.ipynb", lang), wait_until="commit")
    wait_interactive(page)
    wait_still(page)
    assert s["owner"] in page.locator(".innokraft-service").inner_text()
    footer = page.locator(".innokraft-footer")
    assert s["contact_email"] in footer.inner_text()
    token = parse_qs(urlparse(page.url).query)["t"][0]
    for kind in ("accessibility", "privacy"):
        link = footer.get_by_role("link", name=s[f"{kind}_link"])
        href = link.get_attribute("href")
        assert f"lang={lang}" in href and f"t={token}" in href
    footer.get_by_role("link", name=s["accessibility_link"]).click()
    page.wait_for_url(re.compile(r".*/innokraft/about/accessibility\?.*"))
    assert page.locator("h1").inner_text() == s["accessibility_title"]
    assert page.evaluate("document.documentElement.lang") == lang
    assert s["contact_email"] in page.locator("main").inner_text()
    shots(page, f"accessibility-statement-{lang}")
    assert axe_violations(page) == [], format_violations(axe_violations(page))
    # The way back keeps the learner's link.
    page.get_by_role("link", name=s["to_start"]).click()
    page.wait_for_url(re.compile(r".*/00_start\.ipynb\?.*"))
    wait_interactive(page)
    assert page.locator(".innokraft-exercise, .innokraft-modules").count() >= 1
    page.goto(server.url + f"innokraft/about/privacy?lang={lang}")
    assert page.locator("h1").inner_text() == s["privacy_title"]
    assert axe_violations(page) == []
    page.close()


def test_errors_name_a_contact_and_the_way_back(server, tabs, shots):
    en = say("en")
    page = returning_page(tabs, server.url, PHONE)
    link = server.page_link("demo-learner", "00_start.ipynb", "en")
    token = parse_qs(urlparse(link).query)["t"][0]
    for path in ("voila/render/no_such_page.ipynb", "no/such/thing"):
        response = page.goto(server.url + f"{path}?lang=en&t={token}")
        assert response.status == 404
        assert page.locator("h1").inner_text() == en["not_found_title"]
        assert en["contact_email"] in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.lang") == "en"
        back = page.get_by_role("link", name=en["to_start"])
        assert f"t={token}" in back.get_attribute("href")
    shots(page, "not-found-en")
    assert axe_violations(page) == []
    # Without a link there is nothing to go back to: the page says how to get in.
    page.goto(server.url + "voila/render/no_such_page.ipynb")
    sv = say("sv")
    assert sv["open_your_link"] in page.locator("main").inner_text()
    page.close()


def test_a_page_without_its_link_says_so_instead_of_a_demo(server, tabs, shots):
    before = server.store.events()
    page = returning_page(tabs, server.url, PHONE)
    page.goto(server.url + "voila/render/01_why_innovate.ipynb?lang=sv", wait_until="commit")
    wait_interactive(page)
    alert = page.get_by_role("alert")
    assert "personliga länk" in alert.inner_text()
    assert say("sv")["contact_email"] in alert.inner_text()
    assert page.locator(".innokraft-exercise").count() == 0
    assert page.locator(".innokraft-demo").count() == 0
    assert page.locator(".innokraft-footer").count() == 1
    shots(page, "no-link-sv")
    page.close()
    assert server.store.events() == before


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_course_page_has_its_landmarks_its_service_in_the_title_and_a_feedback_link(server, tabs, lang):
    """The banner and the footer outside <main> (landmarks of their own), the tab's title names
    the service, the pilot banner says where to send an opinion; the statement and the notice
    hold what the law asks for (issue 22)."""
    s = say(lang)
    page = returning_page(tabs, server.url, PHONE)
    page.goto(server.page_link("demo-learner", "01_why_innovate.ipynb", lang), wait_until="commit")
    wait_interactive(page, exercises=3)
    roles = page.evaluate("""() => ({
      banner: document.querySelectorAll('body header:not(main header)').length,
      contentinfo: document.querySelectorAll('body footer:not(main footer)').length,
      main: document.querySelectorAll('main').length,
      inMain: !!document.querySelector('main .innokraft-header, main .innokraft-footer')})""")
    assert roles == {"banner": 1, "contentinfo": 1, "main": 1, "inMain": False}
    course_title = {"sv": "Att leda innovation i kommunen", "en": "Leading innovation in the municipality"}[lang]
    assert page.title().endswith(f" – {course_title}") and page.title().startswith("Mod")
    feedback = page.locator(".innokraft-service").get_by_role("link", name=s["feedback_link"])
    assert feedback.get_attribute("href").startswith(f"mailto:{s['contact_email']}?subject=")
    page.locator(".innokraft-footer").get_by_role("link", name=s["accessibility_link"]).click()
    page.wait_for_url(re.compile(r".*/innokraft/about/accessibility\?.*"))
    statement = page.locator("main").inner_text()
    assert "2026" in statement and "WCAG 2.1" in statement
    assert page.get_by_role("link", name=re.compile("Digg")).get_attribute("href") == "https://www.digg.se/tdosanmalan"
    page.go_back()
    page.locator(".innokraft-footer").get_by_role("link", name=s["privacy_link"]).wait_for()
    page.locator(".innokraft-footer").get_by_role("link", name=s["privacy_link"]).click()
    page.wait_for_url(re.compile(r".*/innokraft/about/privacy\?.*"))
    notice = page.locator("main").inner_text()
    assert ("6.1 e" in notice or "6(1)(e)" in notice) and ("tolv månader" in notice or "twelve months" in notice)
    page.close()
