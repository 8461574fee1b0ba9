"""papermill executes every notebook in every language, for a learner or as a demo; assertions
read the store and the page.

A failing run names its cell (papermill records each cell's status in the output notebook).
"""

from __future__ import annotations

import json

import papermill as pm
import pytest
from markupsafe import escape

from innokraft.core import clock
from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner
from innokraft.course.load import course_and_texts
from innokraft.course.model import WRAPUP
from innokraft.learner.service import LearnerService
from innokraft.store.db import Store
from innokraft.teams.sessions import TeamStore
from tests.conftest import REPO

COURSE, TEXTS = course_and_texts(REPO / "course_config")
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
PAGES = {notebook: page for page, notebook in COURSE.notebooks.items()}


def run(notebook: str, tmp_path, **parameters):
    out = tmp_path / f"out-{notebook}"
    pm.execute_notebook(str(REPO / "notebooks" / notebook), str(out), parameters=parameters,
                        cwd=str(REPO / "notebooks"), kernel_name="python3", progress_bar=False)
    return json.loads(out.read_text())


def test_every_page_notebook_is_declared():
    assert set(NOTEBOOKS) == set(PAGES), "a notebook in notebooks/ is not in course.yaml (or the reverse)"


# What each page with a team session says of the team's result (five answers: shown).
TEAM_SAYS = {("m1", "sv"): "Teamets största hinder (5 svar)", ("m1", "en"): "Your team's biggest barrier (5 answers)",
             ("m3", "sv"): "Teamets bild (5 svar)", ("m3", "en"): "Your team's view (5 answers)",
             ("m6", "sv"): "Teamets trygghet: 14 av 100", ("m6", "en"): "Your team's safety: 14 out of 100"}


@pytest.fixture
def learner(home):
    settings = Settings.from_env()
    store = Store.open(settings.db_url)
    store.upsert_learners("c1", [{"learner_id": "anna", "name": "Anna"}])
    token = LinkSigner(load_secret(settings), COURSE.token_max_age_days).issue("anna", "c1")
    # Anna ran every exercise that allows it with her team; five answered. M6's pulse shows the
    # team's answers beside her guess, locked first.
    store.save_answer("anna", "m6.team_pulse", {"guess": {i: 3 for i in COURSE.team_sessions.find(
        "m6.team_pulse").items}, "locked": True})
    service = LearnerService.open(settings)
    for form in COURSE.team_sessions.exercises:
        link = service.call("team_open", token, {"exercise": form.key, "minutes": COURSE.team_sessions.minutes[-1]})
        session = link["team"]["id"]
        for n in range(COURSE.team_sessions.min_answers):
            value = {item: form.scale.max if k == 0 else form.scale.min for k, item in enumerate(form.items)}
            TeamStore(service.store).answer(session, f"device-{n}", value, clock.now(settings))
    return token, store


ONE_LEARNER_LANGUAGE = [n for n in NOTEBOOKS if PAGES[n] not in ("start", WRAPUP)
                        and all(page != PAGES[n] for page, _ in TEAM_SAYS)]


def learner_languages(notebook: str) -> tuple[str, ...]:
    """The languages a notebook runs in for a learner: every one on the start page (its links
    carry the learner's token), the wrap-up (it sets the learner's earlier answers beside the
    later) and a page that shows the team's result (TEAM_SAYS); one on each other page, in
    turn, which runs as a demo in the other (demo_language). Each papermill run costs seconds
    of the suite's two cores, and what a page says in a language (its title, its parts) is
    checked in either run."""
    if notebook not in ONE_LEARNER_LANGUAGE:
        return tuple(COURSE.languages)
    return (COURSE.languages[ONE_LEARNER_LANGUAGE.index(notebook) % len(COURSE.languages)],)


def demo_language(notebook: str) -> str:
    """The language a notebook runs in as a demo: one it does not run in for a learner, if any."""
    others = [lang for lang in COURSE.languages if lang not in learner_languages(notebook)]
    return others[0] if others else "en"


def assert_page_reads(notebook: str, lang: str, page: str) -> None:
    """What the page says in lang, for a learner or in a demo: its title and every part."""
    if PAGES[notebook] == "start":
        assert COURSE.title[lang] in page
        return
    if PAGES[notebook] == WRAPUP:
        # The closing page: its title, every part that completes it, and the statements of M1, M2
        # and M8 asked again in their modules' own words.
        assert escape(TEXTS[lang]["wrapup.title"]) in page
        assert page.count("innokraft-exercise") == len(COURSE.wrapup.parts)
        for key in ("m1.unit_barometer.factors.time", "m2.skills_profile.items.small_steps",
                    "m8.capability_profile.items.why_renew"):
            assert TEXTS[lang][key] in page
        return
    module = COURSE.module(PAGES[notebook])
    assert escape(module.title[lang]) in page  # as the header shows it
    # Each exercise, the quiz, each reflection prompt, from M2 the retrieval questions, and
    # the leader's initiative where the course's thread runs.
    thread = COURSE.thread and module.id in (COURSE.thread.named_in, *COURSE.thread.used_in)
    parts = len(module.exercises) + 1 + len(module.reflections) + (1 if module.retrieval else 0) + bool(thread)
    assert page.count("innokraft-exercise") == parts


@pytest.mark.notebooks
@pytest.mark.parametrize("notebook,lang", [(n, lang) for n in NOTEBOOKS for lang in learner_languages(n)])
def test_notebook_runs_for_a_learner(notebook, lang, learner, tmp_path):
    token, store = learner
    nb = run(notebook, tmp_path, lang=lang, token=token)
    assert all(c["metadata"].get("papermill", {}).get("exception") in (None, False)
               for c in nb["cells"] if c["cell_type"] == "code")
    assert store.has_event("anna", PAGES[notebook], "opened")
    assert store.learner("anna").lang == lang
    page = json.dumps(nb, ensure_ascii=False)  # widget state is kept in the notebook's metadata
    assert_page_reads(notebook, lang, page)
    if PAGES[notebook] == "start":
        # "How your answers are stored" links the privacy notice with the leader's link, as the footer does.
        assert page.count(f'innokraft/about/privacy?lang={lang}&amp;t={token}') == 2
        # The workplace task's time, as the certificate counts it (course.yaml).
        minutes = COURSE.certificate.task_minutes_per_module
        assert {"sv": f"Räkna med ungefär {minutes} minuter", "en": f"Allow about {minutes} minutes"}[lang] in page
    elif (PAGES[notebook], lang) in TEAM_SAYS:  # the exercise's feedback uses the team's result
        assert TEAM_SAYS[PAGES[notebook], lang] in page


def test_every_page_runs_in_every_language():
    """Each notebook in each language: for a learner, or as a demo."""
    runs = {(n, lang) for n in NOTEBOOKS for lang in learner_languages(n)} | {(n, demo_language(n)) for n in NOTEBOOKS}
    assert runs == {(n, lang) for n in NOTEBOOKS for lang in COURSE.languages}


DEMO_SAYS = {"sv": "Demoläge", "en": "Demo mode"}


@pytest.mark.notebooks
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_as_a_demo_and_writes_nothing(notebook, home, tmp_path):
    lang = demo_language(notebook)
    nb = run(notebook, tmp_path, lang=lang)
    page = json.dumps(nb, ensure_ascii=False)
    assert DEMO_SAYS[lang] in page
    assert_page_reads(notebook, lang, page)
    store = Store.open(Settings.from_env().db_url)
    assert store.learners() == [] and store.events() == []


@pytest.mark.notebooks
def test_revoked_link_runs_without_writing(learner, tmp_path):
    token, store = learner
    store.revoke("anna")
    before = store.events()
    nb = run(COURSE.modules[0].notebook, tmp_path, lang="sv", token=token)
    assert store.events() == before
    page = json.dumps(nb, ensure_ascii=False)
    assert "Länken har dragits tillbaka" in page and "innokraft-exercise" not in page
