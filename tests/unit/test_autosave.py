from __future__ import annotations

import asyncio

from innokraft.autosave import Autosaver


def test_without_a_loop_every_change_is_written_at_once():
    written, states = [], []
    saver = Autosaver(lambda k, v: written.append((k, v)), lambda k, s: states.append(s))
    saver.changed("a", 1)
    saver.changed("a", 2)
    assert written == [("a", 1), ("a", 2)] and states[-1] == "saved"


def test_with_a_loop_changes_are_debounced_to_the_newest_value():
    written = []

    async def scenario():
        saver = Autosaver(lambda k, v: written.append((k, v)), lambda k, s: None, delay=0.05)
        for i in range(10):
            saver.changed("text", i)
        saver.changed("other", "x")
        assert written == []
        await asyncio.sleep(0.2)

    asyncio.run(scenario())
    assert sorted(written) == [("other", "x"), ("text", 9)]


def test_a_failed_write_keeps_the_answer_pending():
    calls = {"n": 0}
    written, states = [], []

    def flaky(key, value):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("database is locked")
        written.append((key, value))

    saver = Autosaver(flaky, lambda k, s: states.append(s))
    saver.changed("r", "draft")
    assert states[-1] == "failed" and saver.pending == {"r": "draft"}
    saver.flush()
    assert written == [("r", "draft")] and saver.pending == {} and states[-1] == "saved"
