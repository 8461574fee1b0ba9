"""Answers and comments on the feedback pages: shown exactly as typed, Markdown in comments rendered."""

from innokraft.course.markdown import answer_html, comment_html
from innokraft.grading.exchange import escape_answer

TYPED = "We tried <script>alert(1)</script> & **not bold** [x](javascript:y) &lt; literally\nnext line"


def test_an_answer_reads_exactly_as_typed():
    out = answer_html(escape_answer(TYPED))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "<script" not in out
    assert "&amp; **not bold** [x](javascript:y) &amp;lt; literally" in out
    assert "<strong>" not in out and "href" not in out and "<br />" in out


def test_a_comment_renders_markdown_and_shows_html_as_text():
    out = comment_html("**Next time** name *who*.\nSecond line <b>x</b> [y](javascript:z)")
    assert "<strong>Next time</strong>" in out and "<em>who</em>" in out and "<br />" in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out and 'href="javascript' not in out
