#!/usr/bin/env bash
# A throwaway local cluster to try the walkthrough on (no kind, no Docker), as root:
#   npm run cluster -- up      build (cached) and start it; prints how to use it
#   npm run cluster -- env     print the shell exports (eval "$(npm run -s cluster -- env)")
#   npm run cluster -- status  is it running?
#   npm run cluster -- down    stop it, undo every host change, delete its directory
# The cluster lives in $CDK8S_API_READER_CLUSTER_DIR (default /tmp/cdk8s-api-reader-cluster).
# Its API server keeps an audit log with dist/audit/audit-policy.yaml.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
DIR=${CDK8S_API_READER_CLUSTER_DIR:-/tmp/cdk8s-api-reader-cluster}

running() { [[ -f $DIR/node/env && -f $DIR/pids/kube-apiserver.pid ]] && kill -0 "$(<"$DIR/pids/kube-apiserver.pid")" 2>/dev/null; }
print_env() {
  # shellcheck disable=SC1091
  source "$DIR/env"
  # shellcheck disable=SC1091
  source "$DIR/node/env"
  printf 'export KUBECONFIG=%q\nexport PATH=%q:"$PATH"\nexport E2E_AUDIT_LOG=%q\n' \
    "$KUBECONFIG" "$CONTROL_PLANE_BIN_DIR" "$AUDIT_LOG"
  # for `npm run test:e2e` against this cluster: it cannot pull dist's image, so use the local ones
  printf 'export E2E_READER_IMAGE=%q\nexport E2E_BUSYBOX_IMAGE=%q\n' "$READER_IMAGE" "$BUSYBOX_IMAGE"
}

case ${1:-} in
  up)
    if running; then echo "already running in $DIR" >&2; print_env; exit 0; fi
    "$SCRIPT_DIR/start-cluster.sh" "$DIR" "$REPO/dist/audit/audit-policy.yaml"
    cat >&2 <<MSG

Local cluster running in $DIR (one node, "localhost").
Use it:   eval "\$(npm run -s cluster -- env)"
          kubectl apply -f dist/ ...    (the README's walkthrough)
Logs:     $DIR/logs/ (control plane), $DIR/node/logs/ (node), audit log $DIR/audit.log
Stop it:  npm run cluster -- down
MSG
    print_env
    ;;
  env)
    running || { echo "no local cluster running in $DIR (start one: npm run cluster -- up)" >&2; exit 1; }
    print_env
    ;;
  status)
    if running; then echo "running in $DIR"; else echo "not running ($DIR)"; exit 1; fi
    ;;
  down)
    rc=0
    "$SCRIPT_DIR/stop-cluster.sh" "$DIR" || rc=$?
    ((rc == 0)) && rm -rf "$DIR"
    exit "$rc"
    ;;
  *)
    echo "usage: npm run cluster -- up|env|status|down   (or: $0 up|env|status|down)" >&2
    exit 2
    ;;
esac
