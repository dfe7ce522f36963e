"""hpops behind Debian's real prometheus-alertmanager: alerts pushed through
its v2 API reach Slack (the Web API stand-in) in the routed channels, and
resolving them updates the same messages."""
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import BINARY, SIGNING_SECRET, Bot
from alerts_support import (AM_TOKEN, BOT_TOKEN, CRIT_CHANNEL, DEFAULT_CHANNEL, GPU_CHANNEL, SlackApiStandIn,
                            alerts_env, alerts_yaml, message_text)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "peers"))
from alertmanager_peer import Alertmanager, alert  # noqa: E402


@pytest.fixture
def stack():
    slack = SlackApiStandIn(BOT_TOKEN)
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(tmp, extra_yaml=alerts_yaml(slack.url, max_new=10), extra_env=alerts_env(slack.url))
        am = Alertmanager(f"{bot.base}/alerts/alertmanager", AM_TOKEN)
        try:
            yield am, bot, slack
        finally:
            am.stop()
            bot.stop()
            slack.close()


def test_alerts_through_alertmanager_are_posted_then_updated_on_resolve(stack):
    am, bot, slack = stack
    started = datetime.now(timezone.utc) - timedelta(minutes=7)
    firing = [alert("GPUXidErrors", {"severity": "critical", "nodegroup": "gpu-ng", "instance": "node-a"},
                    "Xid 79 on node-a", started=started),
              alert("NodeGroupDegraded", {"severity": "warning", "nodegroup": "gpu-ng"}, "2 of 4 nodes NotReady",
                    started=started),
              alert("DiskPressure", {"severity": "info", "instance": "node-b"}, "disk 91% full", started=started)]
    am.push(firing)
    calls = slack.wait_for(lambda c: len(c) >= 3, timeout=20, what="three posts via alertmanager")
    by_channel = {c["json"]["channel"]: c for c in calls}
    assert set(by_channel) == {CRIT_CHANNEL, GPU_CHANNEL, DEFAULT_CHANNEL}, list(by_channel)
    assert "Firing: GPUXidErrors" in message_text(by_channel[CRIT_CHANNEL]["json"])
    assert "Xid 79 on node-a" in message_text(by_channel[CRIT_CHANNEL]["json"])
    assert "Firing: NodeGroupDegraded" in message_text(by_channel[GPU_CHANNEL]["json"])

    am.push([alert(a["labels"]["alertname"], {k: v for k, v in a["labels"].items() if k != "alertname"},
                   a["annotations"]["summary"], resolved=True, started=started) for a in firing])
    updates = slack.wait_for(lambda c: len([x for x in c if x["method"] == "chat.update"]) >= 3, timeout=20,
                             what="three chat.update after resolve")
    updates = [u for u in updates if u["method"] == "chat.update"]
    assert {(u["json"]["channel"], u["json"]["ts"]) for u in updates} == {(c["channel"], c["ts"]) for c in calls}
    for u in updates:
        text = message_text(u["json"])
        # endsAt is "a second ago" when the test resolves it: 6m 59s or 7m.
        assert "Resolved:" in text and re.search(r"fired for (6m 59s|7m \d+s)", text), text
        assert "&lt;" not in text  # field values are plain text, escaped once
    # Alertmanager's repeats of the same state post nothing new.
    assert len(slack.ok_calls("chat.postMessage")) == 3
    assert "refused" not in bot.logs()
    status, listing = bot.command("alerts")
    assert status == 200 and "No firing alerts" in listing
    # The terminal reads the same store.
    env = dict(os.environ, E2E_SIGNING_SECRET=SIGNING_SECRET, **alerts_env(slack.url))
    out = subprocess.run([BINARY, "run", "--config", bot.config, "alerts status=resolved"], env=env,
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    for name in ("GPUXidErrors", "NodeGroupDegraded", "DiskPressure"):
        assert name in out.stdout, out.stdout
