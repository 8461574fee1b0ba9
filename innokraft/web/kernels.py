"""What a learner's kernel is given to start with: an allow-listed environment and a key of its own.

Voilà starts a course kernel with a copy of the server's whole environment, and the refill of a
taken pool kernel with the previous visitor's full URL in it. A kernel needs none of that: it
reaches the store only through the server's store API, and its visitor's request arrives over
the server's request socket. So it gets the variables on the list below and nothing else: no
database URL (a PostgreSQL password), no course home or secret, no other visitor's URL, and
instead of the server's API key a key derived from it for this kernel alone
(`kernel_key`, HMAC-SHA256 of the kernel's id): it opens this kernel's request socket and no
other's, and proves to the store API which kernel calls.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from pathlib import Path

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

from ..core.settings import KernelEnv, Settings

# What a Python process and IPython need to run at all (the locale, the path, the temporary folder,
# the course's IPython profile, a virtual environment), the test run's mark, and the kernel's own
# settings (KernelEnv) and course (where its compiled config and notebooks are).
PASSED_ON = {"PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "IPYTHONDIR", "VIRTUAL_ENV", "PYTHONPATH",
             "JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_PLATFORM_DIRS",
             "SYSTEMROOT", "MPLBACKEND", Settings.variable("config_dir"), Settings.variable("notebooks_dir"),
             "INNOKRAFT_TEST_RUN"}
FACILITATOR_FOLDER = "facilitator"  # notebooks/facilitator/: pages opened with a facilitator link only
PASSED_ON_PATTERN = re.compile(r"LC_[A-Z]+")
# What Voilà tells a kernel about its request (when started for a visitor, not preheated).
VOILA_REQUEST = {"SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_SOFTWARE", "SERVER_PROTOCOL",
                 "SERVER_PORT", "SERVER_NAME"}


def kernel_key(server_key: str, kernel_id: str) -> str:
    """The key of one kernel: it cannot be turned into another kernel's or into the server's."""
    return hmac.new(server_key.encode(), f"kernel:{kernel_id}".encode(), hashlib.sha256).hexdigest()


def kernel_environ(environ: Mapping[str, str], kernel_id: str, server_key: str,
                   facilitator: bool = False) -> dict[str, str]:
    """The environment a course kernel starts with: `environ` (what Voilà would pass) cut to the list.

    A facilitator page's kernel (the dashboard, opened only with a facilitator link) reads the
    cohort from the store itself: it gets the store's settings too."""
    kernel_vars = {KernelEnv.variable(f) for f in KernelEnv.model_fields} - {KernelEnv.variable("api_key")}
    wanted = PASSED_ON | VOILA_REQUEST | kernel_vars
    if facilitator:
        wanted |= {Settings.variable(f) for f in Settings.model_fields}
    out = {k: v for k, v in environ.items() if k in wanted or PASSED_ON_PATTERN.fullmatch(k)}
    out[KernelEnv.variable("api_key")] = kernel_key(server_key, kernel_id)
    out[KernelEnv.variable("kernel_id")] = kernel_id
    return out


class CourseKernelManager(ServerKernelManager):
    """jupyter_server's kernel manager, starting each kernel with `kernel_environ`."""

    server_key = ""  # the server's store-API secret; set by `innokraft serve` before any kernel starts

    async def _async_pre_start_kernel(self, **kw):
        kernel_id = self.kernel_id or kw.get("kernel_id")
        if not self.server_key or not kernel_id:
            raise RuntimeError("a course kernel needs its id and the server's key before it starts")
        facilitator = Path(kw.get("cwd") or "").name == FACILITATOR_FOLDER
        kw["env"] = kernel_environ(kw.get("env") or os.environ, kernel_id, self.server_key, facilitator)
        return await super()._async_pre_start_kernel(**kw)
