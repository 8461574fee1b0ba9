"""deploy/kubernetes/ is what an operator applies: each manifest validates against Kubernetes'
schemas (kubernetes-validate, strict: no unknown field), and it says what the server reads."""

from __future__ import annotations

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

from innokraft.core.settings import Settings
from tests.conftest import REPO

FOLDER = REPO / "deploy" / "kubernetes"
DOCS = [(path.name, doc) for path in sorted(FOLDER.glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text()) if doc]


def kind(name: str) -> dict:
    return next(doc for _file, doc in DOCS if doc["kind"] == name)


@pytest.mark.parametrize("doc", [d for _f, d in DOCS], ids=[f"{f}:{d['kind']}" for f, d in DOCS])
def test_each_manifest_validates_strictly(doc):
    kubernetes_validate.validate(doc, latest_version(), strict=True)


def test_the_replicas_are_in_rotation_once_ready_behind_cookie_affinity():
    deployment = kind("Deployment")
    assert deployment["spec"]["replicas"] > 1
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/innokraft/ready"
    assert container["command"][:2] == ["innokraft", "serve"]
    annotations = kind("Ingress")["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    service = kind("Service")
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]


def test_every_variable_the_manifests_set_is_one_the_server_declares():
    declared = {Settings.variable(f) for f in Settings.model_fields}
    secret = kind("Secret")["stringData"]
    assert {"INNOKRAFT_SECRET", "INNOKRAFT_DB_URL"} <= set(secret) <= declared
    assert secret["INNOKRAFT_DB_URL"].startswith("postgresql+psycopg://")
    for _file, doc in DOCS:
        if doc["kind"] in ("Deployment", "Job"):
            for container in doc["spec"]["template"]["spec"]["containers"]:
                assert {e["name"] for e in container.get("env", [])} <= declared, container["name"]
                assert {"secretRef": {"name": "innokraft"}} in container["envFrom"]
