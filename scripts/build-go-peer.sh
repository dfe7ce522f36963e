#!/usr/bin/env bash
# Builds a test peer written in Go from the Go module proxy, with the machine's
# Go: `kube` (a real kube-apiserver and etcd), `toxiproxy` (Shopify's
# fault-injecting TCP proxy) or `helm` (the Helm CLI, for the chart's test).
# tests/peers/<peer>/go.mod pins the versions.
# Idempotent: the binaries are cached outside the checkout, in
# ~/.cache/hpops/<peer>-peer/<version>/ (HPOPS_<PEER>_PEER_DIR overrides), and
# reused when present, so a fresh clone builds nothing.
# Usage: build-go-peer.sh PEER [BUILD_DIR]; with BUILD_DIR, links the binaries
# into BUILD_DIR/<peer>-peer. Prints the directory holding them on its last line.
set -euo pipefail

peer="${1:?usage: build-go-peer.sh kube|toxiproxy|helm [build-dir]}"
shift
module="$(cd "$(dirname "$0")/../tests/peers/$peer" && pwd)"
# Each peer: the module whose version names the cache, and binary=package pairs.
ldflags=()
# The version go.mod requires of a module (on its own line, or in a block).
pinned() { awk -v m="$1" '$1 == m {print $2; exit} $1 == "require" && $2 == m {print $3; exit}' "$module/go.mod"; }
case "$peer" in
  kube)
    versioned=k8s.io/kubernetes
    builds=(etcd=./cmd/etcd kube-apiserver=./cmd/kube-apiserver)
    minutes="about 20 minutes" ;;
  toxiproxy)
    versioned=github.com/Shopify/toxiproxy/v2
    builds=(toxiproxy-server=github.com/Shopify/toxiproxy/v2/cmd/server)
    minutes="about a minute" ;;
  helm)
    versioned=helm.sh/helm/v3
    builds=(helm=helm.sh/helm/v3/cmd/helm)
    # What Helm's Makefile stamps in: its version, and the Kubernetes minor of
    # its client-go as the default for `helm template` and lint's deprecations
    # (v1.20 otherwise, older than any cluster the chart supports).
    k8s_minor="$(pinned k8s.io/client-go | cut -d. -f2)"
    ldflags=(-ldflags "-X helm.sh/helm/v3/internal/version.version=$(pinned helm.sh/helm/v3)
      -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$k8s_minor
      -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor")
    minutes="about 3 minutes" ;;
  *) echo "build-go-peer: unknown peer $peer (kube, toxiproxy or helm)" >&2; exit 2 ;;
esac
version="$(pinned "$versioned")"
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
      (cd "$module" && go build -p "${HPOPS_GO_JOBS:-2}" -trimpath "${ldflags[@]}" -o "$tmp/${build%%=*}" "${build#*=}")
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
