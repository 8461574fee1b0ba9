"""`make bench` measures pages with these probes: they must work on a real course page, under
its CSP (a polled expression needed eval, which the page refuses, and the bench broke).

On a server of its own: the slider probe moves (and so saves) the demo learner's first guess,
which the learner-journey test on the shared server expects untouched."""

from __future__ import annotations

import pytest

from benchmarks.pages import NOTEBOOK, PHASES, _kernel_id, _slider_ms, _visit
from tests.browser.conftest import start_server, stop_server


@pytest.fixture(scope="module")
def bench_server(tmp_path_factory, output_dir):
    srv = start_server(tmp_path_factory.mktemp("bench"), output_dir, "bench", wait=240)
    yield srv
    stop_server(srv)


def test_the_bench_probes_read_a_real_page(bench_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(180_000)
    page, rendered_s = _visit(context, bench_server.page_link("demo-learner", NOTEBOOK, "sv"))
    phases = page.evaluate(PHASES)
    kernel = _kernel_id(page)
    slider = _slider_ms(page)
    context.close()
    assert 0 < phases["html_ms"] <= phases["connect_ms"] <= phases["models_ms"] <= phases["drawn_ms"]
    assert phases["drawn_ms"] / 1000 <= rendered_s
    assert kernel and slider is not None and slider > 0
