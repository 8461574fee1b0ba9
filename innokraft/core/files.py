"""Files with personal data (links, exports) readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path


class NotWritten(ValueError):
    """A file that could not be written (nothing was): its path and the system's reason."""

    def __init__(self, path: Path, reason: str, errno: int | None = None):
        super().__init__(f"cannot write {path}: {reason}; nothing was written")
        self.path, self.reason, self.errno = path, reason, errno


def write_private(path: str | os.PathLike, text: str | bytes, encoding: str = "utf-8") -> Path:
    """Write text (or bytes) to path with mode 0600, also when the file existed with wider permissions.

    A path that cannot be written raises NotWritten naming it (nothing was written)."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise NotWritten(path, exc.strerror or str(exc), exc.errno) from None
    try:
        os.fchmod(fd, 0o600)
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as fh:
                fd = None
                fh.write(text)
            return path
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fd = None
            fh.write(text)
    finally:
        if fd is not None:
            os.close(fd)
    return path
