"""The facilitator's grading loop with real nbgrader, through the real command line:
status right at every step, every learner done even when one fails, feedback released
once per change and copied into the store, skipped learners named with the reason."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from nbgrader.api import Gradebook

from innokraft.cli import main
from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner
from innokraft.course.markdown import comment_html
from innokraft.store.db import Store
from innokraft.store.feedback import feedback_for_learner
from tests.helpers import nbgrader_course
from widgets import Reflections
from widgets.pages import open_page

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


@pytest.fixture
def course(home):
    settings = Settings.from_env()
    store = Store.open(settings.db_url)
    store.upsert_learners("hbg", [{"learner_id": i, "name": n, "email": f"{i}@example.se"}
                                  for i, n in (("anna", "Anna Ek"), ("bert", "Bert Ås"), ("carl", "Carl Öst"))])
    signer = LinkSigner(load_secret(settings), 30)

    def submit(learner: str, *answers: str):
        page = open_page("m1", lang="sv", token=signer.issue(learner, "hbg"))
        nbgrader_course.prepared(page.settings)
        widget = Reflections(page)
        for prompt, text in zip(widget.prompts, answers, strict=False):
            prompt.box.value = text
        widget.submit()
        return page

    return settings, store, submit


def grade(settings, learner: str, scores: dict) -> None:
    """What formgrader does when a facilitator types a score and a comment."""
    with Gradebook(f"sqlite:///{settings.nbgrader_course_root / 'gradebook.db'}", "innokraft") as gb:
        for cell, (score, comment) in scores.items():
            grade = gb.find_grade(cell, A, A, learner)
            grade.manual_score, grade.needs_manual_grade = score, False
            gb.find_comment(cell, A, A, learner).manual_comment = comment
        gb.db.commit()


def status(innokraft) -> dict:
    return {r["learner"]: r["m1_reflections"] for r in json.loads(innokraft("status", "--json").stdout)}


def test_the_loop_reports_every_learner_in_every_order(course, innokraft):
    settings, store, submit = course
    # Before anything is submitted.
    early = innokraft("feedback", "m1", check=False)
    assert early.returncode == 3 and "no learner has submitted yet" in early.stdout
    for who in ("anna", "bert"):
        submit(who, f"{who} svarar om tre N.", f"{who} om veckorutiner.")
    submit("carl", "Carl skriver bara ett svar.")
    assert set(status(innokraft).values()) == {"to_collect"}
    # Feedback before collect says which step comes first.
    before = innokraft("feedback", "m1", check=False)
    assert before.returncode == 3
    assert "anna: the latest submission is not collected. Run `innokraft collect m1` first." in before.stdout
    assert "no feedback was released. Run `innokraft collect m1` first" in before.stdout

    collected = innokraft("collect", "m1")
    assert "collected and autograded new submissions from 3 learner(s) (anna, bert, carl)" in collected.stdout
    assert "Next: grade in formgrader (3 to grade" in collected.stdout
    assert "Warning" not in collected.stderr and "%|" not in collected.stderr  # no SAWarning, no tqdm
    with Gradebook(f"sqlite:///{settings.nbgrader_course_root / 'gradebook.db'}", "innokraft") as gb:
        assert (gb.find_student("bert").first_name, gb.find_student("bert").last_name) == ("Bert", "Ås")
    assert "nothing new to collect" in innokraft("collect", "m1").stdout

    nothing = innokraft("feedback", "m1", check=False)
    assert nothing.returncode == 3 and "nothing is fully graded" in nothing.stdout

    grade(settings, "anna", {"latest_change": (4, "**Next time** name *who*.\nSecond line <b>x</b>."),
                             "weekly_routines": (5, "")})
    grade(settings, "bert", {"latest_change": (3, "Good.")})  # question 2 left ungraded
    grade(settings, "carl", {"latest_change": (2, "Kort."), "weekly_routines": (0, "")})
    table = innokraft("status").stdout
    assert "● graded, release feedback" in table and "● partly graded (1 of 2)" in table
    assert "To release feedback for: 2." in table and "To grade in formgrader: 1." in table

    released = innokraft("feedback", "m1")
    assert "feedback released to 2: anna, carl" in released.stdout
    assert "bert: question 2 not graded (1 of 2 graded)" in released.stdout
    assert status(innokraft) == {"anna": "released", "bert": "partly_graded", "carl": "released"}

    # The learner's page reads the store only, and renders the comment as escaped Markdown.
    # A page opened now (a page reads its feedback when it opens) shows the store's copy.
    shown = open_page("m1", lang="sv", token=LinkSigner(load_secret(settings), 30).issue("anna", "hbg")).feedback()
    feedback = feedback_for_learner(store, "anna", "m1")
    assert (shown.score, shown.max_score) == (feedback.score, feedback.max_score) == (9, 10)
    assert shown.comments == feedback.comments
    assert "anna svarar om tre N" in feedback.answers["latest_change"]
    html = comment_html(feedback.comments["latest_change"])
    assert "<strong>Next time</strong>" in html and "<em>who</em>" in html
    assert "<br />" in html and "&lt;b&gt;x&lt;/b&gt;" in html

    # A second run releases nothing again; a changed grade is released again.
    stamp = store.feedback("anna", "m1").released_at
    again = innokraft("feedback", "m1")
    assert "2 already have their feedback, unchanged" in again.stdout and "released to" not in again.stdout
    assert store.feedback("anna", "m1").released_at == stamp
    grade(settings, "carl", {"weekly_routines": (1, "Lite mer.")})
    assert "feedback released to 1: carl" in innokraft("feedback", "m1").stdout
    assert feedback_for_learner(store, "carl", "m1").score == 3

    # A resubmission after feedback: status says it waits to be collected, not "graded",
    # and the page does not show the old feedback as if it were about the new text.
    submit("anna", "anna svarar igen, bättre.", "anna om veckorutiner igen.")
    assert status(innokraft)["anna"] == "to_collect"
    assert feedback_for_learner(store, "anna", "m1") is None
    assert "from 1 learner(s) (anna)" in innokraft("collect", "m1").stdout
    assert status(innokraft)["anna"] in ("to_grade", "partly_graded", "to_release")


def test_a_failing_learner_does_not_stop_the_others(course, innokraft):
    settings, store, submit = course
    for who in ("anna", "bert", "carl"):
        submit(who, f"{who} svarar.", f"{who} igen.")
    # bert's handed-in notebook is broken: autograde fails for him alone.
    inbound = settings.exchange_root / "innokraft" / "inbound"
    broken = next(p for p in inbound.iterdir() if p.name.startswith("bert+"))
    (broken / f"{A}.ipynb").write_text("{not json")
    result = innokraft("collect", "m1", check=False)
    assert result.returncode == 1
    assert "(anna, carl)" in result.stdout and "bert: failed" in result.stderr
    assert "1 failed (see above). The others are done." in result.stderr
    for who in ("anna", "carl"):
        grade(settings, who, {"latest_change": (5, "Bra."), "weekly_routines": (5, "Bra.")})
    # Feedback for carl cannot be written (his feedback folder is a file); anna still gets hers.
    (settings.nbgrader_course_root / "feedback").mkdir(exist_ok=True)
    (settings.nbgrader_course_root / "feedback" / "carl").write_text("in the way")
    result = innokraft("feedback", "m1", check=False)
    assert result.returncode == 1
    assert "feedback released to 1: anna" in result.stdout and "carl: failed" in result.stderr
    assert "bert: the latest submission is not collected" in result.stdout
    assert store.feedback("carl", "m1") is None and store.feedback("anna", "m1") is not None


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_grading_notebook_lists_each_rubric_level_under_its_prompt(lang):
    from innokraft.course.model import load_course
    from innokraft.course.text_files import load_texts
    from innokraft.course.texts import Texts
    from innokraft.grading.course import assignment_notebook
    from tests.conftest import REPO

    config = REPO / "course_config"
    texts = Texts(lang, load_texts(config, lang))
    module = load_course(config).module(A)
    cells = assignment_notebook(module, texts).cells
    for reflection in module.reflections:
        cell = next(c.source for c in cells if c.cell_type == "markdown" and reflection.prompt[lang] in c.source)
        assert texts("grading.rubric") in cell
        assert [line for line in cell.splitlines() if line.startswith("- ")] == \
            [f"- {text}" for _points, text in reflection.rubric_levels(lang)]
