"""The store on PostgreSQL (INNOKRAFT_DB_URL), the choice for deployments on many machines.

Uses INNOKRAFT_TEST_POSTGRES_URL when set; otherwise starts a throwaway cluster from the
machine's PostgreSQL (.ci/run installs it). Outside CI, a machine without PostgreSQL skips.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from innokraft.store.certificates import CertificateRow, add_certificate, certificates_of, revoke_certificates
from innokraft.store.db import Store, head_revision


def test_migrations_and_round_trips_on_postgresql(postgres_url):
    store = Store.open(postgres_url)
    assert store.revision() == head_revision()
    store.upsert_learners("c1", [{"learner_id": "anna", "name": "Anna Ek", "lang": "sv"}])
    store.save_answer("anna", "m1.reflection.x", {"text": "Förskolan <b>testar</b> ✓"})
    assert store.save_answer("anna", "m1.reflection.x", {"text": "ny"}) == 2
    store.log_event("anna", "m1", "opened")
    store.revoke("anna")
    row = store.add_submission("anna", "m1", "anna+a+ts+r", "ts", "secret", "sv")
    again = Store.open(postgres_url)
    assert again.answers("anna") == {"m1.reflection.x": {"text": "ny"}}
    assert again.latest_submission("anna", "m1") == row
    assert again.link_generation("anna") == 1 and again.learner("anna").link_generation == 1
    assert again.has_event("anna", "m1", "opened")
    again.delete_learner("anna")
    # Erase removes everything personal; only the link generation stays, raised.
    assert again.link_generation("anna") == 2
    assert not again.has_event("anna", "m1", "opened")
    assert again.answers("anna") == {} and again.learner("anna") is None
    assert again.latest_submission("anna", "m1") is None


def test_an_erased_text_is_no_longer_in_the_table_files(postgres_url):
    store = Store.open(postgres_url)
    store.upsert_learners("c1", [{"learner_id": "bert", "name": "Bert Ek", "lang": "sv"}])
    secret = "Bert-tells-a-secret-7f3a"  # ASCII: JSON stores it as written
    store.save_answer("bert", "m1.reflection.x", {"text": secret})
    with store.engine.connect() as conn:
        path = conn.exec_driver_sql("SELECT current_setting('data_directory') || '/' || "
                                    "pg_relation_filepath('answers')").scalar()
        conn.exec_driver_sql("CHECKPOINT")
    assert secret.encode() in open(path, "rb").read()
    store.delete_learner("bert")
    with store.engine.connect() as conn:
        path = conn.exec_driver_sql("SELECT current_setting('data_directory') || '/' || "
                                    "pg_relation_filepath('answers')").scalar()
        conn.exec_driver_sql("CHECKPOINT")
    assert secret.encode() not in open(path, "rb").read()


def test_certificates_on_postgresql(postgres_url):
    store = Store.open(postgres_url)
    store.upsert_learners("c1", [{"learner_id": "cert", "name": "Cert Ek"}])
    row = CertificateRow(code="0" * 24, learner_id="cert", edition=0, name="Cert Ek",
                         modules=[("m1", date(2026, 5, 4))], minutes=40, task_minutes=60,
                         issuer={"sv": "Kommunen", "en": "The municipality"}, issued_on=date(2026, 6, 10))
    stored = add_certificate(store, row)
    assert (stored.modules, stored.issued_on, stored.issuer, stored.valid) == (row.modules, row.issued_on,
                                                                               row.issuer, True)
    # Two downloads at once make the same code: the first one stays as it was.
    assert add_certificate(store, replace(row, name="Someone else")) == stored
    assert revoke_certificates(store, "cert") == [row.code] and not certificates_of(store, "cert")[0].valid
    store.delete_learner("cert")
    assert certificates_of(store, "cert") == []
