"""The course loaded for use: course.yaml, every language's texts with facts filled in, the
exercises' parameters and each module's sources.

`innokraft serve` validates all of it once and writes it as one JSON file (`compile_config`); a
page's kernel loads that in a millisecond instead of parsing and checking the YAML again on every
page open (KernelEnv.compiled_config names it). Elsewhere (papermill, the command line, tests)
the YAML is read and checked here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ..core.settings import KernelEnv
from .facts import PLACEHOLDER, fact_ids_for, registry
from .model import Course, load_course
from .text_files import check_texts, exercise_files, load_texts, raw_texts
from .yaml_io import ConfigError, read_yaml


def rendered_texts(config_dir: Path, lang: str) -> dict[str, str]:
    """One language's texts with every {fact:id} and {cite:id} filled in from facts.yaml."""
    raw = load_texts(config_dir, lang)
    facts = registry(str(config_dir))
    return {k: facts.render(v, raw) if PLACEHOLDER.search(v) else v for k, v in raw.items()}


@cache
def _from_yaml(config_dir: str) -> tuple[Course, dict[str, dict[str, str]]]:
    path = Path(config_dir)
    course = load_course(path)
    problems = check_texts(path, course)
    if problems:
        raise ConfigError("\n".join(problems))
    return course, {lang: rendered_texts(path, lang) for lang in course.languages}


def compile_config(config_dir: Path, target: Path) -> Path:
    """Validate course_config and write it to `target` as JSON (read by kernels)."""
    course, texts = _from_yaml(str(config_dir))
    exercises = {k: v or {} for k, v in exercise_files(config_dir).items()}
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
def _read_compiled(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _compiled_for(config_dir: Path) -> dict | None:
    path = KernelEnv.from_env().compiled_config
    if not path:
        return None
    data = _read_compiled(path)
    return data if data["config_dir"] == str(config_dir) else None


@cache
def _compiled_course(path: str) -> Course:
    return Course.model_validate(_read_compiled(path)["course"])


def course_and_texts(config_dir: Path) -> tuple[Course, dict[str, dict[str, str]]]:
    """The course and {lang: {key: text}}, checked: compiled under `innokraft serve`, else from YAML."""
    data = _compiled_for(config_dir)
    if data is None:
        return _from_yaml(str(config_dir))
    return _compiled_course(KernelEnv.from_env().compiled_config), data["texts"]


def exercise_data(config_dir: Path, module_id: str, exercise: str) -> Any:
    """The parameters of one exercise, from course_config/exercises/<module>.yaml."""
    compiled = _compiled_for(config_dir)
    if compiled is not None:
        found = compiled["exercises"].get(module_id, {}).get(exercise)
        if found is not None:
            return found
    path = config_dir / "exercises" / f"{module_id}.yaml"
    data = read_yaml(path) or {}
    if exercise not in data:
        raise ConfigError(f"{path}: key {exercise!r} is missing -> add the exercise's parameters")
    return data[exercise]


@cache
def module_fact_ids(config_dir: Path, module_id: str) -> tuple[str, ...]:
    """The facts and sources a module's page cites (facts.fact_ids_for): compiled once by
    `innokraft serve` (a page's kernel would parse every text file again, 0.4 s of each M1
    visit), read from course_config otherwise."""
    compiled = _compiled_for(config_dir)
    if compiled is not None:
        return tuple(compiled["module_facts"].get(module_id, []))
    return fact_ids_for(module_id, raw_texts(config_dir), exercise_files(config_dir))
