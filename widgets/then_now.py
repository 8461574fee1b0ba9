"""The wrap-up's "then and now": the statements the leader rated in M1 (the unit barometer), M2 (the
skills profile, its first complete profile) and M8 (the capability profile), asked again word for
word (the page reads the modules' own texts), each as a radio group with nothing preset. Nothing
earlier is shown until a whole instrument is rated again (no anchoring on the old answer); then
its panel in one figure (then beside now, per factor, skill or building block), its rows in one
table, the statement that moved most and, for the skills, practice cards for the two weakest.
Saved as {"barometer": {item: value}, "skills": {…}, "capability": {…}}; the arithmetic is in
widgets/compute/then_now.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
from markupsafe import Markup

from innokraft.course.load import exercise_data

from .compute import mandate
from .compute.ratings import group_means
from .compute.then_now import Row, compare, first_ratings, largest_change, ratings_in, weakest
from .exercise import NOTHING, Exercise, auto_width, html_widget, labelled
from .numbers import fmt, signed
from .svg_chart import BLUE, GREY, SvgChart, ticks


@dataclass(frozen=True)
class Instrument:
    """One set of statements asked again: where they were first rated and how they are summed up."""

    id: str                       # barometer | skills | capability
    module: str
    exercise: str
    items: list[str]
    item_texts: str               # the module's text prefix of each statement: <item_texts>.<item>
    scale: range
    groups: dict[str, str]        # item -> its group (a skill, a building block); empty: by item
    group_texts: str = ""         # <group_texts>.<group> names a group
    scale_hint: str = ""          # the module's own words for the scale, if it has them

    @property
    def key(self) -> str:
        return f"{self.module}.{self.exercise}"

    def then(self, stored: object) -> dict[str, int]:
        """The ratings the leader gave in the module: a rating grid's first complete profile, the
        others' saved ratings, only when every statement was rated there."""
        if self.id == "skills":
            return first_ratings(stored, self.items, self.scale)
        if self.id == "capability":  # its first complete ratings (widgets.rated_items), else its ratings
            saved = stored if isinstance(stored, dict) else {}
            first = ratings_in(saved.get("first"), self.items, self.scale)
            stored = first if len(first) == len(self.items) else saved.get("ratings")
        found = ratings_in(stored, self.items, self.scale)
        return found if len(found) == len(self.items) else {}

    def value(self, rating: float, lang: str, decimals: int = 0) -> str:
        return signed(rating, lang, decimals) if self.scale.start < 0 else fmt(rating, lang, decimals)


def instruments(config_dir) -> list[Instrument]:
    """The three instruments, their statements as the modules ask them (exercises/m1.yaml,
    exercises/m2.yaml, compute/mandate.py)."""
    factors = [f["id"] for f in exercise_data(config_dir, "m1", "unit_barometer")["factors"]]
    skills = exercise_data(config_dir, "m2", "skills_profile")
    return [
        Instrument("barometer", "m1", "unit_barometer", factors, "m1.unit_barometer.factors", range(-3, 4), {}),
        Instrument("skills", "m2", "skills_profile", [i["id"] for i in skills["items"]], "m2.skills_profile.items",
                   range(skills["scale"]["min"], skills["scale"]["max"] + 1),
                   {i["id"]: i["group"] for i in skills["items"]}, "m2.skills_profile.groups",
                   "m2.skills_profile.scale_hint"),
        Instrument("capability", "m8", "capability_profile", list(mandate.ITEMS), "m8.capability_profile.items",
                   range(mandate.SCALE[0], mandate.SCALE[1] + 1),
                   {i: b for b, items in mandate.BLOCKS.items() for i in items}, "m8.capability_profile.blocks",
                   "m8.capability_profile.scale_hint"),
    ]


class ThenNow(Exercise):
    def _build(self) -> None:
        t, p = self.t, "wrapup.then_now"
        self.p = p
        self.instruments = instruments(self.page.settings.config_dir)
        self.radios: dict[str, dict[str, widgets.RadioButtons]] = {}
        self.then: dict[str, dict[str, int]] = {}
        self.hints: dict[str, widgets.HTML] = {}
        parts = [self.text_block(f"{p}.title", f"{p}.intro")]
        n = 0
        for ins in self.instruments:
            # From the one read of the leader's answers the journey and the plan share.
            self.then[ins.id] = ins.then(self.page.course_answers().get(ins.key))
            hint = t(ins.scale_hint) if ins.scale_hint else t(f"{p}.{ins.id}.scale_hint")
            parts.append(html_widget(Markup('<h3>{}</h3><p>{}</p><p class="innokraft-scale-hint">{}</p>').format(
                t(f"{p}.{ins.id}.title"), t(f"{p}.{ins.id}.question"), hint)))
            radios = {}
            for item in ins.items:
                n += 1
                radio = labelled(widgets.RadioButtons, options=[(ins.value(v, t.lang), v) for v in ins.scale],
                                 value=None, layout=auto_width(), _dom_classes=("innokraft-scale",),
                                 description=f"{n}. {t(f'{ins.item_texts}.{item}')}")
                radio.observe(self.changed, "value")
                radios[item] = radio
            self.radios[ins.id] = radios
            self.hints[ins.id] = html_widget(css="innokraft-hint")
            parts += [*radios.values(), self.hints[ins.id]]
        self.feedback = html_widget(css="innokraft-feedback")
        self.chart = SvgChart()
        self.table = html_widget()
        self.cards = html_widget()
        self.children = [*parts, self.status, self.feedback, self.chart, self.table, self.cards]

    # -- the answer ---------------------------------------------------------------------------
    def now(self, ins: Instrument) -> dict[str, int]:
        return {k: r.value for k, r in self.radios[ins.id].items() if r.value is not None}

    def state(self) -> dict:
        return {ins.id: self.now(ins) for ins in self.instruments}

    def restore(self, value: dict) -> None:
        for ins in self.instruments:
            for k, v in ratings_in(value.get(ins.id) if isinstance(value, dict) else None, ins.items,
                                   ins.scale).items():
                self.radios[ins.id][k].value = v

    def complete(self, ins: Instrument) -> bool:
        return len(self.now(ins)) == len(ins.items)

    def is_done(self) -> bool:
        return all(self.complete(ins) for ins in self.instruments)

    # -- what the leader gets back --------------------------------------------------------------
    def summed(self, ins: Instrument) -> tuple[list[str], dict[str, float], dict[str, float]]:
        """The rows the figure draws: per group (skill, building block) the mean of its statements,
        or per statement where the instrument has no groups."""
        now, then = self.now(ins), self.then[ins.id]
        if not ins.groups:
            return list(ins.items), dict(then), dict(now)
        order = list(dict.fromkeys(ins.groups.values()))
        return order, group_means(then, ins.groups), group_means(now, ins.groups)

    def label(self, ins: Instrument, key: str) -> str:
        return self.t(f"{ins.group_texts}.{key}") if ins.groups else self.t(f"{ins.item_texts}.{key}")

    def update(self) -> None:
        t, p, lang = self.t, self.p, self.t.lang
        said, panels, alts, tables = [], [], [], []
        for ins in self.instruments:
            left = len(ins.items) - len(self.now(ins))
            self.hints[ins.id].value = (Markup("<p>{}</p>").format(t(f"{p}.rate_hint", count=fmt(left, lang)))
                                        if left else NOTHING)
            if left:
                continue
            order, then, now = self.summed(ins)
            rows = compare(order, then, now)
            decimals = 1 if ins.groups else 0
            said.append(self._said(ins, rows, decimals))
            panels.append(self._panel(ins, rows, decimals, first=not panels))
            alts.append(f"{t(f'{p}.{ins.id}.chart_title')}: " + "; ".join(
                t(f"{p}.alt_pair", item=self.label(ins, r.item), then=self._shown(ins, r.then, decimals),
                  now=ins.value(r.now, lang, decimals)) for r in rows))
            tables.append(self._rows(ins))
        self.feedback.value = Markup("").join(said)
        self.chart.layout.display = "" if panels else "none"
        if panels:
            title = t(f"{p}.chart_title")
            self.chart.draw({"kind": "panels", "title": title, "panels": panels},
                            self.chart_alt(title, ". ".join(alts)))
        self.table.value = self._table(tables) if tables else NOTHING
        self.cards.value = self._cards() if self.complete(self.instruments[1]) else NOTHING

    def _shown(self, ins: Instrument, value: float | None, decimals: int) -> str:
        return self.t(f"{self.p}.missing") if value is None else ins.value(value, self.t.lang, decimals)

    def _said(self, ins: Instrument, rows: list[Row], decimals: int) -> Markup:
        t, p = self.t, self.p
        number = [m.id for m in self.page.course.modules].index(ins.module) + 1
        if not self.then[ins.id]:
            return Markup("<p>{}</p>").format(t(f"{p}.no_then", title=t(f"{p}.{ins.id}.title"), number=number))
        moved = largest_change(rows)
        if moved is None:
            return Markup("<p>{}</p>").format(t(f"{p}.no_change", title=t(f"{p}.{ins.id}.title"), number=number))
        return t.html(f"{p}.moved_most", title=t(f"{p}.{ins.id}.title"), item=self.label(ins, moved.item),
                      then=self._shown(ins, moved.then, decimals), now=ins.value(moved.now, t.lang, decimals))

    def _panel(self, ins: Instrument, rows: list[Row], decimals: int, first: bool) -> dict:
        """Then (hatched) beside now, per row, on the instrument's own scale; only the first panel
        names its series, so the legend says "then" and "now" once."""
        t, p, lang = self.t, self.p, self.t.lang
        low = ins.scale.start if ins.scale.start < 0 else 0
        return {
            "kind": "hbar", "title": t(f"{p}.{ins.id}.chart_title"),
            "categories": [self.label(ins, r.item) for r in rows],
            "min": low, "max": ins.scale[-1], "signed": ins.scale.start < 0, "unit": "", "labels_above": True,
            "ticks": [{"value": v, "label": ins.value(v, lang)} for v in range(low, ins.scale[-1] + 1)]
            if low < 0 else ticks(0, ins.scale[-1], lang, most=6),
            "series": [{"name": t(f"{p}.legend_then") if first else "", "color": GREY, "pattern": "hatch",
                        "values": [r.then for r in rows],
                        "labels": [self._shown(ins, r.then, decimals) for r in rows]},
                       {"name": t(f"{p}.legend_now") if first else "", "color": BLUE,
                        "values": [r.now for r in rows], "labels": [ins.value(r.now, lang, decimals) for r in rows]}],
        }

    def _rows(self, ins: Instrument) -> Markup:
        """The instrument's statements, word for word, with each one's rating then and now."""
        t, lang = self.t, self.t.lang
        now, then = self.now(ins), self.then[ins.id]
        out = [Markup('<tr><th scope="colgroup" colspan="4">{}</th></tr>').format(t(f"{self.p}.{ins.id}.title"))]
        for r in compare(ins.items, then, now):
            change = NOTHING if r.change is None else signed(r.change, lang)
            out.append(Markup('<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>').format(
                t(f"{ins.item_texts}.{r.item}"), self._shown(ins, r.then, 0), ins.value(r.now, lang), change))
        return Markup('<tbody>{}</tbody>').format(Markup("").join(out))

    def _table(self, bodies: list[Markup]) -> Markup:
        t = self.t
        head = Markup("").join(Markup('<th scope="col">{}</th>').format(c) for c in t.items(f"{self.p}.columns"))
        # Folded: the figure says it at a glance; the table, every statement word for word (thirty
        # rows, four phone screens), is there for whoever wants the figures.
        return Markup('<details class="innokraft-table-details"><summary>{}</summary>'
                      '<table class="innokraft-table innokraft-then-now"><caption>{}</caption><thead><tr>{}</tr>'
                      '</thead>{}</table></details>').format(
            t(f"{self.p}.table_show"), t(f"{self.p}.table_caption"), head, Markup("").join(bodies))

    def _cards(self) -> Markup:
        """Practice cards for the two skills rated lowest now (a tie: the one lower in M2 first)."""
        t, ins = self.t, self.instruments[1]
        _order, then, now = self.summed(ins)
        low = weakest(now, then, 2)
        names = [self.label(ins, g) for g in low]
        return (Markup("<h3>{}</h3>").format(t("wrapup.cards.title"))
                + t.html(f"{self.p}.skills.lowest", first=names[0], second=names[1])
                + t.html("wrapup.cards.intro")
                + Markup("").join(Markup('<div class="innokraft-card"><strong>{}</strong>{}</div>').format(
                    name, t.html(f"wrapup.cards.items.{g}")) for g, name in zip(low, names, strict=True)))
