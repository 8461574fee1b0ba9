"""Rosters as Swedish offices make them (the facilitator trial's files), through the real
command line: each gives the right learners or the right message, and a bad file changes nothing."""

from __future__ import annotations

import json

import pytest

from innokraft.core.settings import Settings
from innokraft.course.model import load_course
from innokraft.facilitator.roster import read_roster, suggest_id
from tests.conftest import innokraft

HEADER = "learner_id;name;email;lang\r\n"
ROWS = ("asa-lindstrom;Åsa Lindström;asa.lindstrom@uppsala.se;sv\r\n"
        "bjorn-aberg;Björn Åberg;bjorn.aberg@uppsala.se;SV\r\n"
        "sara-oz;Sara Öz;sara.oz@uppsala.se;En\r\n")


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("INNOKRAFT_LANG", "en")


def imported(cohort: str = "hbg") -> dict:
    rows = json.loads(innokraft("status", "--cohort", cohort, "--json", check=False).stdout or "[]")
    return {r["learner"]: (r["name"], r["email"]) for r in rows}


def run(tmp_path, data: bytes, *extra: str, cohort: str = "hbg"):
    path = tmp_path / "learners.csv"
    path.write_bytes(data)
    return innokraft("cohort", "import", str(path), "--cohort", cohort, *extra, check=False)


@pytest.mark.parametrize("encoding,bom", [("cp1252", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-8", b"")])
def test_semicolon_excel_files_in_each_encoding(tmp_path, encoding, bom):
    path = tmp_path / "learners.csv"
    path.write_bytes(bom + (HEADER + ROWS + ";;;\r\n,,,\r\n\r\n").encode(encoding))
    roster = read_roster(path, load_course(Settings.from_env().config_dir))
    assert roster.encoding == ("Windows-1252" if encoding == "cp1252" else "UTF-8") and roster.delimiter == ";"
    assert [(r["learner_id"], r["name"], r["lang"]) for r in roster.rows] == [
        ("asa-lindstrom", "Åsa Lindström", "sv"), ("bjorn-aberg", "Björn Åberg", "sv"), ("sara-oz", "Sara Öz", "en")]


def test_the_trial_roster_imports_through_the_command_line(home, tmp_path):
    result = run(tmp_path, (HEADER + ROWS + ",,,\r\n").encode("cp1252"))
    assert result.returncode == 0, result.stderr
    assert "Windows-1252" in result.stdout and "3 learner(s) added" in result.stdout
    learners = imported()
    assert learners["asa-lindstrom"] == ("Åsa Lindström", "asa.lindstrom@uppsala.se")
    assert learners["sara-oz"][0] == "Sara Öz"


def test_ids_are_made_from_names_and_swedish_headers_are_understood(home, tmp_path):
    data = "id;namn;e-post;språk\r\n;Åsa Lindström;asa@uppsala.se;SV\r\n;Björn Åberg;;\r\n;Øystein Læstad;;en\r\n"
    result = run(tmp_path, data.encode("cp1252"))
    assert result.returncode == 0, result.stderr
    assert "id asa-lindstrom made from Åsa Lindström" in result.stdout
    assert set(imported()) == {"asa-lindstrom", "bjorn-aberg", "oystein-laestad"}


def test_every_problem_is_named_with_its_line_and_nothing_is_imported(home, tmp_path):
    data = (HEADER
            + "Åsa.Lindström;Åsa Lindström;asa@uppsala.se;sv\r\n"
            + "mats;Mats Nilsson;mats.nilsson(at)uppsala.se;sv\r\n"
            + "karin;Karin Ek;asa@uppsala.se;\r\n"
            + "bjorn;Björn;;fi\r\n"
            + "karin;Karin Berg;;sv\r\n"
            + "sara;Sara;sara@uppsala.se;sv\r\n")
    result = run(tmp_path, data.encode("utf-8"))
    assert result.returncode == 2
    err = result.stderr
    assert "line 2: The id Åsa.Lindström cannot be used" in err and "Suggestion: asa-lindstrom" in err
    assert "line 3: The e-mail address mats.nilsson(at)uppsala.se is not valid" in err
    assert "line 4: The e-mail address asa@uppsala.se is already on line 2" in err
    assert "line 5: The language fi is not in the course" in err
    assert "line 6: The id karin is already on line 4" in err
    assert "5 problem(s). Nothing was imported." in err
    assert imported() == {}


def test_a_wrong_header_says_which_headers_work(home, tmp_path):
    result = run(tmp_path, "förnamn;efternamn\r\nÅsa;Lindström\r\n".encode("cp1252"))
    assert result.returncode == 2
    assert "learner_id,name,email,lang" in result.stderr and "förnamn;efternamn" in result.stderr


def test_dry_run_shows_the_changes_and_saves_nothing(home, tmp_path):
    assert run(tmp_path, (HEADER + ROWS).encode()).returncode == 0
    changed = HEADER + ROWS.replace("Björn Åberg", "Björn Åberg-Ek") + "karin;Karin Ek;karin@uppsala.se;sv\r\n"
    result = run(tmp_path, changed.encode(), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "+ karin  Karin Ek  karin@uppsala.se  sv" in result.stdout
    assert "~ bjorn-aberg: name: Björn Åberg → Björn Åberg-Ek" in result.stdout
    assert "1 to add, 1 to change, 2 unchanged" in result.stdout and "nothing was saved" in result.stdout
    assert "karin" not in imported() and imported()["bjorn-aberg"][0] == "Björn Åberg"
    # A learner of another cohort is named, and nothing of the file is imported.
    moved = run(tmp_path, (HEADER + "asa-lindstrom;Åsa;;sv\r\nnew;New;;sv\r\n").encode(), cohort="upp")
    assert moved.returncode == 2 and "asa-lindstrom already belongs to the cohort hbg" in moved.stderr
    assert imported("upp") == {}


def test_messages_in_swedish(home, tmp_path, monkeypatch):
    monkeypatch.delenv("INNOKRAFT_LANG")
    result = run(tmp_path, (HEADER + "x;X;x@y;sv\r\n").encode())
    assert "rad 2: E-postadressen x@y är inte giltig" in result.stderr
    assert "Ingenting importerades." in result.stderr
    ok = run(tmp_path, (HEADER + ROWS).encode(), "--lang", "sv", "--dry-run")
    assert "Grupp hbg: 3 läggs till" in ok.stdout and "Provkörning" in ok.stdout


@pytest.mark.parametrize("text,expected", [("Åsa Lindström", "asa-lindstrom"), ("Åsa.Lindström", "asa-lindstrom"),
                                           ("Sara Öz", "sara-oz"), ("  Jean-Luc  Ørsted ", "jean-luc-orsted")])
def test_suggested_ids(text, expected):
    assert suggest_id(text) == expected
