"""hpops on PostgreSQL (store.url / HPOPS_STORE_URL): commands, audit and
alerts kept in a real PostgreSQL 15 (tests/peers/postgres_peer.py), and what
happens when the database is away: at start, mid-run, and when it was
migrated by a newer hpops."""
import json
import sys
import time
from pathlib import Path

import pytest

from alerts_support import SlackApiStandIn, BOT_TOKEN, alerts_env, alerts_yaml, am_alert, am_payload, bearer, post_json
from conftest import VIEWER, Bot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "peers"))
from postgres_peer import start_postgres  # noqa: E402


class Postgres:
    """The peer, steered through its stdin: one line out, one JSON line back."""

    def __init__(self):
        self.info, self._stop = start_postgres()
        self._proc = self._stop.proc
        self._databases = 0

    def ask(self, line):
        self._proc.stdin.write(line + "\n")
        self._proc.stdin.flush()
        answer = json.loads(self._proc.stdout.readline())
        assert "error" not in answer, answer
        return answer

    def new_database(self):
        self._databases += 1
        name = f"e2e_{self._databases}"
        return name, self.ask(f"createdb {name}")["url"]

    def rows(self, database, query):
        return self.ask(f"sql {database} {query}")["rows"]

    def close(self):
        self._stop()


@pytest.fixture(scope="module")
def pg():
    p = Postgres()
    yield p
    p.close()


@pytest.fixture
def slack_api():
    s = SlackApiStandIn(BOT_TOKEN)
    yield s
    s.close()


def start_bot(tmp_path, slack_api, url):
    return Bot(str(tmp_path), extra_yaml=alerts_yaml(slack_api.url),
               extra_env={**alerts_env(slack_api.url), "HPOPS_STORE_URL": url})


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_commands_audit_and_alerts_are_kept_in_postgres(pg, slack_api, tmp_path):
    database, url = pg.new_database()
    bot = start_bot(tmp_path, slack_api, url)
    try:
        assert bot.get("/readyz") == (200, "ready\n")
        status, body = bot.command("nodegroup delete spot-ng", user=VIEWER)
        assert status == 200 and "needs the admin role" in body
        rows = pg.rows(database, "SELECT outcome, actor_id, arguments FROM audit")
        assert rows == [["denied", VIEWER, "nodegroup delete spot-ng"]]
        assert not (tmp_path / "hpops.db").exists(), "nothing went to the SQLite file"

        assert post_json(bot, "/alerts/alertmanager", am_payload([am_alert("pg01"), am_alert("pg02")]), bearer())[0] == 200
        [post] = slack_api.wait_for(lambda calls: [c for c in calls if c["method"] == "chat.postMessage"],
                                    what="the group's message")
        assert pg.rows(database, "SELECT fingerprint FROM alerts ORDER BY fingerprint") == [["pg01"], ["pg02"]]
        wait_for(lambda: pg.rows(database, "SELECT ts <> '' FROM alert_messages") == [["t"]], 10,
                 "the message's ts recorded")
        assert "postgres postgresql://hpops@127.0.0.1" in bot.logs(), "the start line names the store"
    finally:
        bot.stop()


def test_an_outage_mid_run_is_said_in_chat_and_answered_503_to_alerts_then_recovered(pg, slack_api, tmp_path):
    database, url = pg.new_database()
    bot = start_bot(tmp_path, slack_api, url)
    try:
        assert bot.get("/readyz")[0] == 200
        pg.ask("stop")
        try:
            wait_for(lambda: bot.get("/readyz")[0] == 503, 10, "/readyz to say not ready")
            status, body = bot.command("jobs")
            assert status == 200
            assert "database did not answer" in body, body
            # Alertmanager retries a 5xx: nothing is lost while the store is away.
            assert post_json(bot, "/alerts/alertmanager", am_payload([am_alert("out1")]), bearer())[0] == 503
        finally:
            pg.ask("start")
        back = time.monotonic()
        ready = wait_for(lambda: bot.get("/readyz")[0] == 200, 15, "/readyz to recover")
        assert ready - back < 7, "within the pool's longest backoff (5 s) and a connect"
        status, body = bot.command("jobs")
        assert status == 200 and "did not answer" not in body
        assert post_json(bot, "/alerts/alertmanager", am_payload([am_alert("out1")]), bearer())[0] == 200
        assert pg.rows(database, "SELECT fingerprint FROM alerts") == [["out1"]]
    finally:
        bot.stop()


def test_a_database_down_at_start_leaves_hpops_running_but_not_ready(pg, slack_api, tmp_path):
    database, url = pg.new_database()
    pg.ask("stop")
    try:
        bot = start_bot(tmp_path, slack_api, url)
    finally:
        pg.ask("start")
    try:
        # It started (Bot waited for /healthz); it became ready once the database answered.
        assert "not ready until it answers" in bot.logs()
        wait_for(lambda: bot.get("/readyz")[0] == 200, 15, "/readyz once the database is back")
        assert pg.rows(database, "SELECT MAX(version) FROM schema_migrations") != [[""]]
    finally:
        bot.stop()


def test_a_database_from_a_newer_hpops_stops_the_start(pg, slack_api, tmp_path):
    database, url = pg.new_database()
    first = start_bot(tmp_path / "first", slack_api, url) if (tmp_path / "first").mkdir() is None else None
    first.stop()
    pg.ask(f"sql {database} INSERT INTO schema_migrations VALUES (99, 0)")
    (tmp_path / "second").mkdir()
    with pytest.raises(RuntimeError) as refused:
        start_bot(tmp_path / "second", slack_api, url)
    assert "schema version 99 is newer than this hpops knows" in str(refused.value)
