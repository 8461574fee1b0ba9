"""The facilitator's dashboard: one cohort's progress and grading queue (the states and next
commands of `innokraft status`, the formgrader that runs), then the evaluation's figures as the
report shows them (evaluation_report: response rates, completion, pulse, skills, quizzes,
follow-ups; nothing under `min_group`). Runs in the dashboard's own kernel only.

    board = open_dashboard(lang=lang, token=token)   # the notebook's first real cell
    board.header(); board.progress(); ...

Every chart is a PNG with a text alternative, followed by a table with the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from markupsafe import Markup

from ..core import clock, running
from ..core.secret import load_secret
from ..core.settings import KernelEnv, Settings
from ..core.tokens import FacilitatorIdentity, FacilitatorSigner, TokenError
from ..course.load import course_and_texts
from ..course.model import Course
from ..course.texts import Texts, choose_language
from ..kernel import request
from ..kernel.page import show_html
from ..learner.auth import authenticate_facilitator
from ..store.db import Store
from . import charts
from .cohort_report import CohortReport, cohort_report
from .evaluation_figures import Evaluation, evaluation, records
from .evaluation_report import sections
from .html import render

NOTHING = Markup("")


def table(caption: str, head: list[str], rows: list[list[object]]) -> Markup:
    return Markup(render("table.html.j2", caption=caption, head=head, rows=rows))


def para(text: str, css: str = "") -> Markup:
    return Markup('<p class="{}">{}</p>').format(css, text) if css else Markup("<p>{}</p>").format(text)


@dataclass
class Dashboard:
    course: Course
    t: Texts
    identity: FacilitatorIdentity | None
    report: CohortReport | None
    token: str | None
    settings: Settings
    evaluation: Evaluation | None = None
    error: str | None = None

    @property
    def usable(self) -> bool:
        return self.report is not None

    def _section(self, key: str, body: Markup, figure: Markup | None = None, tab: Markup | None = None) -> None:
        show_html(Markup(render("dashboard_section.html.j2", key=key, title=self.t(f"dashboard.{key}.title"),
                                body=body, figure=figure or NOTHING, tab=tab or NOTHING,
                                table_view=self.t("dashboard.table_view"))))

    def _module_name(self, module_id: str) -> str:
        number = [m.id for m in self.course.modules].index(module_id) + 1
        return self.t("ui.module_number", number=number)

    # -- sections ------------------------------------------------------------------------------
    def header(self) -> None:
        lang = self.t.lang
        if not self.usable:
            show_html(Markup('<div class="innokraft-header" data-page-lang="{0}" data-page-title="{1}"><h1>{1}</h1>'
                             '</div><div class="innokraft-error" role="alert">{2}</div>').format(
                lang, self.t("dashboard.refused.title"), self.t.html("dashboard.refused.body")))
            return
        title = self.t("dashboard.title", cohort=self.report.cohort_id)
        show_html(Markup('<div class="innokraft-header" data-page-lang="{0}" data-page-title="{1}"><h1>{1}</h1>'
                         '<p class="innokraft-meta">{2}</p></div><div class="innokraft-text">{3}</div>').format(
            lang, title, self.t("dashboard.learners", count=len(self.report.learners)),
            self.t.html("dashboard.intro", min=self.course.evaluation.min_group)))

    def progress(self) -> None:
        if not self.usable:
            return
        r, modules = self.report, self.course.modules
        names = [lr.name or lr.id for lr in r.learners]
        matrix = [[r.progress[(lr.id, m.id)][0] / r.progress[(lr.id, m.id)][1] for m in modules]
                  for lr in r.learners]
        completed = sum(1 for v in r.progress.values() if v[0] >= v[1])
        fig, ax = charts.figure(1.6 + 1.1 * len(modules), 0.9 + 0.38 * max(1, len(names)))
        ax.grid(False)
        if names:
            ax.imshow(matrix, cmap=charts.SHADES, vmin=0, vmax=1, aspect="auto")
            for i, lr in enumerate(r.learners):
                for j, m in enumerate(modules):
                    done, total = r.progress[(lr.id, m.id)]
                    ax.text(j, i, f"{done}/{total}", ha="center", va="center",
                            color="white" if matrix[i][j] > 0.6 else "black", fontsize=9)
        ax.set_xticks(range(len(modules)), [self._module_name(m.id) for m in modules])
        ax.set_yticks(range(len(names)), names)
        ax.set_title(self.t("dashboard.progress.title"))
        alt = self.t("dashboard.progress.alt", completed=completed, cells=len(r.progress))
        tab = table(self.t("dashboard.progress.title"),
                    [self.t("dashboard.progress.learner"), *[self._module_name(m.id) for m in modules]],
                    [[name, *[self.t("dashboard.progress.done", done=r.progress[(lr.id, m.id)][0],
                                     total=r.progress[(lr.id, m.id)][1]) for m in modules]]
                     for name, lr in zip(names, r.learners, strict=False)])
        self._section("progress", NOTHING, charts.image(fig, alt), tab)

    def waiting(self) -> None:
        """What waits for the facilitator and the command that comes next: the same states and
        counts as `innokraft status` (grading.flow), and the formgrader that runs now."""
        if not self.usable:
            return
        from ..grading import flow
        from ..grading.course import GradingCourse

        grading = GradingCourse(self.settings, self.course)
        names = {lr.id: lr.name or lr.id for lr in self.report.learners}
        states = flow.states(grading, Store.open(self.settings.db_url, migrate=False), list(names))
        zone = ZoneInfo(self.course.timezone)
        rows = []
        for (learner_id, module_id), state in sorted(states.items()):
            if not state.waits_for_facilitator:
                continue
            at, _timestamp = self.report.submissions.get((learner_id, module_id), (None, ""))
            rows.append([names.get(learner_id, learner_id), self._module_name(module_id),
                         flow.state_label(self.t, state), at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""])
        if not rows:
            self._section("waiting", para(self.t("dashboard.waiting.none")))
            return
        steps = flow.next_steps(states)
        formgrader = running.running(self.settings.home, running.FORMGRADER)
        body = NOTHING
        for step in flow.STEPS:
            if steps[step]:
                key = "next_grade_stopped" if step == "grade" and formgrader is None else f"next_{step}"
                body += Markup('<p class="innokraft-next innokraft-next-{}">{}</p>').format(
                    step, self.t.html_inline(f"dashboard.waiting.{key}", count=steps[step]))
        if formgrader is not None:  # where grading happens, also before anything is collected
            body += Markup('<p class="innokraft-formgrader">{} <a href="{}" target="_blank" rel="noopener">{}</a>'
                           '</p>').format(self.t("dashboard.waiting.formgrader"), formgrader.url, formgrader.url)
            body += para(self.t("dashboard.waiting.login"), "innokraft-source")
        head = [self.t(f"dashboard.waiting.{k}") for k in ("learner", "module", "state", "submitted")]
        head[-1] = self.t("dashboard.waiting.submitted", zone=self.course.timezone)
        self._section("waiting", body + table(self.t("dashboard.waiting.title"), head, rows))

    def _figures(self, key: str) -> None:
        if not self.usable:
            return
        for s in sections(self.evaluation, self.course, self.t, (key,)):
            show_html(Markup(render("dashboard_section.html.j2", key=s.key, title=s.title,
                                    body=s.body + s.note, figure=s.figure, tab=Markup("").join(s.tables),
                                    table_view=self.t("dashboard.table_view"))))

    # The evaluation's figures, as the report shows them (evaluation_report): nothing under min_group.
    def response_rates(self) -> None:
        self._figures("cohort")

    def completion(self) -> None:
        self._figures("completion")

    def reaction(self) -> None:
        self._figures("reaction")

    def learning(self) -> None:
        self._figures("learning")

    def quiz(self) -> None:
        self._figures("quiz")

    def behaviour(self) -> None:
        self._figures("behaviour")

    def method(self) -> None:
        self._figures("method")

    def difficulty(self) -> None:
        """The share right at the first attempt per quiz question (from min_group answers)."""
        if not self.usable:
            return
        ev = self.evaluation
        items = [(m, q, ev.module(m.id).quiz_items[q.id]) for m in self.course.modules for q in m.quiz
                 if ev.module(m.id).quiz_items[q.id].n]
        if not items:
            self._section("difficulty", para(self.t("dashboard.difficulty.none")))
            return
        suppressed = self.t("report.suppressed", min=ev.min_group)
        rows, short, summary = [], [], []
        for m, q, share in items:
            label = f"{self._module_name(m.id)}, {self.t(f'{m.id}.quiz.{q.id}.question')}"
            name = f"{m.id.upper()} {[i.id for i in m.quiz].index(q.id) + 1}"
            percent = round(100 * share.value) if share.shown else None
            rows.append([label, share.n, suppressed if percent is None else percent])
            short.append(name)
            summary.append(self.t("dashboard.difficulty.summary_item", item=name, count=share.n,
                                  percent=suppressed if percent is None else percent))
        fig, ax = charts.figure(6, 0.8 + 0.4 * len(rows))
        ys = list(range(len(rows)))
        ax.barh(ys, [r[2] if isinstance(r[2], int) else 0 for r in rows], color=charts.BLUE)
        for y, r in zip(ys, rows, strict=True):
            if not isinstance(r[2], int):
                ax.text(1, y, suppressed, va="center", fontsize=8, color=charts.GREY)
        ax.set_yticks(ys, short)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("%")
        tab = table(self.t("dashboard.difficulty.title"), [self.t(f"dashboard.difficulty.{k}") for k in
                                                           ("item", "answered", "percent")], rows)
        self._section("difficulty", NOTHING, charts.image(fig, self.t("dashboard.difficulty.alt",
                                                                       summary="; ".join(summary))), tab)

    def downloads(self) -> None:
        if not self.usable:
            return
        from urllib.parse import urlencode

        query = urlencode({"t": self.token, "lang": self.t.lang})
        # The server's root; this page sits at <root>voila/render/facilitator/dashboard.ipynb.
        root = KernelEnv.from_env().base_url or "../../../"
        links = Markup("").join(
            Markup('<li><a href="{}" download>{}</a></li>').format(
                f"{root}innokraft/facilitator/export/{name}?{query}", self.t(f"dashboard.downloads.{key}"))
            for key, name in (("research", "research.csv"), ("codebook", "codebook.md"),
                              ("xapi", "xapi.jsonl"), ("gradebook", "gradebook.csv")))
        self._section("downloads", Markup("<ul>{}</ul>").format(links))


def open_dashboard(lang: str | None = None, token: str | None = None,
                   settings: Settings | None = None) -> Dashboard:
    """Check the facilitator link (a learner's link is refused) and read the cohort."""
    settings = settings or Settings.from_env()
    course, texts = course_and_texts(settings.config_dir)
    query = request.query()
    if request.in_voila():
        token = query.get("t")
    chosen = choose_language(course, query.get("lang") or lang, None)
    t = Texts(chosen, texts[chosen])
    signer = FacilitatorSigner(load_secret(settings), course.evaluation.facilitator_link_days)
    store = Store.open(settings.db_url, migrate=False)
    try:
        identity = authenticate_facilitator(store, signer, token)
    except TokenError as exc:
        return Dashboard(course, t, None, None, None, settings, error=exc.kind)
    cohort = identity.cohort_id
    figures = evaluation(records(store, course, cohort), course, cohort, clock.now(settings))
    return Dashboard(course, t, identity, cohort_report(store, course, cohort), token, settings, figures)
