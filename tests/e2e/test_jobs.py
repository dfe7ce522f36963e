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
