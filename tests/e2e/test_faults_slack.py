"""Slack's Web API (the stand-in, checking Block Kit) behind Toxiproxy and the
HTTP fault proxy: alert intake never waits on Slack, and an alert is never
lost to a slow, failing or absent Slack; its message is posted once Slack
answers, 429s wait the Retry-After asked for."""
import time

import pytest

from alerts_support import alerts_env, alerts_yaml, am_alert, am_payload, bearer, message_text, post_json
from fault_chain import Fault, bot_behind, chained, record, toxi  # noqa: F401
from test_alerts import slack_api  # noqa: F401

POST = "POST /api/chat.postMessage"


@pytest.fixture
def chain(toxi, slack_api):  # noqa: F811
    with chained(toxi, "slack", slack_api.url.rstrip("/").rsplit("/api", 1)[0]) as c:
        yield c


@pytest.fixture
def fault_bot(chain, slack_api):  # noqa: F811
    url = chain.url + "/api/"
    with bot_behind(extra_yaml=alerts_yaml(url), extra_env=alerts_env(url)) as b:
        yield b


def fire(bot, fingerprint):
    started = time.monotonic()
    status, body = post_json(bot, "/alerts/alertmanager", am_payload([am_alert(fingerprint)], group_key=fingerprint),
                             bearer())
    assert status == 200, body
    return time.monotonic() - started


def posted(slack_api, fingerprint, timeout=30.0):
    calls = slack_api.wait_for(lambda c: any(x["method"] == "chat.postMessage" for x in c), timeout=timeout,
                               what=f"the post of {fingerprint}")
    return [c for c in calls if c["method"] == "chat.postMessage"]


def test_latency_delays_the_post_not_the_intake(chain, fault_bot, slack_api):
    with chain.toxic("latency", stream="upstream", latency=1500):
        intake = fire(fault_bot, "lat-1")
        started = time.monotonic()
        [call] = posted(slack_api, "lat-1")
    assert intake < 0.5, intake
    assert "GPUHot" in message_text(call["json"])
    record("Slack Web API", "latency 1.5 s", message_text(call["json"]), "1 chat.postMessage",
           f"intake answered in {intake * 1000:.0f} ms; posted {time.monotonic() - started:.1f} s later")


def test_slack_down_for_a_while_loses_nothing(chain, fault_bot, slack_api):
    chain.toxi.enable(chain.name, False)
    try:
        intake = fire(fault_bot, "down-1")
        time.sleep(3)
        assert slack_api.ok_calls() == []
    finally:
        chain.toxi.enable(chain.name, True)
    [call] = posted(slack_api, "down-1")
    assert intake < 0.5
    assert "hpops_errors_total" in fault_bot.get("/metrics")[1]
    record("Slack Web API", "down for 3 s (connection refused)", message_text(call["json"]), "1 chat.postMessage",
           "kept in the store; posted once Slack was back (lane backoff 0.5 s doubling)")


def test_a_503_burst_delays_one_post(chain, fault_bot, slack_api):
    chain.script(Fault.status(503, when=POST), Fault.status(503, when=POST))
    fire(fault_bot, "burst-1")
    [call] = posted(slack_api, "burst-1")
    assert chain.count(POST) == 3
    record("Slack Web API", "2 × 503 on chat.postMessage", message_text(call["json"]), "3 chat.postMessage",
           "posted once, after two backoffs")


def test_a_429_waits_the_retry_after(chain, fault_bot, slack_api):
    chain.script(Fault.status(429, retry_after=2, when=POST, body=b'{"ok":false,"error":"ratelimited"}',
                              headers={"Content-Type": "application/json"}))
    started = time.monotonic()
    fire(fault_bot, "rl-1")
    [call] = posted(slack_api, "rl-1")
    waited = call["time"] - started
    assert waited >= 2.0, waited
    record("Slack Web API", "429 ratelimited, Retry-After: 2", message_text(call["json"]), "2 chat.postMessage",
           f"posted {waited:.1f} s later, as asked")


def test_a_post_whose_answer_is_lost_is_found_not_repeated(chain, fault_bot, slack_api):
    """Slack has no idempotency key for chat.postMessage. Each post carries a
    random id in its message metadata; when the answer is lost, hpops reads
    the channel's history for that id and finds the post there."""
    chain.script(Fault.reset_after_forward(when=POST))
    fire(fault_bot, "lost-1")
    slack_api.wait_for(lambda c: any(x["method"] == "conversations.history" for x in c), what="the history read")
    time.sleep(1.5)  # the lane's retry, were it to come, would come within this
    posts = slack_api.ok_calls("chat.postMessage")
    assert len(posts) == 1, posts
    [read] = slack_api.ok_calls("conversations.history")
    assert read["json"]["channel"] == posts[0]["channel"] and read["json"]["include_all_metadata"] == "true"
    assert posts[0]["json"]["metadata"]["event_type"] == "hpops_post"
    record("Slack Web API", "reset after chat.postMessage reached Slack", message_text(posts[0]["json"]),
           "1 chat.postMessage, 1 conversations.history", "posted once: found by its metadata id in the history")


def test_without_the_history_scope_a_lost_answer_may_post_twice(chain, fault_bot, slack_api):
    """A bot without channels:history cannot look: the alert is never lost,
    and the channel may see it twice (recorded, not hidden)."""
    slack_api.history_scopes = False
    chain.script(Fault.reset_after_forward(when=POST))
    fire(fault_bot, "lost-2")
    calls = slack_api.wait_for(lambda c: len([x for x in c if x["method"] == "chat.postMessage"]) >= 2,
                               what="the post and its repeat")
    time.sleep(1)
    assert len(slack_api.ok_calls("chat.postMessage")) == 2
    assert [c["error"] for c in slack_api.calls if c["method"] == "conversations.history"] == ["missing_scope"]
    record("Slack Web API", "reset after chat.postMessage, no channels:history scope", message_text(calls[-1]["json"]),
           "2 chat.postMessage", "posted twice: at least once, never lost; the log says which scope to grant")
