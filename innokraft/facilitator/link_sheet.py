"""A printable sheet of personal links: one page per learner, with a QR code (segno).

Each page is in the learner's language; texts in course_config/text/<lang>/sheet.yaml.
The sheet holds bearer links: the CLI writes it readable by its owner only.
"""

from __future__ import annotations

import html

import segno

from ..course.texts import Texts

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #111; }
.learner { padding: 2.5cm 2cm; page-break-after: always; break-after: page; }
.learner:last-child { page-break-after: auto; break-after: auto; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
.name { font-size: 1.3rem; margin: 0 0 1.5rem; }
.qr svg { width: 6cm; height: 6cm; }
.url { font-family: monospace; font-size: .8rem; word-break: break-all; }
@media screen { .learner { border-bottom: 1px dashed #999; } }
"""


def sheet_html(rows: list[dict], texts: dict[str, Texts], course_title: dict[str, str], cohort: str,
               lang: str) -> str:
    """rows as from roster.link_rows (learner_id, name, lang, url); texts per language."""
    pages = []
    for row in rows:
        t = texts[row["lang"]]
        qr = segno.make(row["url"], error="m").svg_inline(scale=4, title=t("sheet.qr_title"))
        name = row.get("name") or row["learner_id"]
        pages.append(
            f'<section class="learner" lang="{row["lang"]}" aria-label="{html.escape(name)}">'
            f"<h1>{html.escape(course_title[row['lang']])}</h1>"
            f'<p class="name">{html.escape(t("sheet.for", name=name))}</p>'
            f"<p>{html.escape(t('sheet.scan'))}</p>"
            f'<div class="qr" role="img" aria-label="{html.escape(t("sheet.qr_title"))}">{qr}</div>'
            f"<p>{html.escape(t('sheet.or_type'))}</p>"
            f'<p class="url">{html.escape(row["url"])}</p>'
            f"<p>{html.escape(t('sheet.keep_private'))}</p></section>"
        )
    t = texts[lang]
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(t('sheet.title', cohort=cohort))}</title><style>{_STYLE}</style></head>"
            f"<body><main>{''.join(pages)}</main></body></html>")
