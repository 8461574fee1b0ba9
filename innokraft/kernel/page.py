"""The page helper a notebook calls: open the learner's session, show texts and exercises.

    page = open_page("m1", lang=lang, token=token)   # in the notebook's first real cell
    page.header()
    page.exercise(MythOrData, "myth_or_data")
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from IPython.display import HTML, display
from markupsafe import Markup

from ..core.answers import ANSWER_LIMIT, answer_size, without_nul
from ..core.errors import SubmitError
from ..core.settings import KernelEnv, Settings
from ..core.tokens import certificate_url, page_url
from ..course import glossary, service
from ..course.facts import registry
from ..course.load import course_and_texts, module_fact_ids
from ..course.model import WRAPUP, Course
from ..course.texts import Texts, choose_language
from . import request, steps
from .autosave import Autosaver
from .client import StoreRefused, StoreUnavailable
from .visit import FeedbackInfo, PageSession, SubmissionInfo

START = "start"
log = logging.getLogger("innokraft.page")
# A link within the course (a path, a query or a fragment, not another site) without a target.
_COURSE_LINK = re.compile(r'<a (?![^>]*\btarget=)(?=[^>]*\bhref="(?:/|\?|#|\.))')


# Any other link without a target: another site (a source), opened as JupyterLab's renderer
# would (handleDefaults), since the page now writes this HTML itself (the template's data_priority).
_OTHER_LINK = re.compile(r'<a (?![^>]*\btarget=)')


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# Where an output stands on the page: {"region": "banner" | "footer"} (the page template puts
# them outside <main>, as landmarks of their own).
REGION_MIME = "application/vnd.innokraft.region+json"
# Where an instrument due on the start page begins ("due-pre-skills"), for the links to it.
DUE_ANCHOR = "due-{}"


def show_widget_state() -> None:
    """Every widget's state, as the page's last output: the page's widget front-end draws the
    widgets from it at once instead of asking the kernel for it once connected (a round trip,
    issue 7). A rendered page rests, so this state is still the kernel's when the page connects.
    The template writes it as it writes every output that is not course text: JSON, escaped
    for a script element."""
    from ipywidgets import Widget

    from .patches.comms import release

    release()  # from here on the widgets' messages go out: the page is written
    display({WIDGET_STATE: Widget.get_manager_state()}, raw=True)


def show_html(markup: Markup, marks: dict | None = None) -> None:
    """Static course text as a plain HTML output: no widget model, nothing for the page to sync.

    Only markupsafe.Markup is shown (texts escaped as they were put in): a plain string here
    is HTML built by hand, refused so that no learner's or course author's text slips in raw.

    JupyterLab's output renderer (Voilà's too) opens every link whose target is unset in a
    new tab and rewrites relative ones into file downloads. Course links are paths from the
    server's root (`Page.url`) and get target="_self" here, so they open in place. The page
    template writes this HTML into the page as it is (no renderer), so links to other sites get
    the renderer's target="_blank" rel="noopener" here too.

    `marks` tell the page template where this output stands (REGION_MIME: the page's banner or
    footer, outside <main>; steps.STEP_MIME: a step begins); elsewhere the HTML shows as it is.
    """
    if not isinstance(markup, Markup):
        raise TypeError("show_html takes markupsafe.Markup (escape every text that goes in)")
    markup = _COURSE_LINK.sub('<a target="_self" ', markup)
    markup = _OTHER_LINK.sub('<a target="_blank" rel="noopener" ', markup)
    if marks:
        display({"text/html": str(markup), "text/plain": "", **marks}, raw=True)
    else:
        display(HTML(markup))


class Page:
    def __init__(self, page_id: str, course: Course, texts: Texts, session: PageSession,
                 settings: Settings):
        self.id = page_id
        self.course = course
        self.t = texts
        self.lang = texts.lang
        self.session = session
        self.settings = settings
        self._listeners: dict[str, list] = {}
        self.autosaver = Autosaver(self._write, self._report,
                                   retryable=lambda exc: not isinstance(exc, StoreRefused))
        self._hooks = None
        self._steps: list[steps.StepView] | None = None
        self._told: dict[str, object] = {}
        self._hearers: dict[str, list[Callable[[object], None]]] = {}
        self._glossary: list[glossary.Term] | None = None
        self._terms_seen: set[str] = set()

    # -- what one part of the page tells another (a team's result to the reflections) ------------
    def tell(self, topic: str, value: object) -> None:
        self._told[topic] = value
        for hearer in self._hearers.get(topic, []):
            hearer(value)

    def told(self, topic: str) -> object | None:
        return self._told.get(topic)

    def hear(self, topic: str, hearer: Callable[[object], None]) -> None:
        self._hearers.setdefault(topic, []).append(hearer)

    # -- who and where ----------------------------------------------------------------------
    @property
    def usable(self) -> bool:
        return self.session.kind != "refused"

    @property
    def module(self):
        return None if self.id in (START, WRAPUP) else self.course.module(self.id)

    @property
    def notebook(self) -> str:
        return self.course.notebooks[self.id]

    def url(self, notebook: str, lang: str | None = None) -> str:
        """A link to another course page, beside this one: /voila/render/ under `innokraft serve`,
        /voila/render/notebooks/ on Binder. Voilà gives the page's path as SCRIPT_NAME; the path
        is absolute because a relative link in an output opens in a new tab (JupyterLab's
        rendermime). Outside Voilà (papermill) the link is relative."""
        relative = page_url("", notebook, self.session.token, lang or self.lang).removeprefix("/voila/render/")
        here = KernelEnv.from_env().script_name
        return here.rsplit("/", 1)[0] + "/" + relative if here.endswith(".ipynb") else relative

    def now(self) -> str:
        return datetime.now(ZoneInfo(self.course.timezone)).strftime("%H:%M")

    # -- saving -----------------------------------------------------------------------------
    def autosave(self, key: str, value: object, listener) -> None:
        """Save value under key (debounced); listener(state) hears saving/saved/failed."""
        self._listeners.setdefault(key, [])
        if listener not in self._listeners[key]:
            self._listeners[key].append(listener)
        if answer_size(value) > ANSWER_LIMIT:
            listener("too_long")  # nothing written: the last saved version stays
            return
        self.autosaver.changed(key, without_nul(value))

    def save_now(self, key: str) -> None:
        """Write key's pending value at once, not after the typing pause."""
        self.autosaver.flush(key)

    def _write(self, key: str, value: object) -> str:
        state = self.session.save(key, value)
        if self._hooks is not None:
            self._hooks.confirm(key, value)
        return state

    def _report(self, key: str, state: str) -> None:
        for listener in self._listeners.get(key, []):
            listener(state)

    def status_text(self, state: str) -> str:
        if not self.session.can_save:
            return self.t("ui.demo_not_saved")
        if state == "saved":
            return self.t("ui.saved", time=self.now())
        if state == "too_long":
            return self.t("security.too_long", limit=f"{ANSWER_LIMIT:,}".replace(",", "\u00a0"))
        if state == "replaced":
            return self.t("saving.replaced", time=self.now())
        if state == "retrying":
            return self.t("saving.retrying")
        return self.t("ui.saving") if state == "saving" else self.t("saving.refused")

    def mark_done(self, item: str) -> None:
        """Record that a part of the module is done; the store completes the module when all are."""
        if self.module is not None or self.id == WRAPUP:
            self.session.done(item)

    def progress(self) -> list[SimpleNamespace]:
        """The learner's progress per module (module_id, done, total, opened, state)."""
        return [SimpleNamespace(**p) for p in self.session.progress()]

    # -- reflections to nbgrader and back (the server does the nbgrader part) -------------------
    def submit_reflections(self, answers: dict[str, str]) -> SubmissionInfo:
        """Hand the module's reflections in for grading (raises SubmitError with a kind).

        The store checks the link again: it may have been revoked while the page was open.
        """
        if not self.session.can_save:
            raise SubmitError("demo")
        if not any(a.strip() for a in answers.values()):
            raise SubmitError("empty")
        if any(answer_size(text) > ANSWER_LIMIT for text in answers.values()):
            raise SubmitError("too_long")
        self.autosaver.flush()
        return self.session.submit(without_nul(answers), self.lang)

    def latest_submission(self) -> SubmissionInfo | None:
        return self.session.latest_submission()

    def feedback(self) -> FeedbackInfo | None:
        return self.session.feedback()

    def feedback_url(self) -> str:
        """The full feedback page, served by `innokraft serve` to the holder of the link."""
        base = KernelEnv.from_env().base_url or "../../"
        return f"{base}innokraft/feedback/{self.id}?t={self.session.token}&lang={self.lang}"

    def certificate_url(self) -> str:
        """The learner's certificate as a PDF, served by `innokraft serve` to the holder of the link
        (a page saying what is missing until every module is done): the wrap-up's download."""
        return certificate_url(KernelEnv.from_env().base_url or "../../", self.session.token, self.lang)

    def about_url(self, kind: str) -> str:
        """The privacy notice or the accessibility statement, as the footer links it."""
        root = KernelEnv.from_env().base_url or "../../"
        return service.about_url(root, kind, self.lang, self.session.token if self.usable else None)

    def local_time(self, moment: datetime) -> str:
        """A moment as a person writes it in the page's language, in the course's time zone."""
        local = moment.astimezone(ZoneInfo(self.course.timezone))
        return self.t("ui.moment", day=local.day, month=self.t.items("ui.months")[local.month - 1],
                      year=local.year, hour=f"{local.hour:02d}", minute=f"{local.minute:02d}")

    # -- showing ----------------------------------------------------------------------------
    def title(self) -> str:
        if self.id == WRAPUP:
            return self.t("wrapup.title")
        if self.module is None:
            return self.course.title[self.lang]
        number = self.course.modules.index(self.module) + 1
        return f"{self.t('ui.module_number', number=number)}: {self.module.title[self.lang]}"

    def page_title(self) -> str:
        """The browser tab's title: the page, then the service it belongs to."""
        if self.session.kind == "refused":
            page = self.t("ui.link_error.title")
        else:
            page = self.t("ui.start_page") if self.id == START else self.title()
        return self.t("ui.page_title", page=page, service=self.course.title[self.lang])

    def header(self) -> None:
        """The page's banner (the service, the way back, the language) outside <main>; then, in
        <main>, its title, and on a module page its steps."""
        other = next((lang for lang in self.course.languages if lang != self.lang), None)
        nav = []
        if self.id != START and self.usable:
            nav.append(Markup('<a href="{}">{}</a>').format(self.url(self.course.start_notebook),
                                                            self.t("ui.back_to_start")))
        if other and self.session.kind != "refused":
            href = self.url(self.notebook, other)
            # The link's name is its visible text (WCAG 2.5.3: speech users say what they see).
            nav.append(Markup('<a class="innokraft-lang" href="{0}" hreflang="{1}" lang="{1}">{2}</a>').format(
                href, other, self.t("ui.language_switch")))
        banner = [Markup('<header class="innokraft-header" data-page-lang="{}" data-page-title="{}">{}').format(
            self.lang, self.page_title(), service.service_bar(self.t))]
        if nav:
            banner.append(Markup('<nav class="innokraft-nav" aria-label="{}">{}</nav>').format(
                self.t("ui.nav_label"), Markup(" ").join(nav)))
        banner.append(Markup("</header>"))
        show_html(Markup("").join(banner), marks={REGION_MIME: {"region": "banner"}})

        parts = [Markup('<div class="innokraft-title"><h1>{}</h1>').format(self.title())]
        minutes = self.module.minutes if self.module else self.course.wrapup.minutes if self.id == WRAPUP else None
        if minutes and self.usable:
            parts.append(Markup('<p class="innokraft-meta">{}</p>').format(self.t("ui.minutes", minutes=minutes)))
        parts.append(Markup("</div>"))
        if self.usable:
            parts.append(self.saving_banner())
        if self.session.kind == "demo":
            parts.append(Markup('<div class="innokraft-demo" role="note">{}</div>').format(
                self.t.html("ui.demo_banner")))
        if self.session.kind == "refused" and self.session.error == "unavailable":
            parts.append(Markup('<div class="innokraft-error" role="alert"><h2>{}</h2><p>{}</p>'
                                '<p class="innokraft-help">{}</p></div>').format(
                self.t("ui.unavailable.title"), self.t("ui.unavailable.text"), service.need_help(self.t)))
        elif self.session.kind == "refused":
            parts.append(Markup('<div class="innokraft-error" role="alert"><h2>{}</h2><p>{}</p><p>{}</p>'
                                '<p class="innokraft-help">{}</p></div>').format(
                self.t("ui.link_error.title"), self.t("ui.link_error." + self.session.error),
                self.t("ui.link_error.nothing_saved"), service.need_help(self.t)))
        if self.module and self.usable:
            parts.append(steps.task_list(self.t, self.step_list()))
        show_html(Markup("").join(parts))

    # -- steps (kernel/steps.py) ------------------------------------------------------------------
    def step_list(self) -> list[steps.StepView]:
        """The module's steps with the learner's state in each, as the page opened."""
        if self._steps is None:
            answered = {k.removeprefix(f"{self.id}.") for k in self.session.answers(f"{self.id}.")}
            self._steps = steps.step_views(self.t, self.module, self.session.done_items, answered)
        return self._steps

    def step(self, step_id: str) -> None:
        """A step of the module begins here: the end of the last one leads on to it."""
        if not self.usable or self.module is None:
            return
        views = {v.id: v for v in self.step_list()}
        if step_id not in views:
            raise KeyError(f"step {step_id!r} is not in course.yaml's steps for {self.module.id}")
        view = views[step_id]
        if view.number > 1:
            show_html(steps.next_step_link(self.t, view))
        show_html(steps.step_heading(self.t, view),
                  marks={steps.STEP_MIME: {"anchor": view.anchor, "number": view.number}})

    def footer(self) -> None:
        """Contact, accessibility statement and privacy notice: the last thing on every page, after
        <main> (the page template closes it here)."""
        # A path from the server's root, as Page.url gives (relative links get rewritten).
        root = KernelEnv.from_env().base_url or "../../"
        show_html(service.footer(self.t, root, self.session.token if self.usable else None),
                  marks={REGION_MIME: {"region": "footer"}})
        if request.in_voila():
            show_widget_state()

    def saving_banner(self) -> Markup:
        """Where innokraft-saving.js says that the connection is lost or the browser offline,
        with its texts; and whose unsent text it keeps in this browser (learner and page)."""
        texts = {k.replace("_", "-"): self.t(f"saving.{k}") for k in (
            "lost_title", "lost_text", "reload", "offline_title", "offline_text", "not_saved",
            "not_saved_offline", "restored")}
        learner = self.session.learner.id if self.session.kind == "learner" else ""
        attrs = Markup(" ").join(Markup('data-{}="{}"').format(k, v) for k, v in texts.items())
        return Markup('<div class="innokraft-saving" data-learner="{}" data-page="{}" {}>'
                      '<div class="innokraft-banner innokraft-banner-lost" role="alert"></div>'
                      '<div class="innokraft-banner innokraft-banner-offline" role="status"></div></div>').format(
            learner, self.id, attrs)

    def markdown(self, key: str, css: str = "innokraft-text", **values) -> None:
        if self.usable:
            show_html(Markup('<div class="{}">{}</div>').format(css, self.explained(self.t.html(key, **values))))

    def section(self, title_key: str, body_key: str, css: str, **values) -> None:
        if self.usable:
            show_html(Markup('<section class="{}"><h2>{}</h2>{}</section>').format(
                css, self.t(title_key), self.explained(self.t.html(body_key, **values))))

    def explained(self, html: Markup) -> Markup:
        """A course text with each glossary term's first use on this page explained after it."""
        if self._glossary is None:
            self._glossary = glossary.terms(self.t)
        return glossary.explain_first_uses(html, self._glossary, self._terms_seen, self.t)

    # -- the parts of a module page (their order is checked by `innokraft check`) ---------------
    def intro(self) -> None:
        """The first screen: what the leader can do afterwards, and why it matters."""
        if not self.usable or self.module is None:
            return
        m = self.module.id
        items = Markup("").join(Markup("<li>{}</li>").format(self.t.html_inline(f"{m}.objectives.{i}"))
                                for i in range(len(self.t.items(f"{m}.objectives"))))
        show_html(Markup('<section class="innokraft-intro" aria-labelledby="innokraft-objectives-h">'
                         '<h2 id="innokraft-objectives-h">{}</h2><ul>{}</ul><h2>{}</h2>{}</section>').format(
            self.t("parts.objectives_title"), items, self.t("parts.why_title"), self.t.html(f"{m}.why")))

    def sources(self) -> None:
        """Every source behind a number on this page, with its link, then the module's other reading."""
        if not self.usable or self.module is None:
            return
        ids = module_fact_ids(self.settings.config_dir, self.module.id)
        parts = [registry(str(self.settings.config_dir)).sources_markdown(ids)]
        if self.t.has(f"{self.module.id}.further_sources"):
            parts.append(self.t(f"{self.module.id}.further_sources"))
        body = self.t.render_markdown("\n".join(p for p in parts if p))
        # Folded: on a phone the list with its addresses was two screens of the last step.
        show_html(Markup('<section class="innokraft-sources" aria-labelledby="innokraft-sources-h">'
                         '<h2 id="innokraft-sources-h">{}</h2><details><summary>{}</summary>{}</details>'
                         '</section>').format(self.t("ui.sources_title"), self.t("ui.sources_show"), body))

    def exercise(self, cls, *args, **kwargs):
        """Build an exercise widget bound to this page and show it (not on a refused link)."""
        if not self.usable:
            return None
        if self._hooks is None and self.session.can_save:
            from .hooks import PageHooks

            self._hooks = PageHooks(self.autosaver)
            for key, value in self.session.answers(f"{self.id}.").items():
                self._hooks.confirm(key, value)
        try:
            widget = cls(self, *args, **kwargs)
        except Exception as exc:
            # One part that cannot be shown (an answer saved in an older shape, a fault in the
            # store) must not take the rest of the page with it: the page is one cell.
            self.part_failed(getattr(cls, "__name__", str(cls)), exc)
            return None
        display(widget)
        return widget

    def part_failed(self, part: str, exc: Exception) -> None:
        """Say calmly where a part failed, and tell the server's log which part and why (the server
        names the learner by their pseudonym, never by their link)."""
        show_html(Markup('<div class="innokraft-error innokraft-part-error" role="alert"><h2>{}</h2><p>{}</p>'
                         '</div>').format(self.t("ui.part_error.title"), self.t("ui.part_error.text")))
        detail = f"{type(exc).__name__}: {exc}"[:500]
        try:
            self.session.report(part, detail)
        except Exception:  # the store may be what failed: the kernel's own log still has it
            pass
        log.warning("page %s: part %s could not be shown (%s)", self.id, part, type(exc).__name__)

    def module_overview(self) -> None:
        """The start page's list of modules with the learner's progress and links; each button
        says what it does for this learner (begin, continue, read the feedback, open again)."""
        if not self.usable:
            return
        states = {p.module_id: p for p in self.progress()}
        items = []
        for number, module in enumerate(self.course.modules, start=1):
            state, status = self._module_state(states.get(module.id))
            items.append(self._overview_item(module.id, state, self.t("ui.module_number", number=number),
                                             module.title[self.lang], module.minutes, status,
                                             module.notebook, self.t(f"ui.open_module.{state}")))
        if self.course.wrapup is not None:
            # The course's closing page after the modules: its parts done.
            p = states.get(WRAPUP)
            state = "not_started" if p is None else p.state
            status = (self.t("start.wrapup.status.completed") if state == "completed" else
                      self.t("ui.status.in_progress", done=p.done, total=p.total) if state == "in_progress" else
                      self.t("ui.status.not_started"))
            items.append(self._overview_item(WRAPUP, state, self.t("start.wrapup.label"), self.t("wrapup.title"),
                                             self.course.wrapup.minutes, status, self.course.wrapup.notebook,
                                             self.t(f"start.wrapup.open.{state}")))
        show_html(Markup('<section class="innokraft-modules" aria-labelledby="innokraft-modules-h">'
                         '<h2 id="innokraft-modules-h">{}</h2><ul>{}</ul></section>').format(
            self.t("start.modules_title"), Markup("").join(items)))

    def _overview_item(self, page_id: str, state: str, label: str, title: str, minutes: int, status: str,
                       notebook: str, open_text: str) -> Markup:
        """One page in the start page's list: its name, time and state, and a button whose name
        says what it does and for which page."""
        return Markup(
            '<li class="innokraft-module" data-module="{id}" data-state="{state}"><h3>{label}: {title}</h3>'
            '<p>{minutes} · <span class="innokraft-status">{status}</span></p>'
            '<a class="innokraft-open" href="{href}">{open}<span class="innokraft-sr"> – {title}</span></a>'
            '</li>').format(id=page_id, state=state, label=label, title=title,
                            minutes=self.t("ui.minutes", minutes=minutes), status=status,
                            href=self.url(notebook), open=open_text)

    def next_action(self, due: list[str]) -> None:
        """The start page's one action on its first screen, following where the leader is: the
        baseline first (`due`: the instruments due now, in the order the page shows them), then
        the module to continue or begin."""
        if not self.usable:
            return
        states = {p.module_id: p for p in self.progress()}
        if "pre.skills" in due:
            href, text = "#" + DUE_ANCHOR.format("pre-skills"), self.t("start.next.baseline")
        else:
            going = next((m for m in self.course.modules
                          if self._module_state(states.get(m.id))[0] == "in_progress"), None)
            fresh = next((m for m in self.course.modules
                          if self._module_state(states.get(m.id))[0] == "not_started"), None)
            module, key = (going, "continue") if going else (fresh, "begin")
            closing = states.get(WRAPUP)
            if module is None and self.course.wrapup is not None and (closing is None or closing.state != "completed"):
                # Every module done: the course closes on its wrap-up, where the certificate is too.
                href = self.url(self.course.wrapup.notebook)
                text = self.t("start.next.wrapup", title=self.t("wrapup.title"))
            elif module is None and self.session.kind == "learner":
                # Every module done: the certificate is what the leader takes away next.
                href, text = self.certificate_url(), self.t("start.next.certificate")
            elif module is None:
                href, text = "#innokraft-modules-h", self.t("start.next.all_done")
            else:
                number = self.course.modules.index(module) + 1
                href = self.url(module.notebook)
                text = self.t(f"start.next.{key}", number=number, module=module.title[self.lang])
        show_html(Markup('<p class="innokraft-next"><a class="innokraft-primary" href="{}">{}</a></p>').format(
            href, text))

    def _module_state(self, p) -> tuple[str, str]:
        """The state a module's page shows, in a word and in the learner's language: its parts
        done, then its reflections handed in and their feedback."""
        if p is None or p.state == "not_started":
            return "not_started", self.t("ui.status.not_started")
        if p.feedback:
            return "feedback", self.t("ui.status.feedback")
        if p.submitted:
            return "submitted", self.t("ui.status.submitted")
        if p.state == "completed":
            return "completed", self.t("ui.status.completed")
        return "in_progress", self.t("ui.status.in_progress", done=p.done, total=p.total)

    def welcome(self) -> None:
        if not self.usable:
            return
        if self.session.kind == "learner" and self.session.learner.name:
            text = self.t("start.welcome", name=self.session.learner.name)  # escaped as it is shown
        else:
            text = self.t("start.welcome_anonymous")
        show_html(Markup('<p class="innokraft-welcome">{}</p>').format(text))


def prepare_course(settings: Settings | None = None) -> None:
    """What every page's kernel prepares before its visitor, for every page of the course at once:
    the course and its texts read, the facts registry, every text rendered. The kernels' fork
    server (innokraft.kernel.forkserver) runs it once; each kernel forked from it finds it done."""
    settings = settings or Settings.from_env()
    _course, texts = course_and_texts(settings.config_dir)
    registry(str(settings.config_dir))
    for table in texts.values():
        for text in table.values():
            Texts.render_markdown(text)


def open_page(page_id: str, lang: str | None = None, token: str | None = None,
              settings: Settings | None = None, page_class: type[Page] = Page,
              before_the_visitor: Callable[[str, Course, dict, Settings], None] | None = None) -> Page:
    """Read the request, check the link, pick the language and record the visit.

    Parameters come from the notebook's parameters cell; inside Voilà the request's
    ?t= and ?lang= win. The link is checked by the store (the server's, under
    `innokraft serve`), which also records the visit and hands back the page's answers.
    A preheated kernel runs `before_the_visitor` while it waits for its visitor.
    """
    settings = settings or Settings.from_env()
    env = KernelEnv.from_env()
    course, texts = course_and_texts(settings.config_dir)
    if env.in_voila:
        from .patches import comms, streams

        comms.hold()  # until the page's widget state is written (show_widget_state)
        streams.install()
    if env.preheated:
        registry(str(settings.config_dir))
        from . import hooks  # noqa: F401  (every page with answers makes its PageHooks)

        for table in texts.values():
            for key, text in table.items():
                if key.startswith(f"{page_id}."):
                    Texts.render_markdown(text)
        if before_the_visitor is not None:
            before_the_visitor(page_id, course, texts, settings)
        # What the kernel holds now lives as long as it does: a full garbage collection during
        # the visit (~20 ms) would walk it all again.
        gc.collect()
        gc.freeze()
    query = request.query()
    if env.in_voila:
        token = query.get("t")
    lang = query.get("lang") or lang
    try:
        session = PageSession.open(page_id, token, lang if lang in course.languages else None)
    except (StoreUnavailable, StoreRefused) as exc:
        # The store cannot be asked now (stopped, locked, refusing): the page says so calmly, the
        # learner's saved answers stay where they are, and nothing on the page pretends to save.
        log.warning("page %s: the store could not open the visit (%s)", page_id, type(exc).__name__)
        session = PageSession("refused", page_id, error="unavailable")
    if session.kind == "demo" and env.in_voila and KernelEnv.from_env().require_link:
        # On `innokraft serve` a learner without their link must not work for 40 minutes in
        # a demo that saves nothing: say so (Binder, without a token, stays a labelled demo).
        session = PageSession("refused", page_id, error="missing")
    saved_lang = session.learner.lang if session.learner else None
    chosen = choose_language(course, lang, saved_lang)
    return page_class(page_id, course, Texts(chosen, texts[chosen]), session, settings)
