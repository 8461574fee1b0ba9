"""Reading course_config's YAML files, and saying what is wrong in them: the file, the key, the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError


class ConfigError(ValueError):
    """A course_config file is wrong; the message says where and how to fix it."""


# libyaml's parser where PyYAML has it (its wheels do): the course's text files parse ~5× faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file is missing") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc}); fix the syntax there") from None


def describe(exc: ValidationError, path: Path) -> str:
    lines = [f"{path}: {exc.error_count()} problem(s)"]
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        fix = {
            "missing": "add this key",
            "extra_forbidden": "remove this key or check its spelling",
        }.get(err["type"], "change this value")
        lines.append(f"  {key}: {err['msg']} -> {fix}")
    return "\n".join(lines)


def validated(model: type[BaseModel], data: Any, where: str) -> Any:
    """data as `model`, or a ConfigError naming `where`, each key and its fix."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe(exc, Path(where))) from None
