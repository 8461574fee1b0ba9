"""Every page load becomes interactive, and closing a page frees its kernel.

design.md: redraw loops once froze 1 load in 4 at "Executing 3 of 5", and Voilà's refused
shutdown beacon leaked a kernel per visit. Each page is loaded 8 times in fresh contexts
(INNOKRAFT_PAGE_LOADS; the freeze showed in 1 load in 4).

Closing a page sends Voilà's shutdown beacon. A beacon can be lost (here: closing the browser
context right after the page can drop it, as a phone losing its network would), so the
promise is the server's: every kernel of a closed page is gone within the culling bound.
"""

from __future__ import annotations

import csv
import time

import psutil
import pytest

from innokraft.core.settings import DevSettings
from tests.browser.conftest import kernel_id, poll, wait_interactive

LOADS = DevSettings.from_env().page_loads
PAGES = {"start": ("00_start.ipynb", 0), "m1": ("01_why_innovate.ipynb", 5)}


def kernel_alive(server, kid: str) -> bool:
    """Is the kernel's process still running? (Its connection file names it.)"""
    for proc in psutil.Process(server.proc.pid).children(recursive=True):
        try:
            if any(f"kernel-{kid}.json" in part for part in proc.cmdline()):
                return proc.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            continue
    return False


@pytest.mark.parametrize("name", PAGES)
def test_every_load_becomes_interactive_and_frees_its_kernel(name, server, browser, output_dir):
    notebook, exercises = PAGES[name]
    link = server.page_link("demo-learner", notebook, "sv")
    kernels, timings = [], []
    for _ in range(LOADS):
        context = browser.new_context()
        page = context.new_page()
        started = time.monotonic()
        page.goto(link)
        wait_interactive(page, timeout_ms=60_000, exercises=exercises)
        timings.append(time.monotonic() - started)
        kid = kernel_id(page)
        assert kernel_alive(server, kid)
        kernels.append(kid)
        page.close(run_before_unload=True)  # as a browser closing the tab does
        context.close()
    with (output_dir / "page-load-times.csv").open("a", newline="") as fh:
        writer = csv.writer(fh)
        for i, t in enumerate(timings):
            writer.writerow([name, i, f"{t:.3f}"])
    print(f"{name}: {LOADS} loads, link to interactive: median {sorted(timings)[LOADS // 2]:.2f}s, "
          f"max {max(timings):.2f}s")
    assert len(set(kernels)) == LOADS
    def still_running() -> list[str]:
        return [k for k in kernels if kernel_alive(server, k)]

    poll(lambda: not still_running(), seconds=8)
    by_beacon = LOADS - len(still_running())
    print(f"{name}: {by_beacon} of {LOADS} kernels freed by the beacon within 30 s")
    # An unconnected kernel is missed by at most two pings, then culled once idle.
    poll(lambda: not still_running(), seconds=server.culled_within())
    left = still_running()
    assert left == [], f"closed page(s) still hold a kernel: {[(kernels.index(k), k) for k in left]}"
    assert by_beacon > 0, "no closed page's beacon freed its kernel"
