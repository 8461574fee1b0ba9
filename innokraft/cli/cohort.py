"""Cohorts and their links: import a roster, issue, extend and revoke links, print a link sheet,
and the facilitator's own dashboard link."""

from __future__ import annotations

import io
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ..core import running
from ..core.files import write_private
from ..core.ids import validate_id
from ..core.secret import load_secret
from ..core.settings import Settings
from ..core.tokens import FacilitatorSigner, dashboard_url
from ..course.load import course_and_texts
from ..course.texts import Texts
from ..facilitator.roster import RosterError, link_rows, read_roster, write_links
from .context import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    context,
    known_cohort,
    lang_option,
    say,
    say_error,
    say_line,
    signer,
)


def _roster_problem(t: Texts, problem) -> str:
    message = t(f"cli.roster.{problem.key}", **problem.values)
    return t("cli.roster.line", line=problem.line, message=message) if problem.line else message


def cmd_cohort_import(args) -> int:
    """Add or update a cohort's learners from a CSV; --dry-run shows what would change."""
    settings, course, store = context(args)
    t = say(args)
    cohort = validate_id(args.cohort, "cohort id")
    path = Path(args.file)
    try:
        roster = read_roster(path, course)
    except RosterError as exc:
        for problem in exc.problems:
            say_error(_roster_problem(t, problem))
        say_error(t("cli.roster.problems", path=path, count=len(exc.problems)))
        return EXIT_BAD_INPUT
    say_line(t("cli.roster.read", path=path, encoding=roster.encoding, delimiter=roster.delimiter,
             count=len(roster.rows)))
    for line, learner_id, source in roster.suggested:
        say_line(t("cli.roster.suggested", line=line, id=learner_id, source=source))
    plan = store.plan_learners(cohort, roster.rows)
    if plan.conflicts:
        for learner_id, other in plan.conflicts:
            say_error(t("cli.roster.other_cohort", id=learner_id, cohort=other))
        say_error(t("cli.roster.problems", path=path, count=len(plan.conflicts)))
        return EXIT_BAD_INPUT
    for row in plan.added:
        say_line(t("cli.roster.added", id=row["learner_id"], name=row["name"], email=row["email"],
                 lang=row["lang"] or "-"))
    for learner_id, changes in plan.changed:
        say_line(t("cli.roster.changed", id=learner_id,
                 changes=", ".join(f"{k}: {old or '-'} → {new or '-'}" for k, (old, new) in changes.items())))
    counts = {"cohort": cohort, "added": len(plan.added), "updated": len(plan.changed),
              "unchanged": len(plan.unchanged)}
    if args.dry_run:
        say_line(t("cli.roster.plan", **counts))
        say_line(t("cli.roster.dry_run"))
        return EXIT_OK
    store.upsert_learners(cohort, roster.rows)
    say_line(t("cli.roster.done", **counts))
    return EXIT_OK


def _link_base(args, settings) -> tuple[str | None, bool]:
    """Where the links point: --base-url, $INNOKRAFT_URL, else the course server that runs now
    (a server that has stopped names nothing, whatever it noted)."""
    explicit = args.base_url or Settings.given("url")
    if explicit:
        return explicit, False
    served = running.running(settings.home, running.COURSE)
    return (served.url, True) if served else (None, False)


def warn_loopback(t: Texts, url: str) -> None:
    if running.is_loopback(url):
        say_error(t("cli.links.loopback", url=url))


def cmd_links(args) -> int:
    settings, course, store = context(args)
    t = say(args)
    cohort = known_cohort(store, t, args.cohort)
    if cohort is None:
        return EXIT_BAD_INPUT
    base, from_server = _link_base(args, settings)
    if base is None:
        stale = running.recorded(settings.home, running.COURSE)
        say_error(t("cli.links.stopped", url=stale.url) if stale else t("cli.links.no_url"))
        return EXIT_BAD_INPUT
    if from_server:
        say_error(t("cli.links.url_from_server", url=base))
    warn_loopback(t, base)
    rows = link_rows(store.learners(cohort), signer(settings, course), base, course)
    if args.out:
        # For Excel: a BOM so it reads UTF-8 (å, ä, ö); `--semicolon` for Swedish Excel's lists.
        text = io.StringIO()
        write_links(rows, text, delimiter=";" if args.semicolon else ",")
        write_private(args.out, "\ufeff" + text.getvalue())
        say_line(t("cli.links.wrote", count=len(rows), path=args.out))
    else:
        write_links(rows, sys.stdout, delimiter=";" if args.semicolon else ",")
    return EXIT_OK


def cmd_extend(args) -> int:
    """Keep a cohort's links working until a date, whatever their age (no new links needed)."""
    settings, course, store = context(args)
    t = say(args)
    cohort = known_cohort(store, t, args.cohort)
    if cohort is None:
        return EXIT_BAD_INPUT
    try:
        day = date.fromisoformat(args.until)
    except ValueError:
        say_error(t("cli.extend.bad_date", value=args.until))
        return EXIT_BAD_INPUT
    if day <= date.today():
        say_error(t("cli.extend.past", value=day.isoformat()))
        return EXIT_BAD_INPUT
    # The whole of that day, in the course's time zone.
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=ZoneInfo(course.timezone))
    store.extend_cohort_links(cohort, end.astimezone(UTC))
    say_line(t("cli.extend.done", cohort=cohort, count=len(store.learners(cohort)), until=day.isoformat()))
    return EXIT_OK


def cmd_revoke(args) -> int:
    settings, course, store = context(args)
    t = say(args)
    if args.cohort:
        cohort = known_cohort(store, t, args.cohort)
        if cohort is None:
            return EXIT_BAD_INPUT
        revoked = store.revoke_cohort(cohort)
        say_line(t("cli.revoke.cohort", cohort=cohort, count=len(revoked)))
        return EXIT_OK
    if not args.learner_id:
        say_error(t("cli.revoke.whom"))
        return EXIT_BAD_INPUT
    learner_id = validate_id(args.learner_id)
    if store.learner(learner_id) is None:
        say_error(t("cli.no_learner", id=learner_id))
        return EXIT_BAD_INPUT
    store.revoke(learner_id)
    say_line(t("cli.revoke.learner", id=learner_id))
    return EXIT_OK


def cmd_cohort_revoke(args) -> int:
    """`innokraft cohort revoke C`: the same as `innokraft revoke --cohort C`."""
    args.learner_id = None
    return cmd_revoke(args)


def cmd_link_sheet(args) -> int:
    """A printable HTML sheet, one page per learner, each with its link as a QR code."""
    from ..facilitator.link_sheet import sheet_html

    settings, course, store = context(args)
    t = say(args)
    cohort = known_cohort(store, t, args.cohort)
    if cohort is None:
        return EXIT_BAD_INPUT
    _course, texts = course_and_texts(settings.config_dir)
    base = args.base_url or settings.url
    warn_loopback(t, base)
    rows = link_rows(store.learners(cohort), signer(settings, course), base, course)
    per_lang = {lang: Texts(lang, texts[lang]) for lang in course.languages}
    write_private(args.out, sheet_html(rows, per_lang, course.title, cohort, t.lang))
    say_line(t("cli.link_sheet.wrote", count=len(rows), path=args.out))
    return EXIT_OK


def cmd_facilitator_link(args) -> int:
    """The link that opens one cohort's dashboard and exports (a facilitator link, not a learner's)."""
    settings, course, store = context(args)
    t = say(args)
    cohort = known_cohort(store, t, args.cohort)
    if cohort is None:
        return EXIT_BAD_INPUT
    if args.revoke:
        store.revoke_facilitator_links(cohort)
        say_line(t("cli.facilitator_link.revoked", cohort=cohort))
        return EXIT_OK
    days = course.evaluation.facilitator_link_days
    facilitator = FacilitatorSigner(load_secret(settings), days)
    say_line(t("cli.facilitator_link.link", cohort=cohort, days=days))
    say_line(dashboard_url(settings.url, facilitator.issue(cohort, store.facilitator_generation(cohort)), t.lang))
    return EXIT_OK


def register(sub, cohort_sub) -> None:
    lang = lang_option()
    p = cohort_sub.add_parser("import", parents=[lang], help="add or update learners from a CSV "
                              "(learner_id,name,email,lang; ',' or ';'; UTF-8 or Windows-1252; ids made "
                              "from names when left out)")
    p.add_argument("file")
    p.add_argument("--cohort", required=True)
    p.add_argument("--dry-run", action="store_true", help="show what would change, save nothing")
    p.set_defaults(func=cmd_cohort_import)

    p = cohort_sub.add_parser("revoke", parents=[lang], help="refuse every link issued so far to a cohort's "
                              "learners (= innokraft revoke --cohort C)")
    p.add_argument("cohort")
    p.set_defaults(func=cmd_cohort_revoke)

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

    p = sub.add_parser("link-sheet", parents=[lang], help="printable HTML, one page per learner with a QR code")
    p.add_argument("--cohort", required=True)
    p.add_argument("--base-url", help="where learners reach the course (default: $INNOKRAFT_URL)")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_link_sheet)

    p = sub.add_parser("facilitator-link", parents=[lang], help="the link to a cohort's facilitator dashboard "
                       "(--revoke: refuse every one issued so far)")
    p.add_argument("--cohort", required=True)
    p.add_argument("--revoke", action="store_true", help="refuse every facilitator link of the cohort issued so "
                   "far (learners' links keep working)")
    p.add_argument("--base-url", help="where the course is served (default: $INNOKRAFT_URL)")
    p.set_defaults(func=cmd_facilitator_link)
