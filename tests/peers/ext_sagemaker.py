"""SageMaker HyperPod part of the hpops moto harness; the inventory is in
moto_extensions.py.

A cluster holds its instance groups and nodes; at most one change (create,
update, delete) is in flight per cluster, since UpdateCluster needs InService.
Node state is the single source of truth for CurrentCount: a group's
CurrentCount is its nodes that are not Pending.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random as random
from moto.sagemaker.exceptions import (
    ConflictException,
    ResourceInUseException,
    ResourceNotFound,
    ValidationError,
)
from moto.sagemaker.models import Cluster, ClusterNode, SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

import moto_extensions as common

MAX_COUNT = 6758  # ClusterInstanceCount in the model
GROUP_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9])*$")
NODE_ID = re.compile(r"^i-[a-f0-9]{8}(?:[a-f0-9]{9})?$")  # ClusterNodeId in the model
MAX_BATCH = 25  # Batch{Reboot,Replace}ClusterNodesRequestNodeIdsList
# Request members this harness does not model: rejected, never silently ignored.
UNMODELLED = ("RestrictedInstanceGroups", "RestrictedInstanceGroupsConfig", "TieredStorageConfig",
              "NodeProvisioningMode", "ClusterRole", "AutoScaling")


@lru_cache(maxsize=1)
def instance_types() -> tuple[str, ...]:
    """ClusterInstanceType from the installed botocore model (moto's list is
    from 2024 and lacks ml.g6.* and newer types)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("sagemaker")
    return tuple(model.shape_for("ClusterInstanceType").enum)


def _field_error(value: Any, where: str, constraint: str) -> ValidationError:
    shown = "null" if value is None else f"'{value}'"
    return ValidationError(f"1 validation error detected: Value {shown} at '{where}' "
                           f"failed to satisfy constraint: {constraint}")


def _check_specs(specs: list[dict[str, Any]], field: str = "instanceGroups") -> None:
    """Syntactic checks AWS makes before looking anything up."""
    seen: set[str] = set()
    for i, spec in enumerate(specs, start=1):
        at = f"{field}.{i}.member"
        for key in ("InstanceGroupName", "InstanceCount", "ExecutionRole"):
            if spec.get(key) is None:
                raise _field_error(None, f"{at}.{key[0].lower()}{key[1:]}", "Member must not be null")
        name, count = spec["InstanceGroupName"], spec["InstanceCount"]
        if not (1 <= len(name) <= 63 and GROUP_NAME.match(name)):
            raise _field_error(name, f"{at}.instanceGroupName",
                               "Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9])*")
        if not 0 <= count <= MAX_COUNT:
            bound = "greater than or equal to 0" if count < 0 else f"less than or equal to {MAX_COUNT}"
            raise _field_error(count, f"{at}.instanceCount", f"Member must have value {bound}")
        threads = spec.get("ThreadsPerCore")
        if threads is not None and threads not in (1, 2):
            raise _field_error(threads, f"{at}.threadsPerCore", "Member must have value between 1 and 2")
        itype = spec.get("InstanceType")
        if itype is not None and itype not in instance_types():
            raise _field_error(itype, f"{at}.instanceType", "Member must satisfy enum value set")
        if spec.get("InstanceRequirements") is not None:
            raise ValidationError("InstanceRequirements is not modelled by the hpops moto harness.")
        uri = (spec.get("LifeCycleConfig") or {}).get("SourceS3Uri")
        if uri is not None and not uri.startswith("s3://sagemaker-"):
            raise ValidationError(f"Validation Error: SourceS3Uri {uri} does not start with 's3://sagemaker'.")
        if name in seen:
            raise ValidationError(f"Instance group name {name} is specified more than once.")
        seen.add(name)


class HyperPodCluster(Cluster):
    """moto's Cluster with the state AWS shows; skips Cluster.__init__, whose
    validation and node bookkeeping this harness replaces."""

    # moto's model metaclass files classes under the service named by the
    # module path (moto.<service>....); this one belongs to sagemaker.
    __module__ = "moto.sagemaker.hpops_harness"

    def __init__(self, backend: SageMakerModelBackend, name: str, vpc_config: Any, tags: Any,
                 orchestrator: dict | None, node_recovery: str | None) -> None:
        self.region_name, self.account_id = backend.region_name, backend.account_id
        self.cluster_name = name
        self.arn = (f"arn:{backend.partition}:sagemaker:{backend.region_name}:{backend.account_id}:cluster/"
                    f"{random.get_random_string(length=12, lower_case=True)}")
        self.status = "Creating"
        self.creation_time = utcnow()
        self.failure_message = ""
        self.vpc_config, self.tags = vpc_config, tags or []
        self.orchestrator, self.node_recovery = orchestrator, node_recovery
        self.groups: dict[str, dict[str, Any]] = {}
        self.nodes: dict[str, ClusterNode] = {}
        self.change: dict[str, Any] | None = None
        # Node recoveries in flight, by instance id: {"kind": reboot|replace|launch, "window": (started, due)}.
        self.recoveries: dict[str, dict[str, Any]] = {}

    @property
    def instance_groups(self) -> list[dict[str, Any]]:
        out = []
        for name, group in self.groups.items():
            detail = {k: v for k, v in group["spec"].items() if k not in ("InstanceCount", "MinInstanceCount")}
            detail.update(CurrentCount=self.current_count(name), TargetCount=group["target"],
                          Status=group["status"])
            out.append(detail)
        return out

    def current_count(self, group: str) -> int:
        return sum(1 for n in self.nodes.values() if n.instance_group_name == group and n.status != "Pending")

    def describe(self) -> dict[str, Any]:
        out = {"ClusterArn": self.arn, "ClusterName": self.cluster_name, "ClusterStatus": self.status,
               "CreationTime": self.creation_time, "InstanceGroups": self.instance_groups,
               "VpcConfig": self.vpc_config, "Orchestrator": self.orchestrator,
               "NodeRecovery": self.node_recovery}
        if self.failure_message:
            out["FailureMessage"] = self.failure_message
        return out

    def summary(self) -> dict[str, Any]:
        return {"ClusterArn": self.arn, "ClusterName": self.cluster_name,
                "CreationTime": self.creation_time, "ClusterStatus": self.status}

    def launch(self, group: str, count: int) -> list[str]:
        spec = self.groups[group]["spec"]
        ids = []
        for _ in range(count):
            node_id = "i-" + random.get_random_hex(17)
            node = ClusterNode(self.region_name, self.account_id, self.cluster_name, group,
                               spec["InstanceType"], spec.get("LifeCycleConfig"), spec["ExecutionRole"],
                               node_id, spec.get("ThreadsPerCore"))
            node.status = "Pending"
            self.nodes[node_id] = node
            ids.append(node_id)
        return ids

    def retire(self, group: str, count: int) -> list[str]:
        """Newest nodes first; they stay counted while ShuttingDown."""
        mine = sorted((n for n in self.nodes.values() if n.instance_group_name == group),
                      key=lambda n: n.launch_time, reverse=True)[:count]
        for node in mine:
            node.status = "ShuttingDown"
        return [n.instance_id for n in mine]

    def start_change(self, add: list[str], remove: list[str], **extra: Any) -> None:
        self.change = {"window": common.new_window(), "add": add, "remove": remove,
                       "delete_groups": [], "types": {}, "delete_cluster": False, **extra}


def _advance(backend: SageMakerModelBackend) -> None:
    for cluster in list(backend.clusters.values()):
        change = getattr(cluster, "change", None)
        _advance_recoveries(cluster)
        if not change:
            continue
        done = common.progress(*change["window"])
        for node_id in change["add"][: int(len(change["add"]) * done)]:
            if node_id in cluster.nodes:
                cluster.nodes[node_id].status = "Running"
        for node_id in change["remove"][: int(len(change["remove"]) * done)]:
            cluster.nodes.pop(node_id, None)
        if done < 1.0:
            continue
        for group, itype in change["types"].items():
            cluster.groups[group]["spec"]["InstanceType"] = itype
            for node in cluster.nodes.values():
                if node.instance_group_name == group:
                    node.instance_type = itype
        for group in change["delete_groups"]:
            cluster.groups.pop(group, None)
        for group in cluster.groups.values():
            group["status"] = "InService"
        cluster.status, cluster.change = "InService", None
        if change["delete_cluster"]:
            backend.clusters.pop(cluster.cluster_name, None)


def _advance_recoveries(cluster: HyperPodCluster) -> None:
    """A reboot ends with the node Running again; a replacement with the old
    instance gone and a new one (new id, same group) Pending, then Running."""
    recoveries = getattr(cluster, "recoveries", {})
    for node_id, recovery in list(recoveries.items()):
        if common.progress(*recovery["window"]) < 1.0:
            continue
        del recoveries[node_id]
        node = cluster.nodes.get(node_id)
        if node is None:
            continue
        node.status_message = ""
        if recovery["kind"] == "replace":
            del cluster.nodes[node_id]
            [new_id] = cluster.launch(node.instance_group_name, 1)
            cluster.nodes[new_id].status_message = f"Replacement for {node_id}"
            recoveries[new_id] = {"kind": "launch", "window": common.new_window()}
        else:
            node.status = "Running"


def _find(backend: SageMakerModelBackend, name_or_arn: str) -> HyperPodCluster:
    for cluster in backend.clusters.values():
        if name_or_arn in (cluster.cluster_name, cluster.arn):
            return cluster
    raise ResourceNotFound(f"Cluster {name_or_arn} not found.")


def _reject_unmodelled(unmodelled: list[str], op: str) -> None:
    if unmodelled:
        raise ValidationError(f"{', '.join(unmodelled)} on {op} is not modelled by the hpops moto harness.")


# --- backend methods -------------------------------------------------------

def create_cluster(self: SageMakerModelBackend, cluster_name: str, instance_groups: list | None,
                   vpc_config: Any = None, tags: Any = None, orchestrator: dict | None = None,
                   node_recovery: str | None = None, unmodelled: list[str] | None = None) -> str:
    groups = instance_groups or []
    _check_specs(groups)
    _reject_unmodelled(unmodelled or [], "CreateCluster")
    if not groups:
        raise ValidationError("At least one instance group is required.")
    for spec in groups:
        if spec.get("InstanceType") is None:
            raise ValidationError(f"InstanceType is required for instance group {spec['InstanceGroupName']}.")
    if cluster_name in self.clusters:
        raise ResourceInUseException(f"Resource Already Exists: Cluster with name {cluster_name} already exists. "
                                     "Choose a different name.")
    eks_arn = ((orchestrator or {}).get("Eks") or {}).get("ClusterArn")
    if eks_arn:
        from moto.eks.models import eks_backends

        parts = eks_arn.split(":")
        eks = eks_backends[parts[4]][parts[3]] if len(parts) > 5 else None
        if eks is None or not any(c.arn == eks_arn for c in eks.clusters.values()):
            raise ValidationError(f"The EKS cluster {eks_arn} does not exist.")
    cluster = HyperPodCluster(self, cluster_name, vpc_config, tags, orchestrator, node_recovery)
    added: list[str] = []
    for spec in groups:
        name = spec["InstanceGroupName"]
        cluster.groups[name] = {"spec": dict(spec), "target": spec["InstanceCount"], "status": "Creating"}
        added += cluster.launch(name, spec["InstanceCount"])
    cluster.start_change(added, [])
    self.clusters[cluster_name] = cluster
    return cluster.arn


def update_cluster(self: SageMakerModelBackend, cluster_name: str, instance_groups: list | None,
                   instance_groups_to_delete: list | None, node_recovery: str | None,
                   unmodelled: list[str]) -> str:
    specs, doomed = instance_groups or [], instance_groups_to_delete or []
    _check_specs(specs)
    cluster = _find(self, cluster_name)
    if cluster.status != "InService":
        raise ConflictException(f"Cluster {cluster.cluster_name} is in {cluster.status} status. "
                                "Update is allowed only when the cluster is InService.")
    _reject_unmodelled(unmodelled, "UpdateCluster")
    if not specs and not doomed and node_recovery is None:
        raise ValidationError("Specify at least one of InstanceGroups, InstanceGroupsToDelete or NodeRecovery.")
    for name in doomed:
        if name not in cluster.groups:
            raise ValidationError(f"Instance group {name} in InstanceGroupsToDelete does not exist "
                                  f"in cluster {cluster.cluster_name}.")
        if any(s["InstanceGroupName"] == name for s in specs):
            raise ValidationError(f"Instance group {name} cannot be both updated and deleted.")
    if doomed and not specs and set(doomed) >= set(cluster.groups):
        raise ValidationError("A cluster must keep at least one instance group; use DeleteCluster instead.")
    for spec in specs:
        if spec["InstanceGroupName"] not in cluster.groups and spec.get("InstanceType") is None:
            raise ValidationError(f"InstanceType is required to add instance group {spec['InstanceGroupName']}.")

    add: list[str] = []
    remove: list[str] = []
    types: dict[str, str] = {}
    for spec in specs:
        name, count = spec["InstanceGroupName"], spec["InstanceCount"]
        group = cluster.groups.get(name)
        if group is None:  # a new group, added with this update
            cluster.groups[name] = {"spec": dict(spec), "target": count, "status": "Creating"}
            add += cluster.launch(name, count)
            continue
        old_type = group["spec"]["InstanceType"]
        group["spec"].update({k: v for k, v in spec.items() if k != "InstanceType"})
        if spec.get("InstanceType") not in (None, old_type):
            types[name] = spec["InstanceType"]
        have = sum(1 for n in cluster.nodes.values() if n.instance_group_name == name)
        group["target"], group["status"] = count, "Updating"
        if count > have:
            add += cluster.launch(name, count - have)
        elif count < have:
            remove += cluster.retire(name, have - count)
    for name in doomed:
        cluster.groups[name].update(target=0, status="Deleting")
        remove += cluster.retire(name, len(cluster.nodes))
    if node_recovery is not None:
        cluster.node_recovery = node_recovery
    cluster.status = "Updating"
    cluster.start_change(add, remove, types=types, delete_groups=list(doomed))
    return cluster.arn


def delete_cluster(self: SageMakerModelBackend, cluster_name: str) -> str:
    cluster = _find(self, cluster_name)
    if cluster.status == "Deleting":
        raise ConflictException(f"Cluster {cluster.cluster_name} is already being deleted.")
    pending = [n for n, node in cluster.nodes.items() if node.status == "Pending"]
    for node_id in pending:  # never came up: nothing to shut down
        del cluster.nodes[node_id]
    for node in cluster.nodes.values():
        node.status = "ShuttingDown"
    for group in cluster.groups.values():
        group.update(target=0, status="Deleting")
    cluster.status = "Deleting"
    cluster.start_change([], list(cluster.nodes), delete_groups=list(cluster.groups), delete_cluster=True)
    return cluster.arn


def describe_cluster(self: SageMakerModelBackend, cluster_name: str) -> dict[str, Any]:
    return _find(self, cluster_name).describe()


_native_list_nodes = SageMakerModelBackend.list_cluster_nodes
_native_describe_node = SageMakerModelBackend.describe_cluster_node


def list_cluster_nodes(self: SageMakerModelBackend, cluster_name: str, **kwargs: Any) -> Any:
    return _native_list_nodes(self, cluster_name=_find(self, cluster_name).cluster_name, **kwargs)


def describe_cluster_node(self: SageMakerModelBackend, cluster_name: str, node_id: str | None) -> Any:
    """As moto, but an unknown node is ResourceNotFound (the model's error,
    not moto's ValidationException) and the status message says why."""
    cluster = _find(self, cluster_name)
    if not node_id:
        raise ValidationError("Either NodeId or NodeLogicalId must be provided.")
    if node_id not in cluster.nodes:
        raise ResourceNotFound(f"Node {node_id} not found in cluster {cluster.cluster_name}.")
    details = _native_describe_node(self, cluster_name=cluster.cluster_name, node_id=node_id)
    message = getattr(cluster.nodes[node_id], "status_message", "")
    details["InstanceStatus"] = {"Status": details["InstanceStatus"]["Status"], **({"Message": message} if message else {})}
    return details


def recover_cluster_nodes(self: SageMakerModelBackend, kind: str, cluster_name: str, node_ids: list | None,
                          logical_ids: list | None) -> dict[str, Any]:
    """BatchRebootClusterNodes / BatchReplaceClusterNodes. The request is
    checked as a whole (field constraints, cluster exists); each node is then
    accepted or refused on its own, refusals in Failed with the model's codes."""
    cluster = _find(self, cluster_name)
    if logical_ids is not None:
        raise ValidationError("NodeLogicalIds is not modelled by the hpops moto harness.")
    if not node_ids:
        raise ValidationError("Either NodeIds or NodeLogicalIds must be provided.")
    if len(node_ids) > MAX_BATCH:
        raise _field_error(node_ids, "nodeIds", f"Member must have length less than or equal to {MAX_BATCH}")
    for i, node_id in enumerate(node_ids, start=1):
        if not isinstance(node_id, str) or not NODE_ID.match(node_id):
            raise _field_error(node_id, f"nodeIds.{i}.member",
                               "Member must satisfy regular expression pattern: i-[a-f0-9]{8}(?:[a-f0-9]{9})?")
    verb = "reboot" if kind == "reboot" else "replace"
    successful: list[str] = []
    failed: list[dict[str, str]] = []
    for node_id in dict.fromkeys(node_ids):
        node = cluster.nodes.get(node_id)
        if node is None:
            failed.append({"NodeId": node_id, "ErrorCode": "InstanceIdNotFound",
                           "Message": f"Node {node_id} not found in cluster {cluster.cluster_name}."})
        elif node_id in cluster.recoveries:
            doing = {"reboot": "rebooted", "replace": "replaced", "launch": "launched"}[cluster.recoveries[node_id]["kind"]]
            failed.append({"NodeId": node_id, "ErrorCode": "InstanceIdInUse",
                           "Message": f"Node {node_id} is already being {doing}."})
        elif node.status not in ("Running", "Failure"):
            failed.append({"NodeId": node_id, "ErrorCode": "InvalidInstanceStatus",
                           "Message": f"Cannot {verb} node {node_id} in status {node.status}."})
        else:
            node.status = "Pending" if kind == "reboot" else "ShuttingDown"
            node.status_message = f"{'Rebooting' if kind == 'reboot' else 'Replacing'} on request"
            cluster.recoveries[node_id] = {"kind": kind, "window": common.new_window()}
            successful.append(node_id)
    out: dict[str, Any] = {"Failed": failed}
    if successful:  # ClusterNodeIds has min 1: absent rather than empty
        out["Successful"] = successful
    return out


def set_node_status(cluster_name: str, node_id: str, status: str, message: str) -> None:
    """What a test writes: a node's instance status as SageMaker would show it
    (a hardware fault: Failure)."""
    from moto.sagemaker.models import sagemaker_backends

    enum = ("Running", "Failure", "Pending", "ShuttingDown", "SystemUpdating", "DeepHealthCheckInProgress")
    if status not in enum:
        raise ValueError(f"status must be one of {', '.join(enum)}")
    for account in sagemaker_backends.values():
        for backend in account.values():
            for cluster in backend.clusters.values():
                if cluster.cluster_name == cluster_name and node_id in cluster.nodes:
                    cluster.nodes[node_id].status = status
                    cluster.nodes[node_id].status_message = message
                    return
    raise KeyError(f"no node {node_id} in a cluster {cluster_name}")


# --- response methods -------------------------------------------------------

def _unmodelled(self: SageMakerResponse) -> list[str]:
    return [key for key in UNMODELLED if self._get_param(key) is not None]


def _create_cluster_action(self: SageMakerResponse) -> ActionResult:
    arn = self.sagemaker_backend.create_cluster(
        cluster_name=self._get_param("ClusterName"), instance_groups=self._get_param("InstanceGroups"),
        vpc_config=self._get_param("VpcConfig"), tags=self._get_param("Tags"),
        orchestrator=self._get_param("Orchestrator"), node_recovery=self._get_param("NodeRecovery"),
        unmodelled=_unmodelled(self))
    return ActionResult({"ClusterArn": arn})


def _update_cluster_action(self: SageMakerResponse) -> ActionResult:
    unmodelled = _unmodelled(self) + (["Orchestrator"] if self._get_param("Orchestrator") else [])
    arn = self.sagemaker_backend.update_cluster(
        cluster_name=self._get_param("ClusterName"), instance_groups=self._get_param("InstanceGroups"),
        instance_groups_to_delete=self._get_param("InstanceGroupsToDelete"),
        node_recovery=self._get_param("NodeRecovery"), unmodelled=unmodelled)
    return ActionResult({"ClusterArn": arn})


_native_node_summary = ClusterNode.summary


def _node_summary(self: ClusterNode) -> dict[str, Any]:
    """moto's summary says Message "message" for every node; this one says why, or nothing."""
    out = _native_node_summary(self)
    message = getattr(self, "status_message", "")
    out["InstanceStatus"] = {"Status": self.status, **({"Message": message} if message else {})}
    return out


def _recover_action(kind: str) -> Callable[[SageMakerResponse], ActionResult]:
    def action(self: SageMakerResponse) -> ActionResult:
        return ActionResult(self.sagemaker_backend.recover_cluster_nodes(
            kind=kind, cluster_name=self._get_param("ClusterName"), node_ids=self._get_param("NodeIds"),
            logical_ids=self._get_param("NodeLogicalIds")))
    return action


def _describe_cluster_node_action(self: SageMakerResponse) -> ActionResult:
    details = self.sagemaker_backend.describe_cluster_node(
        cluster_name=self._get_param("ClusterName"), node_id=self._get_param("NodeId"))
    return ActionResult({"NodeDetails": details})


_native_call_action = SageMakerResponse.call_action


def _call_action(self: SageMakerResponse) -> Any:
    with common.LOCK:
        _advance(self.sagemaker_backend)
        return _native_call_action(self)


def install() -> None:
    SageMakerModelBackend.create_cluster = create_cluster
    SageMakerModelBackend.update_cluster = update_cluster
    SageMakerModelBackend.delete_cluster = delete_cluster
    SageMakerModelBackend.describe_cluster = describe_cluster
    SageMakerModelBackend.list_cluster_nodes = list_cluster_nodes
    SageMakerModelBackend.describe_cluster_node = describe_cluster_node
    SageMakerModelBackend.recover_cluster_nodes = recover_cluster_nodes
    ClusterNode.summary = _node_summary
    SageMakerResponse.describe_cluster_node = _describe_cluster_node_action
    SageMakerResponse.batch_reboot_cluster_nodes = _recover_action("reboot")
    SageMakerResponse.batch_replace_cluster_nodes = _recover_action("replace")
    SageMakerResponse.create_cluster = _create_cluster_action
    SageMakerResponse.update_cluster = _update_cluster_action
    SageMakerResponse.call_action = _call_action
