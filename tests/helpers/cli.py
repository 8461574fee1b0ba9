"""The `innokraft` command run in the test's own process: the same `main` a facilitator's terminal
runs, without a new Python importing rich, SQLAlchemy, alembic and pydantic for every call
(~1.5 s each; the unit tests made about seventy such calls)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

from tests.helpers.paths import REPO


@contextlib.contextmanager
def environment(changes: dict[str, str]):
    """os.environ with `changes` for the duration (an empty value unsets the variable)."""
    before = dict(os.environ)
    for key, value in changes.items():
        if value == "":
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(before)


def run(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """`innokraft ARGS` in this process; returns what a finished process would (code, stdout, stderr)."""
    from innokraft.cli import main

    out, err = io.StringIO(), io.StringIO()
    with environment(env or {}), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    result = subprocess.CompletedProcess(["innokraft", *args], code, out.getvalue(), err.getvalue())
    if check and code != 0:
        raise subprocess.CalledProcessError(code, result.args, result.stdout, result.stderr)
    return result


def run_process(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """`innokraft ARGS` as a process of its own, where a test needs one (a server, a signal)."""
    return subprocess.run([sys.executable, "-m", "innokraft.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=check, cwd=REPO)
