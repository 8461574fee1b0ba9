"""What a learner's kernel is given to start with: an allow-listed environment and a key of its own.

Voilà starts a course kernel with a copy of the server's whole environment, and the refill of a
taken pool kernel with the previous visitor's full URL in it. A kernel needs none of that: it
reaches the store only through the server's store API, and its visitor's request arrives over
the server's request socket. So it gets the variables on the list below and nothing else: no
database URL (a PostgreSQL password), no course home or secret, no other visitor's URL, and
instead of the server's API key a key derived from it for this kernel alone
(`kernel_key`, HMAC-SHA256 of the kernel's id): it opens this kernel's request socket and no
other's, and proves to the store API which kernel calls.

With the fork server (innokraft.kernel.forkserver, started by `innokraft serve`) a kernel is not a
new Python process but a fork of a parent that has imported a page's modules: the kernel's
command line, this environment and its folder go to the fork server's child, and jupyter_client
gets a handle on the forked process (ForkedKernel) in place of a Popen.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import signal
import time
from collections.abc import Mapping
from pathlib import Path

import psutil
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


def allowed_environ(environ: Mapping[str, str], facilitator: bool = False) -> dict[str, str]:
    """`environ` cut to the list: what any course kernel may see, with no kernel's key or id.

    A facilitator page's kernel (the dashboard, opened only with a facilitator link) reads the
    cohort from the store itself: it gets the store's settings too."""
    kernel_vars = {KernelEnv.variable(f) for f in KernelEnv.model_fields} - {
        KernelEnv.variable("api_key"), KernelEnv.variable("kernel_id")}
    wanted = PASSED_ON | VOILA_REQUEST | kernel_vars
    if facilitator:
        wanted |= {Settings.variable(f) for f in Settings.model_fields}
    return {k: v for k, v in environ.items() if k in wanted or PASSED_ON_PATTERN.fullmatch(k)}


def kernel_environ(environ: Mapping[str, str], kernel_id: str, server_key: str,
                   facilitator: bool = False) -> dict[str, str]:
    """The environment a course kernel starts with: `environ` (what Voilà would pass) cut to the
    list, with this kernel's id and key."""
    out = allowed_environ(environ, facilitator)
    out[KernelEnv.variable("api_key")] = kernel_key(server_key, kernel_id)
    out[KernelEnv.variable("kernel_id")] = kernel_id
    return out


log = logging.getLogger("innokraft.kernels")
FORK_TIMEOUT_S = 30


class ForkedKernel:
    """A kernel the fork server made, as jupyter_client handles a Popen: poll, wait, signals.

    It is the fork server's child, not the server's: it is alive while its process exists and
    is no zombie (the fork server collects its children); psutil's handle knows the process by
    its start time too, so a reused pid is never taken for the kernel."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._process: psutil.Process | None = psutil.Process(pid)
        except psutil.NoSuchProcess:
            self._process = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                alive = self._process is not None and self._process.is_running() and \
                    self._process.status() != psutil.STATUS_ZOMBIE
            except psutil.NoSuchProcess:
                alive = False
            if not alive:
                self.returncode = 0  # its exit status went to the fork server
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"kernel {self.pid} still running")
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                self._process.send_signal(signum)
            except psutil.NoSuchProcess:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


async def fork_kernel(socket_path: str, argv: list[str], env: Mapping[str, str], cwd: str) -> ForkedKernel:
    """Ask the fork server for a kernel: its child reads this request and answers with its pid."""
    reader, writer = await asyncio.open_unix_connection(socket_path)
    try:
        writer.write((json.dumps({"argv": argv, "env": dict(env), "cwd": cwd}) + "\n").encode())
        await writer.drain()
        answer = await asyncio.wait_for(reader.readline(), FORK_TIMEOUT_S)
    finally:
        writer.close()
    return ForkedKernel(int(json.loads(answer)["pid"]))


class CourseKernelManager(ServerKernelManager):
    """jupyter_server's kernel manager, starting each kernel with `kernel_environ`, forked by the
    fork server when `innokraft serve` runs one."""

    server_key = ""  # the server's store-API secret; set by `innokraft serve` before any kernel starts
    fork_socket = ""  # the fork server's socket; set by `innokraft serve` once it listens

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if not self.fork_socket or kernel_cmd[1:3] != ["-m", "ipykernel_launcher"]:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        cwd = str(kw.get("cwd") or os.getcwd())
        try:
            process = await fork_kernel(self.fork_socket, kernel_cmd, kw.get("env") or {}, cwd)
        except (OSError, ValueError, KeyError, TimeoutError) as exc:
            # A kernel all the same, started the slow way; the log says why.
            log.warning("fork server unavailable (%s): kernel started as a new process", exc)
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        provisioner = self.provisioner
        provisioner.process, provisioner.pid, provisioner.pgid = process, process.pid, process.pid
        provisioner.cwd = cwd
        self._reconcile_connection_info(provisioner.connection_info)

    async def _async_pre_start_kernel(self, **kw):
        kernel_id = self.kernel_id or kw.get("kernel_id")
        if not self.server_key or not kernel_id:
            raise RuntimeError("a course kernel needs its id and the server's key before it starts")
        facilitator = Path(kw.get("cwd") or "").name == FACILITATOR_FOLDER
        kw["env"] = kernel_environ(kw.get("env") or os.environ, kernel_id, self.server_key, facilitator)
        return await super()._async_pre_start_kernel(**kw)
