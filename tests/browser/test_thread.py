"""One initiative through the course (issue 23): named in M1, shown in the later modules with what
each asks of it and on the start page; rewritten in M3, the M1 sentence stays in view. The text
is the leader's own, so it is shown as text, never as markup."""

from __future__ import annotations

from innokraft.course.load import course_and_texts
from innokraft.course.model import THREAD_KEY
from tests.browser.conftest import poll, returning_page, wait_interactive, wait_still
from tests.conftest import REPO

COURSE, TEXTS = course_and_texts(REPO / "course_config")
T = TEXTS["sv"]
FIRST = "Digitala signeringar i hemtjänsten <b>fet</b>"
SECOND = "Digitala signeringar i hemtjänsten, först i två grupper"


def open_module(page, server, who: str, module_id: str) -> None:
    page.goto(server.page_link(who, COURSE.module(module_id).notebook, "sv"))
    wait_interactive(page, exercises=2)
    wait_still(page)


def shown(page) -> str:
    return page.locator(".innokraft-initiative .innokraft-initiative-text").inner_text().strip()


def test_an_initiative_named_in_m1_is_carried_through_the_course(server, tabs):
    who = "thread-leader"
    server.add_learner(who, lang="sv")
    thread = COURSE.thread
    assert thread.named_in == "m1" and {"m3", "m4"} <= set(thread.used_in)
    page = returning_page(tabs, server.url)
    page.set_default_timeout(90_000)

    open_module(page, server, who, "m1")
    page.get_by_label(T["parts.thread.label"]).fill(FIRST)
    page.locator(".innokraft-initiative .innokraft-save-saved").wait_for()

    open_module(page, server, who, "m2")
    assert shown(page) == FIRST
    assert f"”{FIRST}”" in page.locator(".innokraft-task").inner_text()  # the workplace task asks about it

    open_module(page, server, who, "m3")
    assert shown(page) == FIRST  # the leader's words as text: the <b> is shown, not obeyed
    assert page.locator(".innokraft-initiative b").count() == 0
    assert T["m3.thread"].split("{")[0].strip()[:30] in page.locator(".innokraft-initiative").inner_text()
    page.get_by_role("button", name=T["parts.thread.edit"]).click()
    box = page.get_by_label(T["parts.thread.label"])
    assert box.input_value() == FIRST
    box.fill(SECOND)
    page.locator(".innokraft-initiative .innokraft-save-saved").wait_for()
    saved = poll(lambda: (server.store.answers(who).get(THREAD_KEY) or {}).get("text") == SECOND, seconds=30)
    assert saved
    value = server.store.answers(who)[THREAD_KEY]
    assert value["module"] == "m3" and [h["text"] for h in value["history"]] == [FIRST]

    open_module(page, server, who, "m4")
    assert shown(page) == SECOND
    earlier = page.locator(".innokraft-initiative details")
    earlier.locator("summary").click()
    assert T["parts.thread.version"].format(module=T["ui.module_number"].format(number=1), text=FIRST) \
        in earlier.inner_text()

    page.goto(server.page_link(who, "00_start.ipynb", "sv"))
    wait_interactive(page)
    start = page.locator(".innokraft-thread")
    assert start.locator(".innokraft-initiative-text").inner_text().strip() == SECOND
    assert start.locator("li").count() == 1 + len(thread.used_in)
    page.close()
