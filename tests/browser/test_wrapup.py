"""The course's closing page in a real browser, as a leader who has done every module meets it:
the start page lists it ninth and leads there; the statements of M1, M2 and M8 are rated again by
keyboard alone, nothing earlier shows until a part is rated, then then-beside-now in one figure and
one table, the practice cards for the two weakest skills; the initiative typed in M1 heads its
journey; the ninety-day plan downloads as a text file and prints alone; the certificate downloads
from the page and `innokraft verify` accepts its code. The answered page
has no axe-core violations at desktop, 390×844 and 320 px wide and does not scroll sideways. (The untouched
page in both languages: test_every_page.py.)"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from innokraft.core.certificate_codes import pretty
from innokraft.course.load import course_and_texts
from innokraft.course.model import THREAD_KEY
from innokraft.course.progress import module_items
from innokraft.store.certificates import certificates_of
from tests.browser.a11y import DESKTOP, PHONE, check_layout
from tests.browser.conftest import poll, wait_interactive, wait_still
from tests.conftest import REPO
from tests.helpers.keyboard import choose_by_keyboard
from tests.helpers.learners import Cohort
from widgets.then_now import instruments

COURSE, TEXTS = course_and_texts(REPO / "course_config")
BAROMETER, SKILLS, CAPABILITY = instruments(REPO / "course_config")
INITIATIVE = "Läsombud på varje avdelning <i>i förskolan</i>"
# Then: M1's barometer −2 throughout; M2's first profile 2 (storytelling 1), later all 5; M8's first 3, later 5.
FIRST_SKILLS = {i: 1 if SKILLS.groups[i] == "storytelling" else 2 for i in SKILLS.items}
# Now, as option indexes: +1 on the barometer, 4 for every skill, 3 for every statement of M8.
NOW = {"barometer": 4, "skills": 3, "capability": 2}
NARROW = {"width": 320, "height": 740}
STOP = "Möten utan <em>syfte</em>"


def test_a_leader_closes_the_course_on_the_wrap_up_and_takes_the_certificate(server, browser, shots):
    who, t = "closer", TEXTS["sv"]
    server.add_learner(who, name="Dana Ek", lang="sv")
    cohort = Cohort(server.settings)
    cohort.call(who, "save", key=THREAD_KEY, value={"text": INITIATIVE, "module": "m1", "on": "2026-09-01",
                                                    "history": []})
    cohort.call(who, "save", key="m1.unit_barometer", value={f: -2 for f in BAROMETER.items})
    cohort.call(who, "save", key="m2.skills_profile", value={
        "ratings": {i: 5 for i in SKILLS.items}, "moved": SKILLS.items, "first": {"ratings": FIRST_SKILLS}})
    cohort.call(who, "save", key="m8.capability_profile", value={  # its first ratings are "then"
        "ratings": {i: 5 for i in CAPABILITY.items}, "first": {i: 3 for i in CAPABILITY.items}})
    for module in COURSE.modules:
        for item in module_items(module):
            cohort.call(who, "done", page=module.id, item=item)

    # The start page: nine pages listed, the wrap-up last and not begun; its one action leads there.
    page = browser.new_page(viewport=DESKTOP, accept_downloads=True)
    page.set_default_timeout(90_000)
    page.goto(server.page_link(who, COURSE.start_notebook, "sv"), wait_until="commit", timeout=180_000)
    wait_interactive(page, timeout_ms=180_000)
    listed = page.locator("li.innokraft-module")
    expect(listed).to_have_count(len(COURSE.modules) + 1)
    closing = listed.last
    assert closing.get_attribute("data-module") == "wrapup" and closing.get_attribute("data-state") == "not_started"
    assert f"{t['start.wrapup.label']}: {t['wrapup.title']}" in closing.inner_text()
    action = page.locator(".innokraft-next a.innokraft-primary")
    assert action.inner_text() == t["start.next.wrapup"].format(title=t["wrapup.title"])
    action.click()
    page.wait_for_url("**/09_wrapup.ipynb**")
    wait_interactive(page, timeout_ms=180_000)
    then_now = page.locator(".innokraft-key-wrapup\\.then_now")
    then_now.wait_for()
    wait_still(page)
    assert page.locator("h1").inner_text() == t["wrapup.title"]
    # Nothing earlier shows before the leader has answered: no figure, no table, nothing preset.
    expect(then_now.locator("input[type=radio]:checked")).to_have_count(0)
    expect(then_now.locator("table")).to_have_count(0)
    assert not then_now.locator("svg.ik-chart").is_visible()

    # Every statement again, by keyboard alone, in the modules' own words.
    groups = then_now.locator(".widget-radio")
    expect(groups).to_have_count(len(BAROMETER.items) + len(SKILLS.items) + len(CAPABILITY.items))
    n = 0
    for ins in (BAROMETER, SKILLS, CAPABILITY):
        for item in ins.items:
            group = groups.nth(n)
            n += 1
            assert t[f"{ins.item_texts}.{item}"] in group.inner_text()
            choose_by_keyboard(page, group, NOW[ins.id])
        if ins is BAROMETER:
            # The barometer rated again: its comparison, before the other parts are done.
            then_now.get_by_text("från −2 till +1").wait_for()
    time = t["m1.unit_barometer.factors.time"]
    feedback = then_now.locator(".innokraft-feedback")
    expect(feedback).to_contain_text("störst förändring för Berätta, från 1,0 till 4,0")
    expect(feedback).to_contain_text("samma resultat som i modul 8")
    expect(then_now.locator(".innokraft-card").first).to_contain_text("Berätta")
    # The table, folded under the figure, opens by keyboard: every statement word for word. It
    # stays open when an answer changes and the kernel sends the table again.
    summary = then_now.get_by_text(t["wrapup.then_now.table_show"])
    summary.focus()
    page.keyboard.press("Enter")
    last_row = then_now.locator("table tr").last
    expect(last_row).to_contain_text(t[f"m8.capability_profile.items.{CAPABILITY.items[-1]}"])
    expect(last_row).to_contain_text("33")  # then 3, now 3, no change (the cells run together)
    last_group = groups.last
    last_group.locator("input:checked").focus()
    page.keyboard.press("ArrowDown")
    expect(last_row.locator("td").nth(1)).to_have_text("4")
    expect(then_now.locator("details.innokraft-table-details")).to_have_attribute("open", "")
    page.keyboard.press("ArrowUp")
    expect(last_row.locator("td").nth(1)).to_have_text("3")
    chart = then_now.locator("svg.ik-chart")
    assert f"{time}: då −2, nu +1" in chart.get_attribute("aria-label")
    expected = {"barometer": {f: 1 for f in BAROMETER.items}, "skills": {i: 4 for i in SKILLS.items},
                "capability": {i: 3 for i in CAPABILITY.items}}
    assert poll(lambda: server.store.answers(who).get("wrapup.then_now") == expected, seconds=30)
    assert poll(lambda: server.store.has_event(who, "wrapup", "exercise_done", "then_now"), seconds=30)
    chart.scroll_into_view_if_needed()
    shots(page, "wrapup-answered")
    check_layout(page, "the wrap-up answered (sv)", sizes=(DESKTOP, PHONE, NARROW))

    # The initiative typed in M1 heads its journey through the modules, as text, never as markup.
    journey = page.locator(".innokraft-journey")
    assert INITIATIVE in journey.inner_text() and journey.locator("i").count() == 0

    # The ninety-day plan goes home as a text file the browser makes (no server route), with the
    # leader's words as typed and the course's answers beside them; and it prints alone.
    page.set_viewport_size(DESKTOP)
    page.get_by_label(t["wrapup.plan.fields.stop_doing"]).fill(STOP)
    page.locator(".innokraft-key-wrapup\\.plan .innokraft-save-saved").wait_for()
    wait_still(page)
    link = page.get_by_role("link", name=t["wrapup.plan.download_text"], exact=True)
    assert link.get_attribute("download") == t["wrapup.plan.file_name"]
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == t["wrapup.plan.file_name"]
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith(t["wrapup.plan.title"] + "\n") and INITIATIVE in text and STOP in text
    assert "Dag 30: " in text
    page.get_by_role("button", name=t["wrapup.plan.download"], exact=True).wait_for()
    page.evaluate("() => document.body.classList.add('innokraft-printing-plan')")
    page.emulate_media(media="print")
    sheet = page.locator(".innokraft-plan-sheet")
    assert sheet.is_visible() and STOP in sheet.inner_text() and INITIATIVE in sheet.inner_text()
    assert not journey.is_visible() and not page.get_by_label(t["wrapup.plan.fields.stop_doing"]).is_visible()
    assert page.locator(".innokraft-plan-sheet em, .innokraft-plan-sheet i").count() == 0
    page.evaluate("() => document.body.classList.remove('innokraft-printing-plan')")
    page.emulate_media(media="screen")

    # The certificate, from the wrap-up: the PDF with the code the store recorded, which verify accepts.
    button = page.get_by_role("link", name=t["wrapup.certificate.download"])
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == f"intyg-{who}.pdf"
    (row,) = certificates_of(server.store, who)
    text = PdfReader(download.value.path()).pages[0].extract_text()
    assert "Dana Ek" in text and pretty(row.code) in text
    verified = server.cli("verify", pretty(row.code))
    assert verified.returncode == 0 and "Namn: Dana Ek" in verified.stdout
    page.close()
