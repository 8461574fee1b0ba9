"""The glossary (issue 23): a term's first use on a page is marked and explained after its text,
once per page, in the page's language; tags, attributes and a leader's own words stay intact."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from innokraft.course import glossary
from innokraft.course.load import course_and_texts
from innokraft.course.texts import Texts
from tests.conftest import REPO

COURSE, TABLES = course_and_texts(REPO / "course_config")


def texts(lang: str) -> Texts:
    return Texts(lang, TABLES[lang])


@pytest.mark.parametrize("lang", COURSE.languages)
def test_every_term_has_its_words_and_is_used_in_the_course(lang):
    t = texts(lang)
    terms = glossary.terms(t)
    assert len(terms) >= 8 and {term.id for term in terms} == set(texts("sv").ids("glossary"))
    everything = " ".join(v for k, v in TABLES[lang].items() if not k.startswith("glossary."))
    for term in terms:
        assert term.definition and term.term
        assert term.pattern.search(everything), f"{term.id}: no page uses it"


def test_the_first_use_is_explained_once_after_its_text():
    t = texts("sv")
    terms, seen = glossary.terms(t), set()
    first = glossary.explain_first_uses(
        Markup('<p>En <a href="/pilot">länk</a> och en pilot. Piloten igen.</p>'), terms, seen, t)
    assert '<a href="/pilot">länk</a>' in first  # an attribute is not text
    assert first.count("<dfn>") == 1 and "<dfn>pilot</dfn>" in first and "Piloten igen" in first
    assert first.endswith("</details>") and first.count("<details") == 1
    assert "Vad betyder ”pilot”?" in first and "Ett första försök i liten skala" in first
    later = glossary.explain_first_uses(Markup("<p>Ännu en pilot, och en portfölj.</p>"), terms, seen, t)
    assert "<dfn>pilot</dfn>" not in later and "<dfn>portfölj</dfn>" in later  # once per page
    assert later.count("<details") == 1


def test_a_leaders_own_words_stay_escaped():
    t = texts("en")
    out = glossary.explain_first_uses(t.html("ui.glossary.what_is", term="<b>pilot</b> & co"),
                                      glossary.terms(t), set(), t)
    assert "<b>" not in out and "&lt;b&gt;" in out


def test_a_module_page_explains_its_terms_where_they_first_appear(home):
    from widgets.pages import open_page
    from widgets.prediction import Prediction

    page = open_page("m3", lang="sv")
    intro = Prediction(page, "shock_test").children[1].value
    assert "<dfn>transformativt</dfn>" in intro and 'class="innokraft-term"' in intro
    again = page.explained(page.t.html("m3.shock_test.intro", **Prediction(page, "shock_test").shown()))
    assert "<dfn>" not in again and "innokraft-term" not in again
