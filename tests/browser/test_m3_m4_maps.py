"""M3's portfolio mapper and M4's assumption map in a real browser against a real
`innokraft serve`: each driven by mouse and by keyboard alone, the answer then found in
the store. (axe and the phone layout of every page: test_every_page.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import axe_violations
from tests.browser.conftest import poll, returning_page, wait_interactive, wait_still

PAGES = {"m3": "03_portfolio.ipynb", "m4": "04_assumption_to_insight.ipynb"}
# Exercises on the page: the module's three, the retrieval quiz, the quiz, two reflections.
EXERCISES = 7


LEARNER = "maps-learner"  # on the shared server, answers of its own


@pytest.fixture(scope="module", autouse=True)
def learner(server):
    server.add_learner(LEARNER)


def open_module(server, tabs, module: str, lang: str, width: int = 1280, height: int = 900):
    page = returning_page(tabs, server.url, {"width": width, "height": height})
    # Generous bounds: eight engineers share two cores while these run.
    page.set_default_timeout(90_000)
    page.goto(server.page_link(LEARNER, PAGES[module], lang), wait_until="commit", timeout=180_000)
    wait_interactive(page, timeout_ms=180_000, exercises=EXERCISES)
    page.locator(".ik-map-svg").wait_for()
    return page


def saved_items(server, key: str, learner: str = LEARNER) -> list[dict]:
    return (server.store.answers(learner).get(key) or {}).get("items") or []


def point(page, name: str):
    """A point on the map, by the start of its accessible name (its label may be shortened)."""
    return page.locator(f'.ik-map-point[role=button][aria-label^="{name}:"]')


def data_area(page) -> dict:
    """Where 0..10 on both axes lies on screen: the square the map's points live in (drawn
    first; the map is laid out for its width, so it is measured, not assumed)."""
    return page.locator(".ik-map-svg g[aria-hidden=true] > rect").first.bounding_box()


def at(area: dict, x: float, y: float) -> tuple[float, float]:
    """The screen point of map values (x, y), 0..10 each."""
    return area["x"] + area["width"] * x / 10, area["y"] + area["height"] * (1 - y / 10)


def add_by_keyboard(page, name: str, size: str | None) -> None:
    """Only the first focus is placed; everything after is key presses."""
    page.locator(".ik-map-form input[type=text]").focus()
    page.keyboard.type(name)
    if size is not None:
        page.keyboard.press("Tab")
        page.keyboard.type(size)
    page.keyboard.press("Enter")


def test_portfolio_mapper_by_keyboard_and_by_mouse(server, tabs, shots):
    page = open_module(server, tabs, "m3", "sv")
    live = page.locator(".ik-map-live")

    # Keyboard alone: add, then the new point has focus and moves with the arrow keys.
    add_by_keyboard(page, "Digital signering i hemtjänsten", "400")
    dot = point(page, "Digital signering i hemtjänsten")
    dot.wait_for()
    poll(lambda: page.evaluate("document.activeElement && document.activeElement.dataset.id") is not None, 10)
    for _ in range(6):
        page.keyboard.press("ArrowLeft")   # towards certain: enhancement-oriented
    page.keyboard.press("Shift+ArrowUp")   # a little directed: sustaining change
    live.filter(has_text="Förbättringsorienterad · vidmakthållande förändring").wait_for()
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
    box = dot.locator("circle.ik-map-dot").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(*at(data_area(page), 9, 8), steps=8)  # uncertainty 9, direction 8
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

    # A slider's readout writes a number as the page's language does ("1,35", not d3's "1.35"),
    # and a number typed into it the same way is taken.
    payoff = page.locator(".widget-slider", has=page.get_by_text("Utdelning i kärnan (gånger insatsen)", exact=True))
    readout = payoff.locator(".widget-readout")
    expect(readout).to_have_text("1,35")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("1,5")
    page.keyboard.press("Enter")
    expect(readout).to_have_text("1,50")
    assert poll(lambda: (server.store.answers(LEARNER).get("m3.explore_exploit") or {})
                .get("values", {}).get("core_payoff") == 1.5)
    page.close()


def test_assumption_map_by_keyboard_and_by_mouse(server, tabs, shots):
    page = open_module(server, tabs, "m4", "en")
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
    box = dot.locator("circle.ik-map-dot").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(*at(data_area(page), 1, 9), steps=8)  # weak evidence, critical
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


PHONE_LEARNER = "maps-phone"
# Long names, as leaders write them: the map shows their start, the cards all of them.
PHONE_POINTS = {
    "m3": ("sv", [("Digital signering i hemtjänsten", "400"), ("Sensorer i avloppsnätet", "100"),
                  ("Chattmottagning för invånarfrågor", "50"), ("Ny skolskjuts-app", "250")]),
    "m4": ("en", [("Parents read the app every week", None), ("Staff have time for training", None),
                  ("The technology works offline", None), ("It can be procured", None)]),
}

# On a map: every piece of its SVG text (size as rendered, box), every point's dot and every
# control's box; in its cards: every piece of text, and every word drawn on two lines.
MAP_LAYOUT = """(map) => {
  const svg = map.querySelector('.ik-map-svg'), frame = svg.getBoundingClientRect();
  const scale = Math.hypot(svg.getScreenCTM().a, svg.getScreenCTM().b);
  const box = (r) => [r.left, r.top, r.right, r.bottom].map(v => Math.round(v * 10) / 10);
  const texts = [...svg.querySelectorAll('text, tspan')]
    .filter(t => !t.querySelector('tspan') && t.textContent.trim())
    .map(t => ({text: t.textContent.trim(), name: t.classList.contains('ik-map-name'),
                px: parseFloat(getComputedStyle(t).fontSize) * scale, box: box(t.getBoundingClientRect())}));
  const dots = [...svg.querySelectorAll('.ik-map-point')].map(g => ({
    id: g.dataset.id, label: g.getAttribute('aria-label'),
    box: box(g.querySelector('.ik-map-dot').getBoundingClientRect()),
    hit: box(g.querySelector('.ik-map-hit').getBoundingClientRect()),
    name: g.querySelector('.ik-map-name').textContent}));
  const cards = [...map.querySelectorAll('.ik-map-card')].filter(c => c.getBoundingClientRect().width > 0);
  const cardText = [], broken = [];
  for (const card of cards) {
    const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || node.parentElement.closest('option')) continue;
      cardText.push({text: node.textContent.trim().slice(0, 40),
                     px: parseFloat(getComputedStyle(node.parentElement).fontSize)});
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rows = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (rows.size > 1) broken.push(m[0]);
      }
    }
  }
  const controls = [...map.querySelectorAll('button, input, select, [role=button]')]
    .filter(c => c.getBoundingClientRect().width > 0)
    .map(c => ({what: (c.getAttribute('aria-label') || c.textContent || c.id).trim().slice(0, 40),
                w: c.getBoundingClientRect().width, h: c.getBoundingClientRect().height}));
  return {frame: box(frame), texts, dots, cards: cards.length, cardText, broken, controls,
          table: map.querySelector('.ik-map-table').getBoundingClientRect().height};
}"""


def crossing(a: list[float], b: list[float], margin: float = 2) -> bool:
    """Two boxes [left, top, right, bottom] that cross by more than `margin` px each way."""
    return (min(a[2], b[2]) - max(a[0], b[0]) > margin) and (min(a[3], b[3]) - max(a[1], b[1]) > margin)


@pytest.mark.parametrize("module", ["m3", "m4"])
def test_map_reads_and_works_on_a_320_px_phone(server, tabs, shots, module):
    lang, points = PHONE_POINTS[module]
    server.add_learner(PHONE_LEARNER)
    page = returning_page(tabs, server.url, {"width": 320, "height": 740})
    page.set_default_timeout(90_000)
    page.goto(server.page_link(PHONE_LEARNER, PAGES[module], lang), wait_until="commit", timeout=180_000)
    wait_interactive(page, timeout_ms=180_000, exercises=EXERCISES)
    page.locator(".ik-map-svg").wait_for()
    for name, size in points:
        add_by_keyboard(page, name, size)
        point(page, name).wait_for()
    wait_still(page)
    key = {"m3": "m3.portfolio_mapper", "m4": "m4.assumption_map"}[module]
    assert poll(lambda: len(saved_items(server, key, PHONE_LEARNER)) == len(points))

    found = page.evaluate(MAP_LAYOUT, page.locator(".ik-map").element_handle())
    frame = found["frame"]
    problems = {
        "under 12 px": [(t["text"], round(t["px"], 1)) for t in found["texts"] + found["cardText"]
                        if t["px"] < 11.95],
        "text outside the drawing": [t["text"] for t in found["texts"]
                                     if t["box"][0] < frame[0] - 1 or t["box"][2] > frame[2] + 1
                                     or t["box"][1] < frame[1] - 1 or t["box"][3] > frame[3] + 1],
        "text over text": [(a["text"], b["text"]) for i, a in enumerate(found["texts"])
                           for b in found["texts"][i + 1:] if crossing(a["box"], b["box"])],
        "name over a dot": [(t["text"], d["name"]) for t in found["texts"] for d in found["dots"]
                            if t["name"] and t["text"] != d["name"] and crossing(t["box"], d["box"])],
        "target under 44 px": [(c["what"], round(c["w"]), round(c["h"])) for c in found["controls"]
                               if c["w"] < 43.5 or c["h"] < 43.5],
        "word on two lines": found["broken"],
        # The accessible name starts with what the map shows (WCAG 2.5.3).
        "name not shown first": [d["label"] for d in found["dots"]
                                 if not d["label"].startswith(d["name"].removesuffix("…"))],
    }
    assert found["cards"] == len(points) and found["table"] == 0, found
    assert {k: v for k, v in problems.items() if v} == {}, problems
    assert axe_violations(page) == []
    shots(page, f"{module}-map-320")

    # A card moves its point: the keyboard on its first value, the answer saved, focus kept.
    name = points[0][0]
    card = page.locator(".ik-map-card").filter(has_text=name)
    select = card.locator("select").first
    select.focus()
    select.select_option("8.5")
    moved = poll(lambda: [i for i in saved_items(server, key, PHONE_LEARNER) if i["name"] == name and i["x"] == 8.5])
    assert moved
    wait_still(page)
    assert page.evaluate("document.activeElement.tagName") == "SELECT"
    assert page.locator(".ik-map-card").filter(has_text=name).locator("select").first.input_value() == "8.5"
    page.close()
