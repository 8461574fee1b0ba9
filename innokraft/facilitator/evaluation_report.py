"""The pilot's evaluation as sections of text, chart and tables: the report (`innokraft report`,
HTML and PDF) and the dashboard show the same sections, made here from evaluation_figures.

Every number is written with its n; a figure under min_group reads "fewer than N answers".
Words from course_config/text/<lang>/report.yaml, HTML from templates/ (autoescaped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup

from ..course.instruments import POST, PRE
from ..course.model import Course
from ..course.texts import Texts
from . import charts
from .evaluation_figures import ALL_SKILLS, CONFIDENCE, Distribution, Evaluation, Paired
from .html import render

ABSENT = None  # a suppressed value, drawn as a gap


@dataclass
class Section:
    key: str
    title: str
    body: Markup
    figure: Markup = field(default_factory=Markup)
    tables: list[Markup] = field(default_factory=list)
    note: Markup = field(default_factory=Markup)


def number(value: float, lang: str, decimals: int = 1) -> str:
    """As the reader's language writes it: "3,5" in Swedish, a real minus sign."""
    text = f"{abs(value):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return ("\u2212" if round(value, decimals) < 0 else "") + text


def signed(value: float, lang: str, decimals: int = 1) -> str:
    return ("+" if round(value, decimals) > 0 else "") + number(value, lang, decimals)


class Writer:
    """The words of one language for the figures of one evaluation."""

    def __init__(self, t: Texts, course: Course, ev: Evaluation):
        self.t, self.course, self.ev, self.lang = t, course, ev, t.lang

    def module(self, module_id: str) -> str:
        return self.t("ui.module_number", number=[m.id for m in self.course.modules].index(module_id) + 1)

    def suppressed(self) -> Markup:
        return Markup('<span class="innokraft-suppressed">{}</span>').format(
            self.t("report.suppressed", min=self.ev.min_group))

    def num(self, value: float | None, decimals: int = 1) -> str:
        return self.t("report.none") if value is None else number(value, self.lang, decimals)

    def pct(self, value: float | None, decimals: int = 0) -> str:
        return self.t("report.none") if value is None else self.t("report.percent",
                                                                  value=number(value, self.lang, decimals))

    def of(self, count: int, total: int) -> str:
        return self.t("report.of", count=count, total=total)

    def table(self, caption: str, head: list[str], rows: list[list[object]]) -> Markup:
        return Markup(render("table.html.j2", caption=caption, head=head, rows=rows))

    def paragraph(self, key: str, **values) -> Markup:
        return self.t.html(key, **values)


# -- the sections ----------------------------------------------------------------------------------


def cohort_section(w: Writer) -> Section:
    t, ev = w.t, w.ev
    rows = [[t("report.cohort.pre"), *_rate(w, ev.rates[PRE])]]
    for m in w.course.modules:
        rows.append([t("report.cohort.pulse", module=w.module(m.id)), *_rate(w, ev.rates[f"{m.id}.pulse"])])
    rows.append([t("report.cohort.post"), *_rate(w, ev.rates[POST])])
    for kind in ("delayed_quiz", "follow_up"):
        for m in w.course.modules:
            rows.append([t(f"report.cohort.{kind}", module=w.module(m.id)), *_rate(w, ev.rates[f"{m.id}.{kind}"])])
    head = [t(f"report.cohort.{k}") for k in ("instrument", "answered", "invited", "rate")]
    body = w.paragraph("report.cohort.body", quiz_weeks=w.course.evaluation.delayed_quiz_weeks,
                       follow_up_weeks=w.course.evaluation.follow_up_weeks)
    return Section("cohort", t("report.cohort.title"), body, tables=[w.table(t("report.cohort.title"), head, rows)])


def _rate(w: Writer, rate) -> list[object]:
    return [rate.answered, rate.invited, w.pct(rate.percent)]


def completion_section(w: Writer) -> Section:
    t, ev = w.t, w.ev
    rows, summary = [], []
    for m in ev.modules:
        shown = m.minutes.shown
        rows.append([w.module(m.module_id), w.of(m.opened, ev.learners), w.of(m.completed, ev.learners),
                     m.minutes.n, w.num(m.minutes.median) if shown else w.suppressed(),
                     f"{w.num(m.minutes.q1)}–{w.num(m.minutes.q3)}" if shown else w.suppressed(), m.stated_minutes])
        summary.append(t("report.completion.alt_item", module=w.module(m.module_id), completed=m.completed,
                         total=ev.learners, stated=m.stated_minutes,
                         median=w.num(m.minutes.median) if shown else t("report.suppressed", min=ev.min_group)))
    head = [t("report.module"), t("report.completion.opened"), t("report.completion.completed"), t("report.n"),
            t("report.completion.median"), t("report.completion.quartiles"), t("report.completion.stated")]
    fig = _completion_chart(w)
    return Section("completion", t("report.completion.title"), w.paragraph("report.completion.body"),
                   charts.image(fig, t("report.completion.alt", summary="; ".join(summary))),
                   [w.table(t("report.completion.title"), head, rows)])


@charts.styled
def _completion_chart(w: Writer):
    t, ev = w.t, w.ev
    names = [w.module(m.module_id) for m in ev.modules]
    fig, (left, right) = charts.subplots(1, 2, 7.4, 1.0 + 0.5 * len(names))
    ys = range(len(names))
    left.barh([y - 0.2 for y in ys], [m.opened for m in ev.modules], height=0.38, color=charts.GREY,
              label=t("report.completion.series_opened"))
    left.barh([y + 0.2 for y in ys], [m.completed for m in ev.modules], height=0.38, color=charts.BLUE,
              label=t("report.completion.series_completed"))
    left.set_xlim(0, max(1, ev.learners))
    left.set_yticks(list(ys), names)
    left.invert_yaxis()
    left.set_xlabel(t("report.completion.axis_people"))
    left.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8.5)
    medians = [m.minutes.median if m.minutes.shown else 0 for m in ev.modules]
    right.barh(list(ys), medians, height=0.5, color=charts.BLUE, label=t("report.completion.series_median"))
    for y, m in zip(ys, ev.modules, strict=True):
        if m.minutes.shown:
            right.plot([m.minutes.q1, m.minutes.q3], [y, y], color=charts.INK, linewidth=1.2)
        else:
            right.text(0.5, y, t("report.suppressed", min=ev.min_group), va="center", fontsize=8.5,
                       color=charts.GREY)
    right.scatter([m.stated_minutes for m in ev.modules], list(ys), marker="D", color=charts.ORANGE, zorder=3,
                  label=t("report.completion.series_stated"))
    right.set_yticks(list(ys), [""] * len(names))
    right.invert_yaxis()
    right.set_xlabel(t("report.completion.axis_minutes"))
    right.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8.5)
    fig.tight_layout()
    return fig


def reaction_section(w: Writer) -> Section:
    t, ev, items = w.t, w.ev, w.course.evaluation.pulse
    rows, summary = [], []
    for m in ev.modules:
        for item in items:
            d = m.pulse[item.id]
            question = t(f"evaluation.pulse.{item.id}.question")
            label = f"{w.module(m.module_id)}: {question}"
            if not d.shown:
                rows.append([label, d.n, w.suppressed(), w.suppressed()])
                continue
            options = t.items(f"evaluation.pulse.{item.id}.options")
            rows.append([label, d.n, f"{w.num(d.mean)} ({t('report.reaction.scale', options=item.options)})",
                         " · ".join(f"{o}: {c}" for o, c in zip(options, d.counts, strict=True))])
            summary.append(t("report.reaction.alt_item", module=w.module(m.module_id), question=question,
                             mean=w.num(d.mean), options=item.options, n=d.n))
    head = [t("report.reaction.question"), t("report.n"), t("report.reaction.mean"), t("report.reaction.answers")]
    figure = charts.image(_reaction_chart(w), t("report.reaction.alt", summary="; ".join(summary) or
                                                t("report.suppressed", min=ev.min_group)))
    return Section("reaction", t("report.reaction.title"), w.paragraph("report.reaction.body"), figure,
                   [w.table(t("report.reaction.title"), head, rows)])


@charts.styled
def _reaction_chart(w: Writer):
    t, ev, items = w.t, w.ev, w.course.evaluation.pulse
    names = [w.module(m.module_id) for m in ev.modules]
    fig, axes = charts.subplots(1, len(items), 7.4, 0.9 + 0.38 * len(names), sharey=True)
    for ax, item in zip(axes if len(items) > 1 else [axes], items, strict=True):
        for y, m in enumerate(ev.modules):
            d: Distribution = m.pulse[item.id]
            if d.shown:
                ax.plot([1, d.mean], [y, y], color=charts.GRID, linewidth=2, zorder=1)
                ax.scatter([d.mean], [y], color=charts.BLUE, s=42, zorder=2)
                ax.text(d.mean, y - 0.28, w.num(d.mean), ha="center", fontsize=8)
            else:
                ax.text(1.05, y, t("report.suppressed", min=ev.min_group), va="center", fontsize=7.5,
                        color=charts.GREY)
        ax.set_xlim(0.8, item.options + 0.2)
        ax.set_xticks(range(1, item.options + 1))
        ax.set_ylim(len(names) - 0.5, -0.7)
        ax.set_yticks(range(len(names)), names)
        ax.set_title(_wrap(t(f"evaluation.pulse.{item.id}.question"), 34), fontsize=8.5)
    fig.tight_layout()
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def _paired_row(w: Writer, label: str, p: Paired, decimals: int = 1, percent: bool = False) -> list[object]:
    if not p.shown:
        return [label, p.n, *[w.suppressed()] * 5]
    fmt = (lambda v: w.num(v, 0)) if percent else (lambda v: w.num(v, decimals))
    return [label, p.n, fmt(p.before), fmt(p.after), signed(p.change, w.lang, decimals),
            f"{signed(p.low, w.lang, decimals)} … {signed(p.high, w.lang, decimals)}",
            w.num(p.effect, 2) if p.effect is not None else w.t("report.none")]


def learning_section(w: Writer) -> Section:
    t, ev = w.t, w.ev
    skills = [*w.course.evaluation.skills, ALL_SKILLS]
    label = {s: t(f"evaluation.skills.names.{s}") for s in w.course.evaluation.skills} | {ALL_SKILLS: t(
        "report.learning.all")}
    tables = []
    for key, figures, before in (("pre_post", ev.skills, "before"), ("then_post", ev.retrospective, "then")):
        head = [t("report.learning.skill"), t("report.n"), t(f"report.learning.{before}"),
                t("report.learning.after"), t("report.learning.change"),
                t("report.learning.interval", level=CONFIDENCE), t("report.learning.effect")]
        tables.append(w.table(t(f"report.learning.{key}"), head, [_paired_row(w, label[s], figures[s])
                                                                  for s in skills]))
    summary = [t("report.learning.alt_item", skill=label[s], before=w.num(ev.skills[s].before),
                 after=w.num(ev.skills[s].after), n=ev.skills[s].n) for s in skills if ev.skills[s].shown]
    figure = charts.image(_learning_chart(w, skills, label), t("report.learning.alt", summary="; ".join(summary)
                                                              or t("report.suppressed", min=ev.min_group)))
    return Section("learning", t("report.learning.title"), w.paragraph("report.learning.body"), figure, tables)


@charts.styled
def _learning_chart(w: Writer, skills: list[str], label: dict[str, str]):
    t, ev, scale = w.t, w.ev, w.course.evaluation.skill_scale
    fig, ax = charts.figure(7.4, 0.9 + 0.42 * len(skills))
    for y, skill in enumerate(skills):
        pre, retro = ev.skills[skill], ev.retrospective[skill]
        if not pre.shown and not retro.shown:
            ax.text(1.05, y, t("report.suppressed", min=ev.min_group), va="center", fontsize=8, color=charts.GREY)
            continue
        if pre.shown:
            ax.plot([pre.before, pre.after], [y, y], color=charts.GRID, linewidth=2.5, zorder=1)
            ax.scatter([pre.before], [y], marker="o", color=charts.GREY, s=40, zorder=2,
                       label=t("report.learning.before") if y == 0 else None)
            ax.scatter([pre.after], [y], marker="s", color=charts.BLUE, s=40, zorder=3,
                       label=t("report.learning.after") if y == 0 else None)
        if retro.shown:
            ax.scatter([retro.before], [y], marker="^", facecolors="white", edgecolors=charts.ORANGE, s=44,
                       linewidths=1.5, zorder=2, label=t("report.learning.then") if y == 0 else None)
    ax.set_xlim(0.8, scale + 0.2)
    ax.set_xticks(range(1, scale + 1), [_wrap(s, 14) for s in t.items("evaluation.skills.scale")], fontsize=7.5)
    ax.set_yticks(range(len(skills)), [label[s] for s in skills])
    ax.set_ylim(len(skills) - 0.5, -0.6)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8.5)
    fig.tight_layout()
    return fig


def quiz_section(w: Writer) -> Section:
    t, ev = w.t, w.ev
    rows, summary = [], []
    for m in ev.modules:
        first = w.pct(100 * m.quiz_first.value) if m.quiz_first.shown else w.suppressed()
        rows.append([w.module(m.module_id), m.quiz_first.n, first,
                     *_paired_row(w, "", m.delayed, decimals=0, percent=True)[1:6]])
        if m.delayed.shown:
            summary.append(t("report.quiz.alt_item", module=w.module(m.module_id), first=w.pct(m.delayed.before),
                             delayed=w.pct(m.delayed.after), n=m.delayed.n))
    head = [t("report.module"), t("report.n"), t("report.quiz.first"), t("report.quiz.pairs"),
            t("report.quiz.first_paired"), t("report.quiz.delayed"), t("report.quiz.change"),
            t("report.quiz.interval", level=CONFIDENCE)]
    body = w.paragraph("report.quiz.body", weeks=w.course.evaluation.delayed_quiz_weeks)
    figure = charts.image(_quiz_chart(w), t("report.quiz.alt", summary="; ".join(summary) or
                                            t("report.suppressed", min=ev.min_group)))
    return Section("quiz", t("report.quiz.title"), body, figure, [w.table(t("report.quiz.title"), head, rows)])


@charts.styled
def _quiz_chart(w: Writer):
    t, ev = w.t, w.ev
    names = [w.module(m.module_id) for m in ev.modules]
    fig, ax = charts.figure(7.4, 2.8)
    xs = range(len(names))
    for offset, colour, hatch, key, values in (
            (-0.2, charts.BLUE, None, "series_first", [m.delayed.before for m in ev.modules]),
            (0.2, charts.ORANGE, "//", "series_delayed", [m.delayed.after for m in ev.modules])):
        heights = [v if v is not None else 0 for v in values]
        ax.bar([x + offset for x in xs], heights, width=0.38, color=colour, hatch=hatch,
               label=t(f"report.quiz.{key}"))
        for x, v in zip(xs, values, strict=True):
            if v is not None:
                ax.text(x + offset, v + 2, w.num(v, 0), ha="center", fontsize=8)
    for x, m in zip(xs, ev.modules, strict=True):
        if not m.delayed.shown:
            ax.text(x, 4, _wrap(t("report.suppressed", min=ev.min_group), 12), ha="center", fontsize=7.5,
                    color=charts.GREY)
    ax.set_ylim(0, 110)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_xticks(list(xs), names)
    ax.set_ylabel(t("report.quiz.axis"))
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8.5)
    fig.tight_layout()
    return fig


def behaviour_section(w: Writer) -> Section:
    t, ev = w.t, w.ev
    options = t.items("evaluation.follow_up.options")
    rows, summary = [], []
    for label, d in [*((w.module(m.module_id), m.follow_up) for m in ev.modules),
                     (t("report.behaviour.total"), ev.follow_up_total)]:
        if d.shown:
            rows.append([label, d.n, *d.counts])
            summary.append(t("report.behaviour.alt_item", module=label, n=d.n,
                             counts=", ".join(f"{o}: {c}" for o, c in zip(options, d.counts, strict=True))))
        else:
            rows.append([label, d.n, *[w.suppressed()] * len(options)])
    body = w.paragraph("report.behaviour.body", weeks=w.course.evaluation.follow_up_weeks,
                       question=t("evaluation.follow_up.question"))
    figure = charts.image(_behaviour_chart(w, options), t("report.behaviour.alt", summary="; ".join(summary) or
                                                          t("report.suppressed", min=ev.min_group)))
    return Section("behaviour", t("report.behaviour.title"), body, figure,
                   [w.table(t("report.behaviour.title"), [t("report.module"), t("report.n"), *options], rows)],
                   w.paragraph("report.behaviour.total_note"))


@charts.styled
def _behaviour_chart(w: Writer, options: list[str]):
    t, ev = w.t, w.ev
    rows = [(w.module(m.module_id), m.follow_up) for m in ev.modules]
    fig, ax = charts.figure(7.4, 0.9 + 0.4 * len(rows))
    colours, hatches = (charts.BLUE, charts.LIGHT_BLUE, charts.GREY), (None, "..", "//")
    for y, (_label, d) in enumerate(rows):
        if not d.shown:
            ax.text(1, y, t("report.suppressed", min=ev.min_group), va="center", fontsize=8, color=charts.GREY)
            continue
        left = 0.0
        for i, count in enumerate(d.counts):
            share = 100 * count / d.n
            ax.barh(y, share, left=left, color=colours[i % 3], hatch=hatches[i % 3], edgecolor="white",
                    label=options[i] if y == next(j for j, (_, e) in enumerate(rows) if e.shown) else None)
            if share >= 8:
                ax.text(left + share / 2, y, str(count), ha="center", va="center", fontsize=8,
                        color="white" if i != 1 else charts.INK)
            left += share
    ax.set_xlim(0, 100)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.6)
    ax.set_xlabel(t("report.behaviour.axis"))
    if any(d.shown for _, d in rows):
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8.5)
    fig.tight_layout()
    return fig


def method_section(w: Writer) -> Section:
    t = w.t
    items = Markup("").join(Markup("<li>{}</li>").format(t.html_inline(f"report.method.items.{i}", level=CONFIDENCE))
                            for i in range(len(t.items("report.method.items"))))
    body = w.paragraph("report.method.intro") + Markup("<ul>{}</ul>").format(items) + \
        w.paragraph("report.method.privacy", rule=t("report.suppressed_rule", min=w.ev.min_group))
    return Section("method", t("report.method.title"), body)


SECTIONS = (cohort_section, completion_section, reaction_section, learning_section, quiz_section,
            behaviour_section, method_section)


def sections(ev: Evaluation, course: Course, t: Texts, keys: tuple[str, ...] | None = None) -> list[Section]:
    w = Writer(t, course, ev)
    return [make(w) for make in SECTIONS if keys is None or make.__name__.removesuffix("_section") in keys]


# -- the document ---------------------------------------------------------------------------------


def report_html(ev: Evaluation, course: Course, t: Texts, generated: datetime) -> str:
    """The whole report as one self-contained HTML document (charts inside it)."""
    zone = ZoneInfo(course.timezone)
    w = Writer(t, course, ev)
    facts = [(t("report.facts.learners"), str(ev.learners)), (t("report.facts.started"), w.of(ev.started, ev.learners)),
             (t("report.facts.completed_all"), w.of(ev.completed_all, ev.learners))]
    return render("evaluation_report.html.j2", lang=t.lang, title=t("report.title", cohort=ev.cohort_id),
                  kicker=t("report.kicker"), course=course.title[t.lang],
                  generated=t("report.generated", date=generated.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                              zone=course.timezone),
                  intro=t.html("report.intro", cohort=ev.cohort_id, course=course.title[t.lang]), facts=facts,
                  rule=t("report.suppressed_rule", min=ev.min_group),
                  too_small=t("report.too_small", count=ev.learners, min=ev.min_group)
                  if ev.learners < ev.min_group else "",
                  sections=sections(ev, course, t))


def report_pdf(html: str) -> bytes:
    """The report as PDF (WeasyPrint: a facilitator's extra, imported only here)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
