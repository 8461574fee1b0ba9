"""Record a process's imported modules when it exits (tests of what a learner's kernel loads)."""

from __future__ import annotations

import atexit
import json
import os
import sys


def record_at_exit(folder: str) -> None:
    def record() -> None:
        from innokraft import store_client

        clients = sorted({type(c).__name__ for c in store_client._clients.values()})
        path = os.path.join(folder, f"{os.getpid()}.json")
        with open(path + ".partial", "w", encoding="utf-8") as fh:
            json.dump({"pid": os.getpid(), "argv": sys.argv, "store_clients": clients,
                       "modules": sorted(sys.modules)}, fh)
        os.replace(path + ".partial", path)

    atexit.register(record)
