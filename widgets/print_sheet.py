"""PrintSheet: the one-page worksheet of a module's workplace task, printed from the page.

The browser side (front/print_sheet.js) builds the sheet from the model as text (never
markup) and prints only the sheet (front/print_sheet.css, @media print). Configured per
module in course_config/exercises/<module>.yaml under `task_sheet`, in one of two shapes:

    task_sheet:                    # rows to rate: M1's barometer factors
      rows_from: unit_barometer    # the rows are that exercise's items (its text keys)
      rows_key: factors            # texts <module>.<rows_from>.<rows_key>.<id>
      columns: ["−3", "−2", "−1", "0", "+1", "+2", "+3"]  # or words: <module>.task_sheet.columns
      lines: 4                     # lines for notes under the table

    task_sheet:                    # a blank sheet the team fills in: M3, M4
      drawing: diamond             # a blank facets diamond, or `quadrants` for a 2 × 2 grid
      labels_from: portfolio_mapper  # its four labels: that exercise's facets or quadrants
      blank_rows: 8                # empty rows under the text columns <module>.task_sheet.columns

Words are <module>.task_sheet.* per language; `page.task()` shows the sheet after the task.
"""

from __future__ import annotations

from typing import Literal

import anywidget
import traitlets
from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import front_files

# The four labels of each drawing, in the order front/print_sheet.js places them.
DRAWING_LABELS = {
    "diamond": ("facets.enhancement", "facets.mission", "facets.anticipatory", "facets.adaptive"),
    "quadrants": ("quadrants.test_first", "quadrants.build_on", "quadrants.watch", "quadrants.set_aside"),
}


class SheetParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rows_from: str | None = None
    rows_key: str = "factors"
    row_ids_key: str = "factors"
    # The rows' words under <module>.task_sheet.<row_texts>.<id> instead of the exercise's own
    # (M2: each skill explained in a sentence, a handout the team keeps).
    row_texts: str | None = None
    columns: list[str] = Field(default_factory=list, max_length=9)
    lines: int = Field(default=0, ge=0, le=12)
    drawing: Literal["diamond", "quadrants"] | None = None
    labels_from: str | None = None
    blank_rows: int = Field(default=0, ge=0, le=20)

    @model_validator(mode="after")
    def _one_shape(self) -> SheetParams:
        if self.rows_from and len(self.columns) == 1:
            raise ValueError("rows_from needs at least two columns to tick (or none: words under "
                             "text <module>.task_sheet.columns)")
        if not self.rows_from and not self.blank_rows:
            raise ValueError("a sheet needs rows_from (rows to rate) or blank_rows (rows to fill in)")
        if self.drawing and not self.labels_from:
            raise ValueError("a drawing needs labels_from: the exercise whose words label it")
        return self


class PrintSheet(anywidget.AnyWidget):
    _esm = front_files.module("print_sheet.js")
    _css = front_files.FOLDER / "print_sheet.css"

    sheet = traitlets.Dict(help="title, intro, rows, columns, row_header, blank_rows, drawing, "
                                "questions, notes, lines, footer, print_label, hint").tag(sync=True)


def build_sheet(page, module_id: str) -> PrintSheet | None:
    """The module's worksheet, or None when its exercise file declares none."""
    from innokraft.course.load import exercise_data
    from innokraft.course.yaml_io import ConfigError, validated

    try:
        data = exercise_data(page.settings.config_dir, module_id, "task_sheet")
    except ConfigError:
        return None
    params: SheetParams = validated(SheetParams, data, f"exercises/{module_id}.yaml:task_sheet")
    t, p = page.t, f"{module_id}.task_sheet"
    sheet = {
        "title": t(f"{p}.title"),
        # A sheet may name the leader's initiative (course.yaml thread), as the task does.
        "intro": t(f"{p}.intro", initiative=page.initiative_text()),
        "footer": page.course.title[t.lang] + " · " + page.module.title[t.lang],
        "print_label": t(f"{p}.print"),
        "hint": t("exercise_kinds.sheet.hint"),
    }
    if params.rows_from:
        rows_spec = exercise_data(page.settings.config_dir, module_id, params.rows_from)
        ids = [r["id"] for r in rows_spec[params.row_ids_key]]
        words = f"{p}.{params.row_texts}" if params.row_texts else f"{module_id}.{params.rows_from}.{params.rows_key}"
        # Columns of numbers are the same in every language; columns of words are texts.
        columns = params.columns or t.items(f"{p}.columns")
        if len(columns) < 2:
            raise ValueError(f"course_config/text/{t.lang}/{module_id}.yaml: task_sheet.columns needs at "
                             "least two columns to tick")
        sheet.update(row_header=t(f"{p}.row_header"), columns=columns, rows=[t(f"{words}.{i}") for i in ids])
    else:
        sheet.update(columns=t.items(f"{p}.columns"), blank_rows=params.blank_rows)
    if params.drawing:
        sheet["drawing"] = {"kind": params.drawing, "labels": [
            t(f"{module_id}.{params.labels_from}.{k}") for k in DRAWING_LABELS[params.drawing]]}
    if t.has(f"{p}.questions.0"):
        sheet["questions"] = t.items(f"{p}.questions")
    if params.lines:
        sheet.update(notes=t(f"{p}.notes"), lines=params.lines)
    return PrintSheet(sheet=sheet)
