"""What every test peer (moto_peer.py, mlflow_peer.py) does the same way: start
as a child that prints one JSON line when ready, stop cleanly, and never
outlive the test that started it."""

from __future__ import annotations

import json
import os
import selectors
import signal
import stat
import subprocess
import sys
import threading
import time
from typing import Callable


def spawn(cmd: list[str], name: str, timeout: float, stop_timeout: float = 10.0) -> tuple[dict, Callable[[], None]]:
    """Start a peer, wait for its ready line, and return (info, stop). stop.info
    and stop.proc hold the JSON line and the process."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(read_ready_line(proc, name, timeout))
    except BaseException:
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
        raise

    def stop() -> None:
        terminate(proc, stop_timeout)
        for stream in (proc.stdin, proc.stdout):
            if stream:
                stream.close()

    stop.info = info  # type: ignore[attr-defined]
    stop.proc = proc  # type: ignore[attr-defined]
    return info, stop


def terminate(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM, and SIGKILL if it has not gone within `timeout`."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def read_ready_line(proc: subprocess.Popen, name: str, timeout: float) -> str:
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sel.select(timeout=0.2):
            line = proc.stdout.readline()
            if line:
                return line
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode} before it was ready")
    proc.terminate()
    raise TimeoutError(f"{name} gave no ready line within {timeout} s")


def die_with_parent() -> None:
    """Linux: ask for SIGTERM when the parent dies, so a crashed test binary
    leaves no server behind."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # parent already gone before the call
            os.kill(os.getpid(), signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def watch_stdin(done: threading.Event) -> None:
    """Sets `done` when the parent closes our stdin pipe (it has gone away)."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError):
        return
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        return

    def drain() -> None:
        try:
            while os.read(0, 4096):  # whatever the parent writes is ignored
                pass
        except OSError:
            pass
        done.set()

    threading.Thread(target=drain, name="stdin-watch", daemon=True).start()
