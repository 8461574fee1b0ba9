"""E3.1 Portfolio mapper: the leader places their initiatives on OPSI's facets diamond.

Shows and collects only: the map is a PointMap (front/point_map.js), the ambition four
sliders; widgets/compute/portfolio.py computes shares, concentration and gaps.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.portfolio import FACETS, Initiative, change_kind, facet, summarise
from .exercise import Exercise, html_widget, labelled
from .numbers import fmt
from .point_map import PointMap, clean_items
from .svg_chart import BLUE, GREY, SvgChart, ticks
from .team_session import team_part


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    limit: float = Field(gt=0, le=1, description="share of budget above which one facet is flagged")
    max_items: int = Field(default=12, ge=1, le=30)
    min_items: int = Field(default=3, ge=1)
    ambition: dict[str, int]


def map_config(t, p: str, regions: list[dict], background: str, max_items: int, sized: bool) -> dict:
    """The PointMap's words, all from course_config."""
    k = "exercise_kinds.point_map"
    config = {
        "background": background, "max_items": max_items, "title": t(f"{p}.map_title"),
        "help": t(f"{k}.help"), "roledescription": t(f"{k}.roledescription"),
        "x_label": t(f"{p}.x_label"), "x_low": t(f"{p}.x_low"), "x_high": t(f"{p}.x_high"),
        "y_label": t(f"{p}.y_label"), "y_low": t(f"{p}.y_low"), "y_high": t(f"{p}.y_high"),
        "name_label": t(f"{p}.name_label"), "add": t(f"{k}.add"), "remove": t(f"{k}.remove"),
        "need_name": t(f"{k}.need_name"), "need_size": t(f"{k}.need_size"),
        "too_many": t(f"{k}.too_many", max=max_items), "list_caption": t(f"{p}.list_caption"),
        "point_label": t(f"{p}.point_label"), "regions": regions,
        "card_values": t(f"{p}.card_values"), "card_place": t(f"{k}.card_place"),
        "columns": [t(f"{k}.col_name"), t(f"{p}.x_short"), t(f"{p}.y_short")]
        + ([t(f"{p}.size_short")] if sized else []) + [t(f"{k}.col_place"), t(f"{k}.col_change")],
    }
    if sized:
        config["size_label"] = t(f"{p}.size_label")
    return config


class MapExercise(Exercise):
    """What the two map exercises share: a PointMap whose changes are saved and announced."""

    sized = False

    def _map(self, config: dict) -> PointMap:
        self.map = PointMap(config=config)
        self.map.observe(self.changed, "items")
        self._last: dict[str, tuple] = {}
        return self.map

    def moved(self) -> dict | None:
        """The point added or moved since the last update, if any."""
        now = {it["id"]: (it["x"], it["y"]) for it in self.map.items}
        changed = [it for it in self.map.items if self._last.get(it["id"]) != now[it["id"]]]
        removed = set(self._last) - set(now)
        self._last = now
        return changed[-1] if changed and not removed else None

    def restore_items(self, value: object) -> None:
        self.map.items = clean_items(value, int(self.map.config["max_items"]), self.sized)
        self._last = {it["id"]: (it["x"], it["y"]) for it in self.map.items}


class PortfolioMapper(MapExercise):
    sized = True

    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: Params = validated(Params, exercise_data(self.page.settings.config_dir, self.page.id,
                                                              self.name), where)
        self.p = p = f"{self.page.id}.{self.name}"
        t = self.t
        # Each name outside the square the points live in: the facets at the diamond's tips
        # (the side ones turned along its edges), the kinds of change in the corners.
        regions = [
            {"label": t(f"{p}.facets.{f}"), "at": at, "strong": True}
            for f, at in (("enhancement", "left"), ("anticipatory", "right"), ("mission", "top"),
                          ("adaptive", "bottom"))
        ] + [
            {"label": t(f"{p}.kinds.{kind}"), "at": at}
            for kind, at in (("sustaining", "top-left"), ("transformative", "top-right"),
                             ("optimising", "bottom-left"), ("disruptive", "bottom-right"))
        ]
        self._map(map_config(t, p, regions, "diamond", self.params.max_items, sized=True))
        self.ambition = {
            f: labelled(widgets.IntSlider, value=self.params.ambition.get(f, 25), min=0, max=100, step=5,
                        continuous_update=False,
                        description=t(f"{p}.ambition_label", facet=t(f"{p}.facets.{f}")))
            for f in FACETS
        }
        # The sliders start on an example; the leader's ambition is compared with the map only
        # once they have set it (content review: a preset gap was read as advice).
        self.ambition_set = False
        for s in self.ambition.values():
            s.observe(self._ambition_moved, "value")
        self.chart = SvgChart()
        self.feedback = html_widget(css="innokraft-feedback")
        self.team = team_part(self)  # course.yaml: team_sessions
        self.children = [self.title(f"{p}.title"), self.text(f"{p}.intro"), self.map,
                         html_widget(Markup("<h3>{}</h3>{}").format(t(f"{p}.ambition_title"),
                                                                    t.html(f"{p}.ambition_intro"))),
                         *self.ambition.values(), self.status, self.chart, self.feedback,
                         *([self.team] if self.team is not None else [])]

    def _ambition_moved(self, change=None) -> None:
        if not self._restoring:
            self.ambition_set = True
        self.changed(change)

    def state(self) -> dict:
        ambition = {f: s.value for f, s in self.ambition.items()}
        return {"items": list(self.map.items), **({"ambition": ambition} if self.ambition_set else {})}

    def restore(self, value: dict) -> None:
        self.restore_items(value.get("items"))
        ambition = value.get("ambition")
        if isinstance(ambition, dict):
            self.ambition_set = True
            for f, v in ambition.items():
                if f in self.ambition and isinstance(v, (int, float)) and 0 <= v <= 100:
                    self.ambition[f].value = int(v)

    def is_done(self) -> bool:
        return len(self.map.items) >= self.params.min_items

    def initiatives(self) -> list[Initiative]:
        return [Initiative(it["name"], it.get("size", 0.0), it["x"], it["y"]) for it in self.map.items]

    def place(self, x: float, y: float) -> str:
        f, kind = facet(x, y), change_kind(x, y)
        words = self.t(f"{self.p}.facets.{f}") if f else self.t(f"{self.p}.unclear")
        return f"{words} · {self.t(f'{self.p}.kinds.{kind}')}" if kind else words

    def update(self) -> None:
        t, p, lang = self.t, self.p, self.t.lang
        items = self.map.items
        self.map.places = {it["id"]: self.place(it["x"], it["y"]) for it in items}
        moved = self.moved()
        if moved is not None and not self._restoring:
            self.map.status = t(f"{p}.moved", name=moved["name"], place=self.map.places[moved["id"]])
        ambition = {f: s.value for f, s in self.ambition.items()} if self.ambition_set else None
        s = summarise(self.initiatives(), self.params.limit, ambition)
        names = [t(f"{p}.facets.{f}") for f in FACETS]
        actual = [s.shares[f] * 100 for f in FACETS]
        limit = self.params.limit * 100
        series = [{"name": t(f"{p}.series_actual"), "color": BLUE, "values": actual,
                   "labels": [fmt(v, lang) for v in actual]}]
        alt = [(t(f"{p}.series_actual"), [t("facts.unit.percent", value=fmt(a, lang)) for a in actual])]
        if ambition is not None:
            total_ambition = sum(ambition.values()) or 1
            wanted = [ambition[f] * 100 / total_ambition for f in FACETS]
            series.append({"name": t(f"{p}.series_ambition"), "color": GREY, "pattern": "hatch", "values": wanted,
                           "labels": [fmt(v, lang) for v in wanted]})
            alt.append((t(f"{p}.series_ambition"), [t("facts.unit.percent", value=fmt(w, lang)) for w in wanted]))
        title = t(f"{p}.chart_title" if ambition is not None else f"{p}.chart_title_today")
        self.chart.draw({
            "kind": "hbar", "title": title, "categories": names, "series": series,
            "min": 0, "max": 100, "ticks": ticks(0, 100, lang, most=5),
            "lines": [{"value": limit, "style": "dotted", "name": t(f"{p}.limit_line", limit=fmt(limit, lang))}],
            "x_label": t(f"{p}.share_axis"),
        }, self.chart_alt(title, self.series_alt(names, alt)))
        team = []
        if self.team is not None:
            if self.team.result is not None:
                team = [self._team_feedback(self.team.result)]
            self.team.refresh()
        if len(items) < self.params.min_items:
            self.feedback.value = Markup("").join([t.html(f"{p}.too_few", min=self.params.min_items,
                                                          count=len(items)), *team])
            return
        parts = [t.html(f"{p}.summary", explore=fmt(s.explore_share * 100, lang),
                        effective=fmt(s.effective_facets, lang, 1))]
        if s.dominant:
            parts.append(t.html(f"{p}.dominant", facet=t(f"{p}.facets.{s.dominant}"),
                                share=fmt(s.shares[s.dominant] * 100, lang),
                                limit=fmt(self.params.limit * 100, lang)))
        if s.empty:
            parts.append(t.html(f"{p}.empty", facets=", ".join(t(f"{p}.facets.{f}") for f in s.empty)))
        if ambition is None:
            parts.append(t.html(f"{p}.ambition_unset"))
        elif s.largest_gap and abs(s.gaps[s.largest_gap]) >= 0.05:
            gap = s.gaps[s.largest_gap]
            parts.append(t.html(f"{p}.gap_{'over' if gap > 0 else 'under'}",
                                facet=t(f"{p}.facets.{s.largest_gap}"), gap=fmt(abs(gap) * 100, lang)))
        self.feedback.value = Markup("").join(parts + team)

    # -- with the team (widgets.team_session) ----------------------------------------------------
    def _shares(self) -> tuple[dict[str, float], dict[str, float]]:
        """(the map's budget share per facet, the team's view as shares of its mean ratings), in per cent."""
        means = self.team.means()
        total = sum(max(0.0, v) for v in means.values())
        # Nobody put any time anywhere: no view to compare with.
        team = {f: max(0.0, means[f]) * 100 / total for f in FACETS if f in means} if total else {}
        own = summarise(self.initiatives(), self.params.limit).shares
        return {f: own[f] * 100 for f in FACETS}, team

    def _team_feedback(self, result: dict) -> Markup:
        """Where the team thinks the time goes, beside where the leader's map puts the budget."""
        t, p, lang = self.t, f"{self.p}.team", self.t.lang
        own, team = self._shares()
        if not team:
            return Markup("")
        team_top = max(team, key=lambda f: (team[f], -FACETS.index(f)))
        values = {"count": result["count"], "team_top": t(f"{self.p}.facets.{team_top}"),
                  "team_share": fmt(team[team_top], lang)}
        if len(self.map.items) < self.params.min_items or not any(own.values()):
            return t.html(f"{p}.no_map", **values)
        own_top = max(own, key=lambda f: (own[f], -FACETS.index(f)))
        return t.html(f"{p}.feedback", own_top=t(f"{self.p}.facets.{own_top}"), own_share=fmt(own[own_top], lang),
                      **values) + t.html(f"{p}.{'same' if own_top == team_top else 'different'}")

    def team_chart(self, result: dict) -> tuple[dict, str]:
        t, p, lang = self.t, self.p, self.t.lang
        own, team = self._shares()
        facets = [f for f in FACETS if f in team]
        names = [t(f"{p}.facets.{f}") for f in facets]
        spec = {"kind": "hbar", "title": t(f"{p}.team.chart_title"), "categories": names, "min": 0, "max": 100,
                "ticks": ticks(0, 100, lang, most=5), "x_label": t(f"{p}.team.axis"),
                "series": [{"name": t(f"{p}.team.own"), "color": BLUE, "values": [own[f] for f in facets],
                            "labels": [fmt(own[f], lang) for f in facets]},
                           {"name": t(f"{p}.team.team"), "color": GREY, "pattern": "hatch",
                            "values": [team[f] for f in facets], "labels": [fmt(team[f], lang) for f in facets]}],
                "source": t("team.leader.source", count=result["count"])}
        def percents(shares: dict) -> list[str]:
            return [t("facts.unit.percent", value=fmt(shares[f], lang)) for f in facets]

        alt = self.series_alt(names, [(t(f"{p}.team.own"), percents(own)), (t(f"{p}.team.team"), percents(team))])
        return spec, self.chart_alt(t(f"{p}.team.chart_title"), alt)

    def team_reflection(self, result: dict) -> Markup:
        _own, team = self._shares()
        if not team:
            return Markup("")
        team_top = max(team, key=lambda f: (team[f], -FACETS.index(f)))
        return self.t.html(f"{self.p}.team.reflection", count=result["count"],
                           team_top=self.t(f"{self.p}.facets.{team_top}"))
