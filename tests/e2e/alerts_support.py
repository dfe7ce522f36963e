"""Shared pieces of the alert tests: the hpops config section, payload
builders, and a bot wired to the Slack Web API stand-in."""
import base64
import json
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "peers"))
from slack_api_stand_in import SlackApiStandIn  # noqa: E402,F401

BOT_TOKEN = "xoxb-e2e-0000-alerts"
AM_TOKEN = "am-bearer-token-for-e2e"
AM_USER, AM_PASSWORD = "alertmanager", "basic-password-e2e"
GRAFANA_SECRET = "grafana-hmac-secret-for-e2e"
DEFAULT_CHANNEL, GPU_CHANNEL, CRIT_CHANNEL = "C0ALERTS", "C0GPU", "#critical"


def alerts_yaml(api_url, max_new=5, window="10m", post_interval="50ms", queue_limit=64, extra="",
                grafana_timestamp_header=None):
    ts_header = f"\n    timestamp_header: {grafana_timestamp_header}" if grafana_timestamp_header else ""
    return f"""alerts:
  default_channel: {DEFAULT_CHANNEL}
  routes:
    - match: {{severity: critical}}
      channel: "{CRIT_CHANNEL}"
    - match_re: {{nodegroup: "gpu-.*"}}
      channel: {GPU_CHANNEL}
  alertmanager:
    bearer_token: ${{E2E_AM_TOKEN}}
    username: {AM_USER}
    password: ${{E2E_AM_PASSWORD}}
  grafana:
    secret: ${{E2E_GRAFANA_SECRET}}{ts_header}
  flood: {{max_new: {max_new}, window: {window}}}
  post_interval: {post_interval}
  queue_limit: {queue_limit}
{extra}"""


def alerts_env(api_url):
    return {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": api_url, "E2E_AM_TOKEN": AM_TOKEN,
            "E2E_AM_PASSWORD": AM_PASSWORD, "E2E_GRAFANA_SECRET": GRAFANA_SECRET}


def am_alert(fingerprint, status="firing", name="GPUHot", starts="2026-11-23T10:00:00Z",
             ends="0001-01-01T00:00:00Z", **labels):
    labels = {"alertname": name, **labels}
    return {"status": status, "labels": labels,
            "annotations": {"summary": f"{name} on {labels.get('instance', 'node-1')}",
                            "runbook_url": "https://runbooks.example/gpu"},
            "startsAt": starts, "endsAt": ends, "generatorURL": "http://prometheus.example/graph?g0.expr=up",
            "fingerprint": fingerprint}


def am_payload(alerts, status=None, group_key="{}:{alertname=\"GPUHot\"}", version="4"):
    status = status or ("firing" if any(a["status"] == "firing" for a in alerts) else "resolved")
    return {"version": version, "groupKey": group_key, "truncatedAlerts": 0, "status": status,
            "receiver": "hpops", "groupLabels": {}, "commonLabels": {}, "commonAnnotations": {},
            "externalURL": "http://alertmanager.example", "alerts": alerts}


def bearer(token=AM_TOKEN):
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def basic(user=AM_USER, password=AM_PASSWORD):
    raw = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}", "Content-Type": "application/json"}


def post_json(bot, path, payload, headers, timeout=10):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return bot.post(path, body, headers=headers, sign=False, timeout=timeout)


def command_text(bot, text, user="UVIEW01"):
    """Runs a slash command and returns the inline answer's text."""
    status, body = bot.command(text, user=user)
    assert status == 200, body
    return body


def message_text(message):
    """All text of a chat.postMessage/chat.update body, for assertions."""
    parts = [message.get("text", "")]
    for b in message.get("blocks", []):
        for key in ("text",):
            if isinstance(b.get(key), dict):
                parts.append(b[key].get("text", ""))
        for f in b.get("fields", []) or []:
            parts.append(f.get("text", ""))
        for e in b.get("elements", []) or []:
            if isinstance(e, dict) and "text" in e:
                parts.append(e["text"] if isinstance(e["text"], str) else e["text"].get("text", ""))
    return "\n".join(parts)


def get(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.read().decode()
