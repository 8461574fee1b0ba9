"""xAPI statements sent with `innokraft export-xapi --lrs` to a real Learning Record Store:
Ralph (ralph-malph on PyPI), filesystem backend, on loopback. Ralph pins its own FastAPI and
pydantic versions, so it lives in a venv of its own, made here on first use and kept in
~/.cache (or $INNOKRAFT_RALPH_VENV)."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from innokraft.core.settings import DevSettings, Settings
from innokraft.store.db import Store
from innokraft.store.evaluations import save_response
from tests.conftest import free_port, innokraft, wait_for_port

RALPH = "ralph-malph[lrs,cli]==5.1.0"
VENV = DevSettings.from_env().ralph_venv
USER, PASSWORD = "innokraft", "lrs-test-password"


def ralph_venv() -> Path:
    ralph = VENV / "bin" / "ralph"
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / ".innokraft-ralph.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one installer at a time across test workers
        if not ralph.exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
            # requests: Ralph's auth module imports it without declaring it for these extras.
            subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", RALPH, "requests"], check=True)
    return ralph


@pytest.fixture(scope="module")
def lrs(tmp_path_factory, output_dir):
    ralph = ralph_venv()
    folder = tmp_path_factory.mktemp("lrs")
    env = {**os.environ, "RALPH_AUTH_FILE": str(folder / "auth.json"), "RALPH_APP_DIR": str(folder / "app"),
           "RALPH_RUNSERVER_BACKEND": "fs"}
    subprocess.run([str(ralph), "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
                    "-A", "innokraft-lrs", "https://innokraft.example.org", "-w"],
                   env=env, check=True, capture_output=True)
    port = free_port()
    log = output_dir / f"ralph-{os.getpid()}.log"
    proc = subprocess.Popen([str(ralph), "runserver", "-b", "fs", "--fs-default-directory-path",
                             str(folder / "data"), "-h", "127.0.0.1", "-p", str(port)],
                            env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    wait_for_port(port, proc, log, seconds=90)
    yield f"http://127.0.0.1:{port}/xAPI"
    proc.terminate()
    proc.wait(20)


def lrs_statements(url: str) -> list[dict]:
    auth = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    request = urllib.request.Request(f"{url}/statements?limit=1000", headers={
        "Authorization": f"Basic {auth}", "X-Experience-API-Version": "1.0.3"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["statements"]


@pytest.mark.facilitator
def test_statements_are_accepted_by_a_real_lrs(home, lrs, tmp_path):
    store = Store.open(Settings.from_env().db_url)
    store.upsert_learners("hbg", [{"learner_id": "asa", "name": "Åsa Lindström", "email": "asa@uppsala.se"},
                                  {"learner_id": "bo", "name": "Bo Ek", "email": "bo@helsingborg.se"}])
    for who in ("asa", "bo"):
        store.log_event(who, "start", "opened")
        store.log_event(who, "m1", "opened")
        store.log_event(who, "m1", "exercise_done", "quiz")
    store.log_event("asa", "m1", "module_completed")
    store.log_event("asa", "m1", "submitted", "asa+01_why_innovate+x")
    save_response(store, "asa", "m1.pulse", {"relevance": 4, "clarity": 3, "time": 1})
    out = tmp_path / "xapi.jsonl"
    env = {"INNOKRAFT_LRS_PASSWORD": PASSWORD}
    sent = innokraft("export-xapi", "--cohort", "hbg", "--out", str(out), "--lrs", lrs, "--lrs-user", USER, env=env)
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(exported) == 9  # 8 events + 1 evaluation answer
    assert f"Skickade 9 xAPI-påståenden till {lrs}" in sent.stdout
    held = lrs_statements(lrs)
    assert {s["id"] for s in held} == {s["id"] for s in exported}
    assert {s["verb"]["id"] for s in held} >= {"http://adlnet.gov/expapi/verbs/launched",
                                                "http://adlnet.gov/expapi/verbs/completed",
                                                "http://activitystrea.ms/schema/1.0/submit",
                                                "http://adlnet.gov/expapi/verbs/responded"}
    assert "Åsa" not in json.dumps(held, ensure_ascii=False) and "@uppsala" not in json.dumps(held)
    # Sending again is harmless: the LRS keeps one copy of each statement.
    innokraft("export-xapi", "--cohort", "hbg", "--lrs", lrs, "--lrs-user", USER, env=env)
    assert len(lrs_statements(lrs)) == 9
    refused = innokraft("export-xapi", "--lrs", lrs, "--lrs-user", USER,
                        env={"INNOKRAFT_LRS_PASSWORD": "wrong"}, check=False)
    assert refused.returncode == 1 and "answered 401" in refused.stderr
    gone = innokraft("export-xapi", "--lrs", "http://127.0.0.1:9/xAPI", check=False)
    assert gone.returncode == 1 and "not reachable" in gone.stderr
