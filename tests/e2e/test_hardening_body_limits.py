"""Finding 6 (part): /alerts/sns read bodies up to the 16 MiB webhook limit
before any check, though an SNS message is at most 256 KB. It now has its own
limit, 300 KiB, checked against Content-Length before the body is read."""
import socket


def answer_to_head(bot, path, length, body=b""):
    """Sends a request's head (and `body`, possibly short of `length`); returns the status hpops answers."""
    with socket.create_connection(("127.0.0.1", bot.port)) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: hpops\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                  f"Content-Length: {length}\r\n\r\n".encode() + body)
        s.settimeout(5)
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            assert chunk, "connection closed without an answer"
            data += chunk
        return int(data.split(b" ", 2)[1])


def test_an_sns_body_over_300_kib_is_refused_before_it_is_read(bot):
    # Only the head is sent: the old limit (16 MiB) waited for the body until the header timeout (408).
    assert answer_to_head(bot, "/alerts/sns", 301 * 1024) == 413
    assert answer_to_head(bot, "/alerts/sns?from=test", 301 * 1024) == 413


def test_an_sns_sized_body_is_still_read(bot):
    length = 256 * 1024 + 8 * 1024  # the largest message and its envelope
    assert answer_to_head(bot, "/alerts/sns", length, b"x" * length) != 413


def test_other_alert_webhooks_keep_the_webhook_limit(bot):
    length = 2 * 1024 * 1024
    assert answer_to_head(bot, "/alerts/alertmanager", length, b"x" * length) != 413
