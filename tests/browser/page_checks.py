"""What every course page is checked for besides axe (tests/browser/a11y.py): that it rests when
nobody touches it (no DOM change, no request), that its charts' text reads on a phone, and the
script errors and Content-Security-Policy violations it reports."""

from __future__ import annotations

import json

WINDOW_MS = 3000

# Starts watching the page's DOM; window.__ikWatch.settled resolves (up to a bound) once the
# page has been still for a second, to whether it was.
SETTLE = """() => {
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
  w.settled = (async () => {
    const started = performance.now();
    while (performance.now() - w.last < 1000) {
      if (performance.now() - started > 60000) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    w.changes.length = 0;
    return true;
  })();
}"""
SETTLED = "() => window.__ikWatch.settled"
# Then nobody touches the page for the window (started on every page before any is awaited).
WINDOW = "(ms) => { window.__ikWatch.window = new Promise((r) => setTimeout(r, ms)); }"
# What changed in the page since it settled, once its window is over.
CHANGES = """async () => {
  const w = window.__ikWatch;
  await w.window;
  w.observer.disconnect();
  return w.changes;
}"""


def watch_idle(page) -> tuple[bool, list[str], list[str]]:
    """(settled, DOM changes, requests) over WINDOW_MS of an untouched page."""
    return watch_idle_together([page])[0]


def watch_idle_together(pages: list) -> list[tuple[bool, list[str], list[str]]]:
    """watch_idle for each of pages, their waits side by side rather than one after another:
    a page's DOM is watched from its settling, its requests from the last page's settling, to
    the end of its window (WINDOW_MS, begun once every page settled)."""
    for page in pages:
        page.evaluate(SETTLE)
    settled = [page.evaluate(SETTLED) for page in pages]
    requests: list[list[str]] = [[] for _ in pages]
    for page, seen in zip(pages, requests, strict=True):
        page.on("request", lambda req, seen=seen: seen.append(req.url))
    for page in pages:
        page.evaluate(WINDOW, WINDOW_MS)
    out = []
    for page, ok, seen in zip(pages, settled, requests, strict=True):
        changes = page.evaluate(CHANGES)
        out.append((True, changes, seen) if ok else (False, changes[:10], []))
    return out


def page_with_errors(browser):
    """A fresh context's page and the script errors and CSP violations it reports."""
    context = browser.new_context()
    page = context.new_page()
    return context, page, errors_of(page)


def errors_of(page) -> list[str]:
    """The script errors and Content-Security-Policy violations page reports from now on."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The Content-Security-Policy must not break the page: Chromium logs each violation.
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return errors


SMALLEST_PX = 12

# Every piece of chart text as rendered: its size (font size times the SVG's scale on screen)
# and its box; pieces are grouped by chart so overlaps are looked for within one chart.
MEASURE = """() => {
  const charts = [...document.querySelectorAll('.ik-chart, .ik-map')]
    .filter(c => !c.parentElement.closest('.ik-chart, .ik-map') && c.getBoundingClientRect().width > 0);
  return charts.map((chart, n) => {
    const pieces = [];
    for (const el of chart.querySelectorAll('text, tspan, p, li, span, label, div, th, td, caption, output')) {
      // Visually hidden text is read, not seen; a closed table view is not shown.
      if (el.closest('.innokraft-sr, .innokraft-alt, details:not([open]) > :not(summary)')) continue;
      const own = [...el.childNodes].some(k => k.nodeType === 3 && k.textContent.trim());
      if (!own || (el.tagName === 'text' && el.querySelector('tspan'))) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const svg = el.closest('svg');
      const ctm = svg && el instanceof SVGElement ? svg.getScreenCTM() : null;
      const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
      const s = ctm ? svg.getBoundingClientRect() : null;
      const outside = !!s && (r.left < s.left - 1 || r.right > s.right + 1
                              || r.top < s.top - 1 || r.bottom > s.bottom + 1);
      pieces.push({text: el.textContent.trim().slice(0, 40), svg: !!ctm, outside,
                   px: Math.round(parseFloat(getComputedStyle(el).fontSize) * scale * 10) / 10,
                   box: [r.left, r.top, r.right, r.bottom].map(v => Math.round(v * 10) / 10)});
    }
    return {chart: n, cls: String(chart.className.baseVal ?? chart.className).slice(0, 40), pieces};
  });
}"""


# Images in an exercise: none, since every chart is SVG the browser draws at its width.
IMAGES = """() => [...document.querySelectorAll('.innokraft-exercise img')]
  .filter(i => i.getBoundingClientRect().width > 0).map(i => i.src.slice(0, 60))"""


def overlaps(pieces: list[dict]) -> list[tuple[str, str]]:
    """Pairs of SVG text whose boxes cross by more than 2 px each way (HTML text flows)."""
    svg = [p for p in pieces if p["svg"]]
    found = []
    for i, a in enumerate(svg):
        for b in svg[i + 1:]:
            dx = min(a["box"][2], b["box"][2]) - max(a["box"][0], b["box"][0])
            dy = min(a["box"][3], b["box"][3]) - max(a["box"][1], b["box"][1])
            if dx > 2 and dy > 2:
                found.append((a["text"], b["text"]))
    return found


CHART_SIZES = {"phone": {"width": 390, "height": 844}, "narrow": {"width": 320, "height": 740},
               "wide": {"width": 640, "height": 900}}


def text_problems(charts: list[dict]) -> list[tuple]:
    """Chart text under 12 px as rendered, two pieces of a chart's SVG text crossing, and text
    reaching outside its drawing: each as (what, chart, text)."""
    return ([("under 12 px", c["cls"], p["text"], p["px"]) for c in charts for p in c["pieces"]
             if p["px"] < SMALLEST_PX - 0.05]
            + [("overlapping", c["cls"], pair) for c in charts for pair in overlaps(c["pieces"])]
            + [("outside its drawing", c["cls"], p["text"]) for c in charts for p in c["pieces"] if p["outside"]])


def charts_at(page, width: int, height: int = 800) -> list[dict]:
    """The page's charts and maps that hold text, measured at `width` once the page is still."""
    from tests.browser.conftest import wait_still

    page.set_viewport_size({"width": width, "height": height})
    wait_still(page, quiet_ms=300)
    return [c for c in page.evaluate(MEASURE) if c["pieces"]]


def chart_problems(page, folder, name: str) -> dict:
    """text_problems and images in an exercise at each of CHART_SIZES; what was measured goes to
    folder/<name>-<width>.json."""
    problems = {}
    for size_name, size in CHART_SIZES.items():
        charts = charts_at(page, size["width"], size["height"])
        images = page.evaluate(IMAGES)
        (folder / f"{name}-{size['width']}.json").write_text(json.dumps(charts, indent=1, ensure_ascii=False))
        found = text_problems(charts)
        if found or images:
            problems[size_name] = {"text": found, "images": images}
    return problems
