"""The `innokraft` command line, for facilitators and for `make serve`."""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import grading_flow
from .config import ConfigError, course_and_texts
from .grading import GradingCourse, nbgrader_tools_on_path
from .i18n import Texts
from .learner_data import erase_learner, export_learner
from .links import InvalidId, LinkSigner, load_secret, page_url, validate_id
from .private_files import write_private
from .progress import progress
from .roster import RosterError, link_rows, read_roster, write_links
from .settings import Settings
from .store import Store

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


def _say(args) -> Texts:
    """The facilitator's texts: --lang, else $INNOKRAFT_LANG, else course.yaml's facilitator language."""
    if getattr(args, "texts", None) is None:
        settings = Settings.from_env(home=args.home)
        course, texts = course_and_texts(settings.config_dir)
        wanted = getattr(args, "message_lang", None) or os.environ.get("INNOKRAFT_LANG") or \
            course.facilitator_language or course.default_language
        lang = wanted.lower() if wanted.lower() in course.languages else course.default_language
        args.texts = Texts(lang, texts[lang])
    return args.texts


def _print(text: str = "") -> None:
    out.print(escape(text))


def _error(text: str) -> None:
    err.print(escape(text))


def _context(args):
    settings = Settings.from_env(home=args.home, db_url=args.db_url, url=getattr(args, "base_url", None))
    course, _texts = course_and_texts(settings.config_dir)
    _say(args)
    settings.ensure_home()
    store = Store.open(settings.db_url)
    return settings, course, store


def _signer(settings, course) -> LinkSigner:
    return LinkSigner(load_secret(settings), course.token_max_age_days)


def _roster_problem(t: Texts, problem) -> str:
    message = t(f"cli.roster.{problem.key}", **problem.values)
    return t("cli.roster.line", line=problem.line, message=message) if problem.line else message


def cmd_cohort_import(args) -> int:
    """Add or update a cohort's learners from a CSV; --dry-run shows what would change."""
    settings, course, store = _context(args)
    t = _say(args)
    cohort = validate_id(args.cohort, "cohort id")
    path = Path(args.file)
    try:
        roster = read_roster(path, course)
    except RosterError as exc:
        for problem in exc.problems:
            _error(_roster_problem(t, problem))
        _error(t("cli.roster.problems", path=path, count=len(exc.problems)))
        return EXIT_BAD_INPUT
    _print(t("cli.roster.read", path=path, encoding=roster.encoding, delimiter=roster.delimiter,
             count=len(roster.rows)))
    for line, learner_id, source in roster.suggested:
        _print(t("cli.roster.suggested", line=line, id=learner_id, source=source))
    plan = store.plan_learners(cohort, roster.rows)
    if plan.conflicts:
        for learner_id, other in plan.conflicts:
            _error(t("cli.roster.other_cohort", id=learner_id, cohort=other))
        _error(t("cli.roster.problems", path=path, count=len(plan.conflicts)))
        return EXIT_BAD_INPUT
    for row in plan.added:
        _print(t("cli.roster.added", id=row["learner_id"], name=row["name"], email=row["email"],
                 lang=row["lang"] or "-"))
    for learner_id, changes in plan.changed:
        _print(t("cli.roster.changed", id=learner_id,
                 changes=", ".join(f"{k}: {old or '-'} → {new or '-'}" for k, (old, new) in changes.items())))
    counts = {"cohort": cohort, "added": len(plan.added), "updated": len(plan.changed),
              "unchanged": len(plan.unchanged)}
    if args.dry_run:
        _print(t("cli.roster.plan", **counts))
        _print(t("cli.roster.dry_run"))
        return EXIT_OK
    store.upsert_learners(cohort, roster.rows)
    _print(t("cli.roster.done", **counts))
    return EXIT_OK


def _link_base(args, settings) -> tuple[str | None, bool]:
    """Where the links point: --base-url, $INNOKRAFT_URL, else the running course server."""
    explicit = args.base_url or os.environ.get("INNOKRAFT_URL")
    if explicit:
        return explicit, False
    served = settings.served_url()
    return served, served is not None


def _known_cohort(store: Store, t: Texts, value: str) -> str | None:
    """The cohort's id if the store has it; else None, after saying how to import one."""
    cohort = validate_id(value, "cohort id")
    if store.cohort_exists(cohort):
        return cohort
    _error(t("cli.no_cohort", cohort=cohort))
    return None


def cmd_links(args) -> int:
    settings, course, store = _context(args)
    t = _say(args)
    cohort = _known_cohort(store, t, args.cohort)
    if cohort is None:
        return EXIT_BAD_INPUT
    base, from_server = _link_base(args, settings)
    if base is None:
        _error(t("cli.links.no_url"))
        return EXIT_BAD_INPUT
    if from_server:
        _error(t("cli.links.url_from_server", url=base))
    rows = link_rows(store.learners(cohort), _signer(settings, course), base, course)
    if args.out:
        # For Excel: a BOM so it reads UTF-8 (å, ä, ö); `--semicolon` for Swedish Excel's lists.
        text = io.StringIO()
        write_links(rows, text, delimiter=";" if args.semicolon else ",")
        write_private(args.out, "\ufeff" + text.getvalue())
        _print(t("cli.links.wrote", count=len(rows), path=args.out))
    else:
        write_links(rows, sys.stdout, delimiter=";" if args.semicolon else ",")
    return EXIT_OK


def cmd_extend(args) -> int:
    """Keep a cohort's links working until a date, whatever their age (no new links needed)."""
    settings, course, store = _context(args)
    t = _say(args)
    cohort = _known_cohort(store, t, args.cohort)
    if cohort is None:
        return EXIT_BAD_INPUT
    try:
        day = date.fromisoformat(args.until)
    except ValueError:
        _error(t("cli.extend.bad_date", value=args.until))
        return EXIT_BAD_INPUT
    if day <= date.today():
        _error(t("cli.extend.past", value=day.isoformat()))
        return EXIT_BAD_INPUT
    # The whole of that day, in the course's time zone.
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=ZoneInfo(course.timezone))
    store.extend_cohort_links(cohort, end.astimezone(timezone.utc))
    _print(t("cli.extend.done", cohort=cohort, count=len(store.learners(cohort)), until=day.isoformat()))
    return EXIT_OK


def cmd_revoke(args) -> int:
    settings, course, store = _context(args)
    t = _say(args)
    if args.cohort:
        cohort = _known_cohort(store, t, args.cohort)
        if cohort is None:
            return EXIT_BAD_INPUT
        revoked = store.revoke_cohort(cohort)
        _print(t("cli.revoke.cohort", cohort=cohort, count=len(revoked)))
        return EXIT_OK
    if not args.learner_id:
        _error(t("cli.revoke.whom"))
        return EXIT_BAD_INPUT
    learner_id = validate_id(args.learner_id)
    if store.learner(learner_id) is None:
        _error(t("cli.no_learner", id=learner_id))
        return EXIT_BAD_INPUT
    store.revoke(learner_id)
    _print(t("cli.revoke.learner", id=learner_id))
    return EXIT_OK


def _state_label(t: Texts, state) -> str:
    if state is None:
        return "-"
    if state.kind == grading_flow.PARTLY_GRADED:
        return t("cli.status.partly_graded", graded=state.total - len(state.ungraded), total=state.total)
    if state.kind == grading_flow.RELEASED:
        return t("cli.status.released", score=state.score, max_score=state.max_score)
    return t(f"cli.status.{state.kind}")


def cmd_status(args) -> int:
    """Progress per learner and module, and what waits for the facilitator (marked ●)."""
    settings, course, store = _context(args)
    t = _say(args)
    if args.cohort is not None and _known_cohort(store, t, args.cohort) is None:
        return EXIT_BAD_INPUT
    learners = [lr for lr in store.learners(args.cohort)
                if args.cohort is not None or lr.cohort_id != DEMO_COHORT]
    grading = GradingCourse(settings, course)
    states = grading_flow.states(grading, store, [lr.id for lr in learners])
    table = Table(title=t("cli.status.title", course=course.title[t.lang]))
    for key in ("learner", "name", "cohort"):
        table.add_column(t(f"cli.status.{key}"))
    for module in course.modules:
        table.add_column(t("cli.status.exercises", module=module.id))
        table.add_column(t("cli.status.reflections", module=module.id))
    rows, waiting = [], {grading_flow.TO_COLLECT: 0, "grade": 0, grading_flow.TO_RELEASE: 0}
    for learner in learners:
        revoked = learner.link_generation > 0  # links withdrawn at least once
        row = {"learner": learner.id, "name": learner.name, "email": learner.email,
               "cohort": learner.cohort_id, "revoked": revoked}
        cells = []
        for p in progress(store, course, learner.id):
            done = {"completed": t("cli.status.completed"), "not_started": "-"}.get(p.state, f"{p.done}/{p.total}")
            state = states.get((learner.id, p.module_id))
            row[p.module_id] = {"completed": "completed", "not_started": "-"}.get(p.state, f"{p.done}/{p.total}")
            row[f"{p.module_id}_reflections"] = state.kind if state else "-"
            if state is not None and state.score is not None:
                row[f"{p.module_id}_score"] = [state.score, state.max_score]
            if state is not None and state.waits_for_facilitator:
                key = "grade" if state.kind in (grading_flow.TO_GRADE, grading_flow.PARTLY_GRADED) else state.kind
                waiting[key] += 1
            cells += [done, _state_label(t, state)]
        rows.append(row)
        name = learner.name + (f" {t('cli.status.revoked')}" if revoked else "")
        table.add_row(escape(learner.id), escape(name), escape(learner.cohort_id), *map(escape, cells))
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    # Piped or captured (not a terminal), print the whole table rather than wrap it at 80 columns.
    Console(width=Console().width if sys.stdout.isatty() else 400).print(table)
    _print(t("cli.status.waits"))
    for key, text in ((grading_flow.TO_COLLECT, "next_collect"), ("grade", "next_grade"),
                      (grading_flow.TO_RELEASE, "next_release")):
        if waiting[key]:
            _print(t(f"cli.status.{text}", count=waiting[key]))
    if not any(waiting.values()):
        _print(t("cli.status.nothing_waits"))
    return EXIT_OK


def cmd_export(args) -> int:
    """Everything stored about one learner, as JSON (GDPR access request)."""
    settings, course, store = _context(args)
    t = _say(args)
    learner_id = validate_id(args.learner_id)
    try:
        data = export_learner(GradingCourse(settings, course), store, learner_id)
    except KeyError:
        _error(t("cli.no_learner", id=learner_id))
        return EXIT_BAD_INPUT
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if args.out:
        write_private(args.out, text)
        _print(t("cli.export.wrote", path=args.out))
    else:
        print(text)
    return EXIT_OK


def cmd_erase(args) -> int:
    """Remove one learner everywhere: store, exchange, nbgrader course root, gradebook."""
    settings, course, store = _context(args)
    t = _say(args)
    learner_id = validate_id(args.learner_id)
    if store.learner(learner_id) is None:
        _error(t("cli.no_learner", id=learner_id))
        return EXIT_BAD_INPUT
    if not args.yes:
        _error(t("cli.erase.confirm", id=learner_id))
        return EXIT_BAD_INPUT
    for item in erase_learner(GradingCourse(settings, course), store, learner_id):
        _print(t("cli.erase.removed", item=item))
    _print(t("cli.erase.done", id=learner_id))
    return EXIT_OK


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
    token = _signer(settings, course).issue(DEMO_LEARNER, DEMO_COHORT,
                                            store.learner(DEMO_LEARNER).link_generation)
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


class UnknownModule(ValueError):
    pass


def _modules(course, module_id: str | None):
    if module_id is None:
        return course.modules
    for module in course.modules:
        if module_id.lower() in (module.id, module.assignment):
            return [module]
    raise UnknownModule(module_id)


def cmd_assignments(args) -> int:
    settings, course, store = _context(args)
    grading = _grading(settings, course)
    print(f"nbgrader course root: {grading.root}\nexchange: {grading.exchange}")
    return 0


def _report_failures(t: Texts, failed: list[tuple[str, str]]) -> None:
    for learner_id, error in failed:
        _error(t("cli.failed_learner", learner=learner_id, error=(error or "").strip().splitlines()[-1:] or ""))


def cmd_collect(args) -> int:
    """Collect new submissions and autograde them; a failing learner does not stop the rest."""
    settings, course, store = _context(args)
    t = _say(args)
    modules = _modules(course, args.module)
    grading = _grading(settings, course)
    api = grading.api()
    failed, to_grade = [], 0
    for module in modules:
        report = grading_flow.collect(grading, store, module, api)
        failed += report.failed
        if report.done:
            _print(t("cli.collect.collected", module=module.id, count=len(report.done),
                     learners=", ".join(report.done)))
        elif not any(store.latest_submission(lr.id, module.id) for lr in store.learners()):
            _print(t("cli.collect.nobody_submitted", module=module.id))
        else:
            _print(t("cli.collect.nothing_new", module=module.id))
        learners = [lr.id for lr in store.learners()]
        waiting = [s for s in grading_flow.states(grading, store, learners).values()
                   if s.kind in (grading_flow.TO_GRADE, grading_flow.PARTLY_GRADED)]
        if waiting:
            _print(t("cli.collect.next", count=len(waiting), module=module.id))
        to_grade += len(waiting)
    grading.lock_exchange()
    _report_failures(t, failed)
    if failed:
        _error(t("cli.failed_summary", count=len(failed)))
        return EXIT_FAILED
    return EXIT_OK


def cmd_feedback(args) -> int:
    """Release feedback on every fully graded submission that changed since the last release,
    copy it into the course store for the learner's pages, and say who was skipped and why."""
    settings, course, store = _context(args)
    t = _say(args)
    modules = _modules(course, args.module)
    grading = _grading(settings, course)
    api = grading.api()
    learners = [lr.id for lr in store.learners()]
    failed, not_ready, released = [], False, False
    for module in modules:
        report = grading_flow.release_feedback(grading, store, module, api, learners)
        released = released or bool(report.done or report.unchanged)
        failed += report.failed
        if report.done:
            _print(t("cli.feedback.released", module=module.id, count=len(report.done),
                     learners=", ".join(report.done)))
        if report.unchanged:
            _print(t("cli.feedback.unchanged", module=module.id, count=len(report.unchanged)))
        if report.skipped:
            _print(t("cli.feedback.skipped", module=module.id, count=len(report.skipped)))
            for learner_id, state in report.skipped:
                if state.kind == grading_flow.TO_COLLECT:
                    _print(t("cli.feedback.skipped_to_collect", learner=learner_id, module=module.id))
                else:
                    numbers = [str(i) for i, r in enumerate(module.reflections, start=1) if r.id in state.ungraded]
                    _print(t("cli.feedback.skipped_ungraded", learner=learner_id,
                             questions=", ".join(t("cli.feedback.question", number=n) for n in numbers),
                             graded=state.total - len(state.ungraded), total=state.total))
        if report.done or report.unchanged or report.failed:
            continue
        not_ready = True
        kinds = {state.kind for _, state in report.skipped}
        if not report.skipped:
            _print(t("cli.feedback.nobody_submitted", module=module.id))
        elif grading_flow.TO_COLLECT in kinds:
            _print(t("cli.feedback.collect_first", module=module.id))
        else:
            _print(t("cli.feedback.grade_first", module=module.id))
    grading.lock_exchange()
    _report_failures(t, failed)
    if failed:
        _error(t("cli.failed_summary", count=len(failed)))
        return EXIT_FAILED
    # Exit 3 says nothing was done; modules nobody has reached yet do not make a release "not ready".
    return EXIT_NOT_READY if not_ready and not released else EXIT_OK


def _lab_command(settings, grading, ip: str, port: int, token: str, extra: list[str]) -> list[str]:
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ip={ip}", f"--port={port}",
               "--ServerApp.port_retries=0", f"--ServerApp.root_dir={grading.root}",
               "--ServerApp.default_url=/formgrader", f"--IdentityProvider.token={token}",
               # Formgrader shows learners' names, not "Submission #1" (innokraft/formgrader_names.py).
               "--ServerApp.jpserver_extensions=innokraft.formgrader_names=True"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    # The token given after `--` is the one above (_token): Jupyter refuses it twice.
    return command + [a for a in extra if a != "--" and not a.startswith("--IdentityProvider.token=")]


def _lab_env(settings) -> dict:
    nbgrader_tools_on_path()
    return {**os.environ, **settings.environ(), "PATH": os.environ["PATH"]}


def _token(extra: list[str]) -> str:
    given = [a.split("=", 1)[1] for a in extra if a.startswith("--IdentityProvider.token=")]
    return given[-1] if given else secrets.token_urlsafe(24)


def cmd_lab(args) -> int:
    """JupyterLab on the nbgrader course root, so formgrader opens on the course."""
    settings, course, store = _context(args)
    t = _say(args)
    grading = _grading(settings, course)
    token = _token(args.jupyter_args)
    base = f"http://{args.ip}:{args.port}"
    _print(t("cli.session.formgrader", url=f"{base}/formgrader?token={token}"))
    _print(t("cli.session.lab", url=f"{base}/lab?token={token}"))
    sys.stdout.flush()
    command = _lab_command(settings, grading, args.ip, args.port, token, args.jupyter_args)
    # This process becomes JupyterLab: a stop signal sent to `innokraft lab` reaches it, and
    # nothing is left running behind a stopped command.
    os.chdir(grading.root)
    os.execvpe(command[0], command, _lab_env(settings))


def _port_free(ip: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((ip, port))
        except OSError:
            return False
    return True


def _wait_for(ip: str, port: int, proc: subprocess.Popen, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection((ip, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20  # one bound for all: Ctrl-C never waits for each in turn
    for proc in procs:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def cmd_session(args) -> int:
    """A facilitator's session: the course and JupyterLab/formgrader together, in one terminal."""
    settings, course, store = _context(args)
    t = _say(args)
    for port, option in ((args.port, "--port"), (args.lab_port, "--lab-port")):
        if not _port_free(args.ip, port):
            _error(t("cli.session.port_busy", port=port, option=option))
            return EXIT_BAD_INPUT
    grading = _grading(settings, course)  # once, before two processes would race for it
    course_url = args.base_url or f"http://{args.ip}:{args.port}/"
    token = _token(args.jupyter_args)
    logs = settings.home / "logs"
    logs.mkdir(exist_ok=True, mode=0o700)
    env = {**_lab_env(settings), "INNOKRAFT_URL": course_url}
    serve = [sys.executable, "-m", "innokraft.cli", "serve", "--ip", args.ip, "--port", str(args.port),
             "--pool-size", str(args.pool_size)]
    lab = _lab_command(settings, grading, args.ip, args.lab_port, token, args.jupyter_args)
    procs = []
    try:
        for command, name, cwd in ((serve, "course", None), (lab, "formgrader", grading.root)):
            log = write_private(logs / f"{name}.log", "")
            procs.append(subprocess.Popen(command, cwd=cwd, env=env, stdout=log.open("a"),
                                          stderr=subprocess.STDOUT, start_new_session=True))
        for proc, port, name in ((procs[0], args.port, "course"), (procs[1], args.lab_port, "formgrader")):
            if not _wait_for(args.ip, port, proc, 180):
                _error((logs / f"{name}.log").read_text()[-3000:])
                return EXIT_FAILED
        store.upsert_learners(DEMO_COHORT, [{"learner_id": DEMO_LEARNER, "name": "Demo", "email": "",
                                             "lang": None}])
        demo = page_url(course_url, course.start_notebook, _signer(settings, course).issue(
            DEMO_LEARNER, DEMO_COHORT, store.learner(DEMO_LEARNER).link_generation), course.default_language)
        lab_base = f"http://{args.ip}:{args.lab_port}"
        _print(t("cli.session.started"))
        _print(t("cli.session.course", url=course_url))
        _print(t("cli.session.demo", url=demo))
        _print(t("cli.session.formgrader", url=f"{lab_base}/formgrader?token={token}"))
        _print(t("cli.session.lab", url=f"{lab_base}/lab?token={token}"))
        _print(t("cli.session.links_hint"))
        sys.stdout.flush()
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        _stop(procs)
        _print(t("cli.session.stopped"))


def cmd_serve(args) -> int:
    settings, course, store = _context(args)
    from .serve import serve

    load_secret(settings)
    _grading(settings, course)
    url = os.environ.get("INNOKRAFT_URL") or f"http://{args.ip}:{args.port}/"
    settings.remember_served_url(url)
    print(f"Serving the course on http://{args.ip}:{args.port}/ (Ctrl-C stops)", flush=True)
    serve(settings, course, ip=args.ip, port=args.port, pool_size=args.pool_size)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="innokraft", description=__doc__, epilog=EPILOG)
    parser.add_argument("--home", help="runtime folder (default: $INNOKRAFT_HOME or ./.innokraft)")
    parser.add_argument("--db-url", help="SQLAlchemy URL (default: $INNOKRAFT_DB_URL or SQLite in home)")
    parser.add_argument("--lang", dest="message_lang", help="language of the messages, sv or en "
                        "(default: $INNOKRAFT_LANG or facilitator_language in course.yaml)")
    # The same option after the command (`innokraft status --lang en`), not overriding one before it.
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", dest="message_lang", default=argparse.SUPPRESS,
                      help="language of the messages, sv or en")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="serve the course as Voilà apps")
    p.add_argument("--ip", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--pool-size", type=int, default=1,
                   help="preheated kernels per page (0 turns preheating off)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("cohort", help="manage cohorts")
    csub = p.add_subparsers(dest="cohort_command", required=True)
    p = csub.add_parser("import", parents=[lang], help="add or update learners from a CSV (learner_id,name,email,lang; "
                        "',' or ';'; UTF-8 or Windows-1252; ids made from names when left out)")
    p.add_argument("file")
    p.add_argument("--cohort", required=True)
    p.add_argument("--dry-run", action="store_true", help="show what would change, save nothing")
    p.set_defaults(func=cmd_cohort_import)

    p = sub.add_parser("links", parents=[lang], help="personal links for a cohort, as CSV")
    p.add_argument("--cohort", required=True)
    p.add_argument("--base-url", help="where learners reach the course "
                   "(default: $INNOKRAFT_URL, else the running `innokraft serve`/`session`)")
    p.add_argument("--out", help="write the CSV here (for Excel: with a BOM, readable by you only)")
    p.add_argument("--semicolon", action="store_true", help="';' between columns (Swedish Excel)")
    p.set_defaults(func=cmd_links)

    p = sub.add_parser("extend", parents=[lang], help="keep a cohort's links working until a date")
    p.add_argument("--cohort", required=True)
    p.add_argument("--until", required=True, help="the last day the links work, YYYY-MM-DD")
    p.set_defaults(func=cmd_extend)

    p = sub.add_parser("revoke", parents=[lang], help="refuse every link issued to a learner (or a cohort) so far")
    p.add_argument("learner_id", nargs="?")
    p.add_argument("--cohort", help="every learner of this cohort")
    p.set_defaults(func=cmd_revoke)

    p = sub.add_parser("status", parents=[lang], help="progress per learner and module")
    p.add_argument("--cohort")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("export", parents=[lang], help="everything stored about one learner, as JSON (GDPR)")
    p.add_argument("learner_id")
    p.add_argument("--out")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("erase", parents=[lang], help="remove one learner's data everywhere (GDPR)")
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

    p = sub.add_parser("collect", parents=[lang], help="collect and autograde new submissions")
    p.add_argument("module", nargs="?", help="a module id such as m1 (default: all)")
    p.set_defaults(func=cmd_collect)

    p = sub.add_parser("feedback", parents=[lang], help="generate and release feedback for graded submissions")
    p.add_argument("module", nargs="?")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("lab", parents=[lang], help="JupyterLab with formgrader on the course")
    p.add_argument("--ip", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8867)
    p.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="more options for jupyter lab, after --")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("session", parents=[lang], help="a facilitator's session: the course and formgrader together")
    p.add_argument("--ip", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8866, help="the course's port")
    p.add_argument("--lab-port", type=int, default=8867, help="JupyterLab/formgrader's port")
    p.add_argument("--base-url", help="where learners reach the course, if not http://IP:PORT/")
    p.add_argument("--pool-size", type=int, default=1, help="preheated kernels per page")
    p.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="more options for jupyter lab, after --")
    p.set_defaults(func=cmd_session)

    p = sub.add_parser("check", help="validate course_config")
    p.set_defaults(func=cmd_check)

    from .cli_facilitator import register

    register(sub, csub)
    return parser


EPILOG = ("exit codes: 0 done; 1 some learners failed, the rest were done; "
          "2 wrong input, nothing changed; 3 nothing done, another step comes first")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        _error(f"error: {exc}")
        return EXIT_BAD_INPUT
    except UnknownModule as exc:
        t = _say(args)
        _error(t("cli.error", message=t("cli.no_module", module=exc.args[0],
                                        modules=", ".join(m.id for m in course_and_texts(
                                            Settings.from_env(home=args.home).config_dir)[0].modules))))
        return EXIT_BAD_INPUT
    except (InvalidId, PermissionError, ValueError) as exc:
        t = _say(args)
        _error(t("cli.error", message=str(exc)))
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
