"""A module page in steps (course.yaml's `steps`): the task list at the top, each step's heading,
and the step a returning leader continues from.

A module on a phone was one long scroll (M1: 24 screens before the first answer) that reopened
at the top. Each step is a section of its own (`#steg-N`, the page template wraps everything
from one step's marker to the next); the task list names each step with its minutes and its
state in words, and leads on to the first step not yet done.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..course.model import Module
from ..course.texts import Texts

# The output a step starts with: the page template opens a <section> there (index.html.j2).
STEP_MIME = "application/vnd.innokraft.step+json"


@dataclass(frozen=True)
class StepView:
    number: int
    total: int
    id: str
    title: str
    minutes: int
    state: str  # done | started | todo

    @property
    def anchor(self) -> str:
        # The same in every language: the language switch keeps the step (innokraft.js).
        return f"steg-{self.number}"


def step_title(t: Texts, module: Module, step_id: str) -> str:
    own = f"{module.id}.steps.{step_id}"
    return t(own) if t.has(own) else t(f"parts.steps.{step_id}")


def step_views(t: Texts, module: Module, done: set[str], answered: set[str]) -> list[StepView]:
    """Each step with its state: done when all its parts are, started when one has an answer; a
    step for reading is done once a later step is begun."""
    begun = [any(p in done or p in answered for p in step.parts) for step in module.steps]
    out = []
    for number, step in enumerate(module.steps, start=1):
        if step.parts and all(p in done for p in step.parts):
            state = "done"
        elif not step.parts:
            state = "done" if any(begun[number:]) else "todo"
        else:
            state = "started" if begun[number - 1] else "todo"
        out.append(StepView(number, len(module.steps), step.id, step_title(t, module, step.id), step.minutes, state))
    return out


def resume_at(views: list[StepView]) -> StepView | None:
    """Where a returning leader goes on: the first step not done, once any step was begun."""
    if all(v.state == "todo" for v in views):
        return None
    return next((v for v in views if v.state != "done"), None)


def task_list(t: Texts, views: list[StepView]) -> Markup:
    """The steps as a list of links with minutes and state, and the one action that continues."""
    items = Markup("").join(
        Markup('<li data-state="{state}"><a href="#{anchor}"><span class="innokraft-step-name">{title}</span> '
               '<span class="innokraft-step-meta">{minutes} · <span class="innokraft-step-state">{said}</span>'
               '</span></a></li>').format(state=v.state, anchor=v.anchor, title=v.title,
                                       minutes=t("ui.minutes", minutes=v.minutes), said=t(f"ui.steps.state.{v.state}"))
        for v in views)
    resume = resume_at(views)
    if resume is not None:
        action = Markup('<p><a class="innokraft-primary innokraft-resume" href="#{}">{}</a></p>').format(
            resume.anchor, t("ui.steps.resume", number=resume.number, step=resume.title))
    elif all(v.state == "done" for v in views):
        action = Markup('<p class="innokraft-steps-done">{}</p>').format(t("ui.steps.all_done"))
    else:
        action = Markup('<p><a class="innokraft-primary" href="#{}">{}</a></p>').format(
            views[0].anchor, t("ui.steps.begin", step=views[0].title))
    return Markup('<nav class="innokraft-steps" aria-labelledby="innokraft-steps-h"{resume}>'
                  '<h2 id="innokraft-steps-h">{title}</h2><ol>{items}</ol>{action}</nav>').format(
        resume=Markup(' data-resume="{}"').format(resume.anchor) if resume is not None else "",
        title=t("ui.steps.title"), items=items, action=action)


def step_heading(t: Texts, view: StepView) -> Markup:
    return Markup('<div class="innokraft-step-head"><p class="innokraft-step-label">{}</p>'
                  '<h2 id="{}-h">{}</h2></div>').format(
        t("ui.steps.label", number=view.number, total=view.total, minutes=view.minutes), view.anchor, view.title)


def next_step_link(t: Texts, view: StepView) -> Markup:
    """The end of the step before `view`: on to it."""
    return Markup('<p class="innokraft-next-step"><a href="#{}">{}</a></p>').format(
        view.anchor, t("ui.steps.next", step=view.title))
