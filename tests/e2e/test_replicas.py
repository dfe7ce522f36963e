"""Several `hpops serve` replicas on one PostgreSQL, driven together, and
nothing done twice: Slack-style retries of a burst of commands spread over
the replicas, every alert group sent to every replica (as Alertmanager's HA
pair does), and 50 jobs whose replica is killed with SIGKILL while they run.
Each test counts at the Slack stand-in and in the database."""
import json
import re
import signal
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter

import pytest

from alerts_support import BOT_TOKEN, alerts_env, alerts_yaml, am_alert, am_payload, bearer, post_json
from conftest import ADMIN, CHANNEL, OPERATOR, OPS_CHANNEL, VIEWER, Bot
from test_postgres_store import Postgres, wait_for
from test_alerts import slack_api  # noqa: F401


@pytest.fixture(scope="module")
def pg():
    p = Postgres()
    yield p
    p.close()


LEASE_SECONDS = 3  # store.lease: a dead replica's jobs are taken over within this and a third of it


def replicas(tmp_path, pg, slack, count, moto=None):
    database, url = pg.new_database()
    bots = []
    for i in range(count):
        (tmp_path / f"r{i}").mkdir()
        bots.append(Bot(str(tmp_path / f"r{i}"), aws_endpoint=moto,
                        store_yaml=f"  lease: {LEASE_SECONDS}s\n", extra_yaml=alerts_yaml(slack.url, max_new=100),
                        extra_env={**alerts_env(slack.url), "HPOPS_STORE_URL": url}))
    return database, bots


def stop_all(bots):
    for b in bots:
        b.stop()


def test_a_burst_of_commands_retried_to_other_replicas_runs_each_once(pg, slack_api, tmp_path):
    database, bots = replicas(tmp_path, pg, slack_api, 3)
    try:
        answers = {}

        def send(i, replica):
            # The same signed request (same timestamp and signature) twice: a
            # retry that a load balancer sent to another replica.
            form = urllib.parse.urlencode({"user_id": VIEWER, "channel_id": CHANNEL, "command": "/hp",
                                           "text": f"nodegroup delete ng-{i}", "trigger_id": f"t{i}",
                                           "response_url": "http://127.0.0.1:9/x"})
            answers.setdefault(i, []).append(bots[replica].post("/slack/commands", form, timestamp=stamp)[0])

        stamp = int(time.time())
        threads = [threading.Thread(target=send, args=(i, (i + k) % 3)) for i in range(30) for k in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for i in range(30):
            # The second is refused by the replica that saw the signature (409) or, on
            # another replica, by the key claimed in the shared store (200, "already").
            assert 200 in answers[i] and len(answers[i]) == 2, (i, answers[i])
        rows = pg.rows(database, "SELECT arguments FROM audit")
        counts = Counter(r[0] for r in rows)
        assert len(counts) == 30 and set(counts.values()) == {1}, f"duplicates: {counts.most_common(3)}"
    finally:
        stop_all(bots)


def test_an_alert_group_sent_to_every_replica_is_posted_once_and_edited_once(pg, slack_api, tmp_path):
    database, bots = replicas(tmp_path, pg, slack_api, 3)
    try:
        groups = [[am_alert(f"g{g}a{a}", instance=f"node-{g}-{a}") for a in range(3)] for g in range(10)]

        def deliver(payloads):
            threads = [threading.Thread(target=post_json, args=(b, "/alerts/alertmanager", p, bearer()))
                       for p in payloads for b in bots]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

        deliver([am_payload(g, group_key=f"{{}}:{{group=\"{i}\"}}") for i, g in enumerate(groups)])
        posts = slack_api.wait_for(lambda c: len([x for x in c if x["method"] == "chat.postMessage"]) >= 10,
                                   what="ten group messages")
        time.sleep(2)  # every replica's poster has scanned again by now
        posts = slack_api.ok_calls("chat.postMessage")
        assert len(posts) == 10, [p["json"].get("text") for p in posts]
        assert pg.rows(database, "SELECT COUNT(*) FROM alerts") == [["30"]]

        resolved = [[{**a, "status": "resolved", "endsAt": "2026-11-23T11:00:00Z"} for a in g] for g in groups]
        deliver([am_payload(g, group_key=f"{{}}:{{group=\"{i}\"}}") for i, g in enumerate(resolved)])
        slack_api.wait_for(lambda c: len([x for x in c if x["method"] == "chat.update"]) >= 10, what="ten edits")
        time.sleep(2)
        edits = Counter(c["json"]["ts"] for c in slack_api.ok_calls("chat.update"))
        assert sorted(edits) == sorted(p["ts"] for p in posts) and set(edits.values()) == {1}, edits
        assert len(slack_api.ok_calls("chat.postMessage")) == 10
    finally:
        stop_all(bots)


@pytest.fixture
def moto_with_groups(moto, aws):
    """The demo cluster with 50 more node groups, each at one node."""
    model = aws.eks.describe_nodegroup(clusterName="hpops-demo", nodegroupName="gpu-ng")["nodegroup"]
    for i in range(50):
        aws.eks.create_nodegroup(clusterName="hpops-demo", nodegroupName=f"ng-{i}", subnets=model["subnets"],
                                 nodeRole=model["nodeRole"], instanceTypes=["m5.large"],
                                 scalingConfig={"minSize": 1, "maxSize": 4, "desiredSize": 1})
    wait_for(lambda: all(aws.eks.describe_nodegroup(clusterName="hpops-demo", nodegroupName=f"ng-{i}")
                         ["nodegroup"]["status"] == "ACTIVE" for i in (0, 49)), 10, "the node groups")
    return moto


def test_50_jobs_survive_sigkill_of_their_replica_and_finish_once_on_another(pg, slack_api, tmp_path,
                                                                           moto_with_groups, aws):
    moto = moto_with_groups
    database, bots = replicas(tmp_path, pg, slack_api, 2, moto=moto)
    holder, other = bots
    try:
        # EKS takes 10 s per update: longer than the lease, so the jobs are
        # still following when their replica dies.
        urllib.request.urlopen(urllib.request.Request(f"{moto}/hpops/config?update_seconds=10", method="POST")).read()
        for i in range(50):
            status, body = holder.command(f"scale ng ng-{i} desired=2", user=OPERATOR, channel=OPS_CHANNEL)
            assert status == 200 and "Scaling ng-" in body, body
        posted = slack_api.wait_for(lambda c: len([x for x in c if x["method"] == "chat.postMessage"]) >= 50,
                                    timeout=30, what="fifty job messages")
        owners = pg.rows(database, "SELECT DISTINCT lease_owner FROM jobs WHERE status = 'running'")
        assert len(owners) == 1, owners
        holder.proc.send_signal(signal.SIGKILL)
        holder.proc.wait()
        killed = time.monotonic()
        taken = wait_for(lambda: pg.rows(database, "SELECT COUNT(*) FROM jobs WHERE status <> 'running'"
                                         " OR lease_owner <> '" + owners[0][0] + "'") == [["50"]],
                         40, "the other replica to take every job over")
        print(f"\nall 50 jobs taken over {taken - killed:.1f} s after SIGKILL (lease {LEASE_SECONDS} s)")
        assert taken - killed < LEASE_SECONDS * 4 / 3 + 3, "within the lease, a scan, and the steps"
        wait_for(lambda: pg.rows(database, "SELECT COUNT(*) FROM jobs WHERE status = 'done'") == [["50"]], 60,
                 "every job done")
        # Nothing posted, executed or audited twice; nothing lost.
        posts = [c for c in slack_api.ok_calls("chat.postMessage") if "Scal" in json.dumps(c["json"])]
        assert len(posts) == 50
        final = {c["json"]["ts"] for c in slack_api.ok_calls("chat.update") if "Scaled ng-" in json.dumps(c["json"])}
        assert final == {p["ts"] for p in posts}, "each job's own message got its final edit"
        audit = pg.rows(database, "SELECT outcome, COUNT(*) FROM audit WHERE command = 'scale nodegroup' GROUP BY outcome")
        assert audit == [["ok", "50"]], audit
        for i in (0, 17, 49):
            updates = aws.eks.list_updates(name="hpops-demo", nodegroupName=f"ng-{i}")["updateIds"]
            assert len(updates) == 1, f"ng-{i} scaled {len(updates)} times"
    finally:
        stop_all(bots)


DIGEST_CHANNEL = "C0DIGEST"
EVERY_MINUTE = f"""digests:
  min_interval: 1m
  grace: 10m
  schedules:
    - name: minutely
      cron: "* * * * *"
      tz: UTC
      channel: {DIGEST_CHANNEL}
      sections: [alerts]
"""


def digest_replica(tmp_path, pg_url, slack, name, server_yaml=""):
    (tmp_path / name).mkdir(exist_ok=True)
    return Bot(str(tmp_path / name), store_yaml=f"  lease: {LEASE_SECONDS}s\n", server_yaml=server_yaml,
               extra_yaml=alerts_yaml(slack.url) + EVERY_MINUTE,
               extra_env={**alerts_env(slack.url), "HPOPS_STORE_URL": pg_url})


def test_digest_firings_are_posted_once_while_replicas_start_and_stop(pg, slack_api, tmp_path):
    """Three replicas with a schedule due every minute. Before a minute's
    firing the leader is killed with SIGKILL and another replica is stopped
    cleanly, and a fourth starts with a config that differs in one key: the
    firing is still posted once, by a survivor, soon after the lease runs
    out, and only the odd replica's pair is warned of in the logs."""
    database, url = pg.new_database()
    bots = {f"r{i}": digest_replica(tmp_path, url, slack_api, f"r{i}") for i in range(3)}
    late = None
    try:
        def leader():
            rows = pg.rows(database, "SELECT owner FROM leases WHERE name = 'leader digests'"
                                     " AND until_unix_ms > (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT")
            return rows[0][0] if rows else None

        wait_for(leader, 10, "a digest leader")
        assert not any("differs" in b.logs() for b in bots.values()), "one config: no warning"
        # Start 15 s before a minute's firing, so the first post (the firing
        # just missed, within the grace) is behind us and the next one ahead.
        wait_for(lambda: 40 <= time.time() % 60 < 45, 61, "the run-up to a firing")
        owner = leader()
        port = int(owner.rsplit(":", 1)[1])
        killed = next(name for name, b in bots.items() if b.port == port)
        bots[killed].proc.send_signal(signal.SIGKILL)
        bots[killed].proc.wait()
        stopped = next(name for name in bots if name != killed)
        bots[stopped].stop()
        late = digest_replica(tmp_path, url, slack_api, "late", server_yaml="  max_replay_signatures: 5000\n")
        due = (int(time.time()) // 60 + 1) * 60

        def firings():
            rows = pg.rows(database, "SELECT claim FROM jobs WHERE kind = 'digest' ORDER BY id")
            return [r[0] for r in rows]

        wait_for(lambda: any(c.endswith(str(due)) for c in firings()), 60 - time.time() % 60 + LEASE_SECONDS * 2 + 5,
                 "the firing after the leader's death")
        posted_after = time.time() - due
        print(f"\nthe firing due after the leader died was claimed {posted_after:.1f} s after it came due "
              f"(lease {LEASE_SECONDS} s)")
        assert posted_after < LEASE_SECONDS * 4 / 3 + 3
        slack_api.wait_for(lambda c: len([x for x in c if x["method"] == "chat.postMessage"
                                          and x["json"].get("channel") == DIGEST_CHANNEL]) >= len(firings()),
                           what="each firing's message")
        time.sleep(2)
        claims = firings()
        assert len(claims) == len(set(claims)) and len(claims) >= 2, claims
        posts = [c for c in slack_api.ok_calls("chat.postMessage") if c["json"].get("channel") == DIGEST_CHANNEL]
        assert len(posts) == len(claims), (len(posts), claims)

        # Only the odd replica's config differs, in the one key it changed.
        def named_keys(bot):
            return [m.group(1) for m in re.finditer(r"runs with a config that differs from \S+'s in: (.*?)\. Replicas",
                                                    bot.logs())]

        assert set(named_keys(late)) == {"server.max_replay_signatures"}, late.logs()
        survivor = next(name for name in bots if name not in (killed, stopped))
        assert set(named_keys(bots[survivor])) == {"server.max_replay_signatures"}
    finally:
        stop_all(list(bots.values()) + ([late] if late else []))
