"""Initiative: the leader's own initiative, carried through the course (course.yaml `thread`).

In the module that names it the leader writes it in a sentence; every later module shows it with
what that module asks of it (who in the team, its place in the portfolio, its assumptions), and
the leader may rewrite it there. Each rewrite keeps the version before it, with the module and
the day it was written, so the sentence from the first module stays in view.
Saved under THREAD_KEY as {"text", "module", "on", "history": [{"text", "module", "on"}, …]}.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import ipywidgets as widgets
from markupsafe import Markup

from innokraft.course.model import THREAD_KEY

from .exercise import Exercise, button, full_width, html_widget, labelled

MAX_VERSIONS = 20


def initiative_of(value: object) -> dict:
    """A saved initiative in its one shape (anything else reads as none yet)."""
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        return {"text": "", "module": "", "on": "", "history": []}
    history = [h for h in value.get("history") or [] if isinstance(h, dict) and isinstance(h.get("text"), str)]
    return {"text": value["text"], "module": str(value.get("module") or ""), "on": str(value.get("on") or ""),
            "history": history[-MAX_VERSIONS:]}


class Initiative(Exercise):
    def __init__(self, page, **kwargs):
        super().__init__(page, "initiative", **kwargs)

    def css_classes(self, page, name: str) -> tuple[str, ...]:
        # innokraft-saving.js keeps unsent text by this key, as for any answer.
        return ("innokraft-exercise", "innokraft-initiative", f"innokraft-key-{THREAD_KEY}")

    def _build(self) -> None:
        self.key = THREAD_KEY  # set before the saved answer is loaded: one key for every module
        thread = self.page.course.thread
        self.naming = self.page.module.id == thread.named_in
        self.saved = initiative_of(None)
        self.box = labelled(widgets.Textarea, value="", rows=2, description=self.t("parts.thread.label"),
                            layout=full_width())
        self.box.observe(self.changed, "value")
        self.now = html_widget(css="innokraft-initiative-now")
        self.earlier = html_widget(css="innokraft-initiative-earlier")
        m = self.page.module.id
        intro = self.text("parts.thread.intro") if self.naming else self.text(f"{m}.thread")
        rows = [self.title("parts.thread.title"), intro]
        if self.naming:
            self.edit = None
            rows += [self.box]
        else:
            self.edit = button(self.t("parts.thread.edit"), css="innokraft-secondary")
            self.edit.on_click(lambda _b: self._open_editor())
            rows += [self.now, self.edit]
        self.children = [*rows, self.status, self.earlier]

    def _open_editor(self) -> None:
        # The button gives way to the box (its layout is shared with every button: never hide that).
        self.children = tuple(self.box if c is self.edit else c for c in self.children)

    def state(self) -> dict:
        text = self.box.value.strip()[: self.page.course.thread.max_chars]
        if text == self.saved["text"]:
            return self.saved
        history = self.saved["history"]
        if self.saved["text"]:
            history = [*history, {k: self.saved[k] for k in ("text", "module", "on")}][-MAX_VERSIONS:]
        today = datetime.now(ZoneInfo(self.page.course.timezone)).date().isoformat()
        return {"text": text, "module": self.page.module.id, "on": today, "history": history}

    def restore(self, value) -> None:
        self.saved = initiative_of(value)
        self.box.value = self.saved["text"]

    def is_done(self) -> bool:
        return bool(self.box.value.strip())

    def update(self) -> None:
        text = self.box.value.strip() or self.saved["text"]
        if not self.naming:
            self.now.value = (Markup('<blockquote class="innokraft-initiative-text">{}</blockquote>').format(text)
                              if text else Markup("<p>{}</p>").format(self.t("parts.thread.none_yet")))
        versions = self.saved["history"] + ([{k: self.saved[k] for k in ("text", "module", "on")}]
                                            if self.saved["text"] and self.saved["text"] != text else [])
        if not versions:
            self.earlier.value = Markup("")
            return
        items = Markup("").join(Markup("<li>{}</li>").format(
            self.t("parts.thread.version", module=self._module_name(v["module"]), text=v["text"]))
            for v in versions)
        self.earlier.value = Markup('<details><summary>{}</summary><ul>{}</ul></details>').format(
            self.t("parts.thread.earlier", count=len(versions)), items)

    def _module_name(self, module_id: str) -> str:
        ids = [m.id for m in self.page.course.modules]
        return self.t("ui.module_number", number=ids.index(module_id) + 1) if module_id in ids else module_id
