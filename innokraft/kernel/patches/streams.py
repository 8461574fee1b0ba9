"""A page's kernel flushes stdout and stderr only when they hold text.

ipykernel flushes both streams before every output and twice more around every message it
handles (a cell run, a slider's move), and each flush hands a task to the kernel's IO thread
and waits until it has run, printed text or not. On M1 after the visitor's request that was ~65
thread round trips when the page was 9 cells (15 outputs); under cProfile the display flushes
alone were ~20 ms of the kernel's ~120 ms. A course page prints nothing, so a stream is flushed only when it holds
text; text already handed over is sent before any later output, as the IO thread sends in order.
"""

from __future__ import annotations

import sys

from ...core.versions import written_for


def _only_with_text(stream):
    flush_all = stream.flush

    def flush() -> None:
        # ipykernel's OutStream keeps what was written and not yet handed over in _buffers.
        if stream._buffers:
            flush_all()

    flush.only_with_text = True
    return flush


def install() -> None:
    """In this kernel, flush stdout and stderr only when they hold text."""
    if not written_for("ipykernel"):
        return
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if hasattr(stream, "_buffers") and not getattr(stream.flush, "only_with_text", False):
            stream.flush = _only_with_text(stream)
