#!/usr/bin/env python3
"""Soak: one `hpops serve` under mixed traffic for a long time, sampling its
memory and descriptors, to show that neither grows.

    bench/soak.py --binary build/hpops --minutes 30        # what bench/soak.sh runs
    bench/soak.py --binary build/hpops --minutes 2 --sample 5

Traffic, from several threads at once, all to loopback:
  - signed slash commands (help, status, alerts, a parse error, a destructive
    command that stops at Confirm/Cancel), each signed afresh;
  - interactions: Cancel of those confirmations, forged and replayed clicks;
  - Alertmanager bursts of 200 alerts (new, then resolved) every few seconds;
  - SNS and Grafana bodies that fail their checks;
  - slow clients that send half a header and wait, and idle connections.
Slack's Web API is the test stand-in (tests/peers/slack_api_stand_in.py).

Every SAMPLE seconds it prints RSS, open descriptors and threads of hpops, and
from its /metrics where the memory is: the heap malloc has handed out, the
heap it holds free, SQLite's caches and the Slack replay guard's tables. At the
end a verdict: RSS after warm-up must stay within 20% (and 16 MiB) of its level
at the end of warm-up, and descriptors at rest
(load paused, timeouts passed) at the end must not exceed those at rest after
the first minute. Python standard library only; requests are signed
here as Slack signs them (v0 HMAC-SHA256).
"""
import argparse
import hashlib
import hmac
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "peers"))
from slack_api_stand_in import SlackApiStandIn  # noqa: E402

SECRET = "soak-signing-secret-0123456789abcdef"
TOKEN = "xoxb-soak"
AM_TOKEN = "soak-alertmanager-token"
ADMIN = "U0SOAKADMIN"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hpops:
    def __init__(self, binary, api_url, work):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = Path(work, "hpops.yaml")
        config.write_text(f"""
server: {{listen: "127.0.0.1:{self.port}", threads: 2, header_timeout: 2s, idle_timeout: 5s}}
slack: {{signing_secret: "{SECRET}", bot_token: "{TOKEN}", api_url: "{api_url}",
        response_url_allow: ["http://127.0.0.1:"]}}
access: {{default_role: viewer, users: {{{ADMIN}: admin}}}}
store: {{path: "{work}/hpops.db"}}
log: {{level: warn}}
alerts:
  default_channel: C0SOAK
  alertmanager: {{bearer_token: {AM_TOKEN}}}
  grafana: {{secret: soak-grafana-secret}}
""")
        self.log = open(Path(work, "hpops.log"), "w+")
        self.proc = subprocess.Popen([binary, "serve", "--config", str(config)], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(self.base + "/healthz", timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("hpops did not start")

    def memory(self):
        """MiB from /metrics: malloc in use, malloc free, SQLite, replay guard."""
        text = urllib.request.urlopen(self.base + "/metrics", timeout=5).read().decode()
        values = dict(line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
        names = ("hpops_malloc_in_use_bytes", "hpops_malloc_free_bytes", "hpops_sqlite_memory_bytes",
                 'hpops_replay_guard_bytes{source="slack"}')
        return [float(values.get(n, "nan")) / 2**20 for n in names]

    def sample(self):
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss_kib = int(fields["VmRSS"].split()[0])
        threads = int(fields["Threads"])
        fds = len(os.listdir(f"/proc/{self.proc.pid}/fd"))
        return rss_kib, fds, threads

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def post(base, path, body, headers, timeout=10):
    request = urllib.request.Request(base + path, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def signed(body):
    ts = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": "v0=" + mac}


class Load:
    def __init__(self, hpops, stop):
        self.base = hpops.base
        self.port = hpops.port
        self.stop = stop
        self.quiet = threading.Event()  # set: no new traffic (to measure descriptors at rest)
        self.counts = {}
        self.lock = threading.Lock()
        self.receiver = None

    def count(self, kind, status):
        with self.lock:
            key = f"{kind} {status}"
            self.counts[key] = self.counts.get(key, 0) + 1

    def command(self, text, user=ADMIN):
        form = {"team_id": "T1", "channel_id": "C0SOAK", "user_id": user, "user_name": "soak", "command": "/hp",
                "text": text, "response_url": f"http://127.0.0.1:9/none", "trigger_id": str(random.random())}
        body = urllib.parse.urlencode(form).encode()
        return post(self.base, "/slack/commands", body, signed(body))

    def pause_if_quiet(self):
        while self.quiet.is_set() and not self.stop.is_set():
            time.sleep(0.1)

    def click(self, action, value):
        # trigger_id makes each click's body, and so its signature, unique (a repeat is a replay: 409).
        payload = {"type": "block_actions", "user": {"id": ADMIN, "username": "soak"}, "channel": {"id": "C0SOAK"},
                   "response_url": "http://127.0.0.1:9/none", "trigger_id": str(random.random()),
                   "actions": [{"action_id": action, "value": value, "type": "button"}]}
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return post(self.base, "/slack/interactions", body, signed(body))

    def commands(self):
        texts = ["help", "status", "alerts", "help scale nodegroup", "scal nodegrp x", "alerts status=resolved"]
        while not self.stop.is_set():
            self.pause_if_quiet()
            status, body = self.command(random.choice(texts))
            self.count("command", status)
            status, body = self.command("nodegroup delete soak-ng")
            self.count("ask", status)
            try:
                message = json.loads(body)
                token = next(e["value"] for b in message["blocks"] for e in b.get("elements", [])
                             if e.get("action_id") == "hpops.cancel")
                self.count("cancel", self.click("hpops.cancel", token)[0])
                self.count("cancel-again", self.click("hpops.cancel", token)[0])
            except (ValueError, KeyError, StopIteration):
                self.count("ask-unexpected", status)
            self.count("forged-click", self.click("hpops.confirm", "forged.token")[0])
            time.sleep(0.01)

    def alerts(self):
        round_ = 0
        while not self.stop.is_set():
            self.pause_if_quiet()
            round_ += 1
            for state in ("firing", "resolved"):
                alerts = [{"status": state, "labels": {"alertname": f"Soak{i % 7}", "severity": "warning",
                                                       "instance": f"node-{round_}-{i}"},
                           "annotations": {"summary": "soak"}, "startsAt": "2026-12-04T10:00:00Z",
                           "endsAt": "2026-12-04T11:00:00Z" if state == "resolved" else "0001-01-01T00:00:00Z",
                           "fingerprint": f"soak-{round_}-{i}"} for i in range(200)]
                body = json.dumps({"version": "4", "groupKey": f"soak{round_}", "status": state,
                                   "receiver": "hpops", "alerts": alerts}).encode()
                status, _ = post(self.base, "/alerts/alertmanager", body,
                                 {"Content-Type": "application/json", "Authorization": f"Bearer {AM_TOKEN}"})
                self.count("alertmanager", status)
            self.count("sns-bad", post(self.base, "/alerts/sns", b'{"Type":"Notification"}',
                                       {"Content-Type": "text/plain"})[0])
            self.count("grafana-bad", post(self.base, "/alerts/grafana", b'{"version":"1","alerts":[]}',
                                           {"Content-Type": "application/json"})[0])
            self.stop.wait(3)

    def slow_clients(self):
        while not self.stop.is_set():
            self.pause_if_quiet()
            held = []
            for _ in range(20):
                s = socket.create_connection(("127.0.0.1", self.port))
                s.sendall(b"POST /slack/commands HTTP/1.1\r\nHost: x\r\nContent-Le")
                held.append(s)
            for _ in range(20):
                held.append(socket.create_connection(("127.0.0.1", self.port)))  # idle, sends nothing
            self.stop.wait(4)
            for s in held:
                s.close()
            self.count("slow-clients", "done")


def at_rest(load, hpops):
    """Descriptors once the load pauses and the server's timeouts have closed
    what it left open (slow clients, idle keep-alives)."""
    load.quiet.set()
    time.sleep(8)  # > idle_timeout (5 s) and header_timeout (2 s)
    fds = hpops.sample()[1]
    load.quiet.clear()
    return fds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / "build" / "hpops"))
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--sample", type=float, default=10, help="seconds between samples")
    args = parser.parse_args()

    slack = SlackApiStandIn(TOKEN)
    with tempfile.TemporaryDirectory() as work:
        hpops = Hpops(args.binary, slack.url, work)
        stop = threading.Event()
        load = Load(hpops, stop)
        start_rss, start_fds, _ = hpops.sample()
        workers = [threading.Thread(target=f, daemon=True)
                   for f in (load.commands, load.commands, load.alerts, load.slow_clients)]
        for w in workers:
            w.start()
        samples = []
        began = time.monotonic()
        end = began + args.minutes * 60
        rest_fds = None
        print(f"{'t (s)':>7} {'RSS MiB':>8} {'fds':>5} {'threads':>7} {'heap':>7} {'free':>7} {'sqlite':>7} "
              f"{'guard':>7}")
        print(f"{0:7.0f} {start_rss / 1024:8.1f} {start_fds:5d}")
        while time.monotonic() < end:
            time.sleep(min(args.sample, max(0.0, end - time.monotonic())))
            rss, fds, threads = hpops.sample()
            samples.append((time.monotonic() - began, rss, fds))
            heap, free, sqlite, guard = hpops.memory()
            print(f"{samples[-1][0]:7.0f} {rss / 1024:8.1f} {fds:5d} {threads:7d} {heap:7.1f} {free:7.1f} "
                  f"{sqlite:7.1f} {guard:7.1f}", flush=True)
            if rest_fds is None and samples[-1][0] >= min(60, args.minutes * 12):
                rest_fds = at_rest(load, hpops)  # after warm-up: every pool and file is open by now
                print(f"{'':7} descriptors at rest after warm-up: {rest_fds}", flush=True)
        end_fds = at_rest(load, hpops)
        stop.set()
        for w in workers:
            w.join(timeout=30)
        end_rss, _, _ = hpops.sample()
        hpops.stop()
        print("requests:", json.dumps(dict(sorted(load.counts.items()))))
        # Warm-up: the first fifth of the run, or in a run of 22 minutes or more
        # the replay guard's ring (5 min either side of now, plus one), which
        # keeps filling until then by design.
        warm_until = max(args.minutes * 60 / 5, 11 * 60 if args.minutes >= 22 else 0)
        warm_at = max(0, sum(1 for t, _, _ in samples if t <= warm_until) - 1)
        warm = samples[warm_at][1]
        peak_after = max(rss for _, rss, _ in samples[warm_at:])
        grew = peak_after - warm
        print(f"RSS: start {start_rss / 1024:.1f} MiB, after warm-up {warm / 1024:.1f} MiB, "
              f"peak after {peak_after / 1024:.1f} MiB, end {end_rss / 1024:.1f} MiB; "
              f"descriptors at rest: after warm-up {rest_fds}, at the end {end_fds}")
        flat = grew <= max(0.2 * warm, 16 * 1024)
        fds_back = rest_fds is not None and end_fds <= rest_fds
        print("verdict:", "flat memory" if flat else "MEMORY GREW", "/",
              "no fd growth" if fds_back else "FDS GREW")
        unexpected = {k: v for k, v in load.counts.items() if k.split()[1] not in ("200", "400", "401", "done")}
        if unexpected:
            print("unexpected answers:", unexpected)
        return 0 if flat and fds_back else 1


if __name__ == "__main__":
    sys.exit(main())
