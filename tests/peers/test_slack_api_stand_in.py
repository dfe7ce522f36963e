"""The Slack Web API stand-in refuses what Slack refuses, so the alert tests
that rely on it can fail."""
import json
import os
import sys
import urllib.request

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from slack_api_stand_in import SlackApiStandIn  # noqa: E402

TOKEN = "xoxb-peer-test"


@pytest.fixture
def slack():
    s = SlackApiStandIn(TOKEN)
    yield s
    s.close()


def call(slack, method, payload, token=TOKEN, content_type="application/json; charset=utf-8"):
    req = urllib.request.Request(slack.url + method, data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": content_type, "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, dict(r.headers), json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read())


def section(text):
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_post_then_update_like_slack(slack):
    status, _, body = call(slack, "chat.postMessage", {"channel": "#alerts", "text": "hi", "blocks": [section("hi")]})
    assert status == 200 and body["ok"] and body["channel"].startswith("C") and body["ts"]
    _, _, updated = call(slack, "chat.update", {"channel": body["channel"], "ts": body["ts"], "text": "2"})
    assert updated["ok"] and updated["ts"] == body["ts"]
    _, _, missing = call(slack, "chat.update", {"channel": body["channel"], "ts": "1.2", "text": "x"})
    assert missing == {"ok": False, "error": "message_not_found"}


@pytest.mark.parametrize("blocks,problem", [
    ([section("x")] * 51, "51 blocks, limit 50"),
    ([section("x" * 3001)], "3001 characters, limit 3000"),
    ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "limit 150"),
    ([{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "must be plain_text"),
    ([{"type": "fancy"}], "unknown block type"),
    ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}], "1..10 items"),
    ([{"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "b" * 76},
                                        "action_id": "a", "value": "v"}]}], "limit 75"),
    ([{"type": "section", "text": {"type": "mrkdwn", "text": ""}}], "non-empty"),
])
def test_block_kit_violations_are_invalid_blocks(slack, blocks, problem):
    _, _, body = call(slack, "chat.postMessage", {"channel": "C1", "text": "t", "blocks": blocks})
    assert body["ok"] is False and body["error"] == "invalid_blocks"
    assert any(problem in m for m in body["response_metadata"]["messages"]), body
    assert slack.ok_calls() == []


def test_auth_content_type_and_scripted_answers(slack):
    assert call(slack, "chat.postMessage", {"channel": "C1", "text": "t"}, token="xoxb-wrong")[2]["error"] == "invalid_auth"
    assert call(slack, "chat.postMessage", {"channel": "C1", "text": "t"},
                content_type="application/x-www-form-urlencoded")[2]["error"] == "invalid_form_data"
    slack.script = [(429, 7, None), (200, None, "not_in_channel")]
    status, headers, body = call(slack, "chat.postMessage", {"channel": "C1", "text": "t"})
    assert status == 429 and headers["Retry-After"] == "7" and body["error"] == "ratelimited"
    assert call(slack, "chat.postMessage", {"channel": "C1", "text": "t"})[2] == {"ok": False,
                                                                                  "error": "not_in_channel"}
    assert call(slack, "chat.postMessage", {"channel": "C1", "text": "t"})[2]["ok"] is True
    assert [c.get("error") for c in slack.calls] == ["invalid_auth", "invalid_form_data", "http_429",
                                                     "not_in_channel", None]


def read(slack, method, args):
    from urllib.parse import urlencode
    req = urllib.request.Request(slack.url + method, data=urlencode(args).encode(), method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded",
                                          "Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read())


def test_metadata_is_checked_and_read_back_only_when_asked(slack):
    bad = call(slack, "chat.postMessage", {"channel": "C1", "text": "t", "metadata": {"event_type": "has space",
                                                                                       "event_payload": {}}})[2]
    assert bad == {"ok": False, "error": "invalid_metadata"}
    meta = {"event_type": "hpops_post", "event_payload": {"post_id": "p1"}}
    first = call(slack, "chat.postMessage", {"channel": "C1", "text": "one", "metadata": meta})[2]
    call(slack, "chat.postMessage", {"channel": "C1", "text": "reply", "thread_ts": first["ts"],
                                     "metadata": {"event_type": "hpops_post", "event_payload": {"post_id": "p2"}}})
    call(slack, "chat.update", {"channel": "C1", "ts": first["ts"], "text": "one, edited"})
    plain = read(slack, "conversations.history", {"channel": "C1"})
    assert [m["text"] for m in plain["messages"]] == ["one, edited"] and "metadata" not in plain["messages"][0]
    full = read(slack, "conversations.history", {"channel": "C1", "include_all_metadata": "true"})
    assert full["messages"][0]["metadata"] == meta  # an update keeps the metadata
    thread = read(slack, "conversations.replies", {"channel": "C1", "ts": first["ts"], "include_all_metadata": "1"})
    assert [m["metadata"]["event_payload"]["post_id"] for m in thread["messages"]] == ["p1", "p2"]
    assert read(slack, "conversations.history", {"channel": "#alerts"})["error"] == "channel_not_found"
    assert read(slack, "conversations.history", {"channel": "C1", "limit": "1000"})["error"] == "invalid_limit"


def test_history_pages_with_a_cursor_and_needs_its_scope(slack):
    for i in range(5):
        call(slack, "chat.postMessage", {"channel": "C2", "text": f"m{i}"})
    page = read(slack, "conversations.history", {"channel": "C2", "limit": "3"})
    assert [m["text"] for m in page["messages"]] == ["m4", "m3", "m2"] and page["has_more"]
    rest = read(slack, "conversations.history", {"channel": "C2", "limit": "3",
                                                 "cursor": page["response_metadata"]["next_cursor"]})
    assert [m["text"] for m in rest["messages"]] == ["m1", "m0"] and not rest["has_more"]
    slack.history_scopes = False
    assert read(slack, "conversations.history", {"channel": "C2"})["error"] == "missing_scope"
