"""The newcomer's script, `scripts/slack-command.py`, as the README has a
newcomer run it against `hpops serve` and moto: it returns as soon as the
exchange has settled, not after its whole --wait."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ADMIN, OPS_CHANNEL, SIGNING_SECRET, Bot
from test_alerts import tmpdir_path  # noqa: F401
from test_jobs import eks_takes, tmp  # noqa: F401

SCRIPT = str(Path(__file__).resolve().parents[2] / "scripts" / "slack-command.py")


def run_script(bot, text, *extra, wait=60):
    """Runs the script as a newcomer would; returns (output, seconds)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, SCRIPT, text, "--url", f"http://127.0.0.1:{bot.port}", "--user", ADMIN,
                           "--channel", OPS_CHANNEL, "--wait", str(wait), *extra],
                          env=dict(os.environ, SLACK_SIGNING_SECRET=SIGNING_SECRET), capture_output=True, text=True,
                          timeout=wait + 30)
    assert done.returncode == 0, done.stderr
    return done.stdout, time.monotonic() - started


@pytest.fixture
def served(tmp, moto):
    """`hpops serve` against moto, as scripts/run-local.sh starts it."""
    bot = Bot(tmp, aws_endpoint=moto)
    yield bot
    bot.stop()


def test_an_answer_given_at_once_returns_at_once(served):
    out, took = run_script(served, "nodegroups")
    assert "gpu-ng" in out and "accelerated-worker-group-1" in out, out
    assert took < 10, f"returned after {took:.1f} s of a 60 s wait"


def test_a_job_returns_when_its_message_says_it_is_done(served, moto):
    eks_takes(moto, 2)
    out, took = run_script(served, "scale nodegroup spot-ng-with-hypd desired=2")
    assert ":hourglass_flowing_sand: Scaling spot-ng-with-hypd" in out, out
    assert out.rstrip().splitlines()[-3].startswith(":white_check_mark: Scaled spot-ng-with-hypd"), out
    assert 2 <= took < 30, f"returned after {took:.1f} s; EKS took 2 s"


def test_a_question_settles_at_once_unless_it_is_to_press_confirm(served, moto):
    eks_takes(moto, 0)
    asked, took = run_script(served, "scale nodegroup gpu-ng desired=0")
    assert "scales to zero" in asked and "[Confirm]" in asked and "Scaled" not in asked, asked
    assert took < 10, f"a question for a person returned after {took:.1f} s of a 60 s wait"
    out, took = run_script(served, "scale nodegroup gpu-ng desired=0", "--confirm")
    assert "--- pressing Confirm ---" in out and "Scaled gpu-ng" in out, out
    assert took < 30, f"returned after {took:.1f} s"
