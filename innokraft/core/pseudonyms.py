"""A learner as others may see them: a keyed hash of their id (HMAC-SHA256 with a key derived from
the course secret), stable across exports and logs, not reversible without the secret."""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(secret: str, learner_id: str) -> str:
    key = hashlib.sha256(f"innokraft-research:{secret}".encode()).digest()
    return hmac.new(key, learner_id.encode(), hashlib.sha256).hexdigest()[:20]
