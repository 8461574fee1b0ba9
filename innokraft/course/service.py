"""An accountable service: who runs the course, how to reach them, the accessibility statement
and the privacy notice (texts: course_config/text/<lang>/service.yaml).

The same header line and footer frame the course pages (through the kernel's Page) and every
page `innokraft serve` answers itself (web.pages, web.service_pages). HTML as markupsafe.Markup:
every text goes in escaped.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from markupsafe import Markup

from .texts import Texts

# The pages `innokraft serve` answers at innokraft/about/<kind>.
ABOUT_PAGES = ("accessibility", "privacy")


def contact(t: Texts) -> dict[str, str]:
    return {"name": t("service.contact_name"), "email": t("service.contact_email")}


def mail_link(t: Texts) -> Markup:
    email = t("service.contact_email")
    return Markup('<a href="mailto:{0}">{0}</a>').format(email)


def need_help(t: Texts) -> Markup:
    """"Need help? Contact <name>, <e-mail link>." as HTML."""
    marker = "\x00"
    text = Markup.escape(t("service.need_help", name=t("service.contact_name"), email=marker))
    return Markup(text.replace(marker, mail_link(t)))


def about_url(prefix: str, kind: str, lang: str, token: str | None) -> str:
    """A link to the statement or notice; prefix leads from the linking page to the server root."""
    query = {"lang": lang, **({"t": token} if token else {})}
    return f"{prefix}innokraft/about/{kind}?{urlencode(query)}"


def service_bar(t: Texts) -> Markup:
    """The line above the page title: the owner, the pilot phase and where to say what you think."""
    feedback = "mailto:{}?{}".format(t("service.contact_email"), urlencode({"subject": t("service.feedback_subject")},
                                                                         quote_via=quote))
    return Markup('<p class="innokraft-service"><span class="innokraft-owner">{}: <strong>{}</strong></span> '
                  '<span class="innokraft-phase"><strong class="innokraft-tag">{}</strong> {} '
                  '<a href="{}">{}</a></span></p>').format(
        t("service.owner_label"), t("service.owner"), t("service.phase"), t("service.phase_text"), feedback,
        t("service.feedback_link"))


def footer(t: Texts, prefix: str, token: str | None, tag: str = "footer") -> Markup:
    """Contact, accessibility statement and privacy notice, on every page. Inside a course page
    (already in the main landmark) it is a labelled section, not a second page footer."""
    assert tag in ("footer", "section")
    links = Markup("").join(Markup('<li><a href="{}">{}</a></li>').format(
        about_url(prefix, kind, t.lang, token), t(f"service.{kind}_link")) for kind in ABOUT_PAGES)
    return Markup('<{tag} class="innokraft-footer" aria-label="{label}"><p><strong>{contact}:</strong> '
                  '{name}, {mail}</p><ul>{links}</ul><p>{owner_label}: {owner}</p></{tag}>').format(
        tag=Markup(tag), label=t("service.footer_label"), contact=t("service.contact_label"),
        name=t("service.contact_name"), mail=mail_link(t), links=links,
        owner_label=t("service.owner_label"), owner=t("service.owner"))


def start_link(t: Texts, prefix: str, start_notebook: str, token: str | None) -> Markup:
    """The way back: to the course start with the learner's link, or how to get one."""
    if not token:
        return Markup("<p>{}</p>").format(t("service.open_your_link"))
    query = urlencode({"t": token, "lang": t.lang})
    return Markup('<p><a class="innokraft-button" href="{}">{}</a></p>').format(
        f"{prefix}voila/render/{start_notebook}?{query}", t("service.to_start"))
