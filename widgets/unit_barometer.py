"""E1.3 Unit barometer: rate ten factors from -3 (hinders) to +3 (helps).

A factor is rated once the leader has moved its input: 0 ("neutral") is an answer, so a factor
starts with no value rather than at 0, and the barometer is done when every factor is rated
(content review D8: it counted as done after one slider)."""

from __future__ import annotations

from markupsafe import Markup
from pydantic import BaseModel, Field

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.ratings import profile
from .exercise import Exercise, html_widget
from .numbers import signed
from .svg_chart import BLUE, GREY, InputValue, SvgChart
from .team_session import team_part

__all__ = ["UnitBarometer", "profile"]


class Factor(BaseModel):
    id: str
    national: str | None = Field(default=None, pattern="^(barrier|driver)$")
    source: str | None = None  # an id under sources: in facts.yaml, for a national mark


class Params(BaseModel):
    factors: list[Factor] = Field(min_length=2)


class UnitBarometer(Exercise):
    """Ten ratings on range inputs drawn by the chart itself: a move redraws in the browser."""

    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        data = exercise_data(self.page.settings.config_dir, self.page.id, self.name)
        self.params: Params = validated(Params, data, where)
        p = f"{self.page.id}.unit_barometer"
        self.chart = SvgChart(
            inputs=[{"id": f.id, "label": self.t(f"{p}.factors.{f.id}"), "min": -3, "max": 3, "step": 1,
                     "signed": True, "unset": self.t("exercise_kinds.rating.not_rated")} for f in self.params.factors],
            values={},
        )
        self.sliders = {f.id: InputValue(self.chart, f.id) for f in self.params.factors}
        self.chart.observe(self.changed, "values")
        self.feedback = html_widget(css="innokraft-feedback")
        self.hint = html_widget(css="innokraft-hint")
        self.team = team_part(self)  # course.yaml: team_sessions
        self.children = [
            self.text_block(f"{p}.title", f"{p}.intro"),
            self.chart,
            self.hint,
            self.status,
            self.feedback,
            *([self.team] if self.team is not None else []),
        ]

    def state(self) -> dict:
        """The rated factors only: {factor: -3 … 3}."""
        return {k: s.value for k, s in self.sliders.items() if isinstance(s.value, int)}

    def restore(self, value: dict) -> None:
        self.chart.values = {k: max(-3, min(3, int(v))) for k, v in value.items()
                             if k in self.sliders and isinstance(v, int | float)}

    def is_done(self) -> bool:
        return len(self.state()) == len(self.sliders)

    def _source_line(self) -> str:
        from innokraft.course.facts import registry

        reg = registry(str(self.page.settings.config_dir))
        cites = "; ".join(dict.fromkeys(f"{reg.cite(f.source)}, {self.t('facts.country.SE')}"
                                        for f in self.params.factors if f.source))
        return self.t("facts.source_line", sources=cites) if cites else ""

    def update(self) -> None:
        p = f"{self.page.id}.unit_barometer"
        ordered, barrier, driver = profile(self.state())
        symbols = {"barrier": "●", "driver": "○"}
        national = {f.id: f.national for f in self.params.factors}
        # Diverging bars from zero, smallest first, drawn from the inputs' values in the browser.
        self.chart.draw(
            {"kind": "hbar", "title": self.t(f"{p}.chart_title"), "min": -3, "max": 3, "unit": "", "signed": True,
             "sort": "value", "labels_above": True,
             "ticks": [{"value": v, "label": signed(v, self.t.lang)} for v in range(-3, 4)],
             "categories": [{"id": f.id, "label": self.t(f"{p}.factors.{f.id}"),
                             "symbol": symbols.get(f.national or "", "")} for f in self.params.factors],
             "series": [{"name": self.t(f"{p}.chart_title"), "color": BLUE, "from_inputs": True}],
             "x_label": f"← {self.t(f'{p}.legend_barrier')}   ·   {self.t(f'{p}.legend_driver')} →",
             "legend_extra": [{"symbol": "●", "label": self.t(f"{p}.national_barrier")},
                              {"symbol": "○", "label": self.t(f"{p}.national_driver")}],
             "source": self._source_line()},
            alt=self.chart_alt(self.t(f"{p}.chart_title"), "; ".join(
                f"{self.t(f'{p}.factors.{k}')}: {signed(v, self.t.lang)}"
                # The ●/○ marks in words: a listener hears what the national survey says too.
                + (f" ({self.t(f'{p}.national_{national[k]}')})" if national.get(k) else "") for k, v in ordered)),
        )
        left = len(self.sliders) - len(self.state())
        self.hint.value = (Markup("<p>{}</p>").format(self.t(f"{p}.rate_hint", count=left)) if left
                           else Markup(""))
        parts = []
        if barrier:
            parts.append(self.t.html(f"{p}.top_barrier", factor=self.t(f"{p}.factors.{barrier}"),
                                     advice=self.t(f"{p}.advice.{barrier}")))
        else:
            parts.append(self.t.html(f"{p}.no_barrier"))
        if driver:
            parts.append(self.t.html(f"{p}.top_driver", factor=self.t(f"{p}.factors.{driver}")))
        if self.team is not None:
            if self.team.result is not None:
                parts += self._team_feedback(self.team.result)
            self.team.refresh()
        self.feedback.value = Markup("").join(parts)

    # -- with the team (widgets.team_session) ----------------------------------------------------
    def _team_profile(self) -> tuple[str | None, str | None]:
        _ordered, barrier, driver = profile(self.team.means())
        return barrier, driver

    def _team_feedback(self, result: dict) -> list:
        """What the team's result says beside the leader's own: its biggest barrier and asset, and
        the factor where the two differ most (a difference of a whole step or more)."""
        p, t, lang = f"{self.page.id}.unit_barometer.team", self.t, self.t.lang
        factor = lambda key: t(f"{self.page.id}.unit_barometer.factors.{key}")  # noqa: E731
        means, count = self.team.means(), result["count"]
        barrier, driver = self._team_profile()
        parts = [t.html(f"{p}.barrier", count=count, factor=factor(barrier), mean=signed(means[barrier], lang, 1))
                 if barrier else t.html(f"{p}.no_barrier", count=count)]
        if driver:
            parts.append(t.html(f"{p}.driver", factor=factor(driver), mean=signed(means[driver], lang, 1)))
        own = self.state()
        gaps = {k: abs(own[k] - m) for k, m in means.items() if k in own}
        widest = max(gaps, key=lambda k: (gaps[k], -list(gaps).index(k)), default=None)
        if widest is not None and gaps[widest] >= 1:
            parts.append(t.html(f"{p}.gap", factor=factor(widest), own=signed(own[widest], lang),
                                team=signed(means[widest], lang, 1)))
        return parts

    def team_chart(self, result: dict) -> tuple[dict, str]:
        """The leader's rating and the team's mean, per factor, on the barometer's scale."""
        p, t, lang = f"{self.page.id}.unit_barometer", self.t, self.t.lang
        own, means = self.state(), self.team.means()
        ids = [f.id for f in self.params.factors if f.id in means]
        labels = [t(f"{p}.factors.{k}") for k in ids]
        spec = {"kind": "hbar", "title": t(f"{p}.team.chart_title"), "categories": labels, "min": -3, "max": 3,
                "signed": True, "unit": "", "labels_above": True,
                "ticks": [{"value": v, "label": signed(v, lang)} for v in range(-3, 4)],
                "series": [{"name": t("team.leader.own"), "color": BLUE, "values": [own.get(k) for k in ids],
                            "labels": [signed(own[k], lang) if k in own else "" for k in ids]},
                           {"name": t("team.leader.team"), "color": GREY, "pattern": "hatch",
                            "values": [means[k] for k in ids], "labels": [signed(means[k], lang, 1) for k in ids]}],
                "source": t("team.leader.source", count=result["count"])}
        alt = self.series_alt(labels, [(t("team.leader.own"), [signed(own[k], lang) if k in own else "–" for k in ids]),
                                       (t("team.leader.team"), [signed(means[k], lang, 1) for k in ids])])
        return spec, self.chart_alt(t(f"{p}.team.chart_title"), alt)

    def team_reflection(self, result: dict):
        p, t = f"{self.page.id}.unit_barometer.team", self.t
        barrier, _driver = self._team_profile()
        finding = t(f"{p}.reflection_barrier", factor=t(f"{self.page.id}.unit_barometer.factors.{barrier}")) \
            if barrier else t(f"{p}.reflection_no_barrier")
        return t.html(f"{p}.reflection", count=result["count"], finding=finding)
