#!/usr/bin/env python3
"""Kubernetes test peer for hpops: a real etcd and kube-apiserver on loopback
(built by scripts/build-kube-peer.sh), in a private temporary directory, with
certificates, a service-account signing key and a static token file made here,
and a token webhook that accepts EKS bearer tokens (eks_token_webhook.py).

No kubelet, scheduler or controller-manager runs: tests play those parts by
creating pods and writing the status of pods and Deployments through the API.
That keeps every rollout path (ready, ImagePullBackOff, Unschedulable,
CrashLoopBackOff) deterministic; a controller-manager would overwrite the
statuses the tests set. Consequences: nothing garbage-collects, so deletes use
Background propagation; namespaces get no `default` ServiceAccount, so the
ServiceAccount admission plugin is off.

From C++ (GoogleTest) or a shell:
    ~/.cache/hpops/venv/bin/python tests/peers/kube_peer.py [--crds]
  The first stdout line, once /readyz answers, is
    {"server": "https://127.0.0.1:PORT", "kubeconfig": ".../kubeconfig",
     "ca_file": ".../ca.crt", "admin_token": "...", "workdir": "...",
     "pid": N, "startup_seconds": S, "binaries": "..."}
  The kubeconfig has contexts `admin` (bearer token, current) and
  `admin-cert` (client certificate). Stop with SIGTERM or by closing stdin.

From Python: `info, stop = start_kube()`; `KubeApi(info)` talks to it.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import peer_process  # noqa: E402

ADMIN_TOKEN = "hpops-test-admin-token"
INFERENCE_GROUP = "inference.sagemaker.aws.amazon.com"


def binaries_dir() -> str:
    """Where scripts/build-kube-peer.sh caches the binaries."""
    if os.environ.get("HPOPS_KUBE_PEER_DIR"):
        return os.environ["HPOPS_KUBE_PEER_DIR"]
    version = "unknown"
    with open(os.path.join(HERE, "kube", "go.mod")) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "k8s.io/kubernetes":
                version = parts[1]
                break
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(cache, "hpops", "kube-peer", version)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_pki(workdir: str) -> dict[str, str]:
    """A CA, the API server's serving certificate, an admin client certificate
    (group system:masters) and the service-account signing key, as PEM files."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)

    def key_pem(key: Any) -> bytes:
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())

    def name(cn: str, org: str | None = None) -> x509.Name:
        attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
        if org:
            attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
        return x509.Name(attrs)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("hpops-test-ca")).issuer_name(name("hpops-test-ca"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))

    def leaf(subject: x509.Name, server: bool) -> tuple[bytes, bytes]:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH if server
                                                         else x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), False))
        if server:
            builder = builder.add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.DNSName("kubernetes"), x509.DNSName("kubernetes.default.svc"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.IPAddress(ipaddress.ip_address("10.96.0.1"))]), False)
        cert = builder.sign(ca_key, hashes.SHA256())
        return cert.public_bytes(serialization.Encoding.PEM), key_pem(key)

    serving = leaf(name("kube-apiserver"), server=True)
    admin = leaf(name("hpops-admin", "system:masters"), server=False)
    sa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    files = {
        "ca_file": ("ca.crt", ca.public_bytes(serialization.Encoding.PEM)),
        "serving_cert": ("apiserver.crt", serving[0]), "serving_key": ("apiserver.key", serving[1]),
        "admin_cert": ("admin.crt", admin[0]), "admin_key": ("admin.key", admin[1]),
        "sa_key": ("sa.key", key_pem(sa_key)),
        "sa_pub": ("sa.pub", sa_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                             serialization.PublicFormat.SubjectPublicKeyInfo)),
    }
    out = {}
    for label, (filename, data) in files.items():
        path = os.path.join(workdir, filename)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o600)
        out[label] = path
    return out


def write_kubeconfig(path: str, server: str, pki: dict[str, str]) -> None:
    def b64(p: str) -> str:
        with open(p, "rb") as f:
            return base64.b64encode(f.read()).decode()

    config = {
        "apiVersion": "v1", "kind": "Config", "current-context": "admin",
        "clusters": [{"name": "peer", "cluster": {"server": server, "certificate-authority-data": b64(pki["ca_file"])}}],
        "users": [{"name": "admin", "user": {"token": ADMIN_TOKEN}},
                  {"name": "admin-cert", "user": {"client-certificate-data": b64(pki["admin_cert"]),
                                                  "client-key-data": b64(pki["admin_key"])}}],
        "contexts": [{"name": "admin", "context": {"cluster": "peer", "user": "admin", "namespace": "default"}},
                     {"name": "admin-cert", "context": {"cluster": "peer", "user": "admin-cert"}}],
    }
    with open(path, "w") as f:
        json.dump(config, f, indent=1)  # JSON is YAML


class KubePeer:
    def __init__(self, verbose: bool = False, timeout: float = 90.0):
        bindir = binaries_dir()
        for b in ("etcd", "kube-apiserver"):
            if not os.access(os.path.join(bindir, b), os.X_OK):
                raise RuntimeError(f"no {b} in {bindir}: run scripts/build-kube-peer.sh")
        self.workdir = tempfile.mkdtemp(prefix="hpops-kube-")
        self.procs: list[subprocess.Popen] = []
        self._logs = []
        started = time.monotonic()
        try:
            pki = make_pki(self.workdir)
            self.ca_file = pki["ca_file"]
            etcd_port, etcd_peer, api_port = _free_port(), _free_port(), _free_port()
            etcd_url = f"http://127.0.0.1:{etcd_port}"
            self._spawn("etcd", verbose, [
                os.path.join(bindir, "etcd"), "--name", "peer", "--data-dir", os.path.join(self.workdir, "etcd"),
                "--listen-client-urls", etcd_url, "--advertise-client-urls", etcd_url,
                "--listen-peer-urls", f"http://127.0.0.1:{etcd_peer}",
                "--initial-advertise-peer-urls", f"http://127.0.0.1:{etcd_peer}",
                "--initial-cluster", f"peer=http://127.0.0.1:{etcd_peer}",
                "--unsafe-no-fsync", "--log-level", "warn"])
            tokens = os.path.join(self.workdir, "tokens.csv")
            with open(tokens, "w") as f:
                f.write(f'{ADMIN_TOKEN},hpops-admin,uid-admin,"system:masters"\n')
            os.chmod(tokens, 0o600)
            self.server = f"https://127.0.0.1:{api_port}"
            # EKS bearer tokens (k8s-aws-v1.…), checked against STS as on EKS.
            from eks_token_webhook import EksTokenWebhook

            self.eks_tokens = EksTokenWebhook()
            webhook_config = os.path.join(self.workdir, "eks-token-webhook.yaml")
            self.eks_tokens.write_config(webhook_config)
            self._spawn("kube-apiserver", verbose, [
                os.path.join(bindir, "kube-apiserver"),
                "--etcd-servers", etcd_url, "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
                "--secure-port", str(api_port), "--cert-dir", self.workdir,
                "--tls-cert-file", pki["serving_cert"], "--tls-private-key-file", pki["serving_key"],
                "--client-ca-file", pki["ca_file"], "--token-auth-file", tokens,
                "--authentication-token-webhook-config-file", webhook_config,
                "--authentication-token-webhook-version", "v1",
                "--service-account-issuer", "https://kubernetes.default.svc",
                "--service-account-key-file", pki["sa_pub"], "--service-account-signing-key-file", pki["sa_key"],
                "--service-cluster-ip-range", "10.96.0.0/16", "--authorization-mode", "RBAC",
                # No controller-manager makes `default` ServiceAccounts for the pods tests create.
                "--disable-admission-plugins", "ServiceAccount",
                "--endpoint-reconciler-type", "none", "--profiling=false", "--v", "1"])
            self.ssl = ssl.create_default_context(cafile=self.ca_file)
            self._wait_ready(timeout)
            self.kubeconfig = os.path.join(self.workdir, "kubeconfig")
            write_kubeconfig(self.kubeconfig, self.server, pki)
            self.startup_seconds = time.monotonic() - started
        except BaseException:
            self.stop()
            raise

    def _spawn(self, name: str, verbose: bool, cmd: list[str]) -> None:
        log = None if verbose else open(os.path.join(self.workdir, f"{name}.log"), "w")
        self._logs.append(log)
        self.procs.append(subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log or sys.stderr,
                                           stderr=subprocess.STDOUT, preexec_fn=_pdeathsig))

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            for proc in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}:\n{self.log_tail()}")
            try:
                request = urllib.request.Request(self.server + "/readyz",
                                                 headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
                with urllib.request.urlopen(request, timeout=2, context=self.ssl) as r:
                    if r.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"kube-apiserver not ready in {timeout} s:\n{self.log_tail()}")
            time.sleep(0.2)

    def log_tail(self, lines: int = 30) -> str:
        out = []
        for name in ("etcd", "kube-apiserver"):
            try:
                with open(os.path.join(self.workdir, f"{name}.log")) as f:
                    out.append(f"--- {name}\n" + "".join(f.readlines()[-lines:]))
            except OSError:
                pass
        return "\n".join(out)

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.procs)

    def stop(self) -> None:
        if getattr(self, "eks_tokens", None):
            self.eks_tokens.stop()
        for proc in reversed(self.procs):  # the API server first, then etcd
            peer_process.terminate(proc, 15)
        self.procs = []
        for log in self._logs:
            if log:
                log.close()
        self._logs = []
        shutil.rmtree(self.workdir, ignore_errors=True)


def _pdeathsig() -> None:
    peer_process.die_with_parent()


class KubeApi:
    """A few lines of REST for the tests (as admin), so they need no kubectl
    and no Kubernetes Python client."""

    def __init__(self, info: dict[str, Any], token: str | None = None):
        self.server = info["server"]
        self.token = token or info["admin_token"]
        self.ssl = ssl.create_default_context(cafile=info["ca_file"])

    def call(self, method: str, path: str, body: Any = None, content_type: str = "application/json",
             ok: tuple[int, ...] = (200, 201, 202)) -> Any:
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = content_type
        deadline = time.monotonic() + 15
        while True:
            request = urllib.request.Request(self.server + path, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=10, context=self.ssl) as r:
                    status, text = r.status, r.read().decode()
            except urllib.error.HTTPError as e:
                status, text = e.code, e.read().decode()
            # 429 "storage is (re)initializing" right after a CRD is established: wait, as clients do.
            if status != 429 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        if status not in ok:
            raise KubeApiError(status, text)
        return json.loads(text) if text else None

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def exists(self, path: str) -> bool:
        try:
            self.get(path)
            return True
        except KubeApiError as e:
            if e.status == 404:
                return False
            raise

    def create(self, path: str, body: Any) -> Any:
        return self.call("POST", path, body)

    def merge_status(self, path: str, status: dict[str, Any]) -> Any:
        """What a kubelet or controller would write: a merge patch of /status."""
        return self.call("PATCH", path + "/status", {"status": status}, "application/merge-patch+json")

    def delete(self, path: str) -> None:
        self.call("DELETE", path, ok=(200, 202, 404))

    def install_inference_crds(self) -> None:
        """Minimal CRDs for HyperPod's inference kinds: a schema that keeps
        every field, and a status subresource as the real operator's has."""
        for kind, plural in (("JumpStartModel", "jumpstartmodels"),
                             ("InferenceEndpointConfig", "inferenceendpointconfigs")):
            name = f"{plural}.{INFERENCE_GROUP}"
            if self.exists(f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}"):
                continue
            self.create("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": {"name": name},
                "spec": {"group": INFERENCE_GROUP, "scope": "Namespaced",
                         "names": {"kind": kind, "plural": plural, "singular": kind.lower(), "listKind": kind + "List"},
                         "versions": [{"name": "v1", "served": True, "storage": True,
                                       "subresources": {"status": {}},
                                       "schema": {"openAPIV3Schema": {"type": "object",
                                                                      "x-kubernetes-preserve-unknown-fields": True}}}]}})
        deadline = time.monotonic() + 30
        for plural in ("jumpstartmodels", "inferenceendpointconfigs"):
            self._wait(lambda: self._established(f"{plural}.{INFERENCE_GROUP}"), deadline,
                       f"CRD {plural} not established")
        # Discovery lags behind Established by a moment.
        self._wait(lambda: self.exists(f"/apis/{INFERENCE_GROUP}/v1/namespaces/default/jumpstartmodels"), deadline,
                   "inference CRDs not served")

    CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"

    def install_crds(self, files: list[str], timeout: float = 60.0) -> list[dict[str, Any]]:
        """CRDs from their published YAML files (tests/hyperpod/crds/), as
        they are: created unless present, then waited for until Established
        and their kinds served. Returns the CRDs."""
        import yaml

        crds = []
        for path in files:
            with open(path) as f:
                crds += [d for d in yaml.safe_load_all(f) if d and d.get("kind") == "CustomResourceDefinition"]
        for crd in crds:
            if not self.exists(f"{self.CRDS}/{crd['metadata']['name']}"):
                self.create(self.CRDS, crd)
        deadline = time.monotonic() + timeout
        for crd in crds:
            self._wait(lambda: self._established(crd["metadata"]["name"]), deadline,
                       f"CRD {crd['metadata']['name']} not established")
            # Discovery lags behind Established by a moment.
            self._wait(lambda: self.exists(self.served_path(crd)), deadline, f"CRD {crd['metadata']['name']} not served")
        return crds

    def delete_crds(self, crds: list[dict[str, Any]], timeout: float = 60.0) -> None:
        """Removes CRDs (and every object of their kinds) and waits until the
        API server no longer serves them, as on a cluster without the operator."""
        for crd in crds:
            self.delete(f"{self.CRDS}/{crd['metadata']['name']}")
        deadline = time.monotonic() + timeout
        for crd in crds:
            self._wait(lambda: not self.exists(self.served_path(crd)), deadline,
                       f"CRD {crd['metadata']['name']} still served")

    @staticmethod
    def served_path(crd: dict[str, Any]) -> str:
        """Where the served (storage) version of a CRD's kind is listed, across namespaces."""
        spec = crd["spec"]
        version = next(v["name"] for v in spec["versions"] if v.get("storage"))
        return f"/apis/{spec['group']}/{version}/{spec['names']['plural']}"

    def _established(self, name: str) -> bool:
        crd = self.get(f"{self.CRDS}/{name}")
        return any(c["type"] == "Established" and c["status"] == "True"
                   # Right after creation the server may write `conditions: null`.
                   for c in (crd.get("status") or {}).get("conditions") or [])

    @staticmethod
    def _wait(ready: Callable[[], bool], deadline: float, failure: str) -> None:
        while not ready():
            if time.monotonic() > deadline:
                raise TimeoutError(failure)
            time.sleep(0.1)

    def service_account_token(self, namespace: str, name: str, seconds: int = 3600) -> str:
        """A token for a ServiceAccount from the TokenRequest API, as a pod would get."""
        review = self.create(f"/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token",
                             {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                              "spec": {"expirationSeconds": seconds}})
        return review["status"]["token"]


class KubeApiError(Exception):
    def __init__(self, status: int, body: str):
        super().__init__(f"HTTP {status}: {body[:500]}")
        self.status = status
        self.body = body


def start_kube(timeout: float = 120.0, crds: bool = False) -> tuple[dict[str, Any], Callable[[], None]]:
    """Start a peer as a child process (as C++ does) and return (info, stop)."""
    cmd = [sys.executable, os.path.join(HERE, "kube_peer.py")]
    if crds:
        cmd.append("--crds")
    return peer_process.spawn(cmd, "kube peer", timeout, stop_timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--crds", action="store_true", help="install the HyperPod inference CRDs")
    parser.add_argument("--verbose", action="store_true", help="server logs to stderr instead of files")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for /readyz")
    args = parser.parse_args(argv)

    peer_process.die_with_parent()
    done = threading.Event()
    ready = False

    def on_signal(*_: object) -> None:
        if not ready:
            raise SystemExit(0)
        done.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    try:
        peer = KubePeer(args.verbose, args.timeout)
    except Exception as e:
        print(f"kube_peer: {e}", file=sys.stderr, flush=True)
        return 1
    try:
        info = {"server": peer.server, "kubeconfig": peer.kubeconfig, "ca_file": peer.ca_file,
                "admin_token": ADMIN_TOKEN, "workdir": peer.workdir, "pid": os.getpid(),
                "startup_seconds": round(peer.startup_seconds, 2), "binaries": binaries_dir()}
        if args.crds:
            KubeApi(info).install_inference_crds()
        print(json.dumps(info), flush=True)
        ready = True
        peer_process.watch_stdin(done)
        while not done.wait(0.5):
            if not peer.alive():
                print(f"kube_peer: a server exited:\n{peer.log_tail()}", file=sys.stderr, flush=True)
                return 1
        return 0
    finally:
        peer.stop()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
