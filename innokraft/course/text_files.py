"""The course's words as written: text/<lang>/*.yaml (flattened to dotted keys) and the
exercise files (exercises/<module>.yaml), before any {fact:id} is filled in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .yaml_io import ConfigError, read_yaml

if TYPE_CHECKING:
    from .model import Course


def flatten(tree: Any, prefix: str = "") -> dict[str, str]:
    """{"a": {"b": "x"}, "l": ["y"]} -> {"a.b": "x", "l.0": "y"}"""
    out: dict[str, str] = {}
    if isinstance(tree, dict):
        for key, value in tree.items():
            out.update(flatten(value, f"{prefix}{key}."))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            out.update(flatten(value, f"{prefix}{i}."))
    else:
        out[prefix[:-1]] = "" if tree is None else str(tree)
    return out


def load_texts(config_dir: Path, lang: str) -> dict[str, str]:
    """All text files of one language, flattened, each file's name its key prefix."""
    folder = config_dir / "text" / lang
    if not folder.is_dir():
        raise ConfigError(f"{folder}: missing; every language in course.yaml needs a text folder")
    texts: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path)
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: must be a mapping of keys to texts")
        texts.update(flatten(data, f"{path.stem}."))
    return texts


def raw_texts(config_dir: Path) -> dict[str, dict[str, str]]:
    """Every language's texts as written, fact references unresolved ({fact:id})."""
    return {folder.name: load_texts(config_dir, folder.name) for folder in sorted((config_dir / "text").iterdir())}


def check_texts(config_dir: Path, course: Course) -> list[str]:
    """Problems that make a language incomplete: keys missing in one language, empty texts."""
    problems: list[str] = []
    per_lang = {lang: load_texts(config_dir, lang) for lang in course.languages}
    all_keys = set().union(*per_lang.values())
    for lang, texts in per_lang.items():
        for key in sorted(all_keys - texts.keys()):
            problems.append(f"{config_dir}/text/{lang}: key {key!r} is missing -> translate it")
        for key, value in texts.items():
            if not value.strip():
                problems.append(f"{config_dir}/text/{lang}: key {key!r} is empty -> write the text")
    return problems


def exercise_files(config_dir: Path) -> dict[str, Any]:
    """exercises/<module>.yaml, per module id."""
    return {p.stem: read_yaml(p) for p in sorted((config_dir / "exercises").glob("*.yaml"))}


def exercise_refs(tree: Any) -> list[tuple[str, str]]:
    """("fact", id) and ("source", id) for every `fact:` or `source:` key in an exercise file."""
    out = []
    if isinstance(tree, dict):
        for k, v in tree.items():
            if k in ("fact", "source") and isinstance(v, str):
                out.append((k, v))
            else:
                out += exercise_refs(v)
    elif isinstance(tree, list):
        for v in tree:
            out += exercise_refs(v)
    return out
