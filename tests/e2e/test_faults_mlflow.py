"""MLflow (a real `mlflow server`) behind Toxiproxy and the HTTP fault proxy:
what `/hp training` shows under each fault. hpops gives MLflow one retry (a
dropped connection or a brief 5xx/429), then says it did not answer; MLflow
is only read, so nothing can be half-done."""
import time

import pytest

from conftest import VIEWER
from fault_chain import Fault, bot_behind, chained, record, toxi  # noqa: F401
from test_nodegroups import answer
from test_slack_commands import blocks_text
from test_training import reply

SEARCH_RUNS = "POST /api/2.0/mlflow/runs/search"


@pytest.fixture
def chain(toxi, mlflow_peer):  # noqa: F811
    with chained(toxi, "mlflow", mlflow_peer[0]) as c:
        yield c


@pytest.fixture
def fault_bot(chain):
    with bot_behind(mlflow_uri=chain.url, mlflow_timeout="1s") as b:
        yield b


def runs_listed(text):
    return "runs" in text and "Qwen-Qwen3-0.6B" in text


def test_latency_slows_the_answer_but_it_arrives(chain, fault_bot):
    with chain.toxic("latency", latency=150):
        started = time.monotonic()
        text = blocks_text(reply(fault_bot, "training limit=10"))
    assert runs_listed(text), text
    record("MLflow", "latency 150 ms on every answer", text, f"{chain.count()} (no retries)",
           f"full answer in {time.monotonic() - started:.1f} s")


def test_a_stall_is_reported_not_hung(chain, fault_bot, receiver):
    with chain.toxic("timeout", timeout=0):
        started = time.monotonic()
        text = blocks_text(answer(fault_bot, receiver, "training limit=10", user=VIEWER))
    elapsed = time.monotonic() - started
    assert "MLflow did not answer (Timeout)" in text, text
    assert "127.0.0.1" not in text
    assert elapsed < 5, elapsed
    first = chain.http.requests[0].split(" ")[1].split("?")[0]
    assert chain.count(first) == 2, chain.http.requests
    record("MLflow", "stall (bytes dropped, connection held)", text, f"2 × {first.rsplit('/', 2)[-2]}",
           f"reported in {elapsed:.1f} s (2 × mlflow.timeout + backoff)")


def test_one_503_is_retried_away(chain, fault_bot):
    chain.script(Fault.status(503, when=SEARCH_RUNS))
    text = blocks_text(reply(fault_bot, "training limit=10"))
    assert runs_listed(text), text
    assert [a for a in chain.http.answers if a == "503"] == ["503"]
    record("MLflow", "1 × 503 on runs/search", text, "2 runs/search", "full answer")


def test_two_503s_are_reported(chain, fault_bot):
    chain.script(Fault.status(503, when=SEARCH_RUNS), Fault.status(503, when=SEARCH_RUNS))
    text = blocks_text(reply(fault_bot, "training limit=10"))
    assert "MLflow failed (HTTP 503)" in text and "127.0.0.1" not in text, text
    assert chain.count(SEARCH_RUNS) == 2
    record("MLflow", "2 × 503 on runs/search", text, "2 runs/search", "reported")


def test_a_429_honours_retry_after(chain, fault_bot):
    chain.script(Fault.status(429, retry_after=1, when=SEARCH_RUNS))
    started = time.monotonic()
    text = blocks_text(reply(fault_bot, "training limit=10"))
    assert runs_listed(text), text
    assert time.monotonic() - started >= 1.0
    record("MLflow", "429 with Retry-After: 1", text, "2 runs/search", "full answer after the 1 s asked for")


def test_an_answer_cut_mid_body_is_retried(chain, fault_bot):
    chain.script(Fault.cut_body(after=100, when=SEARCH_RUNS))
    text = blocks_text(reply(fault_bot, "training limit=10"))
    assert runs_listed(text), text
    assert chain.count(SEARCH_RUNS) >= 2
    record("MLflow", "reset 100 bytes into runs/search's answer", text, f"{chain.count(SEARCH_RUNS)} runs/search",
           "full answer")
