"""hpops extensions to moto 5.2.5 (server mode), for the AWS test peer.

moto stands in for EKS, SageMaker and STS in hpops's tests. Where it lacks an
operation hpops calls, or answers unlike AWS, the harness patches moto's
classes when the peer process starts (``install()``); nothing outside
tests/peers is touched. The reference for shapes is the botocore model shipped
with moto (botocore 1.44.5: ``botocore/data/{eks,sagemaker}/.../service-2.json``).

What moto 5.2.5 provides natively (measured against a plain ThreadedMotoServer)
------------------------------------------------------------------------------
EKS
  ListClusters, DescribeCluster        ok (clusters are ACTIVE at once).
  CreateNodegroup                      status ACTIVE at once; no scalingConfig
                                       validation (min 3 > max 1 accepted); the
                                       default scalingConfig is one shared dict,
                                       so an update to one node group changes
                                       the default of every later one; version
                                       defaults to "1.19", not the cluster's.
  DescribeNodegroup                    ok.
  ListNodegroups                       pages by maxResults; nextToken is the next
                                       name in clear; unknown cluster -> 500
                                       (KeyError); unknown token -> 500.
  UpdateNodegroupConfig                applies at once and returns an update with
                                       status "Successful" and one param of type
                                       "ScalingConfig" (not in UpdateParamType);
                                       no validation; the update is not recorded.
  DescribeUpdate, ListUpdates          missing (no URL route: 404 HTML page).
  DeleteNodegroup                      removes at once, returns status ACTIVE.
SageMaker (HyperPod)
  CreateCluster                        ignores Orchestrator and NodeRecovery;
                                       InService at once; instance types from a
                                       2024 list (no ml.g6.*); ThreadsPerCore
                                       missing -> 500 after storing the cluster.
  DescribeCluster                      InstanceGroups without Status; no
                                       Orchestrator/NodeRecovery; unknown ->
                                       ValidationException (model: ResourceNotFound).
  ListClusters, ListClusterNodes       ok (node ids "<group>-<i>").
  DescribeClusterNode                  unknown node -> ValidationException
                                       (model: ResourceNotFound); Message
                                       always "message".
  UpdateCluster                        missing (NotImplementedError -> 500).
  BatchRebootClusterNodes,
  BatchReplaceClusterNodes             missing (no backend method -> 500).
CloudFormation
  CreateStack, DescribeStacks, DescribeStackEvents, DescribeStackResources,
  DeleteStack, ListStacks              ok, but a stack completes at once with
                                       stack-level events only, a failing
                                       resource raises instead of rolling back,
                                       DeleteStack removes at once, and events
                                       are never paged.
  ValidateTemplate                     no Parameters, no Capabilities.
STS
  GetCallerIdentity, AssumeRoleWithWebIdentity   ok, used as is (the web
                                       identity token is not verified).

What this harness adds or corrects
----------------------------------
Timing: every asynchronous change completes ``update_seconds`` after it starts
(env HPOPS_MOTO_UPDATE_SECONDS, default 2; ``--update-seconds`` on the peer;
``POST /hpops/config?update_seconds=S`` at run time). Progress is computed on
each request, so there are no background threads; ``POST /hpops/settle``
finishes everything started so far (used by seeding); ``POST
/hpops/reset?seed=1`` gives a fresh seeded scene without a new process.

EKS (ext_eks.py)
  CreateNodegroup       validates scalingConfig (minSize <= desiredSize <=
                        maxSize, maxSize >= 1) -> InvalidParameterException 400;
                        status CREATING -> ACTIVE; own scalingConfig copy;
                        version defaults to the cluster's.
  UpdateNodegroupConfig validates the merged scalingConfig; node group must be
                        ACTIVE (else ResourceInUseException 409); returns an
                        update {id, status InProgress, type ConfigUpdate, params
                        typed per UpdateParamType (MinSize, MaxSize, DesiredSize,
                        LabelsToAdd, ...), createdAt, errors []}; node group
                        UPDATING; on completion the change is applied, the update
                        becomes Successful and the node group ACTIVE.
                        clientRequestToken makes a retry return the same update;
                        a request that changes nothing -> InvalidParameterException.
  DescribeUpdate        GET /clusters/{name}/updates/{updateId}?nodegroupName=
                        (new route); unknown cluster/node group/update ->
                        ResourceNotFoundException 404.
  ListUpdates           GET /clusters/{name}/updates?nodegroupName= (new route).
  ListNodegroups        unknown cluster -> 404; maxResults outside 1..100 or a
                        bad nextToken -> InvalidParameterException 400; tokens
                        are opaque and survive deletions.
  DeleteNodegroup       status DELETING (returned and listed), gone afterwards;
                        deleting it again -> ResourceInUseException 409.
  (speed)               moto's role-ARN check builds a boto3.Session per call
                        (~0.3 s); replaced by the same check with cached partitions.
CloudFormation (ext_cloudformation.py)
  CreateStack           CREATE_IN_PROGRESS for update_seconds: resources in
                        template order, two at a time, each with IN_PROGRESS
                        and COMPLETE events; DescribeStackResources shows them
                        as they are. POST /hpops/stack-failure?resource=ID&
                        reason=TEXT fails that resource of the next stack:
                        CREATE_FAILED with the reason, the one beside it
                        cancelled, ROLLBACK_IN_PROGRESS naming it, created
                        resources deleted newest first, ROLLBACK_COMPLETE.
                        POST /hpops/stack-quota?stacks=N: LimitExceededException
                        once N stacks exist.
  DeleteStack           DELETE_IN_PROGRESS resource by resource; findable by
                        name until DELETE_COMPLETE, by id afterwards.
  DescribeStackEvents   pages of 100 with NextToken.
  ValidateTemplate      Parameters (key, default, NoEcho, description) and the
                        Capabilities IAM resources or a Transform require.
  Templates             (ext_cloudformation_resources.py) Fn::Cidr, and the
                        types moto lacks: AWS::EKS::Cluster and
                        AWS::SageMaker::Cluster are made in the EKS and
                        SageMaker backends (DescribeCluster finds them, the
                        stack's delete or rollback removes them),
                        AWS::EKS::Addon is recorded. What moto leaves of a
                        deleted VPC (route tables, endpoints) goes with it.
SageMaker (ext_sagemaker.py)
  CreateCluster         Orchestrator.Eks.ClusterArn (must name an existing EKS
                        cluster), NodeRecovery, optional ThreadsPerCore, instance
                        types from the botocore ClusterInstanceType enum, AWS-style
                        field validation; ARN cluster/<12 char id> as in AWS;
                        node ids i-<17 hex>; status Creating -> InService.
  UpdateCluster         new. ClusterName (name or ARN); InstanceGroups: a listed
                        existing group is updated (InstanceCount -> TargetCount,
                        role, lifecycle, type), a listed new group is added
                        (InstanceType required), unlisted groups are unchanged;
                        InstanceGroupsToDelete; NodeRecovery. Errors: unknown
                        cluster -> ResourceNotFound; cluster not InService ->
                        ConflictException; count outside 0..6758, duplicate or
                        unknown names, a group both updated and deleted, deleting
                        every group, members this harness does not model ->
                        ValidationException. Cluster Updating, groups Updating /
                        Creating / Deleting; CurrentCount moves toward TargetCount
                        as nodes go Pending -> Running or ShuttingDown -> gone
                        (ListClusterNodes shows them), then InService.
  DescribeCluster       Orchestrator, NodeRecovery, per-group Status, live counts.
  DeleteCluster         Deleting, then gone.
  Describe/ListClusterNodes/DeleteCluster: unknown cluster -> ResourceNotFound.
  DescribeClusterNode   unknown node -> ResourceNotFound; InstanceStatus.Message
                        says why a node is not Running (or is absent).
  BatchRebootClusterNodes, BatchReplaceClusterNodes
                        new. The request is checked whole: unknown cluster ->
                        ResourceNotFound; no NodeIds, more than 25, an id not
                        i-<8|17 hex>, NodeLogicalIds (not modelled) ->
                        ValidationException. Then each node on its own, as the
                        model's Failed list: unknown -> InstanceIdNotFound; a
                        recovery in flight -> InstanceIdInUse; status other than
                        Running/Failure -> InvalidInstanceStatus; the rest in
                        Successful. Reboot: Pending -> Running; replace:
                        ShuttingDown -> gone, a new node (new id, same group)
                        Pending -> Running; each phase one update window.

Not modelled: EKS nodes/Auto Scaling activity behind desiredSize; service
quotas (ResourceLimitExceeded); HyperPod restricted instance groups,
autoscaling, tiered storage, InstanceRequirements (rejected with
ValidationException rather than ignored); IncludeNodeLogicalIds (Pending nodes
are always listed, with instance ids).

Error messages: EKS scaling messages follow ones AWS is publicly reported to
return ("Minimum capacity 2 can't be greater than desired size 1",
"minSize can't be greater than maxSize", "desiredSize can't be greater than
maxSize", "Nodegroup cannot be updated as it is currently not in Active
State"); SageMaker field errors use the AWS "1 validation error detected: Value
'...' at '...' failed to satisfy constraint: ..." form. Other messages are
plausible wording, not copied from AWS: tests should match codes and statuses,
not whole messages.
"""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Any, Callable
from urllib.parse import parse_qs

# One lock around every EKS/SageMaker action: moto's models are not thread-safe
# and the peer serves requests on several threads.
LOCK = threading.RLock()

_state: dict[str, Any] = {
    "update_seconds": float(os.environ.get("HPOPS_MOTO_UPDATE_SECONDS", "2")),
    "settled_at": 0.0,
    "endpoint": None,  # set by the peer once it listens; /hpops/reset?seed=1 needs it
    "region": "us-west-2",
}
_installed = False


def update_seconds() -> float:
    return _state["update_seconds"]


def eks_api_server() -> tuple[str, str] | None:
    """(endpoint, base64 CA) that new EKS clusters of stacks answer with, if set."""
    return _state.get("eks_api_server")


def configure(endpoint: str, region: str) -> None:
    _state.update(endpoint=endpoint, region=region, startup_seconds=_state["update_seconds"])


def set_update_seconds(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("update_seconds must be >= 0")
    _state["update_seconds"] = float(seconds)


def new_window() -> tuple[float, float]:
    """(started, due) for a change that starts now."""
    now = time.time()
    return now, now + update_seconds()


def progress(started: float, due: float) -> float:
    """Fraction in [0, 1] of a change's time window that has passed."""
    if started <= _state["settled_at"] or due <= started:
        return 1.0
    return max(0.0, min(1.0, (time.time() - started) / (due - started)))


def settle() -> None:
    """Every change started so far completes on the next request."""
    _state["settled_at"] = time.time()


def install() -> None:
    """Patch moto once per process. Must run before the first EKS request,
    because moto builds each service's URL map on first use."""
    global _installed
    with LOCK:
        if _installed:
            return
        import ext_cloudformation
        import ext_eks
        import ext_sagemaker

        ext_cloudformation.install()
        ext_eks.install()
        ext_sagemaker.install()
        _installed = True


def _reset(seed: bool) -> dict[str, Any]:
    from moto.moto_api._internal.models import moto_api_backend

    with LOCK:
        moto_api_backend.reset()
        _state.pop("eks_api_server", None)
        import ext_cloudformation

        ext_cloudformation.set_stack_quota(None)
        set_update_seconds(_state.get("startup_seconds", _state["update_seconds"]))
    if not seed:
        return {"reset": True, "seed": None}
    import seed_aws  # seeds through our own HTTP endpoint, like any client

    return {"reset": True, "seed": seed_aws.seed(_state["endpoint"], _state["region"])}


def with_control(app: Callable) -> Callable:
    """WSGI wrapper serving /hpops/* control endpoints in front of moto.

    GET  /hpops/config                      -> {"update_seconds": S}
    POST /hpops/config?update_seconds=S     -> set the delay for new changes
    POST /hpops/settle                      -> finish all changes started so far
    POST /hpops/stack-failure?resource=ID&reason=TEXT
                                            -> the next stack created fails at
         that resource and rolls back (ext_cloudformation.py)
    POST /hpops/stack-quota?stacks=N         -> CreateStack answers
         LimitExceededException once N stacks exist; no N lifts it
    POST /hpops/eks-api-server?endpoint=URL&ca=BASE64
                                            -> EKS clusters stacks make from
         now on answer DescribeCluster with this API server and CA: a real
         kube-apiserver the test runs (ext_cloudformation_resources.py)
    POST /hpops/node-status?cluster=NAME&node=ID&status=S[&message=TEXT]
                                            -> a HyperPod node's instance status
         as SageMaker would show it, e.g. Failure (ext_sagemaker.py)
    POST /hpops/reset[?seed=1]              -> moto reset (delay back to the
         startup value), then optionally the seed_aws scene: {"seed": {...}|null}.
         About 1 s on a warm peer, against ~5 s for a new peer process, so a
         GoogleTest suite can start one peer and call this in SetUp().
    """

    def control(environ: dict[str, Any], start_response: Callable) -> Any:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/hpops/"):
            return app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET")
        query = parse_qs(environ.get("QUERY_STRING", ""))
        status, body = "200 OK", {}
        try:
            if path == "/hpops/settle" and method == "POST":
                with LOCK:
                    settle()
                body = {"settled": True}
            elif path == "/hpops/reset" and method == "POST":
                body = _reset(query.get("seed", ["0"])[0] in ("1", "true"))
            elif path == "/hpops/stack-failure" and method == "POST":
                import ext_cloudformation

                resource = query.get("resource", [""])[0]
                if not resource:
                    raise ValueError("stack-failure needs resource=LogicalId")
                ext_cloudformation.fail_next_stack(resource, query.get("reason", [""])[0])
                body = {"resource": resource}
            elif path == "/hpops/stack-quota" and method == "POST":
                import ext_cloudformation

                stacks = query.get("stacks", [""])[0]
                ext_cloudformation.set_stack_quota(int(stacks) if stacks else None)
                body = {"stacks": stacks or None}
            elif path == "/hpops/eks-api-server" and method == "POST":
                endpoint, ca = query.get("endpoint", [""])[0], query.get("ca", [""])[0]
                if not endpoint.startswith("https://") or not ca:
                    raise ValueError("eks-api-server needs endpoint=https://... and ca=BASE64")
                _state["eks_api_server"] = (endpoint, ca)
                body = {"endpoint": endpoint}
            elif path == "/hpops/node-status" and method == "POST":
                import ext_sagemaker

                args = {k: query.get(k, [""])[0] for k in ("cluster", "node", "status", "message")}
                with LOCK:
                    ext_sagemaker.set_node_status(args["cluster"], args["node"], args["status"], args["message"])
                body = args
            elif path == "/hpops/config":
                if method == "POST" and "update_seconds" in query:
                    set_update_seconds(float(query["update_seconds"][0]))
                body = {"update_seconds": update_seconds()}
            else:
                status, body = "404 Not Found", {"message": f"no control endpoint {method} {path}"}
        except ValueError as e:
            status, body = "400 Bad Request", {"message": str(e)}
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    return control
