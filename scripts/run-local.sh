#!/usr/bin/env bash
# Runs hpops with deploy/examples/local.yaml against a local, seeded AWS
# stand-in (moto with hpops's EKS/SageMaker extensions, tests/peers), so a
# newcomer sees real replies without an AWS account. Ctrl-C stops both.
#   HPOPS_REAL_AWS=1 scripts/run-local.sh   uses your real AWS credentials instead.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${HPOPS_VENV:-$HOME/.cache/hpops/venv}"
binary="${HPOPS_BINARY:-build/hpops}"

if [ "${HPOPS_REAL_AWS:-0}" != 1 ]; then
  # scripts/bootstrap.sh --run prepares the venv in the background: wait for it.
  [ -e "$venv.lock" ] && flock "$venv.lock" true
  if [ ! -e "$venv/.run-requirements" ] && [ ! -e "$venv/.requirements.sha256" ]; then
    echo "run-local: the venv with moto is not ready; see $venv.log, or run scripts/bootstrap.sh --run again" >&2
    exit 1
  fi
  coproc MOTO { exec "$venv/bin/python" tests/peers/moto_peer.py --seed; }
  trap 'kill "$MOTO_PID" 2>/dev/null || true' EXIT
  read -r info <&"${MOTO[0]}"
  endpoint=$(printf '%s' "$info" | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["endpoint"])')
  echo "run-local: AWS stand-in (moto, seeded: EKS hpops-demo, HyperPod hp-cluster) at $endpoint" >&2
  export AWS_ENDPOINT_URL="$endpoint" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-west-2
  unset AWS_PROFILE AWS_SESSION_TOKEN
fi
echo "run-local: try  python3 scripts/slack-command.py nodegroups" >&2
"$binary" serve --config deploy/examples/local.yaml
