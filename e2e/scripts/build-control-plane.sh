#!/usr/bin/env bash
# Build a real local Kubernetes cluster from Go modules:
#   kube-apiserver, kube-controller-manager, kubectl, and for the node kubelet and
#   kube-scheduler (one Kubernetes release, one `go build`), and etcd.
#
# Why from Go modules: the only network reachable here (and in CI) is the package
# registries, so prebuilt release binaries cannot be fetched; the Go module proxy can
# serve the sources.
#
# Why wrapper modules: `go install k8s.io/kubernetes/cmd/...@vX` fails because
# k8s.io/kubernetes's go.mod requires every staging module (k8s.io/api, ...) at v0.0.0
# and points it at ./staging/... with `replace`, which only applies inside that module.
# A generated wrapper module requires k8s.io/kubernetes and replaces each of those
# v0.0.0 requirements with the published staging release v0.<minor>.<patch>.
# etcd gets its own wrapper so the two builds cannot shift each other's dependencies.
#
# Output: ${CDK8S_API_READER_CACHE:-$HOME/.cache/cdk8s-api-reader}/k8s-<version>/bin/
# Re-running is cheap: if every binary exists and reports the wanted version, it exits.
#
# Usage: e2e/scripts/build-control-plane.sh
#   env K8S_VERSION (default below), ETCD_VERSION (default below),
#       CDK8S_API_READER_CACHE (cache root), BUILD_JOBS (go build -p, default: Go's).
# Prints the bin directory as its last line of stdout.
set -euo pipefail

# Pinned versions. etcd matches what this Kubernetes release itself tests against
# (hack/lib/etcd.sh ETCD_VERSION and kubeadm's DefaultEtcdVersion in v1.35.4).
K8S_VERSION="${K8S_VERSION:-v1.35.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.6}"

CACHE_ROOT="${CDK8S_API_READER_CACHE:-$HOME/.cache/cdk8s-api-reader}"
OUT_DIR="$CACHE_ROOT/k8s-$K8S_VERSION"
BIN_DIR="$OUT_DIR/bin"
K8S_WRAPPER="$OUT_DIR/src/kubernetes"
ETCD_WRAPPER="$OUT_DIR/src/etcd-$ETCD_VERSION"

# Never download a toolchain (only the local Go exists offline), build static binaries
# like upstream does, and keep VCS stamping out (the wrapper dirs are not repositories).
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS=-buildvcs=false

log() { printf '[build-control-plane %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $K8S_VERSION =~ ^v1\.([0-9]+)\.([0-9]+)(-[0-9A-Za-z.]+)?$ ]] \
  || die "K8S_VERSION must look like v1.35.4, got '$K8S_VERSION'"
K8S_MINOR="${BASH_REMATCH[1]}"
# 1.31+ only: earlier k8s.io/kubernetes module zips lack the generated OpenAPI file.
((K8S_MINOR >= 31)) || die "K8S_VERSION must be v1.31 or later (got $K8S_VERSION)"
# Staging modules are published as v0.<minor>.<patch> for release v1.<minor>.<patch>.
STAGING_VERSION="v0.${K8S_VERSION#v1.}"
[[ $ETCD_VERSION =~ ^v3\.[0-9]+\.[0-9]+$ ]] \
  || die "ETCD_VERSION must look like v3.6.6, got '$ETCD_VERSION'"

command -v go >/dev/null || die "go is not on PATH"

# --- version checks: decide what (if anything) needs building -------------------------
K8S_COMMANDS=(kube-apiserver kube-controller-manager kubectl kubelet kube-scheduler)
k8s_binaries_ok() {
  local b
  for b in "${K8S_COMMANDS[@]}"; do
    [[ -x $BIN_DIR/$b ]] || return 1
    if [[ $b == kubectl ]]; then
      [[ $("$BIN_DIR/kubectl" version --client 2>/dev/null | head -n1) == "Client Version: $K8S_VERSION" ]] || return 1
    else
      [[ $("$BIN_DIR/$b" --version 2>/dev/null) == "Kubernetes $K8S_VERSION" ]] || return 1
    fi
  done
}
etcd_binary_ok() {
  [[ -x $BIN_DIR/etcd ]] || return 1
  [[ $("$BIN_DIR/etcd" --version 2>/dev/null | head -n1) == "etcd Version: ${ETCD_VERSION#v}" ]]
}

need_k8s=1 need_etcd=1
k8s_binaries_ok && need_k8s=0
etcd_binary_ok && need_etcd=0
if ((need_k8s == 0 && need_etcd == 0)); then
  log "up to date: Kubernetes $K8S_VERSION + etcd $ETCD_VERSION in $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi

mkdir -p "$BIN_DIR" "$K8S_WRAPPER" "$ETCD_WRAPPER"
# Two runs at once (parallel CI jobs, two terminals) would rewrite the same wrapper
# modules under each other: serialize them, then re-check what the other run built.
if command -v flock >/dev/null; then
  exec 9>"$OUT_DIR/.build.lock"
  if ! flock -n 9; then
    log "another build of $K8S_VERSION is running; waiting for it"
    flock 9
  fi
  k8s_binaries_ok && need_k8s=0
  etcd_binary_ok && need_etcd=0
fi
log "go: $(go version); GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE)"

# Run `go mod download -json MOD@VER` from an empty directory (so no enclosing go.mod
# interferes) and print the value of one JSON field (GoMod, Info, Dir, ...).
# The -json output is one "Key": "value" pair per line, so sed suffices (no jq needed).
mod_download_field() {
  local modver=$1 field=$2 tmp out
  tmp=$(mktemp -d)
  if ! out=$(cd "$tmp" && go mod download -json "$modver"); then
    rm -rf "$tmp"
    printf '%s\n' "$out" >&2
    die "go mod download $modver failed"
  fi
  rm -rf "$tmp"
  printf '%s\n' "$out" | sed -n "s/^[[:space:]]*\"$field\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p"
}

# Print the directive value of a top-level single-line directive ("go", "godebug").
gomod_directive() { awk -v d="$1" '$1 == d { $1 = ""; sub(/^ /, ""); print; exit }' "$2"; }

# --- Kubernetes ------------------------------------------------------------------------
build_kubernetes() {
  log "Kubernetes $K8S_VERSION: fetching k8s.io/kubernetes module (about 19 MB zip)"
  local upstream_gomod info_file
  upstream_gomod=$(mod_download_field "k8s.io/kubernetes@$K8S_VERSION" GoMod)
  info_file=$(mod_download_field "k8s.io/kubernetes@$K8S_VERSION" Info)
  [[ -f $upstream_gomod ]] || die "no go.mod reported for k8s.io/kubernetes@$K8S_VERSION"

  # The staging modules: every k8s.io/* requirement at exactly v0.0.0 (not pseudo-versions
  # like k8s.io/utils v0.0.0-2025...). Handles both `require (` blocks and one-line requires.
  local -a required replaced
  mapfile -t required < <(awk '
    /^require[[:space:]]*\(/ { inreq = 1; next }
    inreq && /^\)/ { inreq = 0; next }
    inreq { if ($1 ~ /^k8s\.io\// && $2 == "v0.0.0") print $1; next }
    $1 == "require" && $2 ~ /^k8s\.io\// && $3 == "v0.0.0" { print $2 }
  ' "$upstream_gomod" | sort -u)
  # Cross-check against upstream's own `replace k8s.io/X => ./staging/...` lines, so a
  # format change upstream fails loudly instead of producing a half-replaced module.
  # (Upstream also replaces staging modules nothing requires, e.g. sample-controller:
  # those need no replace here, so only "every required one is replaced" is checked.)
  mapfile -t replaced < <(awk '
    $2 == "=>" && $1 ~ /^k8s\.io\// && $3 ~ /^\.\/staging\// { print $1 }
    $1 == "replace" && $3 == "=>" && $2 ~ /^k8s\.io\// && $4 ~ /^\.\/staging\// { print $2 }
  ' "$upstream_gomod" | sort -u)
  ((${#required[@]} > 0)) || die "found no k8s.io/* v0.0.0 requirements in $upstream_gomod"
  local not_replaced
  not_replaced=$(comm -23 <(printf '%s\n' "${required[@]}") <(printf '%s\n' "${replaced[@]}"))
  [[ -z $not_replaced ]] \
    || die "k8s.io/* v0.0.0 requirements without a ./staging replace in $upstream_gomod: $not_replaced"
  log "Kubernetes $K8S_VERSION: ${#required[@]} staging modules -> $STAGING_VERSION"

  # Keep upstream's language version and GODEBUG defaults, so the binaries behave like
  # upstream's (the wrapper is the main module, so its go/godebug lines decide).
  local go_line godebug_line
  go_line=$(gomod_directive go "$upstream_gomod")
  godebug_line=$(gomod_directive godebug "$upstream_gomod")
  [[ -n $go_line ]] || die "no go directive in $upstream_gomod"

  {
    echo "// Generated by e2e/scripts/build-control-plane.sh from the go.mod of"
    echo "// k8s.io/kubernetes@$K8S_VERSION. Do not edit: rerun the script."
    echo "module local/cdk8s-api-reader/kubernetes-build"
    echo
    echo "go $go_line"
    [[ -z $godebug_line ]] || printf '\ngodebug %s\n' "$godebug_line"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    local m
    for m in "${required[@]}"; do
      printf '\t%s => %s %s\n' "$m" "$m" "$STAGING_VERSION"
    done
    echo ")"
  } >"$K8S_WRAPPER/go.mod"
  # A build-tagged file importing the commands lets `go mod tidy` see them
  # (importing a main package is fine for tidy; the tag keeps it out of any build).
  cat >"$K8S_WRAPPER/tools.go" <<'EOF'
//go:build tools

// Package tools only records the commands this wrapper module builds.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
EOF
  rm -f "$K8S_WRAPPER/go.sum"

  log "Kubernetes $K8S_VERSION: go mod tidy (downloads the dependency modules)"
  (cd "$K8S_WRAPPER" && go mod tidy)

  # Same version stamping as upstream's hack/lib/version.sh, for both version packages.
  # buildDate is the release's commit time from the module .info, so it is reproducible.
  local build_date ldflags="-s -w" pkg kv
  build_date=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info_file")
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    for kv in "gitVersion=$K8S_VERSION" "gitMajor=1" "gitMinor=$K8S_MINOR" \
      "gitTreeState=clean" "gitCommit=" "buildDate=${build_date:-1970-01-01T00:00:00Z}"; do
      ldflags+=" -X $pkg.$kv"
    done
  done

  # One `go build` for all of them so they share compiled packages (the slow part).
  log "Kubernetes $K8S_VERSION: compiling ${K8S_COMMANDS[*]} (slow: many minutes on 2 cores)"
  local -a pflag=()
  [[ -z ${BUILD_JOBS:-} ]] || pflag=(-p "$BUILD_JOBS")
  (cd "$K8S_WRAPPER" && go build "${pflag[@]}" -trimpath -ldflags "$ldflags" -o "$BIN_DIR/" \
    "${K8S_COMMANDS[@]/#/k8s.io/kubernetes/cmd/}")
  k8s_binaries_ok || die "built binaries do not report $K8S_VERSION (see: $BIN_DIR/kube-apiserver --version)"
  log "Kubernetes $K8S_VERSION: done"
}

# --- etcd ------------------------------------------------------------------------------
build_etcd() {
  log "etcd $ETCD_VERSION: fetching go.etcd.io/etcd/server/v3"
  local upstream_gomod go_line
  upstream_gomod=$(mod_download_field "go.etcd.io/etcd/server/v3@$ETCD_VERSION" GoMod)
  [[ -f $upstream_gomod ]] || die "no go.mod reported for go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  go_line=$(gomod_directive go "$upstream_gomod")
  # server/v3's own go.mod points api/client/pkg at ../ with replace (ignored outside it);
  # as a dependency, MVS picks the api/v3 etc. versions server/v3 requires (same release).
  {
    echo "// Generated by e2e/scripts/build-control-plane.sh. Do not edit: rerun the script."
    echo "module local/cdk8s-api-reader/etcd-build"
    echo
    echo "go ${go_line:-1.24}"
    echo
    echo "require go.etcd.io/etcd/server/v3 $ETCD_VERSION"
  } >"$ETCD_WRAPPER/go.mod"
  # package main of etcd is the root of go.etcd.io/etcd/server/v3.
  cat >"$ETCD_WRAPPER/tools.go" <<'EOF'
//go:build tools

// Package tools only records the command this wrapper module builds.
package tools

import _ "go.etcd.io/etcd/server/v3"
EOF
  rm -f "$ETCD_WRAPPER/go.sum"
  log "etcd $ETCD_VERSION: go mod tidy"
  (cd "$ETCD_WRAPPER" && go mod tidy)
  log "etcd $ETCD_VERSION: compiling etcd"
  (cd "$ETCD_WRAPPER" && go build -trimpath \
    -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" \
    -o "$BIN_DIR/etcd" go.etcd.io/etcd/server/v3)
  etcd_binary_ok || die "built etcd does not report ${ETCD_VERSION#v} (see: $BIN_DIR/etcd --version)"
  log "etcd $ETCD_VERSION: done"
}

start=$SECONDS
# etcd first: it is small, so a broken toolchain/proxy setup shows up within a minute.
if ((need_etcd)); then build_etcd; else log "etcd $ETCD_VERSION already built"; fi
if ((need_k8s)); then build_kubernetes; else log "Kubernetes $K8S_VERSION already built"; fi
log "built in $((SECONDS - start))s: $(cd "$BIN_DIR" && echo *)"
echo "$BIN_DIR"
