"""Signed links (itsdangerous): a learner's personal link and a facilitator's dashboard link.

Each role has its own salt, so a learner's token never verifies as a facilitator's and the other
way round. Both carry a generation: the store keeps the current one per learner and per cohort's
facilitator links, and raising it refuses every link issued before (revocation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode, urljoin

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .ids import TEAM_SESSION_ID, InvalidId, validate_id

_SALT = "innokraft-personal-link"
_FACILITATOR_SALT = "innokraft-facilitator-link"
_TEAM_SALT = "innokraft-team-link"
FACILITATOR_ROLE = "facilitator"
DASHBOARD = "facilitator/dashboard.ipynb"
# Where `innokraft serve` hands a learner their certificate (innokraft.web.certificate_page).
CERTIFICATE_PATH = "innokraft/certificate"
# A link's token is about 80 characters; anything much longer is refused unread.
MAX_TOKEN_LENGTH = 1000


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
    # Only links of the learner's current generation open pages (Store.link_generation).
    generation: int = 0


@dataclass(frozen=True)
class FacilitatorIdentity:
    cohort_id: str
    issued_at: datetime
    generation: int = 0


def _loads(serializer: URLSafeTimedSerializer, token: str | None, max_age: int):
    if not token:
        raise TokenError("missing")
    if len(token) > MAX_TOKEN_LENGTH:
        raise TokenError("tampered")
    return serializer.loads(token, max_age=max_age, return_timestamp=True)


def _generation(data: dict) -> int:
    generation = data.get("g", 0)  # links issued before generations existed: 0
    if type(generation) is not int or generation < 0:
        raise TokenError("tampered")
    return generation


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
        try:
            data, signed_at = _loads(self._serializer, token, self.max_age)
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
        generation = _generation(data)
    except (KeyError, TypeError, AttributeError, InvalidId):
        raise TokenError("tampered") from None
    if signed_at is None:
        raise TokenError("tampered")
    return Identity(learner_id, cohort_id, signed_at.astimezone(UTC), generation)


class FacilitatorSigner:
    """A facilitator's link to one cohort's dashboard and exports."""

    def __init__(self, secret: str, max_age_days: int):
        self._serializer = URLSafeTimedSerializer(secret, salt=_FACILITATOR_SALT)
        self.max_age = max_age_days * 24 * 3600

    def issue(self, cohort_id: str, generation: int = 0) -> str:
        data = {"r": FACILITATOR_ROLE, "c": validate_id(cohort_id, "cohort id")}
        if generation:
            data["g"] = generation
        return self._serializer.dumps(data)

    def verify(self, token: str | None) -> FacilitatorIdentity:
        try:
            data, signed_at = _loads(self._serializer, token, self.max_age)
        except SignatureExpired:
            raise TokenError("expired") from None
        except BadSignature:
            raise TokenError("tampered") from None
        try:
            if data["r"] != FACILITATOR_ROLE:
                raise TokenError("tampered")
            cohort_id = validate_id(data["c"], "cohort id")
            generation = _generation(data)
        except (KeyError, TypeError, AttributeError, InvalidId):
            raise TokenError("tampered") from None
        return FacilitatorIdentity(cohort_id, signed_at.astimezone(UTC), generation)


class TeamSigner:
    """A team link: it names one team session and nothing else (no leader, no learner), and its
    salt is its own, so it never opens a learner's or a facilitator's page. It stops working when
    its session closes (the store says so), at the latest after `max_age_days`."""

    def __init__(self, secret: str, max_age_days: int = 2):
        self._serializer = URLSafeTimedSerializer(secret, salt=_TEAM_SALT)
        self.max_age = max_age_days * 24 * 3600

    def issue(self, session_id: str) -> str:
        return self._serializer.dumps({"s": session_id})

    def verify(self, token: str | None) -> str:
        """The session id the link names; raises TokenError."""
        try:
            data, _signed_at = _loads(self._serializer, token, self.max_age)
        except SignatureExpired:
            raise TokenError("expired") from None
        except BadSignature:
            raise TokenError("tampered") from None
        session_id = data.get("s") if isinstance(data, dict) else None
        if not isinstance(session_id, str) or not TEAM_SESSION_ID.fullmatch(session_id):
            raise TokenError("tampered")
        return session_id


def page_url(base_url: str, notebook: str, token: str | None, lang: str | None) -> str:
    query = {k: v for k, v in (("t", token), ("lang", lang)) if v}
    url = urljoin(base_url if base_url.endswith("/") else base_url + "/", f"voila/render/{notebook}")
    return f"{url}?{urlencode(query)}" if query else url


def dashboard_url(base_url: str, token: str, lang: str) -> str:
    return page_url(base_url, DASHBOARD, token, lang)


def certificate_url(base_url: str, token: str | None, lang: str | None = None) -> str:
    """The learner's certificate as a PDF, for the holder of this personal link (`token`): the
    download the wrap-up page offers. `base_url` leads to the server's root: the course's URL, or
    from a course page (served at voila/render/<notebook>) "../../". Until every module is done,
    the same address answers with a page that says what is missing."""
    query = {k: v for k, v in (("t", token), ("lang", lang)) if v}
    return f"{base_url if base_url.endswith('/') else base_url + '/'}{CERTIFICATE_PATH}?{urlencode(query)}"
