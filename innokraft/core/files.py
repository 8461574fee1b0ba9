"""Files with personal data (links, exports) readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path


def write_private(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write text to path with mode 0600, also when the file existed with wider permissions.

    A path that cannot be written raises ValueError naming it (nothing was written)."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise ValueError(f"cannot write {path}: {exc.strerror}; nothing was written") from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fd = None
            fh.write(text)
    finally:
        if fd is not None:
            os.close(fd)
    return path
