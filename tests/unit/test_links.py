from __future__ import annotations

import os
import stat
import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from innokraft.links import InvalidId, LinkSigner, TokenError, load_secret, page_url, validate_id
from innokraft.session import authenticate
from innokraft.settings import Settings
from innokraft.store import Store


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


def test_revoked_links_are_refused_and_new_links_work(store, signer):
    store.upsert_learners("c1", [{"learner_id": "anna"}])
    old = signer.issue("anna", "c1")
    assert authenticate(store, signer, old).kind == "learner"
    issued = signer.verify(old).issued_at
    store.revoke("anna", at=issued + timedelta(seconds=1))
    refused = authenticate(store, signer, old)
    assert (refused.kind, refused.error) == ("refused", "revoked")
    # A link issued after the revocation is accepted again.
    store.revoke("anna", at=issued - timedelta(seconds=5))
    assert authenticate(store, signer, old).kind == "learner"


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
    monkeypatch.setenv("INNOKRAFT_SECRET", "from-env")
    assert load_secret(Settings.from_env()) == "from-env"
    assert not Settings.from_env().secret_file.exists()


def test_page_url():
    assert page_url("http://h:1/base", "00_start.ipynb", "T", "sv") == \
        "http://h:1/base/voila/render/00_start.ipynb?t=T&lang=sv"
    assert page_url("http://h/", "x.ipynb", None, None) == "http://h/voila/render/x.ipynb"
