"""Models on Kubernetes from chat, end to end: signed Slack commands -> hpops
-> the real kube-apiserver (server-side apply, RBAC, CRDs). With no kubelet or
controllers, the tests write the pods and statuses a cluster would."""
import json
import tempfile
import time

from conftest import ADMIN, OPERATOR, VIEWER, Bot, free_port
from models_fixtures import (CRASH_LOOP, IMAGE_PULL, READY, UNSCHEDULABLE, kube, kube_bot,  # noqa: F401
                             kube_config_section, kube_peer, play_kubelet, wait_for_post,
                             DEPLOYED, play_operator)
from test_nodegroups import answer
from test_slack_commands import blocks_text
from test_slack_interactions import button_value

MODEL = "meta-llama/Llama-3.1-8B-Instruct"
NAME = "llama-3-1-8b-instruct"


def deployment(kube, name=NAME):
    return kube.get(f"/apis/apps/v1/namespaces/{kube.ns}/deployments/{name}")


def test_deploy_vllm_applies_deployment_and_service_and_follows_to_ready(kube_bot, receiver, kube):
    play_kubelet(kube, kube.ns, NAME, READY, deployment_ready=1)
    text = blocks_text(answer(kube_bot, receiver, f"deploy {MODEL} gpus=2 instance-type=g5.12xlarge"))
    assert f"`{NAME}` in `{kube.ns}` is ready: 1/1 replicas ready" in text, text
    assert f"`{MODEL}` is not a valid Kubernetes name, so the deployment is named `{NAME}`" in text, text

    d = deployment(kube)
    labels = d["metadata"]["labels"]
    assert labels["app.kubernetes.io/managed-by"] == "hpops" and labels["hpops.dev/model"] == "meta-llama_Llama-3.1-8B-Instruct"
    assert d["metadata"]["annotations"]["hpops.dev/model"] == MODEL
    pod = d["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "2"
    assert container["resources"]["requests"]["nvidia.com/gpu"] == "2"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health"
    assert MODEL in container["args"]
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in pod["tolerations"]
    assert pod["nodeSelector"] == {"node.kubernetes.io/instance-type": "g5.12xlarge"}
    # Server-side apply, as field manager hpops.
    assert any(m["manager"] == "hpops" and m["operation"] == "Apply" for m in d["metadata"]["managedFields"])
    service = kube.get(f"/api/v1/namespaces/{kube.ns}/services/{NAME}")
    assert service["spec"]["selector"]["app.kubernetes.io/instance"] == NAME
    progress = [blocks_text(p["json"]) for p in receiver.posts]
    assert any("Rolling out" in p for p in progress) or any("ready" in p for p in progress)
    [row] = [r for r in kube_bot.audit() if r["command"] == "deploy"]
    assert row["outcome"] == "ok" and row["actor_id"] == OPERATOR


def test_rollout_failures_name_the_reason(kube_bot, receiver, kube):
    cases = [("pull", IMAGE_PULL, "ImagePullBackOff", "Back-off pulling image"),
             ("sched", UNSCHEDULABLE, "Unschedulable", "Insufficient nvidia.com/gpu"),
             ("crash", CRASH_LOOP, "CrashLoopBackOff", "CUDA out of memory")]
    for name, status, reason, detail in cases:
        receiver.posts.clear()
        play_kubelet(kube, kube.ns, name, status)
        text = blocks_text(answer(kube_bot, receiver, f"deploy org/model name={name}"))
        assert f"*{reason}*" in text and detail in text, (name, text)
    # No kubelet serves logs here: the crash shows the termination message and says so.
    assert "logs unavailable" in text and "termination message" in text, text


def test_names_and_bounds_are_checked_before_any_change(kube_bot, receiver, kube):
    cases = {
        "deploy org/m gpus=0": "must be a whole number from 1 to 8",
        "deploy org/m gpus=1000": "must be a whole number from 1 to 8",
        "deploy org/m replicas=0": "must be a whole number from 1 to 16",
        "deploy org/m name=Bad_Name": "is not a valid Kubernetes name",
        "deploy org/m engine=triton": "is not one of vllm, jumpstart, endpoint",
        "deploy org/m engine=endpoint instance-type=ml.g5.xlarge": "needs `s3=",
        "deploy org/m name=x namespace=does-not-exist": "Namespace `does-not-exist` does not exist",
    }
    for command, expected in cases.items():
        text = blocks_text(answer(kube_bot, receiver, command))
        assert expected in text, (command, text)
    assert kube.get(f"/apis/apps/v1/namespaces/{kube.ns}/deployments")["items"] == []


def test_an_object_hpops_does_not_manage_is_never_overwritten(kube_bot, receiver, kube):
    theirs = {"metadata": {"name": "taken", "labels": {"app": "theirs"}},
              "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "theirs"}},
                       "template": {"metadata": {"labels": {"app": "theirs"}},
                                    "spec": {"containers": [{"name": "c", "image": "theirs:1"}]}}}}
    kube.create(f"/apis/apps/v1/namespaces/{kube.ns}/deployments", theirs)
    text = blocks_text(answer(kube_bot, receiver, "deploy org/m name=taken"))
    assert "already exists and is not managed by hpops" in text, text
    d = deployment(kube, "taken")
    assert d["spec"]["replicas"] == 3 and d["spec"]["template"]["spec"]["containers"][0]["image"] == "theirs:1"
    assert not kube.exists(f"/api/v1/namespaces/{kube.ns}/services/taken")


def test_many_gpus_ask_first_and_show_the_resources(kube_bot, receiver, kube):
    message = answer(kube_bot, receiver, "deploy org/big name=big replicas=2 gpus=4 instance-type=p4d.24xlarge")
    text = blocks_text(message)
    assert "2 replicas × 4 GPUs` = 8 nvidia.com/gpu ≈ 1 × p4d.24xlarge, ≈ +$32.77 an hour" in text, text
    assert not kube.exists(f"/apis/apps/v1/namespaces/{kube.ns}/deployments/big"), "nothing before the confirmation"
    play_kubelet(kube, kube.ns, "big", READY, deployment_ready=2, pods=2)
    kube_bot.click("hpops.confirm", button_value(message, "hpops.confirm"), user=OPERATOR, response_url=receiver.url)
    wait_for_post(receiver, "is ready")
    assert deployment(kube, "big")["spec"]["replicas"] == 2


def test_jumpstart_and_endpoint_create_hyperpod_inference_resources(kube_bot, receiver, kube):
    play_operator(kube, kube.ns, "jumpstartmodels", "deepseek-llm-r1-distill-qwen-1-5b", DEPLOYED)
    text = blocks_text(answer(kube_bot, receiver,
                              "deploy deepseek-llm-r1-distill-qwen-1-5b engine=jumpstart instance-type=ml.g5.xlarge"))
    assert "is ready" in text and "SageMaker endpoint `deepseek-llm-r1-distill-qwen-1-5b`" in text, text
    assert any("inference operator is creating" in blocks_text(p["json"]) for p in receiver.posts)
    js = kube.get(f"/apis/inference.sagemaker.aws.amazon.com/v1/namespaces/{kube.ns}/jumpstartmodels/"
                  "deepseek-llm-r1-distill-qwen-1-5b")
    assert js["spec"]["model"] == {"modelHubName": "SageMakerPublicHub", "modelId": "deepseek-llm-r1-distill-qwen-1-5b"}
    assert js["spec"]["server"] == {"instanceType": "ml.g5.xlarge"}
    play_operator(kube, kube.ns, "inferenceendpointconfigs", "custom",
                  {"state": "DeploymentFailed", "message": "ResourceLimitExceeded: ml.g5.24xlarge for endpoint usage"})
    text = blocks_text(answer(kube_bot, receiver, "deploy llama-3-8b-instruct engine=endpoint name=custom "
                                                  "instance-type=ml.g5.24xlarge replicas=2 "
                                                  "s3=s3://my-model-bucket/models/llama-3-8b-instruct"))
    assert "*DeploymentFailed*" in text and "ResourceLimitExceeded" in text, text
    iec = kube.get(f"/apis/inference.sagemaker.aws.amazon.com/v1/namespaces/{kube.ns}/inferenceendpointconfigs/custom")
    assert iec["spec"]["modelSourceConfig"] == {"modelSourceType": "s3", "s3Storage": {"bucketName": "my-model-bucket"},
                                                "modelLocation": "models/llama-3-8b-instruct"}
    assert iec["spec"]["replicas"] == 2 and iec["spec"]["instanceType"] == "ml.g5.24xlarge"


def test_models_lists_managed_and_other_inference_servers(kube_bot, receiver, kube):
    play_kubelet(kube, kube.ns, "mine", READY, deployment_ready=1)
    answer(kube_bot, receiver, "deploy org/mine-model name=mine gpus=2")
    other = {"metadata": {"name": "tgi-legacy"},
             "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "tgi"}},
                      "template": {"metadata": {"labels": {"app": "tgi"}},
                                   "spec": {"containers": [{"name": "c", "image": "ghcr.io/huggingface/text-generation-inference:2"}]}}}}
    kube.create(f"/apis/apps/v1/namespaces/{kube.ns}/deployments", other)
    plain = dict(other, metadata={"name": "nginx"})
    plain["spec"] = json.loads(json.dumps(other["spec"]).replace("ghcr.io/huggingface/text-generation-inference:2", "nginx"))
    kube.create(f"/apis/apps/v1/namespaces/{kube.ns}/deployments", plain)
    play_operator(kube, kube.ns, "jumpstartmodels", "js", DEPLOYED)
    answer(kube_bot, receiver, "deploy some-js-model name=js engine=jumpstart instance-type=ml.g5.xlarge")
    receiver.posts.clear()
    text = blocks_text(answer(kube_bot, receiver, f"models namespace={kube.ns}", user=VIEWER))
    assert "mine" in text and "org/mine-model" in text and "1/1" in text, text
    assert f"http://mine.{kube.ns}.svc:8000/v1" in text, text
    assert "tgi-legacy (not hpops)" in text and "nginx" not in text, text
    assert "js" in text and "jumpstart" in text and "SageMaker endpoint js" in text and "DeploymentComplete" in text, text
    assert "2 managed by hpops, 1 other" in text, text


def test_undeploy_asks_first_and_removes_exactly_what_deploy_made(kube_bot, receiver, kube):
    play_kubelet(kube, kube.ns, "gone", READY, deployment_ready=1)
    answer(kube_bot, receiver, "deploy org/m name=gone")
    kube.create(f"/api/v1/namespaces/{kube.ns}/configmaps", {"metadata": {"name": "gone"}})
    message = answer(kube_bot, receiver, "undeploy gone")
    assert "hpops.confirm" in json.dumps(message)
    assert kube.exists(f"/apis/apps/v1/namespaces/{kube.ns}/deployments/gone")
    receiver.posts.clear()
    kube_bot.click("hpops.confirm", button_value(message, "hpops.confirm"), user=OPERATOR, response_url=receiver.url)
    assert "Deployment, Service" in wait_for_post(receiver, "Removed")
    assert not kube.exists(f"/apis/apps/v1/namespaces/{kube.ns}/deployments/gone")
    assert not kube.exists(f"/api/v1/namespaces/{kube.ns}/services/gone")
    assert kube.exists(f"/api/v1/namespaces/{kube.ns}/configmaps/gone"), "only what deploy made"
    rows = [r for r in kube_bot.audit() if r["command"] == "undeploy"]
    assert rows and rows[-1]["outcome"] == "ok"
    # Something of that name hpops does not manage is left alone.
    kube.create(f"/api/v1/namespaces/{kube.ns}/services", {"metadata": {"name": "keep"},
                                                            "spec": {"ports": [{"port": 80}]}})
    message = answer(kube_bot, receiver, "undeploy keep")
    kube_bot.click("hpops.confirm", button_value(message, "hpops.confirm"), user=OPERATOR, response_url=receiver.url)
    wait_for_post(receiver, "left alone")
    assert kube.exists(f"/api/v1/namespaces/{kube.ns}/services/keep")


def test_nodes_show_instance_type_and_gpus(kube_bot, receiver, kube):
    for name, gpus, ready in (("gpu-node-a", "8", "True"), ("cpu-node-b", None, "False")):
        if kube.exists(f"/api/v1/nodes/{name}"):
            continue
        kube.create("/api/v1/nodes", {"metadata": {"name": name, "labels": {
            "node.kubernetes.io/instance-type": "p4d.24xlarge" if gpus else "m5.large"}}})
        capacity = {"cpu": "4", "memory": "16Gi", "pods": "110"}
        if gpus:
            capacity["nvidia.com/gpu"] = gpus
        kube.merge_status(f"/api/v1/nodes/{name}", {"capacity": capacity, "allocatable": capacity,
                                                    "conditions": [{"type": "Ready", "status": ready,
                                                                    "reason": "KubeletReady" if ready == "True" else "KubeletNotReady",
                                                                    "message": "m"}]})
    kube.create(f"/api/v1/namespaces/{kube.ns}/pods", {"metadata": {"name": "trainer"}, "spec": {
        "nodeName": "gpu-node-a", "containers": [{"name": "c", "image": "x", "resources": {
            "limits": {"nvidia.com/gpu": "3"}, "requests": {"nvidia.com/gpu": "3"}}}]}})
    text = blocks_text(answer(kube_bot, receiver, "nodes", user=VIEWER))
    assert "gpu-node-a" in text and "p4d.24xlarge" in text and "cpu-node-b" in text and "NotReady" in text, text
    assert "5 of 8 GPUs free" in text, text
    text = blocks_text(answer(kube_bot, receiver, "nodes status=notready", user=VIEWER))
    assert "cpu-node-b" in text and "gpu-node-a" not in text, text


def test_api_server_down_is_a_clear_message_not_a_hang(kube_peer, receiver):
    with tempfile.TemporaryDirectory() as tmp:
        config = json.load(open(kube_peer["kubeconfig"]))
        config["clusters"][0]["cluster"]["server"] = f"https://127.0.0.1:{free_port()}"
        path = f"{tmp}/kubeconfig"
        json.dump(config, open(path, "w"))
        bot = Bot(tmp, extra_yaml=kube_config_section(path, "default"))
        try:
            started = time.monotonic()
            text = blocks_text(answer(bot, receiver, "models", user=VIEWER))
            assert "did not answer" in text and "Unreachable" in text, text
            assert time.monotonic() - started < 30
        finally:
            bot.stop()


def test_hyperpod_kinds_without_the_operator_are_explained(receiver):
    from models_fixtures import start_kube
    info, stop = start_kube(crds=False)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bot = Bot(tmp, extra_yaml=kube_config_section(info["kubeconfig"], "default"))
            try:
                text = blocks_text(answer(bot, receiver, "deploy m engine=jumpstart instance-type=ml.g5.xlarge"))
                assert "does not serve JumpStartModel" in text and "inference operator installed" in text, text
                text = blocks_text(answer(bot, receiver, "models", user=VIEWER))
                assert "JumpStartModel is not served" in text, text
            finally:
                bot.stop()
    finally:
        stop()
