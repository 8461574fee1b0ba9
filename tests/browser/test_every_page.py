"""Every course page (course.yaml's start page and modules, so a new module is checked without
touching this file), in every language, loaded once and checked for what every page must be:

- it rests: untouched, it makes no DOM change and no request (issue 6: innokraft.js once
  rewrote the title and the skip link on every animation frame), and reports no script error
  and no Content-Security-Policy violation;
- axe-core finds no violation on a desktop and on a 390×844 phone, nothing scrolls sideways on
  the phone or at 320 px, no button label is cut off at 1280, 390 or 320 px, every control
  (links inside running text excepted, WCAG 2.5.8) is at least 44×44 px, and no id is given
  twice (results: test-output/accessibility/axe-<page>-<lang>.json, with screenshots);
- on a 390×844 phone no step of a module is longer than five screens (issue 22: a module a
  leader can finish between meetings), and the steps are course.yaml's, in its order;
- its charts read on a phone: at 390 and 320 px wide (and 640, a narrow desktop column) no text
  the browser draws in a chart or map is under 12 px as rendered, no two pieces of a chart's
  SVG text overlap, none reaches outside its drawing, and no exercise shows an image (every
  chart is SVG the browser draws at its width; sizes: test-output/charts/<page>-<lang>-<width>.json).

A page is loaded once for all four (each load costs seconds of the suite's two cores): the
page fixture watches it rest before anything touches it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

import pytest

from innokraft.course.model import load_course
from tests.browser.a11y import (
    DESKTOP,
    PHONE,
    axe_violations,
    button_overflow,
    duplicate_ids,
    format_violations,
    full_screenshot,
    horizontal_overflow,
    small_targets,
)
from tests.browser.conftest import returning_page, wait_interactive, wait_still
from tests.browser.page_checks import (
    chart_problems,
    errors_of,
    page_with_errors,
    watch_idle_together,
)
from tests.conftest import REPO

COURSE = load_course(REPO / "course_config")
PAGES = list(COURSE.notebooks.values())  # the start page, the modules, the wrap-up
NARROW = {"width": 320, "height": 740}


@dataclass
class Shown:
    notebook: str
    lang: str
    page: object
    errors: list[str]
    rest: tuple[bool, list[str], list[str]]

    @property
    def name(self) -> str:
        return f"{self.notebook.removesuffix('.ipynb')}-{self.lang}"


# Pages loaded side by side: their rests' waits overlap (a wait is seconds of the suite's time).
# Two notebooks' pages in every language stay within the server's pages at once (2 per core).
TOGETHER = 2


@pytest.fixture(scope="module")
def loaded(server, tabs):
    """Pages loaded and watched at rest, by (notebook, language), until their tests take them:
    TOGETHER notebooks in every language at a time, in Chromium's own profile (nothing here is
    about a first visit; the junk-language tests below use fresh contexts)."""
    pages = Loaded()
    yield pages
    for left in pages.values():
        left.page.close()


class Loaded(dict):
    """Shown pages by (notebook, language) until a test takes one; the notebooks ever loaded."""

    def __init__(self):
        super().__init__()
        self.notebooks: set[str] = set()


def load_together(server, tabs, notebooks: list[str]) -> dict[tuple[str, str], Shown]:
    opened = []
    for notebook in notebooks:
        for lang in COURSE.languages:
            link = server.page_link("demo-learner", notebook, lang)
            page = returning_page(tabs, link, DESKTOP)
            errors = errors_of(page)
            page.goto(link, wait_until="commit")
            opened.append((notebook, lang, page, errors))
    for *_, page, _ in opened:
        wait_interactive(page, timeout_ms=180_000)  # a loaded 2-core machine can take minutes
    rests = watch_idle_together([page for *_, page, _ in opened])
    return {(notebook, lang): Shown(notebook, lang, page, errors, rest)
            for (notebook, lang, page, errors), rest in zip(opened, rests, strict=True)}


@pytest.fixture(scope="module", params=[(n, lang) for n in PAGES for lang in COURSE.languages],
                ids=[f"{n}-{lang}" for n in PAGES for lang in COURSE.languages])
def shown(request, server, tabs, loaded):
    notebook, lang = request.param
    if (notebook, lang) not in loaded:
        first = PAGES.index(notebook) // TOGETHER * TOGETHER
        batch = [n for n in PAGES[first:first + TOGETHER] if n not in loaded.notebooks] or [notebook]
        loaded.notebooks.update(batch)
        loaded.update(load_together(server, tabs, batch))
    item = loaded.pop((notebook, lang))
    yield item
    item.page.close()


def test_an_untouched_page_makes_no_dom_change_and_no_request(shown):
    settled, changes, requests = shown.rest
    assert settled, f"{shown.name} never stood still for 1 s: {changes}"
    assert changes == [], f"{shown.name}: {len(changes)} DOM change(s) in 3 s untouched: {changes[:10]}"
    assert requests == [], f"{shown.name}: requests while untouched: {requests}"
    assert shown.errors == []


def test_page_is_accessible_on_desktop_and_phone(shown, output_dir):
    page = shown.page
    folder = output_dir / "accessibility"
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    wait_still(page, quiet_ms=300)
    # Every page links the accessibility statement and the privacy notice (DOS law, GDPR).
    about = page.locator(".innokraft-footer a").evaluate_all("links => links.map(a => a.pathname)")
    assert {"/innokraft/about/accessibility", "/innokraft/about/privacy"} <= set(about), about
    shared_ids = duplicate_ids(page)
    found = {}
    for name, size in (("desktop", DESKTOP), ("phone", PHONE), ("narrow", NARROW)):
        page.set_viewport_size(size)
        wait_still(page, quiet_ms=300)
        found[name] = {"axe": axe_violations(page) if name != "narrow" else [],
                       "overflow": horizontal_overflow(page) if name != "desktop" else [],
                       "buttons_cut_off": button_overflow(page),
                       "small_targets": small_targets(page) if name != "narrow" else []}
        full_screenshot(page, folder / f"{shown.name}-{name}.png")
    (folder / f"axe-{shown.name}.json").write_text(json.dumps(found, indent=2, ensure_ascii=False))
    assert all(not f["axe"] for f in found.values()), format_violations({k: f["axe"] for k, f in found.items()})
    assert shared_ids == [], f"ids on more than one element: {shared_ids}"
    for name in ("phone", "narrow"):
        assert not found[name]["overflow"], f"scrolls sideways at {name}: {found[name]['overflow']}"
    assert all(not f["buttons_cut_off"] for f in found.values()), {k: f["buttons_cut_off"] for k, f in found.items()}
    small = {k: f["small_targets"] for k, f in found.items() if f["small_targets"]}
    assert not small, f"controls under 44×44 px: {small}"


def test_chart_text_reads_on_a_phone(shown, output_dir):
    folder = output_dir / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    problems = chart_problems(shown.page, folder, shown.name)
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
    assert shown.errors == []


def test_no_step_is_longer_than_five_phone_screens(shown):
    module = next((m for m in COURSE.modules if m.notebook == shown.notebook), None)
    shown.page.set_viewport_size(PHONE)
    wait_still(shown.page, quiet_ms=300)
    steps = shown.page.evaluate("() => [...document.querySelectorAll('section.innokraft-step')]"
                                ".map(s => [s.id, s.getBoundingClientRect().height])")
    expected = [f"steg-{n}" for n in range(1, len(module.steps) + 1)] if module else []  # the start page has none
    assert [s for s, _ in steps] == expected
    screens = {s: round(h / PHONE["height"], 2) for s, h in steps}
    assert all(h <= 5 for h in screens.values()), f"{shown.name}: {screens}"


def test_axe_catches_a_link_whose_name_leaves_out_its_text(server, tabs):
    """The harness runs an axe-core that knows WCAG 2.5.3 (label-content-name-mismatch, 4.14+)."""
    link = server.page_link("demo-learner", COURSE.start_notebook, COURSE.default_language)
    page = returning_page(tabs, link, PHONE)
    page.goto(link, wait_until="commit")
    wait_interactive(page)
    page.evaluate("""() => { const a = document.createElement('a'); a.href = '#x';
        a.textContent = 'Language: English'; a.setAttribute('aria-label', 'Byt språk till engelska');
        document.querySelector('.innokraft-header').appendChild(a); }""")
    ids = {v["id"] for v in axe_violations(page)}
    page.close()
    assert "label-content-name-mismatch" in ids


JUNK_LANGS = [
    'x"],body{display:none}[x',
    "<img src=x onerror=alert(1)>",
    "sv]",
    "en\u200b",
    "../../etc",
]


@pytest.mark.parametrize("junk", JUNK_LANGS)
def test_lang_junk_never_reaches_a_selector_or_the_page(junk, server, browser):
    # A fresh browser: the language a first visit is shown comes from ?lang= alone.
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
