"""Fixtures for end-to-end tests: the real hpops binary on loopback, requests
signed by slack_sdk exactly as Slack signs them, and a local receiver standing
in for Slack's response_url endpoint (Slack's servers cannot run here)."""
import json
import os
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from slack_sdk.signature import SignatureVerifier

BINARY = os.environ.get("HPOPS_BINARY", str(Path(__file__).resolve().parents[2] / "build" / "hpops"))
SIGNING_SECRET = "e2e-signing-secret-0123456789"
CONFIRM_SECRET = "e2e-confirm-secret"
ADMIN, OPERATOR, VIEWER = "UADMIN01", "UOPS01", "UVIEW01"
OPS_CHANNEL, CHANNEL = "COPS01", "CGENERAL01"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """Records what hpops posts to response_url; can answer with failures first."""

    def __init__(self):
        self.posts = []
        self.attempts = 0
        self.script = []  # statuses (and Retry-After) to answer before succeeding
        self.delay = 0.0
        self.cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(receiver.delay)
                with receiver.cond:
                    receiver.attempts += 1
                    step = receiver.script.pop(0) if receiver.script else None
                    if step is None:
                        receiver.posts.append({"path": self.path, "headers": dict(self.headers),
                                               "json": json.loads(body)})
                        receiver.cond.notify_all()
                status, retry_after = step if step else (200, None)
                self.send_response(status)
                if retry_after is not None:
                    self.send_header("Retry-After", str(retry_after))
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/commands/T1/123/abc"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count, timeout=10.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.posts) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} posts at response_url, got {len(self.posts)}")
                self.cond.wait(left)
            return self.posts[:count]

    def close(self):
        self.server.shutdown()


class Bot:
    """A running `hpops serve` with a config written for the test."""

    def __init__(self, tmp, inline_budget="1500ms", tls=None, aws_endpoint=None, mlflow_uri=None, extra_yaml="",
                 extra_env=None, body_limit="1MiB", webhook_body_limit="16MiB", header_timeout="1s", server_yaml="",
                 preexec_fn=None, aws_timeout="5s", mlflow_timeout="10s", follow_timeout="60s", store_yaml="",
                 port=None):
        # A restart "in place" passes the port it had: the same host and port
        # name the same replica, which takes its job leases back at once.
        self.port = port or free_port()
        self.db = os.path.join(tmp, "hpops.db")
        self.config = os.path.join(tmp, "hpops.yaml")
        Path(self.config).write_text(f"""
server:
  listen: 127.0.0.1:{self.port}
  threads: 2
  body_limit: {body_limit}
  webhook_body_limit: {webhook_body_limit}
  header_timeout: {header_timeout}
  idle_timeout: 3s
  shutdown_grace: 10s
{server_yaml}{{tls_section}}slack:
  signing_secret: ${{E2E_SIGNING_SECRET}}
  inline_budget: {inline_budget}
  response_url_allow: ["http://127.0.0.1:"]
access:
  default_role: viewer
  users:
    {ADMIN}: admin
    {OPERATOR}: operator
  channels:
    {OPS_CHANNEL}: operator
store:
  path: {self.db}
{store_yaml}confirm:
  ttl: 5m
  secret: {CONFIRM_SECRET}
log:
  level: info
{{aws_section}}{{mlflow_section}}""".replace("{mlflow_section}", f"""mlflow:
  tracking_uri: "{mlflow_uri}"
  ui_url: "{mlflow_uri}"
  timeout: {mlflow_timeout}
""" if mlflow_uri else "").replace("{aws_section}", f"""aws:
  region: us-west-2
  endpoints: {{eks: "{aws_endpoint}", sagemaker: "{aws_endpoint}", sts: "{aws_endpoint}", cloudformation: "{aws_endpoint}"}}
  poll_interval: 200ms
  follow_timeout: {follow_timeout}
  timeout: {aws_timeout}
""" if aws_endpoint else "").replace("{tls_section}", f"  tls:\n    cert: {tls[0]}\n    key: {tls[1]}\n" if tls else "")
            + extra_yaml)
        env = dict(os.environ, E2E_SIGNING_SECRET=SIGNING_SECRET)
        # moto accepts any key; the names are the standard chain's first source.
        env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
        for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION",
                     "MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME",
                     "MLFLOW_TRACKING_PASSWORD", "KUBECONFIG"):
            env.pop(name, None)
        env.update(extra_env or {})
        self.env = env  # for `hpops run` against the same config
        self.log = open(os.path.join(tmp, "hpops.log"), "w+")
        self.proc = subprocess.Popen([BINARY, "serve", "--config", self.config], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=preexec_fn)
        self.base = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        # The test's self-signed certificate: trust it, and nothing else.
        self.ssl = ssl.create_default_context(cafile=tls[0]) if tls else None
        self.signer = SignatureVerifier(SIGNING_SECRET)
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("hpops did not start: " + self.logs())
            time.sleep(0.05)

    def logs(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def get(self, path):
        try:
            with urllib.request.urlopen(self.base + path, timeout=5, context=self.ssl) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def post(self, path, body, headers=None, timestamp=None, sign=True, timeout=10):
        body = body.encode() if isinstance(body, str) else body
        ts = str(int(time.time()) if timestamp is None else timestamp)
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        if sign:
            h["X-Slack-Request-Timestamp"] = ts
            h["X-Slack-Signature"] = self.signer.generate_signature(timestamp=ts, body=body)
        h.update(headers or {})
        req = urllib.request.Request(self.base + path, data=body, headers=h, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout, context=self.ssl) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def command(self, text, user=VIEWER, channel=CHANNEL, response_url="http://127.0.0.1:9/none", **kw):
        form = {"token": "unused", "team_id": "T1", "channel_id": channel, "channel_name": "ops",
                "user_id": user, "user_name": user.lower(), "command": "/hp", "text": text,
                "response_url": response_url, "trigger_id": str(time.monotonic_ns())}
        return self.post("/slack/commands", urllib.parse.urlencode(form), **kw)

    def click(self, action_id, value, user=ADMIN, channel=CHANNEL, response_url="http://127.0.0.1:9/none"):
        payload = {"type": "block_actions", "user": {"id": user, "username": user.lower()},
                   "channel": {"id": channel}, "response_url": response_url, "trigger_id": "1.2.3",
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value,
                                "action_ts": str(time.time())}]}
        return self.post("/slack/interactions", urllib.parse.urlencode({"payload": json.dumps(payload)}))

    def audit(self):
        import sqlite3
        with sqlite3.connect(self.db) as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM audit ORDER BY id")]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def bot():
    with tempfile.TemporaryDirectory() as tmp:
        b = Bot(tmp)
        yield b
        b.stop()


@pytest.fixture
def slow_bot():
    """Every command goes the acknowledge-then-response_url way."""
    with tempfile.TemporaryDirectory() as tmp:
        b = Bot(tmp, inline_budget="0ms")
        yield b
        b.stop()


@pytest.fixture
def tls_bot():
    """hpops serving HTTPS with a certificate made for the test."""
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
        b = Bot(tmp, tls=(cert, key))
        yield b
        b.stop()


PEERS = str(Path(__file__).resolve().parents[1] / "peers")


@pytest.fixture
def moto():
    """moto in server mode with hpops's extensions, seeded like seed 000:
    EKS `hpops-demo` (spot-ng-with-hypd, gpu-ng) and HyperPod `hp-cluster`
    (accelerated-worker-group-1, controller-group)."""
    import sys
    sys.path.insert(0, PEERS)
    from moto_peer import start_moto
    endpoint, stop = start_moto(seed=True, update_seconds=0.5)
    yield endpoint
    stop()


@pytest.fixture
def aws_bot(moto):
    with tempfile.TemporaryDirectory() as tmp:
        b = Bot(tmp, aws_endpoint=moto)
        yield b
        b.stop()


@pytest.fixture
def aws(moto):
    """boto3 clients on the same moto, to check what hpops changed."""
    import boto3
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="us-west-2")
    class Clients:
        eks = session.client("eks", endpoint_url=moto)
        sagemaker = session.client("sagemaker", endpoint_url=moto)
    return Clients


@pytest.fixture(scope="module")
def mlflow_peer():
    """A real `mlflow server` (SQLite backend) seeded through the mlflow client
    with runs shaped like seed 001's; one per test module, since it takes
    10-20 s to start. Tests that delete runs delete their own."""
    import sys
    sys.path.insert(0, PEERS)
    from mlflow_peer import start_mlflow
    uri, stop = start_mlflow(seed=True)
    yield uri, stop.info["seed"]
    stop()


@pytest.fixture
def mlflow_bot(mlflow_peer):
    with tempfile.TemporaryDirectory() as tmp:
        b = Bot(tmp, mlflow_uri=mlflow_peer[0])
        yield b
        b.stop()
