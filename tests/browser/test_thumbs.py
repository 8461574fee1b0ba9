"""Controls for thumbs, with real touch events (CDP): a vertical swipe that starts on a rating
slider's handle (M2's skills profile) scrolls the page and changes nothing; a tap on the track
still sets the value."""

from __future__ import annotations

import pytest

from tests.browser.conftest import poll, wait_interactive, wait_still

CASES = [("sv", {"width": 390, "height": 844}), ("en", {"width": 1280, "height": 900})]

SCROLLED = """() => Math.max(...[document.scrollingElement,
  ...document.querySelectorAll('#rendered_cells, .jp-LabShell')].map(e => e ? e.scrollTop : 0))"""


@pytest.fixture(scope="module")
def learners(server, tmp_path_factory):
    csv = tmp_path_factory.mktemp("roster") / "thumbs.csv"
    csv.write_text("learner_id,name,email,lang\n" + "".join(f"ux-thumb-{lang},T,,{lang}\n" for lang, _ in CASES)
                   + "ux-thumb-range,T,,sv\n")
    server.cli("cohort", "import", str(csv), "--cohort", "ux-thumbs")
    return {lang: server.page_link(f"ux-thumb-{lang}", "02_leader_skills.ipynb", lang, cohort="ux-thumbs")
            for lang, _ in CASES}


def touch(cdp, kind: str, x: float, y: float) -> None:
    points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1, "radiusX": 10, "radiusY": 10}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


@pytest.mark.parametrize(("lang", "viewport"), CASES, ids=[c[0] for c in CASES])
def test_vertical_swipe_over_a_slider_scrolls_and_changes_nothing(server, browser, learners, shots, lang, viewport):
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500, has_touch=True)
    page = context.new_page()
    page.goto(learners[lang], wait_until="commit")
    wait_interactive(page)
    wait_still(page)
    slider = page.locator('[class~="innokraft-key-m2.skills_profile"] .widget-slider').first
    slider.evaluate("e => e.scrollIntoView({block: 'center'})")  # room for the finger to travel up
    wait_still(page, quiet_ms=300)
    readout = slider.locator(".widget-readout")
    before_value = readout.inner_text()
    before_answers = server.store.answers(f"ux-thumb-{lang}")
    handle = slider.locator(".noUi-handle").bounding_box()
    assert handle["width"] >= 44 and handle["height"] >= 44, handle
    cdp = context.new_cdp_session(page)
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    scrolled = page.evaluate(SCROLLED)
    touch(cdp, "touchStart", x, y)
    for step in range(1, 13):  # the finger travels up 300 px, drifting a little sideways
        touch(cdp, "touchMove", x + step * 0.5, y - step * 25)
    touch(cdp, "touchEnd", x, y)
    wait_still(page, quiet_ms=500)
    assert page.evaluate(SCROLLED) - scrolled >= 200, "the swipe did not scroll the page"
    assert readout.inner_text() == before_value, "the swipe changed the rating"
    assert server.store.answers(f"ux-thumb-{lang}") == before_answers
    shots(page, f"after-swipe-{lang}")

    # A tap on the track's far end sets the slider there.
    slider.evaluate("e => e.scrollIntoView({block: 'center'})")
    wait_still(page, quiet_ms=300)
    track = slider.locator(".noUi-target").bounding_box()
    assert track["width"] >= 0.5 * slider.bounding_box()["width"], f"a track too short to use: {track}"
    page.touchscreen.tap(track["x"] + track["width"] - 2, track["y"] + track["height"] / 2)
    page.wait_for_function("([el, v]) => el.textContent.trim() !== v",
                           arg=[readout.element_handle(), before_value])
    context.close()


def test_a_swipe_that_starts_on_a_range_inputs_track_scrolls_and_changes_nothing(server, browser, learners):
    """M1's barometer and guesses are native range inputs, which Chromium moves to wherever a
    finger lands: a scroll that began on one changed the answer (issue 22)."""
    who = "ux-thumb-range"
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(server.page_link(who, "01_why_innovate.ipynb", "sv", cohort="ux-thumbs"), wait_until="commit")
    wait_interactive(page, exercises=3)
    wait_still(page)
    barometer = page.locator('[class~="innokraft-key-m1.unit_barometer"] .ik-chart-control input[type=range]')
    cdp = context.new_cdp_session(page)
    for i in (0, barometer.count() - 1):
        rng = barometer.nth(i)
        rng.evaluate("e => e.scrollIntoView({block: 'center'})")
        wait_still(page, quiet_ms=300)
        before = rng.input_value()
        box = rng.bounding_box()
        x, y = box["x"] + box["width"] * 0.85, box["y"] + box["height"] / 2  # on the track, far from the thumb
        scrolled = page.evaluate(SCROLLED)
        touch(cdp, "touchStart", x, y)
        for step in range(1, 13):
            touch(cdp, "touchMove", x + step * 0.5, y - step * 25)
        touch(cdp, "touchEnd", x + 6, y - 300)
        wait_still(page, quiet_ms=500)
        assert page.evaluate(SCROLLED) - scrolled >= 200, "the swipe did not scroll the page"
        assert rng.input_value() == before, "the swipe changed the answer"
    assert "m1.unit_barometer" not in server.store.answers(who)
    # A tap on the track sets the value there; a sideways drag moves it.
    rng = barometer.first
    rng.evaluate("e => e.scrollIntoView({block: 'center'})")
    wait_still(page, quiet_ms=300)
    box = rng.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    page.wait_for_function("(el) => el.value === el.max", arg=rng.element_handle())
    y = box["y"] + box["height"] / 2
    touch(cdp, "touchStart", box["x"] + box["width"] - 4, y)
    for step in range(1, 11):
        touch(cdp, "touchMove", box["x"] + box["width"] - 4 - step * box["width"] / 10, y + step * 0.5)
    touch(cdp, "touchEnd", box["x"], y)
    page.wait_for_function("(el) => el.value === el.min", arg=rng.element_handle())
    assert poll(lambda: "m1.unit_barometer" in server.store.answers(who))
    context.close()
