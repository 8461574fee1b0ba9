"""The wrap-up's "your initiative's journey": one line per module, M1–M8, from the leader's answers.

The answers come from one store call (`CoursePage.course_answers`), the team's pulse result from
one more, and only once the leader has locked their guess (the team link opens after it).
Each line says what that module did with the initiative (widgets/compute/journey.py looks it up);
what the leader did not fill in says so (`wrapup.journey.missing`), whatever shape it was stored in.
Static text: an HTML output of the page, no widget (it changes only when the page is opened again).
Texts: wrapup.journey.* in course_config/text/<lang>/wrapup.yaml.
"""

from __future__ import annotations

from markupsafe import Markup

from innokraft.course.load import exercise_data
from innokraft.course.model import THREAD_KEY
from innokraft.course.yaml_io import validated
from innokraft.kernel.client import StoreRefused, StoreUnavailable
from innokraft.kernel.team import TeamWatch

from .compute import diffusion as dm
from .compute import journey as jy
from .initiative import initiative_of
from .numbers import fmt, typed_date

P = "wrapup.journey"
STATIONS = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8")
PULSE = "m6.team_pulse"


def said(value: str) -> str:
    """A learner's text inside a course sentence: its own closing full stop left to the sentence."""
    return value.rstrip().removesuffix(".").rstrip()


def team_result(page) -> dict | None:
    """The team's result of the leader's newest pulse, as the store lets them see it (None without
    one, or when the store cannot be asked now: the line then says it is not shown yet)."""
    if not page.session.can_save:
        return None
    # No event loop as clock: an open session is read once, never watched from this page.
    watch = TeamWatch(page.session.token, PULSE, lambda _state: None, clock=lambda: None)
    try:
        state = watch.load()
    except (StoreUnavailable, StoreRefused):
        return None
    return (state or {}).get("result")


class Journey:
    """What each station's sentence says, {placeholder: text or None (not filled in)}."""

    def __init__(self, page, answers: dict[str, object]):
        self.page, self.t, self.answers = page, page.t, answers
        self.config = page.settings.config_dir
        self.lang = page.t.lang

    def ids(self, module: str, exercise: str, key: str) -> list[str]:
        return [item["id"] for item in exercise_data(self.config, module, exercise)[key]]

    def m1(self) -> dict[str, str | None]:
        initiative = initiative_of(self.answers.get(THREAD_KEY))["text"]
        barrier = jy.top_barrier(self.answers.get("m1.unit_barometer"), self.ids("m1", "unit_barometer", "factors"))
        return {"initiative": said(initiative) or None,
                "barrier": self.named(barrier, "m1.unit_barometer.factors", "no_barrier")}

    def m2(self) -> dict[str, str | None]:
        skill = jy.skill_to_borrow(self.answers.get("m2.team_coverage"), self.ids("m2", "team_coverage", "items"))
        return {"skill": self.named(skill, "m2.team_coverage.items", "no_gap")}

    def m3(self) -> dict[str, str | None]:
        focus = jy.portfolio_focus(self.answers.get("m3.portfolio_mapper"))
        if focus is None:
            return {"count": None, "facet": None, "share": None}
        return {"count": fmt(focus.count, self.lang), "share": fmt(focus.share * 100, self.lang),
                "facet": self.t(f"m3.portfolio_mapper.facets.{focus.facet}").lower()}

    def m4(self) -> dict[str, str | None]:
        found = jy.assumption_to_test(self.answers.get("m4.assumption_map"))
        return {"assumption": said(found) if found else None}

    def m5(self) -> dict[str, str | None]:
        card = jy.card_of(self.answers.get("m5.test_card")) or dict.fromkeys(jy.CARD_FIELDS, "")
        return {"hypothesis": said(card["hypothesis"]) or None, "criterion": said(card["criterion"]) or None,
                "decide_on": typed_date(said(card["decide_on"]), self.t) if card["decide_on"] else None}

    def m6(self) -> dict[str, str | None]:
        form = self.page.course.team_sessions.find(PULSE)
        if form is None:
            return {"guess": None, "team": None}
        low, high = form.scale.min, form.scale.max
        reverse = exercise_data(self.config, "m6", "team_pulse").get("reverse") or []
        turned = {i: i in reverse for i in form.items}
        guess = jy.guess_index(self.answers.get(PULSE), form.items, turned, low, high)
        if guess is None:
            return {"guess": None, "team": None}  # no team link before the guess is locked
        team = jy.team_index(team_result(self.page), form.items, form.values, turned, low, high)
        out_of = lambda v: self.t(f"{P}.out_of_100", value=fmt(v, self.lang))  # noqa: E731
        return {"guess": out_of(guess), "team": out_of(team) if team is not None else
                self.t(f"{P}.pulse_hidden", min=fmt(self.page.course.team_sessions.min_answers, self.lang))}

    def m7(self) -> dict[str, str | None]:
        from .diffusion_simulator import DiffusionParams

        params = validated(DiffusionParams, exercise_data(self.config, "m7", "diffusion_simulator"),
                           "course_config/exercises/m7.yaml:diffusion_simulator")
        w = params.formula
        found = jy.spread(self.answers.get("m7.diffusion_simulator"),
                          dm.Formula(w.p0, w.q0, w.wp, w.wq, w.p_min, w.q_min), params.weight_choices,
                          params.tie_months)
        if found is None:
            return {"months": None, "attribute": None}
        names = [self.t(f"m7.diffusion_simulator.attributes.{a}").lower() for a in found.fastest]
        return {"months": fmt(found.months_to_half, self.lang),
                "attribute": ", ".join(names) if names else self.t(f"{P}.no_faster")}

    def m8(self) -> dict[str, str | None]:
        distance = jy.escalation(self.answers.get("m8.mandate_matrix"))
        goal = jy.benefit_goal(self.answers.get("m8.benefit_map"))
        return {"escalation": fmt(distance, self.lang) if distance is not None else None,
                "goal": said(goal["goal"]) if goal else None}

    def named(self, found: str | None, texts: str, none_key: str) -> str | None:
        """An id's words, the words for "answered, nothing to name" (""), or None (not filled in)."""
        if found is None:
            return None
        return self.t(f"{texts}.{found}") if found else self.t(f"{P}.{none_key}")

    def line(self, station: str) -> Markup:
        """A station's sentence; "not filled in" alone where nothing in it is."""
        values = getattr(self, station)()
        if all(v is None for v in values.values()):
            return Markup("{}.").format(self.t(f"{P}.missing"))
        missing = self.t(f"{P}.missing")
        return self.t.html_inline(f"{P}.stations.{station}.text",
                                  **{k: v if v is not None else missing for k, v in values.items()})


def journey_html(page) -> Markup:
    """The journey as a section: its heading, its intro and an ordered list of the eight modules."""
    t = page.t
    journey = Journey(page, page.course_answers())
    items = Markup("").join(
        Markup('<li data-module="{}"><strong>{}.</strong> {}</li>').format(
            s, t(f"{P}.stations.{s}.label"), journey.line(s)) for s in STATIONS)
    return Markup('<section class="innokraft-journey" aria-labelledby="innokraft-journey-h">'
                  '<h2 id="innokraft-journey-h">{}</h2>{}<ol>{}</ol></section>').format(
        t(f"{P}.title"), page.explained(t.html(f"{P}.intro")), items)
