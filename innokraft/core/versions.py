"""The versions of the packages whose private internals Innokraft patches, as the patches were
written against them (pyproject.toml pins these exactly; constraints.txt pins the rest).

Each patch asks `written_for(package)` before it changes anything. On another version the patch
is skipped, stock behaviour stays (slower, never broken by a changed internal), and one warning
names the package, the version found and the one expected.
"""

from __future__ import annotations

import warnings
from functools import cache
from importlib.metadata import PackageNotFoundError, version

PATCHED = {
    "ipykernel": "7.4.0",  # kernel.patches.streams (OutStream._buffers), kernel.patches.comms (BaseComm.kernel)
    "ipywidgets": "8.1.9",  # kernel.patches.comms (Widget.open, the protocol version)
    "comm": "0.2.3",  # kernel.patches.comms (comm.create_comm)
    "voila": "0.5.13",  # web.app (handler classes), web.templates (VoilaExporter), web.security, web.static
    "jupyter_server": "2.21.1",  # web.security (the websocket's connection counting)
    "tornado": "6.6.1",  # web.static (StaticFileHandler's content hooks)
    "anywidget": "0.11.0",  # widgets/page_front (the bundle's copy of anywidget's front-end)
}


class PatchSkipped(UserWarning):
    pass


@cache
def written_for(package: str) -> bool:
    """True when the installed `package` is the version Innokraft's patches were written for."""
    try:
        found = version(package)
    except PackageNotFoundError:
        found = None
    if found == PATCHED[package]:
        return True
    warnings.warn(f"innokraft: {package} {found} is installed, its patches were written for "
                  f"{PATCHED[package]}: they are skipped (stock behaviour)", PatchSkipped, stacklevel=2)
    return False
