"""CloudFormation part of the hpops moto harness; the inventory is in
moto_extensions.py.

ValidateTemplate: moto 5.2.5 answers every template with no Parameters and no
Capabilities. AWS lists each declared parameter (key, default, NoEcho,
description) and the capabilities CreateStack will have to acknowledge, with
the reason; hpops shows both when a launch lacks a parameter or a
capability, so the peer answers as AWS documents it
(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ValidateTemplate.html).
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.responses import CloudFormationResponse
from moto.cloudformation.utils import yaml_tag_constructor
from moto.core.responses import ActionResult

_moto_validate = CloudFormationResponse.validate_template


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
    answer = _moto_validate(self)  # moto's own checks (cfn-lint) and description
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
    result = dict(answer.result) if hasattr(answer, "result") else {}
    result.update({"Description": template.get("Description", ""), "Parameters": parameters,
                   "Capabilities": capabilities})
    if reason:
        result["CapabilitiesReason"] = reason
    return ActionResult(result)


def install() -> None:
    CloudFormationResponse.validate_template = _validate_template
