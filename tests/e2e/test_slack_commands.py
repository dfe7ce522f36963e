"""Slash commands end to end: signed by slack_sdk, served by the real binary."""
import json
import socket
import time
import urllib.parse

from conftest import ADMIN, CHANNEL, OPERATOR, OPS_CHANNEL, VIEWER


def blocks_text(message):
    out = [message.get("text", "")]
    for block in message.get("blocks", []):
        if "text" in block and isinstance(block["text"], dict):
            out.append(block["text"]["text"])
        for element in block.get("elements", []) + block.get("fields", []):
            if isinstance(element, dict) and "text" in element:
                out.append(element["text"] if isinstance(element["text"], str) else element["text"]["text"])
    return "\n".join(out)


def test_help_is_answered_inline_with_block_kit(bot):
    status, body = bot.command("help")
    assert status == 200
    message = json.loads(body)
    assert message["response_type"] == "ephemeral"
    assert 0 < len(message["blocks"]) <= 50
    text = blocks_text(message)
    assert "/hp scale nodegroup <name>" in text
    assert "/hp help <command>" in text or "help <command" in text


def test_help_for_one_command_comes_from_the_command_table(bot):
    status, body = bot.command("help scale ng")
    assert status == 200
    text = blocks_text(json.loads(body))
    assert "desired=" in text and "operator" in text


def test_help_rendered_once_is_reused_per_command_not_across_commands(bot):
    # Help replies are rendered once and their bytes reused: a second ask must
    # get the same bytes, and another command's help must not get them.
    answers = [bot.command(text)[1] for text in ("help", "help", "help scale ng", "help scale ng", "help nodegroups")]
    assert answers[0] == answers[1]
    assert answers[2] == answers[3]
    assert len({answers[0], answers[2], answers[4]}) == 3
    assert "desired=" in blocks_text(json.loads(answers[3]))


def test_forged_missing_and_stale_signatures_get_401_and_nothing_happens(bot, receiver):
    form = urllib.parse.urlencode({"user_id": ADMIN, "channel_id": CHANNEL, "command": "/hp",
                                   "text": "nodegroup delete spot-ng", "response_url": receiver.url})
    status, reason = bot.post("/slack/commands", form, headers={"X-Slack-Signature": "v0=" + "0" * 64})
    assert (status, reason.strip()) == (401, "signature mismatch")
    status, reason = bot.post("/slack/commands", form, sign=False)
    assert status == 401 and "missing" in reason
    status, reason = bot.post("/slack/commands", form, timestamp=int(time.time()) - 301)
    assert (status, reason.strip()) == (401, "stale request timestamp")
    time.sleep(0.2)
    assert bot.audit() == []
    assert receiver.attempts == 0


def test_a_replayed_request_is_not_executed_twice(bot):
    form = urllib.parse.urlencode({"user_id": ADMIN, "channel_id": CHANNEL, "command": "/hp",
                                   "text": "nodegroup delete spot-ng", "response_url": "http://127.0.0.1:9/x"})
    ts = int(time.time())
    first = bot.post("/slack/commands", form, timestamp=ts)
    second = bot.post("/slack/commands", form, timestamp=ts)
    assert first[0] == 200
    assert second[0] == 409 and "duplicate" in second[1]
    assert [row["outcome"] for row in bot.audit()] == ["confirm-requested"]


def test_slow_commands_are_acknowledged_then_posted_to_response_url(slow_bot, receiver):
    status, body = slow_bot.command("status", response_url=receiver.url)
    assert status == 200
    ack = json.loads(body)
    assert ack["response_type"] == "ephemeral"
    [post] = receiver.wait_for(1)
    assert post["path"] == "/hooks/commands/T1/123/abc"
    assert post["headers"]["Content-Type"].startswith("application/json")
    assert "hpops status" in blocks_text(post["json"])
    assert "store ok" in blocks_text(post["json"])


def test_response_url_posts_are_retried_on_5xx_and_429(slow_bot, receiver):
    receiver.script = [(503, None), (429, 1)]
    started = time.monotonic()
    slow_bot.command("status", response_url=receiver.url)
    [post] = receiver.wait_for(1, timeout=20)
    assert receiver.attempts == 3
    assert time.monotonic() - started >= 1.0, "Retry-After: 1 was not honoured"
    assert "hpops status" in blocks_text(post["json"])


def test_mutating_commands_are_denied_by_default_and_audited(bot):
    status, body = bot.command("nodegroup delete spot-ng", user=VIEWER)
    assert status == 200
    assert "needs the admin role; you have viewer" in blocks_text(json.loads(body))
    [row] = bot.audit()
    assert (row["outcome"], row["actor_id"], row["channel"], row["arguments"]) == \
        ("denied", VIEWER, CHANNEL, "nodegroup delete spot-ng")


def test_a_channel_binding_grants_its_role(bot):
    status, body = bot.command("scale nodegroup spot-ng desired=2", user=VIEWER, channel=OPS_CHANNEL)
    assert "Not permitted" not in blocks_text(json.loads(body))
    status, body = bot.command("scale nodegroup spot-ng desired=2", user=VIEWER, channel=CHANNEL)
    assert "needs the operator role" in blocks_text(json.loads(body))


def test_bad_input_gets_a_clear_answer(bot):
    cases = {
        "scael ng spot-ng": "Did you mean `/hp scale nodegroup spot-ng`",
        'digest schedule "0 9 * * 1': "quote",
        "x" * 100_000: "too long",
        "scale nodegroup spot-ng desired=3 desired=4": "desired",
    }
    for text, expected in cases.items():
        status, body = bot.command(text, user=OPERATOR)
        assert status == 200, text[:40]
        assert expected in blocks_text(json.loads(body)), (text[:40], body[:300])


def test_non_utf8_text_is_refused_politely(bot):
    body = ("user_id=%s&channel_id=%s&command=%%2Fhp&text=%%FF%%FEscale&response_url=http%%3A%%2F%%2F127.0.0.1%%3A9%%2Fx" % (VIEWER, CHANNEL))
    status, answer = bot.post("/slack/commands", body)
    assert status == 200
    assert "UTF-8" in blocks_text(json.loads(answer))


def test_malformed_requests_get_4xx_with_a_reason(bot):
    assert bot.post("/slack/commands", "text=%zz&user_id=U1")[0] == 400
    status, reason = bot.post("/slack/commands", urllib.parse.urlencode({"text": "help", "channel_id": "C"}))
    assert (status, reason.strip()) == (400, "missing form field: user_id")
    status, reason = bot.post("/slack/commands", '{"text":"help"}', headers={"Content-Type": "application/json"})
    assert status == 415
    status, _ = bot.post("/slack/commands", "text=" + "a" * (1024 * 1024 + 10))
    assert status == 413
    assert bot.get("/slack/commands")[0] == 405
    assert bot.get("/nope")[0] == 404


def test_a_slow_client_cannot_hold_a_connection(bot):
    with socket.create_connection(("127.0.0.1", bot.port)) as s:
        s.sendall(b"POST /slack/commands HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
        s.settimeout(5)
        started = time.monotonic()
        data = s.recv(4096)
        while data and not data.endswith(b"\n"):
            more = s.recv(4096)
            if not more:
                break
            data += more
        assert time.monotonic() - started < 3, "header_timeout is 1s"
        assert data.startswith(b"HTTP/1.1 408") or data == b""


def test_health_readiness_and_metrics(bot):
    assert bot.get("/healthz") == (200, "ok\n")
    assert bot.get("/readyz") == (200, "ready\n")
    bot.command("help")
    status, text = bot.get("/metrics")
    assert status == 200
    assert 'hpops_http_requests_total{route="/slack/commands",status="200"} 1' in text
    assert "hpops_http_request_duration_seconds_bucket{le=\"+Inf\"}" in text
    assert "hpops_followups_in_flight 0" in text


def test_sigterm_finishes_follow_ups_in_flight(slow_bot, receiver):
    receiver.delay = 1.0  # the follow-up is still on its way when SIGTERM arrives
    slow_bot.command("status", response_url=receiver.url)
    time.sleep(0.2)
    slow_bot.proc.terminate()
    assert slow_bot.proc.wait(timeout=15) == 0
    assert len(receiver.posts) == 1


def test_tls_serves_signed_commands(tls_bot):
    assert tls_bot.base.startswith("https://")
    status, body = tls_bot.command("help")
    assert status == 200
    assert "/hp scale nodegroup" in blocks_text(json.loads(body))
    # Plain HTTP to the TLS port gets no answer.
    with socket.create_connection(("127.0.0.1", tls_bot.port)) as s:
        s.settimeout(5)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b"200 OK" not in s.recv(4096)
