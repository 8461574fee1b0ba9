"""A throttled phone: how soon the first heading shows and how many bytes a page costs.

Chromium's own emulation through the DevTools protocol: CPU 4× slower, a 4G-like network
(9 Mbit/s down, 1.5 Mbit/s up, 170 ms round trip), a 390×844 touch screen, an empty cache for
the first visit and the browser's cache for the second. Bytes are what crossed the network
(compressed, headers included: CDP's encodedDataLength). Targets: first heading ≤ 3 s,
transfer ≤ 1.5 MB.

    python -m benchmarks.phone          # or as part of `make bench`
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from innokraft.core.settings import DevSettings
from tests.browser.conftest import start_server, stop_server
from tests.conftest import CHROMIUM_ARGS, OUTPUT, chromium_path

LOADS = DevSettings.from_env().bench_phone_loads
NETWORK = {"offline": False, "latency": 170, "downloadThroughput": 9_000_000 / 8,
           "uploadThroughput": 1_500_000 / 8}
CPU_SLOWDOWN = 4
TARGET_HEADING_S = 3.0
TARGET_MB = 1.5


def _visit(page, cdp, link: str) -> dict:
    sizes: dict[str, float] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    started = time.monotonic()
    page.goto(link, wait_until="commit", timeout=180_000)
    page.wait_for_selector("h1", state="visible", timeout=180_000)
    heading = time.monotonic() - started
    page.wait_for_selector("#loading", state="detached", timeout=180_000)
    usable = time.monotonic() - started
    page.wait_for_load_state("load", timeout=180_000)
    return {"heading_s": heading, "usable_s": usable, "mb": sum(sizes.values()) / 1e6,
            "requests": len(sizes)}


def _throttled(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return context, page, cdp


def bench_phone(tmp: Path) -> dict:
    server = start_server(tmp, OUTPUT, "bench-phone")
    results: dict[str, dict] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for name, notebook in (("start", "00_start.ipynb"), ("m1", "01_why_innovate.ipynb")):
                link = server.page_link("demo-learner", notebook, "sv")
                first, second = [], []
                for _ in range(LOADS):
                    context, page, cdp = _throttled(browser)
                    first.append(_visit(page, cdp, link))
                    second.append(_visit(page, cdp, link))  # the browser's cache is warm now
                    page.close(run_before_unload=True)
                    context.close()
                    time.sleep(3)  # let the preheated pool refill, as a visitor every few seconds would
                results[name] = {
                    "loads": LOADS,
                    "first_heading_s_median": round(statistics.median(v["heading_s"] for v in first), 2),
                    "first_usable_s_median": round(statistics.median(v["usable_s"] for v in first), 2),
                    "first_transfer_mb_median": round(statistics.median(v["mb"] for v in first), 2),
                    "first_requests": first[0]["requests"],
                    "cached_heading_s_median": round(statistics.median(v["heading_s"] for v in second), 2),
                    "cached_transfer_mb_median": round(statistics.median(v["mb"] for v in second), 2),
                }
                r = results[name]
                r["meets_targets"] = (r["first_heading_s_median"] <= TARGET_HEADING_S
                                      and r["first_transfer_mb_median"] <= TARGET_MB)
            browser.close()
    finally:
        stop_server(server)
    return {"profile": {"cpu_slowdown": CPU_SLOWDOWN, **NETWORK, "viewport": "390x844"},
            "targets": {"first_heading_s": TARGET_HEADING_S, "transfer_mb": TARGET_MB}, **results}


if __name__ == "__main__":
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        out = bench_phone(Path(folder))
    (OUTPUT / "bench-phone.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))
