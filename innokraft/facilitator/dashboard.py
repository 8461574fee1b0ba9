"""The facilitator's dashboard: one cohort's progress, grading queue, time, item difficulty,
pulse and (from `min_group` answers) self-ratings. Runs in the dashboard's own kernel only.

    board = open_dashboard(lang=lang, token=token)   # the notebook's first real cell
    board.header(); board.progress(); ...

Every chart is a PNG with a text alternative, followed by a table with the same numbers.
"""

from __future__ import annotations

import base64
import io
import statistics
from dataclasses import dataclass

import matplotlib
from markupsafe import Markup

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ..core.secret import load_secret  # noqa: E402
from ..core.settings import KernelEnv, Settings  # noqa: E402
from ..core.tokens import FacilitatorIdentity, FacilitatorSigner, TokenError  # noqa: E402
from ..course.load import course_and_texts  # noqa: E402
from ..course.model import Course  # noqa: E402
from ..course.texts import Texts, choose_language  # noqa: E402
from ..kernel import request  # noqa: E402
from ..kernel.page import show_html  # noqa: E402
from ..learner.auth import authenticate_facilitator  # noqa: E402
from ..store.db import Store  # noqa: E402
from .cohort_report import CohortReport, cohort_report, median_minutes, respondents  # noqa: E402
from .html import render  # noqa: E402

FORMGRADER_URL = "http://127.0.0.1:8867/formgrader"
NOTHING = Markup("")


def table(caption: str, head: list[str], rows: list[list[object]]) -> Markup:
    return Markup(render("table.html.j2", caption=caption, head=head, rows=rows))


def figure_html(fig, alt: str) -> Markup:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return Markup('<img class="innokraft-figure" src="data:image/png;base64,{}" alt="{}">').format(data, alt)


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
            lang, title, self.t("dashboard.learners", count=len(self.report.learners)), self.t.html("dashboard.intro")))

    def progress(self) -> None:
        if not self.usable:
            return
        r, modules = self.report, self.course.modules
        names = [lr.name or lr.id for lr in r.learners]
        matrix = [[r.progress[(lr.id, m.id)][0] / r.progress[(lr.id, m.id)][1] for m in modules]
                  for lr in r.learners]
        completed = sum(1 for v in r.progress.values() if v[0] >= v[1])
        fig, ax = plt.subplots(figsize=(1.6 + 1.1 * len(modules), 0.9 + 0.38 * max(1, len(names))))
        if names:
            ax.imshow(matrix, cmap="Greens", vmin=0, vmax=1, aspect="auto")
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
        self._section("progress", NOTHING, figure_html(fig, alt), tab)

    def waiting(self) -> None:
        """What waits for the facilitator, by the same status as `innokraft status` (grading.flow)."""
        if not self.usable:
            return
        from ..grading import flow
        from ..grading.course import GradingCourse

        grading = GradingCourse(self.settings, self.course)
        names = {lr.id: lr.name or lr.id for lr in self.report.learners}
        states = flow.states(grading, Store.open(self.settings.db_url, migrate=False), list(names))
        rows = []
        for (learner_id, module_id), state in sorted(states.items()):
            if not state.waits_for_facilitator:
                continue
            at, _timestamp = self.report.submissions.get((learner_id, module_id), (None, ""))
            rows.append([names.get(learner_id, learner_id), self._module_name(module_id),
                         flow.state_label(self.t, state), at.strftime("%Y-%m-%d %H:%M") if at else ""])
        if not rows:
            self._section("waiting", para(self.t("dashboard.waiting.none")))
            return
        body = para(self.t("dashboard.waiting.count", count=len(rows)), "innokraft-waiting-count") \
            + self.t.html("dashboard.waiting.how", url=FORMGRADER_URL)
        head = [self.t(f"dashboard.waiting.{k}") for k in ("learner", "module", "state", "submitted")]
        self._section("waiting", body + table(self.t("dashboard.waiting.title"), head, rows))

    def time(self) -> None:
        if not self.usable:
            return
        modules = [m for m in self.course.modules if self.report.minutes.get(m.id)]
        if not modules:
            self._section("time", para(self.t("dashboard.time.none")))
            return
        medians = [median_minutes(self.report.minutes[m.id]) for m in modules]
        fig, ax = plt.subplots(figsize=(1.8 + 1.2 * len(modules), 3))
        xs = range(len(modules))
        ax.bar([x - 0.2 for x in xs], medians, width=0.4, label=self.t("dashboard.time.median"), color="#1b5e20")
        ax.bar([x + 0.2 for x in xs], [m.minutes for m in modules], width=0.4,
               label=self.t("dashboard.time.stated"), color="#9e9e9e")
        ax.set_xticks(list(xs), [self._module_name(m.id) for m in modules])
        ax.set_ylabel("min")
        ax.legend()
        rows = [[self._module_name(m.id), med, m.minutes, len(self.report.minutes[m.id])]
                for m, med in zip(modules, medians, strict=False)]
        summary = "; ".join(self.t("dashboard.time.summary_item", module=r[0], median=r[1], minutes=r[2],
                                   count=r[3]) for r in rows)
        tab = table(self.t("dashboard.time.title"), [self.t(f"dashboard.time.{k}") for k in
                                                     ("module", "median", "stated", "count")], rows)
        self._section("time", para(self.t("dashboard.time.source"), "innokraft-source"),
                      figure_html(fig, self.t("dashboard.time.alt", summary=summary)), tab)

    def difficulty(self) -> None:
        if not self.usable:
            return
        items = [(m, q) for m in self.course.modules for q in m.quiz if (m.id, q.id) in self.report.difficulty]
        if not items:
            self._section("difficulty", para(self.t("dashboard.difficulty.none")))
            return
        rows = []
        for m, q in items:
            right, answered = self.report.difficulty[(m.id, q.id)]
            label = f"{self._module_name(m.id)}, {self.t(f'{m.id}.quiz.{q.id}.question')}"
            rows.append([label, right, answered, round(100 * right / answered)])
        fig, ax = plt.subplots(figsize=(6, 0.8 + 0.45 * len(rows)))
        short = [f"{m.id.upper()} {n}" for n, (m, _q) in enumerate(items, start=1)]
        ax.barh(short[::-1], [r[3] for r in rows][::-1], color="#0d47a1")
        ax.set_xlim(0, 100)
        ax.set_xlabel("%")
        summary = "; ".join(self.t("dashboard.difficulty.summary_item", item=s, percent=r[3], count=r[2])
                            for s, r in zip(short, rows, strict=False))
        tab = table(self.t("dashboard.difficulty.title"), [self.t(f"dashboard.difficulty.{k}") for k in
                                                           ("item", "correct", "answered", "percent")], rows)
        self._section("difficulty", NOTHING, figure_html(fig, self.t("dashboard.difficulty.alt", summary=summary)), tab)

    def pulse(self) -> None:
        if not self.usable:
            return
        ev = self.course.evaluation
        keys = [(m.id, item) for m in self.course.modules for item in ev.pulse
                if sum(self.report.pulse.get((m.id, item.id), [])) > 0]
        if not keys:
            self._section("pulse", para(self.t("dashboard.pulse.none")))
            return
        rows, summary = [], []
        fig, ax = plt.subplots(figsize=(7, 0.8 + 0.5 * len(keys)))
        labels = []
        for n, (module_id, item) in enumerate(keys):
            counts = self.report.pulse[(module_id, item.id)]
            options = self.t.items(f"evaluation.pulse.{item.id}.options")
            total = sum(counts)
            mean = round(sum((i + 1) * c for i, c in enumerate(counts)) / total, 1)
            question = self.t(f"evaluation.pulse.{item.id}.question")
            label = f"{self._module_name(module_id)}: {item.id}"
            labels.append(label)
            left = 0
            for i, c in enumerate(counts):
                ax.barh(len(keys) - 1 - n, c, left=left, color=plt.cm.RdYlGn((i + 0.5) / len(counts)),
                        edgecolor="white")
                if c:
                    ax.text(left + c / 2, len(keys) - 1 - n, str(c), ha="center", va="center", fontsize=8)
                left += c
            rows.append([f"{self._module_name(module_id)}: {question}",
                         ", ".join(f"{o}: {c}" for o, c in zip(options, counts, strict=False)), mean])
            summary.append(self.t("dashboard.pulse.summary_item", module=self._module_name(module_id),
                                  question=question, mean=mean, scale=item.options, count=total))
        ax.set_yticks(range(len(keys)), labels[::-1])
        ax.set_xlabel(self.t("dashboard.pulse.answers"))
        tab = table(self.t("dashboard.pulse.title"), [self.t("dashboard.pulse.question"),
                                                      self.t("dashboard.pulse.answers"),
                                                      self.t("dashboard.pulse.mean")], rows)
        alt = self.t("dashboard.pulse.alt", summary="; ".join(summary))
        self._section("pulse", NOTHING, figure_html(fig, alt), tab)

    def skills(self) -> None:
        """The cohort's self-rating profile, only when min_group learners answered before and after."""
        if not self.usable:
            return
        ev = self.course.evaluation
        pre, post = respondents(self.report, "pre"), respondents(self.report, "post")
        if pre < ev.min_group or post < ev.min_group:
            too_few = self.t("dashboard.skills.too_few", min=ev.min_group, pre=pre, post=post)
            self._section("skills", para(too_few))
            return

        def mean(part: str, skill: str) -> float:
            values = self.report.skills.get(part, {}).get(skill, [])
            return round(statistics.mean(v + 1 for v in values), 1) if values else float("nan")

        names = [self.t(f"evaluation.skills.names.{s}") for s in ev.skills]
        fig, ax = plt.subplots(figsize=(7, 3.2))
        for part, style in (("pre", "o-"), ("post", "s-"), ("then", "^--")):
            ax.plot(names, [mean(part, s) for s in ev.skills], style, label=self.t(f"dashboard.skills.series.{part}"))
        ax.set_ylim(1, ev.skill_scale)
        ax.tick_params(axis="x", labelrotation=20)
        ax.legend()
        rows = [[n, mean("pre", s), mean("post", s), mean("then", s)]
                for n, s in zip(names, ev.skills, strict=False)]
        summary = "; ".join(self.t("dashboard.skills.summary_item", skill=r[0], pre=r[1], post=r[2], then=r[3])
                            for r in rows)
        tab = table(self.t("dashboard.skills.title"), [self.t(f"dashboard.skills.{k}") for k in
                                                       ("skill", "pre", "post", "then")], rows)
        self._section("skills", NOTHING, figure_html(fig, self.t("dashboard.skills.alt", summary=summary)), tab)

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
    return Dashboard(course, t, identity, cohort_report(store, course, identity.cohort_id), token, settings)
