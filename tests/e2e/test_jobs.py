"""Durable jobs, end to end: `hpops serve` reports its job runner in /metrics,
resumes unfinished jobs at start, and leaves alone a job row that a newer
hpops wrote (kind or version it does not know)."""
import os
import sqlite3
import tempfile
import time

from conftest import Bot


def metric(bot, name):
    for line in bot.get("/metrics")[1].splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"no {name} in /metrics")


def test_a_row_from_a_newer_hpops_is_left_alone_across_a_restart():
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(tmp)
        try:
            assert metric(bot, "hpops_jobs_resumed_total") == 0
            assert metric(bot, "hpops_job_steps_total") == 0
        finally:
            bot.stop()
        now = int(time.time() * 1000)
        with sqlite3.connect(os.path.join(tmp, "hpops.db")) as db:
            db.execute("INSERT INTO jobs (kind, kind_version, status, state, created_unix_ms, updated_unix_ms,"
                       " next_run_unix_ms, deadline_unix_ms) VALUES ('cluster_launch', 7, 'running', '{\"x\":1}',"
                       " ?, ?, ?, ?)", (now, now, now, now + 3_600_000))
        bot = Bot(tmp)
        try:
            deadline = time.monotonic() + 5
            while "cannot run; left as it is" not in bot.logs():
                assert time.monotonic() < deadline, bot.logs()
                time.sleep(0.05)
            assert metric(bot, "hpops_jobs_resumed_total") == 1
            assert bot.get("/readyz")[0] == 200
        finally:
            bot.stop()
        with sqlite3.connect(os.path.join(tmp, "hpops.db")) as db:
            assert db.execute("SELECT status, state FROM jobs").fetchall() == [("running", '{"x":1}')]


def test_a_scale_followed_as_a_job_survives_kill_9_and_edits_the_same_message(moto, receiver, aws):
    """kill -9 in the middle of a follow; the next start resumes the job, edits
    the same Slack message (same ts, at the Web API stand-in) to the final
    state, and closes the command's audit row once."""
    import signal
    import urllib.request
    from alerts_support import BOT_TOKEN, SlackApiStandIn, message_text
    from conftest import OPERATOR, OPS_CHANNEL
    # EKS takes 4 s to finish the update: long enough to kill hpops half-way.
    urllib.request.urlopen(urllib.request.Request(moto + "/hpops/config?update_seconds=4", method="POST")).read()
    slack = SlackApiStandIn(BOT_TOKEN)
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": slack.url}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bot = Bot(tmp, aws_endpoint=moto, extra_env=env)
            try:
                status, body = bot.command("scale ng spot-ng-with-hypd desired=2", user=OPERATOR, channel=OPS_CHANNEL,
                                           response_url=receiver.url)
                assert status == 200, body
                [posted] = slack.wait_for(lambda c: len(c) >= 1, what="the job's message")
                assert "Scaling spot-ng-with-hypd" in message_text(posted["json"])
                time.sleep(0.5)  # a step or two in
                bot.proc.send_signal(signal.SIGKILL)
                bot.proc.wait()
            finally:
                bot.stop()
            assert [r["outcome"] for r in bot.audit() if r["command"] == "scale nodegroup"] == ["started"]
            started = time.monotonic()
            bot = Bot(tmp, aws_endpoint=moto, extra_env=env)
            try:
                calls = slack.wait_for(lambda c: any("Scaled spot-ng-with-hypd" in message_text(x["json"])
                                                     for x in c if x["method"] == "chat.update"),
                                       timeout=30, what="the final edit")
                resumed_in = time.monotonic() - started
                finals = [c for c in calls if c["method"] == "chat.update"]
                assert all(c["json"]["ts"] == posted["ts"] for c in finals), "the same message, edited"
                assert len(slack.ok_calls("chat.postMessage")) == 1, "no second message"
                assert metric(bot, "hpops_jobs_resumed_total") == 1
                rows = [r for r in bot.audit() if r["command"] == "scale nodegroup"]
                assert [r["outcome"] for r in rows] == ["ok"] and rows[0]["actor_id"] == OPERATOR
                assert aws.eks.describe_nodegroup(clusterName="hpops-demo", nodegroupName="spot-ng-with-hypd")[
                    "nodegroup"]["scalingConfig"]["desiredSize"] == 2
                print(f"\nresumed and finished {resumed_in:.1f} s after the restart")
            finally:
                bot.stop()
    finally:
        slack.close()
