"""The course's nbgrader side: one assignment per module, generated from course_config.

Facilitators grade in formgrader; everything here goes through nbgrader's Python API
(several times faster than its command line).
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from ..core.settings import Settings
from ..course.model import Course, Module
from ..course.texts import Texts

if TYPE_CHECKING:
    import nbformat

# nbformat is imported where a notebook is written, not at import time: it pulls in
# jsonschema's format checkers, seconds of CPU on every `innokraft` command otherwise.


def nbgrader_tools_on_path() -> None:
    """nbgrader's Gradebook runs the `alembic` command it finds on PATH: make it this
    environment's, also when innokraft runs as .venv/bin/innokraft without activation."""
    bindir = os.path.dirname(sys.executable)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def answer_cell(grade_id: str, points: float, source: str) -> nbformat.NotebookNode:
    import nbformat

    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["nbgrader"] = {
        "grade": True, "solution": True, "locked": False, "task": False,
        "grade_id": grade_id, "points": points, "schema_version": 3,
    }
    return cell


def assignment_notebook(module: Module, texts: Texts, answers: dict[str, str] | None = None
                        ) -> nbformat.NotebookNode:
    """The module's reflection notebook in one language; `answers` are already escaped."""
    import nbformat

    lang = texts.lang
    cells = [nbformat.v4.new_markdown_cell(
        f"# {module.title[lang]}\n\n{texts('ui.reflection.title')}")]
    for number, reflection in enumerate(module.reflections, start=1):
        cells.append(nbformat.v4.new_markdown_cell(
            f"## {number}. {reflection.prompt[lang]}\n\n"
            f"*{texts('grading.rubric')} ({texts('grading.points', points=reflection.points)}):*\n\n"
            + "\n".join(f"- {level}" for _points, level in reflection.rubric_levels(lang))))
        answer = (answers or {}).get(reflection.id, "")
        cells.append(answer_cell(reflection.id, reflection.points, answer or texts("grading.no_answer")))
    for index, cell in enumerate(cells):
        cell.id = f"{module.id}-{index}"  # stable ids: the same texts give the same notebook
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["innokraft"] = {"module": module.id, "lang": lang}
    return nb


@dataclass
class GradingCourse:
    """nbgrader's course root and exchange under INNOKRAFT_HOME."""

    settings: Settings
    course: Course

    @property
    def root(self) -> Path:
        return self.settings.nbgrader_course_root

    @property
    def exchange(self) -> Path:
        return self.settings.exchange_root

    @property
    def config_file(self) -> Path:
        return self.root / "nbgrader_config.py"

    @property
    def inbound(self) -> Path:
        return self.exchange / self.course.id / "inbound"

    @property
    def feedback_dir(self) -> Path:
        return self.exchange / self.course.id / "feedback"

    @property
    def gradebook_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def write_config(self) -> None:
        shared = self.settings.config_dir / "nbgrader_config.py"
        text = (
            "# Written by `innokraft`; edit course_config/nbgrader_config.py instead.\n"
            "c = get_config()  # noqa: F821\n"
            f"load_subconfig({str(shared)!r})  # noqa: F821\n"
            f"c.CourseDirectory.root = {str(self.root)!r}\n"
            f"c.CourseDirectory.course_id = {self.course.id!r}\n"
            f"c.Exchange.root = {str(self.exchange)!r}\n"
        )
        if not self.config_file.exists() or self.config_file.read_text() != text:
            self.config_file.write_text(text)

    def config(self) -> Config:
        loader = PyFileConfigLoader(self.config_file.name, path=str(self.root))
        return loader.load_config()

    def api(self):
        nbgrader_tools_on_path()
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = self.config()
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    def prepare(self, texts: dict[str, dict[str, str]]) -> list[str]:
        """Generate and release each module's assignment if it is new or its texts changed.

        Returns the assignments (re)generated. Idempotent: run by `serve` on every start.
        """
        self.settings.ensure_home()
        self.root.mkdir(parents=True, exist_ok=True)
        for folder in (self.exchange, self.inbound, self.feedback_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.lock_exchange()
        self.write_config()
        import nbformat

        lang = self.course.default_language
        done = []
        api = None
        for module in self.course.modules:
            nb = assignment_notebook(module, Texts(lang, texts[lang]))
            source = self.root / "source" / module.assignment / f"{module.assignment}.ipynb"
            body = nbformat.writes(nb)
            digest = hashlib.sha256(body.encode()).hexdigest()
            stamp = self.root / ".innokraft" / f"{module.assignment}.sha256"
            released = self.exchange / self.course.id / "outbound" / module.assignment
            if stamp.exists() and stamp.read_text() == digest and released.is_dir():
                continue
            source.parent.mkdir(parents=True, exist_ok=True)
            stamp.parent.mkdir(exist_ok=True)
            source.write_text(body)
            api = api or self.api()
            result = api.generate_assignment(module.assignment)
            if not result["success"]:
                raise RuntimeError(f"nbgrader could not generate {module.assignment}:\n{result['error']}")
            if released.is_dir():
                api.unrelease(module.assignment)
            result = api.release_assignment(module.assignment)
            if not result["success"]:
                raise RuntimeError(f"nbgrader could not release {module.assignment}:\n{result['error']}")
            stamp.write_text(digest)
            done.append(module.assignment)
        self.lock_exchange()
        return done

    def lock_exchange(self) -> None:
        """The exchange holds learners' answers: only the service may enter it.

        nbgrader makes its exchange root world-writable (it expects many Unix users);
        here one service account writes every submission.
        """
        if self.exchange.exists():
            os.chmod(self.exchange, 0o700)

    # -- what needs doing ---------------------------------------------------------------------
    def _timestamp(self, stage: str, learner_id: str, module: Module) -> str | None:
        path = self.root / stage / learner_id / module.assignment / "timestamp.txt"
        return path.read_text().strip() if path.is_file() else None

    def needs_autograde(self, module: Module) -> list[str]:
        """Learners whose collected submission is newer than what was autograded."""
        folder = self.root / "submitted"
        learners = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        return [
            learner for learner in learners
            if (submitted := self._timestamp("submitted", learner, module)) is not None
            and submitted != self._timestamp("autograded", learner, module)
        ]
