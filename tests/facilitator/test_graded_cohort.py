"""One cohort through M1 and the whole grading loop with real nbgrader
(tests/helpers/graded_cohort.py, built once for this file): six leaders work through M1 (quiz and
pulse; three hand in their reflections, two get feedback, one is half graded), two in real
browsers, four through the learner service the pages call.

The facilitator's dashboard: two leaders answer the delayed quiz and the follow-up, in Swedish and
English, weeks later, in the browser. Before `collect` the dashboard says to run it and links the
formgrader that runs; after grading, its queue is `innokraft status`'s. It shows the heatmap, item
difficulty and the evaluation's figures (none under min_group), and downloads a gradebook Swedish
Excel opens; a learner's link is refused there; axe finds no violations.

The leaders' feedback: the facilitator collects, grades (through the Gradebook API, as formgrader
does) and releases feedback, and the leader's reloaded page shows it; each sees only their own.
The answer with a script and Markdown in it reads as typed and runs nothing (in formgrader: the
facilitator's day, tests/facilitator/test_facilitator_day.py). A resubmission waits for new
feedback (last: it changes the cohort)."""


from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from innokraft.facilitator.research import codebook_columns
from innokraft.store.models import EvaluationResponse, Event
from tests.browser.a11y import axe_violations, format_violations
from tests.browser.conftest import hand_in, returning_page, wait_interactive
from tests.helpers.answering import answer_quiz, choose
from tests.helpers.graded_cohort import BERT, COHORT, COURSE, M1, TEXTS, new_page


@pytest.fixture(scope="module")
def cohort(graded_cohort):
    return graded_cohort


def facilitator_link(server, lang: str) -> str:
    return server.cli("facilitator-link", "--cohort", "hbg", "--lang", lang).stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("who,lang", [("eva", "sv"), ("fredrik", "en")])
def test_delayed_quiz_and_follow_up_open_weeks_later(cohort, tabs, shots, who, lang):
    server, t = cohort["server"], TEXTS[lang]
    store = server.store
    store.log_event(who, M1.id, "module_completed")
    start = server.link(who, cohort="hbg").replace("lang=sv", f"lang={lang}").replace("lang=en", f"lang={lang}")
    page = new_page(tabs, cohort["server"].url)
    page.goto(start)
    wait_interactive(page, timeout_ms=180_000)
    assert page.locator(".innokraft-delayed-quiz, .innokraft-follow-up").count() == 0
    page.close()
    # Move the clock: the module was completed seven weeks ago.
    weeks = (COURSE.evaluation.follow_up_weeks + COURSE.evaluation.follow_up_closes_weeks) / 2
    with store.session() as s, s.begin():
        for event in s.scalars(select(Event).where(Event.learner_id == who, Event.kind == "module_completed")):
            event.at -= timedelta(weeks=weeks)
    page = new_page(tabs, cohort["server"].url)
    page.goto(start)
    wait_interactive(page, timeout_ms=180_000)
    due = page.locator(".innokraft-due")
    assert t["evaluation.due.title"] in due.inner_text()
    for item in M1.quiz:
        answer_quiz(page, t[f"m1.quiz.{item.id}.question"], t[f"m1.quiz.{item.id}.options.{item.correct}"],
                    t["ui.quiz.check"])
    choose(page, t["evaluation.follow_up.question"], t["evaluation.follow_up.options.1"])
    page.get_by_label(t["evaluation.follow_up.text_label"]).fill("APT varannan vecka / a fortnightly test slot")
    page.locator(".innokraft-follow-up .innokraft-save-saved").wait_for()
    page.locator(".innokraft-delayed-quiz .innokraft-save-saved").wait_for()
    shots(page, f"due-{who}")
    page.close()
    with store.session() as s:
        rows = {r.instrument: r for r in s.query(EvaluationResponse).filter_by(learner_id=who)}
    assert rows[f"{M1.id}.delayed_quiz"].first_value == {q.id: q.correct for q in M1.quiz}
    assert rows[f"{M1.id}.follow_up"].value["changed"] == 1
    assert "fortnightly" in rows[f"{M1.id}.follow_up"].value["text"]


def test_dashboard_shows_the_cohort_as_status_does(cohort, tabs, shots, output_dir):
    server = cohort["server"]
    assert "m1: samlade in och rättade nya inlämningar från 3 deltagare (anna, bert, cissi)" in cohort["collect"].stdout
    page = new_page(tabs, cohort["server"].url, viewport={"width": 1280, "height": 900})
    page.goto(facilitator_link(server, "sv"))
    t = TEXTS["sv"]
    page.locator(".innokraft-dash-downloads").wait_for(timeout=90_000)
    page.wait_for_selector("#loading", state="detached")
    progress = page.locator(".innokraft-dash-progress")
    assert progress.get_by_role("img").get_attribute("alt").startswith(t["dashboard.progress.alt"].split("{")[0][:40])
    assert progress.locator("tbody tr").count() == 6
    assert "Anna Testsson" in progress.inner_html()
    waiting = page.locator(".innokraft-dash-waiting")
    assert "Cissi Testsson" in waiting.inner_text() and "Anna Testsson" not in waiting.inner_text()
    after_partial_grading_dashboard_and_status_agree(cohort, waiting)
    difficulty = page.locator(".innokraft-dash-difficulty")
    assert difficulty.get_by_role("img").count() == 1
    rows = difficulty.locator("tbody tr")
    assert rows.count() == len(M1.quiz)
    # six answered, four of them right at the first attempt
    # the table view is folded (a <details>): read its cells as text, shown or not
    cells = [[c.strip() for c in rows.nth(i).locator("td").all_text_contents()] for i in range(rows.count())]
    assert cells == [["6", "67"]] * rows.count(), cells
    # The pulse of M1: six answers, shown; the other modules': none, and nothing shown.
    pulse = page.locator(".innokraft-dash-reaction")
    assert pulse.get_by_role("img").count() == 1
    pulse_rows = pulse.locator("tbody tr")
    assert pulse_rows.count() == len(COURSE.modules) * len(COURSE.evaluation.pulse)
    suppressed = t["report.suppressed"].format(min=COURSE.evaluation.min_group)
    m1_rows = [pulse_rows.nth(i).locator("td").all_text_contents() for i in range(len(COURSE.evaluation.pulse))]
    assert all(r[0] == "6" and suppressed not in r[1] for r in m1_rows), m1_rows
    learning = page.locator(".innokraft-dash-learning").locator("td").all_text_contents()
    assert suppressed in learning and "+" not in "".join(learning)  # nobody rated before and after
    page.get_by_text(t["dashboard.table_view"]).first.click()  # the table view opens by keyboard or click
    shots(page, "dashboard-sv")

    violations = axe_violations(page)
    (output_dir / "axe-dashboard.json").write_text(format_violations(violations))
    assert violations == [], format_violations(violations)

    # The download buttons serve this cohort's exports to the facilitator link only.
    link = page.get_by_role("link", name=t["dashboard.downloads.research"])
    research = page.request.get(link.evaluate("a => a.href"))
    assert research.ok
    text = research.text()
    book = page.request.get(page.get_by_role("link", name=t["dashboard.downloads.codebook"]).evaluate("a => a.href"))
    assert next(csv.reader(io.StringIO(text))) == codebook_columns(book.text())
    assert len(text.strip().splitlines()) == 7 and "Testsson" not in text and "@example.se" not in text
    xapi = page.request.get(page.get_by_role("link", name=t["dashboard.downloads.xapi"]).evaluate("a => a.href"))
    assert xapi.ok and len(xapi.text().splitlines()) > 6 * 3
    gradebook = page.get_by_role("link", name=t["dashboard.downloads.gradebook"])
    grades = page.request.get(gradebook.evaluate("a => a.href"))
    assert grades.ok and grades.body().startswith("\ufeff".encode())  # for Excel: a BOM, and ';' in Swedish
    table = list(csv.reader(io.StringIO(grades.body().decode("utf-8-sig")), delimiter=";"))
    head, by_id = table[0], {r[0]: r for r in table[1:]}
    assert sorted(by_id) == sorted(who for who, *_ in COHORT)  # every learner of the cohort
    state, score = head.index("m1 läge"), head.index("m1 poäng")
    assert (by_id["anna"][state], by_id["anna"][score]) == ("bedömd, återkoppling släppt", "7")
    assert (by_id["cissi"][state], by_id["cissi"][score]) == ("delvis bedömd (1 av 2)", "")  # not a final 3
    assert (by_id["david"][state], by_id["david"][score]) == ("ej inlämnad", "")  # not 0
    page.close()


def test_learner_link_is_refused_on_the_dashboard_and_roles_do_not_swap(cohort, tabs):
    server = cohort["server"]
    learner = cohort["links"]["anna"]
    token = learner.split("t=")[1].split("&")[0]
    dashboard = facilitator_link(server, "sv")
    facilitator_token = dashboard.split("t=")[1].split("&")[0]
    page = new_page(tabs, cohort["server"].url)
    response = page.goto(dashboard.replace(facilitator_token, token))
    assert response.status == 403
    assert TEXTS["sv"]["dashboard.refused.title"] in page.locator("h1").inner_text()
    export = dashboard.replace(facilitator_token, token).replace(
        "voila/render/facilitator/dashboard.ipynb", "innokraft/facilitator/export/research.csv")
    assert page.request.get(export).status == 403
    # A facilitator link on a learner's page opens nobody's page.
    page.goto(learner.replace(token, facilitator_token))
    wait_interactive(page, timeout_ms=180_000)
    assert TEXTS["sv"]["ui.link_error.title"] in page.get_by_role("alert").inner_text()
    assert page.locator(".innokraft-exercise").count() == 0
    page.close()


def test_a_revoked_facilitator_link_opens_nothing_and_learner_links_still_work(cohort, tabs):
    server = cohort["server"]
    old = facilitator_link(server, "sv")
    exports = [old.replace("voila/render/facilitator/dashboard.ipynb", f"innokraft/facilitator/export/{name}")
               for name in ("research.csv", "codebook.md", "xapi.jsonl", "gradebook.csv")]
    page = new_page(tabs, cohort["server"].url)
    assert page.request.get(exports[0]).ok  # it worked until now
    revoked = server.cli("facilitator-link", "--cohort", "hbg", "--revoke").stdout
    assert "fungerar inte längre" in revoked and "Deltagarnas länkar fungerar som förut" in revoked
    assert page.goto(old).status == 403
    assert [page.request.get(url).status for url in exports] == [403] * 4
    new = facilitator_link(server, "sv")  # a new one works
    assert page.request.get(new.replace("voila/render/facilitator/dashboard.ipynb",
                                        "innokraft/facilitator/export/codebook.md")).ok
    # A learner's link issued before the revocation still opens their page.
    page.goto(cohort["links"]["anna"])
    wait_interactive(page, timeout_ms=180_000)
    assert page.locator(".innokraft-exercise").count() > 0
    page.close()


def test_before_collect_the_dashboard_says_collect_and_links_the_formgrader_that_runs(cohort, tabs):
    seen, t = cohort["before_collect"], TEXTS["sv"]
    assert t["dashboard.waiting.next_collect"].format(count=3).split("`")[0] in seen["text"]
    assert "innokraft collect" in seen["text"] and "8867" not in seen["text"]
    formgrader = f"http://127.0.0.1:{cohort['formgrader_port']}/formgrader"
    assert seen["links"] == [formgrader]
    assert [r[2] for r in seen["rows"]] == [t["cli.status.to_collect"]] * 3  # as `innokraft status` says it
    assert t["cli.status.next_collect"].format(count=3) in seen["status"]
    page = new_page(tabs, cohort["server"].url)
    assert page.request.get(formgrader).ok  # it answers: the formgrader that runs (its login page)
    page.close()


def after_partial_grading_dashboard_and_status_agree(cohort, waiting) -> None:
    """Anna and bert graded, cissi half: the dashboard's queue is `innokraft status`'s, word for word."""
    import json

    server, t = cohort["server"], TEXTS["sv"]
    rows = waiting.locator("tbody tr")
    shown = [[c.strip() for c in rows.nth(i).locator("th, td").all_text_contents()][:3] for i in range(rows.count())]
    status_table = server.cli("status", "--cohort", "hbg").stdout
    status = json.loads(server.cli("status", "--cohort", "hbg", "--json").stdout)
    labels = {"to_collect": t["cli.status.to_collect"], "to_grade": t["cli.status.to_grade"],
              "partly_graded": t["cli.status.partly_graded"].format(graded=1, total=2),
              "to_release": t["cli.status.to_release"]}
    from_status = sorted([r["name"], t["ui.module_number"].format(number=1), labels[r["m1_reflections"]]]
                         for r in status if r["m1_reflections"] in labels)
    assert sorted(shown) == from_status
    assert ["Cissi Testsson", t["ui.module_number"].format(number=1), labels["partly_graded"]] in shown
    assert labels["partly_graded"] in status_table  # the same words in the table of `innokraft status`
    # The next command, counted alike, and the same formgrader.
    assert t["cli.status.next_grade"].format(count=1) in status_table
    assert t["dashboard.waiting.next_grade"].format(count=1) in waiting.inner_text()
    formgrader = f"http://127.0.0.1:{cohort['formgrader_port']}/formgrader"
    assert formgrader in status_table
    assert [a.get_attribute("href") for a in waiting.get_by_role("link").all()] == [formgrader]


LABELS = {"sv": ("Ditt svar på fråga {n}", "Lämna in reflektionerna", "Inlämnat"),
          "en": ("Your answer to question {n}", "Submit the reflections", "Submitted")}


def submit_in_browser(tabs, link: str, lang: str, answers: list[str]):
    page = returning_page(tabs, link)
    page.goto(link)
    wait_interactive(page, exercises=5)
    label = LABELS[lang][0]
    for n, text in enumerate(answers, start=1):
        page.get_by_label(label.format(n=n)).fill(text)
    page.locator(".innokraft-save-saved").nth(len(answers) - 1).wait_for()
    hand_in(page, lang)
    return page


def test_submissions_arrive_whole_and_are_collected(cohort):
    assert [s.split("+")[0] for s in cohort["submitted"]] == ["anna", "bert", "cissi"]
    assert not any(s.startswith(".") for s in cohort["submitted"])
    assert "samlade in och rättade nya inlämningar från 3 deltagare (anna, bert, cissi)" in cohort["collect"].stdout
    assert "återkoppling släppt till 2: anna, bert" in cohort["feedback"].stdout


@pytest.mark.parametrize("who,lang,score,own,other", [
    ("anna", "sv", "Poäng: 7 av 10", "Tydlig beskrivning; utveckla hindret.", "Excellent, concrete."),
    ("bert", "en", "Score: 10 of 10", "Clear action &lt;b&gt;plan&lt;/b&gt;.", "Bra åtgärd."),
])
def test_each_learner_sees_only_their_own_feedback(cohort, tabs, shots, who, lang, score, own, other):
    page = returning_page(tabs, cohort["server"].url)
    page.goto(cohort["links"][who])
    wait_interactive(page, exercises=5)
    panel = page.locator(".innokraft-feedback-panel")
    panel.get_by_text(score).wait_for()
    html = panel.inner_html()
    assert own in html and other not in html
    panel.scroll_into_view_if_needed()
    shots(page, f"feedback-{who}")
    page.close()


def test_full_feedback_page_runs_no_script_and_reads_naturally(cohort, tabs, shots):
    page = returning_page(tabs, cohort["server"].url)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(cohort["links"]["anna"])
    wait_interactive(page, exercises=5)
    with page.expect_popup() as popup_info:
        page.get_by_role("link", name="Visa hela återkopplingen").click()
    feedback = popup_info.value
    feedback.wait_for_load_state()
    text = feedback.locator("body").inner_text()
    assert "<script>window.__xss='script'</script>" in text
    assert "[länken](javascript:window.__xss='link')" in text and "Ny rad." in text
    feedback.get_by_text("länken").first.click()
    assert feedback.evaluate("typeof window.__xss") == "undefined" and dialogs == []
    shots(feedback, "full-feedback-anna")
    # Another learner's link cannot reach anna's feedback: it only ever serves its holder's.
    bert_feedback = cohort["links"]["bert"].split("/voila/")[0] + "/innokraft/feedback/m1?t=" + \
        cohort["links"]["bert"].split("t=")[1].split("&")[0]
    response = page.request.get(bert_feedback)
    assert response.ok and "window.__xss" not in response.text()
    forged = page.request.get(bert_feedback[:-3] + "xyz")
    assert forged.status == 403
    page.close()


def start_page_state(tabs, link: str, module: str) -> tuple[str, str]:
    page = returning_page(tabs, link)
    page.goto(link.replace("01_why_innovate.ipynb", "00_start.ipynb"))
    wait_interactive(page)
    item = page.locator(f'.innokraft-module[data-module="{module}"]')
    state = (item.get_attribute("data-state"), item.locator(".innokraft-status").inner_text())
    page.close()
    return state


def test_the_start_page_says_where_each_module_stands(cohort, tabs):
    """As the module page does: feedback to read; a module never opened is not started."""
    assert start_page_state(tabs, cohort["links"]["anna"], "m1") == ("feedback", "Återkoppling finns att läsa")
    assert start_page_state(tabs, cohort["links"]["bert"], "m1") == ("feedback", "Feedback is ready to read")
    assert start_page_state(tabs, cohort["links"]["anna"], "m2") == ("not_started", "Inte påbörjad")


def test_resubmitting_waits_for_new_feedback(cohort, tabs):
    page = submit_in_browser(tabs, cohort["links"]["bert"], "en", [a + " Updated." for a in BERT])
    page.get_by_text("has not given feedback on your latest submission").wait_for()
    page.close()
    # The start page agrees: handed in, waiting (the earlier feedback is not about this one).
    assert start_page_state(tabs, cohort["links"]["bert"], "m1") == ("submitted", "Handed in – waiting for feedback")
    status = cohort["server"].cli("status", "--json").stdout
    assert '"m1_reflections": "released"' in status  # anna
    assert '"m1_reflections": "to_collect"' in status  # bert: the newer submission waits
    # The newer submission replaces the earlier one for grading.
    assert "från 1 deltagare (bert)" in cohort["server"].cli("collect", "m1").stdout
