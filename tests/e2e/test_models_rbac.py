"""hpops with a ServiceAccount token bound to exactly deploy/kubernetes/rbac.yaml,
against a real kube-apiserver with RBAC: enough for every models command, and
a missing permission is named in the answer."""
import copy
import json
import tempfile
from pathlib import Path

import pytest
import yaml

from conftest import OPERATOR, VIEWER, Bot
from models_fixtures import (CRASH_LOOP, READY, KubeApi, KubeApiError, kube, kube_config_section,  # noqa: F401
                             kube_peer, play_kubelet, wait_for_post, DEPLOYED, play_operator)
from test_nodegroups import answer
from test_slack_commands import blocks_text
from test_slack_interactions import button_value

RBAC = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes" / "rbac.yaml"
PATHS = {"ServiceAccount": "/api/v1/namespaces/{ns}/serviceaccounts",
         "Role": "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
         "RoleBinding": "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
         "ClusterRole": "/apis/rbac.authorization.k8s.io/v1/clusterroles",
         "ClusterRoleBinding": "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"}


def install_rbac(kube, sa="hpops", edit_role=None):
    """The shipped manifests, moved to the test's namespace (and, for a
    second ServiceAccount, renamed); edit_role may take rules away."""
    for doc in yaml.safe_load_all(RBAC.read_text()):
        doc = json.loads(json.dumps(doc).replace('"models"', json.dumps(kube.ns)))
        meta = doc["metadata"]
        if doc["kind"] in ("ClusterRole", "ClusterRoleBinding") or sa != "hpops":
            meta["name"] = f"{meta['name']}-{kube.ns}-{sa}"
        if doc["kind"] == "ServiceAccount":
            meta["name"] = sa
        if "subjects" in doc:
            doc["subjects"][0]["name"] = sa
            doc["roleRef"]["name"] = doc["roleRef"]["name"] + ("" if sa == "hpops" and doc["kind"] == "RoleBinding"
                                                               else f"-{kube.ns}-{sa}")
        if doc["kind"] == "Role" and edit_role:
            edit_role(doc)
        kube.create(PATHS[doc["kind"]].format(ns=kube.ns), doc)
    return kube.service_account_token(kube.ns, sa)


def bot_with_token(tmp, kube_peer, ns, token):
    config = json.load(open(kube_peer["kubeconfig"]))
    config["users"] = [{"name": "admin", "user": {"token": token}}]
    path = f"{tmp}/kubeconfig"
    json.dump(config, open(path, "w"))
    return Bot(tmp, extra_yaml=kube_config_section(path, ns))


@pytest.fixture
def sa_bot(kube_peer, kube):
    token = install_rbac(kube)
    with tempfile.TemporaryDirectory() as tmp:
        b = bot_with_token(tmp, kube_peer, kube.ns, token)
        b.token = token
        yield b
        b.stop()


def test_the_shipped_role_is_enough_for_every_models_command(sa_bot, receiver, kube):
    play_kubelet(kube, kube.ns, "served", READY, deployment_ready=1)
    assert "is ready" in blocks_text(answer(sa_bot, receiver, "deploy org/model name=served"))
    play_kubelet(kube, kube.ns, "crashy", CRASH_LOOP)
    assert "CUDA out of memory" in blocks_text(answer(sa_bot, receiver, "deploy org/model name=crashy"))
    play_operator(kube, kube.ns, "jumpstartmodels", "js", DEPLOYED)
    assert "is ready" in blocks_text(
        answer(sa_bot, receiver, "deploy some-model name=js engine=jumpstart instance-type=ml.g5.xlarge"))
    text = blocks_text(answer(sa_bot, receiver, "models", user=VIEWER))
    assert "served" in text and "js" in text and "Forbidden" not in text, text
    text = blocks_text(answer(sa_bot, receiver, "nodes", user=VIEWER))
    assert "Kubernetes nodes" in text and "Forbidden" not in text, text
    for name in ("served", "js"):
        message = answer(sa_bot, receiver, f"undeploy {name}")
        sa_bot.click("hpops.confirm", button_value(message, "hpops.confirm"), user=OPERATOR, response_url=receiver.url)
        wait_for_post(receiver, f"Removed `{name}`")
    assert not kube.exists(f"/apis/apps/v1/namespaces/{kube.ns}/deployments/served")
    # Least privilege: nothing beyond what the commands use.
    limited = KubeApi({"server": kube.server, "admin_token": sa_bot.token, "ca_file": None}, token=sa_bot.token)
    limited.ssl = kube.ssl
    for method, path in (("GET", f"/api/v1/namespaces/{kube.ns}/secrets"),
                         ("GET", f"/api/v1/namespaces/{kube.ns}/configmaps"),
                         ("DELETE", f"/api/v1/namespaces/{kube.ns}/pods/x"),
                         ("GET", "/apis/apps/v1/namespaces/default/deployments"),
                         ("DELETE", "/api/v1/nodes/x")):
        with pytest.raises(KubeApiError) as denied:
            limited.call(method, path)
        assert denied.value.status == 403, path


def test_a_missing_permission_is_named(kube_peer, kube, receiver):
    def no_deployment_writes(role):
        role["rules"][0]["verbs"] = ["get", "list", "watch"]
    token = install_rbac(kube, sa="readonly", edit_role=no_deployment_writes)
    with tempfile.TemporaryDirectory() as tmp:
        bot = bot_with_token(tmp, kube_peer, kube.ns, token)
        try:
            text = blocks_text(answer(bot, receiver, "deploy org/model name=denied"))
            assert "Forbidden" in text and 'cannot patch resource "deployments" in API group "apps"' in text, text
            assert f'in the namespace "{kube.ns}"' in text and "deploy/kubernetes/rbac.yaml" in text, text
            text = blocks_text(answer(bot, receiver, "models namespace=default", user=VIEWER))
            assert 'cannot list resource "deployments"' in text and 'namespace "default"' in text, text
        finally:
            bot.stop()
