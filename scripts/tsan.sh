#!/usr/bin/env bash
# ThreadSanitizer (clang-16) over the unit tests of the code that shares
# memory between threads: the server and its connection handling, the
# dispatcher, the alert pipeline and the job runner (the GoogleTest entries
# of CTest labels foundation, alerts, hardening and jobs). A multi-threaded io_context, detached
# coroutines, the curl worker pool and atomics live there. In build-tsan/
# (TSan cannot share a build with ASan); a finding stops the test process
# that hit it and fails the run. The Python end-to-end tests are left to the
# plain and ASan runs: under TSan's 5-15x slowdown their timeouts would test
# the machine, not hpops.
#
#   scripts/tsan.sh               # as CI runs it
#   scripts/tsan.sh -R Dispatcher # extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-tsan
source scripts/clang-configure.sh
clang_configure "$build" thread
cmake --build "$build" -j2 --target tests_foundation tests_alerts tests_hardening tests_jobs
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
ctest --test-dir "$build" --output-on-failure -j2 -L 'foundation|alerts|hardening|jobs' -E '^(e2e|peers)\.' "$@"
