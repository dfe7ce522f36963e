#!/usr/bin/env bash
# Installs what hpops needs to build and test, on a fresh Debian 12 machine.
# Idempotent and quick when everything is already there. Caches live outside
# the checkout (~/.cache/hpops) so a fresh clone reuses them.
#
#   scripts/bootstrap.sh         everything the tests need (the README's test command)
#   scripts/bootstrap.sh --run   only what building hpops and scripts/run-local.sh
#                                need (the README's run command): no fuzzing
#                                toolchain, no Alertmanager, no MLflow, no Go peers
set -euo pipefail

mode=test
[ "${1:-}" = --run ] && mode=run

# Building hpops (GoogleTest too: configuring the build tree looks for it).
apt_packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-url1.81-dev libssl-dev libcurl4-openssl-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libyaml-cpp-dev libsqlite3-dev sqlite3 libpq-dev
  libgtest-dev libgmock-dev libre2-dev libpugixml-dev libhowardhinnant-date-dev tzdata
  python3-venv
)
if [ "$mode" = test ]; then
  apt_packages+=(
    clang-16 libfuzzer-16-dev libclang-rt-16-dev
    wrk curl
    prometheus-alertmanager
    postgresql
  )
fi

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Test peers from PyPI, in a venv kept across clones.
venv="${HPOPS_VENV:-$HOME/.cache/hpops/venv}"
requirements="$(dirname "$0")/../tests/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -x "$venv/bin/python" ]; then
  :  # every test peer is there, the local AWS stand-in with them
elif [ "$mode" = run ]; then
  # Only the local AWS stand-in (moto), at the version the tests pin.
  moto="$(grep '^moto' "$requirements")"
  if [ "$(cat "$venv/.run-requirements" 2>/dev/null)" != "$moto" ] || [ ! -x "$venv/bin/python" ]; then
    # In the background, beside the compile the README's run command starts
    # next: pip waits on the network, the compiler on the CPU (about 35 s
    # saved). The lock is taken here and held by the background job until the
    # venv is ready; scripts/run-local.sh waits on it before starting moto.
    echo "bootstrap: preparing the AWS stand-in's venv in $venv in the background (log: $venv.log)"
    mkdir -p "$(dirname "$venv")"
    exec 9>"$venv.lock"
    flock 9
    (python3 -m venv "$venv" && "$venv/bin/pip" install -q "$moto" && echo "$moto" > "$venv/.run-requirements") \
      >"$venv.log" 2>&1 &
    exec 9>&-
    venv_note=", being prepared in the background"
  fi
else
  # A background install of `--run` may still be under way: wait for it.
  mkdir -p "$(dirname "$venv")"
  exec 9>"$venv.lock"
  flock 9
  echo "bootstrap: preparing the test venv in $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q -r "$requirements"
  echo "$want" > "$stamp"
fi

# The Go peers, built once and cached outside the checkout: the Kubernetes
# peer (kube-apiserver, etcd: about 20 min the first time), Toxiproxy (the
# fault tests' TCP proxy: about a minute) and the Helm CLI (the chart's test:
# about 3 minutes). Nothing after. Tests only.
if [ "$mode" = test ]; then
  "$(dirname "$0")/build-go-peer.sh" kube >/dev/null
  "$(dirname "$0")/build-go-peer.sh" toxiproxy >/dev/null
  "$(dirname "$0")/build-go-peer.sh" helm >/dev/null
fi

echo "bootstrap: ready (venv $venv${venv_note:-})"
