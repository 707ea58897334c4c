#!/usr/bin/env bash
# Make sure the Debian packages the local node needs are installed:
#   containerd, runc, containernetworking-plugins (CNI bridge/host-local/loopback/portmap),
#   iptables, ipset (kube-router's NetworkPolicy engine), mmdebstrap (builds the reader image).
# Running as root (CI): installs the missing ones with apt-get. Otherwise prints the exact
# command to run and exits 1, installing nothing.
#
# Usage: e2e/scripts/ensure-host-packages.sh
set -euo pipefail

log() { printf '[ensure-host-packages %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# package -> a file it installs, to test for without dpkg (works on any Debian-like host)
declare -A probe=(
  [containerd]=/usr/bin/containerd
  [runc]=/usr/sbin/runc
  [containernetworking-plugins]=/usr/lib/cni/bridge
  [iptables]=/usr/sbin/iptables
  [ipset]=/usr/sbin/ipset
  [mmdebstrap]=/usr/bin/mmdebstrap
)
missing=()
for pkg in containerd runc containernetworking-plugins iptables ipset mmdebstrap; do
  [[ -x ${probe[$pkg]} ]] || missing+=("$pkg")
done
((${#missing[@]} == 0)) && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  log "ERROR: missing Debian packages: ${missing[*]}. Install them as root, then run again:"
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi
log "installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
