"""Tests of the AWS test peer: moto + hpops extensions, driven through boto3
and through raw SigV4-signed HTTP (what hpops's own client sends).

One peer process serves the module; each test resets moto and reseeds, so
tests do not depend on each other's changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from types import SimpleNamespace
from typing import Any, Callable

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import moto_peer  # noqa: E402
import seed_aws  # noqa: E402

UPDATE_SECONDS = 1.0
HP, EKS = seed_aws.HP_CLUSTER, seed_aws.EKS_CLUSTER
WORKERS = "accelerated-worker-group-1"


def _post(url: str) -> dict:
    with urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=10) as resp:
        body = resp.read()
    return json.loads(body) if body.startswith(b"{") else {}


def _signed(endpoint: str, service: str, method: str, path: str, body: dict | None = None,
            target: str | None = None) -> tuple[int, Any, dict]:
    """One request signed like any AWS client: status, headers (case-insensitive), JSON."""
    data = json.dumps(body).encode() if body is not None else b""
    headers = {"Content-Type": "application/x-amz-json-1.1" if target else "application/json"}
    if target:
        headers["X-Amz-Target"] = target
    req = AWSRequest(method=method, url=endpoint + path, data=data, headers=headers)
    SigV4Auth(Credentials("testing", "testing"), service, "us-west-2").add_auth(req)
    raw = urllib.request.Request(endpoint + path, data=data or None, method=method, headers=dict(req.headers))
    try:
        with urllib.request.urlopen(raw, timeout=10) as resp:
            return resp.status, resp.headers, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, json.loads(e.read() or b"{}")


def _error(call: Callable[[], Any]) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as info:
        call()
    err = info.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Message"]


def _wait(fetch: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 10.0) -> list[Any]:
    """Poll until done(value); returns every value seen, for checking the path."""
    seen, deadline = [], time.monotonic() + timeout
    while True:
        seen.append(fetch())
        if done(seen[-1]):
            return seen
        assert time.monotonic() < deadline, f"timed out; last value {seen[-1]!r}"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def peer():
    endpoint, stop = moto_peer.start_moto(seed=False, update_seconds=UPDATE_SECONDS)
    yield endpoint
    stop()
    assert stop.proc.returncode == 0  # SIGTERM is a clean stop


@pytest.fixture
def aws(peer):
    info = _post(f"{peer}/hpops/reset?seed=1")["seed"]  # also restores the delay
    return SimpleNamespace(endpoint=peer, seed=info, **{
        name: seed_aws.client(peer, name) for name in ("eks", "sagemaker", "sts")})


def _groups(aws: SimpleNamespace) -> dict[str, dict]:
    return {g["InstanceGroupName"]: g for g in aws.sagemaker.describe_cluster(ClusterName=HP)["InstanceGroups"]}


def _nodes(aws: SimpleNamespace) -> list[dict]:
    return aws.sagemaker.list_cluster_nodes(ClusterName=HP)["ClusterNodeSummaries"]


def _spec(aws: SimpleNamespace, name: str, itype: str, count: int) -> dict:
    return {"InstanceGroupName": name, "InstanceType": itype, "InstanceCount": count,
            "ExecutionRole": aws.seed["execution_role_arn"], "ThreadsPerCore": 1,
            "LifeCycleConfig": {"SourceS3Uri": f"s3://{aws.seed['lifecycle_bucket']}/lifecycle/",
                                "OnCreate": "on_create.sh"}}


# --- the peer process ---------------------------------------------------------

def test_cli_prints_ready_line_with_seed_and_stops_on_sigterm():
    endpoint, stop = moto_peer.start_moto(seed=True, update_seconds=UPDATE_SECONDS)
    try:
        assert endpoint.startswith("http://127.0.0.1:") and stop.info["pid"] == stop.proc.pid
        assert stop.info["seed"]["hyperpod_cluster"] == HP and stop.info["account"] == "123456789012"
        eks = seed_aws.client(endpoint, "eks")
        assert eks.describe_cluster(name=EKS)["cluster"]["arn"] == stop.info["seed"]["eks_cluster_arn"]
    finally:
        stop()
    assert stop.proc.returncode == 0


def test_closing_stdin_stops_the_peer():
    proc = subprocess.Popen([sys.executable, moto_peer.__file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        ready = json.loads(proc.stdout.readline())
        assert ready["seed"] is None and ready["pid"] == proc.pid
        proc.stdin.close()
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill()
        proc.stdout.close()


def test_in_process_peer_serves_the_extensions():
    endpoint, stop = moto_peer.start_moto(seed=False, in_process=True)
    try:
        status, _, body = _signed(endpoint, "eks", "GET", "/clusters/none/updates/x")
        assert status == 404 and "No cluster found" in body["message"]
    finally:
        stop()


def test_control_endpoints_set_delay_and_settle(aws):
    _post(f"{aws.endpoint}/hpops/config?update_seconds=30")
    update = aws.eks.update_nodegroup_config(clusterName=EKS, nodegroupName="gpu-ng",
                                             scalingConfig={"desiredSize": 5})["update"]
    time.sleep(0.2)
    describe = lambda: aws.eks.describe_update(name=EKS, updateId=update["id"], nodegroupName="gpu-ng")["update"]
    assert describe()["status"] == "InProgress"
    assert _post(f"{aws.endpoint}/hpops/settle") == {"settled": True}
    assert describe()["status"] == "Successful"


def test_reset_without_seed_then_seed_cli(aws):
    assert _post(f"{aws.endpoint}/hpops/reset") == {"reset": True, "seed": None}
    assert aws.eks.list_clusters()["clusters"] == [] and aws.sagemaker.list_clusters()["ClusterSummaries"] == []
    out = subprocess.run([sys.executable, seed_aws.__file__, "--endpoint", aws.endpoint],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert json.loads(out)["eks_cluster_arn"] == aws.eks.describe_cluster(name=EKS)["cluster"]["arn"]
    assert aws.sagemaker.describe_cluster(ClusterName=HP)["ClusterStatus"] == "InService"


# --- STS --------------------------------------------------------------------------

def test_sts_caller_identity_and_web_identity(aws):
    assert aws.sts.get_caller_identity()["Account"] == "123456789012"
    resp = aws.sts.assume_role_with_web_identity(RoleArn=aws.seed["node_role_arn"], RoleSessionName="hpops-bot",
                                                 WebIdentityToken="eyJhbGciOiJSUzI1NiJ9.payload.sig")
    assert set(resp["Credentials"]) >= {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}
    assert resp["AssumedRoleUser"]["Arn"].endswith("EKS-NodeRole-hpops-demo/hpops-bot")


# --- EKS ----------------------------------------------------------------------------

def test_eks_scene_as_seeded(aws):
    assert EKS in aws.eks.list_clusters()["clusters"]
    cluster = aws.eks.describe_cluster(name=EKS)["cluster"]
    assert (cluster["status"], cluster["version"]) == ("ACTIVE", "1.31")
    assert cluster["resourcesVpcConfig"]["subnetIds"] == aws.seed["subnets"]
    spot = aws.eks.describe_nodegroup(clusterName=EKS, nodegroupName="spot-ng-with-hypd")["nodegroup"]
    assert (spot["status"], spot["capacityType"], spot["amiType"], spot["instanceTypes"]) == (
        "ACTIVE", "SPOT", "AL2023_x86_64_STANDARD", ["m5.large"])
    assert spot["scalingConfig"] == {"minSize": 1, "maxSize": 2, "desiredSize": 1}
    gpu = aws.eks.describe_nodegroup(clusterName=EKS, nodegroupName="gpu-ng")["nodegroup"]
    assert gpu["scalingConfig"] == {"minSize": 0, "maxSize": 8, "desiredSize": 4}
    assert gpu["labels"]["nvidia.com/gpu.present"] == "true" and gpu["taints"][0]["effect"] == "NO_SCHEDULE"
    assert (gpu["nodeRole"], gpu["version"]) == (aws.seed["node_role_arn"], "1.31")


def test_list_nodegroups_paginates_with_opaque_tokens(aws):
    for name in ("ng-a", "ng-b", "ng-c"):
        aws.eks.create_nodegroup(clusterName=EKS, nodegroupName=name, nodeRole=aws.seed["node_role_arn"],
                                 subnets=aws.seed["subnets"])
    first = aws.eks.list_nodegroups(clusterName=EKS, maxResults=2)
    assert first["nodegroups"] == ["gpu-ng", "ng-a"] and first["nextToken"] not in ("ng-b", "")
    aws.eks.delete_nodegroup(clusterName=EKS, nodegroupName="ng-b")  # stays listed while DELETING
    names = list(first["nodegroups"])
    token = first["nextToken"]
    while token:
        page = aws.eks.list_nodegroups(clusterName=EKS, maxResults=2, nextToken=token)
        names += page["nodegroups"]
        token = page.get("nextToken")
    assert names == ["gpu-ng", "ng-a", "ng-b", "ng-c", "spot-ng-with-hypd"]
    assert _error(lambda: aws.eks.list_nodegroups(clusterName=EKS, maxResults=101))[:2] == (
        "InvalidParameterException", 400)
    assert _error(lambda: aws.eks.list_nodegroups(clusterName=EKS, nextToken="!!"))[:2] == (
        "InvalidParameterException", 400)
    assert _error(lambda: aws.eks.list_nodegroups(clusterName="nope"))[:2] == ("ResourceNotFoundException", 404)


def test_update_nodegroup_config_goes_in_progress_then_successful(aws):
    started = time.monotonic()
    update = aws.eks.update_nodegroup_config(clusterName=EKS, nodegroupName="spot-ng-with-hypd",
                                             scalingConfig={"desiredSize": 2})["update"]
    assert (update["status"], update["type"], update["errors"]) == ("InProgress", "ConfigUpdate", [])
    assert update["params"] == [{"type": "DesiredSize", "value": "2"}] and update["id"]
    ng = aws.eks.describe_nodegroup(clusterName=EKS, nodegroupName="spot-ng-with-hypd")["nodegroup"]
    assert ng["status"] == "UPDATING" and ng["scalingConfig"]["desiredSize"] == 1  # applied on completion
    code, status, message = _error(lambda: aws.eks.update_nodegroup_config(
        clusterName=EKS, nodegroupName="spot-ng-with-hypd", scalingConfig={"desiredSize": 1}))
    assert (code, status) == ("ResourceInUseException", 409) and "not in Active State" in message

    describe = lambda: aws.eks.describe_update(name=EKS, updateId=update["id"],
                                               nodegroupName="spot-ng-with-hypd")["update"]
    seen = [u["status"] for u in _wait(describe, lambda u: u["status"] != "InProgress")]
    assert seen[0] == "InProgress" and seen[-1] == "Successful"
    assert time.monotonic() - started >= UPDATE_SECONDS * 0.9
    ng = aws.eks.describe_nodegroup(clusterName=EKS, nodegroupName="spot-ng-with-hypd")["nodegroup"]
    assert ng["status"] == "ACTIVE" and ng["scalingConfig"] == {"minSize": 1, "maxSize": 2, "desiredSize": 2}
    listed = aws.eks.list_updates(name=EKS, nodegroupName="spot-ng-with-hypd")["updateIds"]
    assert listed == [update["id"]]


def test_update_nodegroup_config_labels_taints_and_idempotency(aws):
    kwargs = dict(clusterName=EKS, nodegroupName="gpu-ng", clientRequestToken="retry-1",
                  labels={"addOrUpdateLabels": {"team": "ml"}, "removeLabels": ["hpops.io/pool"]},
                  taints={"removeTaints": [{"key": "nvidia.com/gpu", "effect": "NO_SCHEDULE"}]})
    first = aws.eks.update_nodegroup_config(**kwargs)["update"]
    assert aws.eks.update_nodegroup_config(**kwargs)["update"]["id"] == first["id"]  # a retry, not a conflict
    assert {p["type"] for p in first["params"]} == {"LabelsToAdd", "LabelsToRemove", "TaintsToRemove"}
    assert _post(f"{aws.endpoint}/hpops/settle")
    ng = aws.eks.describe_nodegroup(clusterName=EKS, nodegroupName="gpu-ng")["nodegroup"]
    assert ng["labels"] == {"nvidia.com/gpu.present": "true", "team": "ml"} and ng.get("taints", []) == []


@pytest.mark.parametrize("scaling, message", [
    ({"minSize": 3}, "minSize can't be greater than maxSize"),
    ({"minSize": 2, "desiredSize": 1}, "Minimum capacity 2 can't be greater than desired size 1"),
    ({"desiredSize": 5}, "desiredSize can't be greater than maxSize"),
])
def test_update_nodegroup_config_rejects_bad_scaling(aws, scaling, message):
    code, status, text = _error(lambda: aws.eks.update_nodegroup_config(
        clusterName=EKS, nodegroupName="spot-ng-with-hypd", scalingConfig=scaling))
    assert (code, status, text) == ("InvalidParameterException", 400, message)
    ng = aws.eks.describe_nodegroup(clusterName=EKS, nodegroupName="spot-ng-with-hypd")["nodegroup"]
    assert ng["status"] == "ACTIVE" and ng["scalingConfig"] == {"minSize": 1, "maxSize": 2, "desiredSize": 1}
    assert aws.eks.list_updates(name=EKS, nodegroupName="spot-ng-with-hypd")["updateIds"] == []


def test_unknown_eks_resources_are_404(aws):
    calls = [lambda: aws.eks.update_nodegroup_config(clusterName=EKS, nodegroupName="nope",
                                                     scalingConfig={"desiredSize": 1}),
             lambda: aws.eks.describe_update(name=EKS, updateId="0000", nodegroupName="gpu-ng"),
             lambda: aws.eks.describe_update(name="nope", updateId="0000"),
             lambda: aws.eks.describe_nodegroup(clusterName=EKS, nodegroupName="nope")]
    for call in calls:
        assert _error(call)[:2] == ("ResourceNotFoundException", 404)
    status, headers, body = _signed(aws.endpoint, "eks", "GET", f"/clusters/{EKS}/updates/0000?nodegroupName=gpu-ng")
    assert status == 404 and headers.get("x-amzn-ErrorType") == "ResourceNotFoundException"
    assert body["message"] and body["clusterName"] == EKS and body["nodegroupName"] == "gpu-ng"
    # botocore checks minimums client side; hpops's client does not, so the server must.
    status, _, body = _signed(aws.endpoint, "eks", "POST", f"/clusters/{EKS}/node-groups/gpu-ng/update-config",
                              {"scalingConfig": {"maxSize": 0}})
    assert status == 400 and "maxSize" in body["message"]


def test_create_and_delete_nodegroup_lifecycle(aws):
    common = dict(clusterName=EKS, nodeRole=aws.seed["node_role_arn"], subnets=aws.seed["subnets"])
    created = aws.eks.create_nodegroup(nodegroupName="batch", **common)["nodegroup"]
    assert created["status"] == "CREATING" and created["version"] == "1.31"
    _wait(lambda: aws.eks.describe_nodegroup(clusterName=EKS, nodegroupName="batch")["nodegroup"]["status"],
          lambda s: s == "ACTIVE")
    # moto shares one default scalingConfig between node groups; each must own its copy.
    aws.eks.create_nodegroup(nodegroupName="batch-2", **common)
    aws.eks.update_nodegroup_config(clusterName=EKS, nodegroupName="batch", scalingConfig={"desiredSize": 1,
                                                                                            "minSize": 0})
    assert _post(f"{aws.endpoint}/hpops/settle")
    other = aws.eks.describe_nodegroup(clusterName=EKS, nodegroupName="batch-2")["nodegroup"]
    assert other["scalingConfig"] == {"minSize": 2, "maxSize": 2, "desiredSize": 2}
    code, status, text = _error(lambda: aws.eks.create_nodegroup(
        nodegroupName="bad", scalingConfig={"minSize": 3, "maxSize": 1, "desiredSize": 2}, **common))
    assert (code, status, text) == ("InvalidParameterException", 400, "minSize can't be greater than maxSize")

    deleted = aws.eks.delete_nodegroup(clusterName=EKS, nodegroupName="batch")["nodegroup"]
    assert deleted["status"] == "DELETING"
    assert "batch" in aws.eks.list_nodegroups(clusterName=EKS)["nodegroups"]
    assert _error(lambda: aws.eks.delete_nodegroup(clusterName=EKS, nodegroupName="batch"))[:2] == (
        "ResourceInUseException", 409)
    _wait(lambda: aws.eks.list_nodegroups(clusterName=EKS)["nodegroups"], lambda names: "batch" not in names)
    assert _error(lambda: aws.eks.describe_nodegroup(clusterName=EKS, nodegroupName="batch"))[1] == 404
    assert _error(lambda: aws.eks.delete_cluster(name=EKS))[:2] == ("ResourceInUseException", 409)


# --- SageMaker HyperPod -------------------------------------------------------------

def test_hyperpod_scene_as_seeded(aws):
    summaries = aws.sagemaker.list_clusters()["ClusterSummaries"]
    assert [(s["ClusterName"], s["ClusterStatus"]) for s in summaries] == [(HP, "InService")]
    hp = aws.sagemaker.describe_cluster(ClusterName=aws.seed["hyperpod_cluster_arn"])  # by ARN too
    assert hp["Orchestrator"]["Eks"]["ClusterArn"] == aws.seed["eks_cluster_arn"]
    assert hp["NodeRecovery"] == "Automatic" and hp["ClusterArn"].split("/")[-1].isalnum()
    groups = {g["InstanceGroupName"]: g for g in hp["InstanceGroups"]}
    assert {n: (g["InstanceType"], g["CurrentCount"], g["TargetCount"], g["Status"]) for n, g in groups.items()} == {
        WORKERS: ("ml.g5.12xlarge", 2, 2, "InService"), "controller-group": ("ml.m5.xlarge", 1, 1, "InService")}
    assert groups[WORKERS]["ExecutionRole"] == aws.seed["execution_role_arn"]
    nodes = _nodes(aws)
    assert len(nodes) == 3 and all(n["InstanceStatus"]["Status"] == "Running" for n in nodes)
    assert all(n["InstanceId"].startswith("i-") for n in nodes)
    node = aws.sagemaker.describe_cluster_node(ClusterName=HP, NodeId=nodes[0]["InstanceId"])["NodeDetails"]
    assert node["InstanceId"] == nodes[0]["InstanceId"]


def test_create_cluster_goes_creating_then_in_service(aws):
    spec = {k: v for k, v in _spec(aws, "workers", "ml.g6.12xlarge", 2).items() if k != "ThreadsPerCore"}
    gone = {"Eks": {"ClusterArn": aws.seed["eks_cluster_arn"] + "-gone"}}
    assert _error(lambda: aws.sagemaker.create_cluster(ClusterName="hp-2", InstanceGroups=[spec],
                                                       Orchestrator=gone))[0] == "ValidationException"
    aws.sagemaker.create_cluster(ClusterName="hp-2", InstanceGroups=[spec])  # no orchestrator: Slurm style
    hp = aws.sagemaker.describe_cluster(ClusterName="hp-2")
    assert hp["ClusterStatus"] == "Creating" and "Orchestrator" not in hp
    assert hp["InstanceGroups"][0]["Status"] == "Creating" and hp["InstanceGroups"][0]["CurrentCount"] < 2
    _wait(lambda: aws.sagemaker.describe_cluster(ClusterName="hp-2")["ClusterStatus"], lambda s: s == "InService")
    assert _error(lambda: aws.sagemaker.create_cluster(ClusterName="hp-2", InstanceGroups=[spec]))[0] == "ResourceInUse"


def test_update_cluster_scales_up_through_updating(aws):
    arn = aws.sagemaker.update_cluster(ClusterName=HP, InstanceGroups=[
        _spec(aws, WORKERS, "ml.g5.12xlarge", 4)])["ClusterArn"]
    assert arn == aws.seed["hyperpod_cluster_arn"]
    hp = aws.sagemaker.describe_cluster(ClusterName=HP)
    groups = {g["InstanceGroupName"]: g for g in hp["InstanceGroups"]}
    assert hp["ClusterStatus"] == "Updating" and groups[WORKERS]["Status"] == "Updating"
    assert groups[WORKERS]["TargetCount"] == 4 and 2 <= groups[WORKERS]["CurrentCount"] < 4
    assert (groups["controller-group"]["Status"], groups["controller-group"]["CurrentCount"]) == ("InService", 1)
    assert sum(n["InstanceStatus"]["Status"] == "Pending" for n in _nodes(aws)) >= 1
    code, status, _ = _error(lambda: aws.sagemaker.update_cluster(
        ClusterName=HP, InstanceGroups=[_spec(aws, WORKERS, "ml.g5.12xlarge", 5)]))
    assert (code, status) == ("ConflictException", 400)

    seen = _wait(lambda: aws.sagemaker.describe_cluster(ClusterName=HP),
                 lambda c: c["ClusterStatus"] == "InService")
    counts = [next(g["CurrentCount"] for g in c["InstanceGroups"] if g["InstanceGroupName"] == WORKERS)
              for c in seen]
    assert counts == sorted(counts) and counts[-1] == 4  # moves toward the target, never back
    assert _groups(aws)[WORKERS]["Status"] == "InService"
    nodes = _nodes(aws)
    assert len(nodes) == 5 and {n["InstanceStatus"]["Status"] for n in nodes} == {"Running"}


def test_update_cluster_scales_down_adds_and_deletes_groups(aws):
    aws.sagemaker.update_cluster(ClusterName=HP, InstanceGroupsToDelete=["controller-group"], InstanceGroups=[
        _spec(aws, WORKERS, "ml.g5.12xlarge", 1), _spec(aws, "inference-group", "ml.g6.12xlarge", 1)])
    groups = _groups(aws)
    assert {n: g["Status"] for n, g in groups.items()} == {
        WORKERS: "Updating", "controller-group": "Deleting", "inference-group": "Creating"}
    assert groups["inference-group"]["CurrentCount"] == 0 and groups[WORKERS]["CurrentCount"] == 2
    assert sum(n["InstanceStatus"]["Status"] == "ShuttingDown" for n in _nodes(aws)) == 2
    _wait(lambda: aws.sagemaker.describe_cluster(ClusterName=HP)["ClusterStatus"], lambda s: s == "InService")
    assert {n: (g["CurrentCount"], g["TargetCount"], g["Status"]) for n, g in _groups(aws).items()} == {
        WORKERS: (1, 1, "InService"), "inference-group": (1, 1, "InService")}
    assert sorted(n["InstanceType"] for n in _nodes(aws)) == ["ml.g5.12xlarge", "ml.g6.12xlarge"]


def test_update_cluster_validation(aws):
    unknown = lambda: aws.sagemaker.update_cluster(ClusterName="nope", InstanceGroups=[
        _spec(aws, WORKERS, "ml.g5.12xlarge", 1)])
    assert _error(unknown)[:2] == ("ResourceNotFound", 400)
    bad = {
        "count above 6758": [_spec(aws, WORKERS, "ml.g5.12xlarge", 7000)],
        "new group without type": [{k: v for k, v in _spec(aws, "new-group", "x", 1).items() if k != "InstanceType"}],
        "duplicate group": [_spec(aws, WORKERS, "ml.g5.12xlarge", 1)] * 2,
        "unknown type": [_spec(aws, WORKERS, "ml.z9.huge", 1)],
    }
    for why, groups in bad.items():
        assert _error(lambda: aws.sagemaker.update_cluster(ClusterName=HP, InstanceGroups=groups))[:2] == (
            "ValidationException", 400), why
    for kwargs in ({"InstanceGroupsToDelete": ["nope"]},
                   {"InstanceGroupsToDelete": [WORKERS], "InstanceGroups": [_spec(aws, WORKERS, "ml.g5.12xlarge", 1)]},
                   {"InstanceGroupsToDelete": [WORKERS, "controller-group"]},
                   {"AutoScaling": {"Mode": "Enable"}, "InstanceGroups": [_spec(aws, WORKERS, "ml.g5.12xlarge", 1)]}):
        assert _error(lambda: aws.sagemaker.update_cluster(ClusterName=HP, **kwargs))[0] == "ValidationException"
    hp = aws.sagemaker.describe_cluster(ClusterName=HP)
    assert hp["ClusterStatus"] == "InService" and _groups(aws)[WORKERS]["TargetCount"] == 2


def test_update_cluster_errors_on_the_wire(aws):
    status, _, body = _signed(aws.endpoint, "sagemaker", "POST", "/", {"ClusterName": "nope", "InstanceGroups": []},
                              target="SageMaker.UpdateCluster")
    assert status == 400 and body["__type"] == "ResourceNotFound" and body["Message"]
    spec = {**_spec(aws, WORKERS, "ml.g5.12xlarge", 1), "InstanceCount": -1}
    status, _, body = _signed(aws.endpoint, "sagemaker", "POST", "/", {"ClusterName": HP, "InstanceGroups": [spec]},
                              target="SageMaker.UpdateCluster")
    assert status == 400 and body["__type"] == "ValidationException"
    assert "instanceGroups.1.member.instanceCount" in body["Message"]


def test_delete_hyperpod_cluster_goes_through_deleting(aws):
    aws.sagemaker.delete_cluster(ClusterName=HP)
    assert aws.sagemaker.describe_cluster(ClusterName=HP)["ClusterStatus"] == "Deleting"
    _wait(lambda: aws.sagemaker.list_clusters()["ClusterSummaries"], lambda s: s == [])
    assert _error(lambda: aws.sagemaker.describe_cluster(ClusterName=HP))[:2] == ("ResourceNotFound", 400)
    assert _error(lambda: aws.sagemaker.list_cluster_nodes(ClusterName=HP))[0] == "ResourceNotFound"


def test_node_reboot_and_replace_answer_per_node_and_move_the_nodes_through_their_states(aws):
    first, second = [n["InstanceId"] for n in _nodes(aws) if n["InstanceGroupName"] == WORKERS]
    unknown = "i-0123456789abcdef0"
    out = aws.sagemaker.batch_reboot_cluster_nodes(ClusterName=HP, NodeIds=[first, unknown])
    assert out["Successful"] == [first]
    assert [(f["NodeId"], f["ErrorCode"]) for f in out["Failed"]] == [(unknown, "InstanceIdNotFound")]
    busy = aws.sagemaker.batch_replace_cluster_nodes(ClusterName=HP, NodeIds=[first])
    assert "Successful" not in busy and busy["Failed"][0]["ErrorCode"] == "InstanceIdInUse", busy
    rebooting = _wait(lambda: aws.sagemaker.describe_cluster_node(ClusterName=HP, NodeId=first)["NodeDetails"]
                      ["InstanceStatus"]["Status"], lambda s: s == "Running")
    assert rebooting[0] == "Pending", rebooting

    assert aws.sagemaker.batch_replace_cluster_nodes(ClusterName=HP, NodeIds=[second])["Successful"] == [second]
    node = aws.sagemaker.describe_cluster_node(ClusterName=HP, NodeId=second)["NodeDetails"]
    assert node["InstanceStatus"]["Status"] == "ShuttingDown"
    _wait(lambda: _error(lambda: aws.sagemaker.describe_cluster_node(ClusterName=HP, NodeId=second))
          if second not in {n["InstanceId"] for n in _nodes(aws)} else None, lambda e: e is not None)
    assert _error(lambda: aws.sagemaker.describe_cluster_node(ClusterName=HP, NodeId=second))[0] == "ResourceNotFound"
    [new] = {n["InstanceId"] for n in _nodes(aws) if n["InstanceGroupName"] == WORKERS} - {first}
    _wait(lambda: aws.sagemaker.describe_cluster_node(ClusterName=HP, NodeId=new)["NodeDetails"]["InstanceStatus"]
          ["Status"], lambda s: s == "Running")


def test_node_batches_are_validated_as_sagemaker_does(aws):
    node = _nodes(aws)[0]["InstanceId"]
    assert _error(lambda: aws.sagemaker.batch_reboot_cluster_nodes(ClusterName="nope", NodeIds=[node]))[0] == \
        "ResourceNotFound"
    code, status, message = _error(lambda: aws.sagemaker.batch_reboot_cluster_nodes(ClusterName=HP,
                                                                                      NodeIds=["hyperpod-" + node]))
    assert (code, status) == ("ValidationException", 400) and "nodeIds.1.member" in message, message
    assert _error(lambda: aws.sagemaker.batch_replace_cluster_nodes(ClusterName=HP, NodeIds=[node] * 26))[0] == \
        "ValidationException"
    _post(f"{aws.endpoint}/hpops/node-status?cluster={HP}&node={node}&status=DeepHealthCheckInProgress")
    out = aws.sagemaker.batch_reboot_cluster_nodes(ClusterName=HP, NodeIds=[node])
    assert out["Failed"][0]["ErrorCode"] == "InvalidInstanceStatus", out
    _post(f"{aws.endpoint}/hpops/node-status?cluster={HP}&node={node}&status=Failure&message=GPU+lost")
    status = aws.sagemaker.describe_cluster_node(ClusterName=HP, NodeId=node)["NodeDetails"]["InstanceStatus"]
    assert status == {"Status": "Failure", "Message": "GPU lost"}
    assert aws.sagemaker.batch_replace_cluster_nodes(ClusterName=HP, NodeIds=[node])["Successful"] == [node]
