#!/usr/bin/env python3
"""Sends one signed /hp command to a running hpops, as Slack would, and prints
the reply, including follow-ups posted to response_url (a local receiver).

    python3 scripts/slack-command.py nodegroups
    python3 scripts/slack-command.py "scale nodegroup spot-ng-with-hypd desired=2" --wait 30
    python3 scripts/slack-command.py status --json

Signs with SLACK_SIGNING_SECRET (default: the example config's), as the
example config's admin user in its ops channel. Standard library only.
"""
import argparse
import hashlib
import hmac
import json
import os
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer


def text_of(message):
    lines = []
    for block in message.get("blocks", []):
        kind = block.get("type")
        if kind == "header":
            lines += [block["text"]["text"], "=" * len(block["text"]["text"])]
        elif kind == "section":
            if "text" in block:
                lines.append(block["text"]["text"])
            for field in block.get("fields", []):
                lines.append(field["text"].replace("\n", " "))
        elif kind == "context":
            lines.append("  " + "  ".join(e.get("text", "") for e in block.get("elements", [])))
        elif kind == "actions":
            lines.append("  " + "  ".join(f"[{e['text']['text']}]" for e in block.get("elements", [])))
        elif kind == "divider":
            lines.append("-" * 40)
    return "\n".join(lines) if lines else message.get("text", "")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("text", help="the command text after /hp")
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--user", default="U0LOCALADMIN")
    parser.add_argument("--channel", default="C0GPUOPS")
    parser.add_argument("--wait", type=float, default=5.0, help="seconds to wait for follow-ups")
    parser.add_argument("--json", action="store_true", help="print Block Kit JSON instead of text")
    args = parser.parse_args()
    show = (lambda m: print(json.dumps(m, indent=2))) if args.json else (lambda m: print(text_of(m)))

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.end_headers()
            print("\n--- follow-up ---")
            show(json.loads(body))

        def log_message(self, *a):
            pass

    receiver = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()

    body = urllib.parse.urlencode({
        "command": "/hp", "text": args.text, "user_id": args.user, "user_name": "newcomer",
        "channel_id": args.channel, "team_id": "T0LOCAL", "trigger_id": str(time.time_ns()),
        "response_url": f"http://127.0.0.1:{receiver.server_address[1]}/response"}).encode()
    secret = os.environ.get("SLACK_SIGNING_SECRET", "local-dev-signing-secret").encode()
    timestamp = str(int(time.time()))
    signature = "v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(args.url + "/slack/commands", data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature})
    with urllib.request.urlopen(request, timeout=10) as response:
        show(json.loads(response.read()))
    time.sleep(args.wait)


if __name__ == "__main__":
    main()
