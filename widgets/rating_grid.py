"""Rating grid kind: items rated on one scale, summarised per group, drawn as a profile.

Configured in course_config/exercises/<module>.yaml, e.g. M2's skills profile (statements
rated 1–5, a radar of the six OPSI skills, practice cards for the two lowest) and team
coverage (skills rated 0–3, bars beside the leader's own profile, gaps named):

    skills_profile:
      scale: {min: 1, max: 5, start: 3}
      groups: [iteration, data_literacy, ...]
      items: [{id: small_tests, group: iteration}, ...]
      chart: radar            # radar | bars
      feedback: lowest        # lowest: cards for the two lowest groups | coverage: gaps
      compare_with: null      # another rating grid on this page whose group means to draw too

Every item must be rated (moved at least once) before the profile counts as done. The
computations are widgets/compute/ratings.py; texts are <module>.<exercise>.* per language.
"""

from __future__ import annotations

from typing import Literal

import ipywidgets as widgets
from markupsafe import Markup
from pydantic import BaseModel, Field, model_validator

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.ratings import coverage, group_means, lowest
from .exercise import Exercise, html_widget, labelled
from .numbers import fmt
from .svg_chart import SvgChart


class Scale(BaseModel):
    min: int
    max: int
    start: int

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.min <= self.start <= self.max or self.min == self.max:
            raise ValueError("need min <= start <= max and min < max")
        return self


class Item(BaseModel):
    id: str
    group: str


class Params(BaseModel):
    scale: Scale
    groups: list[str] = Field(min_length=2)
    items: list[Item] = Field(min_length=2)
    chart: Literal["radar", "bars"] = "bars"
    feedback: Literal["lowest", "coverage"] = "lowest"
    compare_with: str | None = None
    # The leader's own mean on compare_with's scale at or below which they are weak in a skill too.
    compare_low: float | None = None

    @model_validator(mode="after")
    def _items_in_groups(self) -> Params:
        for item in self.items:
            if item.group not in self.groups:
                raise ValueError(f"item {item.id}: group {item.group!r} is not under groups:")
        return self


class RatingGrid(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: Params = validated(
            Params, exercise_data(self.page.settings.config_dir, self.page.id, self.name), where)
        self.p = p = f"{self.page.id}.{self.name}"
        s = self.params.scale
        self.sliders = {
            item.id: labelled(widgets.IntSlider, value=s.start, min=s.min, max=s.max, step=1, continuous_update=False,
                              description=f"{n}. {self.t(f'{p}.items.{item.id}')}")
            for n, item in enumerate(self.params.items, start=1)
        }
        self.moved: set[str] = set()
        # The ratings as they stood when every item was first rated: a first attempt is data (the
        # end of the course compares with it), later changes never touch it.
        self.first: dict | None = None
        for key, slider in self.sliders.items():
            slider.observe(lambda change, key=key: self._moved(key), "value")
        self.hint = html_widget()
        self.feedback = html_widget(css="innokraft-feedback")
        self.chart = SvgChart()
        self.children = [self.title(f"{p}.title"), self.text(f"{p}.intro"),
                         self.text(f"{p}.scale_hint"), *self.sliders.values(), self.hint,
                         self.status, self.chart, self.feedback]

    def _moved(self, key: str) -> None:
        if not self._restoring:
            self.moved.add(key)
            if self.first is None and self.is_done():
                self.first = {"ratings": self.ratings(), "means": self.means()}
        self.changed()

    def ratings(self) -> dict[str, int]:
        return {k: s.value for k, s in self.sliders.items()}

    def means(self) -> dict[str, float]:
        return group_means(self.ratings(), {i.id: i.group for i in self.params.items})

    def state(self) -> dict:
        out = {"ratings": self.ratings(), "moved": sorted(self.moved), "means": self.means()}
        return {**out, "first": self.first} if self.first is not None else out

    def restore(self, value: dict) -> None:
        s = self.params.scale
        for k, v in (value.get("ratings") or {}).items():
            if k in self.sliders:
                self.sliders[k].value = max(s.min, min(s.max, int(v)))
        self.moved = set(value.get("moved") or []) & set(self.sliders)
        first = value.get("first")
        if isinstance(first, dict) and isinstance(first.get("means"), dict):
            self.first = first
        elif self.is_done():
            # Saved complete before first profiles were kept: the earliest we know.
            self.first = {"ratings": self.ratings(), "means": self.means()}

    def is_done(self) -> bool:
        return self.moved >= set(self.sliders)

    # -- showing ----------------------------------------------------------------------------
    def _other(self) -> tuple[dict[str, float], Scale] | None:
        """The group means of the grid named in compare_with, on that grid's own scale (a 1–5
        self-rating is no count of people: the content review's "mixed scales")."""
        other = self.params.compare_with
        if not other:
            return None
        saved = self.page.session.load(f"{self.page.id}.{other}") or {}
        means = saved.get("means") or {}
        if not means:
            return None
        spec = validated(Params, exercise_data(self.page.settings.config_dir, self.page.id, other),
                         f"exercises/{self.page.id}.yaml:{other}")
        return means, spec.scale

    def update(self) -> None:
        p, t = self.p, self.t
        missing = len(set(self.sliders) - self.moved)
        self.hint.value = Markup("<p>{}</p>").format(t(f"{p}.rate_hint", count=missing)) if missing else ""
        means = self.means()
        found = self._other()
        other = found[0] if found else None
        if self.params.chart == "radar":
            self._radar(means)
        else:
            self._bars(means, found)
        if missing:
            self.feedback.value = ""
            return
        if self.params.feedback == "lowest":
            low = lowest(means, 2)
            self.feedback.value = t.html(f"{p}.lowest", first=t(f"{p}.groups.{low[0]}"),
                                         second=t(f"{p}.groups.{low[1]}")) + Markup("").join(
                Markup('<div class="innokraft-card"><strong>{}</strong>{}</div>').format(
                    t(f"{p}.groups.{g}"), t.html(f"{p}.cards.{g}")) for g in low)
            return
        levels = {g: int(round(v)) for g, v in means.items()}
        gaps, fragile, critical = coverage(levels, other, self.params.compare_low or 0)
        names = lambda keys: ", ".join(t(f"{p}.groups.{g}") for g in keys)  # noqa: E731
        parts = [t.html(f"{p}.gaps", skills=names(gaps)) if gaps else t.html(f"{p}.no_gaps")]
        if fragile:
            parts.append(t.html(f"{p}.fragile", skills=names(fragile)))
        if critical:
            parts.append(t.html(f"{p}.critical", skills=names(critical)))
        elif other is None:
            parts.append(t.html(f"{p}.no_profile"))
        self.feedback.value = "".join(parts)

    def _labels(self) -> list[str]:
        return [self.t(f"{self.p}.groups.{g}") for g in self.params.groups]

    def _decimal(self, value: float) -> str:
        return f"{value:.1f}".replace(".", self.t("facts.decimal_mark"))

    def _bars(self, means: dict[str, float], other: tuple[dict[str, float], Scale] | None) -> None:
        """The grid's means as bars; beside them, in a panel of its own on its own scale, the grid
        it is compared with."""
        p, t, s = self.p, self.t, self.params.scale
        groups = self.params.groups
        values = [means.get(g, s.min) for g in groups]
        own = {"kind": "hbar", "categories": self._labels(), "min": s.min, "max": s.max,
               "series": [{"name": t(f"{p}.legend_self"), "values": values}],
               "ticks": [{"value": v, "label": t(f"{p}.scale.{v}")} for v in range(s.min, s.max + 1)]}
        # In words where the axis has words ("Teamet: Ingen", as the tick reads), else the number.
        said = [t(f"{p}.scale.{int(v)}") if float(v).is_integer() and t.has(f"{p}.scale.{int(v)}") else self._decimal(v)
                for v in values]
        alt = [(t(f"{p}.legend_self"), said)]
        if other is None:
            self.chart.draw({**own, "title": t(f"{p}.chart_title")},
                            self.chart_alt(t(f"{p}.chart_title"), self.series_alt(self._labels(), alt)))
            return
        other_means, scale = other
        theirs = [other_means.get(g, scale.min) for g in groups]
        compared = {"kind": "hbar", "title": t(f"{p}.legend_other"), "categories": self._labels(),
                    "min": scale.min, "max": scale.max,
                    "series": [{"name": t(f"{p}.legend_other"), "values": theirs, "pattern": "hatch"}],
                    "ticks": [{"value": v, "label": fmt(v, t.lang)} for v in range(scale.min, scale.max + 1)]}
        alt.append((t(f"{p}.legend_other"), [self._decimal(v) for v in theirs]))
        # Each panel is one series under its own title: no legend to match.
        own["series"][0]["name"] = compared["series"][0]["name"] = ""
        self.chart.draw({"kind": "panels", "title": t(f"{p}.chart_title"),
                         "panels": [{**own, "title": t(f"{p}.legend_self")}, compared]},
                        self.chart_alt(t(f"{p}.chart_title"), self.series_alt(self._labels(), alt)))

    def _radar(self, means: dict[str, float]) -> None:
        p, t, s = self.p, self.t, self.params.scale
        values = [means.get(g, s.min) for g in self.params.groups]
        alt = "; ".join(f"{n}: {self._decimal(v)}" for n, v in zip(self._labels(), values, strict=True))
        self.chart.draw({
            "kind": "radar", "title": t(f"{p}.chart_title"), "categories": self._labels(),
            "series": [{"name": t(f"{p}.chart_title"), "values": values}],
            "min": s.min - 0.5, "max": s.max,
            "ticks": [{"value": v, "label": str(v)} for v in range(s.min, s.max + 1)],
        }, self.chart_alt(t(f"{p}.chart_title"), alt))
