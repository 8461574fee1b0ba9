"""A visitor's kernel in milliseconds: one parent that has imported a page's modules forks each kernel.

Every course kernel used to be a new Python process that imported ipykernel, IPython, ipywidgets,
anywidget, numpy, pydantic and the course's widgets before running its page: about a CPU-second
per pool refill, and on two cores that refill set the pace of a hundred arrivals (issue 25). Here
`innokraft serve` starts this parent once; it imports those modules, then only waits on a Unix
socket (0600, in the server's run folder, answering only its own user) and forks. The child
becomes the kernel: it reads its request (the kernel's command line, environment and folder) from
the connection itself, answers with its pid, takes the environment it was given (the allow-listed
one of innokraft.web.kernels, with its own key) in place of the parent's, and starts ipykernel as
`python -m ipykernel_launcher` would.

What the parent holds is what every kernel starts from, so it holds nothing of anyone: it runs
no page, it is started with the kernels' allow-listed environment minus any key, and it never
reads a request (the child does, after the fork), so no kernel's key or visitor passes through
its memory. Each kernel is a fresh fork of that same clean image, never of another kernel.

Only modules a learner's kernel imports anyway are imported here (the lean-kernel contract of
pyproject.toml and tests/browser/test_lean_kernel.py hold for the parent too).
"""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import struct
import sys

# What a course page's kernel imports before it can run its first cell (ipykernel_launcher's
# imports, the kernel's own), and the course's widgets and page helper.
PRELOADED = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "IPython", "comm",
             "ipywidgets", "anywidget", "numpy", "websockets", "pydantic", "markupsafe", "yaml",
             "innokraft.kernel.page", "innokraft.kernel.request", "innokraft.kernel.hooks", "widgets",
             "widgets.pages", "innokraft.kernel.hooks",
             "innokraft.kernel.patches.comms", "innokraft.kernel.patches.streams", "setproctitle")
FORK_REQUEST_MAX = 1_000_000
CHECK_PARENT_S = 1.0


def preload() -> None:
    import importlib

    for name in PRELOADED:
        importlib.import_module(name)
    from innokraft.kernel.page import prepare_course

    prepare_course()
    # The imported objects move to a generation the collector never scans, so a kernel's
    # collections do not write into (and so copy) the pages it shares with the parent.
    gc.collect()
    gc.freeze()


def _peer_uid(conn: socket.socket) -> int:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def _reap(_signum=None, _frame=None) -> None:
    """Collect every kernel that has ended (each is this parent's child)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(path: str) -> socket.socket | None:
    """Fork a kernel for each connection. Returns the connection in a child (that is then the
    kernel's), None in the parent once the server that started it is gone."""
    server_pid = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        listener.bind(path)
    finally:
        os.umask(old)
    listener.listen(64)
    listener.settimeout(CHECK_PARENT_S)
    signal.signal(signal.SIGCHLD, _reap)
    print(f"fork server ready on {path}", flush=True)
    while os.getppid() == server_pid:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        except InterruptedError:
            continue
        if _peer_uid(conn) != os.getuid():
            conn.close()
            continue
        pid = os.fork()
        if pid == 0:
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            return conn
        conn.close()
    listener.close()
    return None


def _read_request(conn: socket.socket) -> dict:
    conn.settimeout(10)
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk or len(data) > FORK_REQUEST_MAX:
            raise ConnectionError("the server closed before its request was whole")
        data += chunk
    return json.loads(data)


def become_kernel(conn: socket.socket) -> list[str]:
    """In the child: take the request's environment and folder; return ipykernel's arguments."""
    os.setsid()  # a process group of its own: the server signals the kernel's group, never the parent's
    request = _read_request(conn)
    argv = request["argv"]
    if argv[1:3] != ["-m", "ipykernel_launcher"]:
        raise ValueError(f"not an ipykernel command line: {argv[:3]}")
    # Named as a kernel started by its command line is (`ps`, and whoever looks for a kernel by
    # its connection file), not as the fork server it was forked from; before the environment
    # changes (setproctitle finds the room for the title beside the process's first environment).
    import setproctitle

    setproctitle.setproctitle(" ".join(argv))
    os.environ.clear()
    os.environ.update(request["env"])
    # ipykernel ends the kernel when its parent goes; its parent is this fork server.
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    if request.get("cwd"):
        os.chdir(request["cwd"])
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    import random

    random.seed()
    try:
        import numpy

        numpy.random.seed()
    except ImportError:
        pass
    conn.sendall((json.dumps({"pid": os.getpid()}) + "\n").encode())
    conn.close()
    sys.argv = [argv[0], *argv[3:]]
    # ipykernel reads JPY_PARENT_PID when it is imported (here: in the parent, where it is unset).
    return [*argv[3:], f"--IPKernelApp.parent_handle={os.getppid()}"]


def main(argv: list[str] | None = None) -> None:
    path = (argv or sys.argv[1:])[0]
    preload()
    conn = serve(path)
    if conn is None:
        return  # the server is gone: so is this parent
    kernel_args = become_kernel(conn)
    import ipywidgets
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(kernel_args)
    # ipywidgets registers its comm targets when it is imported inside a running kernel; here it
    # was imported before there was one.
    ipywidgets.register_comm_target()
    app.start()
    # Returning here ends the process as a kernel ends: the interpreter's own exit, with its
    # exit hooks (the answers' last flush, innokraft.kernel.autosave).


if __name__ == "__main__":
    main()
