"""nbgrader's course for a test's INNOKRAFT_HOME, copied from one generated once per test process.

Generating and releasing the four assignments through nbgrader's API takes ~7 s of CPU; every
server a test starts and every grading test needs the same course. A copy is what `innokraft
serve` would make itself (its stamps say the assignments are current), and `prepare` then only
writes the course's nbgrader_config.py with this home's paths.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from innokraft.core.settings import Settings
from innokraft.course.load import course_and_texts
from innokraft.grading.course import GradingCourse

_made: list[Path] = []


def _template(settings: Settings) -> Path:
    if not _made:
        folder = Path(tempfile.mkdtemp(prefix="innokraft-nbgrader-"))
        atexit.register(shutil.rmtree, folder, True)
        made = Settings.from_env(home=folder / "home", db_url=f"sqlite:///{folder / 'unused.db'}")
        course, texts = course_and_texts(settings.config_dir)
        GradingCourse(made, course).prepare(texts)
        _made.append(made.home / "nbgrader")
    return _made[0]


def copy_into(settings: Settings) -> None:
    """Put a generated, released nbgrader course under settings.home (made once, then copied)."""
    target = settings.home / "nbgrader"
    if not target.exists():
        settings.ensure_home()
        shutil.copytree(_template(settings), target, symlinks=True)


def prepared(settings: Settings) -> GradingCourse:
    """GradingCourse(settings).prepare(…), from the copy."""
    copy_into(settings)
    course, texts = course_and_texts(settings.config_dir)
    grading = GradingCourse(settings, course)
    grading.prepare(texts)
    return grading
