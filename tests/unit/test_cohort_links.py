"""A cohort's links, extended or revoked at once, through the real command line (issue 9).

A cohort that runs past `token_max_age_days` keeps the links already in the learners'
inboxes working with `innokraft extend --cohort C --until DATE`; `innokraft revoke --cohort C`
refuses every link the cohort was given. Links are aged by signing them in the past
(itsdangerous reads the signing time from the clock it is given).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from itsdangerous import TimestampSigner

from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner
from innokraft.learner.auth import authenticate
from innokraft.store.db import Store
from tests.conftest import innokraft

ROSTER = "learner_id,name,email,lang\nanna,Anna Ek,,sv\nbert,Bert Ås,,en\n"
MAX_AGE_DAYS = 180  # course.yaml's token_max_age_days


@pytest.fixture
def cohorts(home, tmp_path):
    for cohort in ("vt-2026", "ht-2026"):
        roster = tmp_path / f"{cohort}.csv"
        roster.write_text(ROSTER.replace("anna", f"anna-{cohort}").replace("bert", f"bert-{cohort}"))
        innokraft("cohort", "import", str(roster), "--cohort", cohort)


def old_link(learner: str, cohort: str, days: int, monkeypatch) -> str:
    """A link as it was signed `days` ago."""
    settings = Settings.from_env()
    signed = int(time.time()) - days * 24 * 3600
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: signed)
        return LinkSigner(load_secret(settings), MAX_AGE_DAYS).issue(learner, cohort)


def opens(token: str) -> str:
    settings = Settings.from_env()
    store = Store.open(settings.db_url, migrate=False)
    session = authenticate(store, LinkSigner(load_secret(settings), MAX_AGE_DAYS), token)
    return session.kind if session.kind == "learner" else session.error


def test_extending_a_cohort_keeps_its_old_links_working_until_the_day(cohorts, monkeypatch):
    old = old_link("anna-vt-2026", "vt-2026", MAX_AGE_DAYS + 10, monkeypatch)
    other = old_link("anna-ht-2026", "ht-2026", MAX_AGE_DAYS + 10, monkeypatch)
    assert opens(old) == "expired"

    until = (date.today() + timedelta(days=60)).isoformat()
    done = innokraft("extend", "--cohort", "vt-2026", "--until", until, "--lang", "sv")
    assert f"fungerar till och med {until}" in done.stdout and "2 deltagare" in done.stdout
    assert opens(old) == "learner"
    assert opens(other) == "expired", "extending one cohort reached another"

    # Extended links are still revocable, and a forged one is still refused.
    innokraft("revoke", "anna-vt-2026")
    assert opens(old) == "revoked"
    assert opens(old[:-3] + ("AAA" if not old.endswith("AAA") else "BBB")) == "tampered"


def test_an_extension_that_has_run_out_opens_nothing(cohorts, monkeypatch):
    old = old_link("bert-vt-2026", "vt-2026", MAX_AGE_DAYS + 10, monkeypatch)
    settings = Settings.from_env()
    store = Store.open(settings.db_url, migrate=False)
    store.extend_cohort_links("vt-2026", datetime.now(UTC) - timedelta(hours=1))
    assert opens(old) == "expired"


@pytest.mark.parametrize(("until", "message"), [
    ("30/6 2027", "går inte att läsa"),
    ((date.today() - timedelta(days=1)).isoformat(), "har redan varit"),
])
def test_a_bad_date_is_explained_and_changes_nothing(cohorts, monkeypatch, until, message):
    old = old_link("anna-vt-2026", "vt-2026", MAX_AGE_DAYS + 10, monkeypatch)
    result = innokraft("extend", "--cohort", "vt-2026", "--until", until, "--lang", "sv", check=False)
    assert result.returncode == 2 and message in result.stderr
    assert opens(old) == "expired"


def test_an_unknown_cohort_is_named(cohorts):
    result = innokraft("extend", "--cohort", "nope", "--until", "2099-01-01", "--lang", "sv", check=False)
    assert result.returncode == 2 and "Det finns ingen grupp nope" in result.stderr
    result = innokraft("revoke", "--cohort", "nope", "--lang", "sv", check=False)
    assert result.returncode == 2 and "Det finns ingen grupp nope" in result.stderr


def test_revoking_a_cohort_refuses_all_its_links_and_no_others(cohorts, monkeypatch):
    links = {who: old_link(who, cohort, 1, monkeypatch)
             for who, cohort in (("anna-vt-2026", "vt-2026"), ("bert-vt-2026", "vt-2026"),
                                 ("anna-ht-2026", "ht-2026"))}
    assert {opens(t) for t in links.values()} == {"learner"}
    done = innokraft("revoke", "--cohort", "vt-2026", "--lang", "en")
    assert "cohort vt-2026 so far (2 learners) no longer works" in done.stdout
    assert opens(links["anna-vt-2026"]) == opens(links["bert-vt-2026"]) == "revoked"
    assert opens(links["anna-ht-2026"]) == "learner"
