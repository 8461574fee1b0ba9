"""The accountable-service parts built in Python: footer, error help, the saving banner's texts,
and a page without its link on `innokraft serve` (refused, not a demo)."""

from __future__ import annotations

from innokraft.core.settings import Settings
from innokraft.course import service
from innokraft.course.load import course_and_texts
from innokraft.course.texts import Texts
from tests.conftest import REPO
from widgets.pages import open_page


def texts(lang: str) -> Texts:
    _course, table = course_and_texts(REPO / "course_config")
    return Texts(lang, table[lang])


def test_footer_links_statement_and_notice_in_the_page_language_with_the_link():
    t = texts("en")
    html = service.footer(t, "../../", "tok&<x>")
    assert "../../innokraft/about/accessibility?lang=en&amp;t=tok%26%3Cx%3E" in html
    assert "../../innokraft/about/privacy?lang=en" in html
    assert f'mailto:{t("service.contact_email")}' in html and t("service.contact_name") in html
    assert "<x>" not in html


def test_help_names_the_contact_with_a_mail_link():
    t = texts("sv")
    html = service.need_help(t)
    assert html.startswith("Behöver du hjälp?") and f'href="mailto:{t("service.contact_email")}"' in html


def test_the_way_back_keeps_the_token_or_says_how_to_get_in():
    t = texts("sv")
    assert "t=abc" in service.start_link(t, "/", "00_start.ipynb", "abc")
    assert t("service.open_your_link") in service.start_link(t, "/", "00_start.ipynb", None)


def test_without_its_link_a_served_page_is_refused_not_a_demo(home, monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "0")  # as in a Voilà kernel: the request decides
    monkeypatch.setattr("innokraft.kernel.request.query", lambda: {"lang": "sv"})
    assert open_page("m1", settings=Settings.from_env()).session.kind == "demo"
    monkeypatch.setenv("INNOKRAFT_REQUIRE_LINK", "1")
    page = open_page("m1", settings=Settings.from_env())
    assert page.session.kind == "refused" and page.session.error == "missing"


def test_saving_banner_carries_the_texts_and_whose_text_is_kept(home):
    page = open_page("m1", lang="en")
    html = page.saving_banner()
    assert f'data-lost-title="{page.t("saving.lost_title")}"' in html
    assert 'data-learner=""' in html and 'data-page="m1"' in html
    assert 'role="alert"' in html
