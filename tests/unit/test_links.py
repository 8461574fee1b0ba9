from __future__ import annotations

import os
import stat
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from innokraft.core.ids import InvalidId, validate_id
from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner, TokenError, page_url
from innokraft.learner.auth import authenticate
from innokraft.store.db import Store


@pytest.fixture
def store(home):
    return Store.open(Settings.from_env().db_url)


@pytest.fixture
def signer():
    return LinkSigner("s3cret-for-tests", max_age_days=30)


@pytest.mark.parametrize("good", ["anna", "a1", "9lives", "k-12_b"])
def test_valid_ids(good):
    assert validate_id(good) == good


@pytest.mark.parametrize("bad", ["", "Anna", "../etc", "a+b", "a b", "-start", "x" * 64, "å"])
def test_invalid_ids_are_refused(bad):
    with pytest.raises(InvalidId):
        validate_id(bad)


def test_a_token_round_trips(signer):
    identity = signer.verify(signer.issue("anna", "hbg-2026"))
    assert (identity.learner_id, identity.cohort_id) == ("anna", "hbg-2026")


def test_a_tampered_token_is_refused(signer):
    token = signer.issue("anna", "c1")
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(TokenError) as exc:
        signer.verify(forged)
    assert exc.value.kind == "tampered"


def test_a_token_signed_with_another_secret_is_refused(signer):
    other = LinkSigner("another-secret", 30).issue("anna", "c1")
    with pytest.raises(TokenError, match="tampered"):
        signer.verify(other)


def test_an_expired_token_is_refused(monkeypatch):
    signer = LinkSigner("k", max_age_days=1)
    token = signer.issue("anna", "c1")
    later = int(time.time()) + 2 * 24 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    with pytest.raises(TokenError, match="expired"):
        signer.verify(token)


def test_missing_token_kind(signer):
    with pytest.raises(TokenError, match="missing"):
        signer.verify("")


def test_a_signed_payload_with_a_bad_id_is_refused():
    serializer = URLSafeTimedSerializer("k", salt="innokraft-personal-link")
    token = serializer.dumps({"l": "../../etc", "c": "c1"})
    with pytest.raises(TokenError, match="tampered"):
        LinkSigner("k", 1).verify(token)


def link_for(store, signer, learner_id: str) -> str:
    """What `innokraft links` hands out: a link of the learner's current generation."""
    learner = store.learner(learner_id)
    return signer.issue(learner.id, learner.cohort_id, learner.link_generation)


def test_revoked_links_are_refused_and_new_links_work(store, signer):
    store.upsert_learners("c1", [{"learner_id": "anna"}])
    old = link_for(store, signer, "anna")
    assert authenticate(store, signer, old).kind == "learner"
    store.revoke("anna")
    refused = authenticate(store, signer, old)
    assert (refused.kind, refused.error) == ("refused", "revoked")
    # Reissued at once, within the same second as the revocation: the new link works.
    new = link_for(store, signer, "anna")
    assert authenticate(store, signer, new).kind == "learner"
    assert authenticate(store, signer, old).error == "revoked"


def test_reissue_in_the_same_second_as_the_revocation_works(store, signer, monkeypatch):
    # Token timestamps are whole seconds: pin the clock so issue, revoke and reissue share one.
    now = int(time.time())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now)
    store.upsert_learners("c1", [{"learner_id": "anna"}])
    old = link_for(store, signer, "anna")
    store.revoke("anna")
    new = link_for(store, signer, "anna")
    assert signer.verify(old).issued_at == signer.verify(new).issued_at
    assert authenticate(store, signer, new).kind == "learner"
    assert authenticate(store, signer, old).error == "revoked"


def test_revoke_erase_reimport_keeps_the_old_link_dead(store, signer):
    store.upsert_learners("c1", [{"learner_id": "anna", "name": "Anna Ek", "email": "anna@x.se"}])
    revoked = link_for(store, signer, "anna")
    store.revoke("anna")
    last = link_for(store, signer, "anna")  # reissued after the revocation, before the erase
    store.delete_learner("anna")
    # A new anna next term, from a new roster: no old link may open her course.
    store.upsert_learners("c2", [{"learner_id": "anna", "name": "Anna Berg"}])
    store.upsert_learners("c1", [{"learner_id": "anna-c1"}])
    for old in (revoked, last):
        assert authenticate(store, signer, old).kind == "refused"
    assert authenticate(store, signer, signer.issue("anna", "c1", 2)).kind == "refused"
    assert authenticate(store, signer, link_for(store, signer, "anna")).kind == "learner"


def test_erase_without_revoke_also_kills_the_old_link(store, signer):
    store.upsert_learners("c1", [{"learner_id": "anna"}])
    old = link_for(store, signer, "anna")
    store.delete_learner("anna")
    store.upsert_learners("c1", [{"learner_id": "anna"}])
    assert authenticate(store, signer, old).error == "revoked"
    assert authenticate(store, signer, link_for(store, signer, "anna")).kind == "learner"


def test_the_tombstone_keeps_no_personal_data(store):
    from sqlalchemy import text

    store.upsert_learners("c1", [{"learner_id": "anna-lindqvist", "name": "Anna", "email": "a@x.se"}])
    store.revoke("anna-lindqvist")
    store.delete_learner("anna-lindqvist")
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM link_generations")).all()
        dump = repr([tuple(r) for r in rows])
    assert len(rows) == 1 and rows[0].generation == 2
    assert "anna" not in dump and "lindqvist" not in dump


def test_a_link_with_a_forged_generation_type_is_refused():
    serializer = URLSafeTimedSerializer("k", salt="innokraft-personal-link")
    for g in ("1", -1, 1.5, None, [1], True):
        token = serializer.dumps({"l": "anna", "c": "c1", "g": g})
        with pytest.raises(TokenError, match="tampered"):
            LinkSigner("k", 1).verify(token)


def test_unknown_learner_or_wrong_cohort_is_refused(store, signer):
    store.upsert_learners("c1", [{"learner_id": "anna"}])
    assert authenticate(store, signer, signer.issue("bert", "c1")).error == "unknown"
    assert authenticate(store, signer, signer.issue("anna", "c2")).error == "unknown"


def test_no_token_is_a_demo(store, signer):
    assert authenticate(store, signer, None).kind == "demo"


def test_secret_file_is_private_and_stable(home, monkeypatch):
    settings = Settings.from_env()
    first = load_secret(settings)
    assert stat.S_IMODE(os.stat(settings.secret_file).st_mode) == 0o600
    assert load_secret(settings) == first and len(first) > 40


def test_a_readable_secret_file_is_refused(home):
    settings = Settings.from_env()
    load_secret(settings)
    os.chmod(settings.secret_file, 0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        load_secret(settings)


def test_secret_from_environment(home, monkeypatch):
    monkeypatch.setenv("INNOKRAFT_SECRET", "from-env-" + "x" * 40)
    assert load_secret(Settings.from_env()) == "from-env-" + "x" * 40
    assert not Settings.from_env().secret_file.exists()


def test_a_short_secret_from_the_environment_is_refused_with_the_fix(home, monkeypatch):
    monkeypatch.setenv("INNOKRAFT_SECRET", "short")
    with pytest.raises(PermissionError, match="at least 32"):
        load_secret(Settings.from_env())


def test_two_processes_making_the_secret_at_once_read_the_same_one(home):
    import concurrent.futures

    settings = Settings.from_env()
    with concurrent.futures.ProcessPoolExecutor(4) as pool:
        secrets = set(pool.map(load_secret, [settings] * 8))
    assert len(secrets) == 1 and len(secrets.pop()) >= 32


def test_page_url():
    assert page_url("http://h:1/base", "00_start.ipynb", "T", "sv") == \
        "http://h:1/base/voila/render/00_start.ipynb?t=T&lang=sv"
    assert page_url("http://h/", "x.ipynb", None, None) == "http://h/voila/render/x.ipynb"
