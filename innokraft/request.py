"""The page request as the notebook sees it, in Voilà (preheated or not) and outside it."""

from __future__ import annotations

import os
from urllib.parse import parse_qs


def in_voila() -> bool:
    return "VOILA_PREHEAT" in os.environ


def query() -> dict[str, str]:
    """The request's query parameters; {} outside Voilà (papermill, JupyterLab)."""
    if not in_voila():
        return {}
    from voila.utils import get_query_string

    # A preheated kernel waits here until a visitor's request arrives.
    raw = get_query_string() or ""
    return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
