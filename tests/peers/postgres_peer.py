#!/usr/bin/env python3
"""PostgreSQL test peer for hpops: Debian's PostgreSQL 15 (`initdb`, then the
`postgres` server) in a private temporary directory, on a free loopback port,
with trust authentication for the role `hpops` and a database `hpops`.

Durability is off (fsync, synchronous_commit, full_page_writes): the data
lives as long as the test, and the peer starts in about a second.

PostgreSQL refuses to run as root: under root the peer runs the server as
the `postgres` user the Debian package creates, in a directory it owns.

From C++ (GoogleTest), Python or a shell:
    ~/.cache/hpops/venv/bin/python tests/peers/postgres_peer.py
  The first stdout line, once the database answers, is
    {"url": "postgresql://hpops@127.0.0.1:PORT/hpops", "admin_url": ".../postgres",
     "port": PORT, "workdir": "...", "pid": N, "startup_seconds": S}
  Lines on stdin steer it: `stop` stops the server (the port then refuses),
  `start` starts it again on the same port with the same data; each answers
  one JSON line. `createdb NAME` makes a database and answers with its URL;
  `sql NAME QUERY` runs QUERY on database NAME and answers {"rows": [[...]]}
  (every value as text), for tests that check what hpops wrote.
  Stop the peer by closing stdin or with SIGTERM.

From Python: `info, stop = start_postgres()`.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peer_process  # noqa: E402

ROLE = "hpops"


def bindir() -> str:
    """Debian keeps the server's programs out of PATH."""
    env = os.environ.get("HPOPS_POSTGRES_BINDIR")
    if env:
        return env
    try:
        return subprocess.run(["pg_config", "--bindir"], check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not found:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        return str(found[-1].parent)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresPeer:
    def __init__(self, timeout: float = 30.0) -> None:
        started = time.monotonic()
        self.bin = bindir()
        self.workdir = tempfile.mkdtemp(prefix="hpops-pg-")
        self.data = os.path.join(self.workdir, "data")
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None
        self.timeout = timeout
        self._user = None
        if os.geteuid() == 0:
            self._user = pwd.getpwnam("postgres")
            os.chown(self.workdir, self._user.pw_uid, self._user.pw_gid)
        self._run([f"{self.bin}/initdb", "-D", self.data, "-U", ROLE, "--auth=trust", "-E", "UTF8",
                   "--no-sync", "--no-instructions"])
        self.start()
        self.psql("postgres", f"CREATE DATABASE {ROLE}")
        self.startup_seconds = time.monotonic() - started

    def _demote(self) -> None:
        peer_process.die_with_parent()
        if self._user:
            os.setgid(self._user.pw_gid)
            os.setuid(self._user.pw_uid)

    def _run(self, cmd: list[str]) -> str:
        done = subprocess.run(cmd, preexec_fn=self._demote, capture_output=True, text=True, cwd=self.workdir)
        if done.returncode != 0:
            raise RuntimeError(f"{os.path.basename(cmd[0])} failed: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout

    def url(self, database: str = ROLE) -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def psql(self, database: str, sql: str) -> str:
        return self._run([f"{self.bin}/psql", "-X", "-q", "-t", "-A", "-F", "\x1f", "-v", "ON_ERROR_STOP=1",
                          "-h", "127.0.0.1", "-p", str(self.port), "-U", ROLE, "-d", database, "-c", sql])

    def start(self) -> None:
        log = open(os.path.join(self.workdir, "server.log"), "ab")
        self.proc = subprocess.Popen(
            [f"{self.bin}/postgres", "-D", self.data, "-p", str(self.port), "-k", self.workdir,
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
             "-c", "full_page_writes=off", "-c", "max_connections=300"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, preexec_fn=self._demote)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited: {self.log_tail()}")
            ready = subprocess.run([f"{self.bin}/pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)])
            if ready.returncode == 0:
                return
            time.sleep(0.05)
        raise TimeoutError(f"postgres not ready within {self.timeout} s: {self.log_tail()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # fast shutdown: clients are cut off at once
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self) -> str:
        try:
            return Path(self.workdir, "server.log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_postgres(timeout: float = 60.0) -> tuple[dict, object]:
    """Runs this file as a child (so a crashed test leaves no server) and
    returns (info, stop); stop.proc is the peer process for stdin commands."""
    return peer_process.spawn([sys.executable, __file__], "postgres_peer", timeout)


def answer(peer: PostgresPeer, line: str) -> dict:
    words = line.split()
    if words == ["stop"]:
        peer.stop()
        return {"stopped": True}
    if words == ["start"]:
        if not peer.alive():
            peer.start()
        return {"started": True}
    if len(words) == 2 and words[0] == "createdb" and re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", words[1]):
        peer.psql("postgres", f"CREATE DATABASE {words[1]}")
        return {"url": peer.url(words[1])}
    if len(words) >= 3 and words[0] == "sql":
        query = line.strip().split(None, 2)[2]
        return {"rows": [row.split("\x1f") for row in peer.psql(words[1], query).splitlines()]}
    return {"error": f"unknown command: {line.strip()}"}


def _exit_on_signal(*_: object) -> None:
    raise SystemExit(0)  # runs the finally below: the server stops, the directory goes


def main() -> int:
    peer_process.die_with_parent()
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        peer = PostgresPeer()
    except Exception as e:
        print(f"postgres_peer: {e}", file=sys.stderr, flush=True)
        return 1
    try:
        print(json.dumps({"url": peer.url(), "admin_url": peer.url("postgres"), "port": peer.port,
                          "workdir": peer.workdir, "pid": os.getpid(),
                          "startup_seconds": round(peer.startup_seconds, 2)}), flush=True)
        for line in sys.stdin:  # ends when the parent closes the pipe or goes away
            try:
                reply = answer(peer, line)
            except Exception as e:  # a failed command is reported, the peer keeps running
                reply = {"error": str(e)}
            print(json.dumps(reply), flush=True)
        return 0
    finally:
        peer.remove()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
