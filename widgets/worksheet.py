"""Worksheet: a blank one-page team worksheet with a map to draw on (front/worksheet.js).

Unlike PrintSheet (rows taken from an exercise, boxes to tick), this sheet has empty rows
the team fills in and a blank facets diamond or assumption grid.

The sheet is built here from course_config texts, every text escaped; the front-end shows
it and prints it alone on an A4 page.
"""

from __future__ import annotations

import html
from pathlib import Path

import anywidget
import traitlets

FRONT = Path(__file__).parent / "front"
ROWS = 8


def drawing(kind: str, labels: list[str]) -> str:
    """A blank diamond (four facets: left, top, right, bottom) or quadrant grid, as SVG."""
    e = [html.escape(x) for x in labels]
    if kind == "diamond":
        shape = '<polygon points="20,130 150,20 280,130 150,240" fill="none" stroke="#000" stroke-width="2"/>'
        text = (f'<text x="24" y="122" font-size="12">{e[0]}</text>'
                f'<text x="150" y="14" font-size="12" text-anchor="middle">{e[1]}</text>'
                f'<text x="276" y="122" font-size="12" text-anchor="end">{e[2]}</text>'
                f'<text x="150" y="256" font-size="12" text-anchor="middle">{e[3]}</text>')
    else:
        shape = '<rect x="20" y="20" width="260" height="220" fill="none" stroke="#000" stroke-width="2"/>'
        text = (f'<text x="85" y="38" font-size="12" text-anchor="middle" font-weight="bold">{e[0]}</text>'
                f'<text x="215" y="38" font-size="12" text-anchor="middle">{e[1]}</text>'
                f'<text x="85" y="232" font-size="12" text-anchor="middle">{e[2]}</text>'
                f'<text x="215" y="232" font-size="12" text-anchor="middle">{e[3]}</text>')
    axes = ('<line x1="150" y1="20" x2="150" y2="240" stroke="#666" stroke-dasharray="4 3"/>'
            '<line x1="20" y1="130" x2="280" y2="130" stroke="#666" stroke-dasharray="4 3"/>')
    return f'<svg viewBox="0 0 300 262" aria-hidden="true">{shape}{axes}{text}</svg>'


class Worksheet(anywidget.AnyWidget):
    _esm = FRONT / "worksheet.js"
    _css = FRONT / "worksheet.css"

    sheet_html = traitlets.Unicode(help="The sheet's markup, escaped, from course_config.").tag(sync=True)
    label = traitlets.Unicode(help="The print button's words.").tag(sync=True)
    hint = traitlets.Unicode(help="What printing does, in words.").tag(sync=True)

    def __init__(self, page, key: str, kind: str, labels_key: str, **kwargs):
        t = page.t
        labels = [t(f"{labels_key}.{k}") for k in (
            ("facets.enhancement", "facets.mission", "facets.anticipatory", "facets.adaptive")
            if kind == "diamond" else
            ("quadrants.test_first", "quadrants.build_on", "quadrants.watch", "quadrants.set_aside"))]
        head = "".join(f"<th scope=\"col\">{html.escape(c)}</th>" for c in t.items(f"{key}.columns"))
        blank = "".join("<td></td>" for _ in t.items(f"{key}.columns"))
        rows = "".join(f"<tr>{blank}</tr>" for _ in range(ROWS))
        sheet = (f"<h3>{html.escape(t(f'{key}.title'))}</h3>{t.html(f'{key}.intro')}"
                 f"{drawing(kind, labels)}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
                 f"{t.html(f'{key}.questions')}")
        super().__init__(sheet_html=sheet, label=t(f"{key}.print"), hint=t("exercise_kinds.sheet.hint"), **kwargs)
        self.add_class("innokraft-sheet")
