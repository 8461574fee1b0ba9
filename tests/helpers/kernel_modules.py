"""Record a kernel's imported modules when it exits (what a learner's kernel loads, tested in
tests/browser/test_lean_kernel.py).

Installed as an IPython startup file in the course kernels' own profile (the one `innokraft
serve` gives them under INNOKRAFT_HOME/run/ipython): it runs as a kernel starts, before any
page, so its exit hook runs last, after the answers' final flush.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
from pathlib import Path

STARTUP = """import sys
sys.path.insert(0, {repo!r})
from tests.helpers.kernel_modules import record_at_exit
sys.path.remove({repo!r})
record_at_exit({folder!r})
"""


def install(home: Path, folder: Path, repo: Path) -> None:
    """Every course kernel started from `home` writes <pid>.json into `folder` when it exits."""
    startup = home / "run" / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-record-modules.py").write_text(STARTUP.format(repo=str(repo), folder=str(folder)))


ENVIRON_STARTUP = """import json, os
with open(os.path.join({folder!r}, f"{{os.getpid()}}.environ.json"), "w", encoding="utf-8") as fh:
    json.dump(dict(os.environ), fh)
"""


def install_environ(home: Path, folder: Path) -> None:
    """Every course kernel started from `home` writes its environment, as it starts, to
    <pid>.environ.json in `folder`. (A kernel forked by the fork server took its environment after
    the fork: /proc/<pid>/environ shows the fork server's first one, not the kernel's.)"""
    startup = home / "run" / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-record-environ.py").write_text(ENVIRON_STARTUP.format(folder=str(folder)))


def record_at_exit(folder: str) -> None:
    def record() -> None:
        from innokraft.kernel.client import client_kinds

        path = os.path.join(folder, f"{os.getpid()}.json")
        with open(path + ".partial", "w", encoding="utf-8") as fh:
            json.dump({"pid": os.getpid(), "argv": sys.argv, "store_clients": client_kinds(),
                       "modules": sorted(sys.modules)}, fh)
        os.replace(path + ".partial", path)

    atexit.register(record)
