"""What runs in this home: `innokraft serve` (the course) and formgrader (`innokraft session` or
`innokraft lab`) note where they answer and which process they are, in INNOKRAFT_HOME/running/.
`innokraft links` and the dashboard point at what runs: a note whose process is gone, or whose
port no longer answers, is stale and names nothing.

No token is noted: formgrader's address is shown without its login (the session prints that).
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

COURSE, FORMGRADER = "course", "formgrader"


@dataclass(frozen=True)
class Running:
    url: str  # where a person reaches it (for formgrader: its /formgrader page, no token)
    pid: int
    host: str  # where it listens, to ask whether it still answers
    port: int


def _path(home: Path, name: str) -> Path:
    return home / "running" / f"{name}.json"


def note(home: Path, name: str, url: str, host: str, port: int, pid: int | None = None) -> None:
    folder = home / "running"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    record = {"url": url, "pid": pid or os.getpid(), "host": host, "port": port}
    _path(home, name).write_text(json.dumps(record) + "\n")


def forget(home: Path, name: str, pid: int | None = None) -> None:
    """Remove the note (only this process's own, when pid is given)."""
    found = recorded(home, name)
    if found is not None and (pid is None or found.pid == pid):
        _path(home, name).unlink(missing_ok=True)


def recorded(home: Path, name: str) -> Running | None:
    try:
        data = json.loads(_path(home, name).read_text())
        return Running(str(data["url"]), int(data["pid"]), str(data["host"]), int(data["port"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: it exists
    return True


def answers(host: str, port: int, timeout: float = 0.5) -> bool:
    target = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
    try:
        with socket.create_connection((target, port), timeout=timeout):
            return True
    except OSError:
        return False


def running(home: Path, name: str) -> Running | None:
    """The note if its process lives and its port answers; else None (stopped, or a stale note)."""
    found = recorded(home, name)
    if found is None or not alive(found.pid) or not answers(found.host, found.port):
        return None
    return found


def is_loopback(url: str) -> bool:
    """A link to this machine only (127.0.0.1, localhost, ::1): nobody else can open it."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
