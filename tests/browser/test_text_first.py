"""The course text shows before the page's scripts have run (issues 7 and 10).

Voilà writes every output as JSON that its front-end renders once its whole bundle (about
100 files) has loaded, so on a throttled phone a leader looked at "Sidan laddas …" for 8–9 s
before the first heading (benchmarks.phone). The course template now writes course text
(innokraft.page.show_html) into the page as HTML. These tests hold back the page's widget
front-end (innokraft-widgets.js) to see the page as a slow phone sees it meanwhile, then let
it run.
"""

from __future__ import annotations

import pytest

from innokraft.course.load import course_and_texts
from tests.browser.conftest import poll, wait_interactive, wait_still
from tests.conftest import REPO

PAGES = ["00_start.ipynb", "01_why_innovate.ipynb"]
WIDGETS_JS = "**/static/innokraft-widgets.js*"
_COURSE, TEXTS = course_and_texts(REPO / "course_config")
WAIT_MS = 120_000  # a busy CI machine may have to start the page's kernel first


def _held(page) -> list:
    held: list = []
    page.route(WIDGETS_JS, lambda route: held.append(route))
    return held


def _release(held: list) -> None:
    for route in held:
        route.continue_()


@pytest.mark.parametrize("notebook", PAGES)
def test_the_text_is_there_before_the_widgets_have_loaded_and_once_after(server, browser, notebook):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    held = _held(page)
    page.goto(server.page_link("demo-learner", notebook, "sv"), wait_until="commit")
    heading = page.locator("h1")
    heading.wait_for(state="visible")
    page.locator(".innokraft-footer").wait_for(state="visible")  # the last output: all text is in
    assert held, "innokraft-widgets.js was requested and is held back"
    title, text = heading.inner_text(), page.locator("#rendered_cells").inner_text()
    assert title and "Kursen ges av" in text
    # The loading note says the rest is coming, in the page's language (course_config's words,
    # serve.template_texts), and covers no heading.
    loading = page.locator("#loading")
    assert loading.is_visible() and loading.inner_text().strip() == TEXTS["sv"]["ui.loading"] == "Sidan laddas …"
    assert page.locator("#loading_text").get_attribute("data-text-en") == TEXTS["en"]["ui.loading"]
    assert page.locator(".innokraft-skip").get_attribute("data-text-en") == TEXTS["en"]["ui.skip_link"]
    bar, top = loading.bounding_box(), heading.bounding_box()
    assert bar["y"] >= top["y"] + top["height"], (bar, top)
    # No widget yet: they come with the front-end.
    assert page.locator(".jupyter-widgets").count() == 0

    _release(held)
    wait_interactive(page, timeout_ms=WAIT_MS)
    wait_still(page)
    # The same text, once: the front-end left the written HTML alone and drew the widgets.
    assert page.locator("h1").count() == 1 and page.locator("h1").inner_text() == title
    assert page.locator(".innokraft-header").count() == 1
    # Each output is drawn once its widget models have come over the kernel connection;
    # on a busy machine the DOM can rest a moment before the last one is.
    unrendered = page.locator('script[type="application/vnd.voila.cell-output+json"]')
    assert poll(lambda: unrendered.count() == 0, seconds=60), f"{unrendered.count()} outputs never rendered"
    if notebook != "00_start.ipynb":
        assert page.locator(".innokraft-exercise").count() > 0
    context.close()


def test_a_leader_who_scrolled_while_it_loaded_keeps_their_place(server, browser):
    """The widgets appear above what the leader reads; the text they read stays where it was."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    held = _held(page)
    page.goto(server.page_link("demo-learner", "01_why_innovate.ipynb", "sv"), wait_until="commit")
    page.locator(".innokraft-footer").wait_for(state="visible")
    # The second step's heading (the concepts, to read; an exercise above it) at the top of the screen.
    page.evaluate("document.getElementById('steg-2-h').scrollIntoView({block: 'start'})")
    top = "document.getElementById('steg-2-h').getBoundingClientRect().top"
    before = page.evaluate(top)
    assert -1 <= before < 844 and page.evaluate("window.scrollY") > 0
    _release(held)
    wait_interactive(page, timeout_ms=WAIT_MS)
    wait_still(page)
    assert page.locator(".innokraft-exercise").count() > 0
    assert abs(page.evaluate(top) - before) <= 2, (before, page.evaluate(top))
    context.close()


def test_a_keyboard_user_on_a_link_while_it_loaded_keeps_their_focus(server, browser):
    """Drawing the widgets moves nothing: the focus stays where the leader put it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    held = _held(page)
    page.goto(server.page_link("demo-learner", "01_why_innovate.ipynb", "sv"), wait_until="commit")
    page.locator(".innokraft-footer").wait_for(state="visible")
    page.locator("#rendered_cells a.innokraft-lang").focus()  # the language link, by keyboard
    page.evaluate("window.__focused = document.activeElement")
    assert page.evaluate("window.__focused.classList.contains('innokraft-lang')")
    _release(held)
    wait_interactive(page, timeout_ms=WAIT_MS)
    wait_still(page)
    assert page.locator(".innokraft-exercise").count() > 0
    assert page.evaluate("document.activeElement === window.__focused"), \
        page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    context.close()
