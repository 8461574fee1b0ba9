"""axe-core on every course page (course.yaml's start page and modules, so a new module is
checked without touching this file), in every language, on a desktop and on a 390×844 phone:
no violations, nothing scrolls sideways on the phone, no button label is cut off at 1280, 390
or 320 px, every control (links inside running text excepted, WCAG 2.5.8) is at least
44×44 px on the phone and the desktop, and no id is given twice. Results per page: test-output/accessibility/
axe-<page>-<lang>.json, with screenshots."""

from __future__ import annotations

import json

import pytest

from innokraft.course.model import load_course
from tests.browser.a11y import (
    axe_violations,
    button_overflow,
    duplicate_ids,
    format_violations,
    full_screenshot,
    horizontal_overflow,
    small_targets,
)
from tests.browser.conftest import wait_interactive, wait_still
from tests.conftest import REPO

COURSE = load_course(REPO / "course_config")
PAGES = [COURSE.start_notebook, *(m.notebook for m in COURSE.modules)]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 740}


@pytest.mark.parametrize("lang", COURSE.languages)
@pytest.mark.parametrize("notebook", PAGES)
def test_page_is_accessible_on_desktop_and_phone(server, browser, output_dir, notebook, lang):
    folder = output_dir / "accessibility"
    folder.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=DESKTOP)
    page.goto(server.page_link("demo-learner", notebook, lang), wait_until="commit")
    wait_interactive(page, timeout_ms=180_000)  # a loaded 2-core machine can take minutes
    wait_still(page)
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
        full_screenshot(page, folder / f"{notebook.removesuffix('.ipynb')}-{lang}-{name}.png")
    page.close()
    (folder / f"axe-{notebook.removesuffix('.ipynb')}-{lang}.json").write_text(
        json.dumps(found, indent=2, ensure_ascii=False))
    assert all(not f["axe"] for f in found.values()), format_violations({k: f["axe"] for k, f in found.items()})
    assert shared_ids == [], f"ids on more than one element: {shared_ids}"
    for name in ("phone", "narrow"):
        assert not found[name]["overflow"], f"scrolls sideways at {name}: {found[name]['overflow']}"
    assert all(not f["buttons_cut_off"] for f in found.values()), {k: f["buttons_cut_off"] for k, f in found.items()}
    small = {k: f["small_targets"] for k, f in found.items() if f["small_targets"]}
    assert not small, f"controls under 44×44 px: {small}"


def test_axe_catches_a_link_whose_name_leaves_out_its_text(server, browser):
    """The harness runs an axe-core that knows WCAG 2.5.3 (label-content-name-mismatch, 4.14+)."""
    page = browser.new_page(viewport=PHONE)
    page.goto(server.page_link("demo-learner", COURSE.start_notebook, COURSE.default_language), wait_until="commit")
    wait_interactive(page)
    page.evaluate("""() => { const a = document.createElement('a'); a.href = '#x';
        a.textContent = 'Language: English'; a.setAttribute('aria-label', 'Byt språk till engelska');
        document.querySelector('.innokraft-header').appendChild(a); }""")
    ids = {v["id"] for v in axe_violations(page)}
    page.close()
    assert "label-content-name-mismatch" in ids
