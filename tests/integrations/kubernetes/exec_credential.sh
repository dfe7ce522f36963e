#!/bin/sh
# A stand-in exec credential plugin: prints an ExecCredential whose token is
# its first argument, and records its argv and environment where $RECORD says.
if [ -n "$RECORD" ]; then
  { for a in "$@"; do printf '%s\n' "$a"; done; printf 'EXTRA=%s\n' "$EXTRA"; printf 'INFO=%s\n' "$KUBERNETES_EXEC_INFO"; } > "$RECORD"
fi
if [ "$1" = "--fail" ]; then
  echo "plugin: not logged in" >&2
  exit 3
fi
if [ "$1" = "--hang" ]; then
  sleep 30
fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}\n' "$1"
