"""PrintSheet: a one-page worksheet for a workplace task, printed from the page.

The browser side (front/print_sheet.js) builds the sheet from the model as text (never
markup) and prints only the sheet (front/print_sheet.css, @media print). Configured per
module in course_config/exercises/<module>.yaml under `task_sheet`:

    task_sheet:
      rows_from: unit_barometer    # the rows are that exercise's items (its text keys)
      rows_key: factors            # texts <module>.<rows_from>.<rows_key>.<id>
      columns: ["−3", "−2", "−1", "0", "+1", "+2", "+3"]
      lines: 4                     # lines for notes under the table

Words are <module>.task_sheet.* per language; `page.task()` shows the sheet after the task.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets
from pydantic import BaseModel, Field

FRONT = Path(__file__).parent / "front"


class SheetParams(BaseModel):
    rows_from: str
    rows_key: str
    row_ids_key: str = "factors"
    columns: list[str] = Field(min_length=2, max_length=9)
    lines: int = Field(default=4, ge=0, le=12)


class PrintSheet(anywidget.AnyWidget):
    _esm = FRONT / "print_sheet.js"
    _css = FRONT / "print_sheet.css"

    sheet = traitlets.Dict(help="title, intro, rows, columns, row_header, notes, lines, footer, "
                                "print_label").tag(sync=True)


def build_sheet(page, module_id: str) -> PrintSheet | None:
    """The module's worksheet, or None when its exercise file declares none."""
    from innokraft.config import ConfigError, exercise_data, validated

    try:
        data = exercise_data(page.settings.config_dir, module_id, "task_sheet")
    except ConfigError:
        return None
    params: SheetParams = validated(SheetParams, data, f"exercises/{module_id}.yaml:task_sheet")
    rows_spec = exercise_data(page.settings.config_dir, module_id, params.rows_from)
    ids = [r["id"] for r in rows_spec[params.row_ids_key]]
    t, p = page.t, f"{module_id}.task_sheet"
    return PrintSheet(sheet={
        "title": t(f"{p}.title"),
        "intro": t(f"{p}.intro"),
        "row_header": t(f"{p}.row_header"),
        "rows": [t(f"{module_id}.{params.rows_from}.{params.rows_key}.{i}") for i in ids],
        "columns": params.columns,
        "notes": t(f"{p}.notes"),
        "lines": params.lines,
        "footer": page.course.title[t.lang] + " · " + page.module.title[t.lang],
        "print_label": t(f"{p}.print"),
    })
