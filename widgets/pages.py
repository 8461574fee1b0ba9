"""A course page as the notebooks build it: the kernel room's Page (session, saving, texts,
header and footer) with the parts that show exercises of their own: the retrieval quiz, the
workplace task's printable sheet, the module's closing pulse and the start page's instruments.

    page = open_page("m1", lang=lang, token=token)   # the cell tagged innokraft-open-page
    page.header()
    page.exercise(MythOrData, "myth_or_data")
"""

from __future__ import annotations

from types import SimpleNamespace

from IPython.display import display
from markupsafe import Markup

from innokraft.core.settings import Settings
from innokraft.course.instruments import POST, PREFIX
from innokraft.course.model import Course
from innokraft.kernel import page as kernel_page
from innokraft.kernel.page import Page, show_html


class CoursePage(Page):
    _due: list[SimpleNamespace] | None = None
    _answers: dict[str, object] | None = None

    def retrieval(self):
        """From the second module: questions from earlier modules, answered before the hook."""
        if not self.usable or self.module is None or not self.module.retrieval:
            return None
        from .quiz import Quiz

        by_id = {m.id: m for m in self.course.modules}
        items = []
        for r in self.module.retrieval:
            item = next(q for q in by_id[r.module].quiz if q.id == r.item)
            # A parallel form in this module's texts, if written; else the earlier wording.
            own = f"{self.module.id}.retrieval.{r.item}"
            items.append((own if self.t.has(f"{own}.question") else f"{r.module}.quiz.{r.item}", item))
        return self.exercise(Quiz, "retrieval", items=items)

    # -- the leader's initiative through the course (course.yaml `thread`, widgets.initiative) ----
    def initiative(self):
        """The initiative: named in its module, shown with this module's question in the later ones."""
        thread = self.course.thread
        if not self.usable or self.module is None or thread is None or \
                self.module.id not in (thread.named_in, *thread.used_in):
            return None
        from .initiative import Initiative

        return self.exercise(Initiative)

    def initiative_text(self) -> str:
        """The leader's initiative as they last wrote it, or the words for one not yet named."""
        from innokraft.course.model import THREAD_KEY

        from .initiative import initiative_of

        return initiative_of(self.session.load(THREAD_KEY) if self.usable else None)["text"] or \
            self.t("parts.thread.yours")

    def thread_overview(self) -> None:
        """The start page: the initiative, and what each module has done with it so far."""
        thread = self.course.thread
        if not self.usable or thread is None:
            return
        from innokraft.course.model import THREAD_KEY

        from .initiative import initiative_of

        now = initiative_of(self.session.load(THREAD_KEY))
        states = {p.module_id: p for p in self.progress()}
        steps = []
        for module_id in (thread.named_in, *thread.used_in):
            module = self.course.module(module_id)
            state, status = self._module_state(states.get(module_id))
            steps.append(Markup('<li data-state="{}"><strong>{}</strong> {} <span class="innokraft-status">{}</span>'
                                '</li>').format(state, self.t("ui.module_number",
                                                              number=self.course.modules.index(module) + 1),
                                                self.t(f"{module_id}.thread_use"), status))
        said = (Markup('<blockquote class="innokraft-initiative-text">{}</blockquote>').format(now["text"])
                if now["text"] else Markup("<p>{}</p>").format(self.t("parts.thread.none_yet")))
        show_html(Markup('<section class="innokraft-thread" aria-labelledby="innokraft-thread-h">'
                         '<h2 id="innokraft-thread-h">{}</h2>{}<ol>{}</ol></section>').format(
            self.t("parts.thread.start_title"), said, Markup("").join(steps)))

    # -- the wrap-up (course.yaml `wrapup`): what the course did with the initiative -------------
    def course_answers(self) -> dict[str, object]:
        """Every answer the leader saved in the course, asked of the store once per visit (the
        wrap-up's journey and plan read M1–M8's; their own keys are saved as on any page)."""
        if self._answers is None:
            self._answers = self.session.answers("") if self.usable else {}
        return self._answers

    def journey(self) -> None:
        """The initiative's journey through the modules, one line each (widgets/journey.py)."""
        if not self.usable:
            return
        from .journey import journey_html

        try:
            html = journey_html(self)
        except Exception as exc:
            # As for an exercise: one part that cannot be shown leaves the rest of the page standing.
            self.part_failed("journey", exc)
            return
        show_html(html)

    def task(self) -> None:
        """The workplace task to do with the team before the next module."""
        if self.usable and self.module is not None:
            self.section("ui.task_title", f"{self.module.id}.task", css="innokraft-task",
                         initiative=self.initiative_text())
            from .print_sheet import build_sheet

            sheet = build_sheet(self, self.module.id)
            if sheet is not None:
                display(sheet)

    # -- the wrap-up page --------------------------------------------------------------------------
    def self_assessment(self):
        """The six statements of the course's start again, now and in hindsight (evaluation's
        post.skills), once every module is done (before then they would not measure the course);
        the start page's "due now" links here."""
        if not self.usable:
            return None
        from .evaluation import SelfAssessment

        if POST not in [d.instrument for d in self.due_instruments()] and \
                self.session.load(f"{PREFIX}{POST}") is None:
            return None
        show_html(Markup('<div class="innokraft-anchor" id="{}"></div>').format(self._due_anchor(POST)))
        return self.exercise(SelfAssessment, POST.split(".")[0])

    def certificate(self) -> None:
        """The wrap-up's last part: the certificate to download once every module is done (the
        server makes the PDF), else what is still missing."""
        if not self.usable or self.course.certificate is None:
            return
        if self.session.kind != "learner":
            body = Markup("<p>{}</p>").format(self.t("wrapup.certificate.demo"))
        else:
            states = {p.module_id: p.state for p in self.progress()}
            missing = [m.title[self.lang] for m in self.course.modules if states.get(m.id) != "completed"]
            ready = Markup('<p>{}</p><p class="innokraft-next"><a class="innokraft-primary" href="{}">{}</a></p>')
            body = (Markup("<p>{}</p>").format(self.t("wrapup.certificate.not_yet", modules=", ".join(missing)))
                    if missing else ready.format(self.t("wrapup.certificate.ready"), self.certificate_url(),
                                                 self.t("wrapup.certificate.download")))
        show_html(Markup('<section class="innokraft-certificate" aria-labelledby="innokraft-certificate-h">'
                         '<h2 id="innokraft-certificate-h">{}</h2>{}</section>').format(
            self.t("wrapup.certificate.title"), body))

    # -- evaluation instruments (course.instruments, widgets.evaluation) ------------------------
    def module_end(self) -> None:
        """The last cell of every module: the pulse, and when the follow-ups will open."""
        if self.usable and self.module is not None:
            from .evaluation import Pulse

            self.exercise(Pulse)
            ev = self.course.evaluation
            self.markdown("evaluation.module_end.later", css="innokraft-later",
                          quiz_weeks=ev.delayed_quiz_weeks, follow_up_weeks=ev.follow_up_weeks)
        self.footer()

    def due_instruments(self) -> list[SimpleNamespace]:
        """The evaluation instruments due now, asked of the store once per visit (a demo visitor
        sees the first instrument, never saved)."""
        if self._due is None:
            self._due = [SimpleNamespace(**d) for d in self.session.due()] if self.usable else []
        return self._due

    def next_action(self) -> None:
        super().next_action([d.instrument for d in self.due_instruments()])

    def due_now(self) -> None:
        """The start page's "due now": self-assessments, delayed quizzes, follow-ups, each listed
        as a link to where it is answered below."""
        if not self.usable:
            return
        from .evaluation import DelayedQuiz, FollowUp, SelfAssessment

        items = self.due_instruments()
        if not items:
            return
        links = []
        for d in items:
            name = self.t(f"evaluation.due.{d.instrument.split('.', 1)[-1] if d.module_id else d.instrument}",
                          module=self.course.module(d.module_id).title[self.lang] if d.module_id else "")
            links.append(Markup('<li><a href="{}">{}</a></li>').format(self._due_href(d.instrument), name))
        show_html(Markup('<section class="innokraft-due" aria-labelledby="innokraft-due-h">'
                         '<h2 id="innokraft-due-h">{}</h2><ul>{}</ul></section>').format(
            self.t("evaluation.due.title"), Markup("").join(links)))
        for d in items:
            if self._on_wrapup(d.instrument):
                continue
            show_html(Markup('<div class="innokraft-anchor" id="{}"></div>').format(self._due_anchor(d.instrument)))
            if d.instrument in ("pre.skills", "post.skills"):
                self.exercise(SelfAssessment, d.instrument.split(".")[0])
            elif d.instrument.endswith(".delayed_quiz"):
                self.exercise(DelayedQuiz, self.course.module(d.module_id))
            else:
                self.exercise(FollowUp, self.course.module(d.module_id))

    def _on_wrapup(self, instrument: str) -> bool:
        """The self-assessment after the course is answered on the wrap-up, beside the ratings it
        belongs with; the start page links to it there."""
        return instrument == POST and self.course.wrapup is not None

    def _due_href(self, instrument: str) -> str:
        anchor = "#" + self._due_anchor(instrument)
        return self.url(self.course.wrapup.notebook) + anchor if self._on_wrapup(instrument) else anchor

    @staticmethod
    def _due_anchor(instrument: str) -> str:
        return kernel_page.DUE_ANCHOR.format(instrument.replace(".", "-"))


def before_the_visitor(page_id: str, course: Course, texts: dict[str, dict[str, str]],
                       settings: Settings) -> None:
    """What every visit of this page needs and no visitor changes, done while a preheated kernel
    waits for one (issue 7; ~50 ms of each M1 visit): a module page's closing pulse and task sheet
    imported (the kernel room renders the page's texts and reads the facts)."""
    if any(m.id == page_id for m in course.modules):
        from .evaluation import Pulse  # noqa: F401
        from .print_sheet import build_sheet  # noqa: F401


def open_page(page_id: str, lang: str | None = None, token: str | None = None,
              settings: Settings | None = None) -> CoursePage:
    """The page for a notebook: its link checked, its language chosen, its visit recorded."""
    return kernel_page.open_page(page_id, lang, token, settings, page_class=CoursePage,
                                 before_the_visitor=before_the_visitor)
