"""AWS (moto, EKS and SageMaker) behind Toxiproxy and the HTTP fault proxy:
what chat shows under each fault, that retries follow the AWS SDKs' standard
mode (3 attempts, 5xx/429/throttling codes and lost connections retried, the
rest not), and that nothing is half-done: every change the peer made is the
one that was asked for, once, and audited."""
import time

import pytest

from conftest import OPERATOR, VIEWER
from fault_chain import Fault, bot_behind, chained, record, toxi  # noqa: F401
from test_nodegroups import answer, scaling
from test_slack_commands import blocks_text

LIST_NODEGROUPS = "GET /clusters/hpops-demo/node-groups?"
LIST_CLUSTERS = "GET /clusters?"
UPDATE_CONFIG = "POST /clusters/hpops-demo/node-groups/spot-ng-with-hypd/update-config"


@pytest.fixture
def chain(toxi, moto):  # noqa: F811
    with chained(toxi, "aws", moto) as c:
        yield c


@pytest.fixture
def fault_bot(chain):
    """hpops with a 1 s AWS timeout, so a stall costs seconds, not minutes,
    and no capacity sampling: each test counts the requests its command makes."""
    with bot_behind(aws_endpoint=chain.url, aws_timeout="1s", extra_yaml="digests:\n  capacity_interval: 0\n") as b:
        yield b


def listed(text):
    return all(name in text for name in ("spot-ng-with-hypd", "gpu-ng", "accelerated-worker-group-1"))


def test_latency_slows_the_answer_but_it_arrives(chain, fault_bot, receiver):
    with chain.toxic("latency", latency=400):
        started = time.monotonic()
        text = blocks_text(answer(fault_bot, receiver, "nodegroups", user=VIEWER))
    assert listed(text), text
    record("AWS (moto)", "latency 400 ms on every answer", text, f"{chain.count()} (no retries)",
           f"full answer after {time.monotonic() - started:.1f} s, by response_url past the inline budget")
    assert all(a == "200" for a in chain.http.answers), chain.http.answers


def test_a_stall_is_retried_and_then_reported(chain, fault_bot, receiver):
    with chain.toxic("timeout", timeout=0):
        started = time.monotonic()
        text = blocks_text(answer(fault_bot, receiver, "nodegroups", user=VIEWER))
    elapsed = time.monotonic() - started
    assert "AWS EKS did not answer (Timeout)" in text, text
    assert "127.0.0.1" not in text
    # Standard mode: three attempts in all, each given aws.timeout (1 s here).
    assert chain.count(LIST_CLUSTERS) == 3 and chain.count() == 3, chain.http.requests
    record("AWS (moto)", "stall (bytes dropped, connection held)", text, "3 ListClusters",
           f"reported after {elapsed:.0f} s (3 × aws.timeout + backoff); nothing changed")


def test_a_stall_on_one_request_is_retried_to_a_full_answer(chain, fault_bot, receiver):
    chain.script(Fault.hold(3, when=LIST_CLUSTERS))
    text = blocks_text(answer(fault_bot, receiver, "nodegroups", user=VIEWER))
    assert listed(text), text
    assert chain.count(LIST_CLUSTERS) == 2, chain.http.requests
    record("AWS (moto)", "one request stalled past aws.timeout", text, "2 ListClusters",
           "full answer after one timeout")


def test_a_burst_of_503_within_the_attempts_is_invisible(chain, fault_bot, receiver):
    chain.script(Fault.status(503, when=LIST_NODEGROUPS), Fault.status(503, when=LIST_NODEGROUPS))
    text = blocks_text(answer(fault_bot, receiver, "nodegroups", user=VIEWER))
    assert listed(text), text
    assert chain.count(LIST_NODEGROUPS) == 3
    record("AWS (moto)", "2 × 503 on ListNodegroups", text, "3 ListNodegroups", "full answer; retries unseen")


def test_a_longer_503_burst_is_reported_after_three_attempts(chain, fault_bot, receiver):
    chain.script(*[Fault.status(503, when=LIST_NODEGROUPS)] * 3)
    text = blocks_text(answer(fault_bot, receiver, "nodegroups", user=VIEWER))
    assert "AWS EKS" in text and "503" in text, text
    assert chain.count(LIST_NODEGROUPS) == 3
    record("AWS (moto)", "3 × 503 on ListNodegroups", text, "3 ListNodegroups", "reported; nothing changed")


def test_throttling_is_retried_with_backoff(chain, fault_bot, receiver):
    throttled = Fault.status(400, when=LIST_NODEGROUPS, body=b'{"message":"Rate exceeded"}',
                             headers={"x-amzn-ErrorType": "ThrottlingException", "Content-Type": "application/json"})
    chain.script(throttled, throttled)
    text = blocks_text(answer(fault_bot, receiver, "nodegroups", user=VIEWER))
    assert listed(text), text
    assert chain.count(LIST_NODEGROUPS) == 3
    record("AWS (moto)", "2 × 400 ThrottlingException", text, "3 ListNodegroups", "full answer")


def test_a_client_error_is_not_retried(chain, fault_bot, receiver):
    denied = Fault.status(403, when=LIST_NODEGROUPS, body=b'{"message":"User is not authorized"}',
                          headers={"x-amzn-ErrorType": "AccessDeniedException", "Content-Type": "application/json"})
    chain.script(denied)
    text = blocks_text(answer(fault_bot, receiver, "nodegroups", user=VIEWER))
    assert "not authorized" in text and "AccessDeniedException" in text, text
    assert chain.count(LIST_NODEGROUPS) == 1
    record("AWS (moto)", "403 AccessDeniedException", text, "1 ListNodegroups", "reported at once, no retry")


def test_an_answer_cut_mid_body_is_retried(chain, fault_bot, receiver):
    chain.script(Fault.cut_body(after=20, when=LIST_NODEGROUPS))
    text = blocks_text(answer(fault_bot, receiver, "nodegroups", user=VIEWER))
    assert listed(text), text
    assert chain.count(LIST_NODEGROUPS) == 2
    record("AWS (moto)", "reset 20 bytes into the answer", text, "2 ListNodegroups", "full answer")


def test_a_scale_whose_answer_is_lost_is_done_once(chain, fault_bot, receiver, aws):
    """moto applies the update, the answer never arrives: hpops retries with the
    same client token; the node group ends where it was asked to, the chat says
    so once, and one audit row records it."""
    chain.script(Fault.reset_after_forward(when=UPDATE_CONFIG))
    text = blocks_text(answer(fault_bot, receiver, "scale ng spot-ng-with-hypd desired=2"))
    assert "Scaled spot-ng-with-hypd: desired 1 → 2" in text, text
    assert scaling(aws, "spot-ng-with-hypd")["desiredSize"] == 2
    rows = [r for r in fault_bot.audit() if r["command"] == "scale nodegroup"]
    assert [r["outcome"] for r in rows] == ["ok"] and rows[0]["actor_id"] == OPERATOR
    record("AWS (moto)", "reset after UpdateNodegroupConfig reached moto", text,
           f"{chain.count(UPDATE_CONFIG)} UpdateNodegroupConfig (same client token)",
           "desired 2 as asked; one audit row")


def test_aws_down_mid_scale_changes_nothing_and_says_so(chain, fault_bot, receiver, aws):
    chain.toxi.enable(chain.name, False)
    try:
        text = blocks_text(answer(fault_bot, receiver, "scale ng spot-ng-with-hypd desired=2"))
    finally:
        chain.toxi.enable(chain.name, True)
    assert "AWS EKS did not answer (Unreachable)" in text, text
    assert scaling(aws, "spot-ng-with-hypd")["desiredSize"] == 1
    rows = [r["outcome"] for r in fault_bot.audit() if r["command"] == "scale nodegroup"]
    assert rows == ["failed"], rows
    record("AWS (moto)", "down (connection refused)", text, "0", "reported; nothing changed; audited as failed")
