"""The facilitator's command line, run as a real process on a temporary INNOKRAFT_HOME."""

from __future__ import annotations

import csv
import io
import json
import socket

import pytest

from innokraft.core import running
from innokraft.core.tokens import LinkSigner
from tests.conftest import innokraft


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("INNOKRAFT_LANG", "en")


ROSTER = "learner_id,name,email,lang\nanna,Anna Ek,anna@example.se,sv\nbert,Bert Ås,bert@example.se,en\n"


def test_import_links_revoke_status_info(home, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    out = innokraft("cohort", "import", str(roster), "--cohort", "hbg-2026")
    assert "2 learner(s) added" in out.stdout

    links = innokraft("links", "--cohort", "hbg-2026", "--base-url", "https://kurs.example.se/").stdout
    rows = list(csv.DictReader(io.StringIO(links)))
    assert [r["learner_id"] for r in rows] == ["anna", "bert"]
    assert rows[0]["url"].startswith("https://kurs.example.se/voila/render/00_start.ipynb?t=")
    assert rows[1]["url"].endswith("&lang=en")

    target = tmp_path / "links.csv"
    nowhere = innokraft("links", "--cohort", "hbg-2026", "--out", str(target), check=False)
    assert nowhere.returncode == 2 and "--base-url" in nowhere.stderr and not target.exists()
    with socket.socket() as server:  # a course server that runs: it noted itself, its port answers
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        running.note(home, running.COURSE, f"http://127.0.0.1:{port}/", "127.0.0.1", port)
        wrote = innokraft("links", "--cohort", "hbg-2026", "--out", str(target))
    assert "Wrote links for 2 learner(s)" in wrote.stdout and f"running course server: http://127.0.0.1:{port}/" \
        in wrote.stderr
    assert "works on this computer only" in wrote.stderr  # 127.0.0.1 reaches no learner
    assert target.read_text(encoding="utf-8-sig").startswith("learner_id,name,email,lang,url")
    assert f"http://127.0.0.1:{port}/voila/render/" in target.read_text(encoding="utf-8-sig")
    # The server has stopped (its port no longer answers): the links ask where to point, naming it.
    stale = innokraft("links", "--cohort", "hbg-2026", "--out", str(target), check=False)
    assert stale.returncode == 2 and f"ran on http://127.0.0.1:{port}/ has stopped" in stale.stderr
    public = innokraft("links", "--cohort", "hbg-2026", "--base-url", "https://kurs.example.se/").stderr
    assert "this computer only" not in public

    assert "revoked" in innokraft("revoke", "anna").stdout
    assert innokraft("revoke", "nobody", check=False).returncode == 2

    status = json.loads(innokraft("status", "--json").stdout)
    assert {r["learner"] for r in status} == {"anna", "bert"} and status[0]["m1"] == "-"
    assert "m1" in innokraft("status").stdout
    assert innokraft("status", "--cohort", "nope", check=False).returncode == 2
    swedish = innokraft("status", env={"INNOKRAFT_LANG": ""}).stdout
    assert "deltagarnas läge" in swedish and "Inget väntar på dig" in swedish

    info = json.loads(innokraft("info", "--json").stdout)
    assert info["home"] == str(home)
    assert info["db_url"] == f"sqlite:///{home / 'innokraft.db'}"
    assert info["nbgrader_course_root"].startswith(str(home))
    assert info["exchange_root"].startswith(str(home))
    assert info["url"].startswith("http")


def test_bad_roster_changes_nothing(home, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("learner_id,name,email,lang\nanna,A,,sv\nBad Id!,B,,sv\n")
    result = innokraft("cohort", "import", str(roster), "--cohort", "c1", check=False)
    assert result.returncode == 2
    assert "line 3" in result.stderr and "Bad Id!" in result.stderr
    assert json.loads(innokraft("status", "--json").stdout) == []


def test_unknown_language_and_duplicates_are_refused(home, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("learner_id,name,email,lang\nanna,A,,fi\n")
    assert "The language fi" in innokraft("cohort", "import", str(roster), "--cohort", "c1", check=False).stderr
    roster.write_text("learner_id\nanna\nanna\n")
    assert "already on line 2" in innokraft("cohort", "import", str(roster), "--cohort", "c1", check=False).stderr


def test_links_for_an_unknown_cohort(home):
    result = innokraft("links", "--cohort", "nope", check=False)
    assert result.returncode == 2 and "cohort import" in result.stderr


def test_demo_prints_a_working_link(home):
    out = innokraft("demo").stdout
    url = next(line.strip() for line in out.splitlines() if "http" in line)
    token = url.split("t=")[1].split("&")[0]
    secret = (home / "secret.key").read_text().strip()
    assert LinkSigner(secret, 30).verify(token).learner_id == "demo-learner"
    assert url.endswith("&lang=sv")


def test_check_reports_the_course(home):
    assert "course_config is in order" in innokraft("check").stdout


def test_export_and_erase_from_the_command_line(home, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    innokraft("cohort", "import", str(roster), "--cohort", "c1")
    exported = json.loads(innokraft("export", "anna").stdout)
    assert exported["learner"]["name"] == "Anna Ek" and exported["answers"] == {}
    refused = innokraft("erase", "anna", check=False)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert "removed: everything about anna in the course's database" in innokraft("erase", "anna", "--yes").stdout
    assert innokraft("export", "anna", check=False).returncode == 2
    assert [r["learner"] for r in json.loads(innokraft("status", "--json").stdout)] == ["bert"]
