#!/usr/bin/env python3
"""MLflow test peer for hpops: a real `mlflow server` (SQLite backend, local
artifact root) on 127.0.0.1, in a private temporary directory, optionally
seeded with the training-history scene of mlflow_seed.py.

From C++ (GoogleTest) or a shell:
    ~/.cache/hpops/venv/bin/python tests/peers/mlflow_peer.py --seed [--port N] [--verbose]
  The first stdout line, once the server answers (and the seed is in place), is
    {"tracking_uri": "http://127.0.0.1:PORT", "pid": N, "server_pid": M,
     "workdir": "/tmp/hpops-mlflow-XXXX" (mlflow.db, artifacts/, server.log),
     "mlflow_version": "3.17.2", "db_from_template": true|false,
     "startup_seconds": {"server": S, "seed": T},
     "seed": {...see mlflow_seed.seed()...} | null}
  Nothing else is written to stdout (the server's own log goes to a file in
  the temporary directory, or to stderr with --verbose). If start-up fails the
  peer exits non-zero without a line and explains on stderr.
  Stop it with SIGTERM (to "pid"), or by closing its stdin when stdin is a pipe
  (EOF on a pipe means the parent is gone; /dev/null or a terminal is not
  watched). On Linux the peer also gets SIGTERM when its parent dies. Stopping
  kills the server's whole process group and removes the temporary directory.
  Start-up is slow (two cold Python start-ups of MLflow: the CLI, which also
  creates the schema, then uvicorn): allow 120 s on a loaded machine. To skip
  the schema creation (~40 % of it), the first start snapshots the empty,
  migrated store to ~/.cache/hpops/mlflow-templates/mlflow-<version>.db and
  later starts copy it (Default experiment's artifact location rewritten);
  --fresh-db or HPOPS_MLFLOW_FRESH_DB=1 turns that off. SIGKILL of the peer
  still stops the server (it gets SIGTERM as the peer dies) but leaves the
  temporary directory behind.
  No credentials: the server runs without auth; telemetry and the job runner
  are off, so nothing but loopback is used.

From Python (pytest fixtures):
    from mlflow_peer import start_mlflow
    tracking_uri, stop = start_mlflow(seed=True)   # a child peer, as C++ does
    stop.info["seed"]["runs"]["run_20250818_003049"]  -> [run_id]
    ...
    stop()
  start_mlflow(in_process=True) launches the server straight from the calling
  process (no peer process in between) and seeds with this process's mlflow
  client; stop.info has the same shape. Call it from a thread that outlives
  the server (the main one): the server is told to stop when that thread ends.

The server command line is
    mlflow server --backend-store-uri sqlite:///TMP/mlflow.db
        --default-artifact-root TMP/artifacts --host 127.0.0.1 --port PORT --workers 1
with MLFLOW_DISABLE_TELEMETRY=true, DO_NOT_TRACK=true and
MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false in its environment. In 3.17 `mlflow
server` runs uvicorn (not gunicorn) with the FastAPI app wrapping the Flask
one, as a child of the CLI process; `--dev` would add auto-reload and is not
used. Its default security middleware accepts Host 127.0.0.1[:port] and
localhost[:port] and requests with no Origin header, so nothing needs
loosening for loopback clients (a browser Origin other than localhost would
be refused on POST/DELETE).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import selectors
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Callable

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import peer_process  # noqa: E402

VENV_PYTHON = os.path.expanduser("~/.cache/hpops/venv/bin/python")

# Environment for the server and for any mlflow client we run: no telemetry,
# no background job runner (huey consumer processes), no proxy for loopback.
QUIET_ENV = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",  # mlflow only honours the literal "true"
    "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",
    "MLFLOW_SERVER_JOB_ENABLE_PERIODIC_TASKS": "false",
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}
# Variables that would change what the server or the seeding client talks to.
_DROP_ENV = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI", "MLFLOW_TRACKING_TOKEN",
             "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_SERVER_ALLOWED_HOSTS",
             "MLFLOW_SERVER_CORS_ALLOWED_ORIGINS", "MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE",
             "MLFLOW_ENABLE_WORKSPACES", "MLFLOW_WORKSPACE", "MLFLOW_FLASK_SERVER_SECRET_KEY")


def _mlflow_executable() -> list[str]:
    """`mlflow` from the same environment as the interpreter running us (the
    hpops venv), falling back to the venv's python -m mlflow."""
    candidate = os.path.join(os.path.dirname(sys.executable), "mlflow")
    if os.access(candidate, os.X_OK):
        return [candidate]
    python = sys.executable if os.path.exists(sys.executable) else VENV_PYTHON
    return [python, "-m", "mlflow"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pdeathsig_hook() -> Callable[[], None] | None:
    """A preexec_fn for the server: SIGTERM it when the thread that started it
    dies (Linux PR_SET_PDEATHSIG). prctl is looked up before the fork, so the
    child only makes the system call."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    term = int(signal.SIGTERM)
    return lambda: prctl(1, term)


class MlflowServer:
    """One `mlflow server` process group serving a fresh SQLite store in its
    own temporary directory. stop() is idempotent."""

    def __init__(self, port: int = 0, verbose: bool = False, timeout: float = 180.0,
                 fresh_db: bool = False) -> None:
        self.workdir = tempfile.mkdtemp(prefix="hpops-mlflow-")
        self.verbose = verbose
        self.proc: subprocess.Popen | None = None
        self._log = None
        self._stopped = False
        self._template_failed = False
        template = None if fresh_db or os.environ.get("HPOPS_MLFLOW_FRESH_DB") else _template_path()
        started = time.monotonic()
        try:
            port_tries = 0
            while True:
                chosen = port or _free_port()
                use = template if template and os.path.isfile(template) else None
                try:
                    launched = self._launch(chosen, started + timeout, use)
                except RuntimeError:
                    if not use:
                        raise
                    # A template this mlflow cannot start from: drop it, go fresh.
                    print(f"mlflow_peer: ignoring template {use}:\n{self.log_tail()}", file=sys.stderr, flush=True)
                    _remove(use)
                    self._kill_group()
                    continue  # the template file is gone now: fresh, then a new snapshot
                if self._template_failed:  # the copy failed and _launch went fresh
                    use = None
                if launched:
                    break
                port_tries += 1  # the port was taken
                if port or port_tries == 3:
                    raise RuntimeError(f"mlflow server failed to start:\n{self.log_tail()}")
            self.used_template = use
            if template and not use:
                _save_template(os.path.join(self.workdir, "mlflow.db"), template)
            self.startup_seconds = time.monotonic() - started
        except BaseException:
            self.stop()
            raise

    def _launch(self, port: int, deadline: float, template: str | None) -> bool:
        """Start the server on `port` and wait until it answers. False if it
        exited because the port was taken (the caller retries another)."""
        self.port = port
        self.tracking_uri = f"http://127.0.0.1:{port}"
        artifacts = os.path.join(self.workdir, "artifacts")
        os.makedirs(artifacts, exist_ok=True)
        db = os.path.join(self.workdir, "mlflow.db")
        for leftover in (db, db + "-journal"):
            if os.path.exists(leftover):
                os.remove(leftover)
        if template:
            try:
                _copy_template(template, db, artifacts)
            except Exception as e:  # sqlite3.Error, OSError: not a usable store
                print(f"mlflow_peer: ignoring template {template}: {e!r}", file=sys.stderr, flush=True)
                _remove(template)
                for leftover in (db, db + "-journal"):
                    _remove(leftover)
                self._template_failed = True
                template = None  # for the rest of this launch
        cmd = _mlflow_executable() + [
            "server",
            "--backend-store-uri", f"sqlite:///{db}",
            "--default-artifact-root", artifacts,
            "--host", "127.0.0.1",
            "--port", str(port),
            "--workers", "1",
        ]
        env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
        env.update(QUIET_ENV)
        env["PYTHONUNBUFFERED"] = "1"
        if self._log is None:
            self._log = open(os.path.join(self.workdir, "server.log"), "ab")
        # Never our stdout: that carries the ready line. --verbose shows the
        # log live on stderr (then a taken port is not recognised and retried).
        out = sys.stderr.fileno() if self.verbose else self._log.fileno()
        self.proc = subprocess.Popen(
            cmd, cwd=self.workdir, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
            start_new_session=True,  # its own process group: stop() kills CLI + uvicorn together
            preexec_fn=_pdeathsig_hook(),
        )
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_tail()
                if "address already in use" in tail.lower() or "errno 98" in tail.lower():
                    self._kill_group()
                    return False
                raise RuntimeError(f"mlflow server exited with {self.proc.returncode}:\n{tail}")
            if self._answers():
                return True
            time.sleep(0.1)
        raise TimeoutError(f"mlflow server did not answer within the time limit:\n{self.log_tail()}")

    def _answers(self) -> bool:
        """GET /health says OK and the tracking API can read the store."""
        try:
            with urllib.request.urlopen(self.tracking_uri + "/health", timeout=2) as resp:
                if resp.status != 200:
                    return False
            req = urllib.request.Request(
                self.tracking_uri + "/api/2.0/mlflow/experiments/search",
                data=b'{"max_results": 1}', method="POST",
                headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=5) as resp:
                return resp.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def log_tail(self, limit: int = 4000) -> str:
        path = os.path.join(self.workdir, "server.log")
        try:
            with open(path, "rb") as f:
                return f.read()[-limit:].decode("utf-8", "replace")
        except OSError:
            return "(no server log)"

    def _kill_group(self) -> None:
        proc = self.proc
        if proc is None:
            return
        try:
            pgid = os.getpgid(proc.pid)
        except ProcessLookupError:
            pgid = proc.pid  # leader gone; members may remain in the group
        for sig, wait in ((signal.SIGTERM, 8.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pgid, sig)
            except (ProcessLookupError, PermissionError):
                break
            # The CLI forwards SIGTERM to uvicorn and waits for it; wait for
            # the leader, then make sure the group is empty.
            try:
                proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            if not _group_alive(pgid, wait):
                break
        if proc.poll() is None:
            proc.wait()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._kill_group()
        if self._log is not None:
            self._log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _template_path() -> str | None:
    """A store already migrated by this mlflow version, reused to skip the
    schema creation (about 40 % of the start-up). Same schema, same rows as a
    fresh start; only the Default experiment's paths and times differ, and the
    artifact location is rewritten on every copy."""
    version = _mlflow_version()
    if not version:
        return None
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(cache, "hpops", "mlflow-templates", f"mlflow-{version}.db")


def _copy_template(template: str, db: str, artifacts: str) -> None:
    import sqlite3

    shutil.copyfile(template, db)
    con = sqlite3.connect(db)
    try:
        with con:
            con.execute("UPDATE experiments SET artifact_location = ? WHERE experiment_id = 0",
                        (os.path.join(artifacts, "0"),))
    finally:
        con.close()


def _save_template(db: str, template: str) -> None:
    """Snapshot a just-started, still empty store (sqlite backup API: safe
    while the server has it open), published atomically."""
    import sqlite3

    try:
        os.makedirs(os.path.dirname(template), exist_ok=True)
        tmp = f"{template}.{os.getpid()}.tmp"
        src, dst = sqlite3.connect(db), sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        os.replace(tmp, template)
    except (OSError, sqlite3.Error) as e:
        print(f"mlflow_peer: could not save template {template}: {e}", file=sys.stderr, flush=True)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _group_alive(pgid: int, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while True:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        if time.monotonic() >= deadline:
            return True
        time.sleep(0.05)


def _mlflow_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("mlflow")
    except Exception:
        return None


def _seed(tracking_uri: str) -> dict[str, Any]:
    import contextlib

    import mlflow_seed

    with contextlib.redirect_stdout(sys.stderr):  # stdout is for the ready line only
        return mlflow_seed.seed(tracking_uri)


def start_mlflow(seed: bool = True, port: int = 0, in_process: bool = False,
                 verbose: bool = False, timeout: float = 240.0,
                 fresh_db: bool = False) -> tuple[str, Callable[[], None]]:
    """Start a peer and return (tracking_uri, stop). stop.info holds the JSON
    line (tracking_uri, pid, server_pid, workdir, mlflow_version,
    db_from_template, startup_seconds, seed); stop.proc is the peer process
    (not with in_process=True, where stop.server is the MlflowServer)."""
    if in_process:
        # The server gets QUIET_ENV; importing mlflow_seed turns this process's
        # mlflow telemetry and URL printing off.
        server = MlflowServer(port, verbose, timeout, fresh_db)
        atexit.register(server.stop)  # a caller that never calls stop() leaves nothing behind
        try:
            t0 = time.monotonic()
            seeded = _seed(server.tracking_uri) if seed else None
            seed_seconds = time.monotonic() - t0 if seed else None
        except BaseException:
            server.stop()
            raise
        info = {"tracking_uri": server.tracking_uri, "pid": os.getpid(), "server_pid": server.proc.pid,
                "workdir": server.workdir, "mlflow_version": _mlflow_version(),
                "db_from_template": bool(server.used_template),
                "startup_seconds": {"server": round(server.startup_seconds, 2),
                                    "seed": round(seed_seconds, 2) if seed_seconds is not None else None},
                "seed": seeded}
        stop = server.stop
        stop_fn: Callable[[], None] = lambda: stop()  # noqa: E731  (a function object can carry attributes)
        stop_fn.info = info  # type: ignore[attr-defined]
        stop_fn.server = server  # type: ignore[attr-defined]
        return server.tracking_uri, stop_fn

    cmd = [sys.executable, os.path.join(HERE, "mlflow_peer.py"), "--port", str(port)]
    if seed:
        cmd.append("--seed")
    if verbose:
        cmd.append("--verbose")
    if fresh_db:
        cmd.append("--fresh-db")
    info, stop = peer_process.spawn(cmd, "mlflow peer", timeout, stop_timeout=30)
    return info["tracking_uri"], stop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--seed", action="store_true", help="create the training-history scene (mlflow_seed.py)")
    parser.add_argument("--verbose", action="store_true", help="server log to stderr instead of a file")
    parser.add_argument("--fresh-db", action="store_true",
                        help="let the server create its schema instead of copying the cached template "
                             "(also: HPOPS_MLFLOW_FRESH_DB=1)")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds to wait for the server")
    args = parser.parse_args(argv)

    peer_process.die_with_parent()
    done = threading.Event()
    ready = False

    def on_signal(*_: object) -> None:
        if not ready:  # still starting or seeding: unwind now (cleanup in finally/except)
            raise SystemExit(0)
        done.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    for k in _DROP_ENV:
        os.environ.pop(k, None)
    os.environ.update(QUIET_ENV)

    try:
        server = MlflowServer(args.port, args.verbose, args.timeout, args.fresh_db)
    except Exception as e:
        print(f"mlflow_peer: {e}", file=sys.stderr, flush=True)
        return 1
    try:
        seeded, seed_seconds = None, None
        if args.seed:
            t0 = time.monotonic()
            try:
                seeded = _seed(server.tracking_uri)
            except Exception as e:  # no ready line: the caller sees EOF and our stderr
                print(f"mlflow_peer: seeding failed: {e!r}", file=sys.stderr, flush=True)
                return 1
            seed_seconds = round(time.monotonic() - t0, 2)
        print(json.dumps({"tracking_uri": server.tracking_uri, "pid": os.getpid(),
                          "server_pid": server.proc.pid, "workdir": server.workdir,
                          "mlflow_version": _mlflow_version(), "db_from_template": bool(server.used_template),
                          "startup_seconds": {"server": round(server.startup_seconds, 2), "seed": seed_seconds},
                          "seed": seeded}), flush=True)
        ready = True
        peer_process.watch_stdin(done)
        while not done.wait(0.5):
            if server.proc.poll() is not None:
                print(f"mlflow_peer: server exited with {server.proc.returncode}:\n{server.log_tail()}",
                      file=sys.stderr, flush=True)
                return 1
        return 0
    finally:
        server.stop()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
