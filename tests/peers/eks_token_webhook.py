"""The kube peer's token webhook: accepts EKS bearer tokens as
aws-iam-authenticator does on EKS
(https://github.com/kubernetes-sigs/aws-iam-authenticator#how-does-it-work).

A token is `k8s-aws-v1.` + base64url(a presigned STS GetCallerIdentity URL)
whose signed headers include `x-k8s-aws-id` (the cluster's name). The
webhook checks the URL's shape and expiry, then fetches it from STS, as the
authenticator does; the caller's ARN that STS answers is the user, in
system:masters (EKS maps a cluster's creator to cluster admin). Here STS is
moto, which does not check signatures, so the test of the signature itself is
test_models_eks_token.py (hpops's token against botocore's, to the byte).

The kube-apiserver reaches this over loopback HTTP through
--authentication-token-webhook-config-file (write_config).
"""

from __future__ import annotations

import base64
import datetime
import json
import re
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "k8s-aws-v1."
MAX_EXPIRES = 900  # seconds; aws-iam-authenticator refuses longer-lived tokens


def _refusal(why: str) -> dict[str, Any]:
    return {"authenticated": False, "error": why}


def review(token: str) -> dict[str, Any]:
    """A TokenReview status for `token`."""
    if not token.startswith(PREFIX):
        return _refusal("not an EKS token")
    encoded = token[len(PREFIX):]
    try:
        url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except ValueError:
        return _refusal("the token is not base64url")
    parsed = urllib.parse.urlsplit(url)
    query = {k.lower(): v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()}
    host = parsed.hostname or ""
    if parsed.scheme not in ("https", "http") or not (host == "127.0.0.1" or re.fullmatch(r"sts(\.[a-z0-9-]+)?\.amazonaws\.com", host)):
        return _refusal(f"not an STS URL: {host}")
    if query.get("action") != "GetCallerIdentity":
        return _refusal("not GetCallerIdentity")
    if "x-k8s-aws-id" not in query.get("x-amz-signedheaders", "").split(";"):
        return _refusal("x-k8s-aws-id is not signed in")
    try:
        signed_at = datetime.datetime.strptime(query["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc)
        expires = int(query["x-amz-expires"])
    except (KeyError, ValueError):
        return _refusal("no X-Amz-Date or X-Amz-Expires")
    age = (datetime.datetime.now(datetime.timezone.utc) - signed_at).total_seconds()
    if expires > MAX_EXPIRES or age > expires or age < -300:
        return _refusal("the token has expired")
    # moto's server picks the service by the Authorization header's credential
    # scope and answers a bare query-signed GET as S3; the same scope and
    # signature, moved into that header, route it to STS (which, on AWS,
    # reads them from the query string).
    routing = (f"AWS4-HMAC-SHA256 Credential={query.get('x-amz-credential', '')}, SignedHeaders=host, "
               f"Signature={query.get('x-amz-signature', '')}")
    request = urllib.request.Request(url, headers={"Accept": "application/json", "x-k8s-aws-id": "peer",
                                                   "Authorization": routing})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read().decode()
    except OSError as e:
        return _refusal(f"STS refused the token: {e}")
    match = re.search(r"<Arn>([^<]+)</Arn>", body) or re.search(r'"Arn"\s*:\s*"([^"]+)"', body)
    if not match:
        return _refusal("STS answered without an ARN")
    arn = match.group(1)
    return {"authenticated": True,
            "user": {"username": arn, "uid": "aws-iam-authenticator:" + arn, "groups": ["system:masters"]}}


class EksTokenWebhook:
    """Serves TokenReview on http://127.0.0.1:PORT/authenticate until stop()."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                status = review(body.get("spec", {}).get("token", ""))
                answer = json.dumps({"apiVersion": body.get("apiVersion", "authentication.k8s.io/v1"),
                                     "kind": "TokenReview", "status": status}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/authenticate"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def write_config(self, path: str) -> None:
        """The kubeconfig-format file kube-apiserver reads to call the webhook."""
        config = {"apiVersion": "v1", "kind": "Config", "current-context": "webhook",
                  "clusters": [{"name": "eks-tokens", "cluster": {"server": self.url}}],
                  "users": [{"name": "kube-apiserver", "user": {}}],
                  "contexts": [{"name": "webhook", "context": {"cluster": "eks-tokens", "user": "kube-apiserver"}}]}
        with open(path, "w") as f:
            json.dump(config, f)  # JSON is YAML

    def stop(self) -> None:
        self.server.shutdown()
