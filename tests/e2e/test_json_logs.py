"""Logs a cluster can use (HPOPS_LOG_FORMAT=json): every line `hpops serve`
writes is one JSON object with time, level and message, and one command's
request id can be followed from its HTTP request through the dispatcher and
its job's steps to its audit row; no secret of the config appears in any."""
import json
import os
import re
import sqlite3

from alerts_support import BOT_TOKEN, message_text
from conftest import CONFIRM_SECRET, OPERATOR, OPS_CHANNEL, SIGNING_SECRET, Bot
from test_alerts import slack_api, tmpdir_path  # noqa: F401
from test_jobs import eks_takes
from test_slack_interactions import button_value

CREATE = "nodegroup create train-ng instance-type=g5.xlarge desired=2"
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def json_lines(text):
    """Every line of `text` as a JSON object; any other line fails the test."""
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        try:
            parsed = json.loads(line)
        except ValueError as e:
            raise AssertionError(f"line {number} is not JSON ({e}): {line!r}") from None
        assert isinstance(parsed, dict), f"line {number}: {line!r}"
        assert {"time", "level", "message"} <= parsed.keys(), f"line {number}: {line!r}"
        assert TIME.fullmatch(parsed["time"]), f"line {number}: {parsed['time']!r} is not RFC 3339 UTC in ms"
        assert parsed["level"] in {"trace", "debug", "info", "warning", "error", "critical"}, line
        lines.append(parsed)
    return lines


def test_one_commands_request_id_runs_from_its_http_request_to_its_audit_row(tmpdir_path, moto, slack_api, receiver):
    eks_takes(moto, 1)
    bot = Bot(tmpdir_path, aws_endpoint=moto,
              extra_env={"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": slack_api.url, "HPOPS_LOG_FORMAT": "json"})
    try:
        status, body = bot.command(CREATE, user=OPERATOR, channel=OPS_CHANNEL, response_url=receiver.url)
        assert status == 200, body
        status, _ = bot.click("hpops.confirm", button_value(json.loads(body), "hpops.confirm"), user=OPERATOR,
                              channel=OPS_CHANNEL, response_url=receiver.url)
        assert status == 200
        slack_api.wait_for(lambda c: any("Created node group train-ng" in message_text(x["json"]) for x in c),
                           timeout=30, what="the job's final edit")
        audit = [r for r in bot.audit() if r["command"] == "nodegroup create"]
        with sqlite3.connect(bot.db) as db:
            jobs = db.execute("SELECT id, audit_id, status FROM jobs").fetchall()
    finally:
        bot.stop()  # its last lines (draining, stopped) are checked too
    with open(os.path.join(tmpdir_path, "hpops.log")) as f:
        text = f.read()
    lines = json_lines(text)
    assert any(line["message"].startswith("hpops ") and "listening" in line["message"] for line in lines)

    # The command asked for a confirmation; the click ran it as a job.
    asked, ran = audit
    assert asked["outcome"] == "confirm-requested" and ran["outcome"] == "ok", audit
    [(job_id, job_audit_id, job_status)] = jobs
    assert job_audit_id == ran["id"] and job_status == "done"
    for row, path in ((asked, "/slack/commands"), (ran, "/slack/interactions")):
        request_id = row["request_id"]
        assert re.fullmatch(r"[0-9a-f]{16}", request_id), row
        mine = [line for line in lines if line.get("request_id") == request_id]
        http = [line for line in mine if line["message"].startswith(f"POST {path} 200 in ")]
        assert len(http) == 1, f"the HTTP request's line for {request_id}: {mine}"
        dispatched = [line for line in mine if line["message"].startswith("command nodegroup create: ")]
        assert len(dispatched) == 1, mine
        assert dispatched[0]["actor"] == OPERATOR and dispatched[0]["command"] == "nodegroup create"
    assert dispatched[0]["message"].startswith("command nodegroup create: started")

    # The job's lines carry its id and the request id of the click that began it.
    steps = [line for line in lines if line.get("job_id") == job_id]
    assert len(steps) >= 3, steps  # began, at least one step, done
    assert all(line["request_id"] == ran["request_id"] for line in steps), steps
    assert all(line["actor"] == OPERATOR and line["command"] == "nodegroup create" for line in steps), steps
    assert steps[0]["message"].startswith(f"jobs: job {job_id} ") and "began" in steps[0]["message"], steps[0]
    assert " done: " in steps[-1]["message"], steps[-1]
    assert not any(line.get("request_id") == asked["request_id"] for line in steps)

    for secret in (SIGNING_SECRET, CONFIRM_SECRET, BOT_TOKEN):
        assert secret not in text, "a secret in the logs"
