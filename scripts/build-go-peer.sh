#!/usr/bin/env bash
# Builds a test peer written in Go from the Go module proxy, with the machine's
# Go: `kube` (a real kube-apiserver and etcd) or `toxiproxy` (Shopify's
# fault-injecting TCP proxy). tests/peers/<peer>/go.mod pins the versions.
# Idempotent: the binaries are cached outside the checkout, in
# ~/.cache/hpops/<peer>-peer/<version>/ (HPOPS_<PEER>_PEER_DIR overrides), and
# reused when present, so a fresh clone builds nothing.
# Usage: build-go-peer.sh PEER [BUILD_DIR]; with BUILD_DIR, links the binaries
# into BUILD_DIR/<peer>-peer. Prints the directory holding them on its last line.
set -euo pipefail

peer="${1:?usage: build-go-peer.sh kube|toxiproxy [build-dir]}"
shift
module="$(cd "$(dirname "$0")/../tests/peers/$peer" && pwd)"
# Each peer: the module whose version names the cache, and binary=package pairs.
case "$peer" in
  kube)
    versioned=k8s.io/kubernetes
    builds=(etcd=./cmd/etcd kube-apiserver=./cmd/kube-apiserver)
    minutes="about 20 minutes" ;;
  toxiproxy)
    versioned=github.com/Shopify/toxiproxy/v2
    builds=(toxiproxy-server=github.com/Shopify/toxiproxy/v2/cmd/server)
    minutes="about a minute" ;;
  *) echo "build-go-peer: unknown peer $peer (kube or toxiproxy)" >&2; exit 2 ;;
esac
version="$(awk -v m="$versioned" '($1 == m || ($1 == "require" && $2 == m)) {print $NF; exit}' "$module/go.mod")"
override="HPOPS_$(echo "$peer" | tr '[:lower:]' '[:upper:]')_PEER_DIR"
dir="${!override:-${XDG_CACHE_HOME:-$HOME/.cache}/hpops/$peer-peer/$version}"

have_all() {
  for build in "${builds[@]}"; do [ -x "$dir/${build%%=*}" ] || return 1; done
}

if ! have_all; then
  command -v go >/dev/null || { echo "build-go-peer: Go is not installed (apt-get install golang-go, or go.dev/dl)" >&2; exit 1; }
  mkdir -p "$dir"
  # One build at a time per cache: a second caller waits and then reuses it.
  exec 9>"$dir/.lock"
  flock 9
  if ! have_all; then
    echo "build-go-peer: building $peer $version into $dir ($minutes the first time)" >&2
    started=$SECONDS
    tmp="$(mktemp -d "$dir/.build.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    for build in "${builds[@]}"; do
      # -p 2: the machines this runs on share two cores.
      (cd "$module" && go build -p "${HPOPS_GO_JOBS:-2}" -trimpath -o "$tmp/${build%%=*}" "${build#*=}")
    done
    for build in "${builds[@]}"; do mv -f "$tmp/${build%%=*}" "$dir/${build%%=*}"; done
    echo "build-go-peer: built $peer in $((SECONDS - started)) s" >&2
  fi
fi

if [ $# -ge 1 ]; then
  mkdir -p "$1/$peer-peer"
  for build in "${builds[@]}"; do ln -sfn "$dir/${build%%=*}" "$1/$peer-peer/${build%%=*}"; done
fi
echo "$dir"
