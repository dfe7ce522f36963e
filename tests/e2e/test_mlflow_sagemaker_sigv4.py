"""hpops's SageMaker managed MLflow requests against botocore's, byte for byte.

The sagemaker-mlflow plugin (which MLflow's own clients use for an ARN
tracking URI) sends each request to https://{region}.experiments.sagemaker.aws
with the header x-mlflow-sm-tracking-server-arn and X-Amz-Content-SHA256, and
signs it with botocore's SigV4Auth(credentials, "sagemaker-mlflow", region),
region taken from the ARN. Here botocore signs that request, described
independently of hpops and frozen at one instant, and the test-only
mlflow_sign_probe (path from HPOPS_MLFLOW_SIGN_PROBE) builds and signs the
same call with hpops's code. Canonical requests are compared first because
they explain a mismatch; then the URL, the Authorization header and every
other header sent.
"""
import hashlib
import json
import os

import pytest

botocore_auth = pytest.importorskip("botocore.auth")
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore_signing import lower_headers, probe_results, sign_at

PROBE = os.environ.get("HPOPS_MLFLOW_SIGN_PROBE")
pytestmark = pytest.mark.skipif(not PROBE, reason="HPOPS_MLFLOW_SIGN_PROBE is not set (build mlflow_sign_probe)")

SERVICE = "sagemaker-mlflow"
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
US_WEST_2 = "arn:aws:sagemaker:us-west-2:123456789012:mlflow-tracking-server/hp-tracking"
EU_WEST_1 = "arn:aws:sagemaker:eu-west-1:210987654321:mlflow-tracking-server/shared-experiments"
US_EAST_1 = "arn:aws:sagemaker:us-east-1:123456789012:mlflow-tracking-server/vpc-only"
GOV = "arn:aws-us-gov:sagemaker:us-gov-west-1:123456789012:mlflow-tracking-server/gov-tracking"

CASES = [
    {
        "name": "runs-search-filter-and-order",
        "tracking_uri": US_WEST_2, "method": "POST", "path": "runs/search",
        "body": json.dumps({"experiment_ids": ["12", "14"], "filter": "attributes.status = 'FAILED'",
                            "max_results": 1000, "order_by": ["attributes.start_time DESC"],
                            "page_token": "eyJvZmZzZXQiOiAxMDAwfQ==", "run_view_type": "ACTIVE_ONLY"},
                           separators=(",", ":")),
        "credentials": LONG_TERM,
    },
    {
        "name": "experiments-search-session-token",
        "tracking_uri": US_WEST_2, "method": "POST", "path": "experiments/search",
        "body": '{"max_results":1000,"view_type":"ACTIVE_ONLY"}',
        "credentials": SESSION,
    },
    {
        "name": "runs-get",
        "tracking_uri": EU_WEST_1, "method": "GET", "path": "runs/get?run_id=4f2b1c9e8d7a4b6c9e0f1a2b3c4d5e6f",
        "credentials": SESSION,
    },
    {
        "name": "metric-history-encoded-key-and-page-token",
        "tracking_uri": US_WEST_2, "method": "GET",
        "path": "metrics/get-history?run_id=9a8b7c6d&metric_key=train%2Floss%20avg&page_token=p%2B2%3D%3D",
        "credentials": LONG_TERM,
    },
    {
        "name": "runs-delete",
        "tracking_uri": EU_WEST_1, "method": "POST", "path": "runs/delete",
        "body": '{"run_id":"4f2b1c9e8d7a4b6c9e0f1a2b3c4d5e6f"}',
        "credentials": SESSION,
    },
    {
        "name": "vpc-endpoint-override",
        "tracking_uri": US_EAST_1, "method": "GET", "path": "runs/get?run_id=r1",
        "sagemaker_endpoint": "https://vpce-0a1b2c3d.experiments.sagemaker.us-east-1.vpce.amazonaws.com",
        "credentials": LONG_TERM,
    },
    {
        "name": "gov-cloud-partition",
        "tracking_uri": GOV, "method": "POST", "path": "runs/search",
        "body": '{"experiment_ids":["0"],"max_results":50,"run_view_type":"ACTIVE_ONLY"}',
        "credentials": SESSION,
    },
]


def plugin_request(case):
    """The request as the sagemaker-mlflow plugin would send it, before signing."""
    arn = case["tracking_uri"]
    region = arn.split(":")[3]
    endpoint = case.get("sagemaker_endpoint") or f"https://{region}.experiments.sagemaker.aws"
    body = case.get("body", "").encode()
    headers = {"x-mlflow-sm-tracking-server-arn": arn,
               "X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest()}
    if case["method"] == "POST":
        headers["Content-Type"] = "application/json"
    url = f"{endpoint}/api/2.0/mlflow/{case['path']}"
    return AWSRequest(method=case["method"], url=url, headers=headers, data=body), region


def botocore_sign(case):
    """Signs with botocore at TIMESTAMP; returns (request, canonical request)."""
    creds = case["credentials"]
    credentials = Credentials(creds["access_key_id"], creds["secret_access_key"], creds.get("session_token"))
    request, region = plugin_request(case)
    signer = botocore_auth.SigV4Auth(credentials, SERVICE, region)
    return request, sign_at(signer, request, TIMESTAMP)


@pytest.fixture(scope="module")
def hpops_results():
    return probe_results(PROBE, CASES, TIMESTAMP)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_matches_botocore(case, hpops_results):
    ours = hpops_results[case["name"]]
    theirs, canonical = botocore_sign(case)
    assert ours["canonical_request"] == canonical
    assert ours["method"] == theirs.method
    assert ours["url"] == theirs.url
    assert ours["body"].encode() == (theirs.body or b"")
    sent = dict(lower_headers(ours["headers"]))
    assert sent["authorization"] == theirs.headers["Authorization"]
    assert f"/{SERVICE}/aws4_request," in sent["authorization"]
    # Everything else sent must agree too; botocore leaves Host to the HTTP
    # client, hpops adds it, so it is compared with what botocore signed.
    ours_sent = [(n, v) for n, v in lower_headers(ours["headers"]) if n != "host"]
    assert ours_sent == lower_headers(theirs.headers.items())
    assert f"\nhost:{sent['host']}\n" in canonical


def test_the_region_comes_from_the_arn(hpops_results):
    eu = dict(lower_headers(hpops_results["runs-get"]["headers"]))
    assert "/eu-west-1/sagemaker-mlflow/aws4_request" in eu["authorization"]
    assert hpops_results["runs-get"]["url"].startswith("https://eu-west-1.experiments.sagemaker.aws/")
