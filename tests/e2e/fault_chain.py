"""What the fault tests share: a chain in front of each real peer, and the fault
table they fill in as they run.

    hpops -> Toxiproxy (TCP: latency, stalls, resets, down) -> HttpFaultProxy
          (HTTP: counted 5xx/429 bursts, answers cut mid-body) -> the real peer

Both ends are real: hpops speaks to the chain as it would to the peer, and the
peer sees what got through. The HttpFaultProxy also counts the requests that
reached it, which is how the tests see hpops's retries.

Each test records a row (backend, fault, what chat showed, attempts, outcome);
at the end of the session the rows are written as a Markdown table to
$HPOPS_FAULT_TABLE (default: a file in $TMPDIR, named on stdout), for the
release note."""
from __future__ import annotations

import atexit
import contextlib
import os
import tempfile
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "peers"))
from http_fault_proxy import Fault, HttpFaultProxy  # noqa: E402,F401
from toxiproxy_peer import Toxiproxy, start_toxiproxy  # noqa: E402


@pytest.fixture(scope="module")
def toxi():
    """One Toxiproxy server per test module; each test makes its own proxy."""
    toxi, stop = start_toxiproxy()
    yield toxi
    stop()


class FaultChain:
    def __init__(self, toxi: Toxiproxy, name: str, upstream: str, tls: tuple[str, str] | None = None,
                 upstream_ca: str | None = None):
        self.toxi = toxi
        self.name = name
        self.http = HttpFaultProxy(upstream, tls=tls, upstream_ca=upstream_ca)
        listen = toxi.proxy(name, urllib.parse.urlsplit(self.http.url).netloc)
        self.url = f"{urllib.parse.urlsplit(self.http.url).scheme}://{listen}"

    def script(self, *faults: Fault) -> None:
        self.http.script(*faults)

    def count(self, needle: str = "") -> int:
        return self.http.count(needle)

    def toxic(self, kind: str, stream: str = "downstream", **attributes):
        return self.toxi.toxic(self.name, kind, stream, **attributes)

    def wait_for_requests(self, needle: str, count: int, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while self.count(needle) < count:
            assert time.monotonic() < deadline, f"{self.name}: {self.count(needle)} requests with {needle!r}"
            time.sleep(0.05)

    def close(self) -> None:
        self.http.close()


@contextlib.contextmanager
def chained(toxi: Toxiproxy, prefix: str, upstream: str, **kw):
    """A FaultChain with a name of its own, closed after the test."""
    chain = FaultChain(toxi, f"{prefix}{time.monotonic_ns()}", upstream, **kw)
    try:
        yield chain
    finally:
        chain.close()


@contextlib.contextmanager
def bot_behind(**kw):
    """`hpops serve` (conftest.Bot) in a temporary folder, stopped after the test."""
    from conftest import Bot
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(tmp, **kw)
        try:
            yield bot
        finally:
            bot.stop()


ROWS: list[tuple[str, str, str, str, str]] = []


def record(backend: str, fault: str, chat: str, attempts: str, outcome: str) -> None:
    """One row of the fault table: what a person on call would see and what happened."""
    first_line = " ".join(chat.strip().splitlines()[:1])[:160].replace("|", "\\|")
    ROWS.append((backend, fault, first_line, attempts, outcome))


def _write_table() -> None:
    if not ROWS:
        return
    path = os.environ.get("HPOPS_FAULT_TABLE") or os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                                               f"hpops-fault-table-{os.getpid()}.md")
    table = ["| backend | fault | what chat showed | requests that reached the peer | outcome |", "|---|---|---|---|---|"]
    table += ["| " + " | ".join(row) + " |" for row in ROWS]
    with open(path, "w") as f:
        f.write("\n".join(table) + "\n")
    print(f"\nfault table: {path}")


atexit.register(_write_table)
