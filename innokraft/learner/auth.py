"""Who is on a page (a learner from a valid link, or a demo visitor) and where answers go."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..core.tokens import FacilitatorIdentity, FacilitatorSigner, Identity, LinkSigner, TokenError
from ..course.instruments import instrument_of
from ..store.db import LearnerRow, Store
from ..store.evaluations import responses, save_response


@dataclass
class Session:
    """A learner's session. `kind` is "learner", "demo" or "refused"."""

    kind: str
    learner: LearnerRow | None = None
    token: str | None = None
    error: str | None = None
    store: Store | None = None
    _demo_answers: dict[str, object] = field(default_factory=dict)

    @property
    def can_save(self) -> bool:
        return self.kind == "learner"

    def answers(self, prefix: str = "") -> dict[str, object]:
        if self.kind == "learner":
            return self.store.answers(self.learner.id, prefix)
        return {k: v for k, v in self._demo_answers.items() if k.startswith(prefix)}

    def load(self, key: str) -> object | None:
        instrument = instrument_of(key)
        if instrument is not None:
            if self.kind == "learner":
                return responses(self.store, self.learner.id).get(instrument)
            return self._demo_answers.get(key)
        return self.answers(key).get(key)

    def save(self, key: str, value: object) -> None:
        instrument = instrument_of(key)  # evaluation instruments have their own table
        if self.kind == "learner" and instrument is not None:
            save_response(self.store, self.learner.id, instrument, value)
        elif self.kind == "learner":
            self.store.save_answer(self.learner.id, key, value)
        elif self.kind == "demo":
            self._demo_answers[key] = value  # lives as long as the page: never stored

    def log(self, page: str, kind: str, detail: str = "", once: bool = False) -> bool:
        """Record a learning event; with once=True only the first time. True if recorded."""
        if self.kind != "learner":
            return False
        if once:
            return self.store.log_event_once(self.learner.id, page, kind, detail)
        self.store.log_event(self.learner.id, page, kind, detail)
        return True


def authenticate(store: Store, signer: LinkSigner, token: str | None) -> Session:
    """Check a link's token against the signature, its age, its generation and the roster.

    Reads the store but writes nothing: a refused link leaves no trace.
    """
    if token is None:
        return Session("demo")
    try:
        try:
            identity: Identity = signer.verify(token)
        except TokenError as exc:
            # Older than token_max_age_days, but its cohort's links were extended past today.
            until = exc.identity and store.cohort_links_until(exc.identity.cohort_id)
            if exc.kind != "expired" or not until or until < datetime.now(UTC):
                raise
            identity = exc.identity
        # Revoke and erase raise the generation; the tombstone outlives the learner's rows.
        if identity.generation != store.link_generation(identity.learner_id):
            raise TokenError("revoked")
        learner = store.learner(identity.learner_id)
        if learner is None or learner.cohort_id != identity.cohort_id:
            raise TokenError("unknown")
    except TokenError as exc:
        return Session("refused", error=exc.kind)
    return Session("learner", learner=learner, token=token, store=store)


def authenticate_facilitator(store: Store, signer: FacilitatorSigner, token: str | None) -> FacilitatorIdentity:
    """A facilitator link: signature, age, the cohort's current generation of facilitator links
    (`innokraft facilitator-link --revoke` raises it) and the cohort. Raises TokenError."""
    identity = signer.verify(token)
    if identity.generation != store.facilitator_generation(identity.cohort_id):
        raise TokenError("revoked")
    if not store.cohort_exists(identity.cohort_id):
        raise TokenError("unknown")
    return identity
