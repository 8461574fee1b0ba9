"""How a test works a course page by keyboard alone, as a leader without a mouse does: Tab to a
control, Space and the arrows in a group, Enter on a button, typed text."""

from __future__ import annotations

from playwright.sync_api import expect


def focused_inside(locator) -> bool:
    return locator.evaluate("(el) => el === document.activeElement || el.contains(document.activeElement)")


def tab_to(page, target, most: int = 80) -> None:
    """Press Tab until the focus is on (or inside) `target`: how a keyboard user gets there."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if focused_inside(target):
            return
    raise AssertionError(f"{most} presses of Tab never reached {target}")


def choose_by_keyboard(page, group, index: int) -> None:
    """Into an unanswered radio group (its first option takes the focus), then to option `index`:
    Space checks the first, each arrow moves on and checks the next."""
    tab_to(page, group)
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    expect(group.locator("input[type=radio]").nth(index)).to_be_checked()


def answer_items(page, exercise, t: dict, items) -> None:
    """Each question of a quiz (or of the retrieval) answered by keyboard and checked with Enter."""
    for n, item in enumerate(items):
        question = exercise.locator(".innokraft-quiz-item").nth(n)
        choose_by_keyboard(page, question.locator(".widget-radio"), item.correct)
        check = question.get_by_role("button", name=t["ui.quiz.check"])
        expect(check).to_be_enabled()  # the kernel has the choice
        page.keyboard.press("Tab")
        assert focused_inside(check)
        page.keyboard.press("Enter")
        question.locator(".innokraft-correct").wait_for()


def guess_by_keyboard(page, hook, box, value: str, reveal: str) -> None:
    """A prediction's guess typed into its empty box, then revealed with Enter on its button
    (`reveal`, its visible name), which the kernel enables once it has the guess."""
    assert box.input_value() == ""
    tab_to(page, box)
    page.keyboard.type(value)
    button = hook.get_by_role("button", name=reveal)
    expect(button).to_be_enabled()
    page.keyboard.press("Tab")
    assert focused_inside(button)
    page.keyboard.press("Enter")
