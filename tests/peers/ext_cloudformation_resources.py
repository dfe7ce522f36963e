"""What hpops's cluster template uses that moto's CloudFormation lacks:
the intrinsic Fn::Cidr, and the resource types (moto 5.2.5 logs "No Moto CloudFormation support" and then fails the
stack's outputs): AWS::EKS::Cluster, AWS::EKS::Addon and
AWS::SageMaker::Cluster. Each is made in the backend the rest of the harness
serves, so that once a stack completes, EKS's DescribeCluster and SageMaker's
DescribeCluster find what it created, as on AWS, and deleting the stack
removes them. Attributes are those AWS documents for !GetAtt
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-eks-cluster.html,
.../aws-resource-eks-addon.html, .../aws-resource-sagemaker-cluster.html).
"""

from __future__ import annotations

import ipaddress
import itertools
from typing import Any

from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel
from moto.eks.models import eks_backends
from moto.sagemaker.models import sagemaker_backends


def _tags(props: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in props.get("Tags") or []}


class EksClusterResource(CloudFormationModel):
    __module__ = "moto.eks.hpops_harness"  # moto files models under the service in their module path

    def __init__(self, cluster: Any) -> None:
        self.cluster = cluster

    @property
    def physical_resource_id(self) -> str:
        return self.cluster.name

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::EKS::Cluster"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in ("Arn", "Endpoint", "CertificateAuthorityData", "ClusterSecurityGroupId", "Id",
                        "OpenIdConnectIssuerUrl", "EncryptionConfigKeyArn", "KubernetesNetworkConfig.ServiceIpv4Cidr")

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        c = self.cluster
        return {"Arn": c.arn, "Endpoint": c.endpoint, "Id": c.name,
                "CertificateAuthorityData": (c.certificate_authority or {}).get("data", ""),
                "ClusterSecurityGroupId": (c.resources_vpc_config or {}).get("clusterSecurityGroupId", ""),
                "OpenIdConnectIssuerUrl": ((c.identity or {}).get("oidc") or {}).get("issuer", ""),
                }.get(attribute_name, "")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any],
                                        account_id: str, region_name: str, **kwargs: Any) -> "EksClusterResource":
        props = cloudformation_json.get("Properties", {})
        vpc = props.get("ResourcesVpcConfig") or {}
        cluster = eks_backends[account_id][region_name].create_cluster(
            name=resource_name, role_arn=props["RoleArn"],
            resources_vpc_config={"subnetIds": vpc.get("SubnetIds", []),
                                  "securityGroupIds": vpc.get("SecurityGroupIds", []),
                                  "endpointPublicAccess": vpc.get("EndpointPublicAccess", True),
                                  "endpointPrivateAccess": vpc.get("EndpointPrivateAccess", False)},
            version=props.get("Version") or None, tags=_tags(props))
        import moto_extensions

        if api_server := moto_extensions.eks_api_server():  # a real kube-apiserver stands in for EKS's
            cluster.endpoint, cluster.certificate_authority = api_server[0], {"data": api_server[1]}
        return cls(cluster)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any],
                                        account_id: str, region_name: str) -> None:
        backend = eks_backends[account_id][region_name]
        if resource_name in backend.clusters:
            backend.clusters[resource_name].nodegroups.clear()  # AWS refuses; the template makes none
            backend.delete_cluster(resource_name)


class EksAddonResource(CloudFormationModel):
    """moto has no EKS add-ons: the resource is recorded and does nothing."""
    __module__ = "moto.eks.hpops_harness"

    def __init__(self, cluster: str, addon: str, arn: str) -> None:
        self.cluster, self.addon, self.arn = cluster, addon, arn

    @property
    def physical_resource_id(self) -> str:
        return f"{self.cluster}|{self.addon}"  # AWS's Ref: cluster and add-on names

    @staticmethod
    def cloudformation_name_type() -> str:
        return "AddonName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::EKS::Addon"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Arn"

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        return self.arn

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any],
                                        account_id: str, region_name: str, **kwargs: Any) -> "EksAddonResource":
        props = cloudformation_json.get("Properties", {})
        cluster, addon = props.get("ClusterName", ""), props.get("AddonName", resource_name)
        return cls(cluster, addon, f"arn:aws:eks:{region_name}:{account_id}:addon/{cluster}/{addon}/hpops")

    @classmethod
    def delete_from_cloudformation_json(cls, *args: Any) -> None:
        return None


class HyperPodClusterResource(CloudFormationModel):
    __module__ = "moto.sagemaker.hpops_harness"

    def __init__(self, name: str, arn: str, account_id: str, region_name: str) -> None:
        self.name, self.arn, self.account_id, self.region_name = name, arn, account_id, region_name

    @property
    def physical_resource_id(self) -> str:
        return self.arn  # AWS's Ref of a SageMaker::Cluster is its ARN

    @staticmethod
    def cloudformation_name_type() -> str:
        return "ClusterName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SageMaker::Cluster"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in ("ClusterArn", "ClusterStatus", "CreationTime", "FailureMessage")

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "ClusterArn":
            return self.arn
        described = sagemaker_backends[self.account_id][self.region_name].describe_cluster(self.name)
        return str(described.get({"ClusterStatus": "ClusterStatus", "CreationTime": "CreationTime"}.get(
            attribute_name, "FailureMessage"), ""))

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any],
                                        account_id: str, region_name: str, **kwargs: Any) -> "HyperPodClusterResource":
        props = cloudformation_json.get("Properties", {})
        groups = []
        for g in props.get("InstanceGroups") or []:
            group = dict(g)
            for number in ("InstanceCount", "ThreadsPerCore"):  # a Ref of a Number parameter arrives as text
                if number in group and group[number] is not None:
                    group[number] = int(group[number])
            groups.append(group)
        backend = sagemaker_backends[account_id][region_name]
        arn = backend.create_cluster(resource_name, groups, props.get("VpcConfig"), props.get("Tags"),
                                     props.get("Orchestrator"), props.get("NodeRecovery"), [])
        return cls(resource_name, arn, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any],
                                        account_id: str, region_name: str) -> None:
        backend = sagemaker_backends[account_id][region_name]
        for name, cluster in list(backend.clusters.items()):  # moto passes the Ref: the ARN
            if resource_name in (name, cluster.arn):
                del backend.clusters[name]  # the paced delete already showed it going


_moto_clean_json = parsing.clean_json


def _clean_json(resource_json: Any, resources_map: Any) -> Any:
    """Fn::Cidr [block, count, bits]: the first `count` subnets of `block`
    with `bits` host bits each, as AWS documents it
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-cidr.html)."""
    if isinstance(resource_json, dict) and "Fn::Cidr" in resource_json:
        block, count, bits = (_clean_json(v, resources_map) for v in resource_json["Fn::Cidr"])
        network = ipaddress.ip_network(block)
        subnets = network.subnets(new_prefix=network.max_prefixlen - int(bits))
        return [str(s) for s in itertools.islice(subnets, int(count))]
    return _moto_clean_json(resource_json, resources_map)


def install() -> None:
    parsing.clean_json = _clean_json  # moto's own recursion looks the name up here too
    # moto reads CloudFormationModel's subclasses once and caches the map.
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()
