#!/usr/bin/env bash
# Stop the node start-node.sh added to CP_WORKDIR and undo every host change it made, then
# check that the host is as start-node.sh found it (host-snapshot.sh before vs after).
#
#  1. delete all pods while the kubelet runs (it stops their sandboxes: CNI DEL, unmounts)
#  2. stop kube-router-netpol (it removes its own chains and ipsets), kubelet, scheduler,
#     the containers' tasks and containerd: only PIDs recorded by start-node.sh (checked
#     against their command line) and shims of this node's containerd socket
#  3. unmount what is left under the node dir, delete the bridge and leftover netns
#  4. iptables rules/chains, ipsets, kubelet host dirs and cgroups that appeared since the
#     start and belong to the node (KUBE-*, CNI-*, the pod subnet, our DNAT comment)
#  5. restore the sysctls start-node.sh changed
# Idempotent. Exit 0: host as found; 3: a difference remains (printed); 2: usage.
#
# Usage: e2e/scripts/stop-node.sh CP_WORKDIR
set -uo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 CP_WORKDIR" >&2; exit 2; }
[[ -d $1/node ]] || exit 0
CP=$(cd "$1" && pwd) N=$(cd "$1/node" && pwd)
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OWNER_FILE=/run/cdk8s-api-reader-node BRIDGE=cdk8sbr0
SOCK=$N/containerd/containerd.sock
OURS='KUBE-|CNI-|cdk8s-api-reader|10\.244\.0\.|cdk8sbr0'
log() { printf '[stop-node %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

ours() { [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"; }
stop_pid() { # PID MARKER GRACE_SECONDS
  local pid=$1 i
  ours "$pid" "$2" || return 0
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < $3 * 10; i++)); do ours "$pid" "$2" || return 0; sleep 0.1; done
  log "pid $pid still running $3 s after SIGTERM: SIGKILL"
  kill -KILL "$pid" 2>/dev/null
  for ((i = 0; i < 50; i++)); do ours "$pid" "$2" || return 0; sleep 0.1; done
}
pidof_c() { [[ -f $N/pids/$1.pid ]] && cat "$N/pids/$1.pid"; }

# 1. pods first, while the kubelet can still tear them down cleanly
if [[ -f $CP/env ]] && pid=$(pidof_c kubelet) && ours "$pid" "$CP"; then
  # shellcheck disable=SC1091
  source "$CP/env"
  log "deleting all pods (the kubelet stops their sandboxes)"
  if "$KUBECTL" --kubeconfig="$KUBECONFIG" delete pods --all -A --grace-period=1 --wait=false >/dev/null 2>&1; then
    # The kubelet stops the containers and sandboxes (CNI DEL) right after: wait for no running task.
    for _ in $(seq 40); do
      [[ -z $(ctr -a "$SOCK" -n k8s.io tasks ls -q 2>/dev/null) ]] && break
      sleep 0.5
    done
  else
    log "pod deletion did not finish; stopping the node anyway"
  fi
fi

# 2. processes
log "stopping kube-router-netpol, kubelet, kube-scheduler, containerd"
# (every node process has a path under CP_WORKDIR in its arguments: the marker checked)
pid=$(pidof_c kube-router-netpol) && stop_pid "$pid" "$CP" 15
for c in kubelet kube-scheduler; do pid=$(pidof_c "$c") && stop_pid "$pid" "$CP" 10; done
if pid=$(pidof_c containerd) && ours "$pid" "$CP"; then
  for t in $(ctr -a "$SOCK" -n k8s.io tasks ls -q 2>/dev/null); do
    ctr -a "$SOCK" -n k8s.io tasks kill -s SIGKILL "$t" >/dev/null 2>&1
    sleep 0.2
    ctr -a "$SOCK" -n k8s.io tasks delete -f "$t" >/dev/null 2>&1
  done
  stop_pid "$pid" "$CP" 10
fi
for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $SOCK" 2>/dev/null); do stop_pid "$pid" "$SOCK" 5; done
rm -f "$N"/pids/*.pid

# 3. mounts (kubelet root-dir bind mounts, volumes, shm, overlay rootfs), deepest first
findmnt -rn -o TARGET | grep -E "^$N(/|$)" | sort -r | while read -r m; do
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
done
ip link del "$BRIDGE" 2>/dev/null
before_section() { # NAME: the lines of one section of host-before.txt
  awk -v s="## $1" '$0 == s { on = 1; next } /^## / { on = 0 } on' "$N/host-before.txt" 2>/dev/null
}
for f in /run/netns/cni-*; do
  [[ -e $f ]] || continue
  before_section netns | grep -qxF "$(basename "$f")" || ip netns del "$(basename "$f")" 2>/dev/null
done

# 4. iptables: delete added rules that are ours, then added chains that are ours
for t in filter nat mangle raw; do
  before=$(before_section "iptables -t $t")
  now=$(iptables-save -t "$t" 2>/dev/null | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//')
  while read -r rule; do
    [[ -n $rule ]] && eval "iptables -t $t ${rule/#-A /-D }" 2>/dev/null
  done < <(comm -13 <(sort <<<"$before") <(sort <<<"$now") | grep -E '^-A ' | grep -E -- "$OURS")
  chains=$(comm -13 <(sort <<<"$before") <(sort <<<"$now") | sed -n 's/^:\([^ ]*\) .*/\1/p' | grep -E -- "$OURS")
  for c in $chains; do iptables -t "$t" -F "$c" 2>/dev/null; done
  for c in $chains; do iptables -t "$t" -X "$c" 2>/dev/null; done
done
for s in $(ipset list -n 2>/dev/null); do
  before_section ipsets | grep -qxF "$s" || { [[ $s =~ ^(KUBE-|kube-router) ]] && ipset destroy "$s" 2>/dev/null; }
done

# kubelet's fixed host paths and cgroups, when this node created them
for p in /var/lib/kubelet /var/log/containers /var/log/pods; do
  before_section "kubelet host dirs" | grep -qxF "$p" || rm -rf "$p"
done
for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/*/k8s.io /sys/fs/cgroup/kubepods* /sys/fs/cgroup/k8s.io; do
  [[ -d $d ]] || continue
  before_section cgroups | grep -qxF "$d" || find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
done

# 5. sysctls
[[ -f $N/ip_forward.before ]] && sysctl -qw "net.ipv4.ip_forward=$(<"$N/ip_forward.before")"
[[ -f $N/bridge-nf.before ]] && sysctl -qw "net.bridge.bridge-nf-call-iptables=$(<"$N/bridge-nf.before")"
[[ -f $OWNER_FILE && $(<"$OWNER_FILE") == "$CP" ]] && rm -f "$OWNER_FILE"

# The check: no node process left, and the host as it was found
left=$(pgrep -fa "^[^ ]*(containerd|kubelet|kube-scheduler|kube-router-netpol|containerd-shim-runc-v2) .*$CP" 2>/dev/null)
if [[ -n $left ]]; then
  log "ERROR: node processes still running:"
  echo "$left" >&2
  exit 3
fi
[[ -f $N/host-before.txt ]] || { log "node stopped (no start snapshot to compare)"; exit 0; }
"$SCRIPT_DIR/host-snapshot.sh" >"$N/host-after.txt"
if ! diff -u "$N/host-before.txt" "$N/host-after.txt" >"$N/host-diff.txt"; then
  log "ERROR: the host differs from before the node started (- before, + now):"
  cat "$N/host-diff.txt" >&2
  exit 3
fi
log "node stopped; host state equals the snapshot taken before start"
