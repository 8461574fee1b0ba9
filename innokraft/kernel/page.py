"""The page helper a notebook calls: open the learner's session, show texts and exercises.

    page = open_page("m1", lang=lang, token=token)   # in the notebook's first real cell
    page.header()
    page.exercise(MythOrData, "myth_or_data")
"""

from __future__ import annotations

import gc
import html
import re
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from IPython.display import HTML, display

from ..core.errors import SubmitError
from ..core.settings import KernelEnv, Settings
from ..core.tokens import page_url
from ..course import service
from ..course.facts import registry
from ..course.load import course_and_texts, module_fact_ids
from ..course.model import Course
from ..course.texts import Texts, choose_language
from . import request
from .autosave import Autosaver
from .client import StoreRefused
from .visit import FeedbackInfo, PageSession, SubmissionInfo

START = "start"
# The most characters one answer may hold (a reflection is a few hundred words): a clear
# limit instead of a megabyte in the store, in nbgrader's notebooks and on the dashboard.
ANSWER_LIMIT = 20_000


def answer_size(value: object) -> int:
    """Characters of text in an answer (strings, in lists and dicts too)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(answer_size(k) + answer_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return sum(answer_size(v) for v in value)
    return 0


def without_nul(value: object) -> object:
    """NUL cannot be typed, breaks PostgreSQL text and nbgrader's notebooks: dropped."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value


# A link within the course (a path, a query or a fragment, not another site) without a target.
_COURSE_LINK = re.compile(r'<a (?![^>]*\btarget=)(?=[^>]*\bhref="(?:/|\?|#|\.))')


# Any other link without a target: another site (a source), opened as JupyterLab's renderer
# would (handleDefaults), since the page now writes this HTML itself (the template's data_priority).
_OTHER_LINK = re.compile(r'<a (?![^>]*\btarget=)')


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


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


def show_html(markup: str) -> None:
    """Static course text as a plain HTML output: no widget model, nothing for the page to sync.

    JupyterLab's output renderer (Voilà's too) opens every link whose target is unset in a
    new tab and rewrites relative ones into file downloads. Course links are paths from the
    server's root (`Page.url`) and get target="_self" here, so they open in place. The page
    template writes this HTML into the page as it is (no renderer), so links to other sites get
    the renderer's target="_blank" rel="noopener" here too.
    """
    markup = _COURSE_LINK.sub('<a target="_self" ', markup)
    display(HTML(_OTHER_LINK.sub('<a target="_blank" rel="noopener" ', markup)))


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

    # -- who and where ----------------------------------------------------------------------
    @property
    def usable(self) -> bool:
        return self.session.kind != "refused"

    @property
    def module(self):
        return None if self.id == START else self.course.module(self.id)

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
        if self.module is not None:
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

    def local_time(self, moment: datetime) -> str:
        return moment.astimezone(ZoneInfo(self.course.timezone)).strftime("%Y-%m-%d %H:%M")

    # -- showing ----------------------------------------------------------------------------
    def header(self) -> None:
        other = next((lang for lang in self.course.languages if lang != self.lang), None)
        nav = []
        if self.module is not None and self.usable:
            nav.append(f'<a href="{html.escape(self.url(self.course.start_notebook))}">'
                       f'{html.escape(self.t("ui.back_to_start"))}</a>')
        if other and self.session.kind != "refused":
            href = self.url(self.module.notebook if self.module else self.course.start_notebook, other)
            # The link's name is its visible text (WCAG 2.5.3: speech users say what they see).
            nav.append(
                f'<a class="innokraft-lang" href="{html.escape(href)}" hreflang="{other}" '
                f'lang="{other}">{html.escape(self.t("ui.language_switch"))}</a>'
            )
        title = self.t("ui.module_number", number=self.course.modules.index(self.module) + 1) \
            + ": " + self.module.title[self.lang] if self.module else self.course.title[self.lang]
        meta = (f'<p class="innokraft-meta">{html.escape(self.t("ui.minutes", minutes=self.module.minutes))}</p>'
                if self.module and self.usable else "")
        parts = [
            f'<div class="innokraft-header" data-page-lang="{self.lang}" '
            f'data-page-title="{html.escape(title)}">{service.service_bar(self.t)}',
            f'<nav class="innokraft-nav">{" ".join(nav)}</nav>' if nav else "",
            f"<h1>{html.escape(title)}</h1>{meta}</div>",
        ]
        if self.usable:
            parts.append(self.saving_banner())
        if self.session.kind == "demo":
            parts.append(f'<div class="innokraft-demo" role="note">{self.t.html("ui.demo_banner")}</div>')
        if self.session.kind == "refused":
            parts.append(
                f'<div class="innokraft-error" role="alert"><h2>{html.escape(self.t("ui.link_error.title"))}</h2>'
                f'<p>{html.escape(self.t("ui.link_error." + self.session.error))}</p>'
                f'<p>{html.escape(self.t("ui.link_error.nothing_saved"))}</p>'
                f'<p class="innokraft-help">{service.need_help(self.t)}</p></div>'
            )
        show_html("".join(parts))

    def footer(self) -> None:
        """Contact, accessibility statement and privacy notice: the last thing on every page."""
        # A path from the server's root, as Page.url gives (relative links get rewritten).
        root = KernelEnv.from_env().base_url or "../../"
        show_html(service.footer(self.t, root, self.session.token if self.usable else None, tag="section"))
        if request.in_voila():
            show_widget_state()

    def saving_banner(self) -> str:
        """Where innokraft-saving.js says that the connection is lost or the browser offline,
        with its texts; and whose unsent text it keeps in this browser (learner and page)."""
        texts = {k.replace("_", "-"): self.t(f"saving.{k}") for k in (
            "lost_title", "lost_text", "reload", "offline_title", "offline_text", "not_saved",
            "not_saved_offline", "submit_failed")}
        learner = self.session.learner.id if self.session.kind == "learner" else ""
        attrs = " ".join(f'data-{k}="{html.escape(v)}"' for k, v in texts.items())
        return (f'<div class="innokraft-saving" data-learner="{html.escape(learner)}" '
                f'data-page="{html.escape(self.id)}" {attrs}>'
                '<div class="innokraft-banner innokraft-banner-lost" role="alert"></div>'
                '<div class="innokraft-banner innokraft-banner-offline" role="status"></div></div>')

    def markdown(self, key: str, css: str = "innokraft-text", **values) -> None:
        if self.usable:
            show_html(f'<div class="{css}">{self.t.html(key, **values)}</div>')

    def section(self, title_key: str, body_key: str, css: str) -> None:
        if self.usable:
            show_html(f'<section class="{css}"><h2>{html.escape(self.t(title_key))}</h2>'
                         f'{self.t.html(body_key)}</section>')

    # -- the parts of a module page (their order is checked by `innokraft check`) ---------------
    def intro(self) -> None:
        """The first screen: what the leader can do afterwards, and why it matters."""
        if not self.usable or self.module is None:
            return
        m = self.module.id
        items = "".join(f"<li>{self.t.html_inline(f'{m}.objectives.{i}')}</li>"
                        for i in range(len(self.t.items(f"{m}.objectives"))))
        show_html(
            f'<section class="innokraft-intro" aria-labelledby="innokraft-objectives-h">'
            f'<h2 id="innokraft-objectives-h">{html.escape(self.t("parts.objectives_title"))}</h2>'
            f"<ul>{items}</ul>"
            f'<h2>{html.escape(self.t("parts.why_title"))}</h2>{self.t.html(f"{m}.why")}</section>'
        )

    def sources(self) -> None:
        """Every source behind a number on this page, with its link, then the module's other reading."""
        if not self.usable or self.module is None:
            return
        ids = module_fact_ids(self.settings.config_dir, self.module.id)
        parts = [registry(str(self.settings.config_dir)).sources_markdown(ids)]
        if self.t.has(f"{self.module.id}.further_sources"):
            parts.append(self.t(f"{self.module.id}.further_sources"))
        body = self.t.render_markdown("\n".join(p for p in parts if p))
        show_html(f'<section class="innokraft-sources"><h2>{html.escape(self.t("ui.sources_title"))}'
                  f"</h2>{body}</section>")

    def exercise(self, cls, *args, **kwargs):
        """Build an exercise widget bound to this page and show it (not on a refused link)."""
        if not self.usable:
            return None
        if self._hooks is None and self.session.can_save:
            from .hooks import PageHooks

            self._hooks = PageHooks(self.autosaver)
            for key, value in self.session.answers(f"{self.id}.").items():
                self._hooks.confirm(key, value)
        widget = cls(self, *args, **kwargs)
        display(widget)
        return widget

    def module_overview(self) -> None:
        """The start page's list of modules with the learner's progress and links."""
        if not self.usable:
            return
        states = {p.module_id: p for p in self.progress()}
        items = []
        for number, module in enumerate(self.course.modules, start=1):
            p = states.get(module.id)
            state, status = self._module_state(p)
            title = module.title[self.lang]
            items.append(
                f'<li class="innokraft-module" data-module="{module.id}" data-state="{state}">'
                f'<h3>{html.escape(self.t("ui.module_number", number=number))}: {html.escape(title)}</h3>'
                f'<p>{html.escape(self.t("ui.minutes", minutes=module.minutes))} · '
                f'<span class="innokraft-status">{html.escape(status)}</span></p>'
                f'<a class="innokraft-open" href="{html.escape(self.url(module.notebook))}">'
                f'{html.escape(self.t("ui.open_module"))}<span class="innokraft-sr"> – '
                f'{html.escape(title)}</span></a></li>'
            )
        show_html(
            f'<section class="innokraft-modules" aria-labelledby="innokraft-modules-h">'
            f'<h2 id="innokraft-modules-h">{html.escape(self.t("start.modules_title"))}</h2>'
            f'<ul>{"".join(items)}</ul></section>'
        )

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
            text = self.t("start.welcome", name=html.escape(self.session.learner.name))
        else:
            text = self.t("start.welcome_anonymous")
        show_html(f'<p class="innokraft-welcome">{text}</p>')


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
    session = PageSession.open(page_id, token, lang if lang in course.languages else None)
    if session.kind == "demo" and env.in_voila and KernelEnv.from_env().require_link:
        # On `innokraft serve` a learner without their link must not work for 40 minutes in
        # a demo that saves nothing: say so (Binder, without a token, stays a labelled demo).
        session = PageSession("refused", page_id, error="missing")
    saved_lang = session.learner.lang if session.learner else None
    chosen = choose_language(course, lang, saved_lang)
    return page_class(page_id, course, Texts(chosen, texts[chosen]), session, settings)
