"""Saving you can believe, on a phone and a desktop in both languages: the page's kernel is
shut down (as the idle cull and a server stop do) while the learner types; the page says so
within 3 s, never shows a newer "saved", keeps the text in the browser, reports a failed Submit,
and after a reload the text is back and in the store. Offline, the page says so."""

from __future__ import annotations

import pytest
import yaml

from tests.browser.conftest import kernel_id, poll, wait_interactive, wait_still
from tests.conftest import REPO

KEY = "m1.reflection.latest_change"
FIELD = f'[class~="innokraft-key-{KEY}"]'
CASES = [  # (lang, viewport, phone)
    ("sv", {"width": 390, "height": 844}, True),
    ("en", {"width": 1280, "height": 900}, False),
]


def texts(lang: str) -> dict:
    return yaml.safe_load((REPO / "course_config" / "text" / lang / "saving.yaml").read_text())


@pytest.fixture(scope="module")
def learners(server, tmp_path_factory):
    csv = tmp_path_factory.mktemp("roster") / "ux.csv"
    csv.write_text("learner_id,name,email,lang\n" + "".join(
        f"ux-save-{lang},Test {lang},,{lang}\n" for lang, _, _ in CASES))
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
    assert kept == [full]

    # Submit fails in words, at once or within 5 s.
    page.locator(".innokraft-submit").click()
    page.get_by_text(say["submit_failed"].split(" – ")[0]).wait_for(timeout=5_000)

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
