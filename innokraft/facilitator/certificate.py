"""A learner's certificate: issued once every module in course.yaml is completed, recorded in the
store, printed as one PDF with a page per course language (the default language first), and
checked by its verification code (`innokraft verify`).

A module counts as completed as everywhere else in the course (course.progress: every part
done, which the store records once as `module_completed`); its date is that record's, in the
course's time zone. A certificate is issued once and kept: every later download prints the same
one. A facilitator may withdraw it (`innokraft certificate LEARNER --revoke`); the learner then
gets none until a facilitator makes a new one (`innokraft certificate LEARNER`), with a new code.

Words from course_config/text/<lang>/certificate.yaml; HTML from templates/certificate.html.j2
(autoescaped); the PDF from WeasyPrint, on the server or the facilitator's machine only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..core.certificate_codes import CertificateCodes, CodeError, fingerprint, pretty
from ..core.secret import load_secret
from ..core.settings import Settings
from ..course.model import Course
from ..course.progress import module_items, progress
from ..course.service import contact
from ..course.texts import Texts
from ..store.certificates import CertificateRow, add_certificate, certificates_of, find_certificate
from ..store.db import LearnerRow, Store
from ..store.evaluations import completed_at
from .html import render


@dataclass(frozen=True)
class Completion:
    """The modules a learner has completed, with the day each was, and those still to do."""

    done: list[tuple[str, date]]
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


def completion(course: Course, store: Store, learner_id: str) -> Completion:
    zone = ZoneInfo(course.timezone)
    states = {p.module_id: p.state for p in progress(course, store.marks(learner_id))}
    recorded = completed_at(store, learner_id)
    done, missing = [], []
    for module in course.modules:
        if states[module.id] != "completed":
            missing.append(module.id)
            continue
        moment = recorded.get(module.id) or _last_part_done(store, learner_id, module)
        done.append((module.id, moment.astimezone(zone).date()))
    return Completion(done, missing)


def _last_part_done(store: Store, learner_id: str, module) -> datetime:
    """When a module completed without its record (a part removed from course.yaml since): the
    day its last part was done."""
    items = set(module_items(module))
    return max(at for _, page, kind, detail, at in store.events(learner_id)
               if page == module.id and kind == "exercise_done" and detail in items)


@dataclass(frozen=True)
class Outcome:
    """What a request for a certificate gets: `kind` is "certificate" (with it), "missing" (the
    modules not completed), "no_name" (the roster has no name to print), "withdrawn" (revoked,
    and only a facilitator issues a new one) or "none" (course.yaml offers no certificate)."""

    kind: str
    certificate: CertificateRow | None = None
    missing: tuple[str, ...] = ()
    reissued: bool = False


def codes(settings: Settings, course: Course) -> CertificateCodes:
    return CertificateCodes(load_secret(settings), course.id)


def obtain(course: Course, store: Store, signer: CertificateCodes, learner: LearnerRow, today: date,
           reissue: bool = False) -> Outcome:
    """The learner's valid certificate, issued today if they have none and every module is done.
    With `reissue` (a facilitator's request) a new one replaces a withdrawn one."""
    if course.certificate is None:
        return Outcome("none")
    earlier = certificates_of(store, learner.id)
    valid = [c for c in earlier if c.valid]
    if valid:
        return Outcome("certificate", valid[-1])
    if earlier and not reissue:
        return Outcome("withdrawn")
    done = completion(course, store, learner.id)
    if not done.complete:
        return Outcome("missing", missing=tuple(done.missing))
    if not learner.name.strip():
        return Outcome("no_name")
    draft = CertificateRow(
        code=signer.issue(learner.id, done.done, today, len(earlier)), learner_id=learner.id, edition=len(earlier),
        name=learner.name.strip(), modules=done.done, minutes=sum(m.minutes for m in course.modules),
        task_minutes=course.certificate.task_minutes_per_module * len(course.modules),
        issuer={lang: course.certificate.issuer[lang] for lang in course.languages}, issued_on=today)
    return Outcome("certificate", add_certificate(store, draft), reissued=bool(earlier))


@dataclass(frozen=True)
class Verification:
    """What `innokraft verify` found: `kind` is "valid", "revoked", "no_record" (genuine, but the
    store keeps no such certificate: its learner was erased), "mismatch" (genuine, but the stored
    certificate says something else), "forged" or "malformed"."""

    kind: str
    code: str = ""
    issued_on: date | None = None
    certificate: CertificateRow | None = None

    @property
    def valid(self) -> bool:
        return self.kind == "valid"


def verify(store: Store, signer: CertificateCodes, text: str) -> Verification:
    try:
        certified = signer.verify(text)
    except CodeError as exc:
        return Verification(exc.kind)
    row = find_certificate(store, certified.code)
    if row is None:
        return Verification("no_record", certified.code, certified.issued_on)
    if (signer.learner_tag(row.learner_id), fingerprint(row.modules), row.issued_on, row.edition) != \
            (certified.learner_tag, certified.fingerprint, certified.issued_on, certified.edition):
        return Verification("mismatch", certified.code, certified.issued_on)
    return Verification("valid" if row.valid else "revoked", certified.code, certified.issued_on, row)


# -- the words ------------------------------------------------------------------------------------

def hours(minutes: int) -> int:
    """Whole hours, a half hour up: the certificate says "about"."""
    return max(1, (minutes + 30) // 60) if minutes else 0


def day(t: Texts, when: date) -> str:
    return t("certificate.date", day=when.day, month=t.items("ui.months")[when.month - 1], year=when.year)


def module_lines(course: Course, t: Texts, modules: list[tuple[str, date]]) -> list[tuple[str, str, str]]:
    """(number, title, day completed) per module, as the language writes them; a module no longer
    in course.yaml keeps its id as its title."""
    numbers = {m.id: n for n, m in enumerate(course.modules, start=1)}
    out = []
    for module_id, when in modules:
        known = module_id in numbers
        out.append((t("ui.module_number", number=numbers[module_id]) if known else "",
                    course.module(module_id).title[t.lang] if known else module_id, day(t, when)))
    return out


def scope(t: Texts, certificate: CertificateRow) -> str:
    total = certificate.minutes + certificate.task_minutes
    if certificate.task_minutes:
        return t("certificate.hours_tasks", hours=hours(total), task_hours=hours(certificate.task_minutes))
    return t("certificate.hours", hours=hours(total))


def scope_source(t: Texts, certificate: CertificateRow) -> str:
    if certificate.task_minutes:
        count = len(certificate.modules)
        return t("certificate.hours_source_tasks", minutes=certificate.minutes, tasks=count,
                 task_minutes=certificate.task_minutes // max(1, count))
    return t("certificate.hours_source", minutes=certificate.minutes)


def missing_modules(course: Course, t: Texts, missing: tuple[str, ...] | list[str]) -> str:
    numbers = {m.id: n for n, m in enumerate(course.modules, start=1)}
    return ", ".join(f"{t('ui.module_number', number=numbers[m])}: {course.module(m).title[t.lang]}"
                     for m in missing)


def certificate_html(course: Course, texts: dict[str, dict[str, str]], certificate: CertificateRow) -> str:
    """The certificate as one HTML document: a page per language, the course's default first."""
    order = [course.default_language] + [lang for lang in course.languages if lang != course.default_language]
    pages = []
    for lang in order:
        t = Texts(lang, texts[lang])
        issuer = certificate.issuer.get(lang) or next(iter(certificate.issuer.values()))
        pages.append({
            "lang": lang, "heading": t("certificate.heading"),
            "issuer": issuer, "certifies": t("certificate.certifies"), "name": certificate.name,
            "completed": t("certificate.completed", course=course.title[lang]),
            "modules_title": t("certificate.modules_title"), "module_column": t("certificate.module_column"),
            "date_column": t("certificate.date_column"),
            "modules": module_lines(course, t, certificate.modules), "scope": scope(t, certificate),
            "scope_source": scope_source(t, certificate), "not_credits": t("certificate.not_credits"),
            "issued": t("certificate.issued", issuer=issuer, date=day(t, certificate.issued_on)),
            "code_label": t("certificate.code_label"), "code": pretty(certificate.code),
            "how_to_verify": t("certificate.how_to_verify", **contact(t)),
        })
    first = Texts(order[0], texts[order[0]])
    return render("certificate.html.j2", lang=order[0], title=f"{first('certificate.heading')} – {certificate.name}",
                  pages=pages)


def certificate_pdf(course: Course, texts: dict[str, dict[str, str]], certificate: CertificateRow) -> bytes:
    """The certificate as PDF (WeasyPrint: server or facilitator machinery, never a learner's kernel)."""
    from weasyprint import HTML

    return HTML(string=certificate_html(course, texts, certificate)).write_pdf()


def file_name(t: Texts, certificate: CertificateRow) -> str:
    return t("certificate.file", id=certificate.learner_id)
