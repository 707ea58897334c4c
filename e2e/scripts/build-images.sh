#!/usr/bin/env bash
# Build the container images the local node runs, without any registry (none is reachable
# here), as docker-archive tarballs that `ctr images import` accepts:
#   reader   Debian bookworm, variant essential (sh, coreutils) + curl + ca-certificates:
#            what dist's reader pods need (/bin/sh, curl), run as any UID, read-only root.
#   busybox  Debian's busybox-static: the test server of the NetworkPolicy test (httpd).
#   pause    the same busybox running `sleep`: the pod sandbox image (the upstream pause
#            image cannot be pulled).
#   coredns  the CoreDNS binary from build-node-addons.sh, alone (static, CGO off).
# Cached under the cache root, keyed by this script's content, the Debian suite and the
# CoreDNS binary: a rebuild happens only when one of them changes.
#
# Usage: e2e/scripts/build-images.sh ADDONS_BIN_DIR
#   env CDK8S_API_READER_CACHE (cache root), IMAGE_SUITE (default bookworm).
# Prints the image directory as its last line of stdout; IMAGE_DIR/images.env names the tags.
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 ADDONS_BIN_DIR" >&2; exit 2; }
ADDONS_BIN_DIR=$(cd "$1" && pwd)
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SUITE=${IMAGE_SUITE:-bookworm}
CACHE_ROOT="${CDK8S_API_READER_CACHE:-$HOME/.cache/cdk8s-api-reader}"
log() { printf '[build-images %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

key=$( { cat "${BASH_SOURCE[0]}"; echo "$SUITE"; sha256sum <"$ADDONS_BIN_DIR/coredns"; } | sha256sum | cut -c1-12)
OUT=$CACHE_ROOT/images/$key
if [[ -f $OUT/images.env ]]; then
  log "up to date: $OUT"
  echo "$OUT"
  exit 0
fi
"$SCRIPT_DIR/ensure-host-packages.sh"
mkdir -p "$CACHE_ROOT/images"
tmp=$(mktemp -d "$CACHE_ROOT/images/.build-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# mk_image ROOTFS_TAR NAME OUT_TAR CMD...: one uncompressed layer + config + manifest.json
# (docker-archive). Fixed timestamps, so the same rootfs gives the same image id.
mk_image() {
  local rootfs=$1 name=$2 out=$3 d layer cfg cmd_json a
  shift 3
  d=$(mktemp -d "$tmp/img-XXXXXX")
  layer=$(sha256sum "$rootfs" | cut -d' ' -f1)
  mkdir "$d/$layer" && cp "$rootfs" "$d/$layer/layer.tar"
  cmd_json=$(for a in "$@"; do printf '"%s",' "$a"; done)
  printf '%s' "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"1970-01-01T00:00:00Z\",\
\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[${cmd_json%,}],\"WorkingDir\":\"/\"},\
\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$layer\"]}}" >"$d/config.json"
  cfg=$(sha256sum "$d/config.json" | cut -d' ' -f1)
  mv "$d/config.json" "$d/$cfg.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$cfg" "$name" "$layer" >"$d/manifest.json"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$d" -cf "$out" manifest.json "$cfg.json" "$layer"
  rm -rf "$d"
}

TAG_READER=localhost/cdk8s-api-reader/reader:$key
TAG_BUSYBOX=localhost/cdk8s-api-reader/busybox:$key
TAG_PAUSE=localhost/cdk8s-api-reader/pause:$key
TAG_COREDNS=localhost/cdk8s-api-reader/coredns:$key

# --- reader: mmdebstrap from the host's own apt sources (no mirror written here) -----------
sources=/etc/apt/sources.list.d/debian.sources
[[ -f $sources ]] || sources=/etc/apt/sources.list
[[ -f $sources ]] || die "no apt sources file found (looked for /etc/apt/sources.list.d/debian.sources and /etc/apt/sources.list)"
log "reader image: mmdebstrap $SUITE (essential + curl + ca-certificates; about 2 min)"
mmdebstrap --quiet --variant=essential --include=curl,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  "$SUITE" "$tmp/reader-rootfs.tar" "$sources" </dev/null >&2 \
  || die "mmdebstrap failed (output above)"
mk_image "$tmp/reader-rootfs.tar" "$TAG_READER" "$tmp/reader-image.tar" /bin/sh

# --- busybox + pause: Debian's busybox-static -------------------------------------------------
log "busybox + pause images: busybox-static"
(cd "$tmp" && apt-get download busybox-static >/dev/null 2>&1) || die "apt-get download busybox-static failed"
dpkg-deb -x "$tmp"/busybox-static_*.deb "$tmp/bb"
r=$tmp/bb-rootfs
mkdir -p "$r"/{bin,etc,tmp,proc,sys,dev,var/www}
cp "$tmp/bb/bin/busybox" "$r/bin/busybox"
for a in $("$r/bin/busybox" --list); do [[ -e $r/bin/$a ]] || ln -s busybox "$r/bin/$a"; done
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$r/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' >"$r/etc/group"
chmod 1777 "$r/tmp"
tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$r" -cf "$tmp/bb-rootfs.tar" .
mk_image "$tmp/bb-rootfs.tar" "$TAG_BUSYBOX" "$tmp/busybox-image.tar" /bin/sh
mk_image "$tmp/bb-rootfs.tar" "$TAG_PAUSE" "$tmp/pause-image.tar" /bin/sleep 2147483647

# --- coredns: the static binary alone ---------------------------------------------------------
log "coredns image"
mkdir -p "$tmp/dns/etc"
cp "$ADDONS_BIN_DIR/coredns" "$tmp/dns/coredns"
tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$tmp/dns" -cf "$tmp/coredns-rootfs.tar" .
mk_image "$tmp/coredns-rootfs.tar" "$TAG_COREDNS" "$tmp/coredns-image.tar" /coredns

mkdir -p "$OUT"
mv "$tmp"/{reader,busybox,pause,coredns}-image.tar "$OUT/"
printf 'export %s=%q\n' TAG_READER "$TAG_READER" TAG_BUSYBOX "$TAG_BUSYBOX" TAG_PAUSE "$TAG_PAUSE" \
  TAG_COREDNS "$TAG_COREDNS" >"$OUT/images.env.tmp"
mv "$OUT/images.env.tmp" "$OUT/images.env"
log "images in $OUT: $(cd "$OUT" && du -sh -- *.tar | tr '\n' ' ')"
echo "$OUT"
