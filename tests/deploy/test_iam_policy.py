"""deploy/aws/iam-policy.json against the code: every AWS API action the
clients in integrations/aws call is allowed, and nothing else is, except
iam:PassRole for the roles that calls name (a node role, an execution role).
Actions are read from the sources and checked against botocore's service
models, so a misspelt or unknown operation fails here too."""
import json
import re
from pathlib import Path

import botocore.session

ROOT = Path(__file__).resolve().parents[2]
AWS = ROOT / "integrations/aws"
POLICY = json.loads((ROOT / "deploy/aws/iam-policy.json").read_text())
SESSION = botocore.session.get_session()


def call_arguments(text, function):
    """(offset, arguments) of each call of `function` in C++ text, split at the commas outside parentheses."""
    for match in re.finditer(re.escape(function) + r"\(", text):
        depth, start, args = 1, match.end(), []
        for i in range(match.end(), len(text)):
            c = text[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    args.append(text[start:i].strip())
                    break
            elif c == "," and depth == 1:
                args.append(text[start:i].strip())
                start = i + 1
        yield match.start(), args


def eks_actions():
    """EKS is a REST API: an action is known by its method and path. Each
    eks_call(METHOD, PATH) is reduced to a shape (a `{}` per piece not written
    out) and matched against the requestUri of EKS's operations."""
    model = SESSION.get_service_model("eks")
    shapes = {}
    for name in model.operation_names:
        http = model.operation_model(name).http
        shapes[(http["method"], re.sub(r"\{[^}]+\}", "{}", http["requestUri"].split("?")[0]))] = name
    source = (AWS / "eks_client.cpp").read_text()
    # A path built before the call: its nearest definition above it.
    definitions = [(m.start(), m.group(1), m.group(2)) for m in re.finditer(r'std::string (\w+) = ("[^;]*);', source)]
    found = set()
    for offset, args in call_arguments(source, "eks_call"):
        if args[0].startswith("std::string"):
            continue  # the definition
        above = [value for at, name, value in definitions if at < offset and name == args[1]]
        path = above[-1] if above else args[1]
        method = args[0].strip('"')
        shape = "".join(part if part.startswith('"') else "{}" for part in re.split(r"\s*\+\s*", path))
        shape = shape.replace('"', "").split("?")[0]
        assert (method, shape) in shapes, f"eks_client.cpp calls {method} {shape}: no EKS operation has it"
        found.add("eks:" + shapes[(method, shape)])
    return found


def named_actions(service, file, pattern):
    operations = set(SESSION.get_service_model(service).operation_names)
    found = set(re.findall(pattern, (AWS / file).read_text()))
    assert found, f"no {service} operations found in {file}"
    unknown = found - operations
    assert not unknown, f"{file} calls {sorted(unknown)}, not {service} operations"
    return {f"{service}:{name}" for name in found}


def actions_called():
    return (eks_actions()
            | named_actions("sagemaker", "sagemaker_client.cpp", r'invoke\("(\w+)"')
            | named_actions("cloudformation", "cloudformation_client.cpp", r'QueryRequest request\("(\w+)"'))


def allowed():
    out = set()
    for statement in POLICY["Statement"]:
        assert statement["Effect"] == "Allow"
        action = statement["Action"]
        out |= {action} if isinstance(action, str) else set(action)
    return out


def test_every_action_the_code_calls_is_allowed():
    missing = actions_called() - allowed()
    assert not missing, f"add to deploy/aws/iam-policy.json: {sorted(missing)}"


def test_nothing_else_is_allowed_but_passing_the_roles_calls_name():
    extra = allowed() - actions_called() - {"iam:PassRole"}
    assert not extra, f"deploy/aws/iam-policy.json allows what hpops never calls: {sorted(extra)}"
    assert not any("*" in a for a in allowed()), "no wildcard actions"


def test_the_reader_and_the_changes_are_separate_statements():
    read = next(s for s in POLICY["Statement"] if s["Sid"] == "ReadTheFleetClustersAndStacks")
    changing = {a for a in read["Action"]
                if re.match(r"\w+:(Update|Create|Delete|Put|Batch|Start|Stop)", a)}
    assert not changing, f"the read-only statement changes things: {sorted(changing)}"
    passing = next(s for s in POLICY["Statement"] if s["Action"] == "iam:PassRole")
    assert passing["Condition"]["StringEquals"]["iam:PassedToService"], "PassRole only to the services named"


def test_the_actions_found_are_the_ones_expected():
    """Guards the reading of the sources above: it must find these."""
    assert {"eks:ListClusters", "eks:DescribeNodegroup", "eks:UpdateNodegroupConfig", "eks:DescribeUpdate",
            "eks:CreateNodegroup", "eks:DeleteNodegroup", "sagemaker:UpdateCluster", "sagemaker:ListClusterNodes",
            "cloudformation:CreateStack", "cloudformation:DescribeStackEvents"} <= actions_called()
