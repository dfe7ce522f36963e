"""The CloudFormation part of the moto harness (ext_cloudformation.py): stacks
that take time, resource by resource, fail and roll back, and delete in
steps, as AWS's do; the parameters ValidateTemplate lists."""
from __future__ import annotations

import os
import sys
import time
import urllib.request

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import moto_peer  # noqa: E402
import seed_aws  # noqa: E402

SECONDS = 1.5
TEMPLATE = """
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Bucket: {Type: AWS::S3::Bucket}
  Topic: {Type: AWS::SNS::Topic}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      BillingMode: PAY_PER_REQUEST
"""


def _post(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=10).read()


@pytest.fixture(scope="module")
def peer():
    endpoint, stop = moto_peer.start_moto(seed=False, update_seconds=SECONDS)
    yield endpoint
    stop()


@pytest.fixture
def cfn(peer):
    _post(f"{peer}/hpops/reset")
    return seed_aws.client(peer, "cloudformation")


def _follow(cfn, name: str, until: set[str], timeout: float = 15.0) -> list[str]:
    seen, deadline = [], time.monotonic() + timeout
    while True:
        status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in until:
            return seen
        assert time.monotonic() < deadline, seen
        time.sleep(0.05)


def _events(cfn, name: str) -> list[tuple[str, str, str]]:
    """Oldest first: (logical id, status, reason)."""
    events, token = [], None
    while True:
        page = cfn.describe_stack_events(StackName=name, **({"NextToken": token} if token else {}))
        events += page["StackEvents"]
        token = page.get("NextToken")
        if not token:
            break
    return [(e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason", "")) for e in events][::-1]


def test_a_stack_is_created_resource_by_resource(cfn):
    cfn.create_stack(StackName="paced", TemplateBody=TEMPLATE)
    resources = cfn.describe_stack_resources(StackName="paced")["StackResources"]
    assert len(resources) <= 2 and all(r["ResourceStatus"] == "CREATE_IN_PROGRESS" for r in resources), resources
    assert _follow(cfn, "paced", {"CREATE_COMPLETE"}) == ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"]
    events = _events(cfn, "paced")
    assert events[0] == ("paced", "CREATE_IN_PROGRESS", "User Initiated")
    assert events[-1][:2] == ("paced", "CREATE_COMPLETE")
    for logical in ("Queue", "Bucket", "Topic", "Table"):
        statuses = [s for (l, s, _) in events if l == logical]
        assert statuses == ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"], (logical, events)
    assert {r["ResourceStatus"] for r in cfn.describe_stack_resources(StackName="paced")["StackResources"]} == {
        "CREATE_COMPLETE"}


def test_a_failing_resource_rolls_the_stack_back_with_its_reason_first(cfn, peer):
    _post(f"{peer}/hpops/stack-failure?resource=Topic&reason=Resource+handler+returned+message%3A+quota+exceeded")
    cfn.create_stack(StackName="doomed", TemplateBody=TEMPLATE)
    seen = _follow(cfn, "doomed", {"ROLLBACK_COMPLETE"})
    assert seen[0] == "CREATE_IN_PROGRESS" and seen[-1] == "ROLLBACK_COMPLETE"
    events = _events(cfn, "doomed")
    failures = [(l, r) for (l, s, r) in events if s == "CREATE_FAILED"]
    assert failures[0] == ("Topic", "Resource handler returned message: quota exceeded")
    assert all(r == "Resource creation cancelled" for _, r in failures[1:])
    rollback = [r for (l, s, r) in events if s == "ROLLBACK_IN_PROGRESS"]
    assert rollback and "[Topic]" in rollback[0]
    created = [l for (l, s, _) in events if s == "CREATE_COMPLETE" and l != "doomed"]
    deleted = [l for (l, s, _) in events if s == "DELETE_COMPLETE"]
    assert sorted(created) == sorted(deleted) and created, events


def test_a_stack_is_deleted_in_steps_and_stays_findable_by_id(cfn):
    stack_id = cfn.create_stack(StackName="brief", TemplateBody=TEMPLATE)["StackId"]
    _follow(cfn, "brief", {"CREATE_COMPLETE"})
    cfn.delete_stack(StackName="brief")
    assert cfn.describe_stacks(StackName="brief")["Stacks"][0]["StackStatus"] == "DELETE_IN_PROGRESS"
    _follow(cfn, stack_id, {"DELETE_COMPLETE"})
    with pytest.raises(Exception, match="does not exist"):
        cfn.describe_stacks(StackName="brief")
    deletes = [l for (l, s, _) in _events(cfn, stack_id) if s == "DELETE_COMPLETE"]
    assert deletes[-1] == "brief" and set(deletes[:-1]) == {"Queue", "Bucket", "Topic", "Table"}
    assert cfn.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"][0]["StackId"] == stack_id


def test_settle_finishes_a_stack_at_once(cfn, peer):
    cfn.create_stack(StackName="hurried", TemplateBody=TEMPLATE)
    _post(f"{peer}/hpops/settle")
    assert cfn.describe_stacks(StackName="hurried")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_events_are_paged_by_a_hundred(cfn, peer):
    many = "Resources:\n" + "".join(f"  Q{i}: {{Type: AWS::SQS::Queue}}\n" for i in range(60))
    _post(f"{peer}/hpops/config?update_seconds=0.3")
    cfn.create_stack(StackName="many", TemplateBody=many)
    _follow(cfn, "many", {"CREATE_COMPLETE"})
    first = cfn.describe_stack_events(StackName="many")
    assert len(first["StackEvents"]) == 100 and first["NextToken"]
    assert len(_events(cfn, "many")) == 2 + 60 * 2


def test_validate_template_lists_parameters_and_capabilities(cfn):
    with open(os.path.join(os.path.dirname(__file__), "../../deploy/cloudformation/hyperpod-eks.yaml")) as f:
        summary = cfn.validate_template(TemplateBody=f.read())
    keys = {p["ParameterKey"]: p for p in summary["Parameters"]}
    assert keys["InstanceType"]["DefaultValue"] == "ml.g5.8xlarge"
    assert "AvailabilityZone1" in keys and "DefaultValue" not in keys["AvailabilityZone1"]
    assert summary["Capabilities"] == ["CAPABILITY_IAM"]


def test_hpops_template_makes_eks_and_hyperpod_clusters_and_delete_removes_them(cfn, peer):
    _post(f"{peer}/hpops/config?update_seconds=0.5")
    with open(os.path.join(os.path.dirname(__file__), "../../deploy/cloudformation/hyperpod-eks.yaml")) as f:
        body = f.read()
    params = {"ResourceNamePrefix": "t1", "AvailabilityZone1": "us-west-2a", "AvailabilityZone2": "us-west-2b"}
    stack_id = cfn.create_stack(StackName="t1", TemplateBody=body, Capabilities=["CAPABILITY_IAM"],
                                Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()])[
        "StackId"]
    _follow(cfn, "t1", {"CREATE_COMPLETE"})
    outputs = {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName="t1")["Stacks"][0]["Outputs"]}
    eks, sagemaker = seed_aws.client(peer, "eks"), seed_aws.client(peer, "sagemaker")
    cluster = eks.describe_cluster(name=outputs["EksClusterName"])["cluster"]
    assert cluster["arn"] == outputs["EksClusterArn"] and cluster["tags"] == {"hpops:cluster": "t1"}
    hyperpod = sagemaker.describe_cluster(ClusterName="t1")
    assert hyperpod["ClusterArn"] == outputs["HyperPodClusterArn"]
    assert hyperpod["Orchestrator"]["Eks"]["ClusterArn"] == cluster["arn"]
    assert [(g["InstanceGroupName"], g["InstanceType"], g["TargetCount"]) for g in hyperpod["InstanceGroups"]] == [
        ("gpu-workers", "ml.g5.8xlarge", 2)]
    private = outputs["PrivateSubnetIds"].split(",")
    assert len(private) == 2, "Fn::Cidr gave the subnets their blocks"
    resources = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                 for r in cfn.describe_stack_resources(StackName="t1")["StackResources"]}
    assert resources["EksCluster"] == "t1-eks" and resources["Vpc"] == outputs["VpcId"], "moto's own ids"
    cfn.delete_stack(StackName="t1")
    _follow(cfn, stack_id, {"DELETE_COMPLETE"})
    assert "t1-eks" not in eks.list_clusters()["clusters"]
    assert sagemaker.list_clusters()["ClusterSummaries"] == []
