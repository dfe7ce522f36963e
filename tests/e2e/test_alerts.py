"""Alert receivers end to end: the real hpops binary, payloads posted over
HTTP, and the Slack Web API stand-in checking what hpops posts."""
import hashlib
import hmac
import json
import os
import tempfile
import time

import pytest

from conftest import Bot
from alerts_support import (AM_TOKEN, BOT_TOKEN, CRIT_CHANNEL, DEFAULT_CHANNEL, GPU_CHANNEL, GRAFANA_SECRET,
                            SlackApiStandIn, alerts_env, alerts_yaml, am_alert, am_payload, basic, bearer,
                            message_text, post_json)


@pytest.fixture
def slack_api():
    s = SlackApiStandIn(BOT_TOKEN)
    yield s
    s.close()


@pytest.fixture
def tmpdir_path():
    with tempfile.TemporaryDirectory() as tmp:
        yield tmp


def start_bot(tmp, slack_api, **kw):
    return Bot(tmp, extra_yaml=alerts_yaml(slack_api.url, **kw), extra_env=alerts_env(slack_api.url))


@pytest.fixture
def alerts_bot(slack_api, tmpdir_path):
    b = start_bot(tmpdir_path, slack_api)
    yield b
    b.stop()


def test_credentials_are_required(alerts_bot):
    payload = am_payload([am_alert("aa01")])
    assert post_json(alerts_bot, "/alerts/alertmanager", payload, {"Content-Type": "application/json"})[0] == 401
    assert post_json(alerts_bot, "/alerts/alertmanager", payload, bearer("wrong"))[0] == 401
    assert post_json(alerts_bot, "/alerts/alertmanager", payload, basic(password="wrong"))[0] == 401
    assert post_json(alerts_bot, "/alerts/alertmanager", payload, bearer())[0] == 200
    assert post_json(alerts_bot, "/alerts/alertmanager", am_payload([am_alert("aa02")]), basic())[0] == 200
    assert "alerts: alertmanager from" in alerts_bot.logs() and "refused with 401" in alerts_bot.logs()
    assert AM_TOKEN not in alerts_bot.logs()


@pytest.mark.parametrize("body,reason", [
    ("{not json", "not valid JSON"),
    (json.dumps(am_payload([am_alert("x")], version="3")), "unsupported payload version"),
    (json.dumps({**am_payload([]), "alerts": {"a": 1}}), "not an array"),
    (json.dumps(am_payload([{**am_alert("x"), "fingerprint": ""}])), "alerts[0] has no fingerprint"),
    (json.dumps(am_payload([{**am_alert("x"), "status": "pending"}])), "alerts[0].status"),
    (json.dumps(am_payload([{**am_alert("x"), "labels": {"a": 1}}])), "alerts[0].labels.a is not a string"),
])
def test_bad_payloads_get_400_with_reason(alerts_bot, body, reason):
    status, text = post_json(alerts_bot, "/alerts/alertmanager", body, bearer())
    assert status == 400 and reason in text, (status, text)
    assert "refused with 400" in alerts_bot.logs()


def test_new_alert_is_posted_routed_and_updated_on_resolve(alerts_bot, slack_api):
    firing = am_payload([am_alert("fp-gpu-1", nodegroup="gpu-ng", instance="ip-10-0-0-1")])
    status, body = post_json(alerts_bot, "/alerts/alertmanager", firing, bearer())
    assert status == 200 and json.loads(body)["new"] == 1
    posted = slack_api.wait_for(lambda c: len(c) >= 1, what="the alert's post")[0]
    assert posted["method"] == "chat.postMessage" and posted["json"]["channel"] == GPU_CHANNEL
    assert "Firing: GPUHot" in message_text(posted["json"]) and "runbooks.example" in message_text(posted["json"])
    # The same payload again (Alertmanager repeats): nothing new to post.
    status, body = post_json(alerts_bot, "/alerts/alertmanager", firing, bearer())
    assert json.loads(body)["unchanged"] == 1
    resolved = am_payload([am_alert("fp-gpu-1", status="resolved", ends="2026-11-23T10:42:30Z",
                                    nodegroup="gpu-ng", instance="ip-10-0-0-1")])
    assert post_json(alerts_bot, "/alerts/alertmanager", resolved, bearer())[0] == 200
    update = slack_api.wait_for(lambda c: any(x["method"] == "chat.update" for x in c), what="chat.update")[-1]
    assert update["json"]["ts"] == posted["ts"] and update["json"]["channel"] == posted["channel"]
    text = message_text(update["json"])
    assert "Resolved: GPUHot" in text and "42m 30s" in text
    assert len(slack_api.ok_calls("chat.postMessage")) == 1


def test_first_matching_route_wins_and_default_catches_the_rest(alerts_bot, slack_api):
    payload = am_payload([am_alert("r1", severity="critical", nodegroup="gpu-a")], group_key="g1")
    post_json(alerts_bot, "/alerts/alertmanager", payload, bearer())
    post_json(alerts_bot, "/alerts/alertmanager", am_payload([am_alert("r2", nodegroup="cpu")], group_key="g2"),
              bearer())
    calls = slack_api.wait_for(lambda c: len(c) >= 2, what="two posts")
    channels = sorted(c["json"]["channel"] for c in calls)
    assert channels == sorted([CRIT_CHANNEL, DEFAULT_CHANNEL])


def test_a_group_arriving_together_is_one_message(alerts_bot, slack_api):
    payload = am_payload([am_alert(f"grp-{i}", instance=f"node-{i}") for i in range(3)])
    assert json.loads(post_json(alerts_bot, "/alerts/alertmanager", payload, bearer())[1])["new"] == 3
    calls = slack_api.wait_for(lambda c: len(c) >= 1, what="the group's post")
    time.sleep(0.3)
    assert len(slack_api.ok_calls()) == 1
    assert "3 alerts (3 firing, 0 resolved)" in message_text(calls[0]["json"])


def test_flood_collapses_into_one_summary_kept_updated(alerts_bot, slack_api):
    # max_new is 5 per window: 5 single messages, then one summary for the rest.
    for i in range(12):
        post_json(alerts_bot, "/alerts/alertmanager", am_payload([am_alert(f"fl-{i}")], group_key=f"g{i}"), bearer())
    def settled(calls):
        posts = [c for c in calls if c["method"] == "chat.postMessage"]
        return len(posts) == 6 and "Alert flood: 7 alerts" in message_text(
            slack_api.messages[(posts[-1]["channel"], posts[-1]["ts"])])
    slack_api.wait_for(settled, what="5 posts and one summary of 7")
    # A resolve of a flooded alert updates the summary.
    post_json(alerts_bot, "/alerts/alertmanager",
              am_payload([am_alert("fl-11", status="resolved", ends="2026-11-23T11:00:00Z")]), bearer())
    slack_api.wait_for(lambda c: any("6 firing, 1 resolved" in message_text(x["json"]) for x in c
                                     if x["method"] == "chat.update"), what="summary update")


def test_ten_thousand_alerts_in_one_payload(slack_api, tmpdir_path):
    payload = json.dumps(am_payload([am_alert(f"big-{i:05d}", instance=f"n{i}") for i in range(10_000)]))
    assert len(payload) > 1024 * 1024  # over the 1 MiB limit of Slack's routes
    # A webhook limit set below the payload refuses it by size, with a reason, not a crash.
    small = Bot(tmpdir_path, extra_yaml=alerts_yaml(slack_api.url), extra_env=alerts_env(slack_api.url),
                webhook_body_limit="1MiB")
    try:
        status, text = post_json(small, "/alerts/alertmanager", payload, bearer())
        assert status == 413 and "larger than 1048576" in text
    finally:
        small.stop()
    # The defaults take it: alert webhooks have their own, larger limit (16 MiB),
    # while the Slack routes keep 1 MiB.
    big = start_bot(tmpdir_path, slack_api)
    try:
        # 0.35 s in the test build at -O2; the ASan build at -O0 takes 8.4 s idle and
        # more beside other tests. What is asserted is that it is taken whole.
        status, text = post_json(big, "/alerts/alertmanager", payload, bearer(), timeout=60)
        assert status == 200, text
        counts = json.loads(text)
        assert counts["new"] == 10_000 and counts["flooded"] == 10_000 - 5
        calls = slack_api.wait_for(lambda c: len(c) >= 2, what="group and flood posts")
        texts = [message_text(c["json"]) for c in calls]
        assert any("5 alerts (5 firing" in t for t in texts)
        assert any("Alert flood: 9995 alerts" in t for t in texts)
        status, listing = big.command("alerts limit=3")
        assert status == 200 and "firing alerts" in listing
        status, _ = post_json(big, "/slack/commands", "x" * (2 * 1024 * 1024), {})
        assert status == 413
    finally:
        big.stop()


def test_slack_errors_are_logged_and_do_not_stop_other_messages(alerts_bot, slack_api):
    slack_api.script = [(200, None, "channel_not_found")]
    post_json(alerts_bot, "/alerts/alertmanager", am_payload([am_alert("e1")], group_key="a"), bearer())
    post_json(alerts_bot, "/alerts/alertmanager", am_payload([am_alert("e2")], group_key="b"), bearer())
    slack_api.wait_for(lambda c: len(c) >= 1, what="the second alert's post")
    assert "channel_not_found" in alerts_bot.logs()
    status, body = alerts_bot.get("/metrics")
    assert 'hpops_errors_total{kind="alerts_slack_channel_not_found"} 1' in body


def test_429_retry_after_is_honoured(alerts_bot, slack_api):
    slack_api.script = [(429, 1, None)]
    post_json(alerts_bot, "/alerts/alertmanager", am_payload([am_alert("rl1")]), bearer())
    calls = slack_api.wait_for(lambda c: len(c) >= 1, what="the post after 429")
    assert len(slack_api.calls) == 2
    assert slack_api.calls[1]["time"] - slack_api.calls[0]["time"] >= 0.95
    assert "rate limited" in alerts_bot.logs()


def test_one_message_per_interval_per_channel(slack_api, tmpdir_path):
    bot = start_bot(tmpdir_path, slack_api, post_interval="400ms", max_new=10)
    try:
        for i in range(3):
            post_json(bot, "/alerts/alertmanager", am_payload([am_alert(f"pace-{i}")], group_key=f"p{i}"), bearer())
        calls = slack_api.wait_for(lambda c: len(c) >= 3, what="three posts")
        gaps = [b["time"] - a["time"] for a, b in zip(calls, calls[1:])]
        # Times of arrival: under ASan on a loaded machine one post can arrive
        # 20 ms later than the next, so a gap shows 0.38 s for 0.4 s paced.
        # Unpaced, the three arrive milliseconds apart.
        assert all(g >= 0.35 for g in gaps), gaps
    finally:
        bot.stop()


def test_restart_between_receive_and_post_still_posts(slack_api, tmpdir_path):
    dead = "http://127.0.0.1:9/api/"  # nothing listens: posting fails until the restart
    first = Bot(tmpdir_path, extra_yaml=alerts_yaml(dead), extra_env=alerts_env(dead))
    try:
        assert post_json(first, "/alerts/alertmanager", am_payload([am_alert("rs-1")]), bearer())[0] == 200
    finally:
        first.stop()
    # SIGTERM with posts still pending: a clean exit.
    assert first.proc.returncode == 0, open(os.path.join(tmpdir_path, "hpops.log")).read()[-3000:]
    second = start_bot(tmpdir_path, slack_api)
    try:
        calls = slack_api.wait_for(lambda c: len(c) >= 1, what="the post after restart")
        assert "Firing: GPUHot" in message_text(calls[0]["json"])
    finally:
        second.stop()


def test_store_failure_answers_503(slack_api, tmpdir_path):
    bot = start_bot(tmpdir_path, slack_api)
    try:
        import sqlite3
        # Another writer holding the database's write lock past busy_timeout
        # (5 s) stands in for a store that cannot take the payload.
        db = sqlite3.connect(bot.db, timeout=1, isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")
        try:
            status, text = post_json(bot, "/alerts/alertmanager", am_payload([am_alert("sf-1")]), bearer())
        finally:
            db.execute("ROLLBACK")
            db.close()
        assert status == 503 and "retry" in text
        assert "store failed" in bot.logs()
        assert post_json(bot, "/alerts/alertmanager", am_payload([am_alert("sf-1")]), bearer())[0] == 200
    finally:
        bot.stop()


def grafana_payload(fingerprint, status="firing"):
    return {"receiver": "hpops", "status": status, "orgId": 1, "version": "1", "groupKey": "{}:{}",
            "truncatedAlerts": 0, "title": "[FIRING:1] DiskFull", "state": "alerting", "message": "",
            "groupLabels": {}, "commonLabels": {}, "commonAnnotations": {}, "externalURL": "http://grafana.example/",
            "alerts": [{"status": status, "labels": {"alertname": "DiskFull", "severity": "warning"},
                        "annotations": {"summary": "disk 95% full"}, "startsAt": "2026-11-23T09:00:00Z",
                        "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://grafana.example/alerting/1",
                        "fingerprint": fingerprint, "silenceURL": "http://grafana.example/silence",
                        "dashboardURL": "", "panelURL": "", "values": {"A": 95}, "valueString": "A=95"}]}


def test_grafana_signature(alerts_bot, slack_api):
    body = json.dumps(grafana_payload("gf-1")).encode()
    good = hmac.new(GRAFANA_SECRET.encode(), body, hashlib.sha256).hexdigest()
    forged = hmac.new(b"not-the-secret-at-all", body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json"}
    assert alerts_bot.post("/alerts/grafana", body, headers=headers, sign=False)[0] == 401
    assert alerts_bot.post("/alerts/grafana", body, headers={**headers, "X-Grafana-Alerting-Signature": forged},
                           sign=False)[0] == 401
    status, text = alerts_bot.post("/alerts/grafana", body,
                                   headers={**headers, "X-Grafana-Alerting-Signature": good}, sign=False)
    assert status == 200, text
    call = slack_api.wait_for(lambda c: len(c) >= 1, what="grafana alert post")[0]
    assert "Firing: DiskFull" in message_text(call["json"])


def test_grafana_signature_over_timestamp_and_body(slack_api, tmpdir_path):
    header = "X-Grafana-Alerting-Signature-Timestamp"
    bot = start_bot(tmpdir_path, slack_api, grafana_timestamp_header=header)
    try:
        body = json.dumps(grafana_payload("gf-ts")).encode()

        def signed(ts, key=GRAFANA_SECRET):
            sig = hmac.new(key.encode(), f"{ts}:".encode() + body, hashlib.sha256).hexdigest()
            return {"Content-Type": "application/json", "X-Grafana-Alerting-Signature": sig, header: str(ts)}
        now = int(time.time())
        over_body_only = {"Content-Type": "application/json", header: str(now),
                          "X-Grafana-Alerting-Signature": hmac.new(GRAFANA_SECRET.encode(), body,
                                                                   hashlib.sha256).hexdigest()}
        assert bot.post("/alerts/grafana", body, headers=over_body_only, sign=False)[0] == 401
        status, text = bot.post("/alerts/grafana", body, headers=signed(now - 3600), sign=False)
        assert status == 401 and "timestamp" in text  # a replay an hour later
        status, text = bot.post("/alerts/grafana", body, headers=signed(now), sign=False)
        assert status == 200, text
        slack_api.wait_for(lambda c: len(c) >= 1, what="grafana alert post")
    finally:
        bot.stop()
