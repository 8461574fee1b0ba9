"""The facilitator's exports: the research dataset with its codebook, xAPI statements (to a file
or a Learning Record Store) and nbgrader's gradebook."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..core.files import write_private
from ..facilitator.exports import export
from .context import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, context, known_cohort, lang_option, say, say_error, say_line


def _export(args, kind: str, **options) -> str | None:
    settings, course, store = context(args)
    t = say(args)
    cohort = None
    if getattr(args, "cohort", None):
        cohort = known_cohort(store, t, args.cohort)
        if cohort is None:
            return None
    return export(kind, settings, course, store, t.lang, cohort, getattr(args, "free_text", False), **options)


def _emit(args, text: str, out: str | None, what: str) -> None:
    if out:
        write_private(out, text)
        say_line(say(args)("cli.exports.wrote", what=what, path=out))
    else:
        sys.stdout.write(text)


def cmd_export_research(args) -> int:
    """The research dataset: pseudonymised CSV, and its codebook beside it (from the same reading:
    it says how this export's pids were keyed and which columns were suppressed)."""
    from ..core.secret import load_secret
    from ..facilitator.research import research_export
    from .context import settings_of

    settings, course, store = context(args)
    t = say(args)
    cohort = None
    if args.cohort:
        cohort = known_cohort(store, t, args.cohort)
        if cohort is None:
            return EXIT_BAD_INPUT
    text, book = research_export(store, course, t, load_secret(settings_of(args)), cohort, args.free_text,
                                 args.stable_pseudonyms)
    _emit(args, text, args.out, t("cli.exports.research"))
    if args.codebook or args.out:
        path = args.codebook or str(Path(args.out).with_name("codebook.md"))
        _emit(args, book, path, t("cli.exports.codebook"))
    return EXIT_OK


def cmd_export_xapi(args) -> int:
    """xAPI 1.0.3 statements as JSON lines; with --lrs, sent to a Learning Record Store."""
    from ..facilitator.xapi import LrsError, send

    text = _export(args, "xapi.jsonl")
    if text is None:
        return EXIT_BAD_INPUT
    t = say(args)
    if args.lrs:
        from .context import settings_of

        settings = settings_of(args)
        items = [json.loads(line) for line in text.splitlines() if line]
        try:
            sent = send(items, args.lrs, args.lrs_user or settings.lrs_user, settings.lrs_password)
        except LrsError as exc:
            say_error(t("cli.exports.lrs_failed", error=str(exc)))
            return EXIT_FAILED
        say_line(t("cli.exports.sent", count=sent, url=args.lrs))
    if args.out or not args.lrs:
        _emit(args, text, args.out, t("cli.exports.statements", count=text.count("\n")))
    return EXIT_OK


def cmd_export_gradebook(args) -> int:
    """Every learner of the cohort (or of all cohorts but the demo) with each module's grading state,
    score and submission time; as a file with a BOM for Excel, `--semicolon` for Swedish Excel."""
    text = _export(args, "gradebook.csv", delimiter=";" if args.semicolon else ",", bom=bool(args.out))
    if text is None:
        return EXIT_BAD_INPUT
    _emit(args, text, args.out, say(args)("cli.exports.gradebook"))
    return EXIT_OK


def register(sub) -> None:
    lang = lang_option()
    p = sub.add_parser("export-research", parents=[lang], help="research dataset: pseudonymised CSV + codebook.md")
    p.add_argument("--cohort", help="one cohort (default: every cohort but the demo)")
    p.add_argument("--out", help="CSV file (codebook.md is written beside it)")
    p.add_argument("--codebook", help="where to write the codebook (default: beside --out)")
    p.add_argument("--free-text", action="store_true",
                   help="include learners' free-text answers (may hold names: check before sharing)")
    p.add_argument("--stable-pseudonyms", action="store_true",
                   help="pids keyed with the course secret, the same in every export and in xAPI "
                        "(default: a key for this export alone, so pids match nothing else)")
    p.set_defaults(func=cmd_export_research)

    p = sub.add_parser("export-xapi", parents=[lang], help="xAPI 1.0.3 statements (JSON lines); --lrs sends them")
    p.add_argument("--cohort")
    p.add_argument("--out")
    p.add_argument("--base-url", help="the course's URL, used in activity ids (default: $INNOKRAFT_URL)")
    p.add_argument("--lrs", help="the LRS's xAPI endpoint, e.g. https://lrs.example.org/xAPI")
    p.add_argument("--lrs-user", help="basic-auth user (or $INNOKRAFT_LRS_USER); password: $INNOKRAFT_LRS_PASSWORD")
    p.set_defaults(func=cmd_export_xapi)

    p = sub.add_parser("export-gradebook", parents=[lang], help="the gradebook as a class list (CSV): every "
                       "learner, each module's grading state, score and submission time")
    p.add_argument("--cohort", help="one cohort (default: every cohort but the demo)")
    p.add_argument("--out", help="write the CSV here (for Excel: with a BOM, readable by you only)")
    p.add_argument("--semicolon", action="store_true", help="';' between columns (Swedish Excel)")
    p.set_defaults(func=cmd_export_gradebook)
