#!/usr/bin/env bash
# Print the host state that starting a local node can change, normalized so that two
# snapshots of an unchanged machine are identical: iptables rules and chains (packet counters
# removed), ipsets, network links, mounts, network namespaces, the kubelet's fixed host
# directories, the kubepods/k8s.io cgroups and the sysctls the node sets.
# stop-node.sh compares the snapshot taken before start with one taken after stop.
#
# Usage: e2e/scripts/host-snapshot.sh > FILE
set -uo pipefail

section() { printf '## %s\n' "$1"; }
for t in filter nat mangle raw; do
  section "iptables -t $t"
  iptables-save -t "$t" 2>/dev/null | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//'
done
section "ipsets"
ipset list -n 2>/dev/null | sort
section "links"
ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort
section "mounts"
findmnt -rn -o TARGET,FSTYPE | sort
section "netns"
ls /run/netns 2>/dev/null | sort
section "kubelet host dirs"
for p in /var/lib/kubelet /var/log/containers /var/log/pods /etc/cni/net.d /opt/cni; do [[ -e $p ]] && echo "$p"; done
section "cgroups"
for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/*/k8s.io /sys/fs/cgroup/kubepods* /sys/fs/cgroup/k8s.io; do [[ -d $d ]] && echo "$d"; done
section "sysctls"
for s in net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables; do echo "$s=$(sysctl -n "$s" 2>/dev/null)"; done
