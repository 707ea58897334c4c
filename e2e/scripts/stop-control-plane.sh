#!/usr/bin/env bash
# Stop the control plane that start-control-plane.sh started in WORKDIR: SIGTERM, wait,
# then SIGKILL, for each process recorded in WORKDIR/pids. Idempotent: stopping twice or
# stopping a WORKDIR where nothing runs (or that does not exist) succeeds.
#
# Usage: e2e/scripts/stop-control-plane.sh WORKDIR
#   env CONTROL_PLANE_STOP_GRACE  seconds to wait after SIGTERM (default 10)
set -euo pipefail

log() { printf '[stop-control-plane %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ $# -ne 1 ]]; then
  echo "usage: $0 WORKDIR" >&2
  exit 2
fi
[[ -d $1 ]] || exit 0
WORKDIR=$(cd "$1" && pwd)
PID_DIR="$WORKDIR/pids"
GRACE="${CONTROL_PLANE_STOP_GRACE:-10}"

# A pid file can outlive its process and the pid be reused by something unrelated, so
# only signal a pid whose command line still mentions WORKDIR (every component we start
# gets paths inside it as arguments).
ours() { # PID
  local cmdline
  # (a zombie has an empty cmdline: it counts as gone; the braces catch the redirect error)
  cmdline=$({ tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null) || return 1
  [[ $cmdline == *"$WORKDIR"* ]]
}

# Reverse start order, one at a time: the controller-manager, then the apiserver, then etcd.
# Each is waited for before the next is signalled: an apiserver whose etcd is already gone
# hangs in its graceful shutdown (in-flight requests retry etcd) until SIGKILL.
for name in kube-controller-manager kube-apiserver etcd; do
  f="$PID_DIR/$name.pid"
  [[ -f $f ]] || continue
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] && ours "$pid" || continue
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + GRACE))
  while ours "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if ours "$pid"; then
    log "$name (pid $pid) still running ${GRACE}s after SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while ours "$pid"; do sleep 0.1; done
  fi
done

rm -f "$PID_DIR"/*.pid
