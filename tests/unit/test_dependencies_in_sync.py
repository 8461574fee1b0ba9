"""pyproject.toml is the one list of dependencies; environment.yml, binder/ and constraints.txt
must agree with it, and this environment must be the one constraints.txt pins."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from innokraft.core.versions import PATCHED
from tests.conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def runtime() -> list[str]:
    return PYPROJECT["project"]["dependencies"]


def every_requirement() -> list[str]:
    extras = PYPROJECT["project"]["optional-dependencies"]
    return runtime() + [r for group in ("facilitator", "postgres", "test", "load") for r in extras[group]]


def pip_list(path) -> list[str]:
    env = yaml.safe_load(path.read_text())
    pips = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pips, f"{path} has no pip section"
    return [r for r in pips[0] if not r.startswith("-e")]


def constraints() -> dict[str, str]:
    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, pinned = line.split("==")
            pins[canonicalize_name(name)] = pinned
    return pins


def test_environment_yml_matches_pyproject():
    assert sorted(pip_list(REPO / "environment.yml")) == sorted(every_requirement())


def test_binder_environment_matches_pyproject():
    assert sorted(pip_list(REPO / "binder" / "environment.yml")) == sorted(runtime())


def test_python_versions_agree():
    # ipykernel 7.4, nbgrader 0.9.6, SQLAlchemy 2.1 and matplotlib 3.11 need Python 3.11.
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py311"
    for path in (REPO / "environment.yml", REPO / "binder" / "environment.yml"):
        deps = yaml.safe_load(path.read_text())["dependencies"]
        assert "python=3.11" in deps, path


def test_the_patched_packages_are_pinned_to_the_versions_the_patches_were_written_for():
    pins = {canonicalize_name(Requirement(r).name): str(Requirement(r).specifier) for r in runtime()}
    for package, written_for in PATCHED.items():
        assert pins[canonicalize_name(package)] == f"=={written_for}", package


def test_constraints_pin_every_requirement_at_a_version_it_allows():
    pins = constraints()
    for line in every_requirement():
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins, f"constraints.txt has no pin for {req.name}: run `make constraints`"
        assert req.specifier.contains(pins[name], prereleases=True), \
            f"constraints.txt pins {req.name}=={pins[name]}, pyproject.toml asks {req.specifier}"


def test_this_environment_is_the_one_constraints_txt_pins():
    """What CI tested is what `make setup` installs: every pin is installed at that version."""
    wrong = {}
    for name, pinned in constraints().items():
        try:
            found = version(name)
        except PackageNotFoundError:
            found = None
        if found != pinned:
            wrong[name] = (pinned, found)
    assert not wrong, f"installed versions differ from constraints.txt (pinned, found): {wrong}; " \
                      "run `make setup` (or `make constraints` after changing pyproject.toml)"
