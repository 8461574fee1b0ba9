"""Charts that read on a phone: on every module page, in both languages, at 390 and 320 px
wide (and 640, a narrow desktop column), no text the browser draws in a chart or map (SVG or
HTML) is under 12 px as rendered, no two pieces of a chart's SVG text overlap and none
reaches outside its drawing. Every chart is drawn by the browser (no
kernel-drawn images: a page has none). The sizes found go to
test-output/charts/<page>-<lang>-<width>.json."""

from __future__ import annotations

import json

import pytest

from innokraft.course.model import load_course
from tests.browser.conftest import wait_interactive, wait_still
from tests.conftest import REPO

COURSE = load_course(REPO / "course_config")
SIZES = {"phone": {"width": 390, "height": 844}, "narrow": {"width": 320, "height": 740},
         "wide": {"width": 640, "height": 900}}
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


@pytest.mark.parametrize("lang", COURSE.languages)
@pytest.mark.parametrize("module", [m.notebook for m in COURSE.modules])
def test_chart_text_reads_on_a_phone(server, browser, output_dir, module, lang):
    folder = output_dir / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=SIZES["phone"])
    page.goto(server.page_link("demo-learner", module, lang), wait_until="commit")
    wait_interactive(page)
    wait_still(page)
    problems = {}
    for name, size in SIZES.items():
        page.set_viewport_size(size)
        wait_still(page, quiet_ms=400)
        charts = page.evaluate(MEASURE)
        assert page.evaluate(IMAGES) == []
        (folder / f"{module.removesuffix('.ipynb')}-{lang}-{size['width']}.json").write_text(
            json.dumps(charts, indent=1, ensure_ascii=False))
        small = [(c["cls"], p["text"], p["px"]) for c in charts for p in c["pieces"] if p["px"] < SMALLEST_PX - 0.05]
        crossed = [(c["cls"], pair) for c in charts for pair in overlaps(c["pieces"])]
        outside = [(c["cls"], p["text"]) for c in charts for p in c["pieces"] if p["outside"]]
        if small or crossed or outside:
            problems[name] = {"under 12 px": small, "overlapping": crossed, "outside its drawing": outside}
    page.close()
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
