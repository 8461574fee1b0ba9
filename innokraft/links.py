"""Personal links: a signed token carrying learner id and cohort id, and the course secret."""

from __future__ import annotations

import os
import re
import secrets
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlencode, urljoin

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .settings import Settings

# Learner and cohort ids become nbgrader student ids and folder names: keep them plain.
LEARNER_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_SALT = "innokraft-personal-link"
# A personal link's token is about 80 characters; anything much longer is refused unread.
MAX_TOKEN_LENGTH = 1000


class InvalidId(ValueError):
    pass


def validate_id(value: str, what: str = "learner id") -> str:
    value = (value or "").strip()
    if not LEARNER_ID.fullmatch(value):
        raise InvalidId(
            f"{what} {value!r} is not allowed: use 1-63 lowercase letters a-z, digits, '-' or '_',"
            " starting with a letter or digit"
        )
    return value


class TokenError(Exception):
    """Why a link is not accepted; `kind` picks the learner-facing message."""

    def __init__(self, kind: str, identity: Identity | None = None):
        super().__init__(kind)
        self.kind = kind  # missing | tampered | expired | revoked | unknown
        # An expired link's (genuine) identity: its cohort's links may have been extended.
        self.identity = identity


@dataclass(frozen=True)
class Identity:
    learner_id: str
    cohort_id: str
    issued_at: datetime
    # Only links of the learner's current generation open pages (store.link_generation).
    generation: int = 0


def load_secret(settings: Settings) -> str:
    """INNOKRAFT_SECRET, else a 0600 file under INNOKRAFT_HOME, made on first use."""
    if os.environ.get("INNOKRAFT_SECRET"):
        return os.environ["INNOKRAFT_SECRET"]
    path = settings.secret_file
    settings.ensure_home()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise PermissionError(
                f"{path} is readable by others (mode {oct(mode)}): run `chmod 600 {path}`"
            ) from None
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class LinkSigner:
    def __init__(self, secret: str, max_age_days: int):
        self._serializer = URLSafeTimedSerializer(secret, salt=_SALT)
        self.max_age = max_age_days * 24 * 3600

    def issue(self, learner_id: str, cohort_id: str, generation: int = 0) -> str:
        """A link of the given generation: pass the learner's `link_generation` from the store."""
        data = {"l": learner_id, "c": cohort_id}
        if generation:
            data["g"] = generation
        return self._serializer.dumps(data)

    def verify(self, token: str | None) -> Identity:
        if not token:
            raise TokenError("missing")
        if len(token) > MAX_TOKEN_LENGTH:
            raise TokenError("tampered")
        try:
            data, signed_at = self._serializer.loads(
                token, max_age=self.max_age, return_timestamp=True
            )
        except SignatureExpired as exc:
            # The signature is genuine (itsdangerous checks it before the age).
            try:
                identity = _identity(self._serializer.load_payload(exc.payload), exc.date_signed)
            except TokenError:
                identity = None
            raise TokenError("expired", identity) from None
        except BadSignature:
            raise TokenError("tampered") from None
        return _identity(data, signed_at)


def _identity(data: object, signed_at: datetime | None) -> Identity:
    try:
        learner_id = validate_id(data["l"])
        cohort_id = validate_id(data["c"], "cohort id")
        generation = data.get("g", 0)  # links issued before generations existed: 0
    except (KeyError, TypeError, AttributeError, InvalidId):
        raise TokenError("tampered") from None
    if type(generation) is not int or generation < 0 or signed_at is None:
        raise TokenError("tampered")
    return Identity(learner_id, cohort_id, signed_at.astimezone(timezone.utc), generation)


def page_url(base_url: str, notebook: str, token: str | None, lang: str | None) -> str:
    query = {k: v for k, v in (("t", token), ("lang", lang)) if v}
    url = urljoin(base_url if base_url.endswith("/") else base_url + "/", f"voila/render/{notebook}")
    return f"{url}?{urlencode(query)}" if query else url
