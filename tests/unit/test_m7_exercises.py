"""M7's exercises driven from Python on a real page and store: set what the leader sets, read what
they get back and what was saved. The page's words are held to what the model computes."""

from __future__ import annotations

import pytest

from tests.unit.conftest import INITIATIVE
from widgets.compute import diffusion as dm
from widgets.compute.change_stages import STAGES
from widgets.diffusion_simulator import DiffusionSimulator
from widgets.kotter_audit import KotterAudit
from widgets.prediction import Prediction
from widgets.print_sheet import build_sheet

# A home-care app that is easy to try but invisible (design-m7.md's worked example).
RATINGS = {"relative_advantage": 2, "compatibility": 3, "complexity": 3, "trialability": 4, "observability": 1}


@pytest.fixture
def pages(module_pages):
    open_module, store = module_pages(initiative=True)
    return (lambda lang="sv": open_module("m7", lang)), store


def test_the_hook_starts_empty_locks_and_names_the_straight_line(pages):
    make, store = pages
    ex = Prediction(make(), "spread_guess")
    intro = ex.children[1].value
    assert "har 40 enheter" in intro and "Efter 6 månader använder 4 enheter" in intro
    assert ex.input.value == "" and ex.reveal_button.disabled
    ex.input.value = "30"
    ex.reveal_button.click()
    fb = ex.feedback.value
    assert "Du gissade 30 månader, och modellen säger ungefär 13" in fb and "ungefär 30 månader" in fb
    assert ex.input.disabled and ex.chart.spec["series"][0]["values"] == [30, pytest.approx(12.69, abs=0.01)]
    ex.input.value = "12"  # a stale browser: the first answer stays
    assert ex.input.value == "30"
    assert store.answers("anna")["m7.spread_guess"]["prediction"] == 30
    again = Prediction(make("en"), "spread_guess")
    assert again.revealed and "You guessed 30 months, and the model says about 13" in again.feedback.value


def test_the_simulator_is_about_the_initiative_and_shows_its_formula(pages):
    make, store = pages
    ex = DiffusionSimulator(make(), "diffusion_simulator")
    assert "Digitala signeringar i hemtjänsten &lt;b&gt;nu&lt;/b&gt;" in ex.children[1].value
    # Nothing preset: no curve until all five are rated; the formula is on the page from the start.
    assert all(r.value is None for r in ex.ratings.values()) and ex.chart.layout.display == "none"
    assert "5 kvar" in ex.hint.value and "p = 0,0064" in ex.formula_box.value
    assert "<td>0,0030</td><td>0,00</td>" in ex.formula_box.value  # trialability's weights
    for a, v in list(RATINGS.items())[:4]:
        ex.ratings[a].value = v
    assert "1 kvar" in ex.hint.value and not ex.is_done()
    ex.ratings["observability"].value = 1
    s = dm.simulate(RATINGS, 40, 36, ex.formula, 0.25)
    fb = ex.feedback.value
    assert "Hälften använder det efter ungefär 19 månader" in fb
    assert "Mest skillnad gör <strong>synlighet</strong>: ett steg bättre ger hälften 3,9 månader tidigare" in fb
    assert "p = 0,0079</strong>" in ex.formula_box.value and "q = 0,150</strong>" in ex.formula_box.value
    curve, sens = ex.chart.spec["panels"]
    assert curve["series"][0]["values"] == pytest.approx(s.cumulative) and curve["max"] == 40
    assert [ln["value"] for ln in curve["lines"]] == pytest.approx([1, 6.4, 20, 33.6])
    assert sens["series"][0]["labels"] == ["3,2", "3,1", "3,4", "2,1", "3,9"]
    assert "Hälften efter 19 månader" in ex.chart.alt_text and "synlighet 3,9" in ex.chart.alt_text
    # More people, the same months; at its best an attribute says so.
    ex.count.value = 400
    ex.ratings["complexity"].value = 1
    assert "redan bästa värdet" in ex.chart.spec["panels"][1]["series"][0]["labels"][2]
    assert ex.chart.spec["panels"][0]["max"] == 400
    saved = store.answers("anna")["m7.diffusion_simulator"]
    assert saved == {"ratings": {**RATINGS, "complexity": 1}, "n": 400}
    assert store.has_event("anna", "m7", "exercise_done", "diffusion_simulator")
    again = DiffusionSimulator(make("en"), "diffusion_simulator")
    assert again.is_done() and again.units() == 400 and "Half use it after about" in again.feedback.value


def test_a_slow_initiative_says_it_is_beyond_the_chart(pages):
    make, _store = pages
    ex = DiffusionSimulator(make(), "diffusion_simulator")
    for a in dm.ATTRIBUTES:
        ex.ratings[a].value = 5 if a == "complexity" else 1
    assert "inte inom de 36 månader" in ex.feedback.value


def test_the_worksheet_lists_the_five_attributes_and_the_initiative(pages):
    make, _store = pages
    sheet = build_sheet(make(), "m7").sheet
    assert sheet["rows"] == ["Relativ fördel", "Förenlighet", "Komplexitet", "Prövbarhet", "Synlighet"]
    assert sheet["columns"] == ["1", "2", "3", "4", "5"] and INITIATIVE in sheet["intro"]


def test_the_kotter_audit_says_where_to_start_and_what_looks_ahead_of_its_turn(pages):
    make, store = pages
    ex = KotterAudit(make(), "kotter_audit")
    assert "Digitala signeringar i hemtjänsten &lt;b&gt;nu&lt;/b&gt;" in ex.children[1].value
    assert all(r.value is None for r in ex.ratings.values()) and ex.chart.layout.display == "none"
    for stage, value in zip(STAGES, [4, 2, 4, 3, 1, 4, 0, 0], strict=True):
        ex.ratings[stage].value = value
    fb = ex.feedback.value
    assert "<strong>Börja här: en styrande grupp.</strong>" in fb
    assert "Du har bedömt en vision, visionen kommuniceras, snabba resultat som längre komna" in fb
    bars = ex.chart.spec["series"][0]
    assert bars["values"] == [4, 2, 4, 3, 1, 4, 0, 0] and bars["notes"][1] == "börja här"
    assert bars["hatched"] == [False, False, True, True, False, True, False, False]
    assert ex.chart.spec["lines"][0]["value"] == 3 and "En styrande grupp 2 av 5" in ex.chart.alt_text
    assert store.answers("anna")["m7.kotter_audit"]["ratings"]["coalition"] == 2
    assert store.has_event("anna", "m7", "exercise_done", "kotter_audit")
    again = KotterAudit(make("en"), "kotter_audit")
    assert again.is_done() and "Start here: a guiding coalition." in again.feedback.value


def test_the_leader_changes_the_formulas_weights_and_gets_their_own_answer(pages):
    make, store = pages
    ex = DiffusionSimulator(make(), "diffusion_simulator")
    for a, v in RATINGS.items():
        ex.ratings[a].value = v
    assert "Mest skillnad gör <strong>synlighet</strong>" in ex.feedback.value
    weight = ex.weights["observability"]
    assert weight.description == "Hur mycket räknas synlighet?" and weight.value == 1
    assert [label for label, _ in weight.options] == ["Inte alls", "Hälften så mycket", "Som vi har antagit",
                                                     "Dubbelt så mycket"]
    # Visibility counts for nothing in this leader's view: the model is theirs, and so is the answer.
    weight.value = 0
    own = dm.Formula(0.0064, 0.30, {**ex.course_formula.wp, "observability": 0.0},
                     {**ex.course_formula.wq, "observability": 0.0}, 0.001, 0.02)
    s = dm.simulate(RATINGS, 40, 36, own, 0.25)
    assert s.fastest == ["relative_advantage", "compatibility", "complexity"] and s.saved["observability"] == 0
    fb = ex.feedback.value
    assert "Flera egenskaper gör ungefär lika stor skillnad (relativ fördel, förenlighet, komplexitet)" in fb
    assert f"efter ungefär {round(s.months_to_half)} månader" in fb and "synlighet" not in fb
    assert "<td>0,0000</td><td>0,00</td></tr>" in ex.formula_box.value  # observability's row, last
    assert "Du har ändrat vikterna" in ex.formula_box.value
    assert store.answers("anna")["m7.diffusion_simulator"]["weights"] == {"observability": 0}
    again = DiffusionSimulator(make("en"), "diffusion_simulator")
    assert again.weights["observability"].value == 0 and "You have changed the weights" in again.formula_box.value
    # Back to the course's weights: nothing of the change is kept.
    weight.value = 1
    assert "weights" not in store.answers("anna")["m7.diffusion_simulator"]
