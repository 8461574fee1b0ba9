"""Certificates in the store: each one issued, what it says, and whether it was withdrawn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from .db import Store
from .models import IssuedCertificate, Learner, utcnow


@dataclass(frozen=True)
class CertificateRow:
    code: str
    learner_id: str
    edition: int
    name: str
    modules: list[tuple[str, date]]  # (module id, the day it was completed), in course order
    minutes: int
    task_minutes: int
    issuer: dict[str, str]  # language -> the issuer's name
    issued_on: date
    issued_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def valid(self) -> bool:
        return self.revoked_at is None


def _row(row: IssuedCertificate) -> CertificateRow:
    return CertificateRow(row.code, row.learner_id, row.edition, row.name,
                          [(module_id, date.fromisoformat(day)) for module_id, day in row.modules],
                          row.minutes, row.task_minutes, dict(row.issuer), row.issued_on, row.issued_at,
                          row.revoked_at)


def add_certificate(store: Store, certificate: CertificateRow) -> CertificateRow:
    """Record a certificate unless one with its code is there (two downloads at once make the same
    code); returns the one stored."""
    statement = store.insert(IssuedCertificate).values(
        code=certificate.code, learner_id=certificate.learner_id, edition=certificate.edition,
        name=certificate.name, modules=[[m, day.isoformat()] for m, day in certificate.modules],
        minutes=certificate.minutes, task_minutes=certificate.task_minutes, issuer=certificate.issuer,
        issued_on=certificate.issued_on, issued_at=utcnow()).on_conflict_do_nothing(
        index_elements=[IssuedCertificate.code])
    with store.engine.begin() as conn:
        conn.execute(statement)
    return find_certificate(store, certificate.code)


def find_certificate(store: Store, code: str) -> CertificateRow | None:
    with store.session() as s:
        row = s.get(IssuedCertificate, code)
        return _row(row) if row else None


def certificates_of(store: Store, learner_id: str) -> list[CertificateRow]:
    """The learner's certificates, the first issued first."""
    with store.session() as s:
        query = select(IssuedCertificate).where(IssuedCertificate.learner_id == learner_id).order_by(
            IssuedCertificate.edition)
        return [_row(r) for r in s.scalars(query)]


def all_certificates(store: Store, cohort_id: str | None = None) -> list[CertificateRow]:
    """Every certificate (of one cohort's learners), by learner and edition."""
    with store.session() as s:
        query = select(IssuedCertificate).order_by(IssuedCertificate.learner_id, IssuedCertificate.edition)
        if cohort_id is not None:
            query = query.join(Learner, Learner.id == IssuedCertificate.learner_id).where(
                Learner.cohort_id == cohort_id)
        return [_row(r) for r in s.scalars(query)]


def revoke_certificates(store: Store, learner_id: str) -> list[str]:
    """Withdraw the learner's valid certificates; returns their codes."""
    with store.session() as s, s.begin():
        codes = list(s.scalars(select(IssuedCertificate.code).where(
            IssuedCertificate.learner_id == learner_id, IssuedCertificate.revoked_at.is_(None))))
        if codes:
            s.execute(update(IssuedCertificate).where(IssuedCertificate.code.in_(codes)).values(revoked_at=utcnow()))
        return codes
