"""PointMap: the anywidget front-end behind the portfolio mapper and the assumption map.

The browser side (front/point_map.js) draws the map and lets the leader add, drag (mouse,
touch) and move (arrow keys) named points; this side validates what comes back. Words
come in `config` from course_config; `places` names each point's region and `status` is
announced in a polite live region.
"""

from __future__ import annotations

import re

import anywidget
import traitlets

from . import front_files

ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
MAX_NAME = 60


def clean_items(value: object, max_items: int, sized: bool) -> list[dict]:
    """Keep well-formed points only: an id, a name, 0-10 coordinates, a size >= 0 where sized.

    The front-end is not trusted: anything else is dropped, never guessed at.
    """
    out, seen = [], set()
    for raw in value if isinstance(value, list) else []:
        if not isinstance(raw, dict):
            continue
        pid, name = raw.get("id"), raw.get("name")
        if not isinstance(pid, str) or not ID.match(pid) or pid in seen:
            continue
        if not isinstance(name, str) or not name.strip():
            continue
        try:
            x, y = float(raw.get("x")), float(raw.get("y"))
            size = float(raw.get("size")) if sized else None
        except (TypeError, ValueError):
            continue
        if not (0 <= x <= 10 and 0 <= y <= 10) or (sized and not 0 <= size < 1e12):
            continue
        item = {"id": pid, "name": name.strip()[:MAX_NAME], "x": x, "y": y}
        if sized:
            item["size"] = size
        out.append(item)
        seen.add(pid)
        if len(out) == max_items:
            break
    return out


class PointMap(anywidget.AnyWidget):
    _esm = front_files.module("point_map.js")
    _css = front_files.FOLDER / "point_map.css"

    items = traitlets.List(help="The points: {id, name, x 0-10, y 0-10[, size]}.").tag(sync=True)
    config = traitlets.Dict(help="Background kind, axis and region labels, control words.").tag(sync=True)
    places = traitlets.Dict(help="Point id -> the region it sits in, in words.").tag(sync=True)
    status = traitlets.Unicode("", help="The last change in words, for the live region.").tag(sync=True)

    @traitlets.validate("items")
    def _valid(self, proposal):
        return clean_items(proposal["value"], int(self.config.get("max_items", 12)),
                           bool(self.config.get("size_label")))
