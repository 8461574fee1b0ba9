"""A course page as the browser's widget front-end (widgets/page_front) speaks to it, without a
browser: the page's HTML, its kernel's v1 websocket, the widgets' comms.

What a page tells its front-end is read from the HTML Voilà wrote: the kernel's id (Voilà's
`jupyter-config-data`) and the widgets' state (the kernel's last output, innokraft.kernel.page
`show_widget_state`). The websocket speaks the v1 kernel protocol (jupyter_server's
`v1.kernel.websocket.jupyter.org`, the only one `innokraft serve` accepts): each frame is the
channel, the message's parts and their offsets.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass, field

V1 = "v1.kernel.websocket.jupyter.org"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_CONFIG = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S)
_OUTPUT = re.compile(r'<script type="application/vnd\.voila\.cell-output\+json"[^>]*>(.*?)</script>', re.S)


@dataclass
class Page:
    kernel_id: str | None
    states: dict[str, dict]  # model id -> {model_name, state, ...}
    retry: bool = False  # the page says it reloads (its kernel was not prepared, or the course is busy)

    def models(self, name: str) -> dict[str, dict]:
        return {k: v["state"] for k, v in self.states.items() if v["model_name"] == name}

    def textarea(self, answer_key: str) -> str | None:
        """The model of the reflection box that saves `answer_key` (its class ik-key-<key>)."""
        for model_id, state in self.models("TextareaModel").items():
            if f"ik-key-{answer_key}" in state.get("_dom_classes", []):
                return model_id
        return None

    def reflection_keys(self) -> dict[str, str]:
        """{answer key: model id} of every reflection box on the page."""
        out = {}
        for model_id, state in self.models("TextareaModel").items():
            for cls in state.get("_dom_classes", []):
                if cls.startswith("ik-key-"):
                    out[cls.removeprefix("ik-key-")] = model_id
        return out

    def page_hooks(self) -> str | None:
        """The page's hooks widget (innokraft.kernel.hooks): a flush writes what is pending at once."""
        for model_id, state in self.models("AnyModel").items():
            if "Text boxes typed in on this page" in str(state.get("_esm", "")):
                return model_id
        return None

    def exercise_models(self, answer_key: str, name: str) -> list[str]:
        """The models of kind `name` inside the exercise that saves `answer_key` (its box has the
        class innokraft-key-<key>), in the order they are shown."""
        boxes = [k for k, v in self.models("VBoxModel").items()
                 if f"innokraft-key-{answer_key}" in v.get("_dom_classes", [])]
        found: list[str] = []
        todo = list(boxes)
        while todo:
            model_id = todo.pop(0)
            model = self.states.get(model_id)
            if model is None:
                continue
            if model["model_name"] == name:
                found.append(model_id)
            todo[:0] = [c.removeprefix("IPY_MODEL_") for c in model["state"].get("children", [])]
        return found


def parse_page(text: str) -> Page:
    config = _CONFIG.search(text)
    kernel_id = json.loads(config.group(1)).get("kernelId") if config else None
    states: dict[str, dict] = {}
    for match in _OUTPUT.finditer(text):
        try:
            output = json.loads(match.group(1))
        except ValueError:
            continue
        data = output.get("data") or {}
        if WIDGET_STATE in data:
            states = data[WIDGET_STATE]["state"]
    return Page(kernel_id, states, retry='http-equiv="refresh"' in text)


def header(msg_type: str, session: str) -> dict:
    return {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "",
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "version": "5.3"}


def encode(channel: str, msg: dict) -> bytes:
    parts = [channel.encode(), json.dumps(msg["header"]).encode(), json.dumps(msg["parent_header"]).encode(),
             json.dumps(msg["metadata"]).encode(), json.dumps(msg["content"]).encode()]
    offsets, at = [], 8 * (len(parts) + 2)
    for part in parts:
        offsets.append(at)
        at += len(part)
    offsets.append(at)
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + b"".join(parts)


def decode(frame: bytes) -> tuple[str, dict]:
    """(channel, message) of a v1 frame; binary buffers after the content are left out."""
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1): 8 * (i + 2)], "little") for i in range(count)]
    parts = [frame[offsets[i]: offsets[i + 1]] for i in range(min(count - 1, 5))]
    channel = parts[0].decode()
    msg = {name: json.loads(parts[i + 1]) for i, name in
           enumerate(("header", "parent_header", "metadata", "content")) if i + 1 < len(parts)}
    return channel, msg


@dataclass
class KernelChannel:
    """One page's kernel connection: send on shell, wait for what answers a message."""

    ws: object  # a websockets.sync.client.ClientConnection
    session: str = field(default_factory=lambda: uuid.uuid4().hex)

    def send(self, msg_type: str, content: dict, metadata: dict | None = None, channel: str = "shell") -> str:
        msg = {"header": header(msg_type, self.session), "parent_header": {}, "metadata": metadata or {},
               "content": content}
        self.ws.send(encode(channel, msg))
        return msg["header"]["msg_id"]

    def wait(self, predicate, timeout: float) -> dict:
        """The first message for which predicate(channel, msg) holds; TimeoutError after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from the kernel")
            frame = self.ws.recv(timeout=left)
            if isinstance(frame, str):
                continue
            channel, msg = decode(frame)
            if predicate(channel, msg):
                return msg

    def idle_after(self, msg_id: str, timeout: float) -> dict:
        """Until the kernel has handled msg_id (its iopub status goes idle for it)."""
        return self.wait(lambda ch, m: ch == "iopub" and m["header"]["msg_type"] == "status"
                         and m["parent_header"].get("msg_id") == msg_id
                         and m["content"].get("execution_state") == "idle", timeout)

    def comm_msg(self, comm_id: str, data: dict) -> str:
        return self.send("comm_msg", {"comm_id": comm_id, "data": data})

    def update(self, model_id: str, state: dict) -> str:
        """A widget's value changed in the page (what ipywidgets' front-end sends)."""
        return self.comm_msg(model_id, {"method": "update", "state": state, "buffer_paths": []})
