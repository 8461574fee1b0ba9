"""The member form: what a team link opens, on a team member's phone.

A page the server writes itself (no kernel, no script: it works without JavaScript), in the
session's language or the one the member picks. It asks for no account, no name and nothing
else about the member. One answer per device and session: a random cookie that lives in this
session's path only (never sent to another session or any course page) names the device, and
the store keeps a keyed hash of it, not the cookie; sending again replaces the answer. The form
closes at the time the leader set or when they close it; after that the link says so and takes
nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from ..core.tokens import TeamSigner, TokenError
from ..course.model import Course, TeamExercise
from ..course.service import about_url
from ..course.texts import Texts, choose_language
from ..store.db import Store
from .sessions import SessionRow, TeamStore

COOKIE = "ik_team"
# What a device cookie this module made looks like (secrets.token_urlsafe(24)); anything else is none.
COOKIE_VALUE = re.compile(r"^[A-Za-z0-9_-]{32}$")

_templates = jinja2.Environment(loader=jinja2.PackageLoader("innokraft.teams", "templates"),
                                autoescape=True, undefined=jinja2.StrictUndefined)


@dataclass(frozen=True)
class Reply:
    """What the server answers: a page (status, html) or a redirect (after a send)."""

    status: int
    html: str = ""
    redirect: str | None = None


class MemberForms:
    def __init__(self, store: Store, course: Course, texts: Mapping[str, Mapping[str, str]], secret: str,
                 root: str = "/"):
        self.sessions = TeamStore(store)
        self.course = course
        self.texts = texts
        self.signer = TeamSigner(secret)
        self._key = hashlib.sha256(b"innokraft-team-device:" + secret.encode()).digest()
        self.root = root  # the server's root path (base_url): where the privacy notice is

    # -- who and which session ------------------------------------------------------------------
    def device(self, session_id: str, cookie: str) -> str:
        """The device as the store keeps it: a keyed hash of its cookie and the session, which
        names nobody and differs from session to session."""
        return hmac.new(self._key, f"{session_id}:{cookie}".encode(), hashlib.sha256).hexdigest()

    def session(self, token: str) -> tuple[SessionRow | None, TeamExercise | None]:
        try:
            session_id = self.signer.verify(token)
        except TokenError:
            return None, None
        row = self.sessions.get(session_id)
        form = self.course.team_sessions.find(row.exercise) if row is not None else None
        return (row, form) if form is not None else (None, None)

    # -- the two requests ---------------------------------------------------------------------
    def get(self, token: str, cookie: str | None, lang: str | None, sent: bool, now: datetime) -> Reply:
        row, form = self.session(token)
        t = self._texts(lang, row)
        if row is None:
            return Reply(404, self._page("unknown", t, None, None))
        if not row.is_open(now):
            return Reply(410, self._page("closed", t, row, form))
        mine = self.sessions.answer_of(row.id, self.device(row.id, cookie)) if _valid(cookie) else None
        if sent and mine is not None:
            return Reply(200, self._page("thanks", t, row, form))
        return Reply(200, self._page("form", t, row, form, chosen=mine or {}, again=mine is not None))

    def post(self, token: str, cookie: str | None, fields: Mapping[str, str], lang: str | None,
             now: datetime) -> Reply:
        """A member's answers: stored (then a redirect to the thanks), or the form again saying
        what is missing. `cookie` is the device's, made by the caller on its first send."""
        row, form = self.session(token)
        t = self._texts(lang, row)
        if row is None:
            return Reply(404, self._page("unknown", t, None, None))
        if not row.is_open(now):
            return Reply(410, self._page("closed", t, row, form))
        value, missing = read_answers(form, fields)
        if missing:
            return Reply(400, self._page("form", t, row, form, chosen=value, missing=missing))
        if not _valid(cookie):
            raise ValueError("a device cookie is needed to store an answer")
        stored = self.sessions.answer(row.id, self.device(row.id, cookie), value, now)
        if stored == "closed":
            return Reply(410, self._page("closed", t, row, form))
        if stored == "full":
            return Reply(429, self._page("full", t, row, form))
        return Reply(303, redirect="?" + urlencode({"sent": 1, "lang": t.lang}))

    # -- pages --------------------------------------------------------------------------------
    def _texts(self, lang: str | None, row: SessionRow | None) -> Texts:
        chosen = choose_language(self.course, lang, row.lang if row else None)
        return Texts(chosen, self.texts[chosen])

    def _page(self, state: str, t: Texts, row: SessionRow | None, form: TeamExercise | None,
              chosen: Mapping[str, int] | None = None, missing: list[str] = (), again: bool = False) -> str:
        others = [(lang, Texts(lang, self.texts[lang])("ui.language_switch"), "?" + urlencode({"lang": lang}))
                  for lang in self.course.languages if lang != t.lang]
        page = {"t": t, "state": state, "again": again, "other_langs": others, "items": [], "missing": [],
                "min_answers": self.course.team_sessions.min_answers, "title": t("team.form.page_title"),
                "question": Markup(""), "scale_hint": "", "numbers": False, "closes": "",
                "privacy": about_url(self.root, "privacy", t.lang, None), "action": "?" + urlencode({"lang": t.lang})}
        if row is not None:
            page["closes"] = row.closes_at.astimezone(ZoneInfo(self.course.timezone)).strftime("%H:%M")
        if form is not None:
            chosen = chosen or {}
            page.update(title=t(f"{form.texts}.title"), question=t.html(f"{form.texts}.question"),
                        scale_hint=t(f"{form.texts}.scale_hint") if t.has(f"{form.texts}.scale_hint") else "",
                        numbers=not t.has(f"{form.texts}.scale.0"),  # a row of numbers, not of words
                        missing=[{"id": i, "label": t(form.item_key(i))} for i in missing])
            if state == "form":
                page["items"] = [
                    {"id": item, "number": number, "label": t(form.item_key(item)), "missing": item in missing,
                     "options": [{"value": v, "label": value_label(t, form, i, v), "checked": chosen.get(item) == v}
                                 for i, v in enumerate(form.values)]}
                    for number, item in enumerate(form.items, start=1)]
        return _templates.get_template("member.html.j2").render(**page)


def value_label(t: Texts, form: TeamExercise, index: int, value: int) -> str:
    """A scale value's words (<form>.scale.<index>), or the value itself, signed on a scale
    around zero ("−3", "0", "+2") as the barometer writes it."""
    if t.has(f"{form.texts}.scale.{index}"):
        return t(f"{form.texts}.scale.{index}")
    if form.scale.min < 0 < value:
        return f"+{value}"
    return str(value).replace("-", "\u2212")


def _valid(cookie: str | None) -> bool:
    return bool(cookie) and COOKIE_VALUE.fullmatch(cookie) is not None


def read_answers(form: TeamExercise, fields: Mapping[str, str]) -> tuple[dict[str, int], list[str]]:
    """The posted form as {item: value}, and the items left unanswered (or answered off the scale)."""
    value, missing = {}, []
    for item in form.items:
        raw = fields.get(item, "")
        number = int(raw) if isinstance(raw, str) and re.fullmatch(r"-?\d{1,2}", raw) else None
        if number is None or not form.scale.min <= number <= form.scale.max:
            missing.append(item)
        else:
            value[item] = number
    return value, missing
