#!/usr/bin/env python3
"""Writes N distinct, freshly signed Slack `/hp help` slash-command requests.

    make_requests.py --count 600000 --out /tmp/requests.txt [--secret S]
    make_requests.py --one            # one request to stdout, for a sample check

hpops refuses a request whose X-Slack-Signature it has already seen (409), so a
benchmark that replays one request measures the replay guard, not the command
path. Every line here differs in `trigger_id`, hence in body and signature.

Output: one request per line, "TIMESTAMP SIGNATURE BODY", read by
bench/signed_requests.lua. The form body is URL-encoded, so it holds no space
or newline and the line splits unambiguously.

The timestamp is taken once, at generation time: Slack (and hpops) accept a
request up to 300 s either side of the server clock, so the file must be used
within that window. bench/run.sh regenerates it right before each target.

Python 3 standard library only.
"""
import argparse
import hashlib
import hmac
import sys
import time
import urllib.parse

# Same local-only secret as deploy/examples/local.yaml and raw_hmac_server.
DEFAULT_SECRET = "local-dev-signing-secret"


# Everything but the trigger_id is the same in every request; encode it once,
# since URL-encoding each of 600k forms would dominate the generation time.
_FORM_PREFIX = urllib.parse.urlencode([
    ("token", "unused"),
    ("team_id", "T0BENCH"),
    ("team_domain", "bench"),
    ("channel_id", "C0BENCH"),
    ("channel_name", "bench"),
    ("user_id", "U0BENCH"),
    ("user_name", "bench"),
    ("command", "/hp"),
    ("text", "help"),
    # Port 9 (discard) on loopback: `help` answers inline, so nothing should
    # ever post here; if something did, it would fail fast.
    ("response_url", "http://127.0.0.1:9/unused"),
]) + "&trigger_id="  # trigger_id goes last; its value needs no escaping


def form_body(index: int) -> str:
    """A slash-command form like Slack's, made unique by its trigger_id."""
    return _FORM_PREFIX + f"bench.{index:09d}.0123456789abcdef"


def sign(secret: bytes, timestamp: str, body: str) -> str:
    """Slack v0: hex HMAC-SHA256 over "v0:{timestamp}:{body}"."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=600_000, help="number of distinct requests")
    parser.add_argument("--out", help="output file (default: stdout)")
    parser.add_argument("--secret", default=DEFAULT_SECRET, help="Slack signing secret")
    # Keeps two files made in the same second distinct (e.g. warm-up and run against one server).
    parser.add_argument("--start", type=int, default=0, help="first trigger_id index")
    parser.add_argument("--one", action="store_true", help="print one request line to stdout and exit")
    args = parser.parse_args()

    secret = args.secret.encode()
    timestamp = str(int(time.time()))

    if args.one:
        body = form_body(args.start)
        print(timestamp, sign(secret, timestamp, body), body)
        return 0

    out = open(args.out, "w", buffering=1 << 20) if args.out else sys.stdout
    # One HMAC object keyed once, copied per request: the key schedule is the
    # part of HMAC that would otherwise be repeated 600k times.
    keyed = hmac.new(secret, digestmod=hashlib.sha256)
    prefix = f"v0:{timestamp}:".encode()
    for index in range(args.start, args.start + args.count):
        body = form_body(index)
        mac = keyed.copy()
        mac.update(prefix + body.encode())
        out.write(f"{timestamp} v0={mac.hexdigest()} {body}\n")
    if out is not sys.stdout:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
