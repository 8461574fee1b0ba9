"""Link revocation that holds (issue 6), through the real command line.

`innokraft revoke anna`, `innokraft erase anna --yes`, then a roster with `anna` again: the
link revoked before the erase opened anna's pages again. Learner ids are reused (a new
anna next term), so an old link must never open a new person's course.
"""

from __future__ import annotations

import csv
import io

from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner
from innokraft.learner.auth import authenticate
from innokraft.store.db import Store
from tests.conftest import innokraft

ROSTER = "learner_id,name,email,lang\nanna,Anna Ek,anna@example.se,sv\nbert,Bert Ås,,en\n"


def links(cohort: str) -> dict[str, str]:
    out = innokraft("links", "--cohort", cohort, "--base-url", "http://127.0.0.1:8866/").stdout
    return {r["learner_id"]: r["url"].split("t=")[1].split("&")[0] for r in csv.DictReader(io.StringIO(out))}


def opens(token: str) -> str:
    """What a page does with the link: "learner", or the refusal's kind."""
    settings = Settings.from_env()
    store = Store.open(settings.db_url, migrate=False)
    session = authenticate(store, LinkSigner(load_secret(settings), 180), token)
    return session.kind if session.kind == "learner" else session.error


def test_revoke_then_erase_then_reimport_keeps_the_old_link_dead(home, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    innokraft("cohort", "import", str(roster), "--cohort", "vt-2026")
    first = links("vt-2026")
    assert opens(first["anna"]) == "learner"

    innokraft("revoke", "anna")
    assert opens(first["anna"]) == "revoked"
    second = links("vt-2026")  # reissued at once, likely within the same second
    assert opens(second["anna"]) == "learner", "`innokraft links` handed out a dead link"
    assert opens(first["bert"]) == "learner", "revoking anna touched bert's link"

    innokraft("erase", "anna", "--yes")
    innokraft("cohort", "import", str(roster), "--cohort", "vt-2026")  # a new anna, same id
    assert opens(first["anna"]) == "revoked"
    assert opens(second["anna"]) == "revoked", "a link from before the erase opens the new anna's pages"
    third = links("vt-2026")
    assert opens(third["anna"]) == "learner"


def test_links_right_after_revoke_work_every_time(home, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    innokraft("cohort", "import", str(roster), "--cohort", "c1")
    for _ in range(3):
        innokraft("revoke", "bert")
        assert opens(links("c1")["bert"]) == "learner"
