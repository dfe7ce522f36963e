"""Finding 3: at the descriptor limit the accept loop retried at once and
logged every failure: with `ulimit -n 64` and 100 idle sockets, 6 s of CPU and
140 MB of log in 5 s, and /healthz stopped answering. Now hpops stops accepting
at a connection cap below the limit, backs off when accept fails anyway, and
logs that at most once a second."""
import os
import resource
import socket
import tempfile
import time

import pytest

from conftest import Bot

FD_LIMIT = 64
IDLE_SOCKETS = 100


def low_fd_limit():
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def cpu_seconds(pid):
    """utime + stime of the process, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def healthz_within(bot, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return bot.get("/healthz")[0]
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


# Without max_connections the cap comes from the descriptor limit, and accept
# never fails; with a cap above what the limit allows it does, and must back off.
@pytest.mark.parametrize("server_yaml", ["", "  max_connections: 1000\n"],
                         ids=["cap-from-fd-limit", "cap-above-fd-limit"])
def test_idle_sockets_at_the_fd_limit_cost_little_cpu_and_log(server_yaml):
    with tempfile.TemporaryDirectory() as tmp:
        # header_timeout 10s: the silent sockets stay open while CPU is measured.
        bot = Bot(tmp, header_timeout="10s", server_yaml=server_yaml, preexec_fn=low_fd_limit)
        sockets = []
        try:
            sockets = [socket.create_connection(("127.0.0.1", bot.port)) for _ in range(IDLE_SOCKETS)]
            log_before = os.path.getsize(bot.log.name)
            cpu_before = cpu_seconds(bot.proc.pid)
            time.sleep(3)
            cpu = cpu_seconds(bot.proc.pid) - cpu_before
            log_growth = os.path.getsize(bot.log.name) - log_before
            for s in sockets:
                s.close()
            # Spinning on accept took a whole core (3 s here); idle is ~0.
            assert cpu < 0.5, f"{cpu:.2f} s of CPU in 3 s with idle sockets"
            assert log_growth < 16 * 1024, f"log grew {log_growth} bytes in 3 s:\n{bot.logs()[-2000:]}"
            assert healthz_within(bot, 10) == 200
            # And /metrics says why: paused at the cap, or accept failing and backing off.
            metrics = bot.get("/metrics")[1]
            counter = "hpops_server_accept_failures_total" if server_yaml else "hpops_server_connection_cap_waits_total"
            value = next(float(line.split()[-1]) for line in metrics.splitlines() if line.startswith(counter + " "))
            assert value >= 1, metrics
        finally:
            for s in sockets:
                s.close()
            bot.stop()
