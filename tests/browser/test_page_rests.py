"""A rendered page rests: untouched, it makes no DOM change and no request.

Issue 6: innokraft.js rewrote the title and the skip link on every animation frame (its
own MutationObserver woke it again), 60 DOM changes a second on every idle page. Every page
is checked: the start page and each module page course.yaml lists, so a new module is
checked without editing this file. ?lang= junk must never reach a selector or the page.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from innokraft.course.load import course_and_texts
from tests.browser.conftest import wait_interactive
from tests.conftest import REPO

COURSE, _TEXTS = course_and_texts(REPO / "course_config")
PAGES = [COURSE.start_notebook] + [m.notebook for m in COURSE.modules]
WINDOW_MS = 3000

# Waits (up to a bound) until the page has been still for a second; returns whether it was.
SETTLE = """async () => {
  const w = window.__ikWatch = {changes: [], last: performance.now()};
  w.observer = new MutationObserver((records) => {
    w.last = performance.now();
    for (const r of records) {
      w.changes.push(r.type + " " + (r.target.nodeName || "") + " " + (r.attributeName || "") +
                     " " + String(r.target.className || "").slice(0, 60));
    }
  });
  w.observer.observe(document, {subtree: true, childList: true, attributes: true,
                                characterData: true});
  const started = performance.now();
  while (performance.now() - w.last < 1000) {
    if (performance.now() - started > 60000) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  w.changes.length = 0;
  return true;
}"""
# Then nobody touches the page for the window; what changed in it.
WINDOW = """async (ms) => {
  await new Promise((r) => setTimeout(r, ms));
  const w = window.__ikWatch;
  w.observer.disconnect();
  return w.changes;
}"""


def watch_idle(page) -> tuple[bool, list[str], list[str]]:
    """(settled, DOM changes, requests) over WINDOW_MS of an untouched page."""
    if not page.evaluate(SETTLE):
        return False, page.evaluate("window.__ikWatch.changes.slice(0, 10)"), []
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    changes = page.evaluate(WINDOW, WINDOW_MS)
    return True, changes, requests


def page_with_errors(browser):
    """A fresh page and the script errors and CSP violations it reports."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The Content-Security-Policy must not break the page: Chromium logs each violation.
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return context, page, errors


@pytest.mark.parametrize("notebook", PAGES)
def test_an_untouched_page_makes_no_dom_change_and_no_request(notebook, server, browser):
    context, page, errors = page_with_errors(browser)
    page.goto(server.page_link("demo-learner", notebook, "sv"))
    wait_interactive(page)
    settled, changes, requests = watch_idle(page)
    context.close()
    assert settled, f"{notebook} never stood still for 1 s: {changes}"
    assert changes == [], f"{notebook}: {len(changes)} DOM change(s) in 3 s untouched: {changes[:10]}"
    assert requests == [], f"{notebook}: requests while untouched: {requests}"
    assert errors == []


JUNK_LANGS = [
    'x"],body{display:none}[x',
    "<img src=x onerror=alert(1)>",
    "sv]",
    "en\u200b",
    "../../etc",
]


@pytest.mark.parametrize("junk", JUNK_LANGS)
def test_lang_junk_never_reaches_a_selector_or_the_page(junk, server, browser):
    context, page, errors = page_with_errors(browser)
    link = server.page_link("demo-learner", COURSE.start_notebook, "sv")
    page.goto(link.replace("lang=sv", "lang=" + quote(junk, safe="")))
    wait_interactive(page)
    state = page.evaluate("""() => ({
        lang: document.documentElement.lang,
        skip: document.querySelector('.innokraft-skip').textContent,
        img: document.querySelectorAll('img[src="x"]').length,
        hidden: getComputedStyle(document.body).display === 'none'})""")
    context.close()
    assert errors == [], f"script errors from ?lang={junk!r}: {errors}"
    assert state == {"lang": COURSE.default_language, "skip": "Hoppa till innehållet", "img": 0,
                     "hidden": False}
