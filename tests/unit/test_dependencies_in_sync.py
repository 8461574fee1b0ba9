"""pyproject.toml is the one list of dependencies; environment.yml and binder/ must agree."""

from __future__ import annotations

import tomllib
import yaml

from tests.conftest import REPO


def pyproject_requirements() -> set[str]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    return set(data["project"]["dependencies"]) | set(data["project"]["optional-dependencies"]["test"])


def pip_list(path) -> set[str]:
    env = yaml.safe_load(path.read_text())
    pips = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pips, f"{path} has no pip section"
    return {r for r in pips[0] if not r.startswith("-e")}


def test_environment_yml_matches_pyproject():
    assert pip_list(REPO / "environment.yml") == pyproject_requirements()


def test_binder_environment_matches_pyproject():
    runtime = set(tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"])
    assert pip_list(REPO / "binder" / "environment.yml") == runtime


def test_python_versions_agree():
    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert data["project"]["requires-python"] == ">=3.10"
    for path in (REPO / "environment.yml", REPO / "binder" / "environment.yml"):
        deps = yaml.safe_load(path.read_text())["dependencies"]
        assert "python=3.11" in deps, path
