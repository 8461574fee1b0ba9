"""`make bench` measures pages with these probes: they must work on a real course page, under
its CSP (a polled expression needed eval, which the page refuses, and the bench broke).

With a learner of its own on the shared server: the slider probe moves (and so saves) its
learner's first guess, which the learner-journey test expects untouched for the demo learner."""

from __future__ import annotations

from benchmarks.pages import NOTEBOOK, PHASES, _kernel_id, _slider_ms, _visit


def test_the_bench_probes_read_a_real_page(server, browser):
    server.add_learner("bench-learner")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(180_000)
    page, rendered_s = _visit(context, server.page_link("bench-learner", NOTEBOOK, "sv"))
    phases = page.evaluate(PHASES)
    kernel = _kernel_id(page)
    slider = _slider_ms(page)
    context.close()
    assert 0 < phases["html_ms"] <= phases["connect_ms"] <= phases["models_ms"] <= phases["drawn_ms"]
    assert phases["drawn_ms"] / 1000 <= rendered_s
    assert kernel and slider is not None and slider > 0
