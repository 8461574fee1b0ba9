"""`innokraft session` and `innokraft lab`: the facilitator's terminal, with the course and
JupyterLab/formgrader running side by side until Ctrl-C, a stop signal or a closed terminal."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time

import psutil

from ..core import running
from ..core.files import write_private
from ..core.tokens import page_url
from ..grading.course import nbgrader_tools_on_path
from .context import (
    DEMO_COHORT,
    DEMO_LEARNER,
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    context,
    lang_option,
    say,
    say_error,
    say_line,
    signer,
)
from .grading import prepared

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_WAIT_S = 20  # one bound for all children: a stop never waits for each in turn


class Stopped(Exception):
    """A stop signal (Ctrl-C, `kill`, the terminal closed) arrived."""


def _lab_command(grading, ip: str, port: int, token: str, extra: list[str]) -> list[str]:
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ip={ip}", f"--port={port}",
               "--ServerApp.port_retries=0", f"--ServerApp.root_dir={grading.root}",
               "--ServerApp.default_url=/formgrader", f"--IdentityProvider.token={token}",
               # Formgrader shows learners' names, not "Submission #1" (grading/formgrader_names.py).
               "--ServerApp.jpserver_extensions=innokraft.grading.formgrader_names=True"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    # The token given after `--` is the one above (_token): Jupyter refuses it twice.
    return command + [a for a in extra if a != "--" and not a.startswith("--IdentityProvider.token=")]


def _lab_env(settings) -> dict:
    nbgrader_tools_on_path()
    return {**os.environ, **settings.child_environ(), "PATH": os.environ["PATH"]}


def _token(extra: list[str]) -> str:
    given = [a.split("=", 1)[1] for a in extra if a.startswith("--IdentityProvider.token=")]
    return given[-1] if given else secrets.token_urlsafe(24)


def cmd_lab(args) -> int:
    """JupyterLab on the nbgrader course root, so formgrader opens on the course."""
    settings, course, _store = context(args)
    t = say(args)
    grading = prepared(settings, course, t)
    token = _token(args.jupyter_args)
    base = f"http://{args.ip}:{args.port}"
    # This process becomes JupyterLab (same pid): the dashboard links the formgrader that runs.
    running.note(settings.home, running.FORMGRADER, f"{base}/formgrader", args.ip, args.port)
    say_line(t("cli.session.formgrader", url=f"{base}/formgrader?token={token}"))
    say_line(t("cli.session.lab", url=f"{base}/lab?token={token}"))
    sys.stdout.flush()
    command = _lab_command(grading, args.ip, args.port, token, args.jupyter_args)
    # This process becomes JupyterLab: a stop signal sent to `innokraft lab` reaches it, and
    # nothing is left running behind a stopped command.
    os.chdir(grading.root)
    os.execvpe(command[0], command, _lab_env(settings))


def _port_free(ip: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((ip, port))
        except OSError:
            return False
    return True


def _wait_for(ip: str, port: int, proc: subprocess.Popen, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection((ip, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def stop_all(procs: list[subprocess.Popen]) -> None:
    """Each child asked to stop (SIGTERM to its process group), then killed with everything it
    started if it has not stopped in time. Kernels run in sessions of their own (jupyter_client):
    they are found as the children's descendants before the children go, and ended too."""
    family = []
    for proc in procs:
        try:
            family += psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            pass
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT_S
    for proc in procs:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    _gone, alive = psutil.wait_procs(family, timeout=max(0.1, deadline - time.monotonic()))
    for leftover in alive:
        try:
            leftover.kill()
        except psutil.NoSuchProcess:
            pass


def _raise_stopped(signum, _frame) -> None:
    raise Stopped(signum)


def cmd_session(args) -> int:
    """A facilitator's session: the course and JupyterLab/formgrader together, in one terminal."""
    settings, course, store = context(args)
    t = say(args)
    for port, option in ((args.port, "--port"), (args.lab_port, "--lab-port")):
        if not _port_free(args.ip, port):
            say_error(t("cli.session.port_busy", port=port, option=option))
            return EXIT_BAD_INPUT
    grading = prepared(settings, course, t)  # once, before two processes would race for it
    course_url = args.base_url or f"http://{args.ip}:{args.port}/"
    token = _token(args.jupyter_args)
    logs = settings.home / "logs"
    logs.mkdir(exist_ok=True, mode=0o700)
    env = {**_lab_env(settings), "INNOKRAFT_URL": course_url}
    serve = [sys.executable, "-m", "innokraft.cli", "serve", "--ip", args.ip, "--port", str(args.port),
             "--pool-size", str(args.pool_size)]
    lab = _lab_command(grading, args.ip, args.lab_port, token, args.jupyter_args)
    procs: list[subprocess.Popen] = []
    # Ctrl-C, `kill` and a closed terminal all end the session the same way: children stopped.
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in STOP_SIGNALS}
    try:
        for command, name, cwd in ((serve, "course", None), (lab, "formgrader", grading.root)):
            log = write_private(logs / f"{name}.log", "")
            procs.append(subprocess.Popen(command, cwd=cwd, env=env, stdout=log.open("a"),
                                          stderr=subprocess.STDOUT, start_new_session=True))
        for proc, port, name in ((procs[0], args.port, "course"), (procs[1], args.lab_port, "formgrader")):
            if not _wait_for(args.ip, port, proc, 180):
                say_error((logs / f"{name}.log").read_text()[-3000:])
                return EXIT_FAILED
        store.upsert_learners(DEMO_COHORT, [{"learner_id": DEMO_LEARNER, "name": "Demo", "email": "",
                                             "lang": None}])
        demo = page_url(course_url, course.start_notebook, signer(settings, course).issue(
            DEMO_LEARNER, DEMO_COHORT, store.learner(DEMO_LEARNER).link_generation), course.default_language)
        lab_base = f"http://{args.ip}:{args.lab_port}"
        running.note(settings.home, running.FORMGRADER, f"{lab_base}/formgrader", args.ip, args.lab_port,
                     procs[1].pid)
        say_line(t("cli.session.started"))
        say_line(t("cli.session.course", url=course_url))
        say_line(t("cli.session.demo", url=demo))
        say_line(t("cli.session.formgrader", url=f"{lab_base}/formgrader?token={token}"))
        say_line(t("cli.session.lab", url=f"{lab_base}/lab?token={token}"))
        say_line(t("cli.session.links_hint"))
        sys.stdout.flush()
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return EXIT_FAILED
    except (KeyboardInterrupt, Stopped):
        return EXIT_OK
    finally:
        for sig in STOP_SIGNALS:  # a second signal while stopping must not cut the stop short
            signal.signal(sig, signal.SIG_IGN)
        stop_all(procs)
        if len(procs) > 1:
            running.forget(settings.home, running.FORMGRADER, procs[1].pid)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        try:
            say_line(t("cli.session.stopped"))
        except OSError:
            pass  # the terminal is gone (SIGHUP): nobody to tell


def register(sub) -> None:
    lang = lang_option()
    p = sub.add_parser("lab", parents=[lang], help="JupyterLab with formgrader on the course")
    p.add_argument("--ip", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8867)
    p.add_argument("jupyter_args", nargs="...", help="more options for jupyter lab, after --")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("session", parents=[lang], help="a facilitator's session: the course and formgrader together")
    p.add_argument("--ip", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8866, help="the course's port")
    p.add_argument("--lab-port", type=int, default=8867, help="JupyterLab/formgrader's port")
    p.add_argument("--base-url", help="where learners reach the course, if not http://IP:PORT/")
    p.add_argument("--pool-size", type=int, default=1, help="preheated kernels per page")
    p.add_argument("jupyter_args", nargs="...", help="more options for jupyter lab, after --")
    p.set_defaults(func=cmd_session)
