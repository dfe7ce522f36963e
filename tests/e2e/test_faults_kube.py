"""The Kubernetes API server (a real kube-apiserver) behind Toxiproxy and the
HTTP fault proxy, which serves TLS with the peer's own certificate so the
kubeconfig's trust is unchanged: what `/hp models` and `/hp deploy` show under
each fault, that 5xx/429 are retried (Retry-After honoured) and that a deploy
whose answer is lost is applied once, not twice or half."""
import json
import os
import time

import pytest

from conftest import OPERATOR, VIEWER
from fault_chain import Fault, bot_behind, chained, record, toxi  # noqa: F401
from models_fixtures import READY, kube, kube_config_section, kube_peer, play_kubelet  # noqa: F401
from test_nodegroups import answer
from test_slack_commands import blocks_text

LIST_DEPLOYMENTS = "GET /apis/apps/v1/namespaces/"
APPLY = "PATCH /apis/apps/v1/namespaces/"


@pytest.fixture
def chain(toxi, kube_peer):  # noqa: F811
    workdir = kube_peer["workdir"]
    with chained(toxi, "kube", kube_peer["server"], upstream_ca=kube_peer["ca_file"],
                 tls=(os.path.join(workdir, "apiserver.crt"), os.path.join(workdir, "apiserver.key"))) as c:
        yield c


@pytest.fixture
def fault_bot(chain, kube_peer, kube, tmp_path):  # noqa: F811
    """hpops reaching the API server through the chain, with a 1 s timeout."""
    config = json.load(open(kube_peer["kubeconfig"]))
    config["clusters"][0]["cluster"]["server"] = chain.url
    path = tmp_path / "kubeconfig"
    path.write_text(json.dumps(config))
    with bot_behind(extra_yaml=kube_config_section(path, kube.ns, timeout="1s")) as b:
        yield b


def models_answered(text):
    return "model deployments in" in text


def test_latency_slows_the_answer_but_it_arrives(chain, fault_bot, receiver):
    with chain.toxic("latency", latency=200):
        started = time.monotonic()
        text = blocks_text(answer(fault_bot, receiver, "models", user=VIEWER))
    assert models_answered(text), text
    record("Kubernetes API", "latency 200 ms on every answer", text, f"{chain.count()} (no retries)",
           f"full answer in {time.monotonic() - started:.1f} s")


def test_a_stall_is_reported_not_hung(chain, fault_bot, receiver):
    with chain.toxic("timeout", timeout=0):
        started = time.monotonic()
        text = blocks_text(answer(fault_bot, receiver, "models", user=VIEWER))
    elapsed = time.monotonic() - started
    assert "did not answer (Timeout)" in text and "127.0.0.1" not in text, text
    assert elapsed < 15, elapsed
    record("Kubernetes API", "stall (bytes dropped, connection held)", text, f"{chain.count()} in all",
           f"reported in {elapsed:.1f} s")


def test_a_503_burst_is_retried_away(chain, fault_bot, receiver):
    chain.script(Fault.status(503, when=LIST_DEPLOYMENTS), Fault.status(503, when=LIST_DEPLOYMENTS))
    text = blocks_text(answer(fault_bot, receiver, "models", user=VIEWER))
    assert models_answered(text), text
    assert chain.http.answers.count("503") == 2
    record("Kubernetes API", "2 × 503 on the Deployments list", text,
           f"{chain.count(LIST_DEPLOYMENTS)} Deployments lists", "full answer")


def test_429_honours_retry_after(chain, fault_bot, receiver):
    chain.script(Fault.status(429, retry_after=1, when=LIST_DEPLOYMENTS,
                              body=b'{"kind":"Status","status":"Failure","reason":"TooManyRequests","code":429}',
                              headers={"Content-Type": "application/json"}))
    started = time.monotonic()
    text = blocks_text(answer(fault_bot, receiver, "models", user=VIEWER))
    assert models_answered(text), text
    assert time.monotonic() - started >= 1.0
    record("Kubernetes API", "429 TooManyRequests, Retry-After: 1", text, "2 Deployments lists",
           "full answer after the 1 s asked for")


def test_a_deploy_whose_apply_answer_is_lost_is_applied_once(chain, fault_bot, receiver, kube):  # noqa: F811
    chain.script(Fault.reset_after_forward(when=APPLY))
    play_kubelet(kube, kube.ns, "faulty", READY, deployment_ready=1)
    text = blocks_text(answer(fault_bot, receiver, "deploy org/m name=faulty"))
    assert "`faulty`" in text and "is ready" in text, text
    d = kube.get(f"/apis/apps/v1/namespaces/{kube.ns}/deployments/faulty")
    assert d["metadata"]["generation"] == 1, "the repeated apply changed nothing"
    rows = [r for r in fault_bot.audit() if r["command"] == "deploy"]
    assert [r["outcome"] for r in rows] == ["ok"] and rows[0]["actor_id"] == OPERATOR
    record("Kubernetes API", "reset after the Deployment's apply reached the API server", text,
           f"{chain.count(APPLY)} applies (server-side apply: same object)", "ready; generation 1; one audit row")


def test_api_server_down_is_a_clear_message(chain, fault_bot, receiver):
    chain.toxi.enable(chain.name, False)
    try:
        text = blocks_text(answer(fault_bot, receiver, "models", user=VIEWER))
    finally:
        chain.toxi.enable(chain.name, True)
    assert "did not answer (Unreachable)" in text and "127.0.0.1" not in text, text
    record("Kubernetes API", "down (connection refused)", text, "0", "reported")
