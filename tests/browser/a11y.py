"""The shared accessibility harness: axe-core (vendored, see vendor/axe-core/VERSION) on a
real page, and the layout checks every page must pass on a phone.

    from tests.browser.a11y import axe_violations
    wait_still(page)
    assert axe_violations(page) == []

axe-core is vendored unmodified under its MPL-2.0 licence (vendor/axe-core/LICENSE) so the
tests need no network; `make axe-core` refreshes it from npm at the pinned version.
"""

from __future__ import annotations

import json
from pathlib import Path

VENDOR = Path(__file__).parent / "vendor" / "axe-core"
AXE_VERSION = (VENDOR / "VERSION").read_text().strip()
AXE_SOURCE = (VENDOR / "axe.min.js").read_text(encoding="utf-8")

# axe mistakes Voilà's full-screen panels for an open modal and then passes these two wrongly
# (design.md): tell them not to pass just because a "modal" is open.
CONFIGURE = """() => axe.configure({checks: [
  {id: "page-has-main", options: {selector: "main:not([role]), [role='main']", passForModal: false}},
  {id: "page-has-heading-one", options: {
     selector: "h1:not([role], [aria-level]), :is(h1, h2, h3, h4, h5, h6):not([role])[aria-level=1], "
             + "[role=heading][aria-level=1]",
     passForModal: false}}
]})"""

# WCAG 2.0/2.1/2.2 A and AA, and best practices (as the learner-UX review ran it).
RUN = """() => axe.run(document, {resultTypes: ["violations"],
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})"""


def inject_axe(page) -> None:
    """Put axe-core on the page (through the debugger protocol, so the page's CSP allows it)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
        page.evaluate(CONFIGURE)
    version = page.evaluate("axe.version")
    assert version == AXE_VERSION, f"axe-core {version} on the page, {AXE_VERSION} expected"


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now, short enough to read in a failure."""
    inject_axe(page)
    results = page.evaluate(RUN)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [{"html": n["html"][:200], "target": n["target"]} for n in v["nodes"][:5]]}
        for v in results["violations"]
    ]


def format_violations(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2, ensure_ascii=False)


# Elements that scroll sideways although the page should fit the screen.
HORIZONTAL_OVERFLOW = """() => {
  const out = [];
  const root = document.scrollingElement || document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) out.push({el: 'document', scroll: root.scrollWidth,
                                                         client: root.clientWidth});
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX) || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      out.push({el: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (el.className && el.className.baseVal === undefined
                       ? '.' + String(el.className).trim().split(/\\s+/).slice(0, 3).join('.') : ''),
                scroll: el.scrollWidth, client: el.clientWidth});
    }
  }
  return out;
}"""


def horizontal_overflow(page) -> list[dict]:
    """What scrolls sideways: the document, or any scroll container wider than its box."""
    return page.evaluate(HORIZONTAL_OVERFLOW)


# Set by `pytest --full-pages` (make screenshots): a whole page costs Chromium a raster and a
# PNG of up to 20 megapixels, seconds of CPU each, which `make test` does not spend.
FULL_PAGES = {"on": False}


def full_screenshot(page, path: Path) -> None:
    """A screenshot of the whole page with --full-pages, else of what is in view: Voilà scrolls
    inside its shell, not the document, so the viewport is grown to the shell's height for the
    picture and then put back."""
    if not FULL_PAGES["on"]:
        page.screenshot(path=str(path))
        return
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('.jp-LabShell, #rendered_cells, body')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 16_000)})
    try:
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)


# Buttons whose label does not fit (ipywidgets' default cuts them off with an ellipsis).
BUTTON_OVERFLOW = """() => [...document.querySelectorAll('button, .innokraft-open, .innokraft-button')]
  .filter(b => b.offsetParent !== null && (b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1))
  .map(b => ({text: b.textContent.trim().slice(0, 60), scroll: b.scrollWidth, client: b.clientWidth}))"""

# Every control a thumb must hit, with its box; inline links inside running text are exempt
# (WCAG 2.5.8's inline exception), radio buttons count by their label row, a disclosure by
# its summary (the glossary's, the sources', a reflection's rubric).
TARGETS = """() => {
  const sel = 'a, button, summary, input:not([type=radio]):not([type=checkbox]), select, textarea, [role=slider], '
            + '[role=radio], [role=button], label:has(> input[type=radio]), label:has(> input[type=checkbox])';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;
    if (el.closest('.innokraft-sr, .innokraft-alt, .innokraft-skip')) continue;
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline' && el.closest('p, li')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    out.push({tag: el.tagName.toLowerCase(), cls: String(el.className).slice(0, 60),
              text: (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40),
              w: Math.round(r.width), h: Math.round(r.height)});
  }
  return out;
}"""


def button_overflow(page) -> list[dict]:
    return page.evaluate(BUTTON_OVERFLOW)


def small_targets(page, minimum: int = 44) -> list[dict]:
    """Interactive elements smaller than minimum×minimum CSS px."""
    return [t for t in page.evaluate(TARGETS) if t["w"] < minimum or t["h"] < minimum]


def duplicate_ids(page) -> list[str]:
    """Ids given to more than one element: a label's `for` then names another control (two
    charts' range inputs once shared theirs, and axe-core passed the page all the same)."""
    return page.evaluate("""() => {
      const seen = {};
      document.querySelectorAll('[id]').forEach((el) => { seen[el.id] = (seen[el.id] || 0) + 1; });
      return Object.keys(seen).filter((id) => seen[id] > 1);
    }""")


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def check_layout(page, where: str, sizes=(DESKTOP, PHONE)) -> None:
    """axe finds nothing at each size, and nothing scrolls sideways below desktop width."""
    from tests.browser.conftest import wait_still

    for size in sizes:
        page.set_viewport_size(size)
        wait_still(page, quiet_ms=300)
        found = axe_violations(page)
        assert not found, f"{where} at {size['width']}: {format_violations({'page': found})}"
        if size["width"] < 1000:
            wide = horizontal_overflow(page)
            assert not wide, f"{where} scrolls sideways at {size['width']}: {wide}"
