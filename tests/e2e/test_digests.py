"""Status digests (#14), end to end: `hpops serve` with moto (the EKS node
groups and HyperPod instance groups its harness seeds), alerts stored from
Alertmanager's webhook, and the Slack Web API stand-in, which refuses a
message outside Block Kit's rules. A firing missed while hpops was down is
posted once on start, marked late, and not again after a restart; `digest
now` shows the fleet with who scaled it and the alerts; schedules are made,
listed, refused when wrong and stopped from chat."""
import json
import time

from alerts_support import alerts_env, alerts_yaml, am_alert, am_payload, bearer, message_text, post_json
from conftest import CHANNEL, OPERATOR, OPS_CHANNEL, Bot
from test_alerts import slack_api, tmpdir_path  # noqa: F401
from test_jobs import eks_takes, say, slack, tmp  # noqa: F401

DIGEST_CHANNEL = "C0DIGEST"
# A daily firing at midnight UTC has always come within the last 48 hours:
# started, hpops finds it missed and posts it late.
DIGESTS_YAML = f"""digests:
  grace: 48h
  schedules:
    - name: nightly
      cron: "0 0 * * *"
      tz: UTC
      channel: {DIGEST_CHANNEL}
      sections: [fleet, alerts]
"""


def start_bot(tmp, moto, slack):
    return Bot(tmp, aws_endpoint=moto, extra_yaml=alerts_yaml(slack.url) + DIGESTS_YAML,
               extra_env=alerts_env(slack.url))


def digest_posts(slack):
    return [c for c in slack.ok_calls("chat.postMessage") if c["json"].get("channel") == DIGEST_CHANNEL]


def test_a_missed_firing_is_posted_once_on_start_marked_late_and_not_after_a_restart(tmp, moto, slack):
    bot = start_bot(tmp, moto, slack)
    try:
        slack.wait_for(lambda c: digest_posts(slack), timeout=20, what="the nightly digest")
        # The job posts its message first ("Building"), then edits it to the digest.
        done = slack.wait_for(lambda c: any("Fleet" in message_text(x["json"]) for x in c
                                            if x["method"] == "chat.update"), timeout=20, what="the built digest")
        text = message_text([x for x in done if x["method"] == "chat.update"][-1]["json"])
        for expected in ("Digest nightly", "late, after hpops was down", "Fleet", "spot-ng-with-hypd",
                         "min/desired/max", "current/target", "Alerts", "Nothing firing."):
            assert expected in text, (expected, text)
    finally:
        bot.stop()
    bot = start_bot(tmp, moto, slack)
    try:
        time.sleep(2)  # the scheduler ticks at start
        assert len(digest_posts(slack)) == 1, "posted once across the restart"
    finally:
        bot.stop()


def test_digest_now_shows_the_fleet_who_scaled_it_and_the_alerts(tmp, moto, slack, receiver):
    eks_takes(moto, 0)
    bot = start_bot(tmp, moto, slack)
    try:
        status, _ = post_json(bot, "/alerts/alertmanager",
                              am_payload([am_alert("fp01", name="GPUHot", severity="warning", nodegroup="gpu-ng")]),
                              bearer())
        assert status == 200
        assert "Scaling spot-ng-with-hypd" in say(bot, receiver, "scale ng spot-ng-with-hypd desired=2", user=OPERATOR)
        slack.wait_for(lambda c: any("Scaled" in message_text(x["json"]) or "scaled" in message_text(x["json"])
                                     for x in c if x["method"] == "chat.update"), timeout=30, what="the scale's end")
        started = time.monotonic()
        text = say(bot, receiver, "digest now", channel=CHANNEL)
        took = time.monotonic() - started
        for expected in ("Digest", "Fleet", "spot-ng-with-hypd", "Changes in the period",
                         "scale nodegroup spot-ng-with-hypd desired=2", "Health", "nodes Running", "Alerts", "GPUHot",
                         "Firing longest"):
            assert expected in text, (expected, text)
        print(f"\n`digest now` against moto and the alert store answered in {took * 1000:.0f} ms")
        only_alerts = say(bot, receiver, "digest now sections=alerts")
        assert "GPUHot" in only_alerts and "spot-ng-with-hypd" not in only_alerts, only_alerts
        assert "did you mean `fleet`" in say(bot, receiver, "digest now sections=flet")
    finally:
        bot.stop()


def test_schedules_are_made_listed_refused_when_wrong_and_stopped_from_chat(tmp, moto, slack, receiver):
    bot = start_bot(tmp, moto, slack)
    try:
        made = say(bot, receiver, 'digest schedule weekday "0 9 * * 1-5" tz=Europe/Berlin sections=fleet',
                   user=OPERATOR)
        assert "Digest `weekday` posts in" in made and "Next:" in made and "CET" in made, made
        listing = say(bot, receiver, "digests")
        assert "nightly" in listing and "config" in listing and "weekday" in listing and "chat" in listing, listing
        refusals = {
            'digest schedule x "61 * * * *"': "minute: 61 is not in 0-59",
            'digest schedule x "0 9 * * *" tz=Europe/Berln': "did you mean `Europe/Berlin`",
            'digest schedule x "*/5 * * * *"': "at most every 1h",
            'digest schedule x "0 9 * *"': "has 5 fields",
            'digest schedule x "0 9 * * *" sections=flet': "did you mean `fleet`",
            'digest schedule nightly "0 9 * * *"': "the config file's schedule",
            "digest off nightly": "the config file's schedule",
            "digest off nope": "No digest named `nope`",
        }
        for command, expected in refusals.items():
            answer = say(bot, receiver, command, user=OPERATOR)
            assert expected in answer, (command, answer)
        assert "Not permitted" in say(bot, receiver, 'digest schedule y "0 9 * * *"', channel=CHANNEL)
        assert "will not be posted again" in say(bot, receiver, "digest off weekday", user=OPERATOR)
        assert "weekday" not in say(bot, receiver, "digests")
        rows = [r for r in bot.audit() if r["command"].startswith("digest")]
        assert any(r["command"] == "digest off" and r["actor_id"] == OPERATOR and r["outcome"] == "ok" for r in rows)
    finally:
        bot.stop()
