"""M3's portfolio mapper and M4's assumption map in a real browser against a real
`innokraft serve`: each driven by mouse and by keyboard alone, the answer then found in
the store. (axe and the phone layout of every page: test_accessibility.py.)"""

from __future__ import annotations

import pytest

from tests.browser.conftest import poll, wait_interactive, wait_still

PAGES = {"m3": "03_portfolio.ipynb", "m4": "04_assumption_to_insight.ipynb"}
# Exercises on the page: the module's three, the retrieval quiz, the quiz, two reflections.
EXERCISES = 7


LEARNER = "maps-learner"  # on the shared server, answers of its own


@pytest.fixture(scope="module", autouse=True)
def learner(server):
    server.add_learner(LEARNER)


def open_module(server, browser, module: str, lang: str, width: int = 1280, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    # Generous bounds: eight engineers share two cores while these run.
    page.set_default_timeout(90_000)
    page.goto(server.page_link(LEARNER, PAGES[module], lang), wait_until="commit", timeout=180_000)
    wait_interactive(page, timeout_ms=180_000, exercises=EXERCISES)
    page.locator(".ik-map-svg").wait_for()
    return page


def saved_items(server, key: str) -> list[dict]:
    return (server.store.answers(LEARNER).get(key) or {}).get("items") or []


def point(page, name: str):
    """A point on the map, by the start of its accessible name (its label may be shortened)."""
    return page.locator(f'.ik-map-point[role=button][aria-label^="{name}:"]')


def add_by_keyboard(page, name: str, size: str | None) -> None:
    """Only the first focus is placed; everything after is key presses."""
    page.locator(".ik-map-form input[type=text]").focus()
    page.keyboard.type(name)
    if size is not None:
        page.keyboard.press("Tab")
        page.keyboard.type(size)
    page.keyboard.press("Enter")


def test_portfolio_mapper_by_keyboard_and_by_mouse(server, browser, shots):
    page = open_module(server, browser, "m3", "sv")
    live = page.locator(".ik-map-live")

    # Keyboard alone: add, then the new point has focus and moves with the arrow keys.
    add_by_keyboard(page, "Digital signering i hemtjänsten", "400")
    dot = point(page, "Digital signering i hemtjänsten")
    dot.wait_for()
    poll(lambda: page.evaluate("document.activeElement && document.activeElement.dataset.id") is not None, 10)
    for _ in range(6):
        page.keyboard.press("ArrowLeft")   # towards certain: enhancement-oriented
    page.keyboard.press("Shift+ArrowUp")   # a little directed: sustaining change
    live.filter(has_text="Förbättringsorienterad · hållbar förändring").wait_for()
    assert "osäkerhet 2 av 10, styrning 7 av 10" in dot.get_attribute("aria-label")
    items = poll(lambda: [i for i in saved_items(server, "m3.portfolio_mapper") if i["x"] == 2 and i["y"] == 7])
    assert items and items[0]["name"] == "Digital signering i hemtjänsten" and items[0]["size"] == 400

    # Bad input changes nothing and says why.
    page.get_by_role("button", name="Lägg till").click()
    live.filter(has_text="Skriv ett namn först").wait_for()

    # Mouse: type a name, click Add, drag the new point to the upper right.
    page.get_by_label("Initiativets namn").fill("Sensorer i avloppsnätet")
    page.get_by_label("Kostnad per år").fill("100")
    page.get_by_role("button", name="Lägg till").click()
    dot = point(page, "Sensorer i avloppsnätet")
    dot.wait_for()
    wait_still(page)  # measure where the point is once the kernel's echo has redrawn it
    svg = page.locator(".ik-map-svg").bounding_box()
    box = dot.locator("circle").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    # The data area spans 44..356 of the 400-unit view box: aim for uncertainty 9, direction 8.
    target_x = svg["x"] + svg["width"] * (44 + 0.9 * 312) / 400
    target_y = svg["y"] + svg["height"] * (44 + 0.2 * 312) / 400
    page.mouse.move(target_x, target_y, steps=8)
    page.mouse.up()
    live.filter(has_text="Sensorer i avloppsnätet ligger nu i Föregripande").wait_for()
    moved = poll(lambda: [i for i in saved_items(server, "m3.portfolio_mapper")
                          if i["name"] == "Sensorer i avloppsnätet" and i["x"] >= 8])
    assert moved and 8.5 <= moved[0]["x"] <= 9.5 and 7.5 <= moved[0]["y"] <= 8.5

    # A third initiative, and the leader gets the portfolio's verdict back.
    add_by_keyboard(page, "Chattmottagning", "50")
    page.get_by_text("Så ser din portfölj ut").wait_for()
    page.get_by_text("Tomt:").wait_for()
    shots(page, "m3-portfolio-mapper")
    page.close()


def test_assumption_map_by_keyboard_and_by_mouse(server, browser, shots):
    page = open_module(server, browser, "m4", "en")
    live = page.locator(".ik-map-live")
    names = ["Parents read the app", "Staff have time", "The tech works", "It can be procured"]
    for name in names:
        add_by_keyboard(page, name, None)
        point(page, name).wait_for()
    # The last one added has focus: up to critical, left to weak evidence.
    for _ in range(4):
        page.keyboard.press("ArrowUp")
    for _ in range(3):
        page.keyboard.press("Shift+ArrowLeft")
    live.filter(has_text="It can be procured is now in the box Test first").wait_for()

    page.get_by_label("Assumption", exact=True).fill("Relatives want to book online")
    page.get_by_role("button", name="Add", exact=True).click()
    dot = point(page, "Relatives want to book online")
    dot.wait_for()
    wait_still(page)  # measure where the point is once the kernel's echo has redrawn it
    svg = page.locator(".ik-map-svg").bounding_box()
    box = dot.locator("circle").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(svg["x"] + svg["width"] * (44 + 0.1 * 312) / 400,
                    svg["y"] + svg["height"] * (44 + 0.1 * 312) / 400, steps=8)
    page.mouse.up()
    live.filter(has_text="Relatives want to book online is now in the box Test first").wait_for()
    page.get_by_text("Test these first, like this").wait_for()
    items = poll(lambda: [i for i in saved_items(server, "m4.assumption_map")
                          if i["name"] == "Relatives want to book online" and i["y"] >= 8.5])
    assert items and items[0]["x"] <= 1.5
    procured = [i for i in saved_items(server, "m4.assumption_map") if i["name"] == "It can be procured"]
    assert procured[0]["x"] == 0 and procured[0]["y"] == 7
    shots(page, "m4-assumption-map")

    # Removing by keyboard: the remove button is reachable and named with its visible text.
    page.get_by_role("button", name="Remove Staff have time").press("Enter")
    poll(lambda: len(saved_items(server, "m4.assumption_map")) == 4)
    page.close()
