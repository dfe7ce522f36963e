"""Alerts that name an EKS node group or HyperPod instance group carry its
capacity (read from moto) and the configured action buttons; a button runs
its `/hp scale` command through the confirmation token and permission path."""
import json
import tempfile

import pytest

from conftest import ADMIN, OPERATOR, VIEWER, Bot
from alerts_support import (BOT_TOKEN, GPU_CHANNEL, SlackApiStandIn, alerts_env, alerts_yaml, am_alert, am_payload,
                            bearer, message_text, post_json)

ACTIONS = """  actions:
    - label: "Scale +1"
      scale: 1
    - match: {severity: critical}
      label: "Scale -1"
      scale: -1
"""


@pytest.fixture
def capacity_stack(moto):
    slack = SlackApiStandIn(BOT_TOKEN)
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(tmp, aws_endpoint=moto, extra_yaml=alerts_yaml(slack.url, extra=ACTIONS),
                  extra_env=alerts_env(slack.url))
        try:
            yield bot, slack
        finally:
            bot.stop()
            slack.close()


def buttons(message):
    return [e for b in message.get("blocks", []) if b.get("type") == "actions" for e in b["elements"]]


def test_nodegroup_alert_shows_capacity_and_scale_button_runs_with_permission(capacity_stack, aws, receiver):
    bot, slack = capacity_stack
    payload = am_payload([am_alert("cap-1", nodegroup="gpu-ng", cluster="hpops-demo", severity="warning")])
    assert post_json(bot, "/alerts/alertmanager", payload, bearer())[0] == 200
    post = slack.wait_for(lambda c: len(c) >= 1, timeout=30, what="alert with capacity")[0]
    assert post["json"]["channel"] == GPU_CHANNEL
    text = message_text(post["json"])
    assert "desired 4 (min 0, max 8)" in text and "g5.12xlarge" in text, text
    found = buttons(post["json"])
    assert [b["text"]["text"] for b in found] == ["Scale +1"]  # "Scale -1" is only for critical alerts
    token = found[0]["value"]
    assert found[0]["action_id"] == "hpops.alert_action"

    # A viewer's click is refused by the same permission check as the command.
    assert bot.click("hpops.alert_action", token, user=VIEWER, channel=GPU_CHANNEL, response_url=receiver.url)[0] == 200
    denied = receiver.wait_for(1, timeout=15)[0]["json"]
    assert "operator" in json.dumps(denied) and not denied.get("replace_original")
    assert aws.eks.describe_nodegroup(clusterName="hpops-demo", nodegroupName="gpu-ng")["nodegroup"][
        "scalingConfig"]["desiredSize"] == 4

    # A click from another channel is refused (the token names the alert's channel).
    bot.click("hpops.alert_action", token, user=OPERATOR, channel="C0ELSEWHERE", response_url=receiver.url)
    assert "another channel" in json.dumps(receiver.wait_for(2, timeout=15)[1]["json"])

    # An operator's click scales gpu-ng 4 -> 5, audited, and only once.
    bot.click("hpops.alert_action", token, user=OPERATOR, channel=GPU_CHANNEL, response_url=receiver.url)
    done = receiver.wait_for(3, timeout=60)[2]["json"]
    assert "gpu-ng" in json.dumps(done) and not done.get("replace_original")
    # The scale is followed as a job: with the bot token, its own message in
    # the channel is edited until EKS is done.
    slack.wait_for(lambda c: any(x["method"] == "chat.update" and "Scaled gpu-ng" in message_text(x["json"])
                                 for x in c), timeout=60, what="the job's final edit")
    assert aws.eks.describe_nodegroup(clusterName="hpops-demo", nodegroupName="gpu-ng")["nodegroup"][
        "scalingConfig"]["desiredSize"] == 5
    assert any(r["command"] == "scale nodegroup" and r["actor_id"] == OPERATOR and "desired=5" in r["arguments"]
               for r in bot.audit())
    bot.click("hpops.alert_action", token, user=ADMIN, channel=GPU_CHANNEL, response_url=receiver.url)
    assert "Already answered" in json.dumps(receiver.wait_for(4, timeout=15)[3]["json"])


def test_instancegroup_alert_shows_hyperpod_capacity(capacity_stack):
    bot, slack = capacity_stack
    payload = am_payload([am_alert("cap-hp", instance_group="accelerated-worker-group-1", severity="critical")])
    assert post_json(bot, "/alerts/alertmanager", payload, bearer())[0] == 200
    post = slack.wait_for(lambda c: len(c) >= 1, timeout=30, what="alert with HyperPod capacity")[0]
    text = message_text(post["json"])
    assert "accelerated-worker-group-1 (hp-cluster)" in text, text
    assert [b["text"]["text"] for b in buttons(post["json"])] == ["Scale +1", "Scale -1"]


def test_unknown_group_still_posts_with_a_note(capacity_stack):
    bot, slack = capacity_stack
    payload = am_payload([am_alert("cap-x", nodegroup="gpu-nope", cluster="hpops-demo")])
    assert post_json(bot, "/alerts/alertmanager", payload, bearer())[0] == 200
    post = slack.wait_for(lambda c: len(c) >= 1, timeout=30, what="alert without capacity")[0]
    text = message_text(post["json"])
    assert "Firing: GPUHot" in text and "Capacity unavailable" in text
    assert buttons(post["json"]) == []
