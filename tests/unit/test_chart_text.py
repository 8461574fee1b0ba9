"""The computed charts of M3 and M4 are drawn by the browser from a spec (widgets/svg_chart.py):
what they say is checked here, how large their text is on a phone in
tests/browser/test_every_page.py. A simulator's chart carries the model's caveat on the image,
so a screenshot of it carries it too, and its chart counts every run."""

from __future__ import annotations

import pytest

from widgets.assumption_map import AssumptionMap
from widgets.pages import open_page
from widgets.prediction import Prediction
from widgets.simulator import Simulator

SIMULATORS = [("m3", "explore_exploit"), ("m4", "test_first")]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(("module", "name"), SIMULATORS)
def test_a_simulator_chart_counts_every_run_and_carries_its_caveat(module, name, lang):
    simulator = Simulator(open_page(module, lang=lang), name)
    simulator.update()
    spec = simulator.chart.spec
    assert spec["note"] == simulator.t("exercise_kinds.simulator.pedagogical_short")
    assert spec["title"] == simulator.t(f"{module}.{name}.chart_title")
    hist = spec["panels"][0] if spec.get("kind") == "panels" else spec
    for series in hist["series"]:
        assert sum(series["values"]) == simulator.params.runs
    if module == "m4":
        # What happened to the ideas: one bar per kind of outcome, each count as text.
        outcomes = ["worked", "built_in_vain", "good_stopped", "bad_stopped"]
        assert hist["kind"] == "hbar"
        assert hist["categories"] == [simulator.t(f"m4.test_first.outcomes.{o}") for o in outcomes]
        assert all(len(s["labels"]) == len(outcomes) for s in hist["series"])
        assert hist["max"] > max(max(s["values"]) for s in hist["series"])
    else:
        assert hist["kind"] == "hist" and len(hist["bins"]) == len(hist["series"][0]["values"]) + 1
        assert hist["bins"][0] < hist["bins"][-1] and hist["ticks"] and hist["y_ticks"]
    if spec.get("kind") == "panels":
        band = spec["panels"][1]
        steps = len(band["categories"])
        assert len(band["band"]["low"]) == len(band["band"]["high"]) == len(band["series"][0]["values"]) == steps
        assert all(lo <= mid <= hi for lo, mid, hi in zip(band["band"]["low"], band["series"][0]["values"],
                                                           band["band"]["high"], strict=True))
    # The alt text is words, not Markdown a screen reader would spell out.
    assert "**" not in simulator.chart.alt_text and simulator.chart.alt_text.strip()


def test_moving_a_simulator_input_redraws_with_new_numbers():
    simulator = Simulator(open_page("m3", lang="sv"), "explore_exploit")
    simulator.update()
    before = simulator.chart.spec
    simulator.controls["transformational"].value = 60
    after = simulator.chart.spec
    assert after != before and after["panels"][0]["bins"] != before["panels"][0]["bins"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_long_assumption_names_are_cut_on_the_chart_and_whole_in_its_alt(lang):
    exercise = AssumptionMap(open_page("m4", lang=lang), "assumption_map")
    long_name = "Föräldrarna läser appen varje vecka och svarar på förskolans frågor i tid"
    exercise.map.items = [{"id": f"p{i}", "name": name, "x": i, "y": 9 - i}
                          for i, name in enumerate([long_name, "Personalen har tid", "Tekniken fungerar"])]
    exercise.update()
    kept = exercise.map.items[0]["name"]  # as the map keeps it
    shown = exercise.chart.spec["categories"]
    assert shown[0].endswith("…") and len(shown[0]) <= 40 and kept.startswith(shown[0][:-1])
    assert len(kept) > 40 and kept in exercise.chart.alt_text


def test_a_revealed_prediction_marks_the_chosen_option():
    prediction = Prediction(open_page("m3", lang="sv"), "shock_test")
    prediction.input.value = 1
    prediction._reveal()
    series = prediction.chart.spec["series"][0]
    assert series["hatched"] == [i == 1 for i in range(len(series["values"]))]
    assert series["labels"] and prediction.chart.layout.display == ""
    assert prediction.chart.spec["max"] > max(series["values"])
