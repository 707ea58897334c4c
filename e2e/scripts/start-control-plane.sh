#!/usr/bin/env bash
# Start a local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager)
# on 127.0.0.1 only, with random free ports, everything (certs, data, logs, pids) in
# WORKDIR. No kubelet/scheduler here: start-node.sh adds them (start-cluster.sh does both).
#
# Usage: e2e/scripts/start-control-plane.sh WORKDIR AUDIT_POLICY_FILE
#   env CONTROL_PLANE_BIN_DIR  use these binaries instead of running build-control-plane.sh
#       CONTROL_PLANE_TIMEOUT  seconds to wait for each readiness stage (default 90)
#       CONTROL_PLANE_CERT_TOOL=go  use gencerts.go even when openssl is installed
#       APISERVER_PORT         a fixed port for the API server (default: a random free one);
#                              start-cluster.sh uses 6443, the port NetworkPolicies allow
#       AUDIT_WEBHOOK_CONFIG_FILE  also send audit events to the webhook this kubeconfig names
#                                  (batch mode, at most 1s late; the log file backend stays on)
# Writes WORKDIR/kubeconfig (admin) and WORKDIR/env (source it: KUBECONFIG, APISERVER_URL,
# CA_FILE, AUDIT_LOG, KUBECTL, SA_ISSUER, ADMIN_TOKEN, *_PID ...).
# Stop with e2e/scripts/stop-control-plane.sh WORKDIR. Each start is a fresh, empty
# cluster: a previous run's etcd data in WORKDIR is discarded.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { printf '[start-control-plane %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ $# -ne 2 ]]; then
  echo "usage: $0 WORKDIR AUDIT_POLICY_FILE" >&2
  exit 2
fi
mkdir -p "$1"
WORKDIR=$(cd "$1" && pwd)
AUDIT_POLICY_FILE=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
[[ -f $AUDIT_POLICY_FILE ]] || { log "ERROR: audit policy file not found: $2"; exit 2; }
TIMEOUT="${CONTROL_PLANE_TIMEOUT:-90}"

start_ns=$(date +%s%N)

# --- binaries ----------------------------------------------------------------------------
# The build script exits at once when the cached binaries already report the right
# versions, and builds them otherwise (slow, once per machine).
if [[ -n ${CONTROL_PLANE_BIN_DIR:-} ]]; then
  BIN_DIR=$CONTROL_PLANE_BIN_DIR
else
  BIN_DIR=$("$SCRIPT_DIR/build-control-plane.sh" | tail -n1)
fi
for b in etcd kube-apiserver kube-controller-manager kubectl; do
  [[ -x $BIN_DIR/$b ]] || { log "ERROR: $BIN_DIR/$b missing (run build-control-plane.sh)"; exit 1; }
done
KUBECTL="$BIN_DIR/kubectl"

# --- refuse to start twice in one WORKDIR -------------------------------------------------
PID_DIR="$WORKDIR/pids"
if compgen -G "$PID_DIR/*.pid" >/dev/null; then
  for f in "$PID_DIR"/*.pid; do
    pid=$(<"$f")
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
      log "ERROR: $(basename "$f" .pid) (pid $pid) is still running for $WORKDIR; stop it first"
      exit 1
    fi
  done
fi

# Anything that fails from here on must not leave half a control plane running.
started=0
on_exit() {
  local rc=$?
  if ((rc != 0 && started)); then
    log "start failed (exit $rc): stopping what was started"
    "$SCRIPT_DIR/stop-control-plane.sh" "$WORKDIR" >&2 || true
  fi
}
trap on_exit EXIT

PKI="$WORKDIR/pki"
LOG_DIR="$WORKDIR/logs"
rm -rf "$WORKDIR/etcd-data" "$PKI" "$PID_DIR" "$LOG_DIR"
mkdir -p "$PKI" "$PID_DIR" "$LOG_DIR" "$WORKDIR/etcd-data"
chmod 700 "$WORKDIR/etcd-data" "$PKI" # etcd warns/refuses on a world-readable data dir

# --- ports -------------------------------------------------------------------------------
# Random free ports, so parallel runs and a real cluster's 2379/6443/10257 never collide.
# Taken from 20000-31999: below the kernel's ephemeral range (32768+), so outgoing
# connections cannot grab them between the pick and the bind. "Free" = not present in
# /proc/net/tcp{,6} in any state.
declare -A taken=()
while read -r _ local_addr _; do
  [[ $local_addr == *:* ]] || continue
  taken[$((16#${local_addr##*:}))]=1
done < <(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null)
pick_port() { # VARNAME: set VARNAME to a free port (no subshell, so `taken` is updated)
  local p
  while :; do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    [[ -z ${taken[$p]:-} ]] && break
  done
  taken[$p]=1
  printf -v "$1" '%s' "$p"
}
pick_port ETCD_CLIENT_PORT
pick_port ETCD_PEER_PORT
if [[ -n ${APISERVER_PORT:-} ]]; then
  [[ -z ${taken[$APISERVER_PORT]:-} ]] || { log "ERROR: APISERVER_PORT $APISERVER_PORT is in use (another cluster running?)"; exit 1; }
  taken[$APISERVER_PORT]=1
else
  pick_port APISERVER_PORT
fi
pick_port KCM_PORT
APISERVER_URL="https://127.0.0.1:$APISERVER_PORT"
ETCD_URL="http://127.0.0.1:$ETCD_CLIENT_PORT"
# Stable across restarts (not port-dependent); the default TokenRequest audience.
SA_ISSUER="https://kubernetes.default.svc.cluster.local"

# --- PKI -----------------------------------------------------------------------------------
# Own CA + serving cert valid for both 127.0.0.1 and localhost (apiserver's self-signed
# cert covers only one of them), and an RSA service-account key pair.
if command -v openssl >/dev/null && [[ ${CONTROL_PLANE_CERT_TOOL:-} != go ]]; then
  (
    cd "$PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 366 \
      -subj "/CN=cdk8s-api-reader-e2e-ca" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
    openssl req -newkey rsa:2048 -nodes -keyout serving.key -out serving.csr \
      -subj "/CN=kube-apiserver"
    printf '%s\n' \
      "subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc" \
      "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" >serving.ext
    openssl x509 -req -in serving.csr -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
      -days 366 -extfile serving.ext -out serving.crt
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
  ) >"$LOG_DIR/pki.log" 2>&1 || { log "ERROR: openssl failed:"; tail -n 20 "$LOG_DIR/pki.log" >&2; exit 1; }
else
  (GOTOOLCHAIN=local CGO_ENABLED=0 go run "$SCRIPT_DIR/gencerts.go" "$PKI") >"$LOG_DIR/pki.log" 2>&1 \
    || { log "ERROR: gencerts.go failed:"; tail -n 20 "$LOG_DIR/pki.log" >&2; exit 1; }
fi
CA_FILE="$PKI/ca.crt"

# Static bearer tokens: the admin (for tests/kubectl) and the controller-manager, both in
# system:masters so no RBAC setup is needed for them.
rand_hex() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
ADMIN_TOKEN=$(rand_hex)
KCM_TOKEN=$(rand_hex)
umask 077
printf '%s\n' \
  "$ADMIN_TOKEN,admin,uid-admin,\"system:masters\"" \
  "$KCM_TOKEN,system:kube-controller-manager,uid-kcm,\"system:masters\"" >"$PKI/tokens.csv"

write_kubeconfig() { # FILE USER TOKEN
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: $APISERVER_URL
    certificate-authority: $CA_FILE
users:
- name: $2
  user:
    token: $3
contexts:
- name: local
  context:
    cluster: local
    user: $2
current-context: local
EOF
}
write_kubeconfig "$WORKDIR/kubeconfig" admin "$ADMIN_TOKEN"
write_kubeconfig "$PKI/kcm.kubeconfig" system:kube-controller-manager "$KCM_TOKEN"
umask 022

# --- process helpers -----------------------------------------------------------------------
# setsid: own session, so a Ctrl-C/SIGHUP aimed at the caller's terminal or process group
# does not hit them (stop-control-plane.sh is the way to stop). stdin/stdout/stderr are
# detached so a caller reading our output gets EOF when this script exits.
start_proc() { # NAME BINARY ARGS...
  local name=$1
  shift
  setsid "$@" </dev/null >"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$PID_DIR/$name.pid"
  started=1
}
fail_with_log() { # NAME MESSAGE
  log "ERROR: $2"
  log "last lines of $LOG_DIR/$1.log:"
  tail -n 30 "$LOG_DIR/$1.log" >&2 || true
  exit 1
}
alive() { kill -0 "$(<"$PID_DIR/$1.pid")" 2>/dev/null; }
# wait_for NAME DESCRIPTION COMMAND...: poll COMMAND until it succeeds, the component
# NAME dies, or TIMEOUT seconds pass; on failure show that component's log.
wait_for() {
  local name=$1 what=$2 deadline=$((SECONDS + TIMEOUT))
  shift 2
  until "$@" >/dev/null 2>&1; do
    alive "$name" || fail_with_log "$name" "$name exited while waiting for $what"
    ((SECONDS < deadline)) || fail_with_log "$name" "timed out after ${TIMEOUT}s waiting for $what"
    sleep 0.2
  done
}

# --- etcd ------------------------------------------------------------------------------------
log "starting etcd on $ETCD_URL"
start_proc etcd "$BIN_DIR/etcd" \
  --name=e2e \
  --data-dir="$WORKDIR/etcd-data" \
  --listen-client-urls="$ETCD_URL" \
  --advertise-client-urls="$ETCD_URL" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="e2e=http://127.0.0.1:$ETCD_PEER_PORT" \
  --unsafe-no-fsync \
  --log-level=warn
etcd_healthy() { curl -fsS --max-time 2 "$ETCD_URL/health" | grep -q '"health":"true"'; }
wait_for etcd "etcd /health" etcd_healthy

# --- kube-apiserver ---------------------------------------------------------------------------
AUDIT_WEBHOOK_ARGS=()
if [[ -n ${AUDIT_WEBHOOK_CONFIG_FILE:-} ]]; then
  [[ -f $AUDIT_WEBHOOK_CONFIG_FILE ]] || { log "ERROR: audit webhook config not found: $AUDIT_WEBHOOK_CONFIG_FILE"; exit 2; }
  AUDIT_WEBHOOK_ARGS=(
    --audit-webhook-config-file="$(cd "$(dirname "$AUDIT_WEBHOOK_CONFIG_FILE")" && pwd)/$(basename "$AUDIT_WEBHOOK_CONFIG_FILE")"
    --audit-webhook-mode=batch
    --audit-webhook-batch-max-wait=1s
  )
  log "audit events also go to the webhook in $AUDIT_WEBHOOK_CONFIG_FILE"
fi
log "starting kube-apiserver on $APISERVER_URL"
start_proc kube-apiserver "$BIN_DIR/kube-apiserver" \
  --etcd-servers="$ETCD_URL" \
  --bind-address=127.0.0.1 \
  --secure-port="$APISERVER_PORT" \
  --advertise-address=127.0.0.1 \
  --endpoint-reconciler-type=none \
  --cert-dir="$PKI/apiserver" \
  --tls-cert-file="$PKI/serving.crt" \
  --tls-private-key-file="$PKI/serving.key" \
  --service-cluster-ip-range=10.0.0.0/24 \
  --authorization-mode=RBAC \
  --token-auth-file="$PKI/tokens.csv" \
  --service-account-issuer="$SA_ISSUER" \
  --service-account-key-file="$PKI/sa.pub" \
  --service-account-signing-key-file="$PKI/sa.key" \
  --audit-policy-file="$AUDIT_POLICY_FILE" \
  --audit-log-path="$WORKDIR/audit.log" \
  ${AUDIT_WEBHOOK_ARGS[@]+"${AUDIT_WEBHOOK_ARGS[@]}"} \
  --profiling=false
apiserver_ready() { [[ $(curl -fsS --max-time 5 --cacert "$CA_FILE" "$APISERVER_URL/readyz") == ok ]]; }
wait_for kube-apiserver "$APISERVER_URL/readyz" apiserver_ready

# --- kube-controller-manager ------------------------------------------------------------------
# Only the controllers the tests need: per-namespace `default` ServiceAccounts, the
# kube-root-ca.crt ConfigMaps, the rules of the aggregated admin/edit/view ClusterRoles,
# namespace deletion, ownerReference garbage collection, and the token controller that
# fills legacy `kubernetes.io/service-account-token` Secrets (seed 004).
log "starting kube-controller-manager (health port $KCM_PORT)"
start_proc kube-controller-manager "$BIN_DIR/kube-controller-manager" \
  --kubeconfig="$PKI/kcm.kubeconfig" \
  --controllers=serviceaccount-controller,serviceaccount-token-controller,root-ca-certificate-publisher-controller,clusterrole-aggregation-controller,namespace-controller,garbage-collector-controller \
  --service-account-private-key-file="$PKI/sa.key" \
  --root-ca-file="$CA_FILE" \
  --leader-elect=false \
  --bind-address=127.0.0.1 \
  --secure-port="$KCM_PORT" \
  --cert-dir="$PKI/kcm"

k() { "$KUBECTL" --kubeconfig="$WORKDIR/kubeconfig" --request-timeout=5s "$@"; }
view_has_rules() { [[ -n $(k get clusterrole view -o 'jsonpath={.rules[*].resources}') ]]; }
wait_for kube-controller-manager "ServiceAccount default/default" k get serviceaccount default -n default
wait_for kube-controller-manager "ConfigMap default/kube-root-ca.crt" k get configmap kube-root-ca.crt -n default
wait_for kube-controller-manager "rules in clusterrole/view (aggregation)" view_has_rules

# --- hand-off -------------------------------------------------------------------------------
{
  printf 'export %s=%q\n' \
    KUBECONFIG "$WORKDIR/kubeconfig" \
    APISERVER_URL "$APISERVER_URL" \
    CA_FILE "$CA_FILE" \
    ADMIN_TOKEN "$ADMIN_TOKEN" \
    AUDIT_LOG "$WORKDIR/audit.log" \
    KUBECTL "$KUBECTL" \
    CONTROL_PLANE_BIN_DIR "$BIN_DIR" \
    SA_ISSUER "$SA_ISSUER" \
    ETCD_URL "$ETCD_URL" \
    ETCD_PID "$(<"$PID_DIR/etcd.pid")" \
    APISERVER_PID "$(<"$PID_DIR/kube-apiserver.pid")" \
    KCM_PID "$(<"$PID_DIR/kube-controller-manager.pid")" \
    CONTROL_PLANE_WORKDIR "$WORKDIR"
} >"$WORKDIR/env"

elapsed_ms=$((($(date +%s%N) - start_ns) / 1000000))
log "ready in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))s: $APISERVER_URL (source $WORKDIR/env)"
