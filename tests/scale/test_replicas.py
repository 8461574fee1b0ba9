"""Beyond one machine, tried on one: two `innokraft serve` replicas behind HAProxy with cookie
affinity, one PostgreSQL store, one signing secret, the nbgrader folder shared (docs/scaling.md).

The load generator (benchmarks.load) sends leaders through HAProxy; once every leader has
arrived and saved, one replica is killed (its process group, as a machine that goes away).
Its leaders' pages lose their connection and reload; HAProxy sends them to the other replica
(the cookie names a server that is down: `option redispatch`), whose page shows every answer
they had saved. Nothing a leader needs was on the killed replica's disk.

Runs apart from `make test` (`make test-scale`, which CI runs too): it needs HAProxy and takes
a few minutes of the two cores.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time

import pytest

from innokraft.core.settings import DevSettings
from tests.conftest import REPO, PostgresCluster
from tests.helpers.replicas import haproxy_path, replicas

pytestmark = pytest.mark.scale
LEADERS = 16
ARRIVALS_S = 16
HOLD_S = 40  # after the last arrival: the kill, the reloads, and a calm end
KILL_AFTER_S = ARRIVALS_S + 10  # every leader has arrived and saved (a visit's work takes ~5 s)


@pytest.fixture(scope="module")
def postgres():
    cluster = PostgresCluster()
    yield cluster
    cluster.remove()


def test_a_replica_goes_and_its_leaders_reload_onto_the_other_with_every_answer(postgres, tmp_path, output_dir):
    if haproxy_path() is None:
        if os.environ.get("CI"):
            pytest.fail("HAProxy is missing: .ci/run installs it with apt")
        pytest.skip("no HAProxy on this machine (apt-get install haproxy)")
    with replicas(tmp_path, output_dir, LEADERS, postgres=postgres) as topology:
        load = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.load", "--url", topology.url, "--links", str(topology.links),
             "--name", "scale", "--pids", ",".join(map(str, topology.pids())), "--reload-when-lost",
             "--profile", "steady", "--leaders", str(LEADERS), "--within", str(ARRIVALS_S), "--hold", str(HOLD_S),
             "--stay", "1", "--words", "4"],
            cwd=REPO, stdout=(output_dir / "scale-load.log").open("w"), stderr=subprocess.STDOUT)
        try:
            time.sleep(KILL_AFTER_S)
            topology.kill("a")
            load.wait(HOLD_S + 120)
        finally:
            if load.poll() is None:
                load.kill()
        links = topology.links

    report = json.loads((DevSettings.from_env().test_output / "load" / "scale.json").read_text())
    visits = report["visits"]
    assert report["errors"] == 0, [v["error"] for v in visits if v["error"]]
    assert report["served"] == LEADERS
    on_a = [v for v in visits if v["server"] == "a"]
    assert on_a and all(v["server"] == "b" for v in visits if v not in on_a), "the balancer used one replica only"
    # Every leader of the killed replica reloaded, onto the other, and saw every answer they had saved.
    assert all(v["reloads"] for v in on_a), [v["leader"] for v in on_a if not v["reloads"]]
    assert all(r["server"] == "b" and r["intact"] for v in on_a for r in v["reloads"])
    # And the store holds what each leader saved, whichever replica they were on.
    with open(links, encoding="utf-8") as fh:
        assert {row["learner_id"] for row in csv.DictReader(fh)} == {v["leader"] for v in visits}
    from innokraft.store.db import Store

    store = Store.open(postgres.url, migrate=False)
    for visit in visits:
        answers = store.answers(visit["leader"])
        assert visit["saved"] and all(answers[key]["text"] == text for key, text in visit["saved"].items()), visit
