"""Saving you can believe, on a phone and a desktop in both languages: the page's kernel is
shut down (as the idle cull and a server stop do) while the learner types; the page says so
within 3 s, never shows a newer "saved", keeps the text in the browser, reports a failed Submit,
and after a reload the text is back and in the store. Offline, the page says so."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.browser.conftest import kernel_id, kernel_process, poll, wait_interactive, wait_still
from tests.conftest import REPO

KEY = "m1.reflection.latest_change"
FIELD = f'[class~="innokraft-key-{KEY}"]'
CASES = [  # (lang, viewport, phone)
    ("sv", {"width": 390, "height": 844}, True),
    ("en", {"width": 1280, "height": 900}, False),
]


def texts(lang: str) -> dict:
    return yaml.safe_load((REPO / "course_config" / "text" / lang / "saving.yaml").read_text())


def grading(lang: str) -> dict:
    return yaml.safe_load((REPO / "course_config" / "text" / lang / "grading.yaml").read_text())


@pytest.fixture(scope="module")
def learners(server, tmp_path_factory):
    csv = tmp_path_factory.mktemp("roster") / "ux.csv"
    csv.write_text("learner_id,name,email,lang\n" + "".join(
        f"ux-save-{lang},Test {lang},,{lang}\n" for lang, _, _ in CASES)
                   + "ux-submit,Test submit,,sv\nux-restore,Test restore,,sv\nux-silent,Test silent,,sv\n")
    server.cli("cohort", "import", str(csv), "--cohort", "ux")
    return {lang: server.page_link(f"ux-save-{lang}", "01_why_innovate.ipynb", lang, cohort="ux")
            for lang, _, _ in CASES}


# Records every "saved" status that appears once the page has said the connection is lost (a
# keystroke that reached the kernel before its shutdown may still be saved, and say so).
RECORD_SAVED = """() => {
  window.__ikSavedAfterLoss = [];
  new MutationObserver(() => {
    if (!document.querySelector('.innokraft-banner-lost')?.childNodes.length) return;
    document.querySelectorAll('.innokraft-save-saved').forEach(el => {
      if (!el.__ikSeen) { el.__ikSeen = true; window.__ikSavedAfterLoss.push(el.textContent); }
    });
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
  document.querySelectorAll('.innokraft-save-saved').forEach(el => { el.__ikSeen = true; });
}"""

SHUT_DOWN_KERNEL = """(kid) => {
  const xsrf = document.cookie.match(/_xsrf=([^;]+)/);
  fetch('/voila/api/shutdown/' + kid, {method: 'POST',
        headers: {'X-XSRFToken': xsrf ? decodeURIComponent(xsrf[1]) : ''}});
}"""


@pytest.mark.parametrize(("lang", "viewport", "phone"), CASES, ids=[c[0] for c in CASES])
def test_lost_kernel_is_shown_and_nothing_typed_is_lost(server, browser, learners, output_dir, shots,
                                                        lang, viewport, phone):
    say = texts(lang)
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.goto(learners[lang], wait_until="commit")
    wait_interactive(page, exercises=4)
    wait_still(page)
    box = page.locator(f"{FIELD} textarea")
    status = page.locator(f"{FIELD} .innokraft-saved")
    first = "Vi prövade digitala scheman i hemtjänsten." if lang == "sv" else "We tried digital rotas in home care."
    box.fill(first)
    status.locator(".innokraft-save-saved").wait_for()
    page.evaluate(RECORD_SAVED)

    # The kernel goes away while the learner types.
    page.evaluate(SHUT_DOWN_KERNEL, kernel_id(page))
    box.press_sequentially(" Efter." if lang == "sv" else " After.", delay=40)
    banner = page.locator(".innokraft-banner-lost")
    # A bound for a busy machine, not a speed check: the banner comes, and it comes before "saved".
    banner.get_by_text(say["lost_title"]).wait_for(timeout=20_000)
    box_ = banner.bounding_box()  # in view wherever the learner is on the page
    assert box_ and box_["y"] >= 0 and box_["y"] + box_["height"] <= viewport["height"] + 1, box_
    full = first + (" Efter." if lang == "sv" else " After.")
    assert box.input_value() == full
    shots(page, f"lost-{lang}")

    # No "saved" newer than the loss; the field says it is not saved; the store has at most
    # what reached the kernel before it went.
    assert status.inner_text() == say["not_saved"]
    assert page.evaluate("window.__ikSavedAfterLoss") == []
    stored = server.store.answers(f"ux-save-{lang}")[KEY]["text"]
    assert stored.startswith(first) and full.startswith(stored), stored
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('innokraft:'))"
                         ".map(k => JSON.parse(localStorage.getItem(k)).text)")
    # Nothing typed is lost: what the kernel did not store, this browser keeps. (When the last
    # keystrokes reached the kernel just before it went, the store has it all and the browser
    # lets its copy go: the shutdown and the typing race, as they do for a leader.)
    assert kept == [full] or (stored == full and kept == []), (stored, kept)

    # Submit cannot be pressed while the kernel is gone, and says why.
    submit = page.locator(".innokraft-submit")
    assert submit.is_disabled()
    assert page.locator(".innokraft-submit-reason").inner_text() == grading(lang)["submit_control"]["lost"]

    # The banner's reload brings a new kernel; the kept text comes back and reaches the store.
    page.evaluate("window.__ikOldPage = true")
    banner.get_by_role("button", name=say["reload"]).click()
    page.wait_for_function("() => !window.__ikOldPage", timeout=120_000)
    wait_interactive(page, timeout_ms=120_000, exercises=4)
    page.wait_for_function(f"() => document.querySelector('{FIELD} textarea')?.value === {full!r}")
    # (The closing page's beacon may have brought it first: then there is nothing to save again.)
    assert poll(lambda: server.store.answers(f"ux-save-{lang}")[KEY]["text"] == full), "kept text not saved"
    assert page.locator(".innokraft-banner-lost").inner_text() == ""
    page.wait_for_function("() => !Object.keys(localStorage).some(k => k.startsWith('innokraft:'))")

    # Offline: the page says so, and the change is saved once the network is back.
    context.set_offline(True)
    page.locator(".innokraft-banner-offline").get_by_text(say["offline_title"]).wait_for()
    box.press_sequentially(" Offline.", delay=20)
    assert status.inner_text() == say["not_saved_offline"]
    shots(page, f"offline-{lang}")
    context.set_offline(False)
    page.locator(".innokraft-banner-offline:empty").wait_for(state="attached")
    assert poll(lambda: server.store.answers(f"ux-save-{lang}")[KEY]["text"] == full + " Offline.")
    context.close()


KEPT = "() => Object.keys(localStorage).filter(k => k.startsWith('innokraft:'))" \
       ".map(k => JSON.parse(localStorage.getItem(k)).text)"


def test_a_saved_from_before_the_last_keystroke_never_lets_the_browsers_copy_go(server, browser, learners):
    """The kernel goes silent right after a "saved" (frozen, its socket open, as a kernel on a
    stalled machine or behind a dropped network is): what is typed next stays in this browser
    however long that "saved" stands and whatever else changes on the page, and goes only once
    a "saved" names that very text."""
    who = "ux-silent"
    page = browser.new_page()
    page.set_default_timeout(90_000)
    page.goto(server.page_link(who, "01_why_innovate.ipynb", "sv", cohort="ux"), wait_until="commit")
    wait_interactive(page, exercises=4)
    wait_still(page)
    box = page.locator(f"{FIELD} textarea")
    box.fill("Vi började med ett försök.")
    page.locator(f"{FIELD} .innokraft-save-saved").wait_for()
    page.wait_for_function(f"() => ({KEPT})().length === 0")  # the "saved" named the text

    kernel = kernel_process(server, kernel_id(page))
    kernel.suspend()
    try:
        box.press_sequentially(" Sedan mer.", delay=40)
        full = "Vi började med ett försök. Sedan mer."
        page.wait_for_function(f"() => ({KEPT})()[0] === {full!r}")
        # Long after the keystrokes, something on the page changes (the browser looks again).
        page.wait_for_timeout(1500)
        page.evaluate("document.body.appendChild(document.createElement('div'))")
        page.wait_for_timeout(300)
        assert page.locator(f"{FIELD} .innokraft-save-saved").count() == 1  # the old "saved" stands
        assert page.evaluate(KEPT) == [full]
    finally:
        kernel.resume()
    # The kernel hears the keystrokes, stores them and says so: now the browser lets its copy go.
    page.wait_for_function(f"() => ({KEPT})().length === 0")
    assert server.store.answers(who)[KEY]["text"] == full
    page.close()


def test_an_offline_submit_is_refused_and_what_is_on_screen_is_handed_in(server, browser, learners):
    """Offline, Submit is refused with a reason and nothing waits to go later; back online, the
    click hands in exactly the texts on the screen, once (issue 22)."""
    who = "ux-submit"
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.set_default_timeout(90_000)
    page = context.new_page()
    page.goto(server.page_link(who, "01_why_innovate.ipynb", "sv", cohort="ux"), wait_until="commit")
    wait_interactive(page, exercises=4)
    wait_still(page)
    boxes = page.locator(".innokraft-reflections textarea")
    words = " ".join(["ord"] * 60)
    for i in range(boxes.count()):
        boxes.nth(i).fill(f"Svar {i + 1}: {words}.")
    page.locator(".innokraft-reflections .innokraft-save-saved").nth(boxes.count() - 1).wait_for()

    context.set_offline(True)
    page.locator(".innokraft-banner-offline").get_by_text(texts("sv")["offline_title"]).wait_for()
    submit = page.locator(".innokraft-submit")
    assert submit.is_disabled()
    assert page.locator(".innokraft-submit-reason").inner_text() == grading("sv")["submit_control"]["offline"]
    submit.dispatch_event("click")  # a click that gets through anyway is refused too
    boxes.nth(1).press_sequentially(" Skrivet offline.", delay=20)
    context.set_offline(False)
    page.locator(".innokraft-banner-offline:empty").wait_for(state="attached")
    page.wait_for_function("() => !document.querySelector('.innokraft-submit').disabled")
    wait_still(page, quiet_ms=1500)
    assert server.store.latest_submission(who, "m1") is None  # nothing went by itself

    on_screen = [boxes.nth(i).input_value() for i in range(boxes.count())]
    assert on_screen[1].endswith("Skrivet offline.")
    submit.click()
    page.locator(".innokraft-confirmation").wait_for()
    assert "Fråga 2: 64 ord" in page.locator(".innokraft-confirmation").inner_text()
    row = server.store.latest_submission(who, "m1")
    from innokraft.grading.course import GradingCourse
    from innokraft.grading.exchange import escape_answer
    from tests.browser.conftest import COURSE

    nb = json.loads((GradingCourse(server.settings, COURSE).inbound / row.folder / "m1.ipynb").read_text())
    handed_in = ["".join(c["source"]) for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution")]
    assert [h.strip() for h in handed_in] == [escape_answer(t).strip() for t in on_screen]
    wait_still(page, quiet_ms=1500)
    assert len([r for r in server.store.submissions(who) if r.module_id == "m1"]) == 1
    context.close()


def test_text_kept_in_the_browser_comes_back_and_says_so(server, browser, learners):
    """Text this browser kept (typed before a loss, never saved) is put back after a reload,
    saved, and the page says that it was put back."""
    who = "ux-restore"
    page = browser.new_page()
    page.set_default_timeout(90_000)
    page.goto(server.page_link(who, "01_why_innovate.ipynb", "sv", cohort="ux"), wait_until="commit")
    wait_interactive(page, exercises=4)
    kept = "Text som skrevs innan anslutningen bröts."
    page.evaluate("([key, text]) => localStorage.setItem(key, JSON.stringify({text, at: Date.now()}))",
                  [f"innokraft:v1:{who}:m1:{KEY}:0", kept])
    page.reload(wait_until="commit")
    wait_interactive(page, exercises=4)
    page.wait_for_function(f"() => document.querySelector('{FIELD} textarea')?.value === {kept!r}")
    assert page.locator(f"{FIELD} .innokraft-restored").inner_text() == texts("sv")["restored"]
    assert poll(lambda: server.store.answers(who).get(KEY, {}).get("text") == kept)
    page.close()
