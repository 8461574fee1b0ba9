from __future__ import annotations

from innokraft.store.db import Store, head_revision


def test_migrations_reach_head_and_are_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = Store.open(url)
    assert store.revision() == head_revision()
    Store.open(url)  # a second open finds the schema in place
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_answers_round_trip_with_versions(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.upsert_learners("c1", [{"learner_id": "anna", "name": "Anna", "lang": "sv"}])
    assert store.save_answer("anna", "m1.quiz", {"q1": 0}) == 1
    assert store.save_answer("anna", "m1.quiz", {"q1": 2}) == 2
    store.save_answer("anna", "m2.quiz", {"q1": 1})
    assert store.answers("anna", "m1.") == {"m1.quiz": {"q1": 2}}
    reopened = Store.open(store.engine.url.render_as_string(hide_password=False))
    assert reopened.answers("anna")["m1.quiz"] == {"q1": 2}


def test_unicode_and_markup_are_stored_verbatim(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.upsert_learners("c1", [{"learner_id": "anna"}])
    text = "Förskolan <script>alert(1)</script> — ✓"
    store.save_answer("anna", "m1.reflection.x", {"text": text})
    assert store.answers("anna")["m1.reflection.x"]["text"] == text


def test_upsert_updates_and_refuses_moving_cohorts(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert store.upsert_learners("c1", [{"learner_id": "anna", "name": "A"}]) == (1, 0)
    assert store.upsert_learners("c1", [{"learner_id": "anna", "name": "Anna"}]) == (0, 1)
    assert store.learner("anna").name == "Anna"
    try:
        store.upsert_learners("c2", [{"learner_id": "anna"}])
    except ValueError as exc:
        assert "already belongs to cohort 'c1'" in str(exc)
    else:
        raise AssertionError("moved a learner between cohorts")


def test_events_and_language(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.upsert_learners("c1", [{"learner_id": "anna"}])
    store.log_event("anna", "m1", "opened")
    assert store.has_event("anna", "m1", "opened")
    assert not store.has_event("anna", "m1", "module_completed")
    store.set_language("anna", "en")
    assert store.learner("anna").lang == "en"


def test_delete_learner_removes_everything(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.upsert_learners("c1", [{"learner_id": "anna"}, {"learner_id": "bert"}])
    store.save_answer("anna", "m1.quiz", {})
    store.log_event("anna", "m1", "opened")
    store.revoke("anna")
    store.delete_learner("anna")
    assert store.learner("anna") is None and store.answers("anna") == {} and store.events("anna") == []
    assert store.learner("bert") is not None
