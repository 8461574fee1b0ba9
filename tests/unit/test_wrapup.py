"""The course's closing page: the statements of M1, M2 and M8 asked again and compared with the
first answers, the practice cards, the page's progress on the start page, the certificate part.
Driven from Python on a real page and store, as the other exercises' tests are."""

from __future__ import annotations

import json

import pytest
from markupsafe import escape

from innokraft.core.settings import Settings
from innokraft.course.load import course_and_texts
from innokraft.course.progress import module_items
from tests.conftest import REPO
from tests.helpers.learners import Cohort
from widgets.compute.then_now import Row, compare, first_ratings, largest_change, ratings_in, weakest
from widgets.then_now import ThenNow, instruments

COURSE, TEXTS = course_and_texts(REPO / "course_config")
BAROMETER, SKILLS, CAPABILITY = instruments(REPO / "course_config")


# -- the arithmetic ------------------------------------------------------------------------------
def test_only_whole_numbers_on_the_scale_are_ratings():
    assert ratings_in({"a": 2, "b": 2.0, "c": True, "d": 9, "e": -1, "x": 1}, ["a", "b", "c", "d", "e"],
                      range(-3, 4)) == {"a": 2, "e": -1}
    assert ratings_in(["a"], ["a"], range(5)) == {} and ratings_in(None, ["a"], range(5)) == {}


def test_then_is_the_first_complete_profile_never_a_half_rated_one():
    items = ["a", "b"]
    assert first_ratings({"first": {"ratings": {"a": 1, "b": 2}}, "ratings": {"a": 5, "b": 5},
                          "moved": items}, items, range(1, 6)) == {"a": 1, "b": 2}
    # Saved complete before first profiles were kept: what was saved is the earliest known.
    assert first_ratings({"ratings": {"a": 4, "b": 3}, "moved": items}, items, range(1, 6)) == {"a": 4, "b": 3}
    # A slider at its start that the leader never moved is no answer.
    assert first_ratings({"ratings": {"a": 3, "b": 3}, "moved": ["a"]}, items, range(1, 6)) == {}
    assert first_ratings("junk", items, range(1, 6)) == {}


def test_largest_change_either_way_and_ties_to_the_first_on_the_page():
    rows = compare(["a", "b", "c", "d"], {"a": 1, "b": 3, "c": 2}, {"a": 3, "b": 1, "c": 2, "d": 5})
    assert [r.change for r in rows] == [2, -2, 0, None]
    assert largest_change(rows) == Row("a", 1, 3)
    assert largest_change([Row("c", 2, 2), Row("d", None, 5)]) is None


def test_the_weakest_skills_are_the_lowest_now_and_a_tie_goes_to_the_lower_before():
    now = {"x": 2.0, "y": 2.0, "z": 1.5, "w": 4.0}
    assert weakest(now, {"x": 3.0, "y": 2.5}) == ["z", "y"]
    assert weakest(now, {}) == ["z", "x"]  # nothing before: page order


# -- on a real page --------------------------------------------------------------------------------
@pytest.fixture
def leader(module_pages):
    """Anna's pages (`open(page, lang)`) on a real store, and the store."""
    return module_pages()


def rate_all(ex: ThenNow, values: dict[str, int]) -> None:
    for ins in ex.instruments:
        for radio in ex.radios[ins.id].values():
            radio.value = values[ins.id]


def test_nothing_earlier_is_shown_until_a_part_is_rated_again_then_then_beside_now(leader):
    open_page, store = leader
    store.save_answer("anna", "m1.unit_barometer", {f: -2 for f in BAROMETER.items})
    store.save_answer("anna", "m2.skills_profile", {
        "ratings": {i: 5 for i in SKILLS.items}, "moved": SKILLS.items,
        "first": {"ratings": {i: (1 if SKILLS.groups[i] == "storytelling" else 2) for i in SKILLS.items}}})
    # M8's first complete ratings, 3 throughout, are "then" (changed to 5 since).
    store.save_answer("anna", "m8.capability_profile", {"ratings": {i: 5 for i in CAPABILITY.items},
                                                        "first": {i: 3 for i in CAPABILITY.items}})
    page = open_page("wrapup", "sv")
    ex = ThenNow(page, "then_now")
    assert all(r.value is None for radios in ex.radios.values() for r in radios.values())  # nothing preset
    assert ex.feedback.value == "" and ex.table.value == "" and ex.chart.layout.display == "none"

    for radio in ex.radios["barometer"].values():
        radio.value = 1
    # The barometer is rated again: its panel, its rows and the largest change; the others wait.
    assert "från −2 till +1" in ex.feedback.value
    assert ex.chart.layout.display == "" and [p["title"] for p in ex.chart.spec["panels"]] == [
        TEXTS["sv"]["wrapup.then_now.barometer.chart_title"]]
    assert escape(TEXTS["sv"]["m1.unit_barometer.factors.time"]) in ex.table.value
    assert escape(TEXTS["sv"]["m2.skills_profile.items.small_steps"]) not in ex.table.value
    assert "Det är 12 kvar" in ex.hints["skills"].value and "Det är 8 kvar" in ex.hints["capability"].value
    assert ex.hints["barometer"].value == ""
    assert not ex.is_done() and ex.cards.value == ""

    for radio in ex.radios["skills"].values():
        radio.value = 4
    for radio in ex.radios["capability"].values():
        radio.value = 3
    assert ex.is_done() and len(ex.chart.spec["panels"]) == 3
    # Skills: the first profile in M2 (storytelling 1, the rest 2), not the later 5s.
    skills = ex.chart.spec["panels"][1]
    assert skills["series"][0]["values"] == [2.0, 2.0, 2.0, 2.0, 1.0, 2.0]
    assert skills["series"][1]["values"] == [4.0] * 6
    assert "Berätta, från 1,0 till 4,0" in ex.feedback.value
    # Capacity: unchanged since M8.
    assert "samma resultat som i modul 8" in ex.feedback.value
    # Every rating equal now: the two weakest are the two lowest in M2, storytelling first.
    assert "Berätta" in ex.cards.value and escape(TEXTS["sv"]["wrapup.cards.items.storytelling"].split(".")[0]) \
        in ex.cards.value
    time = TEXTS["sv"]["m1.unit_barometer.factors.time"]
    assert ex.chart.alt_text.startswith("Diagram: Då och nu. ") and f"{time}: då −2, nu +1" in ex.chart.alt_text
    assert "Berätta: då 1,0, nu 4,0" in ex.chart.alt_text

    page.autosaver.flush()
    saved = store.answers("anna")["wrapup.then_now"]
    assert saved["barometer"] == {f: 1 for f in BAROMETER.items} and saved["skills"] == {i: 4 for i in SKILLS.items}
    assert store.has_event("anna", "wrapup", "exercise_done", "then_now")
    # The page again: the ratings as left, the comparison drawn at once.
    again = ThenNow(open_page("wrapup", "en"), "then_now")
    assert again.state() == saved and again.is_done() and len(again.chart.spec["panels"]) == 3
    assert "from −2 to +1" in again.feedback.value


def test_a_module_never_rated_shows_today_only_and_junk_is_no_rating(leader):
    open_page, store = leader
    store.save_answer("anna", "m1.unit_barometer", {"time": True, "money": "<b>x</b>"})
    store.save_answer("anna", "wrapup.then_now", {"barometer": {"time": 7, "money": 2.0, "rules": 1}, "skills": "x"})
    ex = ThenNow(open_page("wrapup", "sv"), "then_now")
    assert ex.state() == {"barometer": {"rules": 1}, "skills": {}, "capability": {}}
    for radio in ex.radios["barometer"].values():
        radio.value = 0
    assert "svarade inte på alla påståenden i modul 1" in ex.feedback.value
    then = ex.chart.spec["panels"][0]["series"][0]
    assert then["values"] == [None] * len(BAROMETER.items) and set(then["labels"]) == {"–"}


def test_the_start_page_lists_the_wrap_up_with_its_parts_and_leads_there_once_the_modules_are_done(leader):
    open_page, store = leader
    cohort = Cohort(Settings.from_env())
    start = json.dumps(open_page("start", "sv").progress(), default=vars)
    assert '"module_id": "wrapup"' in start and '"total": 2' in start
    for module in COURSE.modules:
        for item in module_items(module):
            cohort.call("anna", "done", page=module.id, item=item)
    cohort.call("anna", "done", page="wrapup", item="then_now")
    progress = {p.module_id: p for p in open_page("start", "sv").progress()}
    assert progress["wrapup"].done == 1 and progress["wrapup"].state == "in_progress"
    with pytest.raises(Exception, match="item"):
        cohort.call("anna", "done", page="wrapup", item="anything")
