"""`make bench` imports its modules only when run: a module moved in the engine broke it unseen."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

MODULES = sorted(p.stem for p in (REPO / "benchmarks").glob("*.py") if p.stem != "__init__")


def uses_gevent(name: str) -> bool:
    """locust's modules (make load) patch the standard library with gevent when imported: in the
    test process that would break every later test's SSL and sockets, so they import apart."""
    source = (REPO / "benchmarks" / f"{name}.py").read_text(encoding="utf-8")
    return "import locust" in source or "from locust" in source


@pytest.mark.parametrize("name", MODULES)
def test_every_benchmark_module_imports(name):
    assert Path(REPO / "benchmarks" / f"{name}.py").exists()
    if not uses_gevent(name):
        importlib.import_module(f"benchmarks.{name}")
        return
    done = subprocess.run([sys.executable, "-c", f"import locust, benchmarks.{name}"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
