"""Shared by the botocore comparisons: sign with botocore at a fixed time, and
run one of hpops's test-only signing probes over the same cases."""
import datetime
import json
import subprocess

import pytest
from botocore import auth as botocore_auth


def sign_at(signer, request, timestamp):
    """Signs `request` in place as botocore would at `timestamp`; returns the
    canonical request botocore built, for a step-by-step comparison."""
    captured = {}
    original = signer.canonical_request

    def capture(req):
        captured["canonical_request"] = original(req)
        return captured["canonical_request"]

    signer.canonical_request = capture
    frozen = datetime.datetime.fromtimestamp(timestamp, tz=datetime.timezone.utc).replace(tzinfo=None)
    # botocore reads the clock through this name when it signs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(botocore_auth, "get_current_datetime", lambda *a, **k: frozen)
        signer.add_auth(request)
    return captured["canonical_request"]


def probe_results(probe, cases, timestamp):
    """hpops's signatures for `cases`, by case name."""
    requests = [dict(case, timestamp=timestamp) for case in cases]
    done = subprocess.run([probe], input=json.dumps(requests), capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return {result["name"]: result for result in json.loads(done.stdout)}


def lower_headers(pairs):
    return sorted((name.lower(), value) for name, value in pairs)
