"""The store's calls in-process, for a page's kernel outside `innokraft serve` (papermill,
JupyterLab, Binder): the same LearnerService the server runs, opened here.

The kernel's store client loads this module by name (KernelEnv.local_store), never by an
import: under `innokraft serve` a learner's kernel holds no database code (tests check it).
"""

from __future__ import annotations

from ..core.settings import Settings
from ..kernel.client import StoreRefused, StoreUnavailable
from .service import LearnerService, ServiceError


class LocalStore:
    """The same calls as the kernel's HttpStore, run in this process against the store."""

    def __init__(self):
        self.service = LearnerService.open(Settings.from_env())

    def call(self, op: str, token: str | None, **args) -> dict:
        try:
            return self.service.call(op, token, args)
        except ServiceError as exc:
            raise StoreRefused(exc.kind) from None
        except OSError as exc:
            raise StoreUnavailable(str(exc)) from None
        except Exception as exc:
            # SQLAlchemy's OperationalError (a locked or stopped database) and the like
            if type(exc).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
                raise StoreUnavailable(str(exc)) from None
            raise
