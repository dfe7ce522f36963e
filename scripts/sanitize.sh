#!/usr/bin/env bash
# The whole CTest suite under AddressSanitizer and UndefinedBehaviorSanitizer
# (clang-16), in build-fuzz/: the same build the fuzz targets use, so hpops is
# compiled once for both. A sanitizer finding aborts the test that hit it and
# fails this script. The fuzz targets' own CTest entries are left to
# scripts/fuzz.sh.
#
#   scripts/sanitize.sh              # as CI runs it
#   scripts/sanitize.sh -L hardening # extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-fuzz
source scripts/clang-configure.sh
clang_configure "$build" address,undefined -DHPOPS_FUZZ=ON
cmake --build "$build" -j2
# halt_on_error: the first finding stops the process with a report; the
# process's own exit code (not a log line) is what fails the test.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# e2e.replicas (a minute of several replicas waiting out leases and EKS
# updates) runs in the plain build only: its code paths are the store's and
# the job runner's, which the sanitized store, jobs and e2e.postgres tests
# cover; it keeps a cold CI run under its hour.
ctest --test-dir "$build" --output-on-failure -j2 -LE fuzz -E '^e2e\.replicas$' "$@"
