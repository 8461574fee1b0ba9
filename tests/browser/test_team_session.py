"""A leader runs M1's barometer with their team (issue 24), against a real `innokraft serve`.

The leader opens a team session on the M1 page; six team members answer on phones (390×844,
browser contexts of their own); the leader's page says "Väntar på svar (4 av 5)" after four and
shows the team's result after the fifth (waited for: the time it takes is the benchmark's,
benchmarks/team.py), the barometer's feedback and the reflections use it. A member's second send
replaces the first. A team link opens no learner page and no other session, and takes nothing
once the leader has closed the session. axe-core finds nothing on the member form or the leader's
view at 390×844, and every control of the form is a 44×44 px target.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.browser.a11y import axe_violations, format_violations, full_screenshot, horizontal_overflow, small_targets
from tests.browser.conftest import COURSE, wait_interactive, wait_still
from tests.browser.page_checks import watch_idle
from tests.helpers.learners import Cohort

PHONE = {"width": 390, "height": 844}
BAROMETER = COURSE.team_sessions.find("m1.unit_barometer")
# Each member's answers: time hinders (the team's biggest barrier), citizens' needs help most.
TIME = [-3, -2, -2, -1, -1, 3]
OTHERS = {"citizen_needs": 3, "rules": -1}


def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sv-SE")
    context.set_default_timeout(60_000)
    return context, context.new_page()


def answer_form(page, time: int) -> None:
    for item in BAROMETER.items:
        value = time if item == "time" else OTHERS.get(item, 1)
        page.locator(f'input[name="{item}"][value="{value}"]').check()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för dina svar!")


def accessible(page, name: str, folder) -> dict:
    wait_still(page, quiet_ms=300)
    found = {"axe": axe_violations(page), "overflow": horizontal_overflow(page), "small": small_targets(page)}
    full_screenshot(page, folder / f"team-{name}.png")
    (folder / f"axe-team-{name}.json").write_text(json.dumps(found, indent=2, ensure_ascii=False))
    return found


def test_a_leader_runs_the_barometer_with_their_team(server, browser, output_dir):
    folder = output_dir / "accessibility"
    folder.mkdir(parents=True, exist_ok=True)
    server.add_learner("team-leader", lang="sv")
    # The leader's own rating, as the barometer saved it: time helps, in the leader's eyes.
    server.store.save_answer("team-leader", "m1.unit_barometer", {"time": 2, "citizen_needs": 1})
    leader_context, leader = phone(browser)
    leader_context.set_default_timeout(180_000)
    leader.goto(server.page_link("team-leader", "01_why_innovate.ipynb", "sv"))
    wait_interactive(leader, exercises=3, timeout_ms=180_000)
    team = leader.locator(".innokraft-team")
    team.get_by_label("Formuläret stänger efter").select_option(label="15 minuter")
    team.get_by_role("button", name="Öppna en teamsession").click()
    status = team.locator(".innokraft-team-status")
    expect(status).to_have_text("Väntar på svar (0 av 5)")
    link = team.locator(".innokraft-team-link a").get_attribute("href")
    assert re.fullmatch(re.escape(server.url) + r"innokraft/team/[\w.-]+", link)
    assert team.locator(".innokraft-team-qr svg").count() == 1
    assert team.get_by_role("img", name="QR-kod till teamets formulär").count() == 1

    members = [phone(browser) for _ in range(6)]
    first = members[0][1]
    response = first.goto(link)
    assert response.status == 200 and response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    form = accessible(first, "member-form-sv", folder)
    assert form["axe"] == [], format_violations(form["axe"])
    assert form["overflow"] == [] and form["small"] == [], form
    assert first.locator("script").count() == 0 and first.locator("input[type=text], textarea").count() == 0

    for n, (_context, member) in enumerate(members[:4]):
        if n:
            member.goto(link)
        answer_form(member, TIME[n])
    expect(status).to_have_text("Väntar på svar (4 av 5)")
    assert team.locator(".innokraft-team-table").count() == 0  # four answers: nothing to read yet

    members[4][1].goto(link)
    answer_form(members[4][1], TIME[4])
    expect(status).to_have_text("5 svar har kommit in.")
    table = team.locator(".innokraft-team-table table")
    expect(table).to_be_visible()
    # Time, from −3 to +3: one −3, two −2, two −1.
    assert table.locator("tbody tr").first.locator("td").all_inner_texts() == ["1", "2", "2", "0", "0", "0", "0"]
    feedback = leader.locator(".innokraft-key-m1\\.unit_barometer .innokraft-feedback")
    expect(feedback).to_contain_text("Teamets största hinder (5 svar): Tid i vardagen, i snitt −1,8.")
    expect(feedback).to_contain_text("Teamets största tillgång: Behoven hos dem vi är till för, i snitt +3,0.")
    expect(feedback).to_contain_text("Ni ser mest olika på Tid i vardagen: du gav +2, teamet i snitt −1,8.")
    expect(leader.locator(".innokraft-team-note")).to_contain_text(
        "Ditt team har svarat på barometern (5 svar). Teamets största hinder är Tid i vardagen.")

    # The sixth member sends twice: the second replaces the first.
    sixth_context, sixth = members[5]
    sixth.goto(link)
    answer_form(sixth, 1)
    expect(status).to_have_text("6 svar har kommit in.")
    sixth.get_by_role("link", name="Ändra mina svar").click()
    expect(sixth.get_by_text("Du har redan svarat från den här enheten.")).to_be_visible()
    assert sixth.locator('input[name="time"][value="1"]').is_checked()
    answer_form(sixth, TIME[5])
    expect(table.locator("tbody tr").first.locator("td")).to_have_text(["1", "2", "2", "0", "0", "0", "1"])
    expect(status).to_have_text("6 svar har kommit in.")
    cookie = next(c for c in sixth_context.cookies() if c["name"] == "ik_team")
    assert cookie["path"] == urlparse(link).path and cookie["httpOnly"]  # this link's path only

    # Open and unanswered, the session is asked about every second by the page's kernel: the
    # page itself changes nothing and asks nothing.
    settled, changes, requests = watch_idle(leader)
    assert settled and changes == [] and requests == [], (changes, requests)
    team.screenshot(path=str(folder / "team-leader-part-sv.png"))
    view = accessible(leader, "leader-view-sv", folder)
    assert view["axe"] == [], format_violations(view["axe"])
    assert view["overflow"] == [], view["overflow"]

    # A team link opens no learner page: its token is no personal link, and the member's
    # cookie is sent nowhere else.
    token = urlparse(link).path.rsplit("/", 1)[1]
    sixth.goto(f"{server.url}voila/render/01_why_innovate.ipynb?t={token}&lang=sv")
    wait_interactive(sixth, timeout_ms=180_000)
    expect(sixth.locator(".innokraft-error")).to_contain_text("Länken fungerar inte")
    assert sixth.locator(".innokraft-team").count() == 0
    # Nor another session: another leader's (M3's portfolio, in English) has its own form, where
    # this device has not answered, and a link made up from this one is unknown.
    server.add_learner("team-other", lang="en")
    other = Cohort(server.settings).call("team-other", "team_open", exercise="m3.portfolio_mapper",
                                         minutes=15, lang="en")["team"]["link"]
    sixth.goto(other)
    expect(sixth.get_by_role("heading", level=1)).to_have_text("Where does our development time go?")
    assert sixth.get_by_text("already answered").count() == 0 and sixth.locator("input:checked").count() == 0
    m3_form = accessible(sixth, "member-form-m3-en", folder)
    assert m3_form["axe"] == [], format_violations(m3_form["axe"])
    assert m3_form["overflow"] == [] and m3_form["small"] == [], m3_form
    forged = sixth.goto(link[:-6] + "AAAAAA")
    assert forged.status == 404
    expect(sixth.get_by_role("heading", level=1)).to_have_text("Länken fungerar inte")

    # The leader closes the session: the link takes nothing more, the result stays.
    team.get_by_role("button", name="Stäng teamsessionen").click()
    expect(status).to_have_text("Teamsessionen är stängd. 6 svar kom in.")
    expect(team.get_by_role("button", name="Öppna en ny teamsession")).to_be_visible()
    expect(table).to_be_visible()
    closed = first.goto(link)
    assert closed.status == 410
    expect(first.get_by_role("heading", level=1)).to_have_text("Formuläret är stängt")
    posted = first.request.post(link, form={item: "0" for item in BAROMETER.items}, max_redirects=0)
    assert posted.status == 410
    # The refused requests were logged (4xx), the team link's token in none of the lines.
    assert token[:30] not in server.log.read_text()
    session = server.store.engine
    with session.connect() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM team_answers a JOIN team_sessions s "
                                     "ON a.session_id = s.id WHERE s.learner_id = 'team-leader'").scalar()
    assert count == 6
    for context, _page in members:
        context.close()
    leader_context.close()
