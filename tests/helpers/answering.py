"""How a test answers on a course page, as a leader would: by the visible words."""

from __future__ import annotations


def choose(page, question: str, option: str) -> None:
    """Pick an option of the radio group whose visible question holds `question`."""
    group = page.locator(".widget-radio", has=page.locator(".widget-label", has_text=question))
    group.get_by_label(option, exact=True).check()


def answer_quiz(page, question: str, option: str, check: str) -> None:
    """Pick an option of a quiz question, press its check button and wait for the verdict."""
    item = page.locator(".innokraft-quiz-item", has=page.locator(".widget-label", has_text=question))
    item.get_by_label(option, exact=True).check()
    item.get_by_role("button", name=check).click()
    item.locator(".innokraft-correct, .innokraft-wrong").wait_for()
