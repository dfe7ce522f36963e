"""The HTTP layer under requests that arrive whole, in pieces, or several at
once: hpops parses what is already buffered in place and reads the socket
only for what is missing, so each of these takes a different path."""
import json
import socket
import time
import urllib.parse

from conftest import CHANNEL, VIEWER


def signed_help(bot, trigger):
    body = urllib.parse.urlencode({"user_id": VIEWER, "channel_id": CHANNEL, "command": "/hp", "text": "help",
                                   "response_url": "http://127.0.0.1:9/none", "trigger_id": trigger}).encode()
    ts = str(int(time.time()))
    signature = bot.signer.generate_signature(timestamp=ts, body=body)
    head = ("POST /slack/commands HTTP/1.1\r\nHost: hpops\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: {signature}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    return head + body


def read_responses(sock, count, timeout=5.0):
    """Reads `count` HTTP/1.1 responses with Content-Length bodies; returns (status, body) pairs."""
    sock.settimeout(timeout)
    data, out = b"", []
    while len(out) < count:
        end = data.find(b"\r\n\r\n")
        if end >= 0:
            head = data[:end].decode()
            length = next(int(line.split(":", 1)[1]) for line in head.split("\r\n")
                          if line.lower().startswith("content-length:"))
            if len(data) >= end + 4 + length:
                out.append((int(head.split(" ", 2)[1]), data[end + 4:end + 4 + length]))
                data = data[end + 4 + length:]
                continue
        chunk = sock.recv(65536)
        assert chunk, f"connection closed after {len(out)} of {count} responses"
        data += chunk
    return out


def test_pipelined_requests_in_one_write_are_each_answered_in_order(bot):
    with socket.create_connection(("127.0.0.1", bot.port)) as s:
        s.sendall(signed_help(bot, "p1") + signed_help(bot, "p2") + signed_help(bot, "p3"))
        answers = read_responses(s, 3)
    assert [status for status, _ in answers] == [200, 200, 200]
    for _, body in answers:
        assert "hpops commands" in json.loads(body)["text"]


def test_a_request_sent_a_few_bytes_at_a_time_is_answered(bot):
    request = signed_help(bot, "slow-pieces")
    with socket.create_connection(("127.0.0.1", bot.port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for at in range(0, len(request), 97):  # splits the header and the body mid-line
            s.sendall(request[at:at + 97])
            time.sleep(0.002)
        [(status, body)] = read_responses(s, 1)
    assert status == 200 and "hpops commands" in json.loads(body)["text"]


def test_a_body_that_follows_its_header_later_is_answered(bot):
    request = signed_help(bot, "late-body")
    split = request.find(b"\r\n\r\n") + 4
    with socket.create_connection(("127.0.0.1", bot.port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(request[:split])
        time.sleep(0.1)
        s.sendall(request[split:])
        [(status, body)] = read_responses(s, 1)
    assert status == 200 and "hpops commands" in json.loads(body)["text"]


def test_a_bad_request_after_a_good_one_on_the_same_connection_gets_400(bot):
    with socket.create_connection(("127.0.0.1", bot.port)) as s:
        s.sendall(signed_help(bot, "good-first") + b"NOT HTTP AT ALL\r\n\r\n")
        answers = read_responses(s, 2)
    assert answers[0][0] == 200
    assert answers[1][0] == 400 and b"malformed HTTP request" in answers[1][1]


def test_an_oversized_body_already_in_the_buffer_gets_413(bot):
    body = b"text=" + b"a" * (1024 * 1024 + 10)
    head = (f"POST /slack/commands HTTP/1.1\r\nHost: hpops\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", bot.port)) as s:
        s.sendall(head + body[:1000])  # the limit is known from the header, before the body arrives
        [(status, reason)] = read_responses(s, 1)
    assert status == 413 and b"larger than 1048576 bytes" in reason


def test_an_oversized_header_gets_431(bot):
    head = b"GET /healthz HTTP/1.1\r\nHost: hpops\r\nX-Filler: " + b"f" * (20 * 1024) + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", bot.port)) as s:
        s.sendall(head)
        [(status, _)] = read_responses(s, 1)
    assert status == 431
