"""Anyone can launch the course on Binder: repo2docker builds from binder/, and the start page
opens through the Jupyter server's Voilà extension at the README badge's urlpath, as a demo."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from tests.browser.conftest import wait_interactive
from tests.browser.test_learner_journey import offsite
from tests.conftest import REPO, free_port, wait_for_port

README_URLPATH = re.compile(r"urlpath=(voila%2Frender%2F[^)&\s]+|voila/render/[^)&\s]+)")


def badge_urlpath() -> str:
    match = README_URLPATH.search((REPO / "README.md").read_text())
    assert match, "README has no Binder badge with urlpath=voila/render/..."
    return match.group(1).replace("%2F", "/")


def test_repo2docker_uses_binder_folder():
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", str(REPO)],
        capture_output=True, text=True, timeout=600, check=True,
    )
    dockerfile = result.stdout
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "binder/environment.yml"' in dockerfile
    assert "RUN ./binder/postBuild" in dockerfile
    assert 'R2D_ENTRYPOINT="${REPO_DIR}/binder/start"' in dockerfile


@pytest.fixture
def binder_server(tmp_path, output_dir):
    """The Jupyter server as Binder runs it: through binder/start, with binder's config."""
    port = free_port()
    config_dir = tmp_path / "jupyter-config"
    config_dir.mkdir()
    (config_dir / "jupyter_server_config.py").write_text(
        (REPO / "binder" / "jupyter_server_config.py").read_text())
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config_dir), "INNOKRAFT_HOME": str(tmp_path / "home")}
    log = output_dir / f"binder-server-{os.getpid()}.log"
    proc = subprocess.Popen(
        [str(REPO / "binder" / "start"), sys.executable, "-m", "jupyter", "server", "--no-browser",
         f"--port={port}", "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={REPO}",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    wait_for_port(port, proc, log)
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:  # still stopping its kernels on a busy machine
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(20)


def test_binder_urlpath_opens_the_start_page_as_a_demo(binder_server, browser, shots):
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    # Binder has no preheated kernels: the page streams while its kernel starts and executes
    # it, so wait for the page to be interactive (a bound), not for the document's load event.
    page.goto(binder_server + badge_urlpath(), wait_until="commit", timeout=120_000)
    wait_interactive(page, timeout_ms=120_000)
    assert page.locator("h1").inner_text() == "Att leda innovation i kommunen"
    assert "Demoläge" in page.locator(".innokraft-demo").inner_text()
    shots(page, "binder-start")
    # The footer's statement and notice are served here too (a page of their own, in Swedish).
    for name in ("Tillgänglighetsredogörelse", "Personuppgifter"):
        about = page.request.get(page.get_by_role("link", name=name).first.evaluate("a => a.href"))
        assert about.status == 200 and '<html lang="sv">' in about.text() and name in about.text(), name
    with page.expect_navigation(url=re.compile(r"/notebooks/01_why_innovate\.ipynb"), wait_until="commit",
                                timeout=120_000):
        page.get_by_role("link", name=re.compile("Börja modulen")).first.click()
    wait_interactive(page, timeout_ms=120_000, exercises=4)
    page.close()
    assert offsite(requests) == [], "a page made a request off the machine"
