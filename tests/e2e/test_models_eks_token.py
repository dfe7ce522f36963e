"""hpops's native EKS bearer token against the one `aws eks get-token` makes:
botocore's presigned STS GetCallerIdentity URL with the x-k8s-aws-id header
signed in and X-Amz-Expires=60 (awscli/customizations/eks/get_token.py),
frozen at one instant, compared character for character. The test-only
eks_token_probe (HPOPS_EKS_TOKEN_PROBE) makes hpops's."""
import base64
import datetime
import os
import urllib.parse

import pytest

botocore_session = pytest.importorskip("botocore.session")
from botocore import auth as botocore_auth  # noqa: E402
from botocore_signing import probe_results  # noqa: E402

PROBE = os.environ.get("HPOPS_EKS_TOKEN_PROBE")
pytestmark = pytest.mark.skipif(not PROBE, reason="HPOPS_EKS_TOKEN_PROBE is not set (build eks_token_probe)")

TIMESTAMP = 1763900000  # 2025-11-23T12:13:20Z
LONG_TERM = {"access_key_id": "AKIDEXAMPLE", "secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
SESSION = {"access_key_id": "ASIAEXAMPLEHPOPS0001", "secret_access_key": "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
           "session_token": "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLXdlc3QtMiJHMEUCIQ+example/session+token=="}
CASES = [
    {"name": "long-term-us-west-2", "cluster": "hpops-demo", "region": "us-west-2", "credentials": LONG_TERM},
    {"name": "session-eu-west-1", "cluster": "ml_Cluster-2", "region": "eu-west-1", "credentials": SESSION},
    {"name": "us-east-1", "cluster": "c", "region": "us-east-1", "credentials": SESSION},
]


def aws_cli_token(case, monkeypatch):
    """What `aws eks get-token --cluster-name C --region R` prints as the token."""
    creds = case["credentials"]
    session = botocore_session.get_session()
    session.set_credentials(creds["access_key_id"], creds["secret_access_key"], creds.get("session_token"))
    sts = session.create_client("sts", region_name=case["region"])

    def add_cluster_header(request, **kwargs):
        request.headers["x-k8s-aws-id"] = case["cluster"]

    sts.meta.events.register("before-sign.sts.GetCallerIdentity", add_cluster_header)
    frozen = datetime.datetime.fromtimestamp(TIMESTAMP, tz=datetime.timezone.utc).replace(tzinfo=None)
    monkeypatch.setattr(botocore_auth, "get_current_datetime", lambda *a, **k: frozen)
    url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=60, HttpMethod="GET")
    return "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


@pytest.fixture(autouse=True)
def no_aws_files(monkeypatch, tmp_path):
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_STS_REGIONAL_ENDPOINTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))


def test_tokens_match_aws_eks_get_token(monkeypatch):
    ours = probe_results(PROBE, CASES, TIMESTAMP)
    for case in CASES:
        theirs = aws_cli_token(case, monkeypatch)
        token = ours[case["name"]]["token"]
        url = base64.urlsafe_b64decode(token[len("k8s-aws-v1."):] + "==").decode()
        assert token == theirs, (case["name"], url)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        assert query["Action"] == "GetCallerIdentity" and query["X-Amz-Expires"] == "60"
        assert query["X-Amz-SignedHeaders"] == "host;x-k8s-aws-id"
        assert urllib.parse.urlsplit(url).netloc == f"sts.{case['region']}.amazonaws.com"
        assert "=" not in token, "base64url without padding"
