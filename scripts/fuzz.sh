#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/, clang-16 with ASan and UBSan) in
# build-fuzz/ and runs each for SECONDS (default 30) from its seed corpus,
# two at a time. Prints one line per target: executions, new corpus units,
# and any finding (a crash input is kept as build-fuzz/crash-<target>-*).
#
#   scripts/fuzz.sh            # 30 s each (CI runs 20 s each: scripts/fuzz.sh 20)
#   scripts/fuzz.sh 3600 sns   # one hour on the SNS decoder
#   scripts/fuzz.sh --release  # the release goal: 10 million executions per
#                              # decoder, in an -O1 build (build-fuzz-release/),
#                              # because -O0 runs several times fewer per second
#   FUZZ_JOBS=1 scripts/fuzz.sh --release 600   # one at a time, at most 10 min each
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-fuzz
runs=-1
if [ "${1:-}" = --release ]; then
  shift
  build=build-fuzz-release runs=10000000
  export CLANG_OPT=-O1
fi
seconds="${1:-30}"
((runs < 0)) || seconds="${1:-0}"  # a release run stops at its count, not a clock
shift || true
source scripts/clang-configure.sh
clang_configure "$build" address,undefined -DHPOPS_FUZZ=ON
targets=("$@")
if ((${#targets[@]} == 0)); then
  for source in tests/fuzz/*_fuzz.cpp; do name=$(basename "$source" _fuzz.cpp); targets+=("$name"); done
fi
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

run_one() {
  local name=$1 work="$build/tests/fuzz/corpus/$1" log="$build/fuzz-$1.log"
  mkdir -p "$work"
  if "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -runs="$runs" -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$build/crash-$name-" "$work" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
    local runs units
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    units=$(find "$work" -type f | wc -l)
    printf '%-20s %12s executions  %6s corpus units  no finding\n' "$name" "$runs" "$units"
  else
    printf '%-20s FINDING: see %s\n' "$name" "$log"
    grep -m3 -E 'ERROR|SUMMARY|runtime error' "$log" || true
    return 1
  fi
}
export -f run_one
export build seconds runs
status=0
results=$(printf '%s\n' "${targets[@]}" | xargs -P "${FUZZ_JOBS:-2}" -I{} bash -c 'run_one {}') || status=$?
printf '%s\n' "$results"
found=$(grep -c FINDING <<<"$results" || true)
echo "fuzz: $((${#targets[@]} - found)) passed, $found failed"
exit "$status"
