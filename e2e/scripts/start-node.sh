#!/usr/bin/env bash
# Add one node to a control plane started by start-control-plane.sh CP_WORKDIR: a private
# containerd (images imported from build-images.sh, no registry), the kubelet, the
# kube-scheduler, kube-router's NetworkPolicy controller, and CoreDNS as a pod (kube-dns,
# 10.0.0.10). Waits until the node is Ready and cluster DNS answers through the kube-dns
# Service address.
#
# The Service addresses without kube-proxy (the apiserver listens on 127.0.0.1 only, and
# has no endpoints for `kubernetes` with --endpoint-reconciler-type=none): iptables DNAT
# 10.0.0.1:443 -> 127.0.0.1:APISERVER_PORT (route_localnet on the node's bridge only) and
# 10.0.0.10:53 -> the CoreDNS pod. The serving cert has IP SAN 10.0.0.1 and DNS SAN
# kubernetes.default.svc, so pods verify TLS with their own ca.crt.
#
# One node per machine: the bridge, the pod subnet, /var/lib/kubelet and the iptables rules
# are host-wide. A second start while one runs is refused (see /run/cdk8s-api-reader-node).
#
# Usage: e2e/scripts/start-node.sh CP_WORKDIR K8S_BIN_DIR ADDONS_BIN_DIR IMAGE_DIR
#   env NODE_TIMEOUT (seconds per stage, default 120)
# Writes CP_WORKDIR/node/env. Stop with stop-node.sh CP_WORKDIR (undoes every host change).
# On failure it names the component and its log file, and stops what it started.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -eq 4 ]] || { echo "usage: $0 CP_WORKDIR K8S_BIN_DIR ADDONS_BIN_DIR IMAGE_DIR" >&2; exit 2; }
CP=$(cd "$1" && pwd) BIN=$(cd "$2" && pwd) ADDONS=$(cd "$3" && pwd) IMAGES=$(cd "$4" && pwd)
N=$CP/node
TIMEOUT=${NODE_TIMEOUT:-120}
OWNER_FILE=/run/cdk8s-api-reader-node
BRIDGE=cdk8sbr0 POD_SUBNET=10.244.0.0/24 POD_GATEWAY=10.244.0.1
APISERVER_SVC_IP=10.0.0.1 DNS_SVC_IP=10.0.0.10 NODE_NAME=localhost

log() { printf '[start-node %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[[ $(id -u) -eq 0 ]] || die "a node needs root (containerd, kubelet, iptables); run as root"
# shellcheck disable=SC1091
source "$CP/env"
# shellcheck disable=SC1091
source "$IMAGES/images.env"
APISERVER_PORT=${APISERVER_URL##*:}
k() { "$KUBECTL" --kubeconfig="$KUBECONFIG" --request-timeout=10s "$@"; }

# --- one node per machine ----------------------------------------------------------------------
if [[ -f $OWNER_FILE ]]; then
  other=$(<"$OWNER_FILE")
  if [[ -f $other/node/pids/containerd.pid ]] && kill -0 "$(<"$other/node/pids/containerd.pid")" 2>/dev/null; then
    die "a local node is already running on this machine (cluster dir $other). One node per machine: stop it first with: e2e/scripts/stop-cluster.sh $other (or: npm run cluster -- down)"
  fi
  log "removing a stale $OWNER_FILE (its node is gone): $other"
fi
ip link show "$BRIDGE" >/dev/null 2>&1 && die "bridge $BRIDGE exists but no node owns it: run e2e/scripts/stop-node.sh on the cluster dir that made it, or 'ip link del $BRIDGE'"
"$SCRIPT_DIR/ensure-host-packages.sh"
for b in kubelet kube-scheduler; do [[ -x $BIN/$b ]] || die "$BIN/$b missing (run build-control-plane.sh)"; done
for b in coredns kube-router-netpol; do [[ -x $ADDONS/$b ]] || die "$ADDONS/$b missing (run build-node-addons.sh)"; done

rm -rf "$N"
mkdir -p "$N"/{logs,pids,kubelet,pod-logs,containerd/root,containerd/state,cni/net.d,cni/ipam}
echo "$CP" >"$OWNER_FILE"
"$SCRIPT_DIR/host-snapshot.sh" >"$N/host-before.txt"

on_exit() {
  local rc=$?
  if ((rc != 0)); then
    log "start failed (exit $rc): stopping what was started"
    "$SCRIPT_DIR/stop-node.sh" "$CP" >&2 || true
  fi
}
trap on_exit EXIT

start_proc() { # NAME ARGS...: own session (a terminal's Ctrl-C goes to the test runner, which stops us)
  local name=$1; shift
  setsid "$@" </dev/null >"$N/logs/$name.log" 2>&1 &
  echo $! >"$N/pids/$name.pid"
}
fail_with_log() { # NAME MESSAGE
  log "ERROR: $2"
  log "read $N/logs/$1.log; its last lines:"
  tail -n 25 "$N/logs/$1.log" >&2 || true
  exit 1
}
alive() { kill -0 "$(<"$N/pids/$1.pid")" 2>/dev/null; }
wait_for() { # NAME WHAT COMMAND...
  local name=$1 what=$2 deadline=$((SECONDS + TIMEOUT)); shift 2
  until "$@" >/dev/null 2>&1; do
    alive "$name" || fail_with_log "$name" "$name exited while waiting for $what"
    ((SECONDS < deadline)) || fail_with_log "$name" "timed out after ${TIMEOUT}s waiting for $what"
    sleep 0.5
  done
}

# --- host network: bridge, sysctls, Service DNAT --------------------------------------------
# The CNI bridge plugin adopts an existing bridge; create it first so route_localnet (needed
# to DNAT pod traffic to 127.0.0.1) is set on it alone, never on "all".
sysctl -n net.ipv4.ip_forward >"$N/ip_forward.before"
modprobe br_netfilter 2>/dev/null || true
[[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] \
  || die "br_netfilter is not available: pod-to-pod traffic on the bridge would bypass iptables, so NetworkPolicies could not be enforced"
sysctl -n net.bridge.bridge-nf-call-iptables >"$N/bridge-nf.before"
sysctl -qw net.bridge.bridge-nf-call-iptables=1
ip link add "$BRIDGE" type bridge
ip addr add "$POD_GATEWAY/24" dev "$BRIDGE"
ip link set "$BRIDGE" up
sysctl -qw "net.ipv4.conf.$BRIDGE.route_localnet=1"
COMMENT="cdk8s-api-reader-node"
dnat() { # CHAIN PROTO SERVICE_IP PORT TO
  iptables -t nat -A "$1" -d "$3/32" -p "$2" --dport "$4" -m comment --comment "$COMMENT" -j DNAT --to-destination "$5"
}
dnat PREROUTING tcp "$APISERVER_SVC_IP" 443 "127.0.0.1:$APISERVER_PORT"
dnat OUTPUT tcp "$APISERVER_SVC_IP" 443 "127.0.0.1:$APISERVER_PORT"

# --- containerd ---------------------------------------------------------------------------------
# restrict_oom_score_adj: without CAP_SYS_RESOURCE (some VMs and containers) runc cannot set
# the negative oom_score_adj the kubelet asks for, and every sandbox fails to start.
SOCK=$N/containerd/containerd.sock
cat >"$N/containerd.toml" <<TOML
version = 2
root = "$N/containerd/root"
state = "$N/containerd/state"
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$TAG_PAUSE"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$N/cni/net.d"
TOML
cat >"$N/cni/net.d/10-cdk8s-api-reader.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "cdk8s-api-reader-pods",
  "plugins": [
    {"type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": true, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$N/cni/ipam",
              "ranges": [[{"subnet": "$POD_SUBNET", "gateway": "$POD_GATEWAY"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}},
    {"type": "loopback"}
  ]
}
JSON
log "starting containerd ($SOCK)"
start_proc containerd containerd --config "$N/containerd.toml"
wait_for containerd "its socket" ctr -a "$SOCK" version
for t in "$IMAGES"/*-image.tar; do
  ctr -a "$SOCK" -n k8s.io images import "$t" >>"$N/logs/image-import.log" 2>&1 \
    || fail_with_log image-import "importing $t failed"
done

# --- kubelet + scheduler -----------------------------------------------------------------------
declare -A taken=()
while read -r _ a _; do [[ $a == *:* ]] && taken[$((16#${a##*:}))]=1; done < <(cat /proc/net/tcp /proc/net/tcp6)
pick_port() { local p; while :; do p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000)); [[ -z ${taken[$p]:-} ]] && break; done; taken[$p]=1; printf -v "$1" %s "$p"; }
pick_port KUBELET_PORT; pick_port KUBELET_HEALTHZ_PORT; pick_port SCHED_PORT
# The node's address: the source address of the default route (or the first global one).
NODE_IP=$(ip -4 route get 1.1.1.1 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") print $(i + 1)}')
[[ -n $NODE_IP ]] || NODE_IP=$(ip -4 -o addr show scope global | awk '{sub(/\/.*/, "", $4); print $4; exit}')
[[ -n $NODE_IP ]] || die "no IPv4 address for the node"

# The apiserver accepts no client certificates (no --client-ca-file), so the kubelet uses
# the admin bearer token; it dials the kubelet (logs/exec) with no client cert either, so the
# kubelet API allows anonymous requests and listens on 127.0.0.1 only, as node "localhost"
# (the apiserver dials the node's Hostname address first).
umask 077
cat >"$N/kubelet.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "$APISERVER_URL", certificate-authority: "$CA_FILE"}
users:
- name: kubelet
  user: {token: "$ADMIN_TOKEN"}
contexts:
- name: local
  context: {cluster: local, user: kubelet}
current-context: local
KC
umask 022
cat >"$N/kubelet-config.yaml" <<KCFG
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://$SOCK
address: 127.0.0.1
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
authentication:
  anonymous: {enabled: true}
  webhook: {enabled: false}
authorization: {mode: AlwaysAllow}
podLogsDir: $N/pod-logs
clusterDNS: [$DNS_SVC_IP]
clusterDomain: cluster.local
resolvConf: ""
registerNode: true
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {"memory.available": "100Mi", "nodefs.available": "1%", "imagefs.available": "1%"}
KCFG
log "starting kube-scheduler and kubelet (node $NODE_NAME, $NODE_IP)"
start_proc kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$KUBECONFIG" --leader-elect=false \
  --bind-address=127.0.0.1 --secure-port="$SCHED_PORT"
start_proc kubelet "$BIN/kubelet" --config="$N/kubelet-config.yaml" --kubeconfig="$N/kubelet.kubeconfig" \
  --root-dir="$N/kubelet" --cert-dir="$N/kubelet/pki" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" \
  --volume-plugin-dir="$N/kubelet/volume-plugins" --v=1
node_ready() { [[ $(k get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}') == True ]]; }
wait_for kubelet "node $NODE_NAME Ready" node_ready
alive kube-scheduler || fail_with_log kube-scheduler "kube-scheduler exited"
# The kubelet registers with node.kubernetes.io/not-ready:NoSchedule; the node-lifecycle
# controller that removes it once Ready is not run here (it also evicts), so remove it.
k taint nodes "$NODE_NAME" node.kubernetes.io/not-ready:NoSchedule- >/dev/null 2>&1 || true

# --- NetworkPolicy engine ------------------------------------------------------------------------
log "starting kube-router's NetworkPolicy controller"
start_proc kube-router-netpol "$ADDONS/kube-router-netpol" --kubeconfig="$KUBECONFIG" \
  --hostname-override="$NODE_NAME" --service-cluster-ip-range=10.0.0.0/24 \
  --iptables-sync-period=1m --health-port=0 --metrics-port=0 --v=1
netpol_ready() { iptables -S KUBE-ROUTER-FORWARD >/dev/null 2>&1; }
wait_for kube-router-netpol "its KUBE-ROUTER-FORWARD chain" netpol_ready

# --- cluster DNS --------------------------------------------------------------------------------
log "starting CoreDNS (pod kube-system/coredns, Service kube-dns $DNS_SVC_IP)"
sed -e "s#__IMAGE__#$TAG_COREDNS#" -e "s#__DNS_SVC_IP__#$DNS_SVC_IP#" "$SCRIPT_DIR/coredns.yaml" >"$N/coredns.yaml"
k apply -f "$N/coredns.yaml" >"$N/logs/coredns-apply.log" 2>&1 || fail_with_log coredns-apply "applying $N/coredns.yaml failed"
dns_ready() { [[ $(k -n kube-system get pod coredns -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}') == True ]]; }
wait_for kubelet "pod kube-system/coredns Ready (kubectl -n kube-system logs coredns)" dns_ready
DNS_POD_IP=$(k -n kube-system get pod coredns -o 'jsonpath={.status.podIP}')
for proto in udp tcp; do
  dnat PREROUTING "$proto" "$DNS_SVC_IP" 53 "$DNS_POD_IP:53"
  dnat OUTPUT "$proto" "$DNS_SVC_IP" 53 "$DNS_POD_IP:53"
done

printf 'export %s=%q\n' NODE_NAME "$NODE_NAME" NODE_IP "$NODE_IP" KUBELET_PORT "$KUBELET_PORT" \
  CONTAINERD_SOCK "$SOCK" DNS_SVC_IP "$DNS_SVC_IP" DNS_POD_IP "$DNS_POD_IP" NODE_DIR "$N" \
  READER_IMAGE "$TAG_READER" BUSYBOX_IMAGE "$TAG_BUSYBOX" >"$N/env"
log "node $NODE_NAME Ready; DNS at $DNS_SVC_IP -> $DNS_POD_IP; logs in $N/logs"
