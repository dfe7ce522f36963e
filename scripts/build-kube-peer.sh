#!/usr/bin/env bash
# Builds the tests' Kubernetes peer, a real kube-apiserver and etcd, with the
# machine's Go from the Go module proxy (tests/peers/kube pins the versions).
# Idempotent: the binaries are cached outside the checkout, in
# ~/.cache/hpops/kube-peer/<kubernetes version>/ (HPOPS_KUBE_PEER_DIR
# overrides), and reused when present, so a fresh clone builds nothing.
# With a build folder as argument, links the binaries into <build>/kube-peer.
# Prints the directory holding the binaries on its last line.
set -euo pipefail

module="$(cd "$(dirname "$0")/../tests/peers/kube" && pwd)"
version="$(awk '$1 == "k8s.io/kubernetes" {print $2; exit}' "$module/go.mod")"
dir="${HPOPS_KUBE_PEER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hpops/kube-peer/$version}"
binaries=(etcd kube-apiserver)

have_all() {
  for b in "${binaries[@]}"; do [ -x "$dir/$b" ] || return 1; done
}

if ! have_all; then
  command -v go >/dev/null || { echo "build-kube-peer: Go is not installed (apt-get install golang-go, or go.dev/dl)" >&2; exit 1; }
  mkdir -p "$dir"
  # One build at a time per cache: a second caller waits and then reuses it.
  exec 9>"$dir/.lock"
  flock 9
  if ! have_all; then
    echo "build-kube-peer: building kube-apiserver and etcd $version into $dir (several minutes the first time)" >&2
    started=$SECONDS
    tmp="$(mktemp -d "$dir/.build.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    # -p 2: the machines this runs on share two cores.
    (cd "$module" && go build -p "${HPOPS_GO_JOBS:-2}" -trimpath -o "$tmp/" ./cmd/etcd ./cmd/kube-apiserver)
    for b in "${binaries[@]}"; do mv -f "$tmp/$b" "$dir/$b"; done
    echo "build-kube-peer: built in $((SECONDS - started)) s" >&2
  fi
fi

if [ $# -ge 1 ]; then
  mkdir -p "$1/kube-peer"
  for b in "${binaries[@]}"; do ln -sfn "$dir/$b" "$1/kube-peer/$b"; done
fi
echo "$dir"
