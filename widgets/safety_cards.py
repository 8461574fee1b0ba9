"""E6.1 What do you say? Six scenario cards, the first about the leader's initiative (course.yaml
thread), each with three responses (radio groups, none preset). Each response is of a type, and
each type moves two indices, the team's safety and how clear the expectations are, by the rules in
the table the page shows first. The leader gets back the two indices drawn card by card, the zone
they end in (Edmondson's four), the answer that cost most safety and how often they used her three
moves. The answers the leader shows the result for first are kept as they were (data: what the leader
would say first; kept at the button, not at each radio change, as a keyboard's arrows check every
option on their way); afterwards they may try other answers, and the chart keeps the first run
beside the new one.
The rules and the computation are in widgets/compute/safety.py.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, model_validator

from innokraft.course.load import exercise_data
from innokraft.course.yaml_io import validated

from .compute.safety import moves, play
from .exercise import NOTHING, Exercise, auto_width, button, html_widget, labelled
from .numbers import fmt, signed
from .svg_chart import BLUE, GREY, ORANGE, SvgChart, ticks


class Move(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    safety: float
    accountability: float


class Card(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    responses: list[str] = Field(min_length=2, max_length=5)


class CardsParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    start: float = Field(ge=0, le=100)
    zone_line: float = Field(gt=0, lt=100)
    types: dict[str, Move]
    cards: list[Card] = Field(min_length=1, max_length=10)
    moves: dict[str, list[str]]

    @model_validator(mode="after")
    def _known_types(self) -> CardsParams:
        for where, names in [*((c.id, c.responses) for c in self.cards), *self.moves.items()]:
            for t in names:
                if t not in self.types:
                    raise ValueError(f"{where}: {t!r} is not one of the types {sorted(self.types)}")
        return self


class SafetyCards(Exercise):
    def _build(self) -> None:
        where = f"course_config/exercises/{self.page.id}.yaml:{self.name}"
        self.params: CardsParams = validated(
            CardsParams, exercise_data(self.page.settings.config_dir, self.page.id, self.name), where)
        self.p = p = f"{self.page.id}.{self.name}"
        t, total = self.t, len(self.params.cards)
        initiative = self.page.initiative_text()
        self.first: dict[str, int] = {}  # card -> the response when the result was first shown
        self.radios = {}
        for n, card in enumerate(self.params.cards, start=1):
            answers = t.items(f"{p}.cards.{card.id}.responses")
            if len(answers) != len(card.responses):
                raise ValueError(f"course_config/text/{t.lang}/{self.page.id}.yaml: {card.id} lists "
                                 f"{len(answers)} responses, {where} has {len(card.responses)}")
            situation = t(f"{p}.cards.{card.id}.situation", initiative=initiative)
            self.radios[card.id] = labelled(
                widgets.RadioButtons, options=[(a, i) for i, a in enumerate(answers)], value=None,
                layout=auto_width(), description=t(f"{p}.card_label", number=n, total=total, situation=situation))
        for radio in self.radios.values():
            radio.observe(self._chose, "value")
        self.show = button(t(f"{p}.show"), button_style="primary", disabled=True)
        self.show.on_click(self._show)
        self.again = button(t(f"{p}.again"), css="innokraft-secondary")
        self.again.on_click(self._again)
        self.hint = html_widget(css="innokraft-hint")
        self.moved = html_widget(css="innokraft-moves")
        self.feedback = html_widget(css="innokraft-feedback")
        self.chart = SvgChart()
        self._parts = [self.title(f"{p}.title"), self.text(f"{p}.intro", start=fmt(self.params.start, t.lang)),
                       html_widget(self._rules()), *self.radios.values(), self.hint, self.show, self.status, self.moved,
                       self.feedback, self.chart, self.text(f"{p}.pedagogical")]
        self.children = self._parts

    def _rules(self) -> Markup:
        """The rules as a table: each sort of response and how it moves the two indices."""
        t, p, lang = self.t, self.p, self.t.lang
        head = Markup("").join(Markup('<th scope="col">{}</th>').format(c) for c in t.items(f"{p}.rules_columns"))
        rows = Markup("").join(
            Markup('<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>').format(
                t(f"{p}.types.{k}"), signed(m.safety, lang), signed(m.accountability, lang))
            for k, m in self.params.types.items())
        return Markup('<table class="innokraft-rules"><caption>{}</caption><thead><tr>{}</tr></thead>'
                      '<tbody>{}</tbody></table>').format(t(f"{p}.rules_title"), head, rows)

    # -- answers -----------------------------------------------------------------------------------
    def _chose(self, _change=None) -> None:
        self.changed()

    def _show(self, _button=None) -> None:
        """The result for the first complete answers: those answers are kept as the first."""
        chosen = self.choices()
        if self.first or len(chosen) < len(self.params.cards):
            return
        self.first = chosen
        self.decided()

    def _again(self, _button=None) -> None:
        """Try other answers: the cards start over, the first answers stay."""
        self._restoring = True
        for radio in self.radios.values():
            radio.value = None
        self._restoring = False
        self.changed()

    def choices(self) -> dict[str, int]:
        return {c: r.value for c, r in self.radios.items() if r.value is not None}

    def types_of(self, chosen: dict[str, int]) -> list[str]:
        """The chosen responses' types, in card order (cards not answered left out)."""
        return [card.responses[chosen[card.id]] for card in self.params.cards if card.id in chosen]

    def state(self) -> dict:
        return {"choices": self.choices(), "first": dict(self.first)}

    def restore(self, value: dict) -> None:
        if not isinstance(value, dict):
            return
        cards = {c.id: c for c in self.params.cards}

        def valid(d) -> dict[str, int]:
            d = d if isinstance(d, dict) else {}
            return {c: v for c, v in d.items() if c in cards and type(v) is int and 0 <= v < len(cards[c].responses)}

        first = valid(value.get("first"))
        self.first = first if len(first) == len(cards) else {}
        for c, v in valid(value.get("choices")).items():
            self.radios[c].value = v

    def is_done(self) -> bool:
        return len(self.first) == len(self.params.cards)

    # -- what the answers say -------------------------------------------------------------------
    def run(self, chosen: dict[str, int]):
        params = self.params
        return play(self.types_of(chosen), {k: (m.safety, m.accountability) for k, m in params.types.items()},
                    (params.start, params.start), params.zone_line)

    def update(self) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        chosen, cards = self.choices(), self.params.cards
        left = len(cards) - len(chosen)
        self.hint.value = Markup("<p>{}</p>").format(t(f"{p}.rate_hint", count=fmt(left, lang))) if left else NOTHING
        # "Try other answers" once every card is answered (the button shares the page's one Layout:
        # it is left out of the exercise, not hidden).
        wanted = self._parts if left or not self.first else [*self._parts[:-1], self.again, self._parts[-1]]
        if list(self.children) != wanted:
            self.children = wanted
        answered = [c for c in cards if c.id in chosen]
        run = self.run(chosen)
        self.moved.value = Markup('<ol class="innokraft-moves-list">{}</ol>').format(Markup("").join(
            Markup('<li value="{}">{}</li>').format(
                cards.index(c) + 1,
                t(f"{p}.moved", type=t(f"{p}.types.{c.responses[chosen[c.id]]}"),
                  safety=signed(self.params.types[c.responses[chosen[c.id]]].safety, lang),
                  accountability=signed(self.params.types[c.responses[chosen[c.id]]].accountability, lang)))
            for c in answered)) if answered else NOTHING
        self.show.disabled = bool(left) or bool(self.first)
        if self.first and self.show.description != t(f"{p}.shown"):
            self.show.description = t(f"{p}.shown")
        if not answered:
            self.feedback.value = NOTHING
            self.chart.layout.display = "none"
            return
        out = NOTHING
        if not left and self.first:
            out = self._result(run)
            first = self.run(self.first)
            if self.first != chosen:
                out += t.html(f"{p}.first_differs", safety=fmt(first.safety[-1], lang),
                              accountability=fmt(first.accountability[-1], lang), zone=t(f"{p}.zones.{first.zone}"))
        self.feedback.value = out
        self._draw(run, answered, out)

    def _result(self, run) -> Markup:
        p, t, lang = self.p, self.t, self.t.lang
        out = t.html(f"{p}.result", zone=t(f"{p}.zones.{run.zone}"), safety=fmt(run.safety[-1], lang),
                     accountability=fmt(run.accountability[-1], lang), line=fmt(self.params.zone_line, lang))
        out += t.html(f"{p}.zone_text.{run.zone}")
        if run.biggest_drop is None:
            out += t.html(f"{p}.no_drop")
        else:
            card = self.params.cards[run.biggest_drop]
            out += t.html(f"{p}.biggest_drop", card=t(f"{p}.cards.{card.id}.name"),
                          type=t(f"{p}.types.{card.responses[self.choices()[card.id]]}"))
        used = moves(run.used, self.params.moves)
        return out + t.html(f"{p}.moves", **{m: fmt(n, lang) for m, n in used.items()})

    def _draw(self, run, answered, said: Markup) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        steps = [t(f"{p}.start_step"), *(fmt(self.params.cards.index(c) + 1, lang) for c in answered)]
        series = [{"name": t(f"{p}.legend_safety"), "kind": "line", "color": BLUE, "values": run.safety},
                  {"name": t(f"{p}.legend_accountability"), "kind": "line", "color": ORANGE, "style": "dashed",
                   "values": run.accountability}]
        # The first answers beside a later try, over the same cards.
        if self.is_done() and len(answered) == len(self.params.cards) and self.first != self.choices():
            first = self.run(self.first)
            series += [{"name": t(f"{p}.legend_first_safety"), "kind": "line", "color": GREY, "style": "dotted",
                        "values": first.safety},
                       {"name": t(f"{p}.legend_first_accountability"), "kind": "line", "color": GREY,
                        "style": "dashed", "values": first.accountability}]
        title = t(f"{p}.chart_title")
        line = self.params.zone_line
        self.chart.layout.display = ""
        self.chart.draw({
            "kind": "band", "title": title, "categories": steps, "series": series,
            "min": 0, "max": 100, "ticks": ticks(0, 100, lang, most=6),
            "lines": [{"value": line, "name": t(f"{p}.zone_line", line=fmt(line, lang)), "style": "dotted"}],
            "x_label": t(f"{p}.x_label"), "y_label": t(f"{p}.y_label"),
            "note": t("exercise_kinds.simulator.pedagogical_short"),
        }, self.chart_alt(title, "; ".join(
            t(f"{p}.alt_item", card=s, safety=fmt(run.safety[i], lang), accountability=fmt(run.accountability[i], lang))
            for i, s in enumerate(steps)) + (". " + said.striptags() if said else "")))
