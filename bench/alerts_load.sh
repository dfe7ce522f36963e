#!/usr/bin/env bash
# POST /alerts/alertmanager under load: payloads of 100 new alerts each, from
# wrk, against a Release `hpops serve` with an `alerts` section. Prints alerts
# stored per second with store.synchronous normal and full (the default),
# then a burst with many more connections than the intake
# queue holds, and checks that every alert answered 200 is in the store
# (503s are Alertmanager's cue to retry; nothing they carried was accepted).
#
#   bench/alerts_load.sh                        # from the repository root
#   DURATION=10 CONNECTIONS=8 BURST_CONNECTIONS=256 BUILD=0 bench/alerts_load.sh
#
# Loopback only; the Slack API URL points at a closed port, so the posting
# worker's retries stay in the background (flood control keeps them to one
# summary message per channel).
set -euo pipefail

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-8}
BURST_CONNECTIONS=${BURST_CONNECTIONS:-256}
QUEUE_LIMIT=${QUEUE_LIMIT:-16}
DURATION=${DURATION:-10}
BUILD=${BUILD:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
TOKEN=bench-alertmanager-token
cd "$ROOT"

for tool in wrk curl sqlite3 cmake ninja; do
    command -v "$tool" >/dev/null || { echo "alerts_load.sh: $tool is required" >&2; exit 2; }
done
if [[ $BUILD == 1 ]]; then
    mkdir -p "$BUILD_DIR"
    if ! { cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF &&
           cmake --build "$BUILD_DIR" -j2 --target hpops alerts_bench; } >"$BUILD_DIR/alerts-build.log" 2>&1; then
        tail -50 "$BUILD_DIR/alerts-build.log" >&2
        exit 2
    fi
fi

WORK=$(mktemp -d /tmp/hpops-alerts-bench.XXXXXX)
PID=
cleanup() {
    [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_server() {  # store.synchronous: full (the default) or normal
    [[ -n $PID ]] && { kill "$PID"; wait "$PID" 2>/dev/null || true; }
    rm -f "$WORK"/hpops.db*
    cat >"$WORK/hpops.yaml" <<YAML
server: {listen: "127.0.0.1:$PORT", threads: $THREADS, body_limit: 4MiB}
slack: {signing_secret: bench-signing-secret, bot_token: xoxb-bench, api_url: "http://127.0.0.1:9/api/"}
store: {path: "$WORK/hpops.db", synchronous: $1}
log: {level: error}
alerts:
  default_channel: C0ALERTS
  routes:
    - match: {severity: critical}
      channel: "#critical"
    - match_re: {nodegroup: "gpu-.*"}
      channel: C0GPU
  alertmanager: {bearer_token: $TOKEN}
  queue_limit: $QUEUE_LIMIT
  max_firing: 10000000  # every alert of the run is kept, so the check below can count them
YAML
    "$BUILD_DIR/hpops" serve --config "$WORK/hpops.yaml" >"$WORK/hpops.log" 2>&1 &
    PID=$!
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
TICKS=$(getconf CLK_TCK)

run() {  # name connections run-id
    local out before after
    before=$(cpu_ticks)
    out=$(wrk -t1 -c"$2" -d"${DURATION}s" --latency -s bench/alerts_payloads.lua "http://127.0.0.1:$PORT" -- "$TOKEN" "$3")
    after=$(cpu_ticks)
    local ok unavailable other p50 p99
    ok=$(sed -n 's/^BENCH ok=\([0-9]*\).*/\1/p' <<<"$out")
    unavailable=$(sed -n 's/^BENCH ok=[0-9]* unavailable=\([0-9]*\).*/\1/p' <<<"$out")
    other=$(sed -n 's/.* other=\([0-9]*\)$/\1/p' <<<"$out")
    p50=$(sed -n 's/^BENCH p50_ms=\([0-9.]*\).*/\1/p' <<<"$out")
    p99=$(sed -n 's/.*p99_ms=\([0-9.]*\)$/\1/p' <<<"$out")
    local stored
    stored=$(sqlite3 "$WORK/hpops.db" "SELECT COUNT(*) FROM alerts WHERE fingerprint LIKE '$3-%'")
    printf '%-6s connections=%-4s payloads 200=%-6s 503=%-6s other=%s  alerts stored/s=%-7s p50=%sms p99=%sms\n' \
        "$1" "$2" "$ok" "$unavailable" "$other" "$((ok * 100 / DURATION))" "$p50" "$p99"
    # wrk stops mid-request at the deadline; such a payload may be stored
    # without its 200 being counted, never the other way round.
    if (( stored < ok * 100 || stored > (ok + $2) * 100 || other != 0 )); then
        echo "FAIL: $3: $stored alerts stored for $ok payloads answered 200 ($other other answers)" >&2
        exit 1
    fi
    echo "       every alert answered 200 is stored ($stored alerts for $ok payloads)"
    local cpu_s
    cpu_s=$(awk -v t=$((after - before)) -v hz="$TICKS" 'BEGIN {printf "%.2f", t / hz}')
    awk -v cpu="$cpu_s" -v n="$stored" -v d="$DURATION" 'BEGIN {
        printf "       hpops used %.2f CPU seconds (%.2f cores): %.1f us and %.0f alerts per CPU second\n",
               cpu, cpu / d, cpu * 1e6 / (n ? n : 1), n / (cpu ? cpu : 1) }'
}
# Side by side in one run: what syncing every commit (full, the default:
# an acknowledged alert survives power loss) costs against normal.
start_server normal
run normal "$CONNECTIONS" normal
start_server full
run full "$CONNECTIONS" full
run burst "$BURST_CONNECTIONS" burst
echo "in-process (one thread, no HTTP):"
"$BUILD_DIR/bench/alerts_bench" 1000
