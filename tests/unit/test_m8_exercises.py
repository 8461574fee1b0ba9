"""M8's exercises driven from Python on a real page and store: set what the leader sets, read what
they get back and what was saved. The page's words are held to what the model computes."""

from __future__ import annotations

import pytest

from tests.unit.conftest import INITIATIVE
from widgets.compute import mandate as md
from widgets.mandate_matrix import MandateMatrix, clean_value
from widgets.prediction import Prediction
from widgets.print_sheet import build_sheet

# design-m8.md's worked example: today (3, 3, 4, 4, 4), ought (1, 2, 2, 2, 4).
TODAY = dict(zip(md.DECISIONS, ["management", "management", "committee", "committee", "committee"], strict=True))
OUGHT = dict(zip(md.DECISIONS, ["team", "unit_manager", "unit_manager", "unit_manager", "committee"], strict=True))


@pytest.fixture
def pages(module_pages):
    open_module, store = module_pages(initiative=True)
    return (lambda lang="sv": open_module("m8", lang)), store


def test_the_hook_starts_empty_locks_and_shows_the_wait_by_week(pages):
    make, store = pages
    ex = Prediction(make(), "approval_wait")
    assert "i 4 veckor" in ex.children[1].value
    assert ex.input.value == "" and ex.reveal_button.disabled and ex.explore.layout.display == "none"
    ex.input.value = "3"
    ex.reveal_button.click()
    fb = ex.feedback.value
    assert "Du gissade 3 veckor, men det blir i genomsnitt 6,5 veckor." in fb and "I 98 procent av fallen" in fb
    assert ex.input.disabled and ex.explore.layout.display is None
    bars = ex.chart.spec["series"][0]["values"]
    assert ex.chart.spec["categories"] == [str(k) for k in range(10)] and sum(bars) == pytest.approx(100)
    assert "3 veckor: 2 %" in ex.chart.alt_text
    ex.input.value = "7"  # a stale browser: the first answer stays
    assert ex.input.value == "3"
    # Their own meeting times redraw the chart; the verdict stays with the question as asked.
    ex.sliders["committee_lead"].value = 0
    assert ex.chart.spec["categories"] == [str(k) for k in range(7)] and "6,5 veckor" in ex.feedback.value
    saved = store.answers("anna")["m8.approval_wait"]
    assert saved["prediction"] == 3 and saved["revealed"] and saved["committee_lead"] == 0
    again = Prediction(make("en"), "approval_wait")
    assert again.revealed and "You guessed 3 weeks, but the average is 6.5 weeks." in again.feedback.value


def test_the_matrix_is_about_the_initiative_and_waits_for_all_ten_choices(pages):
    make, store = pages
    ex = MandateMatrix(make(), "mandate_matrix")
    assert "Digitala signeringar i hemtjänsten &lt;b&gt;nu&lt;/b&gt;" in ex.children[1].value
    cfg = ex.grid.config
    assert [d["label"] for d in cfg["decisions"]][:2] == ["Starta ett test på 4 veckor inom ordinarie budget",
                                                          "Använda högst 20\u00a0000 kronor till testet"]
    assert [lv["id"] for lv in cfg["today_levels"]] == [*md.LEVELS, md.DONT_KNOW]
    assert [lv["id"] for lv in cfg["should_levels"]] == list(md.LEVELS)
    assert ex.grid.value == {"today": {}, "should": {}} and ex.chart.layout.display == "none"
    assert "10 val kvar" in ex.hint.value and not ex.is_done()
    ex.grid.value = {"today": TODAY, "should": {}}
    assert "5 val kvar" in ex.hint.value and ex.feedback.value == ""


def test_the_worked_example_gives_the_escalation_distance_and_its_weeks(pages):
    make, store = pages
    ex = MandateMatrix(make(), "mandate_matrix")
    ex.grid.value = {"today": TODAY, "should": OUGHT}
    fb = ex.feedback.value
    assert "<strong>Eskaleringsavståndet är 7.</strong>" in fb
    assert "Ett test kan börja efter i genomsnitt 6,5 veckor i dag och efter 0,5 veckor" in fb
    assert "avslutas efter 6,5 veckor i dag och efter 0,5 veckor" in fb
    assert ("besluten att starta ett test, att använda pengar till testet och att avsluta ett test fattas i dag"
            in fb)
    assert "kommunallagen" not in fb
    bars = ex.chart.spec["series"][0]
    assert bars["values"] == [2, 1, 2, 2, 0] and bars["labels"] == ["+2", "+1", "+2", "+2", "0"]
    assert "Starta test: i dag förvaltningsledningen, borde arbetslaget, +2" in ex.chart.alt_text
    saved = store.answers("anna")["m8.mandate_matrix"]
    assert saved == {"today": TODAY, "should": OUGHT}
    assert store.has_event("anna", "m8", "exercise_done", "mandate_matrix")
    # A later change is saved and judged anew.
    ex.grid.value = {"today": {**TODAY, "scale_up": md.DONT_KNOW}, "should": {**OUGHT, "scale_up": "management"}}
    fb = ex.feedback.value
    assert "Du vet inte vem som fattar besluten att införa lösningen i dag" in fb
    assert "kan nämnden inte delegera beslutet enligt kommunallagen" in fb
    assert ex.chart.spec["series"][0]["labels"][4] == "vet inte" and ex.chart.spec["series"][0]["values"][4] == 0
    saved = store.answers("anna")["m8.mandate_matrix"]
    assert saved["today"]["scale_up"] == md.DONT_KNOW
    again = MandateMatrix(make("en"), "mandate_matrix")
    assert again.is_done() and again.grid.value["should"]["scale_up"] == "management"
    assert "<strong>The escalation distance is 7.</strong>" in again.feedback.value


def test_a_matrix_of_nothing_known_today_asks_to_find_out(pages):
    make, _store = pages
    ex = MandateMatrix(make(), "mandate_matrix")
    ex.grid.value = {"today": dict.fromkeys(md.DECISIONS, md.DONT_KNOW), "should": OUGHT}
    fb = ex.feedback.value
    assert "<strong>Eskaleringsavståndet är 0.</strong>" in fb and "veckor" not in fb
    assert "Du vet inte vem som fattar besluten att starta ett test, att använda pengar" in fb
    assert ex.chart.spec["series"][0]["labels"] == ["vet inte"] * 5 and ex.chart.spec["max"] == 3


def test_what_the_browser_sends_is_cleaned():
    assert clean_value({"today": {"start_test": "mayor", "spend": "team", "other": "team"},
                        "should": {"spend": md.DONT_KNOW, "stop_pilot": "committee"}, "x": 1}) == {
        "today": {"spend": "team"}, "should": {"stop_pilot": "committee"}}
    assert clean_value("nonsense") == {"today": {}, "should": {}}


def test_the_worksheet_has_a_row_per_decision_and_the_initiative(pages):
    make, _store = pages
    sheet = build_sheet(make(), "m8").sheet
    assert sheet["blank_rows"] == 5 and sheet["columns"][0] == "Beslut" and INITIATIVE in sheet["intro"]
    assert len(sheet["questions"]) == 3


def test_the_capability_profile_waits_for_all_eight_and_names_the_weakest_block(pages):
    from widgets.capability_profile import CapabilityProfile

    make, store = pages
    ex = CapabilityProfile(make(), "capability_profile")
    assert all(r.value is None for r in ex.ratings.values()) and ex.chart.layout.display == "none"
    assert "8 kvar" in ex.hint.value
    for item, value in zip(md.ITEMS, [4, 3, 2, 2, 3, 4, 2, 3], strict=True):
        ex.ratings[item].value = value
    assert "<strong>Svagast är förutsättningar.</strong>" in ex.feedback.value
    assert "Mandatbrevet i reflektionen nedan" in ex.feedback.value
    bars = ex.chart.spec["series"][0]
    assert bars["values"] == [3.5, 2.0, 3.5, 2.5] and bars["labels"] == ["3,5", "2,0", "3,5", "2,5"]
    assert "Förutsättningar 2,0 av 5" in ex.chart.alt_text
    assert store.answers("anna")["m8.capability_profile"]["ratings"]["time_mandate"] == 2
    assert store.has_event("anna", "m8", "exercise_done", "capability_profile")
    again = CapabilityProfile(make("en"), "capability_profile")
    assert again.is_done() and "<strong>Weakest is prerequisites.</strong>" in again.feedback.value
    # The first complete ratings are kept beside the latest (the wrap-up compares with them).
    first = dict(zip(md.ITEMS, [4, 3, 2, 2, 3, 4, 2, 3], strict=True))
    again.ratings["why_renew"].value = 1
    again.page.autosaver.flush()
    saved = store.answers("anna")["m8.capability_profile"]
    assert saved["first"] == first and saved["ratings"]["why_renew"] == 1
    assert CapabilityProfile(make(), "capability_profile").first == first


def test_a_capability_profile_saved_before_first_ratings_were_kept_keeps_the_earliest_known(pages):
    from widgets.capability_profile import CapabilityProfile

    make, store = pages
    ratings = dict.fromkeys(md.ITEMS, 3)
    store.save_answer("anna", "m8.capability_profile", {"ratings": ratings, "first": {"why_renew": True}})
    ex = CapabilityProfile(make(), "capability_profile")
    assert ex.first == ratings and ex.state() == {"ratings": ratings, "first": ratings}


def test_the_effect_goal_says_how_far_it_has_come_and_what_the_plan_lacks(pages):
    from widgets.benefit_map import BenefitMap

    make, store = pages
    ex = BenefitMap(make(), "benefit_map")
    assert "Digitala signeringar i hemtjänsten &lt;b&gt;nu&lt;/b&gt;" in ex.children[1].value
    assert ex.kind.value is None and ex.chart.layout.display == "none" and "Skriv målet" in ex.hint.value
    ex.fields["goal"].value = "Brukarna möter färre <i>olika</i> medarbetare per vecka"
    ex.kind.value = "effect"
    assert "Skriv nuläge, målvärde och senaste värde som tal" in ex.feedback.value
    assert "Målet saknar ett mått, en ansvarig och ett datum för nästa mätning." in ex.feedback.value
    assert not ex.is_done()
    for field, value in (("baseline", "14"), ("target", "9"), ("latest", "11"), ("indicator", "Planeringen"),
                         ("owner", "Enhetschefen"), ("measure_on", "2027-03-01")):
        ex.fields[field].value = value
    fb = ex.feedback.value
    assert "färre &lt;i&gt;olika&lt;/i&gt; medarbetare per vecka:</strong> 60 procent av vägen" in fb
    assert "Målet har mått, ansvarig och datum." in fb
    assert ex.chart.spec["series"][0]["values"] == [pytest.approx(60)] and ex.chart.spec["lines"][0]["value"] == 100
    assert "Nuläge 14, mål 9, senast 11: 60 procent av vägen" in ex.chart.alt_text
    assert store.answers("anna")["m8.benefit_map"]["latest"] == "11"
    assert store.has_event("anna", "m8", "exercise_done", "benefit_map")
    ex.kind.value = "output"
    ex.fields["latest"].value = "15,5"
    fb = ex.feedback.value
    assert "är en prestation" in fb and "värdet har rört sig bort från målet" in fb
    assert ex.chart.spec["series"][0]["colors"] == ["#b34700"] and ex.chart.spec["min"] < 0
    again = BenefitMap(make("en"), "benefit_map")
    assert again.is_done() and "is an output" in again.feedback.value


def test_an_effect_goal_nearly_reached_is_not_said_to_be_reached(pages):
    from widgets.benefit_map import BenefitMap

    make, _store = pages
    ex = BenefitMap(make(), "benefit_map")
    ex.fields["goal"].value = "Fler brukare får besök i tid"
    ex.kind.value = "effect"
    for field, value in (("baseline", "0"), ("target", "1 000"), ("latest", "996 st")):
        ex.fields[field].value = value
    assert "99,6 procent av vägen" in ex.feedback.value and ex.chart.spec["series"][0]["labels"] == ["99,6 %"]
    ex.fields["latest"].value = "1000"
    assert "100 procent av vägen" in ex.feedback.value
