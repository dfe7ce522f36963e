"""Issue 11's findings in the alert path, against the real binary: what an
unauthenticated or malformed delivery could do to the process, and that it
now cannot."""
import json
import os
import tempfile
import uuid
from pathlib import Path

import pytest

from conftest import Bot
from alerts_support import (BOT_TOKEN, GPU_CHANNEL, SlackApiStandIn, alerts_env, alerts_yaml, am_alert, am_payload,
                            bearer, post_json)

TOPIC = "arn:aws:sns:us-east-1:123456789012:gpu-alarms"


@pytest.fixture
def alerts_bot():
    slack = SlackApiStandIn(BOT_TOKEN)
    extra = f"  sns:\n    topic_arns: [\"{TOPIC}\"]\n"
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(tmp, extra_yaml=alerts_yaml(slack.url, extra=extra), extra_env=alerts_env(slack.url))
        try:
            yield bot
        finally:
            bot.stop()
            slack.close()


def sns_envelope(**fields):
    m = {"Type": "Notification", "MessageId": str(uuid.uuid4()), "TopicArn": TOPIC, "Message": "x",
         "Timestamp": "2026-11-23T10:00:00.000Z", "SignatureVersion": "1", "Signature": "c2ln",
         "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0.pem"}
    m.update(fields)
    return m


def post_sns(bot, m):
    body = m if isinstance(m, str) else json.dumps(m)
    return bot.post("/alerts/sns", body, sign=False, headers={"Content-Type": "text/plain; charset=UTF-8"})


def assert_alive(bot):
    assert bot.proc.poll() is None, "hpops died: " + bot.logs()[-2000:]
    assert bot.get("/healthz")[0] == 200


# Finding 1: std::regex recursed per character of SigningCertURL.
def test_a_60kb_signing_cert_url_is_refused_and_the_server_lives(alerts_bot):
    url = "https://sns.us-east-1.amazonaws.com/" + "a" * 60 * 1024 + ".pem"
    status, text = post_sns(alerts_bot, sns_envelope(SigningCertURL=url))
    assert status == 400 and "SigningCertURL" in text
    assert_alive(alerts_bot)


# Finding 2: the routes' match_re ran std::regex over label values.
def test_a_60kb_label_value_is_refused_with_its_name(alerts_bot):
    alert = am_alert("fp-huge", nodegroup="gpu-" + "x" * 60 * 1024)
    status, text = post_json(alerts_bot, "/alerts/alertmanager", am_payload([am_alert("fp-ok"), alert]), bearer())
    assert status == 400, text
    assert "alerts[1].labels.nodegroup is 61444 bytes, over the limit of 8192" in text
    assert_alive(alerts_bot)


def test_a_60kb_label_value_under_a_raised_limit_is_routed_by_re2():
    slack = SlackApiStandIn(BOT_TOKEN)
    extra = "  label_limits: {value_bytes: 128KiB}\n"
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(tmp, extra_yaml=alerts_yaml(slack.url, extra=extra), extra_env=alerts_env(slack.url))
        try:
            alert = am_alert("fp-huge", nodegroup="gpu-" + "x" * 60 * 1024)
            status, text = post_json(bot, "/alerts/alertmanager", am_payload([alert]), bearer())
            assert status == 200, text
            post = slack.wait_for(lambda c: len(c) >= 1, what="alert post")[0]
            assert post["json"]["channel"] == GPU_CHANNEL  # the match_re route took it
            assert_alive(bot)
        finally:
            bot.stop()
            slack.close()


# Finding 6: deeply nested JSON cost the parser an allocation per level.
def peak_rss_mb(bot):
    with open(f"/proc/{bot.proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_deeply_nested_json_is_refused_before_it_is_parsed(alerts_bot):
    deep = "[" * (8 << 20)
    status, text = post_json(alerts_bot, "/alerts/alertmanager", deep, bearer())
    assert status == 400 and "nests deeper than 64 levels" in text, text
    # Without credentials, on the SNS receiver (within its own body limit).
    status, text = post_sns(alerts_bot, "[" * (200 << 10))
    assert status == 400 and "nests deeper than 64 levels" in text, text
    # Signed by Slack, but still not parsed.
    status, text = alerts_bot.post("/slack/interactions", "payload=" + "%5B" * (64 << 10))
    assert status == 400 and "nests deeper than 64 levels" in text, text
    assert peak_rss_mb(alerts_bot) < 200  # 8 MB of "[" took it to about 300 MB
    assert_alive(alerts_bot)


# Finding 5: the certificate's host, chain and subject. These run the
# test-only server, which trusts only the test's CA (see test_alerts_sns.py).
@pytest.fixture
def sns_server(monkeypatch):
    import conftest
    from test_alerts_sns import running_sns_bot
    default = Path(conftest.BINARY).parent / "tests" / "hpops_test_server"
    monkeypatch.setattr(conftest, "BINARY", os.environ.get("HPOPS_TEST_SERVER", str(default)))
    with running_sns_bot() as running:
        yield running


def signed_alarm(key, **fields):
    from test_alerts_sns import alarm, notification, sign
    return sign(dict(notification(alarm("ALARM", "Threshold Crossed")), **fields), key)


def test_a_certificate_from_sns_s3_or_another_region_is_not_fetched(sns_server):
    bot, key, aws, _ = sns_server
    from test_alerts_sns import CERT_PATH
    for host in ("sns.s3.amazonaws.com", "sns.eu-west-1.amazonaws.com", "sns.us-east-1.amazonaws.com.cn"):
        status, text = post_sns(bot, signed_alarm(key, SigningCertURL=f"https://{host}{CERT_PATH}"))
        assert status == 400 and "SigningCertURL" in text, (host, text)
    assert aws.requests == []


@pytest.mark.parametrize("issued", ["untrusted-ca", "wrong-name"])
def test_a_certificate_not_issued_to_sns_by_a_trusted_ca_is_refused(sns_server, issued):
    bot, _, aws, slack = sns_server
    from test_alerts_sns import make_ca, make_key_and_cert
    if issued == "untrusted-ca":
        key, aws.pem = make_key_and_cert(ca=make_ca())  # named right, from a CA the server does not trust
    else:
        key, aws.pem = make_key_and_cert(common_name="sns.s3.amazonaws.com")  # trusted CA, wrong name
    status, text = post_sns(bot, signed_alarm(key))
    assert status == 403, text
    assert ("not trusted" if issued == "untrusted-ca" else "not issued to sns.amazonaws.com") in text, text
    assert slack.calls == []
    assert_alive(bot)


# Finding 11: a signed Grafana payload could be delivered again.
def grafana_headers(body, ts=None, header="X-Grafana-Alerting-Signature-Timestamp"):
    import hashlib
    import hmac
    from alerts_support import GRAFANA_SECRET
    signed = (f"{ts}:".encode() + body) if ts is not None else body
    headers = {"Content-Type": "application/json",
               "X-Grafana-Alerting-Signature": hmac.new(GRAFANA_SECRET.encode(), signed, hashlib.sha256).hexdigest()}
    if ts is not None:
        headers[header] = str(ts)
    return headers


def test_a_replayed_grafana_payload_is_refused_without_a_timestamp_header(alerts_bot):
    from test_alerts import grafana_payload
    firing = json.dumps(grafana_payload("gf-replay")).encode()
    resolved = json.dumps(grafana_payload("gf-replay", status="resolved")).encode()
    assert alerts_bot.post("/alerts/grafana", firing, headers=grafana_headers(firing), sign=False)[0] == 200
    assert alerts_bot.post("/alerts/grafana", resolved, headers=grafana_headers(resolved), sign=False)[0] == 200
    # The captured firing delivery, sent again: it would turn the resolved alert back into a firing one.
    replay = grafana_headers(firing)
    replay["X-Grafana-Alerting-Signature"] = replay["X-Grafana-Alerting-Signature"].upper()
    status, text = alerts_bot.post("/alerts/grafana", firing, headers=replay, sign=False)
    assert status == 409 and "replay" in text, text
    assert "refused with 409" in alerts_bot.logs()


def test_a_replayed_grafana_payload_is_refused_within_the_timestamp_window():
    import time
    slack = SlackApiStandIn(BOT_TOKEN)
    header = "X-Grafana-Alerting-Signature-Timestamp"
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(tmp, extra_yaml=alerts_yaml(slack.url, grafana_timestamp_header=header),
                  extra_env=alerts_env(slack.url))
        try:
            from test_alerts import grafana_payload
            body = json.dumps(grafana_payload("gf-ts-replay")).encode()
            headers = grafana_headers(body, ts=int(time.time()))
            assert bot.post("/alerts/grafana", body, headers=headers, sign=False)[0] == 200
            status, text = bot.post("/alerts/grafana", body, headers=headers, sign=False)
            assert status == 409 and "replay" in text, text
        finally:
            bot.stop()
            slack.close()
