"""Facilitator commands beyond the grading flow: the dashboard link, exports, cohort operations.

Registered on the `innokraft` parser by innokraft.cli.build_parser.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rich.console import Console

from .links import LinkSigner, load_secret, validate_id

err = Console(stderr=True)


def _context(args):
    from .cli import _context as context

    return context(args)


def _cohort(store, cohort: str) -> str | None:
    cohort = validate_id(cohort, "cohort id")
    if not store.cohort_exists(cohort):
        err.print(f"no cohort {cohort!r}: import one with `innokraft cohort import FILE.csv --cohort {cohort}`")
        return None
    return cohort


def _write_private(path: str, text: str) -> None:
    """Links and exports hold bearer links or personal data: readable by the owner only."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise ValueError(f"cannot write {path}: {exc.strerror}; nothing was written") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def cmd_facilitator_link(args) -> int:
    """The link that opens one cohort's dashboard (a facilitator link, not a learner's)."""
    from .facilitator_link import FacilitatorSigner, dashboard_url

    settings, course, store = _context(args)
    cohort = _cohort(store, args.cohort)
    if cohort is None:
        return 2
    signer = FacilitatorSigner(load_secret(settings), course.evaluation.facilitator_link_days)
    lang = args.lang or course.default_language
    print(dashboard_url(settings.url, signer.issue(cohort), lang))
    return 0


def _export(args, kind: str) -> tuple[int, str | None]:
    from .exports import export

    settings, course, store = _context(args)
    cohort = None
    if getattr(args, "cohort", None):
        cohort = _cohort(store, args.cohort)
        if cohort is None:
            return 2, None
    lang = getattr(args, "lang", None) or course.default_language
    if lang not in course.languages:
        err.print(f"--lang must be one of {', '.join(course.languages)}")
        return 2, None
    return 0, export(kind, settings, course, store, lang, cohort, getattr(args, "free_text", False))


def _emit(text: str, out: str | None, what: str) -> None:
    if out:
        _write_private(out, text)
        print(f"wrote {what} to {out}")
    else:
        sys.stdout.write(text)


def cmd_export_research(args) -> int:
    """The research dataset: pseudonymised CSV, and its codebook beside it."""
    code, text = _export(args, "research.csv")
    if text is None:
        return code
    _emit(text, args.out, "the research dataset")
    if args.codebook or args.out:
        path = args.codebook or str(Path(args.out).with_name("codebook.md"))
        _code, book = _export(args, "codebook.md")
        _emit(book, path, "its codebook")
    return 0


def cmd_export_xapi(args) -> int:
    """xAPI 1.0.3 statements as JSON lines; with --lrs, sent to a Learning Record Store."""
    import json

    from .xapi import LrsError, send

    code, text = _export(args, "xapi.jsonl")
    if text is None:
        return code
    if args.lrs:
        items = [json.loads(line) for line in text.splitlines() if line]
        user = args.lrs_user or os.environ.get("INNOKRAFT_LRS_USER")
        password = os.environ.get("INNOKRAFT_LRS_PASSWORD")
        try:
            sent = send(items, args.lrs, user, password)
        except LrsError as exc:
            err.print(f"[red]error:[/red] {exc}; nothing after the failed batch was sent", highlight=False)
            return 1
        print(f"sent {sent} statement(s) to {args.lrs}")
    if args.out or not args.lrs:
        _emit(text, args.out, f"{text.count(chr(10))} statement(s)")
    return 0


def cmd_export_gradebook(args) -> int:
    """nbgrader's gradebook as CSV (nbgrader's own export)."""
    code, text = _export(args, "gradebook.csv")
    if text is None:
        return code
    _emit(text, args.out, "the gradebook")
    return 0


def cmd_link_sheet(args) -> int:
    """A printable HTML sheet, one page per learner, each with its link as a QR code."""
    from .config import course_and_texts
    from .i18n import Texts
    from .link_sheet import sheet_html
    from .roster import link_rows

    settings, course, store = _context(args)
    cohort = _cohort(store, args.cohort)
    if cohort is None:
        return 2
    _course, texts = course_and_texts(settings.config_dir)
    rows = link_rows(store.learners(cohort), LinkSigner(load_secret(settings), course.token_max_age_days),
                     settings.url, course)
    per_lang = {lang: Texts(lang, texts[lang]) for lang in course.languages}
    _write_private(args.out, sheet_html(rows, per_lang, course.title, cohort, course.default_language))
    print(f"wrote {len(rows)} page(s) to {args.out}: open it in a browser and print")
    return 0


def cmd_cohort_revoke(args) -> int:
    """Refuse every link issued so far to every learner of a cohort."""
    settings, course, store = _context(args)
    cohort = _cohort(store, args.cohort)
    if cohort is None:
        return 2
    learners = store.learners(cohort)
    for learner in learners:
        store.revoke(learner.id)
    print(f"revoked the links of {len(learners)} learner(s) in {cohort}; "
          f"`innokraft links --cohort {cohort}` issues new ones")
    return 0


def register(sub, cohort_sub) -> None:
    """Add these commands to the `innokraft` parser (sub) and to `innokraft cohort` (cohort_sub)."""
    p = sub.add_parser("facilitator-link", help="the link to a cohort's facilitator dashboard")
    p.add_argument("--cohort", required=True)
    p.add_argument("--lang", help="the dashboard's language (default: the course's)")
    p.add_argument("--base-url", help="where the course is served (default: $INNOKRAFT_URL)")
    p.set_defaults(func=cmd_facilitator_link)

    p = sub.add_parser("export-research", help="research dataset: pseudonymised CSV + codebook.md")
    p.add_argument("--cohort", help="one cohort (default: every cohort but the demo)")
    p.add_argument("--out", help="CSV file (codebook.md is written beside it)")
    p.add_argument("--codebook", help="where to write the codebook (default: beside --out)")
    p.add_argument("--lang", help="language of the codebook's descriptions")
    p.add_argument("--free-text", action="store_true",
                   help="include learners' free-text answers (may hold names: check before sharing)")
    p.set_defaults(func=cmd_export_research)

    p = sub.add_parser("export-xapi", help="xAPI 1.0.3 statements (JSON lines); --lrs sends them")
    p.add_argument("--cohort")
    p.add_argument("--out")
    p.add_argument("--base-url", help="the course's URL, used in activity ids (default: $INNOKRAFT_URL)")
    p.add_argument("--lrs", help="the LRS's xAPI endpoint, e.g. https://lrs.example.org/xAPI")
    p.add_argument("--lrs-user", help="basic-auth user (or $INNOKRAFT_LRS_USER); password: $INNOKRAFT_LRS_PASSWORD")
    p.set_defaults(func=cmd_export_xapi)

    p = sub.add_parser("export-gradebook", help="nbgrader's gradebook as CSV")
    p.add_argument("--cohort")
    p.add_argument("--out")
    p.set_defaults(func=cmd_export_gradebook)

    p = sub.add_parser("link-sheet", help="printable HTML, one page per learner with a QR code")
    p.add_argument("--cohort", required=True)
    p.add_argument("--base-url", help="where learners reach the course (default: $INNOKRAFT_URL)")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_link_sheet)

    p = cohort_sub.add_parser("revoke", help="refuse every link issued so far to a cohort's learners")
    p.add_argument("cohort")
    p.set_defaults(func=cmd_cohort_revoke)
