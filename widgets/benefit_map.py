"""E8.2 An effect goal for your initiative: the leader writes one effect goal for their initiative
(course.yaml thread) in the fields of ESV's benefits plan (the goal, whether it is an output or an
effect, how it is measured, baseline, target and latest value, who measures and when), and gets
back whether it is an effect, how far the latest value has come from the baseline towards the
target (drawn as a bar against the target) and what the plan still lacks. The rules are in
widgets/compute/benefits.py.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from .compute.benefits import KINDS, NUMBERS, check_goal
from .exercise import NOTHING, Exercise, auto_width, full_width, html_widget, labelled
from .numbers import fmt
from .svg_chart import BLUE, ORANGE, SvgChart, ticks

FIELDS = ("goal", "indicator", *NUMBERS, "owner", "measure_on")


class BenefitMap(Exercise):
    def _build(self) -> None:
        self.p = p = f"{self.page.id}.{self.name}"
        t = self.t

        def area(field: str) -> widgets.Textarea:
            # Short answers, as on M5's test card: a few lines each, a target a thumb can hit.
            return labelled(widgets.Textarea, value="", rows=2, continuous_update=True,
                            _dom_classes=("innokraft-short",), description=t(f"{p}.fields.{field}"),
                            layout=full_width())

        self.fields: dict[str, widgets.Widget] = {
            "goal": area("goal"),
            "indicator": area("indicator"),
            **{f: labelled(widgets.Text, value="", continuous_update=True, _dom_classes=("innokraft-number",),
                           description=t(f"{p}.fields.{f}")) for f in NUMBERS},
            "owner": area("owner"),
            "measure_on": labelled(widgets.Text, value="", continuous_update=True, _dom_classes=("innokraft-number",),
                                   description=t(f"{p}.fields.measure_on")),
        }
        self.kind = labelled(widgets.RadioButtons, options=[(t(f"{p}.kinds.{k}"), k) for k in KINDS], value=None,
                             description=t(f"{p}.fields.kind"), layout=auto_width())
        for w in (*self.fields.values(), self.kind):
            w.observe(self.changed, "value")
        self.hint = html_widget(css="innokraft-hint")
        self.feedback = html_widget(css="innokraft-feedback")
        self.chart = SvgChart()
        f = self.fields
        self.children = [self.title(f"{p}.title"), self.text(f"{p}.intro", initiative=self.page.initiative_text()),
                         f["goal"], self.kind, f["indicator"], *(f[n] for n in NUMBERS), f["owner"], f["measure_on"],
                         self.hint, self.status, self.feedback, self.chart]

    def goal(self) -> dict[str, str]:
        return {**{k: str(w.value) for k, w in self.fields.items()}, "kind": self.kind.value or ""}

    def state(self) -> dict:
        return self.goal()

    def restore(self, value: object) -> None:
        if not isinstance(value, dict):
            return
        for k, w in self.fields.items():
            if isinstance(value.get(k), str):
                w.value = value[k]
        if value.get("kind") in KINDS:
            self.kind.value = value["kind"]

    def started(self) -> bool:
        return bool(self.fields["goal"].value.strip()) and self.kind.value is not None

    def is_done(self) -> bool:
        return self.started() and len(check_goal(self.goal(), self.t.lang).numbers) == len(NUMBERS)

    def _share(self, share: float) -> str:
        """The share of the way in per cent, whole where it is whole: 99.6 is not yet 100 (the goal
        reached), nor 0.4 nothing."""
        whole = round(share)
        near = whole != share and (whole in (0, 100))
        return fmt(share, self.t.lang, 1 if near else 0)

    def update(self) -> None:
        p, t, lang = self.p, self.t, self.t.lang
        if not self.started():
            self.hint.value = Markup("<p>{}</p>").format(t(f"{p}.empty"))
            self.feedback.value = NOTHING
            self.chart.layout.display = "none"
            return
        self.hint.value = NOTHING
        goal = self.fields["goal"].value.strip()
        c = check_goal(self.goal(), self.t.lang)
        out = t.html(f"{p}.output_question", goal=goal) if c.output else NOTHING
        if c.no_change:
            out += t.html(f"{p}.no_change", goal=goal)
        elif c.wrong_way:
            out += t.html(f"{p}.wrong_way", goal=goal)
        elif c.progress is not None:
            out += t.html(f"{p}.progress", goal=goal, share=self._share(100 * c.progress))
        else:
            out += t.html(f"{p}.numbers_missing")
        if c.missing:
            names = [t(f"{p}.named.{f}") for f in c.missing]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {t(f'{p}.and')} {names[-1]}"
            out += t.html(f"{p}.missing", fields=listed)
        elif not c.output:
            out += t.html(f"{p}.holds")
        self.feedback.value = out
        if c.progress is None:
            self.chart.layout.display = "none"
            return
        share = 100 * c.progress
        low, high = min(0.0, share), max(100.0, share)
        title = t(f"{p}.chart_title")
        self.chart.layout.display = ""
        self.chart.draw({
            "kind": "hbar", "title": title, "categories": [t(f"{p}.chart_goal")],
            "series": [{"name": "", "values": [share], "colors": [ORANGE if share < 0 else BLUE],
                        "labels": [self._share(share) + " %"]}],
            "min": low * 1.15, "max": high * 1.15, "ticks": ticks(low, high, lang, most=6, unit=" %"),
            "lines": [{"value": 100, "name": t(f"{p}.target_line"), "style": "dashed"}],
            "x_label": t(f"{p}.axis"),
        }, self.chart_alt(title, t(f"{p}.alt", baseline=self.fields["baseline"].value.strip(),
                                   target=self.fields["target"].value.strip(),
                                   latest=self.fields["latest"].value.strip(), share=self._share(share))))
