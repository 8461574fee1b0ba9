"""The course secret that signs every link: INNOKRAFT_SECRET, else a 0600 file made once."""

from __future__ import annotations

import os
import secrets
import stat

from .settings import Settings

# itsdangerous signs with HMAC-SHA1 over a derived key; shorter secrets are guessable.
MIN_LENGTH = 32


def load_secret(settings: Settings) -> str:
    """INNOKRAFT_SECRET, else INNOKRAFT_HOME/secret.key (mode 0600), made atomically on first use."""
    if settings.secret:
        if len(settings.secret) < MIN_LENGTH:
            raise PermissionError(f"INNOKRAFT_SECRET has {len(settings.secret)} characters; use at least "
                                  f"{MIN_LENGTH} (python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        return settings.secret
    path = settings.secret_file
    if not path.exists():
        settings.ensure_home()
        # Written whole under another name, then linked into place: a second process starting
        # at the same moment reads either no file or the whole secret, never an empty one.
        partial = path.with_name(f".secret.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
        try:
            os.link(partial, path)  # fails if another process made it first: theirs is kept
        except FileExistsError:
            pass
        finally:
            partial.unlink()
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise PermissionError(f"{path} is readable by others (mode {oct(mode)}): run `chmod 600 {path}`")
    return path.read_text().strip()
