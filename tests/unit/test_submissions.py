"""Submissions written into a real nbgrader exchange (no nbgrader mocks)."""

from __future__ import annotations

import json
import stat

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from innokraft.cli.context import DEMO_COHORT
from innokraft.core.errors import SubmitError
from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner
from innokraft.grading.course import GradingCourse
from innokraft.grading.exchange import escape_answer
from innokraft.store.db import Store
from tests.helpers import nbgrader_course
from widgets import Reflections
from widgets.pages import open_page

PAYLOAD = ("<script>window.__xss=1</script> <img src=x onerror=window.__xss=2> "
           "[klicka](javascript:window.__xss=3) **fet** # rubrik\n1. lista\nrad två")


def render(markdown: str) -> str:
    return markdown2html_mistune(markdown)  # what formgrader and feedback use: raw HTML passes


def test_escaped_answers_render_as_plain_text():
    html = render(escape_answer(PAYLOAD))
    for bad in ("<script", "<img", "href=", "<strong>", "<h1", "<ol"):
        assert bad not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "[klicka](javascript:window.__xss=3)" in html
    assert "<br />" in html and "rad två" in html


def test_paragraphs_and_unicode_survive():
    html = render(escape_answer("Första stycket, åäö.\n\nAndra – med 50% & mer."))
    assert html.count("<p>") == 2 and "åäö" in html and "50% &amp; mer." in html


@pytest.fixture
def learner(home):
    settings = Settings.from_env()
    store = Store.open(settings.db_url)
    store.upsert_learners(DEMO_COHORT, [{"learner_id": "anna"}])
    token = LinkSigner(load_secret(settings), 30).issue("anna", DEMO_COHORT)
    page = open_page("m1", lang="sv", token=token)
    nbgrader_course.prepared(page.settings)
    return page, store


def inbound(page):
    return sorted(p.name for p in GradingCourse(page.settings, page.course).inbound.iterdir())


def test_the_exchange_is_private_to_the_service(learner):
    page, _store = learner
    assert stat.S_IMODE(GradingCourse(page.settings, page.course).exchange.stat().st_mode) == 0o700
    assert stat.S_IMODE(page.settings.home.stat().st_mode) == 0o700
    config = GradingCourse(page.settings, page.course).config_file.read_text()
    assert "course_config/nbgrader_config.py" in config and "course_id = 'innokraft'" in config
    assert "CollectApp.check_owner = False" in (page.settings.config_dir / "nbgrader_config.py").read_text()


def test_submit_writes_one_complete_submission(learner):
    page, store = learner
    reflections = Reflections(page)
    reflections.prompts[0].box.value = PAYLOAD
    reflections.submit()
    assert "Inlämnat" in reflections.submit_status.value
    assert "inte gett återkoppling" in reflections.feedback.value
    [folder] = inbound(page)
    assert folder.startswith("anna+m1+") and not folder.startswith(".")
    files = {p.name for p in (GradingCourse(page.settings, page.course).inbound / folder).iterdir()}
    assert files == {"m1.ipynb", "timestamp.txt", "submission_secret.txt"}
    nb = json.loads((GradingCourse(page.settings, page.course).inbound / folder / "m1.ipynb").read_text())
    answers = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution")]
    assert [c["metadata"]["nbgrader"]["grade_id"] for c in answers] == ["latest_change", "weekly_routines"]
    source = "".join(answers[0]["source"])
    assert "<script" not in source and "&lt;script" in source
    assert store.latest_submission("anna", "m1").folder == folder
    assert store.has_event("anna", "m1", "submitted", folder)
    # Drafts are kept, and resubmitting adds a newer submission.
    assert Reflections(page).prompts[0].box.value == PAYLOAD
    reflections.submit()
    assert len(inbound(page)) == 2


def test_empty_reflections_are_not_submitted(learner):
    page, _store = learner
    reflections = Reflections(page)
    reflections.submit()
    assert "Skriv minst ett svar" in reflections.submit_status.value
    assert inbound(page) == []


def test_a_link_revoked_while_the_page_is_open_cannot_submit(learner):
    page, store = learner
    reflections = Reflections(page)
    reflections.prompts[0].box.value = "Mitt svar"
    store.revoke("anna")
    reflections.submit()
    assert "gäller inte längre" in reflections.submit_status.value
    assert inbound(page) == []


def test_demo_and_forged_pages_cannot_submit(learner):
    page, _store = learner
    demo = open_page("m1", lang="sv")
    reflections = Reflections(demo)
    assert reflections.submit_control.disabled
    with pytest.raises(SubmitError, match="demo"):
        demo.submit_reflections({"latest_change": "x"})
    forged = open_page("m1", lang="sv", token=page.session.token[:-2] + "xx")
    assert forged.exercise(Reflections) is None
    with pytest.raises(SubmitError):
        forged.submit_reflections({"latest_change": "x"})
    assert inbound(page) == []


def test_export_and_erase_a_learner_everywhere(learner):
    from nbgrader.api import Gradebook

    from innokraft.facilitator.gdpr import erase_learner, export_learner

    page, store = learner
    reflections = Reflections(page)
    reflections.prompts[0].box.value = "Mitt svar om tre N."
    reflections.submit()
    api = GradingCourse(page.settings, page.course).api()
    assert api.collect("m1")["success"]
    assert api.autograde("m1", "anna")["success"]

    data = export_learner(GradingCourse(page.settings, page.course), store, "anna")
    assert data["answers"]["m1.reflection.latest_change"] == {"text": "Mitt svar om tre N."}
    assert [s["module"] for s in data["submissions"]] == ["m1"]
    assert any(e["kind"] == "submitted" for e in data["events"])

    removed = erase_learner(GradingCourse(page.settings, page.course), store, "anna")
    assert any(kind == "file" and "inbound" in r for kind, r in removed) and ("gradebook", "anna") in removed
    assert inbound(page) == []
    for stage in ("submitted", "autograded"):
        assert not (GradingCourse(page.settings, page.course).root / stage / "anna").exists()
    with Gradebook(GradingCourse(page.settings, page.course).gradebook_url, "innokraft") as gb:
        assert "anna" not in [s.id for s in gb.students]
    assert store.learner("anna") is None and store.answers("anna") == {} and store.submissions("anna") == []


def test_a_click_hands_in_the_texts_on_the_screen_once(learner):
    """The page's click carries the texts the leader sees; those are handed in, not the drafts
    the kernel holds, and the same click arriving twice hands in once."""
    page, store = learner
    reflections = Reflections(page)
    reflections.prompts[0].box.value = "Ett utkast som kärnan fick."
    on_screen = {p.key: " ".join(["ord"] * page.course.reflection_min_words) + f" svar {n}"
                 for n, p in enumerate(reflections.prompts, start=1)}
    replies = []
    reflections.submit_control.send = replies.append
    click = {"event": "submit", "attempt": "a1", "texts": on_screen, "confirmed": False}
    reflections.submit_control._message(None, click, [])
    reflections.submit_control._message(None, click, [])
    assert replies == [{"attempt": "a1", "event": "done"}]
    [folder] = inbound(page)
    nb = json.loads((GradingCourse(page.settings, page.course).inbound / folder / "m1.ipynb").read_text())
    handed_in = ["".join(c["source"]) for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution")]
    assert all(text.strip() in handed for text, handed in zip(on_screen.values(), handed_in, strict=True))
    assert reflections.prompts[0].box.value == on_screen[reflections.prompts[0].key]  # the draft is what went
    status = reflections.submit_status.value
    assert "Inlämnat" in status and f"Fråga 1: {page.course.reflection_min_words + 2} ord" in status


def test_a_short_answer_is_handed_in_once_the_leader_confirms(learner):
    page, _store = learner
    reflections = Reflections(page)
    replies = []
    reflections.submit_control.send = replies.append
    texts = {reflections.prompts[0].key: "Tre korta ord", reflections.prompts[1].key: ""}
    reflections.submit_control._message(None, {"event": "submit", "attempt": "b1", "texts": texts}, [])
    assert replies[0]["event"] == "short" and "fråga 1 har 3 ord" in replies[0]["message"]
    assert "fråga 2 har 0 ord" in replies[0]["message"] and "från 60 ord" in replies[0]["message"]
    assert inbound(page) == []
    reflections.submit_control._message(None, {"event": "submit", "attempt": "b2", "texts": texts,
                                               "confirmed": True}, [])
    assert replies[1] == {"attempt": "b2", "event": "done"} and len(inbound(page)) == 1
