"""Confirm / Cancel buttons: signed interactions, signed expiring tokens."""
import base64
import hashlib
import hmac
import json
import time

from conftest import ADMIN, CHANNEL, CONFIRM_SECRET, OPERATOR
from test_slack_commands import blocks_text


def button_value(message, action_id):
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return element["value"]
    raise AssertionError(f"no {action_id} button in {message}")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_token(command, actor, channel, expires, key=CONFIRM_SECRET):
    payload = b64url(json.dumps({"c": command, "u": actor, "ch": channel, "exp": expires, "n": "n1"}).encode())
    mac = hmac.new(key.encode(), payload.encode(), hashlib.sha256).digest()
    return payload + "." + b64url(mac)


def ask(bot, text="nodegroup delete spot-ng", user=ADMIN):
    status, body = bot.command(text, user=user)
    assert status == 200
    return json.loads(body)


def test_destructive_commands_ask_with_confirm_and_cancel_buttons(bot):
    message = ask(bot)
    assert "Confirm this change" in blocks_text(message)
    confirm = button_value(message, "hpops.confirm")
    assert button_value(message, "hpops.cancel") == confirm
    assert len(confirm) <= 2000
    assert [r["outcome"] for r in bot.audit()] == ["confirm-requested"]


def test_confirm_runs_the_exact_intent_once(bot, receiver):
    token = button_value(ask(bot), "hpops.confirm")
    assert bot.click("hpops.confirm", token, response_url=receiver.url)[0] == 200
    [done] = receiver.wait_for(1)
    assert done["json"]["replace_original"] is True
    # The handler ran: with no AWS region in this config it says so.
    assert "AWS is not configured" in blocks_text(done["json"])
    assert bot.click("hpops.confirm", token, response_url=receiver.url)[0] == 200
    _, again = receiver.wait_for(2)
    assert "Already answered" in blocks_text(again["json"])
    outcomes = [r["outcome"] for r in bot.audit()]
    assert outcomes == ["confirm-requested", "rejected"]


def test_cancel_changes_nothing(bot, receiver):
    token = button_value(ask(bot), "hpops.cancel")
    bot.click("hpops.cancel", token, response_url=receiver.url)
    [post] = receiver.wait_for(1)
    assert "Cancelled" in blocks_text(post["json"])
    assert [r["outcome"] for r in bot.audit()] == ["confirm-requested", "cancelled"]


def test_expired_and_forged_tokens_are_refused(bot, receiver):
    expired = make_token("nodegroup delete spot-ng", ADMIN, CHANNEL, int(time.time()) - 1)
    forged = make_token("nodegroup delete spot-ng", ADMIN, CHANNEL, int(time.time()) + 300, key="guess")
    bot.click("hpops.confirm", expired, response_url=receiver.url)
    bot.click("hpops.confirm", forged, response_url=receiver.url)
    texts = sorted(blocks_text(p["json"]) for p in receiver.wait_for(2))
    assert any("expired" in t for t in texts), texts
    assert any("signature is not valid" in t for t in texts), texts
    assert [r["outcome"] for r in bot.audit()] == []


def test_someone_else_cannot_confirm(bot, receiver):
    token = button_value(ask(bot), "hpops.confirm")
    bot.click("hpops.confirm", token, user=OPERATOR, response_url=receiver.url)
    [post] = receiver.wait_for(1)
    assert f"only <@{ADMIN}> can confirm" in blocks_text(post["json"])


def test_unsigned_interactions_are_rejected(bot):
    status, reason = bot.post("/slack/interactions", "payload=%7B%7D", sign=False)
    assert status == 401
