"""The store as a page's kernel reaches it: one upsert per answer, checked against the link."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from innokraft.cli.context import DEMO_COHORT
from innokraft.core.settings import Settings
from innokraft.learner.service import LearnerService, ServiceError


@pytest.fixture
def service(home):
    svc = LearnerService.open(Settings.from_env())
    svc.store.upsert_learners(DEMO_COHORT, [{"learner_id": "anna", "name": "Anna"}])
    return svc, svc.signer.issue("anna", DEMO_COHORT)


def test_concurrent_saves_of_one_answer_lose_no_version(service):
    """Eight writers at once on one key (SQLite, WAL): every save counts, none fails."""
    svc, token = service

    def save(i):
        return svc.call("save", token, {"key": "m1.reflection.latest_change", "value": {"text": f"v{i}"}})

    with ThreadPoolExecutor(8) as pool:
        versions = sorted(r["version"] for r in pool.map(save, range(40)))
    assert versions == list(range(1, 41))
    text = svc.store.answers("anna")["m1.reflection.latest_change"]["text"]
    assert text.startswith("v")


def test_a_save_over_another_devices_save_says_so(service):
    svc, token = service
    first = svc.call("save", token, {"key": "m1.quiz", "value": {"a": 1}})
    assert first == {"version": 1, "replaced": False}
    # This page last saw version 1; another device saved version 2 meanwhile.
    svc.call("save", token, {"key": "m1.quiz", "value": {"a": 2}, "base": 1})
    mine = svc.call("save", token, {"key": "m1.quiz", "value": {"a": 3}, "base": 1})
    assert mine == {"version": 3, "replaced": True}


def test_a_text_replaced_from_another_device_comes_back_to_be_offered(service):
    svc, token = service
    key = "m1.reflection.latest_change"
    svc.call("save", token, {"key": key, "value": {"text": "Från datorn"}})
    svc.call("save", token, {"key": key, "value": {"text": "Datorns nyare text"}, "base": 1})
    phone = svc.call("save", token, {"key": key, "value": {"text": "Från mobilen"}, "base": 1})
    assert phone == {"version": 3, "replaced": True, "other": "Datorns nyare text"}
    assert svc.store.answers("anna")[key] == {"text": "Från mobilen"}


@pytest.mark.parametrize("args,kind", [
    ({"key": "../etc/passwd", "value": 1}, "bad_request"),
    ({"key": "m1", "value": 1}, "bad_request"),
    ({"key": "m1.x\x00", "value": 1}, "bad_request"),
    ({"key": "m1.reflection.latest_change", "value": {"text": "x" * 300_000}}, "too_large"),
    ({"key": "m1.x", "value": 1, "learner_id": "bert"}, "bad_request"),
])
def test_bad_saves_are_refused_and_change_nothing(service, args, kind):
    svc, token = service
    with pytest.raises(ServiceError) as err:
        svc.call("save", token, args)
    assert err.value.kind == kind
    assert svc.store.answers("anna") == {}


@pytest.mark.parametrize("token", [None, "not-a-token", "x" * 100_000])
def test_a_page_without_a_valid_link_can_write_nothing(service, token):
    svc, _ = service
    with pytest.raises(ServiceError) as err:
        svc.call("save", token, {"key": "m1.quiz", "value": 1})
    assert err.value.kind == "refused"
    assert svc.call("open", token, {"page": "m1"})["kind"] in ("demo", "refused")
    assert svc.store.answers("anna") == {} and svc.store.events() == []


def test_open_records_the_visit_and_hands_back_the_pages_answers(service):
    svc, token = service
    svc.call("save", token, {"key": "m1.quiz", "value": {"a": 1}})
    svc.call("save", token, {"key": "start.x", "value": 2})
    opened = svc.call("open", token, {"page": "m1", "lang": "en"})
    assert opened["kind"] == "learner" and opened["learner"]["id"] == "anna"
    assert opened["answers"] == {"m1.quiz": {"a": 1}}
    assert opened["submission"] is None and [p["module_id"] for p in opened["progress"]]
    assert svc.store.learner("anna").lang == "en"
    assert [e[2] for e in svc.store.events("anna")] == ["opened"]


def test_open_counts_each_part_once_however_often_the_pages_were_opened(service):
    """Progress is read from the distinct marks (store.marks), not from every visit's event."""
    svc, token = service
    for _ in range(5):
        svc.call("open", token, {"page": "m2"})
    svc.call("done", token, {"page": "m1", "item": "myth_or_data"})
    svc.call("done", token, {"page": "m1", "item": "quiz"})
    assert svc.store.log_event_once("anna", "m1", "exercise_done", "quiz") is False  # a second device's copy
    svc.store.log_event("anna", "m1", "submitted", "quiz")  # not a part done
    opened = svc.call("open", token, {"page": "m1"})
    assert opened["done"] == ["myth_or_data", "quiz"]
    progress = {p["module_id"]: p for p in opened["progress"]}
    assert (progress["m1"]["done"], progress["m1"]["state"]) == (2, "in_progress")
    assert (progress["m2"]["done"], progress["m2"]["state"]) == (0, "in_progress")
    assert progress["m3"]["state"] == "not_started"
    assert svc.store.marks("anna") == {("m2", "opened", ""), ("m1", "opened", ""),
                                       ("m1", "exercise_done", "myth_or_data"), ("m1", "exercise_done", "quiz")}


def test_two_pages_recording_the_same_part_at_once_record_it_once(service):
    """A part done is written once by the database itself (a unique index), not check-then-insert."""
    from concurrent.futures import ThreadPoolExecutor

    svc, token = service
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: svc.call("done", token, {"page": "m1", "item": "quiz"})["recorded"],
                                range(16)))
    assert results.count(True) == 1
    done = [e for e in svc.store.events("anna") if e[2] == "exercise_done"]
    assert len(done) == 1


def test_done_completes_the_module_once(service):
    svc, token = service
    assert svc.call("done", token, {"page": "m1", "item": "myth_or_data"}) == {"recorded": True,
                                                                                "completed": False}
    assert svc.call("done", token, {"page": "m1", "item": "myth_or_data"})["recorded"] is False


def test_a_closing_pages_last_write_never_overwrites_newer_text(service):
    svc, token = service
    key = "m1.reflection.latest_change"
    svc.call("save", token, {"key": key, "value": {"text": "ab"}})  # version 1, the kernel's base
    svc.call("save", token, {"key": key, "value": {"text": "abc"}})  # the page's beacon: newer
    late = svc.call("save", token, {"key": key, "value": {"text": "ab"}, "base": 1, "only_if_unchanged": True})
    assert late == {"version": None, "replaced": True}
    assert svc.store.answers("anna")[key] == {"text": "abc"}
    fresh = svc.call("save", token, {"key": "m1.reflection.weekly_routines", "value": {"text": "x"},
                                     "only_if_unchanged": True})
    assert fresh["version"] == 1


def test_answers_to_an_instrument_at_once_keep_one_row_and_its_first_answer(service):
    from concurrent.futures import ThreadPoolExecutor

    from innokraft.store.models import EvaluationResponse

    svc, token = service
    values = [{"relevance": n % 5, "clarity": 2, "time": 1} for n in range(12)]
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda v: svc.call("save", token, {"key": "eval.m1.pulse", "value": v}), values))
    with svc.store.session() as s:
        rows = s.query(EvaluationResponse).filter_by(learner_id="anna", instrument="m1.pulse").all()
    assert len(rows) == 1 and rows[0].first_value in values and rows[0].value in values
