"""The pulse, the delayed quiz and the follow-up in papermill, in both languages, with the
clock moved (INNOKRAFT_NOW, read from the kernel's environment); the dashboard notebook."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import papermill as pm
import pytest
from markupsafe import escape

from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import FacilitatorSigner, LinkSigner
from innokraft.course.load import course_and_texts
from innokraft.course.model import load_course
from innokraft.store.db import Store
from innokraft.store.evaluations import save_response
from tests.conftest import REPO

COURSE = load_course(REPO / "course_config")
M1 = COURSE.modules[0]


def run(notebook: str, tmp_path, **parameters) -> str:
    out = tmp_path / f"out-{notebook.replace('/', '-')}"
    pm.execute_notebook(str(REPO / "notebooks" / notebook), str(out), parameters=parameters,
                        cwd=str(REPO / "notebooks"), kernel_name="python3", progress_bar=False)
    nb = json.loads(out.read_text())
    failed = [c for c in nb["cells"] if c["cell_type"] == "code"
              and c["metadata"].get("papermill", {}).get("exception") not in (None, False)]
    assert not failed, failed
    return json.dumps(nb, ensure_ascii=False)


@pytest.fixture
def anna(home):
    settings = Settings.from_env()
    store = Store.open(settings.db_url)
    store.upsert_learners("c1", [{"learner_id": "anna", "name": "Anna"}])
    return LinkSigner(load_secret(settings), COURSE.token_max_age_days).issue("anna", "c1"), store


def texts(lang: str) -> dict[str, str]:
    return course_and_texts(REPO / "course_config")[1][lang]


@pytest.mark.notebooks
@pytest.mark.parametrize("lang", COURSE.languages)
def test_pulse_at_the_end_of_m1_restores_saved_answers(lang, anna, tmp_path):
    token, store = anna
    save_response(store, "anna", f"{M1.id}.pulse", {"relevance": 3, "clarity": 4, "time": 1})
    page = run(M1.notebook, tmp_path, lang=lang, token=token)
    t = texts(lang)
    assert t["evaluation.pulse.title"] in page
    assert t["evaluation.pulse.relevance.question"] in page
    assert t["evaluation.pulse.thanks"] in page  # shown only when all three saved answers came back
    assert "innokraft-pulse" in page


@pytest.mark.notebooks
@pytest.mark.parametrize("lang", COURSE.languages)
def test_start_page_shows_delayed_quiz_and_follow_up_when_due(lang, anna, tmp_path, monkeypatch):
    token, store = anna
    t = texts(lang)
    store.log_event("anna", M1.id, "module_completed")
    page = run(COURSE.start_notebook, tmp_path, lang=lang, token=token)
    assert t["evaluation.due.title"] not in page or "innokraft-delayed-quiz" not in page
    ev = COURSE.evaluation
    later = datetime.now(UTC) + timedelta(weeks=(ev.follow_up_weeks + ev.follow_up_closes_weeks) / 2)
    monkeypatch.setenv("INNOKRAFT_NOW", later.isoformat())
    page = run(COURSE.start_notebook, tmp_path, lang=lang, token=token)
    assert t["evaluation.due.title"] in page
    assert t["evaluation.delayed_quiz.title"].format(number=1) in page
    assert t["evaluation.follow_up.title"].format(number=1) in page
    assert t["evaluation.follow_up.question"] in page
    assert "innokraft-delayed-quiz" in page and "innokraft-follow-up" in page


@pytest.mark.notebooks
def test_dashboard_notebook_for_a_facilitator_and_refused_for_a_learner(anna, tmp_path):
    token, store = anna
    store.log_event("anna", M1.id, "opened")
    save_response(store, "anna", f"{M1.id}.pulse", {"relevance": 3, "clarity": 4, "time": 1})
    settings = Settings.from_env()
    facilitator = FacilitatorSigner(load_secret(settings), COURSE.evaluation.facilitator_link_days).issue("c1")
    page = run("facilitator/dashboard.ipynb", tmp_path, lang="en", token=facilitator)
    t = texts("en")
    for key in ("progress", "waiting", "difficulty"):
        assert escape(t[f"dashboard.{key}.title"]) in page
    for key in ("cohort", "completion", "reaction", "learning", "quiz", "behaviour", "method"):
        assert escape(t[f"report.{key}.title"]) in page  # the report's sections, the report's figures
    assert "data:image/png;base64" in page and "<table" in page
    # One pulse answer: the dashboard shows that someone answered, never what (min_group).
    reaction = page[page.index('innokraft-dash-reaction'):page.index('innokraft-dash-learning')]
    suppressed = escape(t["report.suppressed"].format(min=COURSE.evaluation.min_group))
    assert reaction.count(suppressed) >= 2 * len(COURSE.evaluation.pulse)  # M1's means and counts
    assert t["report.reaction.scale"].split("{")[0] not in reaction  # no mean is shown
    assert "Not at all: " not in reaction and "To some extent: " not in reaction  # nor any count
    refused = run("facilitator/dashboard.ipynb", tmp_path, lang="en", token=token)
    assert escape(t["dashboard.refused.title"]) in refused
    assert escape(t["dashboard.progress.title"]) not in refused
