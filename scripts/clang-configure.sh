# Sourced by sanitize.sh, fuzz.sh and tsan.sh: configures a clang-16 build
# with sanitizers, the same way every time, so the scripts that share a build
# folder never reconfigure it under each other.
#   clang_configure BUILD_DIR SANITIZERS [CMAKE_ARGS...]
# -O0 and line tables only: the sanitizers' reports need no more, and the
# cold CI budget (60 min for three builds) needs the compile time. Measured on
# the heaviest file, bot/server/http_server.cpp with ASan+UBSan+coverage:
# 24 s at -O0, 59 s at -O1. The tests are I/O-bound, so they barely notice.
# CLANG_OPT overrides the level for a build whose speed is the point (the
# release fuzz run: fuzz.sh --release).
# Each layer is one unit (HPOPS_UNITY_BUILD): the cold builds parse Boost and
# JSON once per layer instead of once per file, and CI compiles the layout the
# README's run command uses, with file-local names of a layer side by side.
clang_configure() {
  local build=$1 sanitizers=$2
  shift 2
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="${CLANG_OPT:--O0} -gline-tables-only" \
    -DHPOPS_SANITIZE="$sanitizers" -DHPOPS_UNITY_BUILD=ON -DBUILD_TESTING=ON -DHPOPS_BUILD_BENCH=OFF "$@" >/dev/null
}
