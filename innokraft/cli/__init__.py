"""The `innokraft` command line, for facilitators and for `make serve`: one module per group of
verbs (cohort: links and roster; grading; gdpr; exports; report: the evaluation report; certificates:
certificate, certificates, verify; session: the facilitator's terminal; run: serve, demo, check, info,
db), each registering its own commands."""

from __future__ import annotations

import argparse
import errno

from ..core.files import NotWritten
from ..core.ids import InvalidId
from ..course.yaml_io import ConfigError
from . import certificates, cohort, exports, gdpr, grading, report, run, session
from .context import EXIT_BAD_INPUT, EXIT_NOT_READY, NotReady, say, say_error, settings_of

EPILOG = ("exit codes: 0 done; 1 some learners failed, the rest were done; "
          "2 wrong input, nothing changed; 3 nothing done, another step comes first")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="innokraft", description=__doc__.split("\n")[0], epilog=EPILOG)
    parser.add_argument("--home", help="runtime folder (default: $INNOKRAFT_HOME or ./.innokraft)")
    parser.add_argument("--db-url", help="SQLAlchemy URL (default: $INNOKRAFT_DB_URL or SQLite in home)")
    parser.add_argument("--lang", dest="lang", help="language of the messages, sv or en "
                        "(default: $INNOKRAFT_LANG or facilitator_language in course.yaml)")
    sub = parser.add_subparsers(dest="command", required=True)
    cohort_parser = sub.add_parser("cohort", help="manage cohorts")
    cohort_sub = cohort_parser.add_subparsers(dest="cohort_command", required=True)
    run.register(sub)
    cohort.register(sub, cohort_sub)
    grading.register(sub)
    gdpr.register(sub)
    exports.register(sub)
    report.register(sub)
    certificates.register(sub)
    session.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        say_error(f"error: {exc}")
        return EXIT_BAD_INPUT
    except NotReady as exc:
        t = say(args)
        say_error(t(f"cli.{exc.args[0]}"))
        return EXIT_NOT_READY
    except grading.UnknownModule as exc:
        t = say(args)
        from ..course.load import course_and_texts

        modules = ", ".join(m.id for m in course_and_texts(settings_of(args).config_dir)[0].modules)
        say_error(t("cli.error", message=t("cli.no_module", module=exc.args[0], modules=modules)))
        return EXIT_BAD_INPUT
    except NotWritten as exc:
        t = say(args)
        reason = f"cli.not_written.{errno.errorcode.get(exc.errno, '-')}"  # the usual reasons in words
        say_error(t("cli.not_written.message", path=exc.path, reason=t(reason) if t.has(reason) else exc.reason))
        return EXIT_BAD_INPUT
    except InvalidId as exc:
        t = say(args)
        say_error(t("cli.error", message=t(f"cli.bad_id.{exc.what}", value=exc.value)))
        return EXIT_BAD_INPUT
    except (PermissionError, ValueError) as exc:
        t = say(args)
        say_error(t("cli.error", message=str(exc)))
        return EXIT_BAD_INPUT
