"""A facilitator's day as the README tells it, from a fresh clone: import an Excel roster,
write the links, three leaders submit in real browsers, collect, grade in formgrader (names
shown, no toggle pressed), release feedback (the partly graded leader is reported), and each
leader reads their feedback in Swedish on a phone. The whole run's logs hold no traceback."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import expect

from tests.browser.conftest import hand_in, poll, wait_interactive
from tests.conftest import REPO, free_port

ROSTER = ("namn;e-post;språk\r\n"
          "Åsa Lindström;asa.lindstrom@uppsala.se;SV\r\n"
          "Björn Åberg;bjorn.aberg@uppsala.se;sv\r\n"
          "Sara Öz;sara.oz@uppsala.se;en\r\n"
          ";;\r\n")
ANSWERS = {"asa-lindstrom": ["Vi provade digitala trygghetslarm i hemtjänsten.", "Stående punkt på APT."],
           "sara-oz": ["We tried <script>alert(1)</script> a new intake form.", "A weekly test slot."],
           "bjorn-aberg": ["Flexibla raster i kvällspasset."]}
LABEL = {"sv": ("Ditt svar på fråga {n}", "Lämna in reflektionerna", "Inlämnat"),
         "en": ("Your answer to question {n}", "Submit the reflections", "Submitted")}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
# Generous bounds: the machine running the tests may be busy (a bound, not a speed check).
WAIT_MS = 180_000
A = "m1"  # the nbgrader assignment: the module id
PAGE = "01_why_innovate.ipynb"


class Day:
    """The facilitator's terminal: every command and what it printed, kept for the log check."""

    def __init__(self, clone, env, log):
        self.clone, self.env, self.log = clone, env, log

    def __call__(self, *args: str, code: int = 0) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "innokraft.cli", *args], cwd=self.clone, env=self.env,
                                capture_output=True, text=True)
        with self.log.open("a") as fh:
            fh.write(f"$ innokraft {' '.join(args)}  (exit {result.returncode})\n{result.stdout}{result.stderr}\n")
        assert result.returncode == code, result.stdout + result.stderr
        return result


@pytest.fixture(scope="module")
def day(tmp_path_factory, output_dir, browser):
    tmp = tmp_path_factory.mktemp("day")
    clone = tmp / "innokraft"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOKRAFT_")}
    env.update(PYTHONPATH=str(clone), INNOKRAFT_HOME=str(clone / ".innokraft"))
    log = output_dir / f"facilitator-day-{os.getpid()}.log"
    log.write_text("")
    cli = Day(clone, env, log)
    # README: `make facilitator` = `innokraft session`, the course and formgrader together.
    port, lab_port = free_port(), free_port()
    session_log = output_dir / f"facilitator-session-{os.getpid()}.log"
    session = subprocess.Popen(
        [sys.executable, "-m", "innokraft.cli", "session", "--port", str(port), "--lab-port", str(lab_port)],
        cwd=clone, env=env, stdout=session_log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    contexts = {}
    try:
        printed = poll(lambda: "Formgrader" in session_log.read_text() and session_log.read_text(), seconds=300)
        assert printed, session_log.read_text()
        urls = dict(re.findall(r"^(Kursen|Formgrader)\b.*?(http\S+)$", printed, re.M))

        roster = tmp / "deltagare.csv"
        roster.write_bytes(ROSTER.encode("cp1252"))
        imported = cli("cohort", "import", str(roster), "--cohort", "hbg-2026")
        links_file = tmp / "links.csv"
        wrote = cli("links", "--cohort", "hbg-2026", "--out", str(links_file))
        links = {r["learner_id"]: r for r in csv.DictReader(links_file.open(encoding="utf-8-sig"))}

        for who, options in (("asa-lindstrom", PHONE), ("sara-oz", {"viewport": {"width": 1280, "height": 800}}),
                             ("bjorn-aberg", {"viewport": {"width": 768, "height": 1024}})):
            contexts[who] = browser.new_context(**options)
            contexts[who].set_default_timeout(WAIT_MS)
            lang = links[who]["lang"]
            page = contexts[who].new_page()
            page.goto(links[who]["url"].replace("00_start.ipynb", PAGE))
            wait_interactive(page, timeout_ms=WAIT_MS)
            label = LABEL[lang][0]
            for n, text in enumerate(ANSWERS[who], start=1):
                page.get_by_label(label.format(n=n)).fill(text)
            page.locator(".innokraft-save-saved").nth(len(ANSWERS[who]) - 1).wait_for()
            hand_in(page, lang)
            page.close()

        before = cli("feedback", "m1", code=3)
        collected = cli("collect", "m1")
        yield {"cli": cli, "urls": urls, "printed": printed, "links": links, "contexts": contexts,
               "imported": imported, "wrote": wrote, "before": before, "collected": collected,
               "clone": clone, "log": log, "session": session, "session_log": session_log,
               "port": port, "links_file": links_file}
    finally:
        for context in contexts.values():
            context.close()
        if session.poll() is None:
            os.killpg(session.pid, signal.SIGINT)
            session.wait(60)


def test_roster_and_links_from_the_clone(day):
    assert "Windows-1252" in day["imported"].stdout
    assert "id asa-lindstrom skapat från Åsa Lindström" in day["imported"].stdout
    assert "Grupp hbg-2026: 3 deltagare tillagda" in day["imported"].stdout
    served = day["urls"]["Kursen"]
    assert served == f"http://127.0.0.1:{day['port']}/"
    assert f"Länkarna pekar på kursservern som körs: {served}" in day["wrote"].stderr
    assert all(r["url"].startswith(served) for r in day["links"].values())
    assert oct(day["links_file"].stat().st_mode)[-3:] == "600"
    assert day["links"]["sara-oz"]["lang"] == "en" and day["links"]["asa-lindstrom"]["lang"] == "sv"
    assert "Kör först `innokraft collect m1`" in day["before"].stdout
    assert "samlade in och rättade nya inlämningar från 3 deltagare" in day["collected"].stdout


def test_grading_in_formgrader_with_names(day, browser, shots):
    base = day["urls"]["Formgrader"]  # http://…/formgrader?token=…
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base.replace("/formgrader?", "/formgrader/manage_students?"))
    page.get_by_text("Lindström, Åsa").wait_for()
    assert "Öz, Sara" in page.locator("body").inner_text()
    shots(page, "formgrader-students")
    # Manual Grading → the module → its notebook: each submission under the leader's roster name,
    # with nothing pressed (innokraft/formgrader_names.py), not "Submission #1".
    page.goto(base.replace("/formgrader?", f"/formgrader/gradebook/{A}/{A}?"))
    table = page.locator("#main-table")
    for name in ("Lindström, Åsa", "Öz, Sara"):
        table.get_by_role("link", name=name).wait_for()  # visible
    assert table.locator("a.name-shown:visible").count() == 3
    assert table.locator("a.name-hidden:visible").count() == 0  # no "Submission #1"
    assert [t.strip() for t in page.locator(".breadcrumb li").all_inner_texts()] == ["Manual Grading", A, A]
    shots(page, "formgrader-manual-grading")
    # formgrader's own toggle still hides them (for blind grading) and shows them again.
    page.get_by_role("button", name="Hide All Names").click()
    table.get_by_role("link", name="Submission #1", exact=True).wait_for()
    assert table.locator("a.name-shown:visible").count() == 0
    page.get_by_role("button", name="Show All Names").click()
    table.get_by_role("link", name="Lindström, Åsa").wait_for()
    # The facilitator grades asa and sara fully, bjorn's first answer only.
    grades = {"asa-lindstrom": {"latest_change": ("4", "**Bra** exempel.\nNästa gång: *vem* hindrade?"),
                                "weekly_routines": ("5", "")},
              "sara-oz": {"latest_change": ("5", "Concrete."), "weekly_routines": ("3", "Add a date.")},
              "bjorn-aberg": {"latest_change": ("3", "Utveckla hindret.")}}
    gradebook = f"sqlite:///{day['clone'] / '.innokraft' / 'nbgrader' / 'course' / 'gradebook.db'}"
    token = base.split("token=")[1]
    for who, cells in grades.items():
        with Gradebook(gradebook, "innokraft") as gb:
            submission = gb.find_submission_notebook(A, A, who).id
        page.goto(f"{base.split('/formgrader')[0]}/formgrader/submissions/{submission}/?token={token}")
        shown = page.locator(".breadcrumb a.name-shown")  # the submission's page names the leader too
        shown.wait_for()
        assert page.locator(".breadcrumb a.name-hidden").is_hidden()
        if who == "asa-lindstrom":
            assert shown.inner_text().strip() == "Lindström, Åsa"
            assert "Beskriv den senaste förändringen" in page.locator("body").inner_text()  # the prompt
            assert "Bedömningsstöd" in page.locator("body").inner_text()  # the rubric, beside the answer
        if who == "sara-oz":  # her answer holds a script: formgrader shows it as text and runs nothing
            assert "<script>alert(1)</script>" in page.locator("body").inner_text()
            assert dialogs == []
        # formgrader binds its inputs to the gradebook only after window 'load' and two fetches
        # (formgrade.js loadGrades/loadComments); a score typed before that was not saved. The
        # fields are read-only until then (our formgrade template), so fill() waits for them.
        score = page.locator("input.score").first
        assert score.get_attribute("readonly") is not None or page.evaluate(
            "() => window.formgrader?.grades?.loaded && window.formgrader?.comments?.loaded")
        page.wait_for_function("() => window.formgrader?.grades?.loaded && window.formgrader?.comments?.loaded")
        # The template polls every 100 ms, so the fields open a moment after the flags are set.
        expect(score).to_be_editable()
        for cell, (score, comment) in cells.items():
            page.locator(f"input.score#{cell}").fill(score)
            page.locator(f"input.score#{cell}").press("Tab")
            if comment:
                page.locator(f"textarea#{cell}-comment").fill(comment)
                page.locator(f"textarea#{cell}-comment").press("Tab")

        def saved(who=who, cells=cells):
            with Gradebook(gradebook, "innokraft") as gb:
                return all(not gb.find_grade(c, A, A, who).needs_manual_grade
                           and (gb.find_comment(c, A, A, who).manual_comment or "") == m
                           for c, (_s, m) in cells.items())

        assert poll(saved, seconds=30), who
    shots(page, "formgrader-graded")
    page.close()
    released = day["cli"]("feedback", "m1")
    assert "återkoppling släppt till 2: asa-lindstrom, sara-oz" in released.stdout
    assert "bjorn-aberg: fråga 2 är inte bedömd (1 av 2 bedömda)" in released.stdout
    status = day["cli"]("status", "--cohort", "hbg-2026").stdout
    assert "● delvis bedömd (1 av 2)" in status and "återkoppling släppt (9 av 10)" in status
    assert "Att bedöma i formgrader: 1." in status


@pytest.mark.parametrize("who,score", [("asa-lindstrom", "Poäng: 9 av 10"), ("sara-oz", "Poäng: 8 av 10"),
                                       ("bjorn-aberg", None)])
def test_each_learner_reads_their_feedback_in_swedish_on_a_phone(day, browser, shots, who, score):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    link = day["links"][who]["url"].replace("00_start.ipynb", PAGE)
    page.goto(re.sub(r"lang=[a-z]+", "lang=sv", link))
    wait_interactive(page, timeout_ms=WAIT_MS)
    panel = page.locator(".innokraft-feedback-panel")
    if score is None:
        panel.get_by_text("har inte gett återkoppling").wait_for()
        context.close()
        return
    panel.get_by_text(score).wait_for()
    if who == "asa-lindstrom":  # Markdown rendered, the same on both views
        assert "<strong>Bra</strong>" in panel.inner_html() and "<em>vem</em>" in panel.inner_html()
    with page.expect_popup() as popup:
        panel.get_by_role("link", name="Visa hela återkopplingen").click()
    full = popup.value
    full.wait_for_load_state()
    assert full.evaluate("document.documentElement.lang") == "sv"
    text = full.locator("main").inner_text()
    assert score in text and "Ditt svar" in text and "Kursledarens kommentar" in text
    assert ANSWERS[who][0].split("<")[0].strip() in text
    if who == "sara-oz":
        assert "<script>alert(1)</script>" in text  # her text, shown as typed
    if who == "asa-lindstrom":
        assert full.locator("main strong", has_text="Bra").count() == 1
    assert full.evaluate("document.documentElement.scrollWidth") <= 390
    assert full.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    shots(full, f"feedback-{who}")
    context.close()


def test_the_run_logs_hold_no_traceback(day):
    session = day["session"]
    os.killpg(session.pid, signal.SIGINT)  # Ctrl-C in the facilitator's terminal
    session.wait(60)
    logs = day["clone"] / ".innokraft" / "logs"
    texts = {p.name: p.read_text() for p in (day["log"], day["session_log"], logs / "course.log",
                                             logs / "formgrader.log")}
    assert "Kursen och formgrader är stoppade." in texts[day["session_log"].name]
    for name, text in texts.items():
        for noise in ("Traceback", "SAWarning", "KeyboardInterrupt", "ZMQError"):
            assert noise not in text, f"{name}: {noise}\n{text[-3000:]}"
