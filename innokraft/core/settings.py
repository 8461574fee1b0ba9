"""Every environment variable Innokraft reads, declared once: its name, default and help.

Three groups, each a pydantic model whose fields name their variable (`validation_alias`) and
say what it is for (`description`):

- `Settings`: what an operator sets (where the data lives, the database, the course's URL,
  the server's timings). `innokraft info --env` lists them; the README's table is checked
  against them (tests/unit/test_settings.py).
- `KernelEnv`: what a page's kernel is told by `innokraft serve` (the store API, the compiled
  course) and by Voilà (the visitor's request, the kernel's id). Read anew on every call: a
  preheated kernel gets its visitor's request after it started.
- `DevSettings`: knobs of the tests and benchmarks.

No other module reads these variables (a test greps for it). Plain pydantic, not
pydantic-settings: the kernel reads `KernelEnv`, and pydantic-settings would add ~4.5 MB and
~180 ms to every learner's kernel for what `from_env` below does in ten lines.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PORT = 8866
# The headers in which a kernel names itself and shows its key (KernelEnv.api_key) to the server.
API_KEY_HEADER = "X-Innokraft-Key"
KERNEL_HEADER = "X-Innokraft-Kernel"


def _var(name: str, default: Any, help: str, **kwargs) -> Any:
    return Field(default, validation_alias=AliasChoices(name), description=help, **kwargs)


class _FromEnv(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **given: Any):
        """The variables as set (an empty value counts as unset), then `given` (by field name) on top."""
        environ = os.environ if environ is None else environ
        data: dict[str, Any] = {}
        for name in cls.model_fields:
            var = cls.variable(name)
            if environ.get(var):
                data[name] = environ[var]
        data.update({k: v for k, v in given.items() if v is not None})
        return cls.model_validate(data)

    @classmethod
    def given(cls, field: str, environ: Mapping[str, str] | None = None) -> str | None:
        """The variable's value as set, None when unset (before any default is filled in)."""
        return (os.environ if environ is None else environ).get(cls.variable(field)) or None

    @classmethod
    def variable(cls, field: str) -> str:
        return cls.model_fields[field].validation_alias.choices[0]

    @classmethod
    def declared(cls) -> list[tuple[str, str, str]]:
        """(variable, default, help) for each field, in declaration order."""
        out = []
        for name, field in cls.model_fields.items():
            default = field.default
            if isinstance(default, Path):  # as a reader of the README sees it, not this machine's path
                for root, shown in ((REPO_ROOT, "."), (Path.home(), "~")):
                    if default.is_relative_to(root):
                        default = f"{shown}/{default.relative_to(root)}"
                        break
            out.append((cls.variable(name), "" if default is None else str(default), field.description or ""))
        return out

    def environ(self, *fields: str) -> dict[str, str]:
        """These fields as variables, for a child process (fields that are None are left out)."""
        return {self.variable(f): str(getattr(self, f)) for f in fields if getattr(self, f) is not None}


class Settings(_FromEnv):
    """What an operator sets. Paths default to the repository's own folders."""

    home: Path = _var("INNOKRAFT_HOME", REPO_ROOT / ".innokraft",
                      "runtime folder: the SQLite store, the secret, nbgrader's course and exchange, logs")
    db_url: str | None = _var("INNOKRAFT_DB_URL", None,
                              "SQLAlchemy URL of the store (default: SQLite in INNOKRAFT_HOME; "
                              "postgresql+psycopg://... for several servers)")
    secret: str | None = _var("INNOKRAFT_SECRET", None,
                              "the signing secret of every link (default: generated once into "
                              "INNOKRAFT_HOME/secret.key, mode 0600); the same on every replica")
    config_dir: Path = _var("INNOKRAFT_CONFIG", REPO_ROOT / "course_config", "the course's course_config folder")
    notebooks_dir: Path = _var("INNOKRAFT_NOTEBOOKS", REPO_ROOT / "notebooks", "the course's notebooks folder")
    url: str | None = _var("INNOKRAFT_URL", None,
                           "where learners reach the course, used in links (default: where `innokraft serve` "
                           f"last said it answers, else http://127.0.0.1:{DEFAULT_PORT}/)")
    lang: str | None = _var("INNOKRAFT_LANG", None,
                            "language of the command line's messages, sv or en (default: facilitator_language)")
    lrs_user: str | None = _var("INNOKRAFT_LRS_USER", None, "basic-auth user of the LRS for `export-xapi --lrs`")
    lrs_password: str | None = _var("INNOKRAFT_LRS_PASSWORD", None, "its password")
    ping_s: float = _var("INNOKRAFT_PING_S", 20.0,
                         "seconds between the server's pings on a page's websocket; a page that misses "
                         "two is gone", gt=0)
    cull_idle_s: float = _var("INNOKRAFT_CULL_IDLE_S", 90.0,
                              "an unconnected kernel idle this long is ended (a tab that vanished)", gt=0)
    cull_every_s: float = _var("INNOKRAFT_CULL_EVERY_S", 30.0, "how often idle kernels are looked for", gt=0)
    refill_delay_s: float = _var("INNOKRAFT_REFILL_DELAY_S", 0.5,
                                 "a taken preheated kernel is replaced this long after its visitor arrived", ge=0)
    cell_timeout_s: int = _var("INNOKRAFT_CELL_TIMEOUT_S", 60, "the most a page's cell may run", gt=0)
    request_bound_s: float = _var("INNOKRAFT_REQUEST_BOUND_S", 30.0,
                                  "a kernel that has not got its visitor's request this long after the visitor "
                                  "arrived is ended, and its page reloads onto another", gt=0)
    memory_budget_mb: int | None = _var("INNOKRAFT_MEMORY_BUDGET_MB", None,
                                        "memory the server's kernels may take, in MB (default: three quarters "
                                        "of the machine's); with INNOKRAFT_KERNEL_MB it caps the open pages, "
                                        "and a leader past the cap gets a calm 'busy' page that retries", gt=0)
    kernel_mb: int = _var("INNOKRAFT_KERNEL_MB", 60,
                          "memory one open page's kernel is counted at against the budget, in MB "
                          "(`make load` measures it)", gt=0)
    pages_at_once: int | None = _var("INNOKRAFT_PAGES_AT_ONCE", None,
                                     "course pages the server writes side by side (default: twice the CPU "
                                     "cores, at least 2); the next wait their turn, first come first served", gt=0)
    pages_waiting: int | None = _var("INNOKRAFT_PAGES_WAITING", None,
                                     "pages that may wait for their turn (default: four times "
                                     "INNOKRAFT_PAGES_AT_ONCE); a leader past them gets the busy page", gt=0)
    now: str | None = _var("INNOKRAFT_NOW", None,
                           "tests only: the course's clock stands still at this ISO time")

    @model_validator(mode="after")
    def _derived(self) -> Settings:
        # frozen: the derived defaults are filled in once, here
        home = self.home.expanduser().resolve()
        object.__setattr__(self, "home", home)
        object.__setattr__(self, "config_dir", self.config_dir.resolve())
        object.__setattr__(self, "notebooks_dir", self.notebooks_dir.resolve())
        if not self.db_url:
            object.__setattr__(self, "db_url", f"sqlite:///{home / 'innokraft.db'}")
        if not self.url:
            object.__setattr__(self, "url", _served_url(home) or f"http://127.0.0.1:{DEFAULT_PORT}/")
        return self

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **given: Any) -> Settings:
        return super().from_env(environ, **given)

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
        return self.home / "served-url"

    def remember_served_url(self, url: str) -> None:
        """`innokraft serve` notes where it answers, so `innokraft links` points there."""
        self.served_url_file.write_text(url + "\n")

    def served_url(self) -> str | None:
        return _served_url(self.home)

    def ensure_home(self) -> None:
        # The home holds the secret, the database and learners' submissions: private to the service.
        self.home.mkdir(parents=True, exist_ok=True)
        if self.home.stat().st_mode & 0o077:
            os.chmod(self.home, 0o700)

    def child_environ(self) -> dict[str, str]:
        """What a facilitator's child process (JupyterLab, a second `innokraft`) needs to see the
        same course: the store, the folders, the URL. Never given to a learner's kernel."""
        return self.environ("home", "db_url", "secret", "config_dir", "notebooks_dir", "url")


def _served_url(home: Path) -> str | None:
    """Where `innokraft serve` (or `session`) last said it answers, if it ran in this home."""
    try:
        return (home / "served-url").read_text().strip() or None
    except OSError:
        return None


class KernelEnv(_FromEnv):
    """What a page's kernel is told: by `innokraft serve` (INNOKRAFT_*) and by Voilà (VOILA_*,
    QUERY_STRING, SCRIPT_NAME). Outside `innokraft serve` none is set."""

    compiled_config: str | None = _var("INNOKRAFT_COMPILED_CONFIG", None,
                                       "the course compiled once by `innokraft serve` (JSON), read by kernels")
    api: str | None = _var("INNOKRAFT_API", None, "the server's kernel socket (unix:PATH): its store API and "
                           "request door, for its own kernels only")
    api_key: str | None = _var("INNOKRAFT_API_KEY", None, "this kernel's own key, shown on the kernel socket")
    preheat: bool = _var("INNOKRAFT_PREHEAT", False, "the server preheats kernels (their open-page cell waits)")
    require_link: bool = _var("INNOKRAFT_REQUIRE_LINK", False,
                              "a page opened without a personal link is refused, not a demo")
    front_served: bool = _var("INNOKRAFT_FRONT_SERVED", False,
                              "the widgets' browser modules are served by URL (else sent with each widget)")
    local_store: str = _var("INNOKRAFT_LOCAL_STORE", "innokraft.learner.local",
                            "outside `innokraft serve`: the module whose LocalStore a page's kernel uses")
    voila_preheat: str | None = _var("VOILA_PREHEAT", None, "Voilà: 'True' in a kernel started ahead of its visitor")
    kernel_id: str | None = _var("VOILA_KERNEL_ID", None, "Voilà: this kernel's id")
    base_url: str | None = _var("VOILA_BASE_URL", None, "Voilà: the server's base URL, a path ending in /")
    server_url: str | None = _var("VOILA_SERVER_URL", None, "Voilà: the server's URL prefix")
    ws_base_url: str | None = _var("VOILA_WS_BASE_URL", None, "Voilà: the websockets' URL prefix")
    ws_protocol: str = _var("VOILA_WS_PROTOCOL", "ws", "Voilà: ws or wss")
    app_ip: str = _var("VOILA_APP_IP", "127.0.0.1", "Voilà: the server's address, for the request socket")
    app_port: str = _var("VOILA_APP_PORT", str(DEFAULT_PORT), "Voilà: the server's port")
    query_string: str = _var("QUERY_STRING", "", "Voilà: the visitor's query (?t=…&lang=…)")
    script_name: str = _var("SCRIPT_NAME", "", "Voilà: the page's path")
    # Voilà sets one more variable, the request's URL: in a preheated kernel it holds the *previous*
    # visitor's URL with their link. It is declared nowhere, and nothing reads it (a test checks).

    @property
    def in_voila(self) -> bool:
        return self.voila_preheat is not None

    @property
    def preheated(self) -> bool:
        """A kernel Voilà started ahead, which waits for its visitor (else it was started for one)."""
        return self.voila_preheat not in (None, "False")


class DevSettings(_FromEnv):
    """The tests' and benchmarks' knobs."""

    test_output: Path = _var("INNOKRAFT_TEST_OUTPUT", REPO_ROOT / "test-output",
                             "where tests and benchmarks write screenshots, logs and tables")
    test_run: str | None = _var("INNOKRAFT_TEST_RUN", None,
                                "the test run's mark, inherited by every process it starts (the suite looks "
                                "for what it left running)")
    page_loads: int = _var("INNOKRAFT_PAGE_LOADS", 8, "loads per page in tests/browser/test_page_loads.py")
    test_postgres_url: str | None = _var("INNOKRAFT_TEST_POSTGRES_URL", None,
                                         "a PostgreSQL for the tests (else they start a throwaway cluster)")
    ralph_venv: Path = _var("INNOKRAFT_RALPH_VENV", Path.home() / ".cache" / "innokraft-ralph-5.1.0",
                            "where the LRS test installs Ralph")
    bench_rounds: int = _var("INNOKRAFT_BENCH_ROUNDS", 6, "make bench: loads per server and cache state")
    bench_profile: str = _var("INNOKRAFT_BENCH_PROFILE", "disk",
                              "make bench: 'private' measures in private browser contexts")
    bench_learners: int = _var("INNOKRAFT_BENCH_LEARNERS", 20, "make bench: learners in the facilitator part")
    bench_facilitator: bool = _var("INNOKRAFT_BENCH_FACILITATOR", True, "make bench: 0 skips the facilitator part")
    bench_phone_loads: int = _var("INNOKRAFT_BENCH_PHONE_LOADS", 3, "make bench: loads on the throttled phone")


GROUPS = (("operator", Settings), ("kernel", KernelEnv), ("development", DevSettings))


def declared() -> list[tuple[str, str, str, str]]:
    """(group, variable, default, help) of every variable Innokraft reads."""
    return [(group, *row) for group, model in GROUPS for row in model.declared()]
