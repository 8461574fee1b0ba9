"""The wrap-up's ninety-day plan goes home from a real `innokraft serve`: a text file the browser makes
and saves through a real download link (no server route), holding the leader's words as they
typed them; and, after the print button, a print of the plan alone (the print dialog's PDF)."""

from __future__ import annotations

from pathlib import Path

from innokraft.course.load import course_and_texts
from innokraft.course.model import THREAD_KEY
from tests.browser.a11y import DESKTOP
from tests.browser.conftest import wait_interactive, wait_still
from tests.conftest import REPO

COURSE, TEXTS = course_and_texts(REPO / "course_config")
T = TEXTS["sv"]
INITIATIVE = "Digitala signeringar i hemtjänsten <b>nu</b>"
STOP = "Möten utan <em>syfte</em>"


def test_the_plan_downloads_as_a_text_file_and_prints_alone(server, browser):
    who = "plan-leader"
    server.add_learner(who, lang="sv")
    server.store.save_answer(who, THREAD_KEY, {"text": INITIATIVE, "module": "m1", "on": "2026-11-01", "history": []})
    server.store.save_answer(who, "m8.benefit_map", {"goal": "Fler brukare känner sig trygga", "kind": "effect"})
    page = browser.new_page(viewport=DESKTOP, accept_downloads=True)
    page.set_default_timeout(90_000)
    page.goto(server.page_link(who, COURSE.wrapup.notebook, "sv"), wait_until="commit", timeout=180_000)
    wait_interactive(page, timeout_ms=180_000)
    page.locator(".innokraft-plan-file").wait_for()
    wait_still(page)

    page.get_by_label(T["wrapup.plan.fields.stop_doing"]).fill(STOP)
    page.locator(".innokraft-key-wrapup\\.plan .innokraft-save-saved").wait_for()
    wait_still(page)
    # A link whose name is its visible text, that the browser downloads.
    link = page.get_by_role("link", name=T["wrapup.plan.download_text"], exact=True)
    assert link.get_attribute("download") == T["wrapup.plan.file_name"]
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == T["wrapup.plan.file_name"]
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith(T["wrapup.plan.title"] + "\n")
    # The leader's words as typed (plain text: markup stays characters), the course's beside them.
    assert INITIATIVE in text and STOP in text and "Fler brukare känner sig trygga" in text
    assert "Dag 30: " in text

    # Printed after the button: the plan alone, with the leader's words as text.
    page.get_by_role("button", name=T["wrapup.plan.download"], exact=True).wait_for()
    page.evaluate("() => document.body.classList.add('innokraft-printing-plan')")
    page.emulate_media(media="print")
    sheet = page.locator(".innokraft-plan-sheet")
    assert sheet.is_visible() and STOP in sheet.inner_text() and INITIATIVE in sheet.inner_text()
    assert not page.locator(".innokraft-journey").is_visible()
    assert not page.get_by_label(T["wrapup.plan.fields.stop_doing"]).is_visible()
    assert page.locator(".innokraft-plan-sheet em, .innokraft-plan-sheet b").count() == 0
    page.close()
