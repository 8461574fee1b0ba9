"""The `innokraft` command line, for facilitators and for `make serve`."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from .config import ConfigError, course_and_texts
from .grading import GradingCourse, nbgrader_tools_on_path
from .learner_data import erase_learner, export_learner
from .links import InvalidId, LinkSigner, load_secret, page_url, validate_id
from .progress import progress
from .roster import RosterError, link_rows, read_roster, write_links
from .settings import Settings
from .store import Store
from .submissions import reflection_states

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
    """Progress per learner and module: exercises done, and where the reflections are."""
    settings, course, store = _context(args)
    grading = GradingCourse(settings, course)
    states = reflection_states(grading, store, [lr.id for lr in store.learners(args.cohort)])
    table = Table(title=f"{course.title[course.default_language]}: progress")
    table.add_column("learner")
    table.add_column("cohort")
    for module in course.modules:
        table.add_column(f"{module.id} exercises")
        table.add_column(f"{module.id} reflections")
    rows = []
    for learner in store.learners(args.cohort):
        row = {"learner": learner.id, "cohort": learner.cohort_id}
        cells = []
        for p in progress(store, course, learner.id):
            done = {"completed": "completed", "not_started": "-"}.get(p.state, f"{p.done}/{p.total}")
            reflections = states.get((learner.id, p.module_id), "-")
            row[p.module_id] = done
            row[f"{p.module_id}_reflections"] = reflections
            cells += [done, reflections]
        rows.append(row)
        table.add_row(learner.id, learner.cohort_id, *cells)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        Console(width=140).print(table)
    return 0


def cmd_export(args) -> int:
    """Everything stored about one learner, as JSON (GDPR access request)."""
    settings, course, store = _context(args)
    try:
        data = export_learner(store, validate_id(args.learner_id))
    except KeyError:
        err.print(f"no learner {args.learner_id!r}")
        return 2
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(text)
    return 0


def cmd_erase(args) -> int:
    """Remove one learner everywhere: store, exchange, nbgrader course root, gradebook."""
    settings, course, store = _context(args)
    learner_id = validate_id(args.learner_id)
    if store.learner(learner_id) is None:
        err.print(f"no learner {learner_id!r}")
        return 2
    if not args.yes:
        err.print(f"this removes every answer, submission and grade of {learner_id}: add --yes to go ahead")
        return 2
    for item in erase_learner(GradingCourse(settings, course), store, learner_id):
        print(f"removed {item}")
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
    """Validate course_config and the module notebooks; exit 1 listing every problem."""
    from .checks import run_checks

    settings = Settings.from_env(home=args.home)
    problems = run_checks(settings.config_dir, settings.notebooks_dir)
    if problems:
        print(f"course_config has {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    course, texts = course_and_texts(settings.config_dir)
    print(f"course_config OK: {len(course.modules)} module(s), "
          f"{len(next(iter(texts.values())))} texts in each of {', '.join(course.languages)}")
    return 0


def _grading(settings, course) -> GradingCourse:
    grading = GradingCourse(settings, course)
    _course, texts = course_and_texts(settings.config_dir)
    made = grading.prepare(texts)
    if made:
        print(f"nbgrader: generated and released {', '.join(made)}")
    return grading


def _modules(course, module_id: str | None):
    if module_id is None:
        return course.modules
    for module in course.modules:
        if module_id in (module.id, module.assignment):
            return [module]
    raise ValueError(f"no module {module_id!r}: use one of {', '.join(m.id for m in course.modules)}")


def cmd_assignments(args) -> int:
    settings, course, store = _context(args)
    grading = _grading(settings, course)
    print(f"nbgrader course root: {grading.root}\nexchange: {grading.exchange}")
    return 0


def _for_each_learner(module, learners: list[str], label: str, steps) -> bool:
    """Run nbgrader API steps for each learner with a progress bar; False after a failure."""
    for learner_id in tqdm(learners, desc=f"{label} {module.id}", unit="learner", disable=not learners):
        for step in steps:
            result = step(module.assignment, learner_id)
            if not result["success"]:
                err.print(f"{learner_id}: {result.get('error') or result.get('log')}")
                return False
    return True


def cmd_collect(args) -> int:
    """Collect new submissions and autograde them (nbgrader's Python API)."""
    settings, course, store = _context(args)
    grading = _grading(settings, course)
    started = time.monotonic()
    api = grading.api()
    graded = 0
    for module in _modules(course, args.module):
        result = api.collect(module.assignment)
        if not result["success"]:
            err.print(result.get("error") or result.get("log"))
            return 1
        todo = grading.needs_autograde(module)
        if not _for_each_learner(module, todo, "autograde", [api.autograde]):
            return 1
        graded += len(todo)
    grading.lock_exchange()
    print(f"collected and autograded {graded} submission(s) in {time.monotonic() - started:.1f}s; "
          f"grade them in formgrader (`make facilitator`)")
    return 0


def cmd_feedback(args) -> int:
    """Generate and release feedback for every fully graded submission."""
    settings, course, store = _context(args)
    grading = _grading(settings, course)
    started = time.monotonic()
    api = grading.api()
    released = 0
    for module in _modules(course, args.module):
        ready = grading.graded_learners(module)
        if not _for_each_learner(module, ready, "feedback", [api.generate_feedback, api.release_feedback]):
            return 1
        released += len(ready)
    grading.lock_exchange()
    print(f"released feedback on {released} submission(s) in {time.monotonic() - started:.1f}s")
    return 0


def cmd_lab(args) -> int:
    """JupyterLab on the nbgrader course root, so formgrader opens on the course."""
    settings, course, store = _context(args)
    grading = _grading(settings, course)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ip={args.ip}",
               f"--port={args.port}", f"--ServerApp.root_dir={grading.root}",
               "--ServerApp.default_url=/formgrader"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    command += [a for a in args.jupyter_args if a != "--"]
    print(f"JupyterLab on the course: http://{args.ip}:{args.port}/lab (menu Nbgrader -> Formgrader);\n"
          f"formgrader alone: http://{args.ip}:{args.port}/formgrader. The token is printed below.", flush=True)
    env = {**os.environ, **settings.environ()}
    nbgrader_tools_on_path()
    env["PATH"] = os.environ["PATH"]
    return subprocess.call(command, cwd=grading.root, env=env)


def cmd_serve(args) -> int:
    settings, course, store = _context(args)
    from .serve import serve

    load_secret(settings)
    _grading(settings, course)
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

    p = sub.add_parser("export", help="everything stored about one learner, as JSON (GDPR)")
    p.add_argument("learner_id")
    p.add_argument("--out")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("erase", help="remove one learner's data everywhere (GDPR)")
    p.add_argument("learner_id")
    p.add_argument("--yes", action="store_true", help="confirm")
    p.set_defaults(func=cmd_erase)

    p = sub.add_parser("info", help="what is in use: home, database, nbgrader folders, URL")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("demo", help="create the demo learner and print their link")
    p.add_argument("--base-url")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("assignments", help="generate and release the nbgrader assignments")
    p.set_defaults(func=cmd_assignments)

    p = sub.add_parser("collect", help="collect and autograde new submissions")
    p.add_argument("module", nargs="?", help="a module id such as m1 (default: all)")
    p.set_defaults(func=cmd_collect)

    p = sub.add_parser("feedback", help="generate and release feedback for graded submissions")
    p.add_argument("module", nargs="?")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("lab", help="JupyterLab with formgrader on the course")
    p.add_argument("--ip", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8867)
    p.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="more options for jupyter lab, after --")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("check", help="validate course_config")
    p.set_defaults(func=cmd_check)

    from .cli_facilitator import register

    register(sub, csub)
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
