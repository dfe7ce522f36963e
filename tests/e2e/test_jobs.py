"""Durable jobs, end to end: `hpops serve` with moto and the Slack Web API
stand-in. A scale is followed as a job that survives kill -9 and edits the
same Slack message; jobs are listed, read and cancelled from chat; a job row
that a newer hpops wrote is left alone."""
import json
import os
import signal
import sqlite3
import subprocess
import time
import urllib.request

import pytest

from alerts_support import BOT_TOKEN, message_text
from conftest import BINARY, CHANNEL, OPERATOR, OPS_CHANNEL, VIEWER, Bot
from test_alerts import slack_api, tmpdir_path  # noqa: F401
from test_slack_commands import blocks_text

SCALE = "scale ng spot-ng-with-hypd desired=2"


def metric(bot, name):
    for line in bot.get("/metrics")[1].splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"no {name} in /metrics")


@pytest.fixture
def slack(slack_api):
    return slack_api


@pytest.fixture
def tmp(tmpdir_path):
    return tmpdir_path


def eks_takes(moto, seconds):
    """How long moto's EKS takes to finish an update."""
    urllib.request.urlopen(urllib.request.Request(f"{moto}/hpops/config?update_seconds={seconds}", method="POST")).read()


def start_bot(tmp, moto, slack, port=None):
    return Bot(tmp, aws_endpoint=moto, extra_env={"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": slack.url}, port=port)


def say(bot, receiver, text, user=VIEWER, channel=OPS_CHANNEL):
    status, body = bot.command(text, user=user, channel=channel, response_url=receiver.url)
    assert status == 200, body
    return blocks_text(json.loads(body))


def interrupt_mid_scale(tmp, moto, slack, receiver, sig):
    """Starts a scale that EKS takes 4 s to finish, and sends `sig` to hpops
    half a second into its follow. Returns the job's posted message, the
    stopped bot, how long it took to stop and its log."""
    eks_takes(moto, 4)
    bot = start_bot(tmp, moto, slack)
    try:
        assert "Scaling spot-ng-with-hypd" in say(bot, receiver, SCALE, user=OPERATOR)
        [posted] = slack.wait_for(lambda c: len(c) >= 1, what="the job's message")
        assert "Scaling spot-ng-with-hypd" in message_text(posted["json"])
        time.sleep(0.5)  # a step or two in
        stopping = time.monotonic()
        bot.proc.send_signal(sig)
        bot.proc.wait(timeout=15)
        return posted, bot, time.monotonic() - stopping, bot.logs()
    finally:
        bot.stop()


def test_a_row_from_a_newer_hpops_is_left_alone_across_a_restart(tmp):
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


def test_a_scale_followed_as_a_job_survives_kill_9_and_edits_the_same_message(tmp, moto, slack, receiver, aws):
    """kill -9 in the middle of a follow; the next start resumes the job, edits
    the same Slack message (same ts, at the Web API stand-in) to the final
    state, and closes the command's audit row once."""
    posted, bot, _, _ = interrupt_mid_scale(tmp, moto, slack, receiver, signal.SIGKILL)
    assert [r["outcome"] for r in bot.audit() if r["command"] == "scale nodegroup"] == ["started"]
    started = time.monotonic()
    bot = start_bot(tmp, moto, slack, port=bot.port)  # restarted in place
    try:
        calls = slack.wait_for(lambda c: any("Scaled spot-ng-with-hypd" in message_text(x["json"])
                                             for x in c if x["method"] == "chat.update"),
                               timeout=30, what="the final edit")
        resumed_in = time.monotonic() - started
        edits = [c for c in calls if c["method"] == "chat.update"]
        assert all(c["json"]["ts"] == posted["ts"] for c in edits), "the same message, edited"
        assert len(slack.ok_calls("chat.postMessage")) == 1, "no second message"
        assert metric(bot, "hpops_jobs_resumed_total") == 1
        rows = [r for r in bot.audit() if r["command"] == "scale nodegroup"]
        assert [r["outcome"] for r in rows] == ["ok"] and rows[0]["actor_id"] == OPERATOR
        assert aws.eks.describe_nodegroup(clusterName="hpops-demo", nodegroupName="spot-ng-with-hypd")[
            "nodegroup"]["scalingConfig"]["desiredSize"] == 2
        print(f"\nresumed and finished {resumed_in:.1f} s after the restart")
    finally:
        bot.stop()


def test_jobs_can_be_listed_read_and_cancelled_from_chat(tmp, moto, slack, receiver):
    eks_takes(moto, 60)
    bot = start_bot(tmp, moto, slack)
    try:
        assert "Scaling spot-ng-with-hypd" in say(bot, receiver, SCALE, user=OPERATOR)
        assert metric(bot, "hpops_jobs_running") == 1
        listing = say(bot, receiver, "jobs")
        assert "#1" in listing and "scale_nodegroup" in listing and "running" in listing, listing
        history = say(bot, receiver, "job 1")
        assert "Scaling spot-ng-with-hypd" in history and "InProgress" in history, history
        assert "No job 99. Recent: #1 nodegroup spot-ng-with-hypd" in say(bot, receiver, "job 99")
        assert "not a job id" in say(bot, receiver, "job abc")
        # A viewer may not (the ops channel makes everyone in it an operator).
        assert "Not permitted" in say(bot, receiver, "job cancel 1", channel=CHANNEL)
        assert "nothing was undone" in say(bot, receiver, "job cancel 1", user=OPERATOR)
        slack.wait_for(lambda c: any(x["method"] == "chat.update" and "Stopped following" in message_text(x["json"])
                                     for x in c), what="the cancelled message")
        assert "already ended (cancelled)" in say(bot, receiver, "job cancel 1", user=OPERATOR)
        assert "cancelled" in say(bot, receiver, "jobs status=cancelled")
        assert "No jobs." in say(bot, receiver, "jobs status=failed")
        assert "is one of running" in say(bot, receiver, "jobs status=sleeping")
        outcomes = {r["command"]: r["outcome"] for r in bot.audit()}
        assert outcomes["scale nodegroup"] == "cancelled", outcomes
    finally:
        bot.stop()


def test_a_confirmed_nodegroup_create_shows_progress_edits_before_active(tmp, moto, slack, receiver, aws):
    from test_slack_interactions import button_value
    eks_takes(moto, 2)
    bot = start_bot(tmp, moto, slack)
    try:
        status, body = bot.command("nodegroup create train-ng instance-type=g5.xlarge desired=2", user=OPERATOR,
                                   channel=OPS_CHANNEL, response_url=receiver.url)
        assert status == 200, body
        bot.click("hpops.confirm", button_value(json.loads(body), "hpops.confirm"), user=OPERATOR, channel=OPS_CHANNEL,
                  response_url=receiver.url)
        calls = slack.wait_for(lambda c: any("Created node group train-ng" in message_text(x["json"]) for x in c),
                               timeout=30, what="the final edit")
        texts = [message_text(c["json"]) for c in calls]
        progress = [t for t in texts if "EKS says CREATING" in t]
        assert len(progress) >= 2, texts  # the post and at least one edit while EKS works
        assert texts.index(progress[0]) < next(i for i, t in enumerate(texts) if "Created node group" in t)
        assert {c["json"].get("ts") for c in calls if c["method"] == "chat.update"} == {calls[0]["ts"]}
        assert aws.eks.describe_nodegroup(clusterName="hpops-demo", nodegroupName="train-ng")["nodegroup"][
            "status"] == "ACTIVE"
        rows = [r for r in bot.audit() if r["command"] == "nodegroup create" and r["outcome"] != "confirm-requested"]
        assert [r["outcome"] for r in rows] == ["ok"], rows
    finally:
        bot.stop()


def test_sigterm_mid_follow_lets_the_step_finish_and_the_next_start_ends_the_job(tmp, moto, slack, receiver):
    _, bot, stopped_in, log = interrupt_mid_scale(tmp, moto, slack, receiver, signal.SIGTERM)
    assert stopped_in < 10, "within server.shutdown_grace (10 s here)"
    assert "jobs: step of job" not in log, "no step was cut off"
    with sqlite3.connect(os.path.join(tmp, "hpops.db")) as db:
        assert db.execute("SELECT status FROM jobs").fetchall() == [("running",)]
    bot = start_bot(tmp, moto, slack)
    try:
        slack.wait_for(lambda c: any("Scaled spot-ng-with-hypd" in message_text(x["json"]) for x in c),
                       timeout=30, what="the final edit after the restart")
        assert [r["outcome"] for r in bot.audit() if r["command"] == "scale nodegroup"] == ["ok"]
        print(f"\nstopped {stopped_in:.2f} s after SIGTERM")
    finally:
        bot.stop()


def test_a_job_whose_backend_stays_down_fails_at_its_deadline_with_its_retries_in_the_history(tmp, moto, receiver):
    from fault_chain import chained
    from toxiproxy_peer import start_toxiproxy
    eks_takes(moto, 60)
    proxy, stop_proxy = start_toxiproxy()
    try:
        with chained(proxy, "aws", moto) as chain:
            bot = Bot(tmp, aws_endpoint=chain.url, aws_timeout="1s", follow_timeout="8s")
            try:
                assert "Scaling spot-ng-with-hypd" in say(bot, receiver, SCALE, user=OPERATOR)
                proxy.enable(chain.name, False)  # AWS goes away for good
                deadline = time.monotonic() + 40
                while "failed" not in say(bot, receiver, "jobs"):
                    assert time.monotonic() < deadline, say(bot, receiver, "job 1")
                    time.sleep(0.5)
                history = say(bot, receiver, "job 1")
                assert "retry 1 in 1 s: eks Unreachable" in history, history
                assert "did not finish within 8 s" in history, history
                final = [blocks_text(p["json"]) for p in receiver.posts]
                assert any("did not finish within 8 s" in t for t in final), final
                assert [r["outcome"] for r in bot.audit() if r["command"] == "scale nodegroup"] == ["failed"]
            finally:
                bot.stop()
    finally:
        stop_proxy()


def test_hpops_run_follows_a_job_to_its_end_printing_each_state(tmp, moto, slack):
    """The terminal runs a scale as chat does, as a durable job, and follows it
    to its end: each state on stderr as the chat message would be edited, the
    last on stdout, and the job's row and audit row closed as the server would."""
    eks_takes(moto, 2)
    bot = start_bot(tmp, moto, slack)
    try:
        out = subprocess.run([BINARY, "run", "--config", bot.config, SCALE], env=bot.env, capture_output=True,
                             text=True, timeout=60)
        db = sqlite3.connect(bot.db)
        jobs = db.execute("SELECT kind, status, actor_id FROM jobs").fetchall()
        audit = db.execute("SELECT outcome FROM audit WHERE command = 'scale nodegroup'").fetchall()
    finally:
        bot.stop()
    assert out.returncode == 0, out.stderr
    assert "--- job 1 · running" in out.stderr and "Scaling spot-ng-with-hypd" in out.stderr, out.stderr
    assert "Scaled spot-ng-with-hypd" in out.stdout and "job 1" in out.stdout, out.stdout
    assert "Scaling" not in out.stdout, "stdout holds the last state alone"
    assert jobs == [("scale_nodegroup", "done", os.environ.get("USER", "local"))], jobs
    assert audit == [("ok",)], audit
