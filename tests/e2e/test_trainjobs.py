"""Training jobs on the cluster (issue 15 item 2), end to end: signed Slack
commands -> hpops -> the real kube-apiserver with the Kubeflow training
operator's published PyTorchJob CRD and a stand-in for HyperPod's
HyperPodPyTorchJob CRD (tests/hyperpod/crds/; AWS publishes none), and a real
`mlflow server` seeded with seed 001's scene, whose experiments are named
after the jobs. No operator or kubelet runs: the tests write the statuses
they would, through the status subresource."""
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ADMIN, OPERATOR, VIEWER, Bot
from models_fixtures import kube, kube_config_section, kube_peer  # noqa: F401
from kube_peer import KubeApi  # models_fixtures put tests/peers on the path
from test_nodegroups import answer
from test_slack_commands import blocks_text
from test_slack_interactions import button_value

CRDS = Path(__file__).resolve().parents[1] / "hyperpod" / "crds"
KUBEFLOW = "/apis/kubeflow.org/v1"
HYPERPOD = "/apis/sagemaker.amazonaws.com/v1"
CLUSTER = "admin"  # the context of the peer's kubeconfig
SEED_JOB = "hyperpodpytorchjob-2xy"  # seed 001's job, and its MLflow experiment


def crd_files(operator):
    return sorted(str(p) for p in (CRDS / operator).glob("*.yaml"))


@pytest.fixture(scope="module")
def operators(kube_peer):
    api = KubeApi(kube_peer)
    return {name: api.install_crds(crd_files(name)) for name in ("training-operator", "hyperpod-training-operator")}


@pytest.fixture
def tj_bot(kube_peer, kube, mlflow_peer):
    with tempfile.TemporaryDirectory() as tmp:
        b = Bot(tmp, mlflow_uri=mlflow_peer[0],
                extra_yaml=kube_config_section(kube_peer["kubeconfig"], kube.ns, context=CLUSTER))
        yield b
        b.stop()


def condition(kind, status, reason="", message=""):
    return {"type": kind, "status": status, "reason": reason, "message": message,
            "lastTransitionTime": "2026-12-05T10:00:00Z"}


def container(gpus):
    return {"name": "pytorch", "image": "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime",
            "resources": {"limits": {"nvidia.com/gpu": str(gpus)}}}


def make_pytorch_job(kube, name, workers, conditions, queue="training"):
    job = kube.create(f"{KUBEFLOW}/namespaces/{kube.ns}/pytorchjobs", {
        "apiVersion": "kubeflow.org/v1", "kind": "PyTorchJob",
        "metadata": {"name": name, "labels": {"kueue.x-k8s.io/queue-name": queue}},
        "spec": {"pytorchReplicaSpecs": {
            "Master": {"replicas": 1, "restartPolicy": "OnFailure",
                       "template": {"spec": {"containers": [container(8)]}}},
            "Worker": {"replicas": workers, "restartPolicy": "OnFailure",
                       "template": {"spec": {"containers": [container(8)]}}}}}})
    kube.merge_status(f"{KUBEFLOW}/namespaces/{kube.ns}/pytorchjobs/{name}", {"conditions": conditions})
    return job


def make_hyperpod_job(kube, name, replicas, conditions):
    job = kube.create(f"{HYPERPOD}/namespaces/{kube.ns}/hyperpodpytorchjobs", {
        "apiVersion": "sagemaker.amazonaws.com/v1", "kind": "HyperPodPyTorchJob", "metadata": {"name": name},
        "spec": {"nprocPerNode": "8", "replicaSpecs": [
            {"name": "pods", "replicas": replicas, "template": {"spec": {"containers": [container(8)]}}}]}})
    kube.merge_status(f"{HYPERPOD}/namespaces/{kube.ns}/hyperpodpytorchjobs/{name}", {"conditions": conditions})
    return job


def make_pod(kube, job, name, replica_type, ready, restarts, terminated=None):
    """A pod the operator would make (owned by the job) and the status a kubelet would write."""
    kube.create(f"/api/v1/namespaces/{kube.ns}/pods", {
        "metadata": {"name": name, "labels": {"training.kubeflow.org/replica-type": replica_type},
                     "ownerReferences": [{"apiVersion": job["apiVersion"], "kind": job["kind"],
                                          "name": job["metadata"]["name"], "uid": job["metadata"]["uid"]}]},
        # Bound to a node no kubelet serves, as the scheduler would have bound it.
        "spec": {"nodeName": "ip-10-0-1-7.us-west-2.compute.internal", "containers": [container(8)]}})
    state = {"terminated": terminated} if terminated else {"running": {"startedAt": "2026-12-05T10:00:00Z"}}
    kube.merge_status(f"/api/v1/namespaces/{kube.ns}/pods/{name}", {
        "phase": "Failed" if terminated else "Running",
        "conditions": [condition("Ready", "True" if ready else "False")],
        "containerStatuses": [{"name": "pytorch", "image": "pytorch", "imageID": "", "ready": ready,
                               "restartCount": restarts, "state": state}]})


def rows_of(text):
    return [" ".join(line.split()) for line in text.splitlines()]


def newest_run_name(seed, experiment):
    runs = [r for r in seed["by_id"].values() if r["experiment"] == experiment and not r["deleted"]]
    return max(runs, key=lambda r: r["start_time"])["name"]


def test_list_shows_both_kinds_with_state_replicas_restarts_queue_and_mlflow_run(tj_bot, receiver, kube, operators,
                                                                                mlflow_peer):
    sft = make_pytorch_job(kube, "llama-sft", 3, [condition("Created", "True"), condition("Running", "True")])
    make_pod(kube, sft, "llama-sft-master-0", "master", ready=True, restarts=1)
    make_pod(kube, sft, "llama-sft-worker-0", "worker", ready=True, restarts=2)
    make_pod(kube, sft, "llama-sft-worker-1", "worker", ready=False, restarts=0)
    make_hyperpod_job(kube, SEED_JOB, 2, [condition("Created", "True")])
    text = blocks_text(answer(tj_bot, receiver, f"trainjobs namespace={kube.ns}", user=VIEWER))
    rows = rows_of(text)
    assert f"Training jobs · {CLUSTER} · {kube.ns}" in text, text
    assert any(r.startswith(f"{kube.ns}/llama-sft PyTorchJob Running 2/4 3 ") and r.endswith(" training —")
               for r in rows), text
    run = newest_run_name(mlflow_peer[1], SEED_JOB)
    assert any(r.startswith(f"{kube.ns}/{SEED_JOB} HyperPodPyTorchJob Created 0/2 0 ") and f"{run} (" in r
               for r in rows), (run, text)
    assert "2 training jobs on admin" in text, text
    running = blocks_text(answer(tj_bot, receiver, f"trainjobs namespace={kube.ns} status=running", user=VIEWER))
    assert f"{kube.ns}/llama-sft" in running and f"{kube.ns}/{SEED_JOB}" not in running, running


def test_show_gives_conditions_pods_the_failed_pods_reason_and_says_why_no_log(tj_bot, receiver, kube, operators):
    job = make_pytorch_job(kube, "llama-pretrain", 1, [
        condition("Created", "True"), condition("Running", "False"),
        condition("Failed", "True", "PyTorchJobFailed", "PyTorchJob llama-pretrain is failed because 1 Worker replica(s) failed.")])
    make_pod(kube, job, "llama-pretrain-master-0", "master", ready=False, restarts=0)
    make_pod(kube, job, "llama-pretrain-worker-0", "worker", ready=False, restarts=3,
             terminated={"reason": "OOMKilled", "exitCode": 137, "message": "CUDA out of memory",
                         "startedAt": "2026-12-05T10:00:00Z", "finishedAt": "2026-12-05T10:05:00Z"})
    text = blocks_text(answer(tj_bot, receiver, f"trainjobs show llama-pretrain namespace={kube.ns}", user=VIEWER))
    assert f"PyTorchJob {kube.ns}/llama-pretrain · Failed" in text, text
    assert "Failed True PyTorchJobFailed" in " ".join(rows_of(text)), text
    assert "llama-pretrain-worker-0" in text and "container `pytorch`: OOMKilled (exit 137): CUDA out of memory" in text, text
    # The peer has no kubelet: the log cannot be read, and the reply says so.
    # (Of a pod bound to no node, the API server answers an empty log.)
    assert "The log of `llama-pretrain-master-0` cannot be read through the API" in text, text
    assert "none matched (no MLflow experiment `llama-pretrain`)" in text, text


def test_an_unknown_job_lists_those_there_are(tj_bot, receiver, kube, operators):
    make_pytorch_job(kube, "llama-sft", 1, [])
    text = blocks_text(answer(tj_bot, receiver, f"trainjobs show nope namespace={kube.ns}", user=VIEWER))
    assert f"No training job `nope` in `{kube.ns}` on cluster `{CLUSTER}`. Training jobs: {kube.ns}/llama-sft." in text, text


def click_confirm(bot, receiver, ask, user=OPERATOR):
    """Confirm pressed: the answer is posted at response_url (after an acknowledgement, when slow)."""
    earlier = len(receiver.posts)
    bot.click("hpops.confirm", button_value(ask, "hpops.confirm"), user=user, response_url=receiver.url)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        finals = [p for p in receiver.posts[earlier:] if "hourglass" not in blocks_text(p["json"])]
        if finals:
            return blocks_text(finals[-1]["json"])
        time.sleep(0.1)
    raise AssertionError(f"no answer after Confirm: {receiver.posts[earlier:]}")


def test_suspend_and_resume_apply_run_policy_on_the_real_api_server(tj_bot, receiver, kube, operators):
    make_pytorch_job(kube, "llama-sft", 1, [condition("Running", "True")])
    path = f"{KUBEFLOW}/namespaces/{kube.ns}/pytorchjobs/llama-sft"
    denied = blocks_text(answer(tj_bot, receiver, f"trainjobs suspend llama-sft namespace={kube.ns}", user=VIEWER))
    assert "operator" in denied and "runPolicy" not in kube.get(path)["spec"], denied
    ask = answer(tj_bot, receiver, f"trainjobs suspend llama-sft namespace={kube.ns}", user=OPERATOR)
    # The question names the job and the GPUs it holds: 2 replicas of 8.
    assert f"suspend PyTorchJob `{kube.ns}/llama-sft` on `{CLUSTER}`: its pods (2 replicas, 16 GPUs) stop." in \
        blocks_text(ask), blocks_text(ask)
    assert "runPolicy" not in kube.get(path)["spec"], "nothing before Confirm"
    done = click_confirm(tj_bot, receiver, ask)
    assert f"Suspended PyTorchJob `{kube.ns}/llama-sft`" in done, done
    job = kube.get(path)
    assert job["spec"]["runPolicy"]["suspend"] is True, job
    assert job["spec"]["pytorchReplicaSpecs"]["Worker"]["replicas"] == 1, "the rest of the job is left as it was"
    assert any(m["manager"] == "hpops" and m["operation"] == "Apply" for m in job["metadata"]["managedFields"]), job
    listed = blocks_text(answer(tj_bot, receiver, f"trainjobs namespace={kube.ns}", user=VIEWER))
    assert f"{kube.ns}/llama-sft PyTorchJob Suspending" in " ".join(rows_of(listed)), listed
    ask = answer(tj_bot, receiver, f"trainjobs resume llama-sft namespace={kube.ns}", user=OPERATOR)
    done = click_confirm(tj_bot, receiver, ask)
    assert f"Resumed PyTorchJob `{kube.ns}/llama-sft`" in done, done
    assert kube.get(path)["spec"]["runPolicy"]["suspend"] is False


def test_a_hyperpod_job_cannot_be_suspended_but_can_be_deleted(tj_bot, receiver, kube, operators):
    make_hyperpod_job(kube, "qwen-dpo", 2, [condition("Running", "True")])
    path = f"{HYPERPOD}/namespaces/{kube.ns}/hyperpodpytorchjobs/qwen-dpo"
    # Refused before anyone is asked to confirm.
    refused = blocks_text(answer(tj_bot, receiver, f"trainjobs suspend qwen-dpo namespace={kube.ns}", user=OPERATOR))
    assert (f"HyperPodPyTorchJob `{kube.ns}/qwen-dpo` cannot be suspended: HyperPod's training operator publishes "
            "no suspend field") in refused, refused
    assert "runPolicy" not in kube.get(path)["spec"]
    ask = answer(tj_bot, receiver, f"trainjobs delete qwen-dpo namespace={kube.ns}", user=ADMIN)
    assert kube.exists(path), "asks first"
    done = click_confirm(tj_bot, receiver, ask, user=ADMIN)
    assert f"Deleted HyperPodPyTorchJob `{kube.ns}/qwen-dpo`" in done, done
    assert not kube.exists(path)
    outcomes = [r["outcome"] for r in tj_bot.audit() if r["command"] == "trainjobs delete"]
    assert outcomes == ["confirm-requested", "ok"], outcomes


def test_a_missing_operator_is_named_not_a_404(tj_bot, receiver, kube, kube_peer, operators):
    api = KubeApi(kube_peer)
    make_pytorch_job(kube, "llama-sft", 1, [condition("Running", "True")])
    api.delete_crds(operators["hyperpod-training-operator"])
    try:
        text = blocks_text(answer(tj_bot, receiver, f"trainjobs namespace={kube.ns}", user=VIEWER))
        assert "llama-sft" in text, text
        assert "HyperPod's training operator is not installed (no sagemaker.amazonaws.com/v1 API)" in text, text
        api.delete_crds(operators["training-operator"])
        text = blocks_text(answer(tj_bot, receiver, "trainjobs show llama-sft", user=VIEWER))
        assert (f"No training operator is installed on cluster `{CLUSTER}`: neither Kubeflow's training operator "
                "(no kubeflow.org/v1 API) nor HyperPod's training operator (no sagemaker.amazonaws.com/v1 API).") in text, text
        assert "404" not in text and "NotFound" not in text, text
    finally:
        for name in ("training-operator", "hyperpod-training-operator"):
            api.install_crds(crd_files(name))
