"""A learner's data under GDPR: everything stored about them, or erased everywhere."""

from __future__ import annotations

import json

from ..core.files import write_private
from ..core.ids import validate_id
from ..facilitator.gdpr import erase_learner, export_learner
from ..grading.course import GradingCourse
from .context import EXIT_BAD_INPUT, EXIT_OK, context, lang_option, say, say_error, say_line


def cmd_export(args) -> int:
    """Everything stored about one learner, as JSON (GDPR access request)."""
    settings, course, store = context(args)
    t = say(args)
    learner_id = validate_id(args.learner_id)
    try:
        data = export_learner(GradingCourse(settings, course), store, learner_id)
    except KeyError:
        say_error(t("cli.no_learner", id=learner_id))
        return EXIT_BAD_INPUT
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if args.out:
        write_private(args.out, text)
        say_line(t("cli.export.wrote", path=args.out))
    else:
        print(text)
    return EXIT_OK


def cmd_erase(args) -> int:
    """Remove one learner everywhere: store, exchange, nbgrader course root, gradebook."""
    settings, course, store = context(args)
    t = say(args)
    learner_id = validate_id(args.learner_id)
    if store.learner(learner_id) is None:
        say_error(t("cli.no_learner", id=learner_id))
        return EXIT_BAD_INPUT
    if not args.yes:
        say_error(t("cli.erase.confirm", id=learner_id))
        return EXIT_BAD_INPUT
    for kind, item in erase_learner(GradingCourse(settings, course), store, learner_id):
        say_line(t(f"cli.erase.removed_{kind}", item=item))
    say_line(t("cli.erase.done", id=learner_id))
    return EXIT_OK


def register(sub) -> None:
    lang = lang_option()
    p = sub.add_parser("export", parents=[lang], help="everything stored about one learner, as JSON (GDPR)")
    p.add_argument("learner_id")
    p.add_argument("--out")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("erase", parents=[lang], help="remove one learner's data everywhere (GDPR)")
    p.add_argument("learner_id")
    p.add_argument("--yes", action="store_true", help="confirm")
    p.set_defaults(func=cmd_erase)
