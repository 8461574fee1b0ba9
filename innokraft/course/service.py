"""An accountable service: who runs the course, how to reach them, the accessibility statement
and the privacy notice (texts: course_config/text/<lang>/service.yaml).

The same header and footer frame the course pages (through Page), the statement and notice
pages and every error page that `innokraft serve` answers with.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from .texts import Texts

# The pages `innokraft serve` answers at innokraft/about/<kind>.
ABOUT_PAGES = ("accessibility", "privacy")


def contact(t: Texts) -> dict[str, str]:
    return {"name": t("service.contact_name"), "email": t("service.contact_email")}


def mail_link(t: Texts) -> str:
    email = t("service.contact_email")
    return f'<a href="mailto:{html.escape(email)}">{html.escape(email)}</a>'


def need_help(t: Texts) -> str:
    """"Need help? Contact <name>, <e-mail link>." as HTML."""
    marker = "\x00"
    text = html.escape(t("service.need_help", name=t("service.contact_name"), email=marker))
    return text.replace(marker, mail_link(t))


def about_url(prefix: str, kind: str, lang: str, token: str | None) -> str:
    """A link to the statement or notice; prefix leads from the linking page to the server root."""
    query = {"lang": lang, **({"t": token} if token else {})}
    return f"{prefix}innokraft/about/{kind}?{urlencode(query)}"


def service_bar(t: Texts) -> str:
    """The line above the page title: the owner and the pilot phase."""
    return (f'<p class="innokraft-service"><span class="innokraft-owner">'
            f'{html.escape(t("service.owner_label"))}: <strong>{html.escape(t("service.owner"))}</strong>'
            f'</span> <span class="innokraft-phase"><strong class="innokraft-tag">'
            f'{html.escape(t("service.phase"))}</strong> {html.escape(t("service.phase_text"))}</span></p>')


def footer(t: Texts, prefix: str, token: str | None, tag: str = "footer") -> str:
    """Contact, accessibility statement and privacy notice, on every page. Inside a course page
    (already in the main landmark) it is a labelled section, not a second page footer."""
    links = "".join(
        f'<li><a href="{html.escape(about_url(prefix, kind, t.lang, token))}">'
        f'{html.escape(t(f"service.{kind}_link"))}</a></li>' for kind in ABOUT_PAGES)
    return (f'<{tag} class="innokraft-footer" aria-label="{html.escape(t("service.footer_label"))}">'
            f'<p><strong>{html.escape(t("service.contact_label"))}:</strong> '
            f'{html.escape(t("service.contact_name"))}, {mail_link(t)}</p>'
            f'<ul>{links}</ul>'
            f'<p>{html.escape(t("service.owner_label"))}: {html.escape(t("service.owner"))}</p></{tag}>')


def frame(t: Texts, title: str, body: str, prefix: str, token: str | None, other_langs=()) -> str:
    """A whole HTML page in the course's look, for pages served outside Voilà's notebooks."""
    langs = "".join(
        f'<a class="innokraft-lang" href="?{html.escape(urlencode({"lang": lang, **({"t": token} if token else {})}))}"'
        f' hreflang="{lang}" lang="{lang}">{html.escape(label)}</a>' for lang, label in other_langs)
    return (
        f'<!DOCTYPE html><html lang="{t.lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f'<title>{html.escape(title)} – {html.escape(t("service.name"))}</title>'
        f'<link rel="icon" href="data:;base64,=">'
        f'<link rel="stylesheet" href="{prefix}voila/templates/innokraft/static/innokraft.css"></head>'
        f'<body class="innokraft innokraft-plain"><header class="innokraft-header">'
        f'{service_bar(t)}<nav class="innokraft-nav">{langs}</nav></header>'
        f'<main id="main">{body}</main>{footer(t, prefix, token)}</body></html>'
    )


def start_link(t: Texts, prefix: str, start_notebook: str, token: str | None) -> str:
    """The way back: to the course start with the learner's link, or how to get one."""
    if not token:
        return f'<p>{html.escape(t("service.open_your_link"))}</p>'
    query = urlencode({"t": token, "lang": t.lang})
    return (f'<p><a class="innokraft-button" href="{prefix}voila/render/{start_notebook}?{query}">'
            f'{html.escape(t("service.to_start"))}</a></p>')
