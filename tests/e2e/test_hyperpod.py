"""Operating the cluster from chat (issue 15: team queues, Karpenter pools,
history), end to end: signed Slack commands -> hpops -> the real
kube-apiserver with Kueue's and Karpenter's published CRDs
(tests/hyperpod/crds/), and moto for a real scale whose audit rows
`/hp history` reads. No Kueue or Karpenter controller runs: the tests write
the statuses they would, through the status subresource."""
import tempfile
import time
from pathlib import Path

import pytest

from conftest import OPERATOR, VIEWER, Bot
from models_fixtures import kube, kube_config_section, kube_peer  # noqa: F401
from kube_peer import KubeApi  # models_fixtures put tests/peers on the path
from test_nodegroups import answer
from test_slack_commands import blocks_text

CRDS = Path(__file__).resolve().parents[1] / "hyperpod" / "crds"
KUEUE = "/apis/kueue.x-k8s.io/v1beta1"
KARPENTER = "/apis/karpenter.sh/v1"
# The context of the peer's kubeconfig: how hpops names the cluster.
CLUSTER = "admin"


def crd_files(operator):
    return sorted(str(p) for p in (CRDS / operator).glob("*.yaml"))


@pytest.fixture(scope="module")
def operators(kube_peer):
    """Kueue's and Karpenter's CRDs, installed once for the module; a test
    that deletes some puts them back."""
    api = KubeApi(kube_peer)
    return {name: api.install_crds(crd_files(name)) for name in ("kueue", "karpenter")}


@pytest.fixture
def hp_bot(kube_peer, kube):
    with tempfile.TemporaryDirectory() as tmp:
        b = Bot(tmp, extra_yaml=kube_config_section(kube_peer["kubeconfig"], kube.ns, context=CLUSTER))
        yield b
        b.stop()


@pytest.fixture
def fleet_bot(kube_peer, kube, moto):
    """hpops with moto's EKS and HyperPod and the kube peer as its cluster."""
    with tempfile.TemporaryDirectory() as tmp:
        b = Bot(tmp, aws_endpoint=moto, extra_yaml=kube_config_section(kube_peer["kubeconfig"], kube.ns, context=CLUSTER))
        yield b
        b.stop()


def condition(kind, status, reason, message=""):
    return {"type": kind, "status": status, "reason": reason, "message": message,
            "lastTransitionTime": "2026-12-05T10:00:00Z"}


def gpu_pod_sets(gpus):
    return [{"name": "main", "count": 1,
             "template": {"spec": {"restartPolicy": "Never", "containers": [
                 {"name": "trainer", "image": "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime",
                  "resources": {"requests": {"cpu": "8", "nvidia.com/gpu": str(gpus)},
                                "limits": {"nvidia.com/gpu": str(gpus)}}}]}}}]


def make_team_queue(kube, team):
    """What an admin sets up for task governance: a ResourceFlavor, the
    team's ClusterQueue with quota in it, the LocalQueue jobs are submitted
    to; then the status Kueue's controller would keep."""
    flavor = f"h100-{team}"
    kube.create(f"{KUEUE}/resourceflavors", {
        "apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "ResourceFlavor", "metadata": {"name": flavor},
        "spec": {"nodeLabels": {"node.kubernetes.io/instance-type": "p5.48xlarge"}}})
    kube.create(f"{KUEUE}/clusterqueues", {
        "apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "ClusterQueue", "metadata": {"name": team},
        "spec": {"namespaceSelector": {}, "resourceGroups": [{
            "coveredResources": ["cpu", "nvidia.com/gpu"],
            "flavors": [{"name": flavor, "resources": [{"name": "cpu", "nominalQuota": 96},
                                                       {"name": "nvidia.com/gpu", "nominalQuota": 16}]}]}]}})
    kube.create(f"{KUEUE}/namespaces/{kube.ns}/localqueues", {
        "apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "LocalQueue", "metadata": {"name": "training"},
        "spec": {"clusterQueue": team}})
    return flavor


def submit(kube, name, gpus, conditions):
    path = f"{KUEUE}/namespaces/{kube.ns}/workloads"
    kube.create(path, {"apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "Workload", "metadata": {"name": name},
                       "spec": {"queueName": "training", "podSets": gpu_pod_sets(gpus)}})
    kube.merge_status(f"{path}/{name}", {"conditions": conditions})


def test_queues_show_quota_against_usage_and_the_oldest_pending_reason(hp_bot, receiver, kube, operators):
    team = f"team-{kube.ns}"
    flavor = make_team_queue(kube, team)
    admitted = [condition("QuotaReserved", "True", "QuotaReserved", f"Quota reserved in ClusterQueue {team}"),
                condition("Admitted", "True", "Admitted", "The workload is admitted")]
    submit(kube, "llama-sft", 8, admitted)
    reason = (f"couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in flavor "
              f"{flavor}, 4 more needed")
    submit(kube, "llama-pretrain", 12, [condition("QuotaReserved", "False", "Pending", reason)])
    time.sleep(1.1)  # creation times are in whole seconds: the next one is newer
    submit(kube, "mistral-dpo", 4, [condition("QuotaReserved", "False", "Pending", "a newer one")])
    kube.merge_status(f"{KUEUE}/clusterqueues/{team}", {
        "pendingWorkloads": 2, "reservingWorkloads": 1, "admittedWorkloads": 1,
        "flavorsReservation": [{"name": flavor, "resources": [{"name": "cpu", "total": "8", "borrowed": "0"},
                                                              {"name": "nvidia.com/gpu", "total": "12", "borrowed": "0"}]}],
        "flavorsUsage": [{"name": flavor, "resources": [{"name": "cpu", "total": "8", "borrowed": "0"},
                                                        {"name": "nvidia.com/gpu", "total": "8", "borrowed": "0"}]}]})
    kube.merge_status(f"{KUEUE}/namespaces/{kube.ns}/localqueues/training",
                      {"pendingWorkloads": 2, "reservingWorkloads": 1, "admittedWorkloads": 1})

    text = blocks_text(answer(hp_bot, receiver, f"queues queue={team}", user=VIEWER))
    assert f"Kueue queues · {CLUSTER} · {team}" in text, text
    # The quota row: flavor, resource, nominal quota, reserved with its share, in use.
    rows = [" ".join(line.split()) for line in text.splitlines()]
    assert f"{team} {flavor} nvidia.com/gpu 16 12 (75%) 8" in rows, text
    assert f"{team} {flavor} cpu 96 8 (8%) 8" in rows, text
    assert f"{team} — 2 1 {kube.ns}/llama-pretrain" in " ".join(rows), text
    assert f"`{kube.ns}/llama-pretrain` waiting" in text and reason in text, text
    assert "mistral-dpo" not in text, "the oldest pending workload, not the newest"
    assert f"{kube.ns}/training {team} 2 1" in rows, text
    assert "1 ClusterQueues: 2 pending, 1 admitted" in text, text
    everything = blocks_text(answer(hp_bot, receiver, "queues", user=VIEWER))
    assert team in everything and f"{kube.ns}/training" in everything, everything


def test_an_unknown_queue_or_pool_lists_those_there_are(hp_bot, receiver, kube, operators):
    team = f"team-{kube.ns}"
    make_team_queue(kube, team)
    text = blocks_text(answer(hp_bot, receiver, "queues queue=no-such-team", user=VIEWER))
    assert f"No ClusterQueue or LocalQueue `no-such-team` on cluster `{CLUSTER}`" in text, text
    assert team in text and f"{kube.ns}/training" in text, text
    make_pool(kube, f"gpu-{kube.ns}")
    text = blocks_text(answer(hp_bot, receiver, "pools pool=no-such-pool", user=VIEWER))
    assert f"No NodePool `no-such-pool` on cluster `{CLUSTER}`. NodePools:" in text and f"gpu-{kube.ns}" in text, text


def make_pool(kube, name):
    kube.create(f"{KARPENTER}/nodepools", {
        "apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": name},
        "spec": {"template": {"spec": {
                     "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "gpu"},
                     "requirements": [
                         {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["spot", "on-demand"]},
                         {"key": "node.kubernetes.io/instance-type", "operator": "In",
                          "values": ["p5.48xlarge", "g6e.12xlarge"]}]}},
                 "limits": {"cpu": "1000", "nvidia.com/gpu": "64"},
                 "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "10m",
                                "budgets": [{"nodes": "10%"},
                                            {"nodes": "0", "schedule": "0 9 * * 1-5", "duration": "8h"}]}}})


def make_claim(kube, pool, name, instance_type, zone, capacity, ready):
    kube.create(f"{KARPENTER}/nodeclaims", {
        "apiVersion": "karpenter.sh/v1", "kind": "NodeClaim",
        "metadata": {"name": name, "labels": {"karpenter.sh/nodepool": pool,
                                              "node.kubernetes.io/instance-type": instance_type,
                                              "topology.kubernetes.io/zone": zone,
                                              "karpenter.sh/capacity-type": capacity}},
        "spec": {"nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "gpu"},
                 "requirements": [{"key": "karpenter.sh/capacity-type", "operator": "In", "values": [capacity]}]}})
    kube.merge_status(f"{KARPENTER}/nodeclaims/{name}", {
        "nodeName": f"ip-10-0-{len(name)}-7.us-west-2.compute.internal" if ready else "",
        "conditions": [condition("Launched", "True", "Launched"),
                       condition("Ready", "True" if ready else "False", "Ready" if ready else "NotRegistered")]})


def test_pools_show_limits_disruption_capacity_types_and_their_nodeclaims(hp_bot, receiver, kube, operators):
    pool = f"gpu-{kube.ns}"
    make_pool(kube, pool)
    make_claim(kube, pool, f"{pool}-a", "p5.48xlarge", "us-west-2a", "spot", ready=True)
    make_claim(kube, pool, f"{pool}-b", "g6e.12xlarge", "us-west-2b", "on-demand", ready=False)
    text = blocks_text(answer(hp_bot, receiver, f"pools pool={pool}", user=VIEWER))
    rows = [" ".join(line.split()) for line in text.splitlines()]
    assert f"{pool} 2 spot, on-demand WhenEmpty after 10m" in rows, text
    assert (f"*{pool}*: limits cpu 1000, nvidia.com/gpu 64 · disruption budgets 10% of nodes; "
            "0 nodes at `0 9 * * 1-5` for 8h") in text, text
    assert any(r.startswith(f"{pool}-a {pool} p5.48xlarge us-west-2a spot ip-10-0-") and r.endswith("Ready")
               for r in rows), text
    assert any(r.startswith(f"{pool}-b {pool} g6e.12xlarge us-west-2b on-demand — ") and r.endswith("not ready")
               for r in rows), text
    assert "1 NodePools, 2 NodeClaims (1 ready)" in text, text


def test_a_missing_operator_is_named_not_a_404(hp_bot, receiver, kube, kube_peer, operators):
    api = KubeApi(kube_peer)
    api.delete_crds(operators["kueue"] + operators["karpenter"])
    try:
        text = blocks_text(answer(hp_bot, receiver, "queues", user=VIEWER))
        assert f"Kueue is not installed on cluster `{CLUSTER}` (no kueue.x-k8s.io/v1beta1 API)." in text, text
        text = blocks_text(answer(hp_bot, receiver, "pools", user=VIEWER))
        assert f"Karpenter is not installed on cluster `{CLUSTER}` (no karpenter.sh/v1 API)." in text, text
        assert "404" not in text and "NotFound" not in text, text
    finally:
        for name in ("kueue", "karpenter"):
            api.install_crds(crd_files(name))


def test_nodegroups_shows_karpenter_pools_beside_node_groups_only_where_installed(fleet_bot, receiver, kube, kube_peer,
                                                                                  operators):
    pool = f"spot-{kube.ns}"
    make_pool(kube, pool)
    make_claim(kube, pool, f"{pool}-a", "p5.48xlarge", "us-west-2c", "spot", ready=True)
    text = blocks_text(answer(fleet_bot, receiver, "nodegroups", user=VIEWER))
    assert "spot-ng-with-hypd" in text and "*Karpenter node pools*" in text, text
    rows = [" ".join(line.split()) for line in text.splitlines()]
    assert f"{pool} 1 spot, on-demand cpu 1000, nvidia.com/gpu 64" in rows, text
    api = KubeApi(kube_peer)
    api.delete_crds(operators["karpenter"])
    try:
        text = blocks_text(answer(fleet_bot, receiver, "nodegroups", user=VIEWER))
        assert "spot-ng-with-hypd" in text and "Karpenter" not in text, "silently absent:\n" + text
    finally:
        api.install_crds(crd_files("karpenter"))


def test_history_lists_a_real_scale_with_who_outcome_and_request_id(fleet_bot, receiver):
    done = blocks_text(answer(fleet_bot, receiver, "scale nodegroup spot-ng-with-hypd desired=2"))
    assert "Scaled spot-ng-with-hypd" in done, done
    answer(fleet_bot, receiver, "scale nodegroup spot-ng-with-hypd desired=1", user=VIEWER)  # denied
    answer(fleet_bot, receiver, "scale nodegroup gpu-ng desired=0")  # asks first: not an operation yet
    answer(fleet_bot, receiver, "nodegroups", user=VIEWER)  # reads are not audited
    [scale] = [r for r in fleet_bot.audit() if r["outcome"] == "ok"]
    assert scale["backend_request_id"], fleet_bot.audit()

    text = blocks_text(answer(fleet_bot, receiver, "history group=spot-ng-with-hypd", user=VIEWER))
    assert (f" · {OPERATOR.lower()} · `scale nodegroup spot-ng-with-hypd desired=2` · ok · "
            f"request {scale['backend_request_id']}") in text, text
    assert f" · {VIEWER.lower()} · `scale nodegroup spot-ng-with-hypd desired=1` · denied: " in text, text
    assert "gpu-ng" not in text, "another group's rows stay out\n" + text
    everything = blocks_text(answer(fleet_bot, receiver, "history since=1h", user=VIEWER))
    assert "spot-ng-with-hypd desired=2" in everything, everything
    assert "gpu-ng desired=0" not in everything, "a question is not an operation\n" + everything
    assert "2 audited operations since" in everything, everything
    bad = blocks_text(answer(fleet_bot, receiver, "history since=yesterday", user=VIEWER))
    assert "`since` takes a span" in bad, bad
