"""A widget's browser module: its source everywhere, its URL (with its content hash) on
`innokraft serve`, where the page preloads it and the browser keeps it."""

import hashlib
import subprocess
import sys

from innokraft.core.settings import KernelEnv
from tests.conftest import REPO
from widgets import front_files

SERVED = KernelEnv.variable("front_served")


def test_outside_innokraft_serve_a_widget_sends_its_module_source(monkeypatch):
    monkeypatch.delenv(SERVED, raising=False)
    assert front_files.module("svg_chart.js") == REPO / "widgets" / "front" / "svg_chart.js"


def test_on_innokraft_serve_a_widget_names_its_module_by_a_url_that_changes_with_it(monkeypatch):
    monkeypatch.setenv(SERVED, "1")
    monkeypatch.setenv("VOILA_BASE_URL", "/kurs/")
    digest = hashlib.sha256((REPO / "widgets" / "front" / "svg_chart.js").read_bytes()).hexdigest()[:20]
    assert front_files.module("svg_chart.js") == f"/kurs/innokraft/front/svg_chart.js?v={digest}"
    assert front_files.modules() == ["mandate_grid.js", "plan_download.js", "point_map.js", "print_sheet.js",
                                     "submit.js", "svg_chart.js"]


def test_a_chart_made_in_a_served_kernel_carries_the_url_not_the_source():
    # The class reads it when imported, as a kernel started by `innokraft serve` does.
    code = ("from widgets.svg_chart import SvgChart; w = SvgChart(); "
            "print(w.get_state()['_esm'])")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", SERVED: "1", "VOILA_BASE_URL": "/"}).stdout
    assert out.strip().startswith("/innokraft/front/svg_chart.js?v=")
