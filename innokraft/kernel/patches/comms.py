"""While Voilà writes a page, its widgets' messages are held back: nobody is there to read them.

Voilà runs a page's cells before the visitor's browser has connected to the kernel. Every widget
made meanwhile sends its whole state to the server (comm_open, then a comm_msg per change),
which parses it and passes it on to no one: the browser takes every widget's state from the
page itself (innokraft.page.show_widget_state, the page's last output) and attaches to the
kernel's comms without opening them. On M1 those messages cost the kernel and the server
~25 ms of the ~150 ms the page takes to write (issue 7).

So until the page's state is written, a widget's comm is made and registered as ever (the
browser's messages reach it), but sends nothing. Nor is anything computed to be sent: a widget
is opened without its state (Widget.open would serialise all of it), and its comm has no kernel
yet, the sign by which ipywidgets skips a change's update message altogether.

Held back too long would be worse than slow: the first message from a browser to a widget ends
it as well. (A page whose cells failed has no state output: its browser asks for every widget's
state over the widgets' control comm, which ipykernel makes itself and is never held.)
"""

from __future__ import annotations

import comm
from ipykernel.comm.comm import BaseComm
from ipykernel.kernelbase import Kernel
from ipywidgets import Widget
from ipywidgets._version import __protocol_version__

from ...core.versions import written_for

_holding = False
_held: list[BaseComm] = []  # comms opened while holding: they get their kernel on release
_open_with_state = Widget.open
_create_comm = comm.create_comm


class _PageComm(BaseComm):
    """ipykernel's comm (what comm.create_comm makes in a kernel) that can hold its messages."""

    def publish_msg(self, msg_type, *args, **kwargs):
        if not _holding:
            super().publish_msg(msg_type, *args, **kwargs)
        elif self.kernel is None:
            _held.append(self)

    def handle_msg(self, msg):
        release()
        super().handle_msg(msg)


def _open_without_state(self: Widget) -> None:
    """Widget.open, less the state in its comm_open (held: nobody would read it)."""
    if self.comm is None:
        for name in self.keys:  # as get_state would: a default child (a layout, a style) is made now
            getattr(self, name)
        args = {"target_name": "jupyter.widget", "data": {"state": {}, "buffer_paths": []},
                "metadata": {"version": __protocol_version__}}
        if self._model_id is not None:
            args["comm_id"] = self._model_id
        self.comm = comm.create_comm(**args)


def hold() -> None:
    """From now until release(), widgets' comms send nothing (Voilà is writing the page)."""
    global _holding
    if not all(written_for(p) for p in ("ipykernel", "ipywidgets", "comm")):
        return  # stock behaviour: every widget sends its state as it is made
    _holding = True
    comm.create_comm = _PageComm
    Widget.open = _open_without_state


def release() -> None:
    global _holding
    _holding = False
    Widget.open = _open_with_state
    comm.create_comm = _create_comm
    # What ipykernel's publish_msg would have set on a comm's first message: ipywidgets sends
    # nothing through a comm without a kernel, so without it the widget would stay silent for good.
    if _held and Kernel.initialized():
        kernel = Kernel.instance()
        for held in _held:
            if held.kernel is None:
                held.kernel = kernel
    _held.clear()
