"""Node health and node recovery (issue 15 item 1), end to end: signed Slack
commands -> hpops -> moto extended with the SageMaker node calls it lacks
(tests/peers/ext_sagemaker.py: DescribeClusterNode, BatchRebootClusterNodes,
BatchReplaceClusterNodes, with per-node state) and the real kube-apiserver,
where the test registers the Nodes HyperPod would (`hyperpod-<instance-id>`)
with the labels it sets. No HyperPod agent runs: labels and instance
statuses are written by the tests."""
import json
import tempfile
import time
import urllib.request

import pytest

from conftest import OPERATOR, OPS_CHANNEL, VIEWER, Bot
from models_fixtures import kube, kube_config_section, kube_peer  # noqa: F401
from test_nodegroups import answer
from test_slack_commands import blocks_text
from test_slack_interactions import button_value

HP = "hp-cluster"
WORKERS = "accelerated-worker-group-1"  # ml.g5.12xlarge x 2: 4 GPUs each
CONTROLLER = "controller-group"         # ml.m5.xlarge x 1: no GPU


@pytest.fixture
def node_bot(kube_peer, kube, moto):
    with tempfile.TemporaryDirectory() as tmp:
        b = Bot(tmp, aws_endpoint=moto, extra_yaml=kube_config_section(kube_peer["kubeconfig"], kube.ns))
        yield b
        b.stop()


@pytest.fixture
def nodes(aws):
    """The seeded cluster's instance ids by group: {group: [id, ...]}."""
    out = {}
    for n in aws.sagemaker.list_cluster_nodes(ClusterName=HP)["ClusterNodeSummaries"]:
        out.setdefault(n["InstanceGroupName"], []).append(n["InstanceId"])
    return out


@pytest.fixture
def register(kube):
    """register(instance_id, health, ...): the Node HyperPod would have made,
    with its resilience labels; removed after the test (Nodes are cluster-wide)."""
    made = []

    def make(instance_id, health, deep="Passed", cordoned=False):
        name = f"hyperpod-{instance_id}"
        kube.create("/api/v1/nodes", {
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"sagemaker.amazonaws.com/node-health-status": health,
                                                  "sagemaker.amazonaws.com/deep-health-check-status": deep}},
            "spec": {"unschedulable": cordoned}})
        made.append(name)
        kube.merge_status(f"/api/v1/nodes/{name}", {
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "test",
                            "lastHeartbeatTime": "2026-12-06T02:00:00Z",
                            "lastTransitionTime": "2026-12-06T02:00:00Z"}]})
        return name

    yield make
    for name in made:
        kube.delete(f"/api/v1/nodes/{name}")


def control(moto, path):
    with urllib.request.urlopen(urllib.request.Request(f"{moto}{path}", method="POST"), timeout=5) as r:
        return json.loads(r.read())


def instance(aws, node_id):
    return aws.sagemaker.describe_cluster_node(ClusterName=HP, NodeId=node_id)["NodeDetails"]["InstanceStatus"]


def say(bot, receiver, text, user=OPERATOR):
    status, body = bot.command(text, user=user, channel=OPS_CHANNEL, response_url=receiver.url)
    assert status == 200, body
    return json.loads(body)


def last_audit(bot, command, until):
    """The newest audit row of `command`, once `until` holds for it (a job closes its row when it ends)."""
    deadline = time.monotonic() + 10
    while True:
        row = [r for r in bot.audit() if r["command"] == command][-1]
        if until(row) or time.monotonic() > deadline:
            return row
        time.sleep(0.1)


def confirm_and_follow(bot, receiver, asked, done_word):
    """Presses Confirm on `asked`; the job's message at response_url once it says `done_word` (or fails)."""
    before = len(receiver.posts)
    status, body = bot.click("hpops.confirm", button_value(asked, "hpops.confirm"), user=OPERATOR,
                             channel=OPS_CHANNEL, response_url=receiver.url)
    assert status == 200, body
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for post in receiver.posts[before:]:
            text = blocks_text(post["json"])
            if done_word in text or "failed" in text.lower():
                return text
        time.sleep(0.1)
    raise AssertionError(f"the job never ended: {[blocks_text(p['json']) for p in receiver.posts[before:]]}")


def test_health_shows_instance_status_labels_cordons_and_gpus_lost(node_bot, receiver, moto, nodes, register):
    good, rebooting = nodes[WORKERS]
    [controller] = nodes[CONTROLLER]
    register(good, "Schedulable")
    register(rebooting, "UnschedulablePendingReboot", deep="Failed")
    register(controller, "Schedulable", cordoned=True)
    control(moto, f"/hpops/node-status?cluster={HP}&node={controller}&status=Failure&message=EFA+health+check+failed")

    text = blocks_text(answer(node_bot, receiver, "health", user=VIEWER))
    assert f"Node health · {HP}" in text, text
    assert f"{WORKERS}*: 1 of 2 nodes schedulable; 4 of 8 GPUs lost" in text, text
    assert f"{CONTROLLER}*: 0 of 1 nodes schedulable; 0 of 0 GPUs lost" in text, text
    assert "3 HyperPod nodes, 2 not schedulable, 4 of 8 GPUs lost" in text, text
    rows = [" ".join(line.split()) for line in text.splitlines()]
    assert f"hyperpod-{rebooting} {WORKERS} Running UnschedulablePendingReboot Failed — 4" in rows, text
    assert f"hyperpod-{controller} {CONTROLLER} Failure Schedulable Passed yes 0" in rows, text
    # The reason is DescribeClusterNode's: ListClusterNodes gives only the status.
    assert f"`hyperpod-{controller}` Failure: EFA health check failed" in text, text

    one = blocks_text(answer(node_bot, receiver, f"health group={CONTROLLER}", user=VIEWER))
    assert good not in one and controller in one, one
    unknown = blocks_text(answer(node_bot, receiver, "health group=workers", user=VIEWER))
    assert f"has no instance group `workers`. It has: `{WORKERS}`, `{CONTROLLER}`." in unknown, unknown


def test_a_reboot_asks_first_is_audited_and_followed_until_running(node_bot, receiver, aws, nodes, register):
    node = nodes[WORKERS][0]
    register(node, "UnschedulablePendingReboot", deep="Failed")
    asked = say(node_bot, receiver, f"node reboot hyperpod-{node}")
    assert f"Reboot `hyperpod-{node}` ({WORKERS}, ml.g5.12xlarge) on `{HP}`?" in blocks_text(asked), asked
    assert instance(aws, node)["Status"] == "Running", "nothing before the confirmation"

    done = confirm_and_follow(node_bot, receiver, asked, "Rebooted")
    assert f"Rebooted `hyperpod-{node}` ({WORKERS}, ml.g5.12xlarge): Running again." in done, done
    assert instance(aws, node)["Status"] == "Running"
    row = last_audit(node_bot, "node reboot", until=lambda r: r["outcome"] == "ok")
    assert row["outcome"] == "ok" and row["backend_request_id"], row
    assert f"BatchRebootClusterNodes request {row['backend_request_id']}" in done, done


def test_a_replacement_is_followed_to_the_instance_that_replaces_it(node_bot, receiver, aws, nodes):
    old = nodes[WORKERS][1]
    asked = say(node_bot, receiver, f"node replace {old}")
    assert "Every volume of the instance is destroyed and 4 GPUs are away" in blocks_text(asked), asked
    done = confirm_and_follow(node_bot, receiver, asked, "Replaced")
    now = [n["InstanceId"] for n in aws.sagemaker.list_cluster_nodes(ClusterName=HP)["ClusterNodeSummaries"]
           if n["InstanceGroupName"] == WORKERS]
    assert old not in now and len(now) == 2, now
    [new] = set(now) - set(nodes[WORKERS])
    assert f"Replaced `hyperpod-{old}` ({WORKERS}, ml.g5.12xlarge) with `hyperpod-{new}`: Running." in done, done
    assert instance(aws, new)["Status"] == "Running"


def test_an_unknown_node_lists_the_nodes_there_are(node_bot, receiver, nodes):
    text = blocks_text(say(node_bot, receiver, "node reboot i-0123456789abcdef0"))
    assert f"HyperPod cluster `{HP}` has no node `i-0123456789abcdef0`. It has: " in text, text
    for node in nodes[WORKERS] + nodes[CONTROLLER]:
        assert f"`hyperpod-{node}`" in text, text


def test_a_node_being_replaced_is_not_rebooted(node_bot, receiver, moto, aws, nodes, register):
    labelled, replacing = nodes[WORKERS]
    register(labelled, "UnschedulablePendingReplacement", deep="Failed")
    text = blocks_text(say(node_bot, receiver, f"node reboot {labelled}"))
    assert (f"`hyperpod-{labelled}` is waiting to be replaced (labelled UnschedulablePendingReplacement): "
            "a reboot would race its replacement.") in text, text
    assert instance(aws, labelled)["Status"] == "Running"

    control(moto, "/hpops/config?update_seconds=30")  # the replacement stays under way
    aws.sagemaker.batch_replace_cluster_nodes(ClusterName=HP, NodeIds=[replacing])  # HyperPod's own recovery
    text = blocks_text(say(node_bot, receiver, f"node reboot hyperpod-{replacing}"))
    assert f"`hyperpod-{replacing}` is already being replaced (instance ShuttingDown)" in text, text
    assert instance(aws, replacing)["Status"] == "ShuttingDown"


def test_sagemakers_refusal_of_one_node_is_said_with_its_code(node_bot, receiver, moto, aws, nodes):
    [node] = nodes[CONTROLLER]
    control(moto, f"/hpops/node-status?cluster={HP}&node={node}&status=DeepHealthCheckInProgress&message=")
    asked = say(node_bot, receiver, f"node reboot {node}")
    done = confirm_and_follow(node_bot, receiver, asked, "SageMaker refused")
    assert f"SageMaker refused to reboot `hyperpod-{node}`: InvalidInstanceStatus" in done, done
    assert instance(aws, node)["Status"] == "DeepHealthCheckInProgress"
    row = last_audit(node_bot, "node reboot", until=lambda r: r["outcome"] == "rejected")
    assert row["outcome"] != "ok" and row["backend_request_id"], row
