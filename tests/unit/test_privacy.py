"""Personal data on disk: a complete export, files with links or personal data readable by
their owner only, and an erase that leaves none of the learner's words in any file."""

from __future__ import annotations

import json
import stat
from types import SimpleNamespace

import pytest
from nbgrader.api import Gradebook

from innokraft.cli import main
from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner
from innokraft.store.db import Store
from tests.helpers import nbgrader_course
from widgets import Reflections
from widgets.pages import open_page

NAME, EMAIL = "Björn Åberg", "bjorn.aberg@uppsala.se"
REFLECTION = "Vi provade flexibla raster för kvällspasset i hemtjänsten"
COMMENT = "Mycket bra tankar om kvällspasset"
A = "m1"


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("INNOKRAFT_LANG", "en")


@pytest.fixture
def innokraft(capsys):
    """The real command line, run in this process (one import of nbgrader for all calls)."""

    def run(*args: str, check: bool = True) -> SimpleNamespace:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        if check:
            assert code == 0, out + err
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)

    return run


def forms(text: str) -> list[bytes]:
    """The ways a text can sit in a file: UTF-8, and JSON's \\u escapes."""
    return [text.encode(), json.dumps(text).strip('"').encode()]


def test_export_is_complete_files_are_private_and_erase_leaves_nothing(home, tmp_path, innokraft):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"learner_id,name,email,lang\nbjorn,{NAME},{EMAIL},sv\nanna,Anna Ek,anna@x.se,sv\n")
    innokraft("cohort", "import", str(roster), "--cohort", "hbg")
    settings = Settings.from_env()
    store = Store.open(settings.db_url)  # held open through the erase, as a running server would
    signer = LinkSigner(load_secret(settings), 30)
    for who, text in (("bjorn", REFLECTION), ("anna", "Annas eget svar")):
        page = open_page("m1", lang="sv", token=signer.issue(who, "hbg"))
        nbgrader_course.prepared(page.settings)
        widget = Reflections(page)
        widget.prompts[0].box.value = text
        widget.prompts[1].box.value = text + " igen"
        widget.submit()
    innokraft("collect", "m1")
    with Gradebook(f"sqlite:///{settings.nbgrader_course_root / 'gradebook.db'}", "innokraft") as gb:
        for who in ("bjorn", "anna"):
            for cell, score in (("latest_change", 4), ("weekly_routines", 3)):
                grade = gb.find_grade(cell, A, A, who)
                grade.manual_score, grade.needs_manual_grade = score, False
                gb.find_comment(cell, A, A, who).manual_comment = COMMENT
        gb.db.commit()
    innokraft("feedback", "m1")
    innokraft("revoke", "bjorn")

    links = tmp_path / "links.csv"
    innokraft("links", "--cohort", "hbg", "--base-url", "https://kurs.example.se/", "--out", str(links),
              "--semicolon")
    assert stat.S_IMODE(links.stat().st_mode) == 0o600
    assert links.read_bytes().startswith(b"\xef\xbb\xbflearner_id;name;email;lang;url\r\n")
    exported = tmp_path / "bjorn.json"
    exported.write_text("old, world-readable")
    exported.chmod(0o644)
    innokraft("export", "bjorn", "--out", str(exported))
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    data = json.loads(exported.read_text())
    assert data["learner"]["email"] == EMAIL
    assert data["answers"]["m1.reflection.latest_change"]["text"] == REFLECTION
    assert "flexibla raster" in data["submissions"][0]["answers"]["latest_change"]
    assert data["grades"]["m1"]["score"] == 7 and data["grades"]["m1"]["comments"]["latest_change"] == COMMENT
    assert data["feedback"][0]["score"] == 7 and data["feedback"][0]["comments"]["weekly_routines"] == COMMENT
    assert data["revocations"] and any(e["kind"] == "submitted" for e in data["events"])

    result = innokraft("erase", "bjorn", "--yes")
    assert "Delete your own copies too" in result.stdout
    assert store.learner("anna") is not None  # the others stay
    found = []
    for path in settings.home.rglob("*"):
        if path.is_file():
            body = path.read_bytes()
            found += [f"{path}: {needle!r}" for text in (NAME, EMAIL, "flexibla raster", REFLECTION[:20])
                      for needle in forms(text) if needle in body]
    assert found == []
    # The other learner's data is still whole and readable.
    assert "Annas eget svar" in json.dumps(json.loads(innokraft("export", "anna").stdout), ensure_ascii=False)
