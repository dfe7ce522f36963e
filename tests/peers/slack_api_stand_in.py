"""A stand-in for Slack's Web API on loopback: chat.postMessage, chat.update,
and the two reads hpops makes after a post whose answer was lost,
conversations.history and conversations.replies.

Slack's servers cannot run here, so this answers as Slack documents: HTTP 200
with {"ok": true, "channel", "ts", "message"} or {"ok": false, "error"}. It
checks the bearer token and the content type (JSON for the chat methods; form
or query for the reads), refuses payloads that break Block Kit's rules
(invalid_blocks) or message metadata's (invalid_metadata) so a renderer bug
fails the test, and returns a message's metadata only when the read asks with
include_all_metadata. Tests can script 429s (with Retry-After) and ok:false
errors, withhold the history scopes (missing_scope), and read every call it
recorded, with the time it arrived."""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

KNOWN_BLOCKS = {"section", "header", "context", "actions", "divider", "image", "rich_text", "input", "file", "video"}
INTERACTIVE = {"button", "checkboxes", "datepicker", "datetimepicker", "overflow", "radio_buttons", "timepicker",
               "static_select", "external_select", "users_select", "conversations_select", "channels_select",
               "multi_static_select", "multi_external_select", "multi_users_select", "multi_conversations_select",
               "multi_channels_select", "workflow_button"}


def _text_object(t, where, limit, plain_only=False):
    if not isinstance(t, dict):
        return [f"{where}: text object must be an object"]
    problems = []
    kind = t.get("type")
    if kind not in ("plain_text", "mrkdwn"):
        problems.append(f"{where}: text type must be plain_text or mrkdwn")
    if plain_only and kind != "plain_text":
        problems.append(f"{where}: must be plain_text")
    text = t.get("text")
    if not isinstance(text, str) or not text:
        problems.append(f"{where}.text: must be a non-empty string")
    elif len(text) > limit:
        problems.append(f"{where}.text: {len(text)} characters, limit {limit}")
    return problems


def metadata_problems(metadata) -> list[str]:
    """Message metadata as Slack's reference describes it: an alphanumeric
    event_type and a free-form event_payload object."""
    if not isinstance(metadata, dict):
        return ["metadata: not an object"]
    problems = []
    if not isinstance(metadata.get("event_type"), str) or not re.fullmatch(r"[A-Za-z0-9_]{1,255}",
                                                                           metadata["event_type"]):
        problems.append("metadata.event_type: missing or not alphanumeric")
    if not isinstance(metadata.get("event_payload"), dict):
        problems.append("metadata.event_payload: missing or not an object")
    return problems


def block_kit_problems(message: dict) -> list[str]:
    """Slack's published limits for a message's blocks; empty when valid."""
    problems = []
    text = message.get("text")
    blocks = message.get("blocks")
    if text is None and blocks is None:
        return ["message needs text or blocks"]
    if text is not None and (not isinstance(text, str) or len(text) > 40000):
        problems.append("text: must be a string of at most 40000 characters")
    if blocks is None:
        return problems
    if not isinstance(blocks, list):
        return problems + ["blocks: must be an array"]
    if len(blocks) > 50:
        problems.append(f"blocks: {len(blocks)} blocks, limit 50")
    for i, b in enumerate(blocks):
        at = f"blocks[{i}]"
        kind = b.get("type") if isinstance(b, dict) else None
        if kind not in KNOWN_BLOCKS:
            problems.append(f"{at}: unknown block type {kind!r}")
            continue
        if kind == "section":
            if "text" not in b and "fields" not in b:
                problems.append(f"{at}: section needs text or fields")
            if "text" in b:
                problems += _text_object(b["text"], at + ".text", 3000)
            fields = b.get("fields")
            if fields is not None:
                if not isinstance(fields, list) or not fields or len(fields) > 10:
                    problems.append(f"{at}.fields: 1..10 items")
                else:
                    for j, f in enumerate(fields):
                        problems += _text_object(f, f"{at}.fields[{j}]", 2000)
        elif kind == "header":
            problems += _text_object(b.get("text"), at + ".text", 150, plain_only=True)
        elif kind == "context":
            elements = b.get("elements")
            if not isinstance(elements, list) or not elements or len(elements) > 10:
                problems.append(f"{at}.elements: 1..10 items")
            else:
                for j, e in enumerate(elements):
                    problems += _text_object(e, f"{at}.elements[{j}]", 3000)
        elif kind == "actions":
            elements = b.get("elements")
            if not isinstance(elements, list) or not elements or len(elements) > 25:
                problems.append(f"{at}.elements: 1..25 items")
                continue
            for j, e in enumerate(elements):
                ea = f"{at}.elements[{j}]"
                if e.get("type") not in INTERACTIVE:
                    problems.append(f"{ea}: unknown element type {e.get('type')!r}")
                if e.get("type") == "button":
                    problems += _text_object(e.get("text"), ea + ".text", 75, plain_only=True)
                    if len(e.get("value", "")) > 2000:
                        problems.append(f"{ea}.value: over 2000 characters")
                    if len(e.get("action_id", "")) > 255:
                        problems.append(f"{ea}.action_id: over 255 characters")
    return problems


class SlackApiStandIn:
    """Start with SlackApiStandIn(token); .url is the API base (ends in /api/)."""

    def __init__(self, token: str):
        self.token = token
        self.calls: list[dict] = []      # every call, accepted or not, in arrival order
        self.messages: dict[tuple, dict] = {}  # (channel id, ts) -> latest message body
        self.script: list[tuple] = []    # answers to give first: (http status, retry_after|None, error|None)
        self.channel_ids: dict[str, str] = {}
        self.history_scopes = True       # False: reads answer missing_scope, as for a bot without them
        self.cond = threading.Condition()
        self._ts = 0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                self.do_POST()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, headers, answer = stand_in._answer(self.path, dict(self.headers), body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def channel_id(self, channel: str) -> str:
        """Slack answers with channel ids; names (#alerts) get a stable made-up one."""
        if not channel.startswith("#"):
            return channel
        return self.channel_ids.setdefault(channel, "C" + format(abs(hash(channel)) % 10**9, "09d"))

    def _answer(self, path, headers, body):
        path, _, query = path.partition("?")
        if query:
            headers = dict(headers, **{"X-Query": query})
        method = path.rsplit("/", 1)[-1]
        call = {"method": method, "time": time.monotonic(), "headers": headers, "ok": False}
        with self.cond:
            self.calls.append(call)
            try:
                return self._decide(method, headers, body, call)
            finally:
                self.cond.notify_all()

    def _decide(self, method, headers, body, call):
        if headers.get("Authorization") != f"Bearer {self.token}":
            call["error"] = "invalid_auth"
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        reading = method in ("conversations.history", "conversations.replies")
        content_type = headers.get("Content-Type", "")
        if reading and (content_type.startswith("application/x-www-form-urlencoded") or "X-Query" in headers):
            payload = dict(parse_qsl(body.decode() or headers.get("X-Query", ""), keep_blank_values=True))
        elif content_type.startswith("application/json"):
            try:
                payload = json.loads(body)
            except ValueError:
                call["error"] = "invalid_json"
                return 200, {}, {"ok": False, "error": "invalid_json"}
        else:
            call["error"] = "invalid_form_data"
            return 200, {}, {"ok": False, "error": "invalid_form_data"}
        call["json"] = payload
        if self.script:
            status, retry_after, error = self.script.pop(0)
            call["error"] = error or f"http_{status}"
            if status == 429:
                return 429, {"Retry-After": str(retry_after or 1)}, {"ok": False, "error": "ratelimited"}
            return status, {}, {"ok": False, "error": error}
        if reading:
            return self._read(method, payload, call)
        if method not in ("chat.postMessage", "chat.update"):
            call["error"] = "unknown_method"
            return 404, {}, {"ok": False, "error": "unknown_method"}
        channel = payload.get("channel")
        if not isinstance(channel, str) or not channel:
            call["error"] = "channel_not_found"
            return 200, {}, {"ok": False, "error": "channel_not_found"}
        problems = block_kit_problems(payload)
        if problems:
            call["error"] = "invalid_blocks"
            call["problems"] = problems
            return 200, {}, {"ok": False, "error": "invalid_blocks",
                             "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]}}
        if "metadata" in payload and metadata_problems(payload["metadata"]):
            call["error"] = "invalid_metadata"
            call["problems"] = metadata_problems(payload["metadata"])
            return 200, {}, {"ok": False, "error": "invalid_metadata"}
        cid = self.channel_id(channel)
        if method == "chat.postMessage":
            self._ts += 1
            ts = f"{int(time.time())}.{self._ts:06d}"
        else:
            ts = payload.get("ts", "")
            if (cid, ts) not in self.messages:
                call["error"] = "message_not_found"
                return 200, {}, {"ok": False, "error": "message_not_found"}
            # chat.update keeps the metadata and thread a message was posted with.
            kept = self.messages[(cid, ts)]
            payload = dict(payload, **{k: kept[k] for k in ("metadata", "thread_ts") if k in kept and k not in payload})
        self.messages[(cid, ts)] = payload
        call.update(ok=True, channel=cid, ts=ts)
        return 200, {}, {"ok": True, "channel": cid, "ts": ts, "message": {"text": payload.get("text", "")}}

    def _read(self, method, args, call):
        """conversations.history (a channel's top-level messages, newest first)
        and conversations.replies (a thread, oldest first), one page of `limit`
        with a cursor, messages since `oldest`."""
        if not self.history_scopes:
            call["error"] = "missing_scope"
            return 200, {}, {"ok": False, "error": "missing_scope", "needed": "channels:history",
                             "provided": "chat:write"}
        cid = args.get("channel", "")
        if not re.fullmatch(r"[CGD][A-Z0-9]+", cid) or cid not in {c for c, _ in self.messages}:
            call["error"] = "channel_not_found"
            return 200, {}, {"ok": False, "error": "channel_not_found"}
        try:
            limit = int(args.get("limit", "100"))
            oldest = float(args.get("oldest", "0"))
            start = int(args.get("cursor") or 0)
        except ValueError:
            call["error"] = "invalid_arguments"
            return 200, {}, {"ok": False, "error": "invalid_arguments"}
        if not 1 <= limit <= 999:
            call["error"] = "invalid_limit"
            return 200, {}, {"ok": False, "error": "invalid_limit"}
        with_metadata = args.get("include_all_metadata") in ("true", "1")
        found = [(ts, m) for (c, ts), m in self.messages.items() if c == cid and float(ts) >= oldest]
        if method == "conversations.replies":
            parent = args.get("ts", "")
            if (cid, parent) not in self.messages:
                call["error"] = "thread_not_found"
                return 200, {}, {"ok": False, "error": "thread_not_found"}
            found = sorted((x for x in found if x[0] == parent or x[1].get("thread_ts") == parent),
                           key=lambda x: float(x[0]))
        else:
            found = sorted((x for x in found if x[1].get("thread_ts") in (None, x[0])), key=lambda x: -float(x[0]))
        page = found[start:start + limit]
        messages = []
        for ts, m in page:
            out = {"type": "message", "ts": ts, "text": m.get("text", ""), "bot_id": "B0HPOPS"}
            if with_metadata and "metadata" in m:
                out["metadata"] = m["metadata"]
            messages.append(out)
        more = start + limit < len(found)
        call.update(ok=True, channel=cid)
        return 200, {}, {"ok": True, "messages": messages, "has_more": more,
                         "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def ok_calls(self, method=None):
        with self.cond:
            return [c for c in self.calls if c["ok"] and (method is None or c["method"] == method)]

    def wait_for(self, predicate, timeout=15.0, what="calls"):
        """Waits until predicate(list of ok calls) is true; returns those calls."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                ok = [c for c in self.calls if c["ok"]]
                if predicate(ok):
                    return ok
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what}; calls: " +
                                         json.dumps([{k: c.get(k) for k in ('method', 'ok', 'error', 'problems')}
                                                     for c in self.calls])[:3000])
                self.cond.wait(left)

    def close(self):
        self.server.shutdown()
