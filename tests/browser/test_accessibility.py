"""axe-core on the real pages: no violations, with the two checks that Voilà's full-screen
panels fool (design.md) told not to pass just because axe thinks a modal is open."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from innokraft.config import load_course
from tests.browser.conftest import wait_interactive
from tests.conftest import REPO

COURSE = load_course(REPO / "course_config")

CONFIGURE = """() => axe.configure({checks: [
  {id: "page-has-main", options: {selector: "main:not([role]), [role='main']", passForModal: false}},
  {id: "page-has-heading-one", options: {
     selector: "h1:not([role], [aria-level]), :is(h1, h2, h3, h4, h5, h6):not([role])[aria-level=1], "
             + "[role=heading][aria-level=1]",
     passForModal: false}}
]})"""


@pytest.mark.parametrize("notebook", ["00_start.ipynb", *(m.notebook for m in COURSE.modules)])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_page_has_no_axe_violations(server, browser, output_dir, notebook, lang):
    link = server.page_link("demo-learner", notebook, lang)
    page = browser.new_page(viewport={"width": 412, "height": 915})
    page.goto(link)
    wait_interactive(page, exercises=4 if notebook != "00_start.ipynb" else 0)
    page.wait_for_timeout(500)  # let innokraft.js label the last widgets
    page.evaluate(Axe().axe_script)
    page.evaluate(CONFIGURE)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["html"][:160] for n in v["nodes"][:5]]}
        for v in results["violations"]
    ]
    (output_dir / f"axe-{notebook}-{lang}.json").write_text(json.dumps(violations, indent=2))
    page.close()
    assert violations == [], json.dumps(violations, indent=2)
