"""CloudFormation part of the hpops moto harness; the inventory is in
moto_extensions.py.

Stacks in time: moto creates a stack at once, with stack-level events only.
Here, while the peer's update_seconds is above zero, a stack goes through
CREATE_IN_PROGRESS for that long: its resources (in template order, two at a
time) each get CREATE_IN_PROGRESS and CREATE_COMPLETE events, and
DescribeStackResources shows their status at that moment. A failure set with
POST /hpops/stack-failure?resource=ID&reason=TEXT (for the next stack
created) fails that resource with the reason, cancels the one beside it
("Resource creation cancelled"), rolls back the resources already created
in reverse order and ends ROLLBACK_COMPLETE, as AWS does with rollback on.
DeleteStack goes through DELETE_IN_PROGRESS, resource by resource, for the
same time. POST /hpops/settle ends every stack change at once. Events are
paged by 100 with NextToken, as AWS pages them.

ValidateTemplate: moto 5.2.5 answers every template with no Parameters and no
Capabilities, and refuses one that cfn-lint warns about. AWS lists each declared parameter (key, default, NoEcho,
description) and the capabilities CreateStack will have to acknowledge, with
the reason; hpops shows both when a launch lacks a parameter or a
capability, so the peer answers as AWS documents it
(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ValidateTemplate.html).
"""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

import yaml
from moto.cloudformation.exceptions import CloudFormationError, ValidationError
from moto.cloudformation.models import CloudFormationBackend, Event
from moto.cloudformation.models import Stack as FakeStack
from moto.cloudformation.responses import CloudFormationResponse
from moto.cloudformation.utils import yaml_tag_constructor
from moto.core.responses import ActionResult

import moto_extensions as common



def _template(body: str) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except ValueError:
        yaml.add_multi_constructor("", yaml_tag_constructor)
        try:
            parsed = yaml.load(body, Loader=yaml.Loader)
        except yaml.YAMLError as e:
            raise ValidationError(message=f"Template format error: {e}")
    if not isinstance(parsed, dict):
        raise ValidationError(message="Template format error: the template is not a JSON or YAML object")
    return parsed


def _capabilities(template: dict[str, Any]) -> tuple[list[str], str]:
    """What CreateStack must acknowledge: IAM resources (named ones need
    CAPABILITY_NAMED_IAM) and macros (a Transform needs CAPABILITY_AUTO_EXPAND)."""
    iam, named = [], False
    for resource in (template.get("Resources") or {}).values():
        kind = resource.get("Type", "") if isinstance(resource, dict) else ""
        if kind.startswith("AWS::IAM::"):
            iam.append(kind)
            props = resource.get("Properties") or {}
            named |= any(k in props for k in ("RoleName", "UserName", "GroupName", "ManagedPolicyName"))
    capabilities = []
    if iam:
        capabilities.append("CAPABILITY_NAMED_IAM" if named else "CAPABILITY_IAM")
    if template.get("Transform"):
        capabilities.append("CAPABILITY_AUTO_EXPAND")
    reason = f"The following resource(s) require capabilities: [{', '.join(sorted(set(iam)))}]" if iam else ""
    return capabilities, reason


def _validate_template(self: CloudFormationResponse) -> ActionResult:
    # Not moto's own check: it runs cfn-lint and refuses a template for a
    # warning (an unused parameter, as AWS's own HyperPod template has),
    # which AWS's ValidateTemplate accepts. Syntax errors are refused below.
    body = self._get_param("TemplateBody")
    if self._get_param("TemplateURL"):
        body = self._get_stack_from_s3_url(self._get_param("TemplateURL"))
    template = _template(body)
    parameters = []
    for key, spec in (template.get("Parameters") or {}).items():
        spec = spec if isinstance(spec, dict) else {}
        p: dict[str, Any] = {"ParameterKey": key, "NoEcho": str(spec.get("NoEcho", "false")).lower() == "true",
                             "Description": spec.get("Description", "")}
        if "Default" in spec:
            p["DefaultValue"] = str(spec["Default"])
        parameters.append(p)
    capabilities, reason = _capabilities(template)
    result = {"Description": template.get("Description", ""), "Parameters": parameters,
              "Capabilities": capabilities}
    if reason:
        result["CapabilitiesReason"] = reason
    return ActionResult(result)


# ---- stacks in time -----------------------------------------------------------

_pending_failure: dict[str, str] = {}  # for the next stack created: {"resource": ID, "reason": TEXT}
_moto_create_resources = FakeStack.create_resources
_moto_delete_stack = CloudFormationBackend.delete_stack
_moto_create_stack = CloudFormationBackend.create_stack
_stack_quota: dict[str, int] = {}  # {"stacks": N} while a quota is set


class LimitExceededException(CloudFormationError):
    """CreateStack's error when an account quota is reached (the code AWS
    documents for CreateStack; the message is the harness's)."""
    code = "LimitExceededException"


def fail_next_stack(resource: str, reason: str) -> None:
    _pending_failure.clear()
    _pending_failure.update(resource=resource, reason=reason)


def set_stack_quota(stacks: int | None) -> None:
    """CreateStack fails once this many stacks exist; None lifts it."""
    _stack_quota.clear()
    if stacks is not None:
        _stack_quota["stacks"] = stacks


def _create_stack(self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Any:
    quota = _stack_quota.get("stacks")
    if quota is not None and sum(1 for s in self.stacks.values() if s.status != "DELETE_COMPLETE") >= quota:
        raise LimitExceededException(f"Cannot exceed quota for StacksPerRegion: {quota}")
    return _moto_create_stack(self, *args, **kwargs)


def _at(t: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(t, tz=datetime.timezone.utc).replace(tzinfo=None)


def _event(stack: FakeStack, t: float, logical: str, kind: str, status: str, reason: str = "",
           physical: str = "") -> None:
    event = Event(stack_id=stack.stack_id, stack_name=stack.name, logical_resource_id=logical,
                  physical_resource_id=physical, resource_type=kind, resource_status=status,
                  resource_status_reason=reason or None, resource_properties=None)
    event.timestamp = _at(t)
    stack.events.append(event)


def _stack_event(stack: FakeStack, t: float, status: str, reason: str = "") -> None:
    _event(stack, t, stack.name, "AWS::CloudFormation::Stack", status, reason, stack.stack_id)


def _physical_id(stack: FakeStack, logical: str) -> str:
    """What moto made for the resource (an EKS cluster's name, a VPC's id), as
    AWS reports it; a made-up id where moto made nothing."""
    made = stack.resource_map._parsed_resources.get(logical)
    physical = getattr(made, "physical_resource_id", None)
    if isinstance(physical, str) and physical:
        return physical
    return f"{stack.name}-{logical}-{abs(hash((stack.stack_id, logical))) % 10**12:012d}"


def _resources(stack: FakeStack) -> list[dict[str, Any]]:
    return [{"id": logical, "type": (spec or {}).get("Type", ""), "status": "", "reason": "", "at": 0.0,
             "physical": _physical_id(stack, logical)}
            for logical, spec in (stack.template_dict.get("Resources") or {}).items()]


def _paced_create(self: FakeStack) -> None:
    _moto_create_resources(self)  # what moto models, it creates now
    seconds = common.update_seconds()
    failure = dict(_pending_failure)
    _pending_failure.clear()
    if seconds <= 0 and not failure:
        return
    if self.events and self.events[-1].resource_status == "CREATE_COMPLETE":
        self.events.pop()  # moto's instant completion; it comes in time instead
    self.status = "CREATE_IN_PROGRESS"
    started = time.time()
    self._hp_change = {"op": "create", "started": started, "due": started + max(seconds, 0.001),
                       "resources": _resources(self), "failure": failure}


def _paced_delete(self: FakeStack) -> None:
    seconds = common.update_seconds()
    if seconds <= 0:  # at once, as moto's own delete, with what moto leaves behind cleared
        self._add_stack_event("DELETE_IN_PROGRESS", resource_status_reason="User Initiated")
        _delete_made(self)
        self._add_stack_event("DELETE_COMPLETE")
        self.status = "DELETE_COMPLETE"
        return None
    _stack_event(self, time.time(), "DELETE_IN_PROGRESS", "User Initiated")
    self.status = "DELETE_IN_PROGRESS"
    started = time.time()
    change = getattr(self, "_hp_change", None)
    # What was created and not rolled back goes, newest first.
    existing = [r for r in change["resources"] if r["status"] not in ("", "DELETE_COMPLETE")] if change \
        else _resources(self)
    self._hp_change = {"op": "delete", "started": started, "due": started + seconds,
                       "resources": [dict(r, status="", reason="") for r in reversed(existing)], "failure": {}}


def _schedule(change: dict[str, Any]) -> list[tuple[float, int, str]]:
    """(time, resource index, what) for each step: two resources at a time,
    resource i from slot i to slot i + 2."""
    n = max(len(change["resources"]), 1)
    slot = (change["due"] - change["started"]) / (n + 1)
    steps = []
    for i in range(len(change["resources"])):
        steps.append((change["started"] + i * slot, i, "begin"))
        steps.append((change["started"] + (i + 2) * slot - 1e-6, i, "end"))
    return sorted(steps)


def _advance(stack: FakeStack, now: float) -> None:
    change = getattr(stack, "_hp_change", None)
    if not change or change.get("done"):
        return
    if change["started"] <= common._state["settled_at"]:
        now = float("inf")  # /hpops/settle: everything due happens now
    resources = change["resources"]
    verb = "CREATE" if change["op"] == "create" else "DELETE"
    for t, i, what in _schedule(change):
        r = resources[i]
        if t > now:
            break
        if what == "begin" and r["status"] == "":
            r.update(status=f"{verb}_IN_PROGRESS", at=t)
            _event(stack, min(t, time.time()), r["id"], r["type"], r["status"], physical=r["physical"])
        elif what == "end" and r["status"] == f"{verb}_IN_PROGRESS":
            failure = change["failure"]
            if failure and failure.get("resource") == r["id"]:
                return _roll_back(stack, change, i, min(t, time.time()))
            r.update(status=f"{verb}_COMPLETE", at=t)
            _event(stack, min(t, time.time()), r["id"], r["type"], r["status"], physical=r["physical"])
    if all(r["status"] == f"{verb}_COMPLETE" for r in resources) and now >= change["due"]:
        change["done"] = True
        if change["op"] == "create":
            stack.status = "CREATE_COMPLETE"
            _stack_event(stack, time.time(), "CREATE_COMPLETE")
        else:
            _delete_made(stack)  # what moto created goes now
            stack.status = "DELETE_COMPLETE"
            _stack_event(stack, time.time(), "DELETE_COMPLETE")


def _delete_made(stack: FakeStack) -> None:
    """Deletes what moto made for the stack. moto 5.2.5 drops a template's
    route tables and VPC endpoints from the stack without deleting them from
    EC2, and then cannot delete their VPC (DependencyViolation); they are
    deleted here and the VPC after them, as AWS deletes all of it."""
    try:
        stack.resource_map.delete()
        return
    except Exception:  # noqa: BLE001 - moto raises its last per-resource error
        pass
    from moto.ec2.models import ec2_backends

    ec2 = ec2_backends[stack.account_id][stack.region_name]
    vpcs = [r.physical_resource_id for r in stack.resource_map._parsed_resources.values()
            if type(r).__name__ == "VPC"]
    for endpoint in list(ec2.vpc_end_points.values()):
        if endpoint.vpc_id in vpcs:
            ec2.delete_vpc_endpoints([endpoint.id])
    for table in list(ec2.route_tables.values()):
        if table.vpc_id in vpcs and table.main_association_id is None:  # the main one goes with the VPC
            ec2.delete_route_table(table.id)
    stack.resource_map.delete()


def _roll_back(stack: FakeStack, change: dict[str, Any], failed: int, t: float) -> None:
    """The failing resource, the cascade AWS writes after it, then the rollback."""
    resources = change["resources"]
    reason = change["failure"].get("reason") or "Resource creation failed"
    r = resources[failed]
    r.update(status="CREATE_FAILED", reason=reason)
    _event(stack, t, r["id"], r["type"], "CREATE_FAILED", reason, r["physical"])
    for other in resources:
        if other["status"] == "CREATE_IN_PROGRESS":
            other.update(status="CREATE_FAILED", reason="Resource creation cancelled")
            _event(stack, t, other["id"], other["type"], "CREATE_FAILED", "Resource creation cancelled",
                   other["physical"])
    stack.status = "ROLLBACK_IN_PROGRESS"
    _stack_event(stack, t, "ROLLBACK_IN_PROGRESS",
                 f"The following resource(s) failed to create: [{r['id']}]. Rollback requested by user.")
    for other in reversed(resources):
        if other["status"] == "CREATE_COMPLETE":
            _event(stack, t, other["id"], other["type"], "DELETE_IN_PROGRESS", physical=other["physical"])
            other["status"] = "DELETE_COMPLETE"
            _event(stack, t, other["id"], other["type"], "DELETE_COMPLETE", physical=other["physical"])
    _delete_made(stack)  # what moto created goes, as AWS's rollback removes it
    stack.status = "ROLLBACK_COMPLETE"
    _stack_event(stack, t, "ROLLBACK_COMPLETE")
    change["done"] = True


def _advance_all(backend: CloudFormationBackend) -> None:
    now = time.time()
    for stack in list(backend.stacks.values()) + list(backend.deleted_stacks.values()):
        _advance(stack, now)


def _delete_stack(self: CloudFormationBackend, name_or_stack_id: str) -> None:
    """A stack being deleted in time stays where DescribeStacks finds it by
    name until its DELETE_COMPLETE, as in AWS."""
    with common.LOCK:
        _advance_all(self)
        if common.update_seconds() <= 0:
            return _moto_delete_stack(self, name_or_stack_id)
        for stack in list(self.stacks.values()):
            if name_or_stack_id in (stack.name, stack.stack_id) and stack.status != "DELETE_IN_PROGRESS":
                stack.delete()


def _retire_deleted(method: Any) -> Any:
    """Moves stacks whose paced delete finished to deleted_stacks, as moto's
    own delete_stack would have."""
    def wrapper(self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Any:
        with common.LOCK:
            _advance_all(self)
            for stack_id, stack in list(self.stacks.items()):
                if stack.status == "DELETE_COMPLETE":
                    self.stacks.pop(stack_id)
                    self.deleted_stacks[stack_id] = stack
                    for export in stack.exports:
                        self.exports.pop(export.name, None)
            return method(self, *args, **kwargs)
    return wrapper


def _resources_now(self: CloudFormationResponse) -> ActionResult:
    stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
    change = getattr(stack, "_hp_change", None)
    if not change:
        return _moto_describe_resources(self)
    rows = [{"StackName": stack.name, "StackId": stack.stack_id, "LogicalResourceId": r["id"],
             "PhysicalResourceId": r["physical"], "ResourceType": r["type"], "ResourceStatus": r["status"],
             "ResourceStatusReason": r["reason"] or None, "Timestamp": _at(r["at"] or change["started"])}
            for r in change["resources"] if r["status"] not in ("", "DELETE_COMPLETE")]
    return ActionResult({"StackResources": rows})


def _events_paged(self: CloudFormationResponse) -> ActionResult:
    events = self.cloudformation_backend.describe_stack_events(self._get_param("StackName"))[::-1]
    token = self._get_param("NextToken")
    start = int(token) if token and token.isdigit() else 0
    page = events[start:start + 100]
    result: dict[str, Any] = {"StackEvents": page}
    if start + 100 < len(events):
        result["NextToken"] = str(start + 100)
    return ActionResult(result)


_moto_describe_resources = CloudFormationResponse.describe_stack_resources


def install() -> None:
    import ext_cloudformation_resources

    ext_cloudformation_resources.install()
    CloudFormationResponse.validate_template = _validate_template
    FakeStack.create_resources = _paced_create
    FakeStack.delete = _paced_delete
    CloudFormationBackend.delete_stack = _delete_stack
    CloudFormationBackend.create_stack = _create_stack
    for name in ("describe_stacks", "list_stacks", "get_stack", "describe_stack_events"):
        setattr(CloudFormationBackend, name, _retire_deleted(getattr(CloudFormationBackend, name)))
    CloudFormationResponse.describe_stack_resources = _resources_now
    CloudFormationResponse.describe_stack_events = _events_paged
