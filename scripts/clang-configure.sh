# Sourced by sanitize.sh, fuzz.sh and tsan.sh: configures a clang-16 build
# with sanitizers, the same way every time, so the scripts that share a build
# folder never reconfigure it under each other.
#   clang_configure BUILD_DIR SANITIZERS [CMAKE_ARGS...]
# -O1 and line tables only: what the sanitizers' reports need (the
# sanitizers' own advice), at a fraction of the compile time of -O2 -g.
clang_configure() {
  local build=$1 sanitizers=$2
  shift 2
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DHPOPS_SANITIZE="$sanitizers" -DBUILD_TESTING=ON -DHPOPS_BUILD_BENCH=OFF "$@" >/dev/null
}
