"""Where the course's runtime data lives: INNOKRAFT_HOME, the database, nbgrader's folders."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 8866


@dataclass(frozen=True)
class Settings:
    home: Path
    db_url: str
    config_dir: Path
    notebooks_dir: Path
    url: str

    @classmethod
    def from_env(
        cls,
        home: str | os.PathLike | None = None,
        db_url: str | None = None,
        url: str | None = None,
    ) -> Settings:
        home_path = Path(home or os.environ.get("INNOKRAFT_HOME") or REPO_ROOT / ".innokraft")
        home_path = home_path.expanduser().resolve()
        config_dir = Path(os.environ.get("INNOKRAFT_CONFIG", REPO_ROOT / "course_config"))
        notebooks_dir = Path(os.environ.get("INNOKRAFT_NOTEBOOKS", REPO_ROOT / "notebooks"))
        return cls(
            home=home_path,
            db_url=db_url
            or os.environ.get("INNOKRAFT_DB_URL")
            or f"sqlite:///{home_path / 'innokraft.db'}",
            config_dir=config_dir.resolve(),
            notebooks_dir=notebooks_dir.resolve(),
            url=(url or os.environ.get("INNOKRAFT_URL") or _served_url(home_path)
                 or f"http://127.0.0.1:{DEFAULT_PORT}/"),
        )

    @property
    def nbgrader_course_root(self) -> Path:
        return self.home / "nbgrader" / "course"

    @property
    def exchange_root(self) -> Path:
        return self.home / "nbgrader" / "exchange"

    @property
    def secret_file(self) -> Path:
        return self.home / "secret.key"

    @property
    def served_url_file(self) -> Path:
        return self.home / "served-url"  # read by _served_url

    def remember_served_url(self, url: str) -> None:
        """`innokraft serve` notes where it answers, so `innokraft links` points there."""
        self.served_url_file.write_text(url + "\n")

    def served_url(self) -> str | None:
        return _served_url(self.home)

    def ensure_home(self) -> None:
        # The home holds the secret, the database and learners' submissions: private to the service.
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)

    def environ(self) -> dict[str, str]:
        """What a child process (Voilà's kernels, nbgrader) needs to see the same settings."""
        return {
            "INNOKRAFT_HOME": str(self.home),
            "INNOKRAFT_DB_URL": self.db_url,
            "INNOKRAFT_CONFIG": str(self.config_dir),
            "INNOKRAFT_NOTEBOOKS": str(self.notebooks_dir),
            "INNOKRAFT_URL": self.url,
        }


def _served_url(home: Path) -> str | None:
    """Where `innokraft serve` (or `session`) last said it answers, if it ran in this home."""
    try:
        return (home / "served-url").read_text().strip() or None
    except OSError:
        return None
