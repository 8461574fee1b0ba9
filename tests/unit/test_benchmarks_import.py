"""`make bench` imports its modules only when run: a module moved in the engine broke it unseen."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from tests.conftest import REPO

MODULES = sorted(p.stem for p in (REPO / "benchmarks").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("name", MODULES)
def test_every_benchmark_module_imports(name):
    assert Path(REPO / "benchmarks" / f"{name}.py").exists()
    importlib.import_module(f"benchmarks.{name}")
