"""How far a learner has come in each module, from the marks their learning events leave."""

from __future__ import annotations

from dataclasses import dataclass

from .model import WRAPUP, Course, Module


def module_items(module: Module) -> list[str]:
    """The parts of a module that count towards completing it."""
    return [*(["retrieval"] if module.retrieval else []), *module.exercises, "quiz",
            *(f"reflection.{r.id}" for r in module.reflections)]


@dataclass(frozen=True)
class ModuleProgress:
    module_id: str
    done: int
    total: int
    opened: bool

    @property
    def state(self) -> str:
        if self.done >= self.total:
            return "completed"
        return "in_progress" if self.opened or self.done else "not_started"


def progress(course: Course, marks: set[tuple[str, str, str]]) -> list[ModuleProgress]:
    """Each module's progress from the learner's marks (Store.marks: (page, kind, detail) of the
    pages opened and the parts done)."""
    out = []
    for module in course.modules:
        done = {d for page, kind, d in marks if page == module.id and kind == "exercise_done"}
        opened = any(page == module.id and kind == "opened" for page, kind, _ in marks)
        items = module_items(module)
        out.append(ModuleProgress(module.id, len(done & set(items)), len(items), opened))
    return out


def wrapup_progress(course: Course, marks: set[tuple[str, str, str]]) -> ModuleProgress | None:
    """The wrap-up page's progress (its parts done), in a module's shape; None without one."""
    if course.wrapup is None:
        return None
    done = {d for page, kind, d in marks if page == WRAPUP and kind == "exercise_done"}
    opened = any(page == WRAPUP and kind == "opened" for page, kind, _ in marks)
    return ModuleProgress(WRAPUP, len(done & set(course.wrapup.parts)), len(course.wrapup.parts), opened)
