#!/usr/bin/env bash
# 30 minutes of mixed traffic against one `hpops serve`, sampling RSS and
# descriptors every 10 s (bench/soak.py). Not part of CI: run it before a
# release and record the figures in bench/README.md.
#
#   bench/soak.sh                 # 30 minutes, the build/ binary
#   MINUTES=5 bench/soak.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${HPOPS_VENV:-$HOME/.cache/hpops/venv}
exec "$VENV/bin/python" "$ROOT/bench/soak.py" --binary "${BINARY:-$ROOT/build/hpops}" \
    --minutes "${MINUTES:-30}" --sample "${SAMPLE:-10}"
