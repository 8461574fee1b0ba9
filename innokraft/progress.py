"""How far a learner has come in each module, from the learning events."""

from __future__ import annotations

from dataclasses import dataclass

from .config import Course, Module
from .store import Store


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


def progress(store: Store, course: Course, learner_id: str,
             marks: set[tuple[str, str, str]] | None = None) -> list[ModuleProgress]:
    """Each module's progress; `marks` is store.marks(learner_id) when the caller has it already."""
    marks = store.marks(learner_id) if marks is None else marks
    out = []
    for module in course.modules:
        done = {d for page, kind, d in marks if page == module.id and kind == "exercise_done"}
        opened = any(page == module.id and kind == "opened" for page, kind, _ in marks)
        items = module_items(module)
        out.append(ModuleProgress(module.id, len(done & set(items)), len(items), opened))
    return out
