"""Running the course: `serve`, the demo learner, `check`, `info` and `db upgrade`."""

from __future__ import annotations

import json
import os
import sys

from ..core import running
from ..core import settings as declared_settings
from ..core.secret import load_secret
from ..core.tokens import page_url
from ..course.load import course_and_texts
from ..store.db import Store, head_revision
from .context import (
    DEMO_COHORT,
    DEMO_LEARNER,
    EXIT_FAILED,
    EXIT_OK,
    context,
    lang_option,
    say,
    say_line,
    settings_of,
    signer,
)
from .grading import prepared


def cmd_serve(args) -> int:
    settings, course, _store = context(args)
    from ..web.app import serve

    load_secret(settings)
    t = say(args)
    prepared(settings, course, t)
    url = declared_settings.Settings.given("url") or f"http://{args.ip}:{args.port}/"
    settings.remember_served_url(url)
    running.note(settings.home, running.COURSE, url, args.ip, args.port)
    say_line(t("cli.serve.serving", url=f"http://{args.ip}:{args.port}/"))
    sys.stdout.flush()
    try:
        serve(settings, course, ip=args.ip, port=args.port, pool_size=args.pool_size,
              fork_kernels=args.kernels == "fork", max_kernels=args.max_kernels)
    finally:
        running.forget(settings.home, running.COURSE, os.getpid())
    return EXIT_OK


def cmd_demo(args) -> int:
    """Create the demo cohort and learner (idempotent) and print the learner's link."""
    settings, course, store = context(args)
    t = say(args)
    store.upsert_learners(DEMO_COHORT, [{"learner_id": DEMO_LEARNER, "name": "Demo",
                                         "email": "", "lang": None}])
    token = signer(settings, course).issue(DEMO_LEARNER, DEMO_COHORT,
                                           store.learner(DEMO_LEARNER).link_generation)
    url = page_url(settings.url, course.start_notebook, token, course.default_language)
    say_line(t("cli.demo.link"))
    say_line(f"\n  {url}\n")
    return EXIT_OK


def cmd_check(args) -> int:
    """Validate course_config and the module notebooks; exit 1 listing every problem."""
    from ..course.checks import run_checks

    settings = settings_of(args)
    problems = run_checks(settings.config_dir, settings.notebooks_dir)
    t = say(args) if not problems else None
    if problems:
        print(f"course_config: {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_FAILED
    course, texts = course_and_texts(settings.config_dir)
    say_line(t("cli.check.ok", modules=len(course.modules), texts=len(next(iter(texts.values()))),
               languages=", ".join(course.languages)))
    return EXIT_OK


def cmd_info(args) -> int:
    """What is in use (home, database, folders, URL); with --env every variable Innokraft reads."""
    if args.env:
        rows = declared_settings.declared()
        if args.json:
            print(json.dumps([dict(zip(("group", "variable", "default", "help"), r, strict=True)) for r in rows],
                             indent=2, ensure_ascii=False))
        else:
            for group, name, default, help_text in rows:
                print(f"{group:12} {name:28} {default or '-':24} {help_text}")
        return EXIT_OK
    settings, course, store = context(args)
    info = {
        "home": str(settings.home),
        "db_url": settings.db_url,
        "nbgrader_course_root": str(settings.nbgrader_course_root),
        "exchange_root": str(settings.exchange_root),
        "url": settings.url,
        "course_id": course.id,
        "languages": course.languages,
        "schema_revision": store.revision(),
    }
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        for key, value in info.items():
            print(f"{key:22} {value}")
    return EXIT_OK


def cmd_db_upgrade(args) -> int:
    """Bring the store's schema to the newest migration (a no-op when it is there)."""
    settings = settings_of(args)
    t = say(args)
    settings.ensure_home()
    store = Store.open(settings.db_url, migrate=False)
    old = store.revision()
    if old == head_revision():
        say_line(t("cli.db.current", revision=old))
        return EXIT_OK
    store.migrate()
    say_line(t("cli.db.upgraded", old=old or "-", new=store.revision()))
    return EXIT_OK


def register(sub) -> None:
    lang = lang_option()
    p = sub.add_parser("serve", help="serve the course as Voilà apps")
    p.add_argument("--ip", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--pool-size", type=int, default=1,
                   help="preheated kernels per page (0 turns preheating off)")
    p.add_argument("--max-kernels", type=int, help="the most kernels (open pages and pooled ones) at once; "
                   "past it a leader gets a 'busy' page that retries (default: INNOKRAFT_MEMORY_BUDGET_MB "
                   "over INNOKRAFT_KERNEL_MB)")
    p.add_argument("--kernels", choices=("fork", "spawn"), default="fork",
                   help="fork: each kernel is forked from one parent that has imported the pages' modules "
                        "(fast, the default); spawn: each is a new Python process")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", parents=[lang], help="create the demo learner and print their link")
    p.add_argument("--base-url")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("check", parents=[lang], help="validate course_config and the notebooks")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("info", help="what is in use: home, database, nbgrader folders, URL")
    p.add_argument("--json", action="store_true")
    p.add_argument("--env", action="store_true", help="every environment variable Innokraft reads, "
                   "with its default and what it does")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("db", help="the store's schema")
    dsub = p.add_subparsers(dest="db_command", required=True)
    p = dsub.add_parser("upgrade", parents=[lang], help="bring the store's schema to the newest migration")
    p.set_defaults(func=cmd_db_upgrade)
