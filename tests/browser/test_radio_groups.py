"""Radio buttons as groups (issue 22): every option belongs to a group named by its question, the
group is one tab stop and the arrow keys move inside it; a quiz question locks once checked, with
the answer the leader saw when they pressed the button, however busy the kernel was."""

from __future__ import annotations

from playwright.sync_api import expect

from innokraft.course.load import course_and_texts
from tests.browser.conftest import kernel_id, kernel_process, poll, returning_page, wait_interactive, wait_still
from tests.conftest import REPO

COURSE, TEXTS = course_and_texts(REPO / "course_config")

GROUPS = """() => [...document.querySelectorAll('input[type=radio]')].map(input => {
  const group = input.closest('[role=radiogroup]');
  const label = group && document.getElementById(group.getAttribute('aria-labelledby') || '');
  return {name: input.name, group: group ? group.getAttribute('aria-labelledby') : null,
          question: label ? label.textContent.trim() : ''};
})"""


def test_every_radio_is_in_a_named_group_with_one_tab_stop(server, tabs):
    who = "radio-groups"
    server.add_learner(who, lang="sv")
    page = returning_page(tabs, server.url)
    page.set_default_timeout(90_000)
    page.goto(server.page_link(who, "01_why_innovate.ipynb", "sv"))
    wait_interactive(page, exercises=4)
    wait_still(page)
    radios = page.evaluate(GROUPS)
    assert len(radios) > 40
    assert all(r["group"] and r["question"] and r["name"] for r in radios), [r for r in radios if not r["name"]][:3]
    by_group = {}
    for r in radios:
        by_group.setdefault(r["group"], set()).add(r["name"])
    assert all(len(names) == 1 for names in by_group.values())  # one name per group: one tab stop
    assert len({next(iter(n)) for n in by_group.values()}) == len(by_group)  # and no two groups share one

    # By keyboard: into the first quiz question, an arrow moves inside it, Tab leaves it.
    item = COURSE.modules[0].quiz[0]
    question = TEXTS["sv"][f"m1.quiz.{item.id}.question"]
    group = page.locator(".innokraft-quiz-item", has=page.locator(".widget-label", has_text=question))
    group.locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowDown")
    assert group.locator("input[type=radio]").nth(1).is_checked()
    # The kernel enables the check button once it has the choice; Tab waits for it as a reader would.
    group.get_by_role("button", name=TEXTS["sv"]["ui.quiz.check"]).and_(page.locator(":enabled")).wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") != "radio"  # the check button, not the next option
    assert page.evaluate("document.activeElement.textContent") == TEXTS["sv"]["ui.quiz.check"]

    # Back into the group and on by two arrows while the kernel is busy (frozen here, as a kernel on
    # a loaded machine is slow): the first move is sent, ipywidgets holds the second back until the
    # kernel is idle, and the check is pressed at once. The kernel checks the answer on screen, not
    # the one it heard last (the held-back change goes before the click).
    check = group.get_by_role("button", name=TEXTS["sv"]["ui.quiz.check"])
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.type") == "radio"
    kernel = kernel_process(server, kernel_id(page))
    kernel.suspend()
    try:
        page.keyboard.press("ArrowDown")  # option 2, sent
        page.keyboard.press("ArrowUp")  # back to option 1, held back while the kernel is busy
        assert group.locator("input[type=radio]").nth(1).is_checked()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == TEXTS["sv"]["ui.quiz.check"]
        page.keyboard.press("Enter")
    finally:
        kernel.resume()
    verdict = "innokraft-correct" if item.correct == 1 else "innokraft-wrong"
    group.locator(f".{verdict}").wait_for()
    first = poll(lambda: server.store.answers(who).get("m1.quiz", {}).get("first", {}).get(item.id), seconds=20)
    assert first == {"choice": 1, "correct": item.correct == 1}

    # The kernel's answer comes as widget updates: wait for each state, as a reader sees it arrive.
    options = group.locator("input[type=radio]")
    for i in range(options.count()):
        expect(options.nth(i)).to_be_disabled()
    expect(check).to_be_hidden()
    expect(options.nth(1)).to_be_checked()
    page.reload()
    wait_interactive(page, exercises=4)
    # After a reload the saved answer is restored by the new kernel: checked and locked.
    expect(options.nth(1)).to_be_checked()
    expect(options.first).to_be_disabled()
    page.close()
