"""Debian's prometheus-alertmanager on loopback, with a webhook receiver that
points at hpops, for the alert tests. Alerts go in through its v2 API, as
Prometheus sends them."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone

BINARY = os.environ.get("HPOPS_ALERTMANAGER", shutil.which("prometheus-alertmanager") or
                        "/usr/bin/prometheus-alertmanager")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config_yaml(webhook_url: str, token: str) -> str:
    # group_wait and group_interval small so a test sees notifications within
    # seconds; send_resolved so resolutions reach hpops.
    return f"""route:
  receiver: hpops
  group_by: [alertname]
  group_wait: 200ms
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hpops
    webhook_configs:
      - url: {webhook_url}
        send_resolved: true
        max_alerts: 0
        http_config:
          authorization:
            type: Bearer
            credentials: {token}
"""


class Alertmanager:
    def __init__(self, webhook_url: str, token: str):
        if not os.path.exists(BINARY):
            raise RuntimeError(f"{BINARY} not found: install the prometheus-alertmanager package (scripts/bootstrap.sh)")
        self.dir = tempfile.TemporaryDirectory()
        config = os.path.join(self.dir.name, "alertmanager.yml")
        with open(config, "w") as f:
            f.write(config_yaml(webhook_url, token))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.dir.name, "alertmanager.log"), "w+")
        self.proc = subprocess.Popen(
            [BINARY, f"--config.file={config}", f"--storage.path={self.dir.name}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--cluster.listen-address=", "--log.level=debug"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(self.url + "/-/ready", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("alertmanager did not start: " + self.logs())
            time.sleep(0.1)

    def logs(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def push(self, alerts: list[dict]) -> None:
        """POST /api/v2/alerts, as Prometheus does."""
        req = urllib.request.Request(self.url + "/api/v2/alerts", data=json.dumps(alerts).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=5) as r:
            assert r.status == 200, r.status

    def alerts(self) -> list[dict]:
        with urllib.request.urlopen(self.url + "/api/v2/alerts", timeout=5) as r:
            return json.loads(r.read())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        self.dir.cleanup()


def rfc3339(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def alert(name: str, labels: dict, summary: str, resolved: bool = False, started: datetime | None = None) -> dict:
    now = datetime.now(timezone.utc)
    started = started or now - timedelta(minutes=5)
    body = {"labels": {"alertname": name, **labels}, "annotations": {"summary": summary},
            "startsAt": rfc3339(started), "generatorURL": "http://prometheus.example/graph"}
    # A past endsAt resolves the alert; a future one keeps it firing.
    body["endsAt"] = rfc3339(now - timedelta(seconds=1) if resolved else now + timedelta(hours=1))
    return body
