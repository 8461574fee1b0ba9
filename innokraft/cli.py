"""The `innokraft` command line, for facilitators and for `make serve`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .config import ConfigError, course_and_texts
from .links import InvalidId, LinkSigner, load_secret, page_url, validate_id
from .progress import progress
from .roster import RosterError, link_rows, read_roster, write_links
from .settings import Settings
from .store import Store

DEMO_COHORT = "demo"
DEMO_LEARNER = "demo-learner"

err = Console(stderr=True)


def _context(args):
    settings = Settings.from_env(home=args.home, db_url=args.db_url, url=getattr(args, "base_url", None))
    course, _texts = course_and_texts(settings.config_dir)
    settings.ensure_home()
    store = Store.open(settings.db_url)
    return settings, course, store


def _signer(settings, course) -> LinkSigner:
    return LinkSigner(load_secret(settings), course.token_max_age_days)


def cmd_cohort_import(args) -> int:
    settings, course, store = _context(args)
    cohort = validate_id(args.cohort, "cohort id")
    rows = read_roster(Path(args.file), course)
    added, updated = store.upsert_learners(cohort, rows)
    print(f"cohort {cohort}: {added} learner(s) added, {updated} updated")
    return 0


def cmd_links(args) -> int:
    settings, course, store = _context(args)
    cohort = validate_id(args.cohort, "cohort id")
    if not store.cohort_exists(cohort):
        err.print(f"no cohort {cohort!r}: import one with `innokraft cohort import FILE.csv --cohort {cohort}`")
        return 2
    rows = link_rows(store.learners(cohort), _signer(settings, course), settings.url, course)
    if args.out:
        with open(args.out, "w", newline="", encoding="utf-8") as fh:
            write_links(rows, fh)
        print(f"wrote {len(rows)} link(s) to {args.out}")
    else:
        write_links(rows, sys.stdout)
    return 0


def cmd_revoke(args) -> int:
    settings, course, store = _context(args)
    learner_id = validate_id(args.learner_id)
    if store.learner(learner_id) is None:
        err.print(f"no learner {learner_id!r}")
        return 2
    store.revoke(learner_id)
    print(f"revoked every link issued to {learner_id} so far; `innokraft links` issues new ones")
    return 0


def cmd_status(args) -> int:
    settings, course, store = _context(args)
    table = Table(title=f"{course.title[course.default_language]}: progress")
    table.add_column("learner")
    table.add_column("cohort")
    for module in course.modules:
        table.add_column(module.id)
    rows = []
    for learner in store.learners(args.cohort):
        cells = []
        for p in progress(store, course, learner.id):
            cells.append({"completed": "completed", "not_started": "-"}.get(
                p.state, f"{p.done}/{p.total}"))
        rows.append({"learner": learner.id, "cohort": learner.cohort_id,
                     **dict(zip([m.id for m in course.modules], cells, strict=True))})
        table.add_row(learner.id, learner.cohort_id, *cells)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        Console(width=120).print(table)
    return 0


def cmd_info(args) -> int:
    settings, course, store = _context(args)
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
    return 0


def cmd_demo(args) -> int:
    """Create the demo cohort and learner (idempotent) and print the learner's link."""
    settings, course, store = _context(args)
    store.upsert_learners(DEMO_COHORT, [{"learner_id": DEMO_LEARNER, "name": "Demo",
                                         "email": "", "lang": None}])
    token = _signer(settings, course).issue(DEMO_LEARNER, DEMO_COHORT)
    url = page_url(settings.url, course.start_notebook, token, course.default_language)
    print(f"Demo learner's personal link:\n\n  {url}\n")
    return 0


def cmd_check(args) -> int:
    settings = Settings.from_env(home=args.home)
    course, texts = course_and_texts(settings.config_dir)
    print(f"course_config OK: {len(course.modules)} module(s), "
          f"{len(next(iter(texts.values())))} texts in each of {', '.join(course.languages)}")
    return 0


def cmd_serve(args) -> int:
    settings, course, store = _context(args)
    from .serve import serve

    load_secret(settings)
    print(f"Serving the course on http://{args.ip}:{args.port}/ (Ctrl-C stops)", flush=True)
    serve(settings, course, ip=args.ip, port=args.port, pool_size=args.pool_size)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="innokraft", description=__doc__)
    parser.add_argument("--home", help="runtime folder (default: $INNOKRAFT_HOME or ./.innokraft)")
    parser.add_argument("--db-url", help="SQLAlchemy URL (default: $INNOKRAFT_DB_URL or SQLite in home)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="serve the course as Voilà apps")
    p.add_argument("--ip", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--pool-size", type=int, default=1,
                   help="preheated kernels per page (0 turns preheating off)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("cohort", help="manage cohorts")
    csub = p.add_subparsers(dest="cohort_command", required=True)
    p = csub.add_parser("import", help="add or update learners from a CSV (learner_id,name,email,lang)")
    p.add_argument("file")
    p.add_argument("--cohort", required=True)
    p.set_defaults(func=cmd_cohort_import)

    p = sub.add_parser("links", help="personal links for a cohort, as CSV")
    p.add_argument("--cohort", required=True)
    p.add_argument("--base-url", help="where learners reach the course (default: $INNOKRAFT_URL)")
    p.add_argument("--out", help="write the CSV here instead of standard output")
    p.set_defaults(func=cmd_links)

    p = sub.add_parser("revoke", help="refuse every link issued to a learner so far")
    p.add_argument("learner_id")
    p.set_defaults(func=cmd_revoke)

    p = sub.add_parser("status", help="progress per learner and module")
    p.add_argument("--cohort")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("info", help="what is in use: home, database, nbgrader folders, URL")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("demo", help="create the demo learner and print their link")
    p.add_argument("--base-url")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("check", help="validate course_config")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, RosterError, InvalidId, PermissionError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        return 2


if __name__ == "__main__":
    sys.exit(main())
