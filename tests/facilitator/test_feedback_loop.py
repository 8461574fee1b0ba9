"""The whole reflection loop with real nbgrader (tests/helpers/graded_cohort.py): leaders submit
in the browser, the facilitator collects, grades (through the Gradebook API, as formgrader does)
and releases feedback, and the leader's reloaded page shows it; each sees only their own. The
answer with a script and Markdown in it reads as typed and runs nothing (in formgrader: the
facilitator's day, tests/facilitator/test_facilitator_day.py)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import hand_in, wait_interactive
from tests.helpers.graded_cohort import BERT

LABELS = {"sv": ("Ditt svar på fråga {n}", "Lämna in reflektionerna", "Inlämnat"),
          "en": ("Your answer to question {n}", "Submit the reflections", "Submitted")}


def submit_in_browser(browser, link: str, lang: str, answers: list[str]):
    page = browser.new_page()
    page.goto(link)
    wait_interactive(page, exercises=5)
    label = LABELS[lang][0]
    for n, text in enumerate(answers, start=1):
        page.get_by_label(label.format(n=n)).fill(text)
    page.locator(".innokraft-save-saved").nth(len(answers) - 1).wait_for()
    hand_in(page, lang)
    return page


@pytest.fixture(scope="module")
def loop(graded_cohort):
    return graded_cohort


def test_submissions_arrive_whole_and_are_collected(loop):
    assert [s.split("+")[0] for s in loop["submitted"]] == ["anna", "bert", "cissi"]
    assert not any(s.startswith(".") for s in loop["submitted"])
    assert "samlade in och rättade nya inlämningar från 3 deltagare (anna, bert, cissi)" in loop["collect"].stdout
    assert "återkoppling släppt till 2: anna, bert" in loop["feedback"].stdout


@pytest.mark.parametrize("who,lang,score,own,other", [
    ("anna", "sv", "Poäng: 7 av 10", "Tydlig beskrivning; utveckla hindret.", "Excellent, concrete."),
    ("bert", "en", "Score: 10 of 10", "Clear action &lt;b&gt;plan&lt;/b&gt;.", "Bra åtgärd."),
])
def test_each_learner_sees_only_their_own_feedback(loop, browser, shots, who, lang, score, own, other):
    page = browser.new_page()
    page.goto(loop["links"][who])
    wait_interactive(page, exercises=5)
    panel = page.locator(".innokraft-feedback-panel")
    panel.get_by_text(score).wait_for()
    html = panel.inner_html()
    assert own in html and other not in html
    panel.scroll_into_view_if_needed()
    shots(page, f"feedback-{who}")
    page.close()


def test_full_feedback_page_runs_no_script_and_reads_naturally(loop, browser, shots):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(loop["links"]["anna"])
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
    bert_feedback = loop["links"]["bert"].split("/voila/")[0] + "/innokraft/feedback/m1?t=" + \
        loop["links"]["bert"].split("t=")[1].split("&")[0]
    response = page.request.get(bert_feedback)
    assert response.ok and "window.__xss" not in response.text()
    forged = page.request.get(bert_feedback[:-3] + "xyz")
    assert forged.status == 403
    page.close()


def start_page_state(browser, link: str, module: str) -> tuple[str, str]:
    page = browser.new_page()
    page.goto(link.replace("01_why_innovate.ipynb", "00_start.ipynb"))
    wait_interactive(page)
    item = page.locator(f'.innokraft-module[data-module="{module}"]')
    state = (item.get_attribute("data-state"), item.locator(".innokraft-status").inner_text())
    page.close()
    return state


def test_the_start_page_says_where_each_module_stands(loop, browser):
    """As the module page does: feedback to read; a module never opened is not started."""
    assert start_page_state(browser, loop["links"]["anna"], "m1") == ("feedback", "Återkoppling finns att läsa")
    assert start_page_state(browser, loop["links"]["bert"], "m1") == ("feedback", "Feedback is ready to read")
    assert start_page_state(browser, loop["links"]["anna"], "m2") == ("not_started", "Inte påbörjad")


def test_resubmitting_waits_for_new_feedback(loop, browser):
    page = submit_in_browser(browser, loop["links"]["bert"], "en", [a + " Updated." for a in BERT])
    page.get_by_text("has not given feedback on your latest submission").wait_for()
    page.close()
    # The start page agrees: handed in, waiting (the earlier feedback is not about this one).
    assert start_page_state(browser, loop["links"]["bert"], "m1") == ("submitted", "Handed in – waiting for feedback")
    status = loop["server"].cli("status", "--json").stdout
    assert '"m1_reflections": "released"' in status  # anna
    assert '"m1_reflections": "to_collect"' in status  # bert: the newer submission waits
    # The newer submission replaces the earlier one for grading.
    assert "från 1 deltagare (bert)" in loop["server"].cli("collect", "m1").stdout
