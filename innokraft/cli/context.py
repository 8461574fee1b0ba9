"""What every `innokraft` command shares: the settings and the store it opens, the facilitator's
language, the consoles it writes to and the exit codes a script can rely on."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.markup import escape

from ..core.secret import load_secret
from ..core.settings import Settings
from ..core.tokens import LinkSigner
from ..course.load import course_and_texts
from ..course.model import Course
from ..course.texts import Texts
from ..store.db import Store, head_revision

DEMO_COHORT = "demo"
DEMO_LEARNER = "demo-learner"

# Exit codes: what a script (or a facilitator) can rely on.
EXIT_OK = 0
EXIT_FAILED = 1  # some learners failed; the others were done (the messages list them)
EXIT_BAD_INPUT = 2  # wrong input; nothing was changed
EXIT_NOT_READY = 3  # nothing done: another step comes first (the message says which)

# Never wrap a message in the middle of a command or a path.
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


class NotReady(Exception):
    """Nothing done: another step comes first. The message (translated) says which."""


def settings_of(args) -> Settings:
    return Settings.from_env(home=getattr(args, "home", None), db_url=getattr(args, "db_url", None),
                             url=getattr(args, "base_url", None))


def say(args) -> Texts:
    """The facilitator's texts: --lang, else $INNOKRAFT_LANG, else course.yaml's facilitator language."""
    if getattr(args, "texts", None) is None:
        settings = settings_of(args)
        course, texts = course_and_texts(settings.config_dir)
        wanted = getattr(args, "lang", None) or settings.lang or course.facilitator_language or \
            course.default_language
        lang = wanted.lower() if wanted.lower() in course.languages else course.default_language
        args.texts = Texts(lang, texts[lang])
    return args.texts


def say_line(text: str = "") -> None:
    out.print(escape(text))


def say_error(text: str) -> None:
    err.print(escape(text))


def open_store(settings: Settings) -> Store:
    """The store at the newest schema. The embedded SQLite store is brought there by any command
    (it is this machine's own); a shared PostgreSQL store only by `innokraft db upgrade`, run
    once on purpose, never as the side effect of a read."""
    settings.ensure_home()
    store = Store.open(settings.db_url, migrate=False)
    if store.revision() != head_revision():
        if store.engine.dialect.name != "sqlite":
            raise NotReady("db_upgrade")
        store.migrate()
    return store


def context(args) -> tuple[Settings, Course, Store]:
    settings = settings_of(args)
    course, _texts = course_and_texts(settings.config_dir)
    say(args)
    return settings, course, open_store(settings)


def signer(settings: Settings, course: Course) -> LinkSigner:
    return LinkSigner(load_secret(settings), course.token_max_age_days)


def known_cohort(store: Store, t: Texts, value: str) -> str | None:
    """The cohort's id if the store has it; else None, after saying how to import one."""
    from ..core.ids import validate_id

    cohort = validate_id(value, "cohort id")
    if store.cohort_exists(cohort):
        return cohort
    say_error(t("cli.no_cohort", cohort=cohort))
    return None


def lang_option() -> argparse.ArgumentParser:
    """`--lang` after the command too (`innokraft status --lang en`), not overriding one before it."""
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", dest="lang", default=argparse.SUPPRESS,
                      help="language of the messages (and of what the command writes), sv or en")
    return lang
