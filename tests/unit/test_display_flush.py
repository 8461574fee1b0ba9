"""A page's outputs skip the empty stream flushes, and printed text still comes before the
output that follows it (innokraft.display_flush). In a real kernel."""

from tests.unit.test_page_comms import run


def test_printed_text_still_comes_before_the_next_output(kernel):
    sent, printed = run(kernel, "from innokraft import display_flush\ndisplay_flush.install()\n"
                                "from IPython.display import HTML, display\n"
                                "print('first')\ndisplay(HTML('<p>second</p>'))\nprint('third')")
    assert sent.index("stream") < sent.index("display_data") < len(sent) - 1 - sent[::-1].index("stream")
    assert printed.split() == ["first", "third"]


def test_an_output_with_nothing_printed_waits_on_no_flush(kernel):
    run(kernel, "from innokraft import display_flush\ndisplay_flush.install()\n"
                "import sys\nfrom IPython.display import HTML, display\n"
                "calls = []\nflush = type(sys.stdout).flush\n"
                "type(sys.stdout).flush = lambda self: (calls.append(1), flush(self))[1]\n"
                "try:\n    display(HTML('<p>a</p>'))\n    display(HTML('<p>b</p>'))\n"
                "finally:\n    type(sys.stdout).flush = flush")
    _sent, flushes = run(kernel, "print(len(calls))")
    assert flushes == "0"
