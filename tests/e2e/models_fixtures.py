"""Fixtures for the `models` tests: one real kube-apiserver + etcd per test
module (tests/peers/kube_peer.py, about 3 s to start) with the HyperPod
inference CRDs, and hpops configured to reach it through a kubeconfig."""
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import Bot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "peers"))
from kube_peer import KubeApi, KubeApiError, start_kube  # noqa: E402


@pytest.fixture(scope="module")
def kube_peer():
    info, stop = start_kube(crds=True)
    yield info
    stop()


@pytest.fixture
def kube(kube_peer):
    """The admin's view, to arrange and check what hpops did; each test gets
    its own namespace so tests cannot see each other's objects."""
    api = KubeApi(kube_peer)
    ns = f"t{time.monotonic_ns() % 10**9}"
    api.create("/api/v1/namespaces", {"metadata": {"name": ns}})
    api.ns = ns
    yield api


def kube_config_section(kubeconfig, namespace, timeout="5s", **extra):
    lines = ["kubernetes:", f"  kubeconfig: {kubeconfig}", f"  namespace: {namespace}",
             "  poll_interval: 200ms", "  rollout_timeout: 30s", f"  timeout: {timeout}"]
    lines += [f"  {k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def kube_bot(kube_peer, kube):
    with tempfile.TemporaryDirectory() as tmp:
        b = Bot(tmp, extra_yaml=kube_config_section(kube_peer["kubeconfig"], kube.ns, gpu_confirm_threshold=4))
        yield b
        b.stop()


def wait_for_post(receiver, needle, timeout=30.0):
    """The text of the first post at response_url that contains `needle`."""
    from test_slack_commands import blocks_text
    deadline = time.monotonic() + timeout
    while True:
        for post in list(receiver.posts):
            if needle in blocks_text(post["json"]):
                return blocks_text(post["json"])
        assert time.monotonic() < deadline, f"no post with {needle!r}: {receiver.posts}"
        time.sleep(0.1)


def play_kubelet(api, ns, name, pod_status, deployment_ready=0, pods=1, timeout=20.0):
    """What the controllers and a kubelet would do once hpops applied the
    Deployment: create its pods with the template's labels, then write their
    status and the Deployment's. Runs in a thread while the bot follows."""
    def run():
        deadline = time.monotonic() + timeout
        while not api.exists(f"/apis/apps/v1/namespaces/{ns}/deployments/{name}"):
            if time.monotonic() > deadline:
                return
            time.sleep(0.1)
        d = api.get(f"/apis/apps/v1/namespaces/{ns}/deployments/{name}")
        template = d["spec"]["template"]
        for i in range(pods):
            pod = {"metadata": {"name": f"{name}-{i}", "labels": template["metadata"]["labels"]},
                   "spec": template["spec"]}
            api.create(f"/api/v1/namespaces/{ns}/pods", pod)
            api.merge_status(f"/api/v1/namespaces/{ns}/pods/{name}-{i}", pod_status)
        api.merge_status(f"/apis/apps/v1/namespaces/{ns}/deployments/{name}",
                         {"observedGeneration": d["metadata"]["generation"], "replicas": pods,
                          "readyReplicas": deployment_ready, "updatedReplicas": pods})
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def play_operator(api, ns, plural, name, status, timeout=20.0):
    """What HyperPod's inference operator would write once hpops applied its resource."""
    path = f"/apis/inference.sagemaker.aws.amazon.com/v1/namespaces/{ns}/{plural}/{name}"

    def run():
        deadline = time.monotonic() + timeout
        while not api.exists(path):
            if time.monotonic() > deadline:
                return
            time.sleep(0.1)
        time.sleep(0.3)  # let hpops see it pending first
        api.merge_status(path, status)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


DEPLOYED = {"state": "DeploymentComplete"}

READY = {"phase": "Running", "conditions": [{"type": "PodScheduled", "status": "True"},
                                            {"type": "Ready", "status": "True"}],
         "containerStatuses": [{"name": "vllm", "ready": True, "restartCount": 0, "image": "vllm", "imageID": "",
                                "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}}}]}

IMAGE_PULL = {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "True"}],
              "containerStatuses": [{"name": "vllm", "ready": False, "restartCount": 0, "image": "nope/vllm:x",
                                     "imageID": "",
                                     "state": {"waiting": {"reason": "ImagePullBackOff",
                                                           "message": "Back-off pulling image \"nope/vllm:x\""}}}]}

UNSCHEDULABLE = {"phase": "Pending", "conditions": [{
    "type": "PodScheduled", "status": "False", "reason": "Unschedulable",
    "message": "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."}]}

CRASH_LOOP = {"phase": "Running", "conditions": [{"type": "PodScheduled", "status": "True"},
                                                 {"type": "Ready", "status": "False"}],
              "containerStatuses": [{"name": "vllm", "ready": False, "restartCount": 4, "image": "vllm", "imageID": "",
                                     "state": {"waiting": {"reason": "CrashLoopBackOff",
                                                           "message": "back-off 40s restarting failed container"}},
                                     "lastState": {"terminated": {
                                         "exitCode": 1, "reason": "Error",
                                         "startedAt": "2026-01-01T00:00:00Z", "finishedAt": "2026-01-01T00:00:09Z",
                                         "message": "torch.OutOfMemoryError: CUDA out of memory. Tried to "
                                                    "allocate 2.00 GiB"}}}]}
