"""Innokraft: the course engine (config, texts, links, store, pages, serving)."""

import os as _os

__version__ = "0.1.0"

if _os.environ.get("INNOKRAFT_DEBUG_MODULES"):
    # Tests only: when this process exits, record every module it imported in its life.
    # Registered before anything else in innokraft, so it runs last (after the answers'
    # final flush). tests/browser/test_lean_kernel.py reads it for a real page's kernel.
    from ._debug_modules import record_at_exit

    record_at_exit(_os.environ["INNOKRAFT_DEBUG_MODULES"])
