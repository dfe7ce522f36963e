#!/usr/bin/env bash
# The whole CTest suite under AddressSanitizer and UndefinedBehaviorSanitizer
# (clang-16), in build-fuzz/: the same build the fuzz targets use, so hpops is
# compiled once for both. A sanitizer finding aborts the test that hit it and
# fails this script. The fuzz targets' own CTest entries are left to
# scripts/fuzz.sh. CI runs the end-to-end tests (e2e.*, schedules.*) here and
# not in the plain build: once is enough, and here a memory error or undefined
# behaviour on a request's path fails them.
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
# Three at a time: an end-to-end test spends most of its time waiting on a
# peer (moto, kube-apiserver, MLflow) or a timer, so a third test runs in the
# gaps. On 2 cores this suite took 438 s at -j3 against 614 s at -j2; -j4 took
# 350 s but made each test a fifth slower, and -j3 leaves the tests' own
# deadlines more room on a busier machine. The peers' own tests and the deploy
# checks run no hpops code, so they run in the plain build only.
ctest --test-dir "$build" --output-on-failure -j3 -LE fuzz -E '^(peers|deploy)\.' "$@"
