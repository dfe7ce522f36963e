"""Regression tests for issue 11's findings on the Slack routes and `serve`,
against the real binary with requests signed by slack_sdk."""
import os
import subprocess
import tempfile
from pathlib import Path

from conftest import ADMIN, BINARY, SIGNING_SECRET, free_port
from test_slack_interactions import ask, button_value


# Finding 9: the bot posted to whatever response_url a signed request named.
def test_response_url_outside_the_allowlist_is_refused_before_anything_runs(bot, receiver):
    for url in ("http://169.254.169.254/latest/meta-data/", "https://hooks.slack.com.example.net/x",
                "http://10.0.0.1:9/x", "https://hooks.slack.com/ x"):
        status, body = bot.command("nodegroup delete spot-ng", user=ADMIN, response_url=url)
        assert status == 400, (url, status, body)
        assert "response_url" in body
    assert [r["outcome"] for r in bot.audit()] == []


def test_interaction_with_a_foreign_response_url_is_refused_and_the_token_kept(bot, receiver):
    token = button_value(ask(bot), "hpops.cancel")
    status, body = bot.click("hpops.cancel", token, response_url="http://127.0.0.2:9/steal")
    assert status == 400 and "response_url" in body
    # The token was not spent by the refused click: its owner can still cancel it.
    assert bot.click("hpops.cancel", token, response_url=receiver.url)[0] == 200
    receiver.wait_for(1)
    assert [r["outcome"] for r in bot.audit()] == ["confirm-requested", "cancelled"]


# Finding 4: the container's configuration had a public signing secret and a sample admin.
def test_serve_refuses_the_local_example_beyond_loopback():
    example = os.path.join(os.environ["HPOPS_SOURCE_DIR"], "deploy/examples/local.yaml")
    env = {k: v for k, v in os.environ.items() if k not in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN")}
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run([BINARY, "serve", "--config", example, "--listen", f"0.0.0.0:{free_port()}"],
                                env=env, cwd=tmp, capture_output=True, text=True, timeout=20)
    assert result.returncode == 1, result
    assert "refusing to serve: slack.signing_secret: is the public example value" in result.stderr
    assert "U0LOCALADMIN" in result.stderr
    assert "local-dev-signing-secret" not in result.stderr + result.stdout


def test_check_config_says_why_a_short_secret_is_refused_beyond_loopback():
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp, "hpops.yaml")
        config.write_text("server: {listen: 0.0.0.0:8080}\nslack: {signing_secret: \"${SECRET}\"}\n")
        result = subprocess.run([BINARY, "check-config", str(config)], env=dict(os.environ, SECRET="tooshort"),
                                capture_output=True, text=True, timeout=20)
        assert result.returncode == 1
        assert "slack.signing_secret: is 8 characters, fewer than 32" in result.stderr
        assert "tooshort" not in result.stderr
        ok = subprocess.run([BINARY, "check-config", str(config)], env=dict(os.environ, SECRET=SIGNING_SECRET * 4),
                            capture_output=True, text=True, timeout=20)
        assert ok.returncode == 0, ok.stderr
