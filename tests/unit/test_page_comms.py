"""While Voilà writes a page, its widgets send nothing; a browser's first message, or the
page's written state, lets them speak again (innokraft.page_comms). In a real kernel."""

import queue


def run(kc, code: str) -> tuple[list[str], str]:
    """Execute code; the message types it sent on iopub, and what it printed."""
    msg_id = kc.execute(code)
    types, printed = [], ""
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind == "error":
            raise AssertionError("\n".join(msg["content"]["traceback"]))
        types.append(kind)
        if kind == "stream":
            printed += msg["content"]["text"]
    return types, printed.strip()


def from_browser(kc, msg_type: str, content: dict, metadata: dict | None = None) -> None:
    kc.shell_channel.send(kc.session.msg(msg_type, content, metadata=metadata))


def test_a_widget_made_while_the_page_is_written_sends_nothing_yet_hears_the_browser(kernel):
    sent, model_id = run(kernel, "from innokraft.kernel.patches import comms as page_comms\npage_comms.hold()\n"
                                 "import ipywidgets as w\nquiet = w.IntSlider(value=1)\nquiet.value = 2\n"
                                 "print(quiet.model_id)")
    assert "comm_open" not in sent and "comm_msg" not in sent
    # The browser attached to the comm from the page's state moves the slider.
    from_browser(kernel, "comm_msg", {"comm_id": model_id, "data": {
        "method": "update", "state": {"value": 5}, "buffer_paths": []}})
    _sent, value = run(kernel, "import time\nfor _ in range(100):\n    if quiet.value == 5: break\n"
                               "    time.sleep(0.05)\nprint(quiet.value)")
    assert value == "5"
    # The browser is there: what is made or changed from now on reaches it.
    sent, _ = run(kernel, "quiet.value = 7\nloud = w.IntSlider()")
    assert sent.count("comm_msg") == 1 and sent.count("comm_open") == 3  # the slider, its layout, its style


def test_once_the_page_state_is_written_widgets_speak(kernel):
    sent, _ = run(kernel, "from innokraft.kernel.patches import comms as page_comms\n"
                          "import ipywidgets as w\npage_comms.hold()\n"
                          "before = w.IntSlider()\npage_comms.release()\nbefore.value = 4\nafter = w.Label()")
    assert sent.count("comm_msg") == 1 and sent.count("comm_open") == 3


def test_a_page_without_its_state_output_gets_the_states_when_its_browser_asks(kernel):
    # A page whose cells failed has no state output: its browser asks (widgets' control comm).
    run(kernel, "from innokraft.kernel.patches import comms as page_comms\n"
                          "import ipywidgets as w\npage_comms.hold()\n"
                "asked = w.IntSlider(value=3)")
    from_browser(kernel, "comm_open", {"comm_id": "control-1", "target_name": "jupyter.widget.control",
                                       "data": {}}, metadata={"version": "1.0.0"})
    from_browser(kernel, "comm_msg", {"comm_id": "control-1", "data": {"method": "request_states"}})
    deadline = 50
    while deadline:
        try:
            msg = kernel.get_iopub_msg(timeout=1)
        except queue.Empty:
            deadline -= 1
            continue
        if msg["msg_type"] == "comm_msg" and msg["content"]["data"].get("method") == "update_states":
            states = msg["content"]["data"]["states"]
            assert any(s["state"].get("value") == 3 for s in states.values())
            break
    else:
        raise AssertionError("the kernel never answered the browser's request for the widgets' states")
    # The browser's first message to a widget (a leader's first touch) lets the widgets speak.
    _sent, model_id = run(kernel, "print(asked.model_id)")
    from_browser(kernel, "comm_msg", {"comm_id": model_id, "data": {
        "method": "update", "state": {"value": 4}, "buffer_paths": []}})
    sent, _ = run(kernel, "import time\nfor _ in range(100):\n    if asked.value == 4: break\n"
                          "    time.sleep(0.05)\nasked.max = 50")
    assert sent.count("comm_msg") == 1
