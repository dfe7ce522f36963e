"""hpops's SigV4 against botocore's, byte for byte.

The same realistic requests are signed by botocore (frozen at one instant) and
by hpops through the test-only sigv4_probe executable, whose path comes from
HPOPS_SIGV4_PROBE. Canonical requests are compared first because they explain
a mismatch; then Authorization headers or presigned URLs, which must be equal.
"""
import os

import pytest

botocore_auth = pytest.importorskip("botocore.auth")
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore_signing import lower_headers, probe_results, sign_at

PROBE = os.environ.get("HPOPS_SIGV4_PROBE")
pytestmark = pytest.mark.skipif(not PROBE, reason="HPOPS_SIGV4_PROBE is not set (build the sigv4_probe target)")

TIMESTAMP = 1710025507  # 2024-03-09T23:05:07Z
LONG_TERM = {
    "access_key_id": "AKIDEXAMPLE",
    "secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
}
SESSION = {
    "access_key_id": "ASIAEXAMPLEHPOPS0001",
    "secret_access_key": "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "session_token": "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLXdlc3QtMiJHMEUCIQ+example/session+token==",
}
SAGEMAKER_JSON = [["Content-Type", "application/x-amz-json-1.1"]]

CASES = [
    {
        "name": "eks-list-nodegroups",
        "signer": "SigV4Auth", "mode": "header", "method": "GET",
        "url": "https://eks.us-west-2.amazonaws.com/clusters/hp-cluster/node-groups"
               "?maxResults=50&nextToken=eyJ2IjoxfQ%3D%3D%2Fpage2",
        "headers": [["Accept", "application/json"], ["User-Agent", "hpops/0.1.0"]],
        "region": "us-west-2", "service": "eks", "credentials": LONG_TERM,
    },
    {
        "name": "sagemaker-describe-cluster",
        "signer": "SigV4Auth", "mode": "header", "method": "POST",
        "url": "https://api.sagemaker.us-east-1.amazonaws.com/",
        "headers": SAGEMAKER_JSON + [["X-Amz-Target", "SageMaker.DescribeCluster"]],
        "body": '{"ClusterName":"hp-cluster"}',
        "region": "us-east-1", "service": "sagemaker", "credentials": LONG_TERM,
    },
    {
        "name": "sagemaker-list-cluster-nodes-session-token",
        "signer": "SigV4Auth", "mode": "header", "method": "POST",
        "url": "https://api.sagemaker.us-west-2.amazonaws.com/",
        "headers": SAGEMAKER_JSON + [["X-Amz-Target", "SageMaker.ListClusterNodes"],
                                     ["X-Hpops-Note", "  gpu   workers \t batch  "]],
        "body": '{"ClusterName":"hp-cluster","InstanceGroupNameContains":"gpu","MaxResults":100}',
        "region": "us-west-2", "service": "sagemaker", "credentials": SESSION,
    },
    {
        "name": "eks-token-sts-presign-session-token",
        "signer": "SigV4QueryAuth", "mode": "presign", "method": "GET",
        "url": "https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        "headers": [["x-k8s-aws-id", "hp-cluster"]], "expires": 60,
        "region": "us-west-2", "service": "sts", "credentials": SESSION,
    },
    {
        "name": "eks-token-sts-presign-long-term",
        "signer": "SigV4QueryAuth", "mode": "presign", "method": "GET",
        "url": "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        "headers": [["x-k8s-aws-id", "hp-cluster"]], "expires": 60,
        "region": "us-east-1", "service": "sts", "credentials": LONG_TERM,
    },
    {
        "name": "path-with-space-and-unicode",
        "signer": "SigV4Auth", "mode": "header", "method": "GET",
        "url": "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/caf%C3%A9%20menu/%E2%9C%93"
               "?q=caf%C3%A9%20au%20lait&tag=%E2%9C%93",
        "region": "eu-west-1", "service": "execute-api", "credentials": SESSION,
    },
    {
        "name": "path-dot-segments-and-double-slash",
        "signer": "SigV4Auth", "mode": "header", "method": "DELETE",
        "url": "https://eks.us-west-2.amazonaws.com/clusters/./hp-cluster//node-groups/old/../spot-ng",
        "region": "us-west-2", "service": "eks", "credentials": LONG_TERM,
    },
    {
        "name": "local-endpoint-with-port-over-http",
        "signer": "SigV4Auth", "mode": "header", "method": "POST",
        "url": "http://127.0.0.1:5000/",
        "headers": SAGEMAKER_JSON + [["X-Amz-Target", "SageMaker.ListClusters"]],
        "body": "{}",
        "region": "us-east-1", "service": "sagemaker", "credentials": SESSION,
    },
    {
        "name": "s3-put-signed-body",
        "signer": "S3SigV4Auth", "mode": "header", "method": "PUT",
        "url": "https://hp-logs.s3.us-west-2.amazonaws.com/runs/2024/caf%C3%A9%20menu.txt",
        "headers": [["Content-Type", "text/plain"]], "body": "loss=0.12\n",
        "normalize_path": False, "double_encode_path": False, "sign_body": True,
        "region": "us-west-2", "service": "s3", "credentials": LONG_TERM,
    },
    {
        "name": "s3-presigned-get",
        "signer": "S3SigV4QueryAuth", "mode": "presign", "method": "GET",
        "url": "https://hp-logs.s3.us-west-2.amazonaws.com/runs/2024/a%20b%2Bc.txt",
        "expires": 900, "normalize_path": False, "double_encode_path": False, "unsigned_payload": True,
        "region": "us-west-2", "service": "s3", "credentials": SESSION,
    },
]


def botocore_sign(case):
    """Signs with botocore at TIMESTAMP; returns (request, canonical request)."""
    creds = case["credentials"]
    credentials = Credentials(creds["access_key_id"], creds["secret_access_key"], creds.get("session_token"))
    signer_class = getattr(botocore_auth, case["signer"])
    if case["mode"] == "presign":
        signer = signer_class(credentials, case["service"], case["region"], expires=case["expires"])
    else:
        signer = signer_class(credentials, case["service"], case["region"])
    request = AWSRequest(method=case["method"], url=case["url"], headers=dict(case.get("headers", [])),
                         data=case.get("body", "").encode())
    return request, sign_at(signer, request, TIMESTAMP)


@pytest.fixture(scope="module")
def hpops_results():
    return probe_results(PROBE, CASES, TIMESTAMP)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_matches_botocore(case, hpops_results):
    ours = hpops_results[case["name"]]
    theirs, canonical = botocore_sign(case)
    assert ours["canonical_request"] == canonical
    if case["mode"] == "presign":
        assert ours["url"] == theirs.url
        return
    assert dict(lower_headers(ours["headers"]))["authorization"] == theirs.headers["Authorization"]
    # Everything else sent must agree too; botocore leaves Host to the HTTP
    # client, hpops adds it, so it is compared with what botocore signed.
    ours_sent = [(n, v) for n, v in lower_headers(ours["headers"]) if n != "host"]
    assert ours_sent == lower_headers(theirs.headers.items())
    host = dict(lower_headers(ours["headers"]))["host"]
    assert f"\nhost:{host}\n" in canonical
    assert ours["url"] == case["url"]  # an already-encoded URL goes out unchanged
