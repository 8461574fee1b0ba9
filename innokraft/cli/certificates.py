"""Certificates: make a learner's (or withdraw it), list those issued, and verify a code an
employer reads out (exit 0 only for a valid certificate)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from ..core import clock
from ..core.certificate_codes import pretty
from ..core.files import write_private
from ..core.ids import validate_id
from ..course.load import course_and_texts
from ..course.texts import Texts
from ..facilitator.certificate import (
    certificate_pdf,
    codes,
    day,
    file_name,
    missing_modules,
    module_lines,
    obtain,
    scope,
    verify,
)
from ..store.certificates import all_certificates, revoke_certificates
from .context import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_NOT_READY,
    EXIT_OK,
    context,
    known_cohort,
    lang_option,
    say,
    say_error,
    say_line,
)


def cmd_certificate(args) -> int:
    """A learner's certificate as PDF: their valid one, or one issued today (a new one after a
    revoke); --revoke withdraws it."""
    settings, course, store = context(args)
    t = say(args)
    learner_id = validate_id(args.learner_id)
    learner = store.learner(learner_id)
    if learner is None:
        say_error(t("cli.no_learner", id=learner_id))
        return EXIT_BAD_INPUT
    if args.revoke:
        revoked = revoke_certificates(store, learner_id)
        if not revoked:
            say_error(t("certificate.cli.nothing_to_revoke", id=learner_id))
            return EXIT_BAD_INPUT
        for code in revoked:
            say_line(t("certificate.cli.revoked", code=pretty(code), id=learner_id))
        return EXIT_OK
    today = clock.now(settings).astimezone(ZoneInfo(course.timezone)).date()
    outcome = obtain(course, store, codes(settings, course), learner, today, reissue=True)
    if outcome.kind == "missing":
        say_error(t("certificate.cli.missing", id=learner_id, modules=missing_modules(course, t, outcome.missing)))
        return EXIT_NOT_READY
    if outcome.kind != "certificate":
        say_error(t(f"certificate.cli.{outcome.kind}", id=learner_id))
        return EXIT_NOT_READY
    certificate = outcome.certificate
    _course, texts = course_and_texts(settings.config_dir)
    path = write_private(Path(args.out) if args.out else Path(file_name(t, certificate)),
                         certificate_pdf(course, texts, certificate))
    if outcome.reissued:
        say_line(t("certificate.cli.reissued"))
    say_line(t("certificate.cli.wrote", name=certificate.name, id=learner_id, path=path,
               code=pretty(certificate.code)))
    return EXIT_OK


def cmd_certificates(args) -> int:
    """Every certificate issued (of one cohort), with its code and whether it is valid."""
    settings, course, store = context(args)
    t = say(args)
    cohort = None
    if args.cohort:
        cohort = known_cohort(store, t, args.cohort)
        if cohort is None:
            return EXIT_BAD_INPUT
    rows = all_certificates(store, cohort)
    if not rows:
        say_line(t("certificate.cli.none_issued"))
    zone = ZoneInfo(course.timezone)
    for row in rows:
        state = t("certificate.cli.valid") if row.valid else \
            t("certificate.cli.revoked_on", date=row.revoked_at.astimezone(zone).date().isoformat())
        say_line(t("certificate.cli.row", id=row.learner_id, name=row.name, date=row.issued_on.isoformat(),
                   code=pretty(row.code), state=state))
    return EXIT_OK


def cmd_verify(args) -> int:
    """What a verification code certifies. Exit 0: genuine and valid; 1: genuine but withdrawn or
    no longer on record; 2: not a code of this course (changed, mistyped or forged)."""
    settings, course, store = context(args)
    t = say(args)
    found = verify(store, codes(settings, course), args.code)
    if found.kind in ("forged", "malformed"):
        say_error(t(f"certificate.verify.{found.kind}", code=args.code.strip()[:60]))
        return EXIT_BAD_INPUT
    zone = ZoneInfo(course.timezone)
    if found.kind == "no_record" or found.kind == "mismatch":
        say_error(t(f"certificate.verify.{found.kind}", date=day(t, found.issued_on)))
        return EXIT_FAILED
    certificate = found.certificate
    if found.kind == "revoked":
        say_error(t("certificate.verify.revoked", date=day(t, certificate.revoked_at.astimezone(zone).date())))
    else:
        say_line(t("certificate.verify.valid"))
    _describe(t, course, certificate)
    return EXIT_OK if found.valid else EXIT_FAILED


def _describe(t: Texts, course, certificate) -> None:
    say_line(t("certificate.verify.name", name=certificate.name))
    say_line(t("certificate.verify.course", course=course.title[t.lang]))
    issuer = certificate.issuer.get(t.lang) or next(iter(certificate.issuer.values()))
    say_line(t("certificate.verify.issued", date=day(t, certificate.issued_on), issuer=issuer))
    say_line(scope(t, certificate))
    say_line(t("certificate.verify.modules"))
    for number, title, when in module_lines(course, t, certificate.modules):
        say_line(t("certificate.verify.module", number=number, title=title, date=when))
    say_line(t("certificate.verify.code", code=pretty(certificate.code)))


def register(sub) -> None:
    lang = lang_option()
    p = sub.add_parser("certificate", parents=[lang],
                       help="a learner's certificate as PDF, once every module is done (their valid one, or a "
                            "new one issued today); --revoke withdraws it")
    p.add_argument("learner_id")
    p.add_argument("--out", help="the PDF to write (default: certificate-LEARNER.pdf in the facilitator's language)")
    p.add_argument("--revoke", action="store_true",
                   help="withdraw the learner's certificate: verify then says it is not valid")
    p.set_defaults(func=cmd_certificate)

    p = sub.add_parser("certificates", parents=[lang], help="every certificate issued, with its code and state")
    p.add_argument("--cohort")
    p.set_defaults(func=cmd_certificates)

    p = sub.add_parser("verify", parents=[lang],
                       help="what a certificate's verification code certifies; exit 0 only for a valid "
                            "certificate, 1 withdrawn or no longer on record, 2 not a code of this course")
    p.add_argument("code", help="the code as printed (case, spaces and hyphens do not matter)")
    p.set_defaults(func=cmd_verify)
