"""Figures drawn in the kernel read on a phone: no text under MIN_FONT_PT in any simulator's
figure, in either language, and the figure no wider than the width its sizes are made for
(tests/browser/test_charts_read.py measures what the browser then shows)."""

from __future__ import annotations

import pytest
from matplotlib.text import Text

from innokraft.page import open_page
from widgets.chart import DPI, MIN_FONT_PT, WIDTH_IN
from widgets.simulator import Simulator

SIMULATORS = [("m3", "explore_exploit"), ("m4", "test_first")]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(("module", "name"), SIMULATORS)
def test_simulator_figures_have_no_small_text(module, name, lang):
    simulator = Simulator(open_page(module, lang=lang), name)
    simulator.update()
    figure = simulator.chart.figure
    texts = [t for t in figure.findobj(Text) if t.get_text().strip() and t.get_visible()]
    assert texts, "nothing drawn"
    small = [(t.get_text()[:40], t.get_fontsize()) for t in texts if t.get_fontsize() < MIN_FONT_PT]
    assert small == []
    assert figure.get_size_inches()[0] == WIDTH_IN and figure.dpi == DPI
    # The caveat is on the figure itself, so a screenshot of the chart carries it.
    caveat = simulator.t("exercise_kinds.simulator.pedagogical_short").split()[0]
    assert any(caveat in t.get_text() for t in texts)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_assumption_chart_has_no_small_text_and_names_fit(lang):
    from widgets.assumption_map import AssumptionMap

    exercise = AssumptionMap(open_page("m4", lang=lang), "assumption_map")
    exercise.map.items = [{"id": f"p{i}", "name": name, "x": i, "y": 9 - i}
                          for i, name in enumerate(["Föräldrarna läser appen varje vecka", "Personalen har tid",
                                                    "Tekniken fungerar", "Det går att upphandla"])]
    exercise.update()
    figure = exercise.chart.figure
    texts = [t for t in figure.findobj(Text) if t.get_text().strip() and t.get_visible()]
    assert [t.get_text() for t in texts if t.get_fontsize() < MIN_FONT_PT] == []
    assert "Föräldrarna\nläser appen…" in [t.get_text() for t in texts]
    assert figure.get_size_inches()[0] == WIDTH_IN
