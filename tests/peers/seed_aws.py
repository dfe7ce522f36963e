#!/usr/bin/env python3
"""Seeds a running moto peer with the scene of seed 000 (node group
management), through boto3 only, as a real account would be set up:

  VPC 10.0.0.0/16 with subnets in <region>a and <region>b, a security group,
  IAM roles for the EKS cluster, its nodes and the HyperPod execution role,
  an S3 bucket sagemaker-hpops-lifecycle-<account> with on_create.sh;
  EKS cluster hpops-demo (1.31) with managed node groups
    spot-ng-with-hypd  m5.large     SPOT       AL2023_x86_64_STANDARD  1/2/1
    gpu-ng             g5.12xlarge  ON_DEMAND  AL2023_x86_64_NVIDIA    0/8/4, GPU labels and taint
  HyperPod cluster hp-cluster orchestrated by hpops-demo, NodeRecovery Automatic:
    accelerated-worker-group-1  ml.g5.12xlarge  2
    controller-group            ml.m5.xlarge    1

seed(endpoint) returns names and ARNs (also printed as JSON by the CLI:
`python seed_aws.py --endpoint http://127.0.0.1:PORT`). It waits until the
node groups are ACTIVE and the HyperPod cluster InService, first asking the
harness to settle (POST /hpops/settle) so seeding does not wait out the
simulated provisioning time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from typing import Any

import boto3

REGION = "us-west-2"
EKS_CLUSTER = "hpops-demo"
HP_CLUSTER = "hp-cluster"
NODEGROUPS = ("gpu-ng", "spot-ng-with-hypd")
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


_session: boto3.session.Session | None = None


def client(endpoint: str, service: str, region: str = REGION) -> Any:
    # One session: it caches the loaded service models, so clients are cheap.
    global _session
    if _session is None:
        _session = boto3.session.Session(**CREDENTIALS)
    return _session.client(service, endpoint_url=endpoint, region_name=region)


def _trust(service: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


def _network(ec2: Any, region: str) -> dict[str, Any]:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i + 1}.0/24",
                                 AvailabilityZone=f"{region}{az}")["Subnet"]["SubnetId"]
               for i, az in enumerate("ab")]
    sg = ec2.create_security_group(GroupName=f"{EKS_CLUSTER}-cluster-sg", VpcId=vpc,
                                   Description="hpops demo cluster")["GroupId"]
    return {"vpc": vpc, "subnets": subnets, "security_group": sg}


def _roles(iam: Any) -> dict[str, str]:
    wanted = {"cluster_role_arn": ("EKS-ClusterRole-hpops-demo", "eks.amazonaws.com"),
              "node_role_arn": ("EKS-NodeRole-hpops-demo", "ec2.amazonaws.com"),
              "execution_role_arn": ("hp-cluster-SMHP-Exec-Role", "sagemaker.amazonaws.com")}
    return {key: iam.create_role(RoleName=name, AssumeRolePolicyDocument=_trust(principal))["Role"]["Arn"]
            for key, (name, principal) in wanted.items()}


def _nodegroups(eks: Any, subnets: list[str], node_role: str) -> None:
    common = {"clusterName": EKS_CLUSTER, "subnets": subnets, "nodeRole": node_role}
    eks.create_nodegroup(nodegroupName="spot-ng-with-hypd", instanceTypes=["m5.large"], capacityType="SPOT",
                         amiType="AL2023_x86_64_STANDARD",
                         scalingConfig={"minSize": 1, "maxSize": 2, "desiredSize": 1},
                         labels={"hpops.io/pool": "spot"}, **common)
    eks.create_nodegroup(nodegroupName="gpu-ng", instanceTypes=["g5.12xlarge"], capacityType="ON_DEMAND",
                         amiType="AL2023_x86_64_NVIDIA",
                         scalingConfig={"minSize": 0, "maxSize": 8, "desiredSize": 4},
                         labels={"hpops.io/pool": "gpu", "nvidia.com/gpu.present": "true"},
                         taints=[{"key": "nvidia.com/gpu", "value": "true", "effect": "NO_SCHEDULE"}],
                         **common)


def _hyperpod(sm: Any, eks_arn: str, exec_role: str, bucket: str, net: dict[str, Any]) -> str:
    def group(name: str, itype: str, count: int) -> dict[str, Any]:
        return {"InstanceGroupName": name, "InstanceType": itype, "InstanceCount": count,
                "ExecutionRole": exec_role, "ThreadsPerCore": 1,
                "LifeCycleConfig": {"SourceS3Uri": f"s3://{bucket}/lifecycle/", "OnCreate": "on_create.sh"}}

    return sm.create_cluster(
        ClusterName=HP_CLUSTER, Orchestrator={"Eks": {"ClusterArn": eks_arn}}, NodeRecovery="Automatic",
        VpcConfig={"SecurityGroupIds": [net["security_group"]], "Subnets": net["subnets"][:1]},
        InstanceGroups=[group("accelerated-worker-group-1", "ml.g5.12xlarge", 2),
                        group("controller-group", "ml.m5.xlarge", 1)],
        Tags=[{"Key": "hpops.io/demo", "Value": "true"}])["ClusterArn"]


def settle(endpoint: str) -> bool:
    """Finish simulated provisioning now; False when the peer has no harness."""
    try:
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/hpops/settle", method="POST"), timeout=5)
        return True
    except urllib.error.URLError:
        return False


def wait_ready(endpoint: str, region: str = REGION, timeout: float = 30.0) -> None:
    eks, sm = client(endpoint, "eks", region), client(endpoint, "sagemaker", region)
    deadline = time.monotonic() + timeout
    while True:
        states = [eks.describe_nodegroup(clusterName=EKS_CLUSTER, nodegroupName=n)["nodegroup"]["status"]
                  for n in NODEGROUPS]
        hp = sm.describe_cluster(ClusterName=HP_CLUSTER)["ClusterStatus"]
        if all(s == "ACTIVE" for s in states) and hp == "InService":
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"seed not ready: node groups {states}, HyperPod {hp}")
        time.sleep(0.1)


def seed(endpoint: str, region: str = REGION, wait: bool = True) -> dict[str, Any]:
    ec2, iam, s3 = (client(endpoint, s, region) for s in ("ec2", "iam", "s3"))
    eks, sm, sts = (client(endpoint, s, region) for s in ("eks", "sagemaker", "sts"))
    account = sts.get_caller_identity()["Account"]
    net = _network(ec2, region)
    roles = _roles(iam)
    bucket = f"sagemaker-hpops-lifecycle-{account}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region}
                     if region != "us-east-1" else {})
    s3.put_object(Bucket=bucket, Key="lifecycle/on_create.sh", Body=b"#!/bin/bash\necho hpops demo node\n")
    eks_arn = eks.create_cluster(
        name=EKS_CLUSTER, version="1.31", roleArn=roles["cluster_role_arn"],
        resourcesVpcConfig={"subnetIds": net["subnets"], "securityGroupIds": [net["security_group"]]},
        tags={"hpops.io/demo": "true"})["cluster"]["arn"]
    _nodegroups(eks, net["subnets"], roles["node_role_arn"])
    hp_arn = _hyperpod(sm, eks_arn, roles["execution_role_arn"], bucket, net)
    if wait:
        settle(endpoint)
        wait_ready(endpoint, region)
    return {"region": region, "account": account, "eks_cluster": EKS_CLUSTER, "eks_cluster_arn": eks_arn,
            "nodegroups": list(NODEGROUPS), "hyperpod_cluster": HP_CLUSTER, "hyperpod_cluster_arn": hp_arn,
            "lifecycle_bucket": bucket, **net, **roles}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seed a moto peer with the hpops demo scene.")
    parser.add_argument("--endpoint", required=True, help="e.g. http://127.0.0.1:5000")
    parser.add_argument("--region", default=REGION)
    parser.add_argument("--no-wait", action="store_true", help="do not wait for ACTIVE/InService")
    args = parser.parse_args(argv)
    print(json.dumps(seed(args.endpoint, args.region, wait=not args.no_wait)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
