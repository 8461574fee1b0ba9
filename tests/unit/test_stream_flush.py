"""A page's kernel skips the empty stream flushes, and printed text still comes before the
output that follows it (innokraft.stream_flush). In a real kernel."""

from tests.unit.test_page_comms import run


def test_printed_text_still_comes_before_the_next_output(kernel):
    sent, printed = run(kernel, "from innokraft.kernel.patches import streams as stream_flush\nstream_flush.install()\n"
                                "from IPython.display import HTML, display\n"
                                "print('first')\ndisplay(HTML('<p>second</p>'))\nprint('third')")
    assert sent.index("stream") < sent.index("display_data") < len(sent) - 1 - sent[::-1].index("stream")
    assert printed.split() == ["first", "third"]


def test_outputs_and_cells_with_nothing_printed_wait_on_no_flush(kernel):
    run(kernel, "from innokraft.kernel.patches import streams as stream_flush\nstream_flush.install()\n"
                "import sys\nfrom IPython.display import HTML, display\n"
                "calls = []\nflush = type(sys.stdout)._flush\n"
                "type(sys.stdout)._flush = lambda self: (calls.append(1), flush(self))[1]\n"
                "display(HTML('<p>a</p>'))\ndisplay(HTML('<p>b</p>'))")
    run(kernel, "x = 1")  # a cell that prints nothing
    _sent, flushes = run(kernel, "type(sys.stdout)._flush = flush\nprint(len(calls))")
    assert flushes == "0"
