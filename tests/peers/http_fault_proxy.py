"""An HTTP reverse proxy on loopback that answers a scripted number of requests
with a fault, then forwards the rest unchanged to a real peer.

Toxiproxy (toxiproxy_peer.py) is the tests' network fault injector, but it
works on TCP: a toxic hits every connection while it is present, and it cannot
speak HTTP. The faults that need a count ("the next two requests get 503, the
third goes through") or an HTTP answer (429 with Retry-After, a response cut
after its headers) are scripted here, in front of the same real peers.

    proxy = HttpFaultProxy("http://127.0.0.1:5000")          # or https:// (tls=)
    proxy.script(Fault.status(503), Fault.status(503))        # then forward
    proxy.script(Fault.cut_body(after=10))                    # forward, cut the answer
    proxy.script(Fault.reset_after_forward())                 # peer changes, client sees RST
    proxy.requests                                            # what arrived, in order

A fault applies to the next request that matches its `when` (a substring of
"METHOD /path?query target", where target is X-Amz-Target); others forward.
"""
from __future__ import annotations

import http.client
import socket
import ssl
import struct
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded; Content-Length is set anew.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "content-length"}


@dataclass
class Fault:
    kind: str                    # "status", "cut_body", "reset_after_forward", "reset", "hold"
    status: int = 0
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    after: int = 0               # cut_body: body bytes sent before the reset
    seconds: float = 0.0         # hold: how long the request sits unanswered
    when: str = ""               # applies to the next request whose line contains this

    @staticmethod
    def status(code: int, retry_after: int | None = None, body: bytes = b"", when: str = "",
               headers: dict | None = None) -> "Fault":
        h = dict(headers or {})
        if retry_after is not None:
            h["Retry-After"] = str(retry_after)
        return Fault("status", status=code, headers=h, body=body, when=when)

    @staticmethod
    def cut_body(after: int = 0, when: str = "") -> "Fault":
        """Forward; send the peer's status line, headers and `after` body bytes; reset."""
        return Fault("cut_body", after=after, when=when)

    @staticmethod
    def reset_after_forward(when: str = "") -> "Fault":
        """Forward (the peer acts on it), then reset before any byte of the answer."""
        return Fault("reset_after_forward", when=when)

    @staticmethod
    def hold(seconds: float, when: str = "") -> "Fault":
        """A stall on one request: no answer for `seconds`, then a reset; the
        peer never sees it (Toxiproxy's timeout toxic does this to every
        connection while it is present)."""
        return Fault("hold", seconds=seconds, when=when)

    @staticmethod
    def reset(when: str = "") -> "Fault":
        """Reset without forwarding: the peer never sees the request."""
        return Fault("reset", when=when)


def _abort(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0), as a crashed peer or a middlebox would."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass


class HttpFaultProxy:
    def __init__(self, upstream: str, tls: tuple[str, str] | None = None, upstream_ca: str | None = None):
        """upstream: the peer's base URL. tls: (cert, key) to serve HTTPS with
        (the peer's own serving pair keeps clients' trust unchanged)."""
        self.upstream = urllib.parse.urlsplit(upstream)
        self.upstream_ssl = None
        if self.upstream.scheme == "https":
            self.upstream_ssl = ssl.create_default_context(cafile=upstream_ca) if upstream_ca \
                else ssl._create_unverified_context()
        self.faults: list[Fault] = []
        self.requests: list[str] = []       # "METHOD /path target" per request, in arrival order
        self.answers: list[str] = []        # what each got: a status, "cut", "reset"
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self):
                proxy._handle(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _any

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        scheme = "http"
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def script(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def count(self, needle: str = "") -> int:
        with self.lock:
            return sum(1 for r in self.requests if needle in r)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _take(self, line: str) -> Fault | None:
        with self.lock:
            self.requests.append(line)
            for i, fault in enumerate(self.faults):
                if fault.when in line:
                    return self.faults.pop(i)
            return None

    def _forward(self, h: BaseHTTPRequestHandler, body: bytes) -> http.client.HTTPResponse:
        host, port = self.upstream.hostname, self.upstream.port
        conn = http.client.HTTPSConnection(host, port, context=self.upstream_ssl, timeout=30) \
            if self.upstream_ssl else http.client.HTTPConnection(host, port, timeout=30)
        headers = {k: v for k, v in h.headers.items() if k.lower() not in HOP_BY_HOP}
        conn.request(h.command, h.path, body=body if body or h.command in ("POST", "PUT", "PATCH") else None,
                     headers=headers)
        return conn.getresponse()

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        line = f"{h.command} {h.path} {h.headers.get('X-Amz-Target', '')}".rstrip()
        fault = self._take(line)
        if fault and fault.kind == "hold":
            time.sleep(fault.seconds)
        if fault and fault.kind in ("reset", "hold"):
            self._record(fault.kind)
            _abort(h.connection)
            h.close_connection = True
            return
        if fault and fault.kind == "status":
            self._record(str(fault.status))
            h.send_response(fault.status)
            for k, v in fault.headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(fault.body)))
            h.end_headers()
            h.wfile.write(fault.body)
            return
        response = self._forward(h, body)
        answer = response.read()
        if fault and fault.kind == "reset_after_forward":
            self._record("reset")
            _abort(h.connection)
            h.close_connection = True
            return
        h.send_response(response.status)
        for k, v in response.getheaders():
            if k.lower() not in HOP_BY_HOP:
                h.send_header(k, v)
        h.send_header("Content-Length", str(len(answer)))
        h.end_headers()
        if fault and fault.kind == "cut_body":
            self._record("cut")
            h.wfile.write(answer[:fault.after])
            h.wfile.flush()
            _abort(h.connection)
            h.close_connection = True
            return
        self._record(str(response.status))
        h.wfile.write(answer)

    def _record(self, what: str) -> None:
        with self.lock:
            self.answers.append(what)
