#!/usr/bin/env bash
# A whole local cluster in WORKDIR: the control plane (start-control-plane.sh, API server on
# 6443) plus one node (start-node.sh: containerd, kubelet, scheduler, CoreDNS, kube-router's
# NetworkPolicy controller). Builds everything first (cached; the first build takes long).
# On failure, what was started is stopped again.
#
# Usage: e2e/scripts/start-cluster.sh WORKDIR AUDIT_POLICY_FILE
# Writes WORKDIR/env (control plane) and WORKDIR/node/env (node); stop with stop-cluster.sh.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -eq 2 ]] || { echo "usage: $0 WORKDIR AUDIT_POLICY_FILE" >&2; exit 2; }
log() { printf '[start-cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[[ $(id -u) -eq 0 ]] || { log "ERROR: the local node needs root (containerd, kubelet, iptables)"; exit 1; }
# One node per machine (start-node.sh enforces it too): refuse before starting anything.
if [[ -f /run/cdk8s-api-reader-node ]]; then
  other=$(</run/cdk8s-api-reader-node)
  if [[ -f $other/node/pids/containerd.pid ]] && kill -0 "$(<"$other/node/pids/containerd.pid")" 2>/dev/null; then
    log "ERROR: a local cluster is already running on this machine (dir $other); one per machine. Stop it first: e2e/scripts/stop-cluster.sh $other (or npm run cluster -- down if it is the npm one)"
    exit 1
  fi
fi
"$SCRIPT_DIR/ensure-host-packages.sh"

K8S_BIN=$("$SCRIPT_DIR/build-control-plane.sh" | tail -n1)
ADDONS_BIN=$("$SCRIPT_DIR/build-node-addons.sh" | tail -n1)
IMAGE_DIR=$("$SCRIPT_DIR/build-images.sh" "$ADDONS_BIN" | tail -n1)

mkdir -p "$1"
WORKDIR=$(cd "$1" && pwd)
started=0
on_exit() {
  local rc=$?
  ((rc == 0 || !started)) && return
  log "start failed (exit $rc): stopping the control plane"
  "$SCRIPT_DIR/stop-control-plane.sh" "$WORKDIR" >&2 || true
}
trap on_exit EXIT
# 6443: dist's NetworkPolicy allows egress to the API server on 443 and 6443 only, and the
# policy engine sees the port after the Service DNAT.
started=1
APISERVER_PORT=6443 CONTROL_PLANE_BIN_DIR=$K8S_BIN "$SCRIPT_DIR/start-control-plane.sh" "$WORKDIR" "$2"
"$SCRIPT_DIR/start-node.sh" "$WORKDIR" "$K8S_BIN" "$ADDONS_BIN" "$IMAGE_DIR"
log "cluster ready: export KUBECONFIG=$WORKDIR/kubeconfig"
