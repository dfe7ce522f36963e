#!/usr/bin/env bash
# ThreadSanitizer (clang-16) over the tests of the code that shares memory
# between threads: the server and its connection handling, the dispatcher
# and the alert pipeline (CTest labels foundation, alerts and hardening, the
# end-to-end ones included, which drive a TSan-built `hpops serve`). A
# multi-threaded io_context, detached coroutines, the curl worker pool and
# atomics live there. In build-tsan/ (TSan cannot share a build with ASan);
# a finding stops the process that hit it and fails the run.
#
#   scripts/tsan.sh               # as CI runs it
#   scripts/tsan.sh -R Dispatcher # extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-tsan
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
# -O1 and line tables only: what the sanitizer's reports need, at about half
# the compile time of -O2 -g.
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DHPOPS_SANITIZE=thread -DBUILD_TESTING=ON -DHPOPS_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j2 --target hpops hpops_test_server foundation_tests alerts_tests hardening_tests
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
ctest --test-dir "$build" --output-on-failure -j2 -L 'foundation|alerts|hardening' "$@"
