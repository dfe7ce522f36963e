#!/usr/bin/env bash
# The tests' Kubernetes peer (a real kube-apiserver and etcd): see build-go-peer.sh.
exec "$(dirname "$0")/build-go-peer.sh" kube "$@"
