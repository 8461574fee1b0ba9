"""The widgets' browser modules (anywidget's `_esm`; their few lines of CSS stay inline).

anywidget sends a module's whole source with every widget's state: M1's five charts put
svg_chart.js into the page five times (91 kB of its 223 kB), to be parsed again and compiled
from a new blob on every visit. Under `innokraft serve` (KernelEnv.front_served) a widget names the
module's URL instead, with its content hash: the browser fetches it once and keeps it
(innokraft.web.static.WidgetFrontFiles; the page's bundle imports it, widgets/page_front).
Elsewhere (JupyterLab, papermill, Binder) the source is sent as before.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from innokraft.core.settings import KernelEnv

FOLDER = Path(__file__).parent / "front"
URL_PATH = "innokraft/front/"


@cache
def _digest(name: str) -> str:
    return hashlib.sha256((FOLDER / name).read_bytes()).hexdigest()[:20]


def url(name: str, base_url: str = "/") -> str:
    """The module's URL on `innokraft serve`: a path from the root, with its content hash."""
    return f"{base_url}{URL_PATH}{name}?v={_digest(name)}"


def modules() -> list[str]:
    """Every browser module (the page template preloads them with the widget bundle)."""
    return sorted(p.name for p in FOLDER.glob("*.js"))


def module(name: str) -> Path | str:
    """What a widget's `_esm` names: the file (its source is sent), or its URL when served."""
    env = KernelEnv.from_env()
    if not env.front_served:
        return FOLDER / name
    # Voilà gives its kernels the server's base URL (a path from the root, ending in "/").
    return url(name, env.base_url or "/")
