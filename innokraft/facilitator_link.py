"""Facilitator links: a signed token with its own salt and role, for one cohort's dashboard.

A learner's token never verifies here (another salt), and a facilitator's token never
verifies as a learner's (innokraft.links uses its own salt): the two roles cannot be swapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .links import InvalidId, TokenError, page_url, validate_id

_SALT = "innokraft-facilitator-link"
ROLE = "facilitator"
DASHBOARD = "facilitator/dashboard.ipynb"


@dataclass(frozen=True)
class FacilitatorIdentity:
    cohort_id: str
    issued_at: datetime


class FacilitatorSigner:
    def __init__(self, secret: str, max_age_days: int):
        self._serializer = URLSafeTimedSerializer(secret, salt=_SALT)
        self.max_age = max_age_days * 24 * 3600

    def issue(self, cohort_id: str) -> str:
        return self._serializer.dumps({"r": ROLE, "c": validate_id(cohort_id, "cohort id")})

    def verify(self, token: str | None) -> FacilitatorIdentity:
        if not token:
            raise TokenError("missing")
        try:
            data, signed_at = self._serializer.loads(token, max_age=self.max_age, return_timestamp=True)
        except SignatureExpired:
            raise TokenError("expired") from None
        except BadSignature:
            raise TokenError("tampered") from None
        try:
            if data["r"] != ROLE:
                raise TokenError("tampered")
            cohort_id = validate_id(data["c"], "cohort id")
        except (KeyError, TypeError, InvalidId):
            raise TokenError("tampered") from None
        return FacilitatorIdentity(cohort_id, signed_at.astimezone(timezone.utc))


def dashboard_url(base_url: str, token: str, lang: str) -> str:
    return page_url(base_url, DASHBOARD, token, lang)
