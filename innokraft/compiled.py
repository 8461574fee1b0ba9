"""The course configuration compiled once by `innokraft serve` for its kernels.

`serve` validates course_config (course.yaml, every text file, exercise parameters) and
writes it as one JSON file; a page's kernel loads that in a millisecond instead of parsing
and checking the YAML again on every page open. Without it (papermill, tests) the YAML is read.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from .config import Course
from .config import course_and_texts as read_course_and_texts

ENV = "INNOKRAFT_COMPILED_CONFIG"


def compile_config(config_dir: Path, target: Path) -> Path:
    """Validate course_config and write it to `target` as JSON (read by kernels via ENV)."""
    import yaml

    course, texts = read_course_and_texts(config_dir)
    exercises = {}
    for path in sorted((config_dir / "exercises").glob("*.yaml")):
        exercises[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    from .facts import fact_ids_for, raw_texts

    raw = raw_texts(config_dir)
    data = {"config_dir": str(config_dir), "course": course.model_dump(mode="json"),
            "texts": texts, "exercises": exercises,
            "module_facts": {m.id: list(fact_ids_for(m.id, raw, exercises)) for m in course.modules}}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    partial.replace(target)
    return target


@cache
def _load(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _compiled_for(config_dir: Path) -> dict | None:
    path = os.environ.get(ENV)
    if not path:
        return None
    data = _load(path)
    return data if data["config_dir"] == str(config_dir) else None


@cache
def _course(path: str) -> Course:
    return Course.model_validate(_load(path)["course"])


def course_and_texts(config_dir: Path) -> tuple[Course, dict[str, dict[str, str]]]:
    data = _compiled_for(config_dir)
    if data is None:
        return read_course_and_texts(config_dir)
    return _course(os.environ[ENV]), data["texts"]


def exercise_data(config_dir: Path, module_id: str, exercise: str) -> Any | None:
    """An exercise's parameters from the compiled config; None when there is none to use."""
    data = _compiled_for(config_dir)
    if data is None:
        return None
    return data["exercises"].get(module_id, {}).get(exercise)


def module_facts(config_dir: Path, module_id: str) -> list[str] | None:
    """The facts a module's page cites (facts.fact_ids_for), compiled; None when not compiled."""
    data = _compiled_for(config_dir)
    if data is None:
        return None
    return data["module_facts"].get(module_id, [])
