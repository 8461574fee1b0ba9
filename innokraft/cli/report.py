"""`innokraft report --cohort C`: the pilot's evaluation report, as HTML and PDF, for a board."""

from __future__ import annotations

from pathlib import Path

from ..core import clock
from ..core.files import write_private
from .context import EXIT_BAD_INPUT, EXIT_OK, context, known_cohort, lang_option, say, say_error, say_line


def cmd_report(args) -> int:
    # Imported here: matplotlib and the PDF renderer cost every other verb half a second.
    from ..facilitator.evaluation_figures import evaluation, records
    from ..facilitator.evaluation_report import report_html, report_pdf

    settings, course, store = context(args)
    t = say(args)
    cohort = known_cohort(store, t, args.cohort)
    if cohort is None:
        return EXIT_BAD_INPUT
    folder = Path(args.out or ".")
    if not folder.is_dir():
        say_error(t("cli.report.no_folder", path=folder))
        return EXIT_BAD_INPUT
    now = clock.now(settings)
    figures = evaluation(records(store, course, cohort), course, cohort, now)
    html = report_html(figures, course, t, now)
    stem = t("cli.report.file", cohort=cohort)
    html_path = write_private(folder / f"{stem}.html", html)
    pdf_path = write_private(folder / f"{stem}.pdf", report_pdf(html))
    say_line(t("cli.report.wrote", html=html_path, pdf=pdf_path, learners=figures.learners,
               min=figures.min_group))
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("report", parents=[lang_option()],
                       help="the cohort's evaluation report (HTML and PDF) for a board: response rates, "
                            "completion, pulse, skills, quizzes, follow-ups; no figure under min_group")
    p.add_argument("--cohort", required=True)
    p.add_argument("--out", help="the folder to write it in (default: the current folder)")
    p.set_defaults(func=cmd_report)
