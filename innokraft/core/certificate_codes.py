"""A certificate's verification code: short enough to read out on the phone or type from paper,
signed with the course secret (itsdangerous) under a salt of its own that names the course.

The code is 15 bytes written as 24 characters of Crockford's base32 in groups of four
(`7Q4M-XK2P-…`): no I, L, O or U, so a 1 read as an l or a 0 as an O still checks, and case
and hyphens do not matter. What it carries:

| bytes | what |
|---|---|
| 2 | the issue date, in days since ISSUE_EPOCH (the course's time zone) |
| 3 | the learner: a keyed hash of their id (not reversible without the secret) |
| 3 | the fingerprint of the modules and the date each was completed |
| 1 | the edition: how many certificates the learner had before this one |
| 6 | the signature: HMAC-SHA256 over the nine bytes above, its first 48 bits |

The course id is not spelled out (it would double the length): it is in the signing salt, so a
code of another course, or signed with another secret, fails as a forged one does. 48 bits of
signature are plenty where the only way to try a guess is to ask the course to verify it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from itsdangerous.encoding import base64_encode
from itsdangerous.signer import HMACAlgorithm, Signer

_SALT = "innokraft-certificate-code"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
# Letters people misread, as the digits they stand for.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
ISSUE_EPOCH = date(2024, 1, 1)
SIGNATURE_BYTES = 6
PAYLOAD_BYTES = 9
CODE_CHARS = (PAYLOAD_BYTES + SIGNATURE_BYTES) * 8 // 5  # 24
GROUP = 4


class CodeError(Exception):
    """Why a code is refused: `kind` is "malformed" (not a code at all) or "forged" (its signature
    does not match: changed, made up, of another course or signed with another secret)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class _ShortHMAC(HMACAlgorithm):
    """HMAC-SHA256 cut to SIGNATURE_BYTES: itsdangerous still derives the key and compares in
    constant time."""

    def __init__(self) -> None:
        super().__init__(hashlib.sha256)

    def get_signature(self, key: bytes, value: bytes) -> bytes:
        return super().get_signature(key, value)[:SIGNATURE_BYTES]


@dataclass(frozen=True)
class Certified:
    """What a genuine code says."""

    code: str
    issued_on: date
    learner_tag: bytes
    fingerprint: bytes
    edition: int


def fingerprint(completed: Sequence[tuple[str, date]]) -> bytes:
    """Three bytes that change with any module or completion date (in course order)."""
    text = ";".join(f"{module_id}={day.isoformat()}" for module_id, day in completed)
    return hashlib.sha256(text.encode()).digest()[:3]


def pretty(code: str) -> str:
    """A code in groups of four, as printed: 7Q4M-XK2P-…"""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def normalise(text: str) -> str:
    """A code as typed (any case, hyphens, spaces, I/L for 1, O for 0) in its stored form."""
    code = "".join(str(text).split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != CODE_CHARS or any(c not in ALPHABET for c in code):
        raise CodeError("malformed")
    return code


def _encode(raw: bytes) -> str:
    number = int.from_bytes(raw, "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CODE_CHARS)))


def _decode(code: str) -> bytes:
    number = 0
    for char in code:
        number = number * 32 + ALPHABET.index(char)
    return number.to_bytes(PAYLOAD_BYTES + SIGNATURE_BYTES, "big")


class CertificateCodes:
    """Issues and checks the verification codes of one course's certificates."""

    def __init__(self, secret: str, course_id: str):
        self._secret = secret
        self._signer = Signer(secret, salt=f"{_SALT}:{course_id}", key_derivation="hmac",
                              digest_method=hashlib.sha256, algorithm=_ShortHMAC())

    def learner_tag(self, learner_id: str) -> bytes:
        key = hashlib.sha256(f"{_SALT}:learner:{self._secret}".encode()).digest()
        return hmac.new(key, learner_id.encode(), hashlib.sha256).digest()[:3]

    def issue(self, learner_id: str, completed: Sequence[tuple[str, date]], issued_on: date, edition: int) -> str:
        days = (issued_on - ISSUE_EPOCH).days
        if not 0 <= days < 2 ** 16 or not 0 <= edition < 256:
            raise ValueError(f"a certificate of {issued_on} (edition {edition}) cannot be coded")
        payload = days.to_bytes(2, "big") + self.learner_tag(learner_id) + fingerprint(completed) + bytes([edition])
        return _encode(payload + self._signer.algorithm.get_signature(self._signer.derive_key(), payload))

    def verify(self, text: str) -> Certified:
        """What the code certifies; raises CodeError."""
        code = normalise(text)
        raw = _decode(code)
        payload, signature = raw[:PAYLOAD_BYTES], raw[PAYLOAD_BYTES:]
        if not self._signer.verify_signature(payload, base64_encode(signature)):
            raise CodeError("forged")
        days = int.from_bytes(payload[:2], "big")
        return Certified(code, ISSUE_EPOCH + timedelta(days=days), payload[2:5], payload[5:8], payload[8])
