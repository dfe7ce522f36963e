#!/usr/bin/env python3
"""Sends one signed /hp command to a running hpops, as Slack would, and prints
the reply, including follow-ups posted to response_url (a local receiver).

    python3 scripts/slack-command.py nodegroups
    python3 scripts/slack-command.py "scale nodegroup spot-ng-with-hypd desired=2" --wait 30
    python3 scripts/slack-command.py status --json
    python3 scripts/slack-command.py "cluster launch demo az=us-west-2a,us-west-2b" --confirm --wait 60

Signs with SLACK_SIGNING_SECRET (default: the example config's), as the
example config's admin user in its ops channel. Returns once the exchange has
settled (the last message shows no work under way and asks for no Confirm it
is to press), or after --wait seconds. Standard library only.
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
    parser.add_argument("--confirm", action="store_true", help="press Confirm when hpops asks, as the same user")
    args = parser.parse_args()
    show = (lambda m: print(json.dumps(m, indent=2))) if args.json else (lambda m: print(text_of(m)))
    secret = os.environ.get("SLACK_SIGNING_SECRET", "local-dev-signing-secret").encode()
    pressed = threading.Event()
    settled = threading.Event()
    lock = threading.Lock()

    def settles(message):
        """Whether `message` ends the exchange: nothing under way in it (a
        job's progress and a late answer's placeholder carry the hourglass),
        and no Confirm button this run will press."""
        text = json.dumps(message)
        if ":hourglass_flowing_sand:" in text:
            return False
        return not (args.confirm and "hpops.confirm" in text)

    def shown(message):
        with lock:
            show(message)
            if settles(message):
                settled.set()

    def post_signed(path, body):
        timestamp = str(int(time.time()))
        signature = "v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(args.url + path, data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")

    def press_confirm(message, response_url):
        """Clicks the message's Confirm button, as Slack posts a block_actions payload."""
        for block in message.get("blocks", []):
            for element in block.get("elements", []):
                if element.get("action_id") == "hpops.confirm" and args.confirm and not pressed.is_set():
                    pressed.set()
                    print("\n--- pressing Confirm ---")
                    payload = {"type": "block_actions", "user": {"id": args.user, "username": "newcomer"},
                               "channel": {"id": args.channel}, "response_url": response_url, "trigger_id": "1",
                               "actions": [{"type": "button", "action_id": "hpops.confirm", "block_id": "b",
                                            "value": element["value"], "action_ts": str(time.time())}]}
                    threading.Thread(target=post_signed, daemon=True, args=(
                        "/slack/interactions", urllib.parse.urlencode({"payload": json.dumps(payload)}).encode())).start()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.end_headers()
            message = json.loads(body)
            with lock:
                print("\n--- follow-up ---")
            shown(message)
            press_confirm(message, response_url)

        def log_message(self, *a):
            pass

    receiver = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()

    response_url = f"http://127.0.0.1:{receiver.server_address[1]}/response"
    body = urllib.parse.urlencode({
        "command": "/hp", "text": args.text, "user_id": args.user, "user_name": "newcomer",
        "channel_id": args.channel, "team_id": "T0LOCAL", "trigger_id": str(time.time_ns()),
        "response_url": response_url}).encode()
    answer = post_signed("/slack/commands", body)
    shown(answer)
    press_confirm(answer, response_url)
    settled.wait(args.wait)


if __name__ == "__main__":
    main()
