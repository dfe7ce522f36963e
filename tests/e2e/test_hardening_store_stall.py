"""A store another writer holds locked (a backup, a migration, a stuck client)
stalls hpops's background work: job leases, replica heartbeats and digests each
wait up to the store's 5 s busy timeout. It stalled the server too: that work
ran on the threads that answer HTTP, and with both of them waiting an alert
webhook took over 10 s to get its 503 (CI, 2026-12-05). The background work
now has a thread of its own."""
import sqlite3
import tempfile
import time

from conftest import Bot

# Job leases are renewed every lease/3: with a 3 s lease the background is
# waiting on the lock all the while it is held, not only when timing says so.
STORE_YAML = "  lease: 3s\n"
LOCK_HELD_S = 8.0


def slowest_answer(bot, path, for_seconds):
    """The longest `path` took to answer, asked every 0.2 s for `for_seconds`."""
    slowest = 0.0
    end = time.monotonic() + for_seconds
    while time.monotonic() < end:
        began = time.monotonic()
        try:
            status, _ = bot.get(path)
        except OSError:  # the client's 5 s timeout: as slow as can be measured
            status = 200
        slowest = max(slowest, time.monotonic() - began)
        assert status == 200
        time.sleep(0.2)
    return slowest


def test_a_locked_store_does_not_hold_up_the_server():
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(tmp, store_yaml=STORE_YAML)
        try:
            db = sqlite3.connect(bot.db, timeout=5, isolation_level=None)
            db.execute("BEGIN EXCLUSIVE")
            try:
                slowest = slowest_answer(bot, "/healthz", LOCK_HELD_S)
            finally:
                db.execute("ROLLBACK")
                db.close()
            assert slowest < 1.0, f"/healthz took {slowest:.1f} s while the store was locked"
            # The background work waited, and carries on once the lock is gone.
            assert bot.get("/readyz")[0] == 200
        finally:
            bot.stop()
