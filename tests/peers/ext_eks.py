"""EKS part of the hpops moto harness; the inventory is in moto_extensions.py.

Asynchronous state lives on moto's own objects (``Nodegroup._hp_change``,
``Cluster._hp_updates``) so moto's /moto-api/reset clears it with the rest.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from functools import lru_cache
from typing import Any

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.eks import models as eks_models
from moto.eks import urls as eks_urls
from moto.eks.exceptions import (
    InvalidParameterException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from moto.eks.models import (
    CLUSTER_NOT_FOUND_MSG,
    DEFAULT_SCALING_CONFIG,
    NODEGROUP_NOT_FOUND_MSG,
    EKSBackend,
)
from moto.eks.responses import EKSResponse
from moto.moto_api._internal import mock_random as random

import moto_extensions as common

NOT_ACTIVE_MSG = "Nodegroup cannot be updated as it is currently not in Active State"


def _not_found(cluster: str, nodegroup: str | None, message: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(
        clusterName=cluster, nodegroupName=nodegroup, fargateProfileName=None,
        addonName=None, message=message,
    )


def _invalid(cluster: str | None, nodegroup: str | None, message: str) -> InvalidParameterException:
    return InvalidParameterException(
        clusterName=cluster, nodegroupName=nodegroup, fargateProfileName=None,
        addonName=None, message=message,
    )


def _cluster(backend: EKSBackend, name: str) -> Any:
    if name not in backend.clusters:
        raise _not_found(name, None, CLUSTER_NOT_FOUND_MSG.format(clusterName=name))
    return backend.clusters[name]


def _nodegroup(backend: EKSBackend, cluster_name: str, name: str) -> Any:
    cluster = _cluster(backend, cluster_name)
    if name not in cluster.nodegroups:
        raise _not_found(cluster_name, name, NODEGROUP_NOT_FOUND_MSG.format(nodegroupName=name))
    return cluster.nodegroups[name]


def _validate_scaling(sc: dict[str, int], cluster: str, ng: str, on_update: bool) -> None:
    lo, hi, want = sc.get("minSize"), sc.get("maxSize"), sc.get("desiredSize")
    # ZeroCapacity (min 0) and Capacity (min 1) in the model; botocore checks
    # these client side, hpops's own client does not, so check them here too.
    for key, floor in (("minSize", 0), ("desiredSize", 0), ("maxSize", 1)):
        if sc.get(key) is not None and sc[key] < floor:
            raise _invalid(cluster, ng, f"{key} must be greater than or equal to {floor}")
    if lo is not None and hi is not None and lo > hi:
        raise _invalid(cluster, ng, "minSize can't be greater than maxSize")
    if lo is not None and want is not None and lo > want:
        # The update path words this differently from create in AWS.
        raise _invalid(cluster, ng, f"Minimum capacity {lo} can't be greater than desired size {want}"
                       if on_update else "minSize can't be greater than desiredSize")
    if want is not None and hi is not None and want > hi:
        raise _invalid(cluster, ng, "desiredSize can't be greater than maxSize")


def _paginate(names: list[str], max_results: int, token: str, cluster: str) -> tuple[list[str], str | None]:
    """Opaque tokens meaning "after this name", so deletions between pages
    neither skip nor repeat entries (moto's index-of-name tokens 500)."""
    if not 1 <= max_results <= 100:
        raise _invalid(cluster, None, "maxResults must be between 1 and 100")
    names = sorted(names)
    if token:
        try:  # b64decode alone would skip junk characters and accept anything
            after = json.loads(base64.urlsafe_b64decode(token.encode()))["after"]
        except (binascii.Error, UnicodeDecodeError, ValueError, KeyError, TypeError):
            raise _invalid(cluster, None, "The nextToken provided is invalid")
        if not isinstance(after, str):
            raise _invalid(cluster, None, "The nextToken provided is invalid")
        names = [n for n in names if n > after]
    page = names[:max_results]
    if len(names) <= max_results:
        return page, None
    return page, base64.urlsafe_b64encode(json.dumps({"after": page[-1]}).encode()).decode()


def _advance(backend: EKSBackend) -> None:
    """Apply every change whose time has come (called before each action)."""
    for cluster in backend.clusters.values():
        for update in getattr(cluster, "_hp_updates", {}).values():
            if update["status"] == "InProgress" and common.progress(*update["_window"]) >= 1.0:
                _finish_update(cluster, update)
        for name, ng in list(cluster.nodegroups.items()):
            change = getattr(ng, "_hp_change", None)
            if change and common.progress(*change["window"]) >= 1.0:
                ng._hp_change = None
                if change["to"] is None:  # deletion finished
                    del cluster.nodegroups[name]
                    cluster.nodegroup_count -= 1
                else:
                    ng.status = change["to"]
                    ng.modified_at = utcnow()


def _finish_update(cluster: Any, update: dict[str, Any]) -> None:
    ng = cluster.nodegroups.get(update["_nodegroup"])
    if ng is None or ng.status == "DELETING":
        update["status"] = "Failed"
        update["errors"] = [{"errorCode": "Unknown", "errorMessage": "The node group was deleted during the update.",
                             "resourceIds": [update["_nodegroup"]]}]
        return
    change = update["_apply"]
    if change.get("scaling"):
        ng.scaling_config.update(change["scaling"])
    labels = change.get("labels") or {}
    ng.labels.update(labels.get("addOrUpdateLabels") or {})
    for key in labels.get("removeLabels") or []:
        ng.labels.pop(key, None)
    taints = change.get("taints") or {}
    drop = [(t["key"], t.get("effect")) for t in (taints.get("removeTaints") or []) + (taints.get("addOrUpdateTaints") or [])]
    ng.taints = [t for t in ng.taints if (t["key"], t.get("effect")) not in drop] + list(taints.get("addOrUpdateTaints") or [])
    if change.get("update_config"):
        ng.update_config = change["update_config"]
    if change.get("node_repair_config"):
        ng.node_repair_config = change["node_repair_config"]
    ng.status = "ACTIVE"
    ng.modified_at = utcnow()
    update["status"] = "Successful"


def _params(scaling: dict | None, labels: dict | None, taints: dict | None,
            update_config: dict | None, repair: dict | None) -> list[dict[str, str]]:
    """UpdateParam list with types from the model's UpdateParamType enum."""
    out: list[dict[str, str]] = []
    for key, ptype in (("minSize", "MinSize"), ("maxSize", "MaxSize"), ("desiredSize", "DesiredSize")):
        if scaling and scaling.get(key) is not None:
            out.append({"type": ptype, "value": str(scaling[key])})
    for payload, key, ptype in ((labels, "addOrUpdateLabels", "LabelsToAdd"), (labels, "removeLabels", "LabelsToRemove"),
                                (taints, "addOrUpdateTaints", "TaintsToAdd"), (taints, "removeTaints", "TaintsToRemove")):
        if payload and payload.get(key):
            out.append({"type": ptype, "value": json.dumps(payload[key])})
    for key, ptype in (("maxUnavailable", "MaxUnavailable"), ("maxUnavailablePercentage", "MaxUnavailablePercentage")):
        if update_config and update_config.get(key) is not None:
            out.append({"type": ptype, "value": str(update_config[key])})
    if repair and repair.get("enabled") is not None:
        out.append({"type": "NodeRepairEnabled", "value": json.dumps(repair["enabled"])})
    return out


# --- backend methods -------------------------------------------------------

_native_create_nodegroup = EKSBackend.create_nodegroup


def create_nodegroup(self: EKSBackend, **kwargs: Any) -> Any:
    cluster = _cluster(self, kwargs["cluster_name"])
    scaling = kwargs.get("scaling_config")
    if scaling:
        _validate_scaling(scaling, kwargs["cluster_name"], kwargs["nodegroup_name"], on_update=False)
    # moto hands every node group the same default dict and updates mutate it.
    kwargs["scaling_config"] = dict(scaling or DEFAULT_SCALING_CONFIG)
    kwargs["version"] = kwargs.get("version") or cluster.version
    ng = _native_create_nodegroup(self, **kwargs)
    ng.status = "CREATING"
    ng._hp_change = {"to": "ACTIVE", "window": common.new_window()}
    return ng


def delete_nodegroup(self: EKSBackend, cluster_name: str, nodegroup_name: str) -> Any:
    ng = _nodegroup(self, cluster_name, nodegroup_name)
    if ng.status == "DELETING":
        raise ResourceInUseException(clusterName=cluster_name, nodegroupName=nodegroup_name, addonName=None,
                                     message=f"Nodegroup {nodegroup_name} is already being deleted")
    ng.status = "DELETING"
    ng.modified_at = utcnow()
    ng._hp_change = {"to": None, "window": common.new_window()}
    return ng


def list_nodegroups(self: EKSBackend, cluster_name: str, max_results: int, next_token: str) -> tuple:
    cluster = _cluster(self, cluster_name)
    return _paginate(list(cluster.nodegroups), max_results, next_token, cluster_name)


def update_nodegroup_config(self: EKSBackend, cluster_name: str, nodegroup_name: str,
                            labels: dict | None = None, taints: dict | None = None,
                            scaling_config: dict | None = None, update_config: dict | None = None,
                            node_repair_config: dict | None = None,
                            client_request_token: str | None = None) -> dict[str, Any]:
    ng = _nodegroup(self, cluster_name, nodegroup_name)
    cluster = self.clusters[cluster_name]
    updates = cluster.__dict__.setdefault("_hp_updates", {})
    tokens = cluster.__dict__.setdefault("_hp_tokens", {})
    if client_request_token and client_request_token in tokens:
        return updates[tokens[client_request_token]]  # an idempotent retry
    if ng.status != "ACTIVE":
        raise ResourceInUseException(clusterName=cluster_name, nodegroupName=nodegroup_name,
                                     addonName=None, message=NOT_ACTIVE_MSG)
    if scaling_config:
        _validate_scaling({**ng.scaling_config, **scaling_config}, cluster_name, nodegroup_name, on_update=True)
    params = _params(scaling_config, labels, taints, update_config, node_repair_config)
    if not params:
        raise _invalid(cluster_name, nodegroup_name, "No changes needed")
    update = {
        "id": str(random.uuid4()), "status": "InProgress", "type": "ConfigUpdate",
        "params": params, "createdAt": utcnow(), "errors": [],
        "_nodegroup": nodegroup_name, "_window": common.new_window(),
        "_apply": {"scaling": scaling_config, "labels": labels, "taints": taints,
                   "update_config": update_config, "node_repair_config": node_repair_config},
    }
    updates[update["id"]] = update
    if client_request_token:
        tokens[client_request_token] = update["id"]
    ng.status = "UPDATING"
    ng.modified_at = utcnow()
    return update


def _updates_for(backend: EKSBackend, cluster_name: str, nodegroup_name: str | None) -> list[dict]:
    cluster = _cluster(backend, cluster_name)
    if nodegroup_name and nodegroup_name not in cluster.nodegroups:
        raise _not_found(cluster_name, nodegroup_name, NODEGROUP_NOT_FOUND_MSG.format(nodegroupName=nodegroup_name))
    # Node group updates are only visible when the node group is named, as in AWS.
    return [u for u in getattr(cluster, "_hp_updates", {}).values() if u["_nodegroup"] == nodegroup_name]


def describe_update(self: EKSBackend, name: str, update_id: str, nodegroup_name: str | None) -> dict:
    for update in _updates_for(self, name, nodegroup_name):
        if update["id"] == update_id:
            return update
    raise _not_found(name, nodegroup_name, f"No update found for ID: {update_id}.")


def list_updates(self: EKSBackend, name: str, nodegroup_name: str | None, max_results: int, next_token: str) -> tuple:
    ids = [u["id"] for u in sorted(_updates_for(self, name, nodegroup_name), key=lambda u: u["createdAt"])]
    # Keep creation order across pages: paginate over zero-padded positions.
    keyed = {f"{i:08d}": uid for i, uid in enumerate(ids)}
    page, token = _paginate(list(keyed), max_results, next_token, name)
    return [keyed[k] for k in page], token


# --- response methods (the HTTP side) --------------------------------------

def _describe_update_action(self: EKSResponse) -> ActionResult:
    update = self.eks_backend.describe_update(
        self._get_param("name"), self._get_param("updateId"), self._get_param("nodegroupName"))
    return ActionResult({"update": update})


def _list_updates_action(self: EKSResponse) -> ActionResult:
    ids, token = self.eks_backend.list_updates(
        self._get_param("name"), self._get_param("nodegroupName"),
        self._get_int_param("maxResults", 100), self._get_param("nextToken", ""))
    return ActionResult({"updateIds": ids, "nextToken": token})


_native_call_action = EKSResponse.call_action


def _call_action(self: EKSResponse) -> Any:
    with common.LOCK:
        _advance(self.eks_backend)
        return _native_call_action(self)


@lru_cache(maxsize=1)
def _partitions() -> tuple[str, ...]:
    import boto3

    return tuple(boto3.Session().get_available_partitions())


def _validate_role_arn(arn: str) -> None:
    """moto's check, without building a new boto3.Session (~0.3 s) per call."""
    match = re.match(r"arn:(?P<partition>.+):iam::(?P<account_id>[0-9]{12}):role/.+", arn or "")
    if not (match and match.group("partition") in _partitions()):
        raise InvalidParameterException(message="Invalid Role Arn: '" + str(arn) + "'")


def install() -> None:
    eks_models.validate_role_arn = _validate_role_arn
    # Routes first: moto builds the EKS URL map from this dict on first use.
    eks_urls.url_paths["{0}/clusters/(?P<name>[^/]+)/updates$"] = eks_urls.response.dispatch
    eks_urls.url_paths["{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$"] = eks_urls.response.dispatch
    EKSBackend.create_nodegroup = create_nodegroup
    EKSBackend.delete_nodegroup = delete_nodegroup
    EKSBackend.list_nodegroups = list_nodegroups
    EKSBackend.update_nodegroup_config = update_nodegroup_config
    EKSBackend.describe_update = describe_update
    EKSBackend.list_updates = list_updates
    EKSResponse.describe_update = _describe_update_action
    EKSResponse.list_updates = _list_updates_action
    EKSResponse.call_action = _call_action
