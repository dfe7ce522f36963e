"""Toxiproxy (github.com/Shopify/toxiproxy, built by scripts/build-go-peer.sh)
as the fault tests' TCP proxy: one server per test module on loopback, one
proxy per peer, toxics added and removed through its HTTP API.

    toxi, stop = start_toxiproxy()
    url = toxi.proxy("moto", "127.0.0.1:5000")      # "127.0.0.1:PORT" to point hpops at
    with toxi.toxic("moto", "timeout", timeout=0):   # a stall: bytes vanish, nothing closes
        ...
    toxi.reset()                                     # every proxy enabled, no toxics
    stop()

The toxics used (toxiproxy's README): latency {latency, jitter} ms;
timeout {timeout} ms (0 holds the connection and drops its data); reset_peer
{timeout} ms (TCP RST after it); limit_data {bytes} (close after that many);
bandwidth {rate} KB/s; slicer; slow_close. `down` disables the proxy: the
port refuses connections.
"""
from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Iterator

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import peer_process  # noqa: E402


def binary() -> str:
    """Where scripts/build-go-peer.sh caches the server."""
    if os.environ.get("HPOPS_TOXIPROXY_PEER_DIR"):
        return os.path.join(os.environ["HPOPS_TOXIPROXY_PEER_DIR"], "toxiproxy-server")
    version = "unknown"
    with open(os.path.join(HERE, "toxiproxy", "go.mod")) as f:
        for line in f:
            parts = line.split()
            if "github.com/Shopify/toxiproxy/v2" in parts:
                version = parts[-1]
                break
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(cache, "hpops", "toxiproxy-peer", version, "toxiproxy-server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Toxiproxy:
    def __init__(self, api: str):
        self.api = api

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.api + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                text = r.read()
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"toxiproxy {method} {path}: {e.code} {e.read().decode()}") from None
        return json.loads(text) if text else None

    def proxy(self, name: str, upstream: str) -> str:
        """A new proxy to `upstream` ("host:port"); returns its "127.0.0.1:PORT"."""
        listen = f"127.0.0.1:{_free_port()}"
        self._call("POST", "/proxies", {"name": name, "listen": listen, "upstream": upstream, "enabled": True})
        return listen

    def add(self, proxy: str, kind: str, stream: str = "downstream", toxicity: float = 1.0, **attributes: Any) -> str:
        name = f"{kind}_{stream}"
        self._call("POST", f"/proxies/{proxy}/toxics",
                   {"name": name, "type": kind, "stream": stream, "toxicity": toxicity, "attributes": attributes})
        return name

    def remove(self, proxy: str, toxic: str) -> None:
        self._call("DELETE", f"/proxies/{proxy}/toxics/{toxic}")

    def enable(self, proxy: str, enabled: bool) -> None:
        """enabled=False is Toxiproxy's `down`: the listener closes, connections are refused."""
        self._call("POST", f"/proxies/{proxy}", {"enabled": enabled})

    @contextlib.contextmanager
    def toxic(self, proxy: str, kind: str, stream: str = "downstream", **attributes: Any) -> Iterator[None]:
        name = self.add(proxy, kind, stream, **attributes)
        try:
            yield
        finally:
            self.remove(proxy, name)

    def reset(self) -> None:
        self._call("POST", "/reset")


def start_toxiproxy(timeout: float = 10.0) -> tuple[Toxiproxy, Callable[[], None]]:
    path = binary()
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"no toxiproxy-server at {path}: run scripts/build-go-peer.sh toxiproxy")
    port = _free_port()
    proc = subprocess.Popen([path, "-host", "127.0.0.1", "-port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    toxi = Toxiproxy(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(toxi.api + "/version", timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("toxiproxy-server did not start") from None
            time.sleep(0.05)

    return toxi, lambda: peer_process.terminate(proc, 5)
