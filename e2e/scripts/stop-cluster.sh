#!/usr/bin/env bash
# Stop what start-cluster.sh started in WORKDIR: the node first (while the API server still
# answers, so pods are deleted cleanly), then the control plane. Idempotent.
# Exit status: stop-node.sh's (3 when the host is not left as found), else the control plane's.
#
# Usage: e2e/scripts/stop-cluster.sh WORKDIR
set -uo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -eq 1 ]] || { echo "usage: $0 WORKDIR" >&2; exit 2; }
[[ -d $1 ]] || exit 0
"$SCRIPT_DIR/stop-node.sh" "$1"
node_rc=$?
"$SCRIPT_DIR/stop-control-plane.sh" "$1"
cp_rc=$?
((node_rc != 0)) && exit "$node_rc"
exit "$cp_rc"
