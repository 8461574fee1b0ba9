"""Facilitator role in tokens, instrument schedule, cohort report, research export, xAPI."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from innokraft.core.settings import Settings
from innokraft.core.tokens import FacilitatorSigner, LinkSigner, TokenError
from innokraft.course.instruments import due
from innokraft.course.load import course_and_texts
from innokraft.course.texts import Texts
from innokraft.facilitator.cohort_report import active_minutes, cohort_report
from innokraft.facilitator.evaluation_figures import evaluation, records
from innokraft.facilitator.research import codebook, codebook_columns, pseudonym, research_csv
from innokraft.facilitator.xapi import statements
from innokraft.learner.auth import authenticate
from innokraft.store.db import Store
from innokraft.store.evaluations import responses, save_response
from tests.conftest import innokraft

SECRET = "s" * 48


@pytest.fixture
def course_store(home):
    settings = Settings.from_env()
    course, texts = course_and_texts(settings.config_dir)
    store = Store.open(settings.db_url)
    store.upsert_learners("hbg", [
        {"learner_id": "asa", "name": "Åsa Lindström", "email": "asa.lindstrom@uppsala.se", "lang": "sv"},
        {"learner_id": "bjorn", "name": "Björn Åberg", "email": "bjorn.aberg@helsingborg.se", "lang": "en"},
    ])
    return settings, course, texts, store


def test_roles_cannot_be_swapped(course_store):
    _settings, course, _texts, store = course_store
    learners = LinkSigner(SECRET, 180)
    facilitators = FacilitatorSigner(SECRET, 30)
    learner_token = learners.issue("asa", "hbg")
    facilitator_token = facilitators.issue("hbg")
    assert facilitators.verify(facilitator_token).cohort_id == "hbg"
    with pytest.raises(TokenError):
        facilitators.verify(learner_token)  # a learner link never opens the dashboard
    with pytest.raises(TokenError):
        learners.verify(facilitator_token)
    session = authenticate(store, learners, facilitator_token)
    assert session.kind == "refused" and session.learner is None  # never a learner's page as that learner


def test_first_answers_are_kept(course_store):
    _s, _c, _t, store = course_store
    save_response(store, "asa", "m1.delayed_quiz", {"a": 0, "b": None})
    save_response(store, "asa", "m1.delayed_quiz", {"a": 2, "b": 1})
    save_response(store, "asa", "m1.delayed_quiz", {"a": 1, "b": 0})
    assert responses(store, "asa")["m1.delayed_quiz"] == {"a": 1, "b": 0}
    with store.session() as s:
        from innokraft.store.models import EvaluationResponse
        assert s.get(EvaluationResponse, ("asa", "m1.delayed_quiz")).first_value == {"a": 0, "b": 1}


def test_instruments_fall_due_as_the_clock_moves(course_store):
    _s, course, _t, _store = course_store
    ev = course.evaluation
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert [d.instrument for d in due(course, {}, {}, start)] == ["pre.skills"]
    done = {"m1": start}
    post = {"post.skills": {}}  # the end-of-course rating falls due only when every module is done
    assert due(course, done, post, start + timedelta(weeks=ev.delayed_quiz_weeks) - timedelta(hours=1)) == []
    later = [d.instrument for d in due(course, done, post, start + timedelta(weeks=ev.delayed_quiz_weeks))]
    assert later == ["m1.delayed_quiz"]
    everything = {m.id: start for m in course.modules}
    assert due(course, everything, {}, start)[0].instrument == "post.skills"
    mid = start + timedelta(weeks=(ev.follow_up_weeks + ev.follow_up_closes_weeks) / 2)
    assert "m1.follow_up" in [d.instrument for d in due(course, done, {}, mid)]
    assert "m1.follow_up" not in [d.instrument for d in due(course, done, {"m1.follow_up": {}}, mid)]
    gone = start + timedelta(weeks=ev.follow_up_closes_weeks + 1)
    assert "m1.follow_up" not in [d.instrument for d in due(course, done, {}, gone)]


def test_active_minutes_leave_out_long_pauses():
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    moments = [t0, t0 + timedelta(minutes=5), t0 + timedelta(minutes=12), t0 + timedelta(hours=3)]
    assert active_minutes(moments) == 12


def _seed(store, course):
    m1 = course.modules[0]
    store.log_event("asa", "m1", "opened")
    for item in ("myth_or_data", "quiz"):
        store.log_event("asa", "m1", "exercise_done", item)
    store.save_answer("asa", "m1.quiz", {q.id: q.correct for q in m1.quiz})
    # widgets.quiz's form: the first choice is kept apart from later ones
    store.save_answer("bjorn", "m1.quiz", {
        "first": {q.id: {"choice": (q.correct + 1) % q.options, "correct": False} for q in m1.quiz},
        "latest": {q.id: q.correct for q in m1.quiz}, "tries": {q.id: 2 for q in m1.quiz}})
    save_response(store, "asa", "m1.pulse", {"relevance": 4, "clarity": 3, "time": 1})
    save_response(store, "bjorn", "m1.pulse", {"relevance": 2, "clarity": 3, "time": 2})
    save_response(store, "asa", "pre.skills", {"now": {"iteration": 1}})
    save_response(store, "asa", "m1.follow_up", {"changed": 0, "text": "Jag, Åsa Lindström, ändrade APT."})


def test_cohort_report_aggregates(course_store):
    _s, course, _t, store = course_store
    _seed(store, course)
    report = cohort_report(store, course, "hbg")
    m1 = course.modules[0]
    assert report.progress[("asa", "m1")] == (2, len(m1.exercises) + 1 + len(m1.reflections))
    assert report.progress[("bjorn", "m1")][0] == 0
    # Two learners: under min_group, the evaluation says how many answered and nothing more.
    figures = evaluation(records(store, course, "hbg"), course, "hbg", datetime.now(UTC))
    assert figures.module("m1").pulse["relevance"].n == 2 and not figures.module("m1").pulse["relevance"].shown
    assert figures.module("m1").quiz_items[m1.quiz[0].id].n == 2
    assert figures.rates["pre.skills"].answered == 1 and figures.rates["post.skills"].answered == 0
    # With a threshold of two, the same records give the counts.
    two = evaluation(records(store, course, "hbg"), course, "hbg", datetime.now(UTC), min_group=2)
    assert two.module("m1").pulse["relevance"].counts == (0, 0, 1, 0, 1)
    assert two.module("m1").pulse["time"].counts == (0, 1, 1)
    assert all(two.module("m1").quiz_items[q.id].value == 0.5 for q in m1.quiz)


def test_research_csv_matches_codebook_and_names_nobody(course_store):
    settings, course, texts, store = course_store
    _seed(store, course)
    for lang in course.languages:
        t = Texts(lang, texts[lang])
        for free_text in (False, True):
            text = research_csv(store, course, t, SECRET, "hbg", free_text)
            header = next(csv.reader(io.StringIO(text)))
            assert header == codebook_columns(codebook(course, t, free_text))
            assert len(header) == len(set(header))
    text = research_csv(store, course, Texts("sv", texts["sv"]), SECRET, "hbg", stable=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["pid"] for r in rows} == {pseudonym(SECRET, "asa"), pseudonym(SECRET, "bjorn")}
    # Two learners: fewer than min_group share a language or a cohort, so neither column says it.
    assert {r["lang"] for r in rows} == {""} and {r["cohort"] for r in rows} == {""}
    for secret_word in ("Åsa", "Lindström", "asa.lindstrom@uppsala.se", "Björn", "Åberg", "bjorn.aberg",
                        "@", "asa,", "bjorn,"):
        assert secret_word not in text
    asa = next(r for r in rows if r["pid"] == pseudonym(SECRET, "asa"))
    assert asa["m1_pulse_relevance"] == "5" and asa["m1_quiz_share_innovative_first_correct"] == "1"
    assert asa["pre_iteration"] == "2" and asa["m1_follow_up_changed"] == "1"
    with_text = research_csv(store, course, Texts("sv", texts["sv"]), SECRET, "hbg", free_text=True)
    assert "ändrade APT" in with_text  # only with the explicit flag


XAPI_VERBS = {"http://adlnet.gov/expapi/verbs/launched", "http://adlnet.gov/expapi/verbs/completed",
              "http://activitystrea.ms/schema/1.0/submit", "http://adlnet.gov/expapi/verbs/responded"}


def validate_statement(st: dict) -> None:
    """The xAPI 1.0.3 rules our statements must meet (the real LRS checks them again)."""
    assert set(st) <= {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
                       "authority", "version", "attachments"}
    assert uuid.UUID(st["id"]).version == 5
    actor = st["actor"]
    assert actor["objectType"] == "Agent" and set(actor) == {"objectType", "account"}
    assert set(actor["account"]) == {"homePage", "name"} and actor["account"]["homePage"].startswith("http")
    assert st["verb"]["id"] in XAPI_VERBS and st["verb"]["display"]
    assert st["object"]["objectType"] == "Activity" and st["object"]["id"].startswith("http")
    assert st["object"]["definition"]["type"].startswith("http")
    datetime.fromisoformat(st["timestamp"].replace("Z", "+00:00"))
    assert st["version"] == "1.0.3"
    for parent in st["context"]["contextActivities"]["parent"]:
        assert parent["id"].startswith("http")


def test_xapi_statements_for_every_event(course_store):
    settings, course, _t, store = course_store
    _seed(store, course)
    store.log_event("asa", "start", "opened")
    items = list(statements(store, course, SECRET, "http://127.0.0.1:8866/", "hbg"))
    events = store.events()
    answered = 4
    assert len(items) == len(events) + answered
    for st in items:
        validate_statement(st)
    text = json.dumps(items, ensure_ascii=False)
    assert "Åsa" not in text and "@uppsala" not in text and '"asa"' not in text
    assert len({st["id"] for st in items}) == len(items)


def test_cli_facilitator_link_and_link_sheet(course_store, tmp_path):
    settings, course, _t, store = course_store
    said = innokraft("facilitator-link", "--cohort", "hbg", "--lang", "en").stdout.strip().splitlines()
    assert "do not share it" in said[0]  # in the facilitator's language: the dashboard's too
    out = said[-1]
    assert "/voila/render/facilitator/dashboard.ipynb?t=" in out and out.endswith("lang=en")
    token = out.split("t=", 1)[1].split("&")[0]
    from innokraft.core.secret import load_secret
    assert FacilitatorSigner(load_secret(settings), 30).verify(token).cohort_id == "hbg"
    missing = innokraft("facilitator-link", "--cohort", "nope", check=False)
    assert missing.returncode == 2 and "Det finns ingen grupp nope" in missing.stderr
    sheet = tmp_path / "sheet.html"
    printed = innokraft("link-sheet", "--cohort", "hbg", "--out", str(sheet)).stdout
    assert "Skrev 2 sidor" in printed
    page = sheet.read_text()
    assert page.count('<section class="learner"') == 2 and page.count("<svg") == 2
    assert 'lang="sv"' in page and "Din personliga länk, Åsa Lindström" in page
    assert "Your personal link, Björn Åberg" in page
    assert oct(sheet.stat().st_mode)[-3:] == "600"


def test_cli_exports_and_cohort_revoke(course_store, tmp_path):
    settings, course, _t, store = course_store
    _seed(store, course)
    out = tmp_path / "research.csv"
    innokraft("export-research", "--cohort", "hbg", "--out", str(out))
    assert next(csv.reader(out.open())) == codebook_columns((tmp_path / "codebook.md").read_text())
    lines = innokraft("export-xapi", "--cohort", "hbg").stdout.splitlines()
    for line in lines:
        validate_statement(json.loads(line))
    grades = innokraft("export-gradebook").stdout
    assert grades.startswith("id,namn,e-post,m1 läge,m1 poäng,m1 max,m1 inlämnad (Europe/Stockholm)")
    assert grades.count("ej inlämnad") == 2 * len(course.modules)  # both learners, every module: no 0
    bad = innokraft("export-research", "--out", str(tmp_path / "no" / "x.csv"), check=False)
    assert bad.returncode == 2 and "mappen finns inte. Ingenting skrevs." in bad.stderr
    assert "\n" not in bad.stderr.strip()
    printed = innokraft("cohort", "revoke", "hbg").stdout
    assert "grupp hbg (2 deltagare) fungerar inte längre" in printed
    assert store.link_generation("asa") == 1 and store.link_generation("bjorn") == 1


def test_check_finds_instrument_texts_that_disagree_with_course_yaml(tmp_path):
    import shutil

    from innokraft.course.checks import run_checks
    from tests.conftest import REPO

    config, notebooks = tmp_path / "course_config", tmp_path / "notebooks"
    shutil.copytree(REPO / "course_config", config)
    shutil.copytree(REPO / "notebooks", notebooks)
    assert [p for p in run_checks(config, notebooks) if "evaluation" in p or "module_end" in p] == []
    text = (config / "text" / "en" / "evaluation.yaml").read_text()
    (config / "text" / "en" / "evaluation.yaml").write_text(text.replace("It went faster, ", ""))
    m1 = notebooks / "01_why_innovate.ipynb"
    m1.write_text(m1.read_text().replace('"page.module_end()"', '"page.sources()"'))
    problems = run_checks(config, notebooks)
    assert any("pulse.time.options must list 3" in p for p in problems)
    assert any("01_why_innovate.ipynb: the last cell must call page.module_end()" in p for p in problems)
