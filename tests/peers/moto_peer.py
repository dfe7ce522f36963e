#!/usr/bin/env python3
"""AWS test peer for hpops: moto's server on loopback with hpops's extensions
(moto_extensions.py) for EKS, SageMaker HyperPod and STS.

From C++ (GoogleTest) or a shell:
    ~/.cache/hpops/venv/bin/python tests/peers/moto_peer.py --seed [--port N]
        [--update-seconds S] [--region us-west-2] [--verbose]
  The first stdout line, once the server answers (and the seed is in place), is
    {"endpoint": "http://127.0.0.1:PORT", "pid": N, "region": "us-west-2",
     "account": "123456789012", "seed": {...names and ARNs...} | null}
  Stop it with SIGTERM, or by closing its stdin when stdin is a pipe (EOF on a
  pipe means the parent is gone; /dev/null or a terminal is not watched). On
  Linux the peer also gets SIGTERM when its parent process dies.
  Sign requests with any key id and secret (e.g. "testing"); account 123456789012.

From Python (pytest fixtures):
    from moto_peer import start_moto
    endpoint, stop = start_moto(seed=True)      # a child process, as C++ does
    ...
    stop()
  start_moto(in_process=True) serves from a thread of the calling process
  instead (faster; patches moto in that process).

Control endpoints (not AWS; see moto_extensions.with_control):
  POST /hpops/reset?seed=1   fresh seeded scene in ~1 s (use in SetUp())
  POST /hpops/settle         finish every simulated change now
  GET|POST /hpops/config?update_seconds=S
moto's own POST /moto-api/reset also works (it does not reseed).
"""

from __future__ import annotations

import argparse
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

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import peer_process  # noqa: E402

ACCOUNT = "123456789012"  # moto's default account for any non-STS key


def serve(port: int = 0, verbose: bool = False, region: str = "us-west-2") -> tuple[str, Callable[[], None]]:
    """Start moto + extensions on 127.0.0.1 in a thread of this process.
    Port 0 lets the kernel pick a free port, so there is no race to find one."""
    import moto_extensions

    moto_extensions.install()
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    class QuietHandler(MotoRequestHandler):
        def log_request(self, *args: object, **kwargs: object) -> None:
            if verbose:
                super().log_request(*args, **kwargs)

    app = moto_extensions.with_control(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="moto-peer", daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_port}"
    moto_extensions.configure(endpoint, region)

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()

    return endpoint, stop


def start_moto(seed: bool = True, port: int = 0, update_seconds: float | None = None,
               region: str = "us-west-2", in_process: bool = False,
               timeout: float = 60.0) -> tuple[str, Callable[[], None]]:
    """Start a peer and return (endpoint, stop). stop.info holds the JSON line
    (endpoint, pid, region, account, seed) when the peer is a child process."""
    if in_process:
        import moto_extensions

        if update_seconds is not None:
            moto_extensions.set_update_seconds(update_seconds)
        endpoint, stop = serve(port, region=region)
        if seed:
            import seed_aws

            seed_aws.seed(endpoint, region)
        return endpoint, stop

    cmd = [sys.executable, os.path.join(HERE, "moto_peer.py"), "--port", str(port), "--region", region]
    if seed:
        cmd.append("--seed")
    if update_seconds is not None:
        cmd += ["--update-seconds", str(update_seconds)]
    info, stop = peer_process.spawn(cmd, "moto peer", timeout, stop_timeout=10)
    return info["endpoint"], stop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--seed", action="store_true", help="create the hpops demo scene (seed_aws.py)")
    parser.add_argument("--update-seconds", type=float, default=None,
                        help="duration of asynchronous changes (default: $HPOPS_MOTO_UPDATE_SECONDS or 2)")
    parser.add_argument("--region", default="us-west-2", help="region to seed")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)

    peer_process.die_with_parent()
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())

    import moto_extensions

    if args.update_seconds is not None:
        moto_extensions.set_update_seconds(args.update_seconds)
    endpoint, stop = serve(args.port, args.verbose, args.region)
    seeded = None
    try:
        if args.seed:
            import seed_aws

            seeded = seed_aws.seed(endpoint, args.region)
    except Exception as e:  # no ready line: the caller sees EOF and our stderr
        print(f"moto_peer: seeding failed: {e!r}", file=sys.stderr, flush=True)
        stop()
        return 1
    print(json.dumps({"endpoint": endpoint, "pid": os.getpid(), "region": args.region,
                      "account": ACCOUNT, "seed": seeded}), flush=True)
    peer_process.watch_stdin(done)
    while not done.wait(0.5):
        pass
    stop()
    return 0


if __name__ == "__main__":
    code = main()
    # Skip interpreter finalisation: tearing down moto's object graph takes
    # seconds and there is nothing to save, so a stop costs well under 1 s.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
