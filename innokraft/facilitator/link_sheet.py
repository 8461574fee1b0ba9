"""A printable sheet of personal links: one page per learner, with a QR code (segno).

Each page is in the learner's language; texts in course_config/text/<lang>/sheet.yaml.
The sheet holds bearer links: the CLI writes it readable by its owner only.
"""

from __future__ import annotations

import segno
from markupsafe import Markup

from ..course.texts import Texts
from .html import render


def sheet_html(rows: list[dict], texts: dict[str, Texts], course_title: dict[str, str], cohort: str,
               lang: str) -> str:
    """rows as from roster.link_rows (learner_id, name, lang, url); texts per language."""
    pages = []
    for row in rows:
        t = texts[row["lang"]]
        # segno escapes the title it writes into the SVG.
        qr = Markup(segno.make(row["url"], error="m").svg_inline(scale=4, title=t("sheet.qr_title")))
        pages.append({"lang": row["lang"], "t": t, "name": row.get("name") or row["learner_id"], "qr": qr,
                      "url": row["url"], "course_title": course_title[row["lang"]]})
    return render("link_sheet.html.j2", lang=lang, title=texts[lang]("sheet.title", cohort=cohort), pages=pages)
